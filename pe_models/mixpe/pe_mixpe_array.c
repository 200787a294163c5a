/* pe_mixpe_array.c - an output-stationary array of mixpe_pe (README.md
 * "Array"), any rows x cols; the registered "mixpe_array" is 4x4.
 *
 * PE (r,c) accumulates out[m = column c's row of A][n = row r's column of
 * B], the layout of pe_systolic.c. Weights, group scale/zero and the
 * control bits enter at the left of each row and move right one PE per
 * edge (each PE's registered *_out ports); activations enter at the top of
 * each column and move down (a_out). The only logic outside the PEs is
 * wiring: row 0's drain input is tied off, each column's sh_start is its
 * bottom PE's done (the column's last PE to finish a pass: the skew puts
 * it last), and one register per column captures the value that leaves
 * the bottom of the drain chain.
 *
 * The PEs' registers are kept field by field over the whole array (PE
 * (r,c) at index r * cols + c; README "Performance"). No port of the
 * array shows the pass-through registers, so a PE's P register is kept as
 * the inputs it sampled, decoded where they enter the array (a row's
 * control, scale, zero and lane weights; a column's lane activations and
 * their sum), and each edge shifts them one PE right (row fields) or down
 * (column fields), as the *_out registers move them. A (the group
 * accumulators, and the lane products it adds) and the result slots run
 * over all PEs in loops without branches that GCC vectorises (the slots
 * only in edges where one is busy); the dequantizer (pe_mixpe_stage.h, the
 * single PE's code) runs once per group, when A hands it over. */
#include "pe_mixpe_stage.h"
#include "pe_unroll.h"

#include <stdlib.h>
#include <string.h>

/* A PE's P register of row control, one word per PE: the control bits
 * and the set weight bits of the live lanes (0 when not valid). */
#define CT_VALID 1u
#define CT_FIRST 2u
#define CT_END 4u		/* in_glast or in_last */
#define CT_LAST 8u
#define CT_TERMS(x) ((unsigned)(x) >> 4)

#define CHUNK 64		/* PEs per pass of A (its temporaries) */

/* The input ports of "mixpe_array" (the 4x4, below). */
enum {
	I_VALID, I_FIRST, I_GLAST, I_LAST, I_W, I_SCALE, I_ZERO, I_A0,
	N_IN = I_A0 + PE_MIXPE_ARRAY_DIM,
};

/* Everything but the per-PE registers. */
struct mx_com {
	struct pe_mixpe_cfg cfg;
	struct pe_mixpe_actions act;	/* summed over the PEs */
	uint16_t wv[16];	/* weight code -> lane operand (INT8: the
				 * signed value; FP16: its FP16 bits) */
	uint16_t wmask;		/* the weight bits of w_in the lanes read */
	uint64_t amask;		/* INT8: the activation bytes of a_in they read */
	uint32_t beats;		/* valid P registers */
	uint32_t terms;		/* their set weight bits */
	uint32_t slots;		/* result slots valid or done */
	/* the dequantizers' events (pe_mixpe_dq_group) of this edge (slot
	 * ev_at) and the next ones: D1s, D3 loads */
	uint32_t ev_at, ndq[PE_MIXPE_DQ_LATENCY], nload[PE_MIXPE_DQ_LATENCY];
};

/* The per-PE registers, n PEs each (k lanes: lane l at l * n). P: ctl,
 * sz (scale << 8 | zero), w (lane weights), a (lane activations; INT8
 * sign-extended, FP16 bits), as (lane sum: INT8 exact, FP16 the lane
 * tree). A: acc/sa (INT8) or acc16/sa16 (FP16), open, ofirst. D3: oacc,
 * and its result-register loads of this edge and the next ones, slot
 * (ev_at + j) % PE_MIXPE_DQ_LATENCY at j * n: pl (load), pf (the value).
 * The result slots (pe_mixpe_slot_next): valid, drain, done, res. Per
 * edge scratch: uv/ud/ur (the slot above, pre-edge), sx (the column's
 * sh_start). */
#define MX_REG_FIELDS(X)                                                      \
	X(uint16_t, ctl, 1) X(uint32_t, sz, 1) X(uint16_t, w, 4)              \
	X(uint16_t, a, 4) X(uint16_t, as, 1) X(int32_t, acc, 1)               \
	X(int32_t, sa, 1) X(uint16_t, acc16, 1) X(uint16_t, sa16, 1)          \
	X(uint16_t, open, 1) X(uint16_t, ofirst, 1)                           \
	X(uint16_t, oacc, 1) X(uint8_t, pl, PE_MIXPE_DQ_LATENCY)              \
	X(uint16_t, pf, PE_MIXPE_DQ_LATENCY) X(uint8_t, valid, 1)             \
	X(uint8_t, drain, 1) X(uint8_t, done, 1) X(uint16_t, res, 1)          \
	X(uint8_t, uv, 1) X(uint8_t, ud, 1) X(uint16_t, ur, 1)                \
	X(uint8_t, sx, 1)

/* Every field has a pad of `cols` elements before its first PE (not
 * registers): the shifts below copy all n elements of a field from `cols`
 * (or 1) elements before it, so they are whole blocks, moved in vector
 * registers when n is a constant (the 4x4). The pads of the result
 * slots are never written: 0, the slot above row 0. */
struct mx_view {
	struct mx_com *com;
#define MX_PTR(type, name, k) type *name;
	MX_REG_FIELDS(MX_PTR)
#undef MX_PTR
};

static void mx_set_cfg(struct mx_com *com, const struct pe_mixpe_cfg *c)
{
	com->cfg = *c;
	com->wmask = 0;
	com->amask = 0;
	for (unsigned l = 0; l < c->lanes; l++) {
		com->wmask |= (uint16_t)(((1u << c->wbits) - 1) << (4 * l));
		com->amask |= 0xffull << (16 * l);
	}
	for (unsigned code = 0; code < 16; code++) {
		int v = pe_mixpe_wval(c, code & ((1u << c->wbits) - 1));
		com->wv[code] = c->fp16 ? pe_f16_narrow((float)v) : (uint16_t)v;
	}
}

/* Copy `bytes` bytes from src to dst (they may overlap): with a
 * constant multiple of 16 up to 64 bytes (the 4x4's fields), loaded into
 * vector registers before the stores, no call, and whole blocks (a load
 * that spans several narrower stores is not forwarded from them). */
typedef uint8_t mx_blk __attribute__((vector_size(16)));
typedef uint32_t mx_v4u32 __attribute__((vector_size(16)));

static inline __attribute__((always_inline)) void mx_move(void *dst,
							  const void *src,
							  size_t bytes)
{
	if (__builtin_constant_p(bytes) && bytes % 16 == 0 && bytes <= 64) {
		mx_blk b[4];
		memcpy(b, src, bytes);
		memcpy(dst, b, bytes);
	} else {
		memmove(dst, src, bytes);
	}
}

/* sx[r * C + c] = row[c] for every row r (the 4x4: one 16-byte store). */
static inline __attribute__((always_inline)) void mx_rows_of(
	uint8_t *sx, const uint8_t *row, unsigned R, unsigned C)
{
	if (__builtin_constant_p(R * C) && R * C == 16 && C == 4) {
		uint32_t w;
		memcpy(&w, row, sizeof w);
		mx_v4u32 t = { w, w, w, w };
		memcpy(sx, &t, sizeof t);
	} else {
		for (unsigned r = 0; r < R; r++)
			memcpy(sx + (size_t)r * C, row, C);
	}
}

/* Set bits of a 16-bit word (the instruction where the build has it). */
static inline unsigned pop16(unsigned x)
{
#ifdef __POPCNT__
	return (unsigned)__builtin_popcount(x & 0xffffu);
#endif
	x = x - ((x >> 1) & 0x5555u);
	x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
	x = (x + (x >> 4)) & 0x0f0fu;
	return (x + (x >> 8)) & 0x1fu;
}

/* A row's left-edge input as PE (r,0) samples it (the control bits 0 or
 * 1): its control word, scale and zero, and its lane weights into
 * w[l * n + i]; returns the control word. */
static inline uint16_t mx_row(const struct mx_view *v, size_t n, size_t i,
			      unsigned valid, unsigned first, unsigned glast,
			      unsigned last, uint16_t w, uint16_t scale,
			      uint8_t zero)
{
	const struct mx_com *com = v->com;
	unsigned terms = pop16(w & com->wmask);
	uint16_t x = (uint16_t)(valid | first << 1 | (glast | last) << 2 |
				last << 3 | (valid ? terms : 0) << 4);

	/* all four lanes (A reads the live ones): no loop on the lanes */
	PE_UNROLL(4)
	for (unsigned l = 0; l < PE_MIXPE_MAX_LANES; l++)
		v->w[l * n + i] = com->wv[w >> (4 * l) & 15];
	v->ctl[i] = x;
	v->sz[i] = (uint32_t)scale << 8 | zero;
	return x;
}

/* A column's top-edge activations as PE (0,c) samples them: all four
 * lanes (INT8: the dead ones 0; A reads the live ones) and their sum. */
static inline void mx_col(const struct mx_com *com, uint64_t in, uint16_t *a,
			  uint16_t *as, size_t n, size_t i)
{
	const struct pe_mixpe_cfg *c = &com->cfg;
	unsigned L = c->lanes;
	uint16_t v[PE_MIXPE_MAX_LANES];

	if (!c->fp16)
		in &= com->amask;
	PE_UNROLL(4)
	for (unsigned l = 0; l < PE_MIXPE_MAX_LANES; l++) {
		v[l] = (uint16_t)(in >> (16 * l));
		if (!c->fp16)
			v[l] = (uint16_t)(int16_t)(int8_t)v[l];
		a[l * n + i] = v[l];
	}
	if (c->fp16) {
		/* the lane tree ((a0 + a1) + (a2 + a3)), as the PE's */
		uint16_t s = L > 1 ? pe_f16_add(v[0], v[1]) : v[0];
		if (L == 3)
			s = pe_f16_add(s, v[2]);
		else if (L == 4)
			s = pe_f16_add(s, pe_f16_add(v[2], v[3]));
		*as = s;
	} else {
		*as = (uint16_t)((int16_t)v[0] + (int16_t)v[1] + (int16_t)v[2] +
				 (int16_t)v[3]);
	}
}

/* Stage A of PEs i0 .. i0+m-1 (m <= CHUNK) from their P registers. */
static inline __attribute__((always_inline)) void mx_stage_a(
	const struct mx_view *v, size_t n, size_t i0, size_t m)
{
	struct mx_com *com = v->com;
	const struct pe_mixpe_cfg *c = &com->cfg;
	const uint16_t *restrict ctl = v->ctl + i0;
	uint16_t *restrict open = v->open + i0, *restrict ofirst = v->ofirst + i0;
	int32_t nacc[CHUNK], nsa[CHUNK];
	uint16_t of[CHUNK];
	uint8_t e8[CHUNK + 8];	/* valid beats that end a group */
	unsigned L = c->lanes;

	if (c->fp16) {
		uint16_t p[PE_MIXPE_MAX_LANES][CHUNK], x[CHUNK], y[CHUNK];
		const uint16_t *restrict as = v->as + i0;
		uint16_t *restrict acc = v->acc16 + i0, *restrict sa = v->sa16 + i0;
		for (unsigned l = 0; l < L; l++)
			pe_f16_mul_n(p[l], v->a + l * n + i0, v->w + l * n + i0, m);
		/* the lane tree ((p0 + p1) + (p2 + p3)) */
		if (L > 1)
			pe_f16_add_n(p[0], p[0], p[1], m);
		if (L == 4)
			pe_f16_add_n(p[2], p[2], p[3], m);
		if (L > 2)
			pe_f16_add_n(p[0], p[0], p[2], m);
		pe_f16_add_n(x, acc, p[0], m);
		pe_f16_add_n(y, sa, as, m);
		for (size_t k = 0; k < m; k++) {
			unsigned fresh = !open[k] | ((ctl[k] & CT_FIRST) != 0);
			unsigned keep = (ctl[k] & (CT_VALID | CT_END)) == CT_VALID;
			uint16_t na = fresh ? p[0][k] : x[k], ns = fresh ? as[k] : y[k];
			nacc[k] = na;
			nsa[k] = ns;
			acc[k] = keep ? na : acc[k];
			sa[k] = keep ? ns : sa[k];
		}
	} else {
		int32_t t[CHUNK];
		const uint16_t *restrict as = v->as + i0;
		int32_t *restrict acc = v->acc + i0, *restrict sa = v->sa + i0;
		unsigned ab = c->acc_bits, sb = c->sa_bits;
		for (size_t k = 0; k < m; k++)
			t[k] = 0;
		for (unsigned l = 0; l < L; l++) {
			const uint16_t *restrict a = v->a + l * n + i0;
			const uint16_t *restrict w = v->w + l * n + i0;
			for (size_t k = 0; k < m; k++)
				t[k] += (int16_t)a[k] * (int16_t)w[k];
		}
		for (size_t k = 0; k < m; k++) {
			unsigned fresh = !open[k] | ((ctl[k] & CT_FIRST) != 0);
			unsigned keep = (ctl[k] & (CT_VALID | CT_END)) == CT_VALID;
			int32_t na = pe_mixpe_wrap((fresh ? 0 : acc[k]) + t[k], ab);
			int32_t ns = pe_mixpe_wrap((fresh ? 0 : sa[k]) + (int16_t)as[k], sb);
			nacc[k] = na;
			nsa[k] = ns;
			acc[k] = keep ? na : acc[k];
			sa[k] = keep ? ns : sa[k];
		}
	}
	/* a valid beat: open = !end, ofirst = (ofirst | first) & !end */
	for (size_t k = 0; k < m; k++) {
		unsigned valid = ctl[k] & 1u, first = ctl[k] >> 1 & 1u;
		unsigned end = ctl[k] >> 2 & 1u, hold = valid ^ 1u, cont = end ^ 1u;
		unsigned f = ofirst[k] | first;
		of[k] = (uint16_t)f;
		open[k] = (uint16_t)((open[k] & hold) | (valid & cont));
		ofirst[k] = (uint16_t)((ofirst[k] & hold) | (valid & cont & f));
		e8[k] = (uint8_t)(valid & end);
	}
	/* the PEs handing a group over, as a mask: 8 bytes of 0/1 to 8
	 * bits by one multiply (byte i times 2^(56-7i) lands on bit 56+i,
	 * the other products on distinct lower bits, no carry) */
	uint64_t em = 0;
	for (size_t k = m; k % 8; k++)
		e8[k] = 0;
	for (size_t k = 0; k < m; k += 8) {
		uint64_t x;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(&x, e8 + k, sizeof x);
#else
		x = 0;
		for (unsigned j = 0; j < 8; j++)
			x |= (uint64_t)e8[k + j] << (8 * j);
#endif
		em |= (x * 0x0102040810204080ull) >> 56 << k;
	}
	if (!em)
		return;
	unsigned d1 = (com->ev_at + 1) % PE_MIXPE_DQ_LATENCY;
	unsigned d3 = (com->ev_at + PE_MIXPE_DQ_LATENCY - 1) % PE_MIXPE_DQ_LATENCY;
	com->ndq[d1] += (uint32_t)__builtin_popcountll(em);
	for (; em; em &= em - 1) {
		size_t k = (size_t)__builtin_ctzll(em), i = i0 + k;
		unsigned last = (ctl[k] & CT_LAST) != 0;
		/* the load as a value (its slot is 0 before): whether a
		 * group is its output's last is random */
		pe_mixpe_dq_group(c, &v->oacc[i], nacc[k], nsa[k],
				  (uint16_t)(v->sz[i] >> 8), (uint8_t)v->sz[i],
				  of[k], last, &v->pf[d3 * n + i]);
		v->pl[d3 * n + i] = (uint8_t)last;
		com->nload[d3] += last;
	}
}

/* The dequantizers' events of this edge and the result slots; the column
 * outputs from the bottom PEs' pre-edge slots. */
static inline __attribute__((always_inline)) void mx_back(
	const struct mx_view *v, unsigned R, unsigned C, uint8_t *out_valid,
	uint16_t *out)
{
	struct mx_com *com = v->com;
	size_t n = (size_t)R * C, b = n - C;
	unsigned at = com->ev_at;
	uint8_t *restrict valid = v->valid, *restrict drain = v->drain;
	uint8_t *restrict done = v->done;
	uint8_t *restrict load = v->pl + at * n, *restrict sx = v->sx;
	uint8_t *restrict uv = v->uv, *restrict ud = v->ud;
	uint16_t *restrict res = v->res, *restrict ur = v->ur;
	const uint16_t *restrict fin = v->pf + at * n;
	unsigned slots = 0, shifts = 0, results = 0;

	com->act.dequants += com->ndq[at];
	com->ndq[at] = 0;
	if (!com->nload[at] && !com->slots) {
		memset(out_valid, 0, C);
		memset(out, 0, C * sizeof *out);
		return;
	}
	com->nload[at] = 0;
	for (unsigned c = 0; c < C; c++) {
		out_valid[c] = valid[b + c] & (drain[b + c] | done[b + c]);
		out[c] = out_valid[c] ? res[b + c] : 0;
	}
	/* every slot at once, from copies of the pre-edge slots above
	 * (above row 0 the fields' pads, always 0) and of the columns'
	 * sh_start (the bottom PEs' done) */
	mx_move(uv, valid - C, n * sizeof *uv);
	mx_move(ud, drain - C, n * sizeof *ud);
	mx_move(ur, res - C, n * sizeof *ur);
	mx_rows_of(sx, done + b, R, C);
	for (size_t i = 0; i < n; i++) {
		shifts += pe_mixpe_slot_next(load[i], fin[i], uv[i], ud[i], ur[i],
					     sx[i], &valid[i], &drain[i],
					     &done[i], &res[i]);
		results += load[i];
		slots += valid[i] | done[i];
		load[i] = 0;
	}
	com->act.shifts += shifts;
	com->act.results += results;
	com->slots = slots;
}

/* Shift the P registers one PE right (row fields) and down (column
 * fields), the edge's inputs into column 0 and row 0; count the valid
 * ones. */
static inline __attribute__((always_inline)) void mx_shift(
	const struct mx_view *v, unsigned R, unsigned C,
	const struct pe_mixpe_row_in *row, const uint64_t *ports,
	const uint64_t *a_col)
{
	struct mx_com *com = v->com;
	size_t n = (size_t)R * C;
	unsigned L = com->cfg.lanes;

	for (unsigned r = 0; r < R; r++) {
		uint16_t gone = v->ctl[(size_t)r * C + C - 1];
		com->beats -= gone & CT_VALID;
		com->terms -= CT_TERMS(gone);
	}
	/* PE i takes PE i-1's, then column 0 the row's input (PE 0 takes
	 * the pad, or lane l-1's last: the last lane first, so no load
	 * reads a store just made) */
	mx_move(v->ctl, v->ctl - 1, n * sizeof *v->ctl);
	mx_move(v->sz, v->sz - 1, n * sizeof *v->sz);
	for (unsigned l = L; l-- > 0;)
		mx_move(v->w + l * n, v->w + l * n - 1, n * sizeof *v->w);
	for (unsigned r = 0; r < R; r++) {
		size_t i = (size_t)r * C;
		uint16_t x = ports ? mx_row(v, n, i, ports[I_VALID] >> r & 1,
					    ports[I_FIRST] >> r & 1,
					    ports[I_GLAST] >> r & 1,
					    ports[I_LAST] >> r & 1,
					    (uint16_t)(ports[I_W] >> (16 * r)),
					    (uint16_t)(ports[I_SCALE] >> (16 * r)),
					    (uint8_t)(ports[I_ZERO] >> (8 * r)))
				   : mx_row(v, n, i, row[r].valid, row[r].first,
					    row[r].glast, row[r].last, row[r].w,
					    row[r].scale, row[r].zero);
		com->beats += x & CT_VALID;
		com->terms += CT_TERMS(x);
	}
	if (R > 1) {
		for (unsigned l = L; l-- > 0;)
			mx_move(v->a + l * n, v->a + l * n - C, n * sizeof *v->a);
		mx_move(v->as, v->as - C, n * sizeof *v->as);
	}
	for (unsigned c = 0; c < C; c++)
		mx_col(com, a_col[c], v->a, &v->as[c], n, c);
}

/* One edge: the back stages from the pre-edge registers, A from the P
 * registers, then P samples the edge's inputs: the rows' from row[], or
 * with ports (the 4x4) from its input ports. */
static inline __attribute__((always_inline)) void mx_step(
	const struct mx_view *v, unsigned R, unsigned C,
	const struct pe_mixpe_row_in *row, const uint64_t *ports,
	const uint64_t *a_col, uint8_t *out_valid, uint16_t *out)
{
	struct mx_com *com = v->com;
	size_t n = (size_t)R * C;

	mx_back(v, R, C, out_valid, out);
	com->act.acc_writes += com->beats;
	if (com->beats)
		for (size_t i0 = 0; i0 < n; i0 += CHUNK)
			mx_stage_a(v, n, i0, n - i0 < CHUNK ? n - i0 : CHUNK);
	mx_shift(v, R, C, row, ports, a_col);
	com->ev_at = (com->ev_at + 1) % PE_MIXPE_DQ_LATENCY;
	com->act.cycles += n;
	com->act.beats += com->beats;
	com->act.products += (uint64_t)com->beats * com->cfg.lanes;
	com->act.terms += com->terms;
}

static void mx_clear(const struct mx_view *v, size_t n)
{
	struct mx_com *com = v->com;
	struct pe_mixpe_cfg c = com->cfg;

#define MX_CLEAR(type, name, k) memset(v->name, 0, (k) * n * sizeof(type));
	MX_REG_FIELDS(MX_CLEAR)
#undef MX_CLEAR
	memset(com, 0, sizeof *com);
	mx_set_cfg(com, &c);
}

/* ---- heap array of any size ---- */
struct pe_mixpe_array {
	unsigned rows, cols;
	struct mx_view v;
	struct mx_com com;
};

enum ps_status pe_mixpe_array_new(const struct pe_mixpe_cfg *cfg,
				  unsigned rows, unsigned cols,
				  struct pe_mixpe_array **out, struct ps_err *err)
{
	struct pe_mixpe_array *a;
	size_t n = (size_t)rows * cols;
	bool ok = true;

	*out = NULL;
	if (!rows || !cols)
		return ps_errf(err, PS_EINPUT, "mixpe: array %ux%u", rows, cols);
	a = calloc(1, sizeof *a);
	if (!a)
		return ps_errf(err, PS_ENOMEM, "mixpe: out of memory");
	a->rows = rows;
	a->cols = cols;
	a->v.com = &a->com;
#define MX_ALLOC(type, name, k)                                           \
	{                                                                     \
		type *b = calloc((k) * n + cols, sizeof(type));               \
		ok &= b != NULL;                                              \
		a->v.name = b ? b + cols : NULL;                              \
	}
	MX_REG_FIELDS(MX_ALLOC)
#undef MX_ALLOC
	if (!ok) {
		pe_mixpe_array_free(a);
		return ps_errf(err, PS_ENOMEM,
			       "mixpe: out of memory for a %ux%u array", rows, cols);
	}
	mx_set_cfg(&a->com, cfg);
	*out = a;
	return PS_OK;
}

void pe_mixpe_array_free(struct pe_mixpe_array *a)
{
	if (!a)
		return;
#define MX_FREE(type, name, k) \
	if (a->v.name)         \
		free(a->v.name - a->cols);
	MX_REG_FIELDS(MX_FREE)
#undef MX_FREE
	free(a);
}

void pe_mixpe_array_step(struct pe_mixpe_array *a,
			 const struct pe_mixpe_row_in *row,
			 const uint64_t *a_col, uint8_t *out_valid,
			 uint16_t *out)
{
	mx_step(&a->v, a->rows, a->cols, row, NULL, a_col, out_valid, out);
}

void pe_mixpe_array_sum(const struct pe_mixpe_array *a,
			struct pe_mixpe_actions *out)
{
	*out = a->com.act;
}

/* ---- the bt ops ("mixpe_array", 4 x 4): a flat state ---- */

#define D PE_MIXPE_ARRAY_DIM

struct pe_mixpe_array4 {
	struct mx_com com;
#define MX_ARR(type, name, k) type name[D + (k) * D * D];
	MX_REG_FIELDS(MX_ARR)
#undef MX_ARR
	uint8_t out_valid[D];
	uint16_t out[D];
};

static struct mx_view view4(struct pe_mixpe_array4 *s)
{
#define MX_VIEW(type, name, k) .name = s->name + D,
	return (struct mx_view){ .com = &s->com,
				 MX_REG_FIELDS(MX_VIEW) };
#undef MX_VIEW
}


/* Row r's bit / field in each row bus, column c's in each column bus. */
static const struct pe_port array_ports[] = {
	{ "in_valid", D }, { "in_first", D }, { "in_glast", D }, { "in_last", D },
	{ "w_in", 16 * D }, { "scale_in", 16 * D }, { "zero_in", 8 * D },
	{ "a_in_0", 64 }, { "a_in_1", 64 }, { "a_in_2", 64 }, { "a_in_3", 64 },
	{ "out_valid", D }, { "out_data", 16 * D },
};

void pe_mixpe_array_ports(const struct pe_mixpe_row_in *row,
			  const uint64_t *a_col, uint64_t *in)
{
	memset(in, 0, N_IN * sizeof *in);
	for (unsigned r = 0; r < D; r++) {
		in[I_VALID] |= (uint64_t)row[r].valid << r;
		in[I_FIRST] |= (uint64_t)row[r].first << r;
		in[I_GLAST] |= (uint64_t)row[r].glast << r;
		in[I_LAST] |= (uint64_t)row[r].last << r;
		in[I_W] |= (uint64_t)row[r].w << (16 * r);
		in[I_SCALE] |= (uint64_t)row[r].scale << (16 * r);
		in[I_ZERO] |= (uint64_t)row[r].zero << (8 * r);
		in[I_A0 + r] = a_col[r];
	}
}

static enum ps_status arr_init(void *state, const struct pe_params *p,
			       struct ps_err *err)
{
	struct pe_mixpe_array4 *s = state;
	struct pe_mixpe_cfg c;
	enum ps_status st = pe_mixpe_cfg_from_params(p, &c, err);
	if (st)
		return st;
	memset(s, 0, sizeof *s);
	mx_set_cfg(&s->com, &c);
	return PS_OK;
}

static void arr_reset(void *state)
{
	struct pe_mixpe_array4 *s = state;
	struct mx_view v = view4(s);
	mx_clear(&v, D * D);
	memset(s->out_valid, 0, sizeof s->out_valid);
	memset(s->out, 0, sizeof s->out);
}

static void arr_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_mixpe_array4 *s = state;
	struct mx_view v = view4(s);
	uint64_t ov = 0, od = 0;

	mx_step(&v, D, D, NULL, in, &in[I_A0], s->out_valid, s->out);
	for (unsigned c = 0; c < D; c++) {
		ov |= (uint64_t)s->out_valid[c] << c;
		od |= (uint64_t)s->out[c] << (16 * c);
	}
	out[0] = ov;
	out[1] = od;
}

void pe_mixpe_actions_add(struct pe_mixpe_actions *d, const struct pe_mixpe_actions *a)
{
	d->cycles += a->cycles;
	d->beats += a->beats;
	d->products += a->products;
	d->terms += a->terms;
	d->acc_writes += a->acc_writes;
	d->dequants += a->dequants;
	d->results += a->results;
	d->shifts += a->shifts;
}

void pe_mixpe_array_actions(const void *state, struct pe_mixpe_actions *out)
{
	*out = ((const struct pe_mixpe_array4 *)state)->com.act;
}

void pe_mixpe_array_set_bugs(void *state, uint32_t bugs)
{
	struct pe_mixpe_array4 *s = state;
	struct pe_mixpe_cfg c = s->com.cfg;
	c.bugs = bugs;
	mx_set_cfg(&s->com, &c);
}

const struct pe_bt_ops pe_mixpe_array_bt = {
	.name = "mixpe_array",
	.rtl_top = "mixpe_array",
	.ports = array_ports,
	.n_in = N_IN,
	.n_out = sizeof array_ports / sizeof array_ports[0] - N_IN,
	.state_size = sizeof(struct pe_mixpe_array4),
	.init = arr_init,
	.reset = arr_reset,
	.step = arr_step,
};

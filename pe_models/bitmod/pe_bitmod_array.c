/* pe_bitmod_array.c - BitMoD PEs in an output-stationary array (README
 * "Array"), any rows x cols; the registered "bitmod_array4x4" is 4x4.
 *
 * PE (r,c) accumulates out[m = c][n = r] (N on the rows, M on the columns,
 * as pe_systolic.c). Row r's weight codes enter at the left edge, where a
 * combinational decoder turns them into terms; the terms move right one PE
 * per cycle through hop registers. Column c's FP16 activations enter at
 * the top and move down one PE per cycle. The driver skews row r by r
 * cycles and column c by c, so PE (r,c) sees matching operands.
 *
 * Each group's dequantized sum leaves its PE through a shadow chain per
 * row that shifts toward the left edge: a PE drops its sum into its slot
 * the edge after out_valid, and a slot otherwise takes its right
 * neighbour's. At the left edge the row's output accumulator (one
 * block-FP adder per row, an accumulator per column: the paper's PE has
 * none) adds it into the column's output (pe_bitmod_bfp_add, MW + SB + 1
 * bits); an output's last group loads the row's result register, and on
 * the next edge the row's channel-scale unit multiplies it by the FP16
 * channel scale of output channel n = r and rounds once to FP16
 * (pe_bitmod_edge_scale). The channel scale arrives on w_cscale with the
 * output's last term (OLAST) and waits in a 4-entry FIFO per row until
 * column cols-1's result of that pass has left. The group scale arrives a
 * bit per edge on w_sbit (the serializer is outside, with the skew
 * buffers) and hops right with the terms. Sums of one row leave every
 * other cycle (the chain runs against the skew); groups at least
 * 2*cols-1 cycles apart never collide. */
#include "pe_bitmod_bt.h"

#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "pe_bitmod_regs.h"
#include "pe_unroll.h"

struct slot {
	uint8_t valid, nan, e;
	uint8_t col, olast;
	int64_t m;
};

/* A column's output accumulator at its row's edge. */
struct oacc {
	int64_t m;
	uint8_t e, nan;
};

struct csfifo {
	uint16_t v[PE_BITMOD_CS_FIFO];
	uint8_t head, n;
};

/* Everything but the per-PE registers and the delay lines. */
struct arr_com {
	uint8_t err;
	uint8_t lanes, mw, sb, bug, emax_all;
	uint8_t bank;		/* S1/S2 bank (pe_bitmod_regs.h) */
	uint32_t busy;
	uint32_t pr;		/* edge number mod rows */
	uint32_t t;		/* edge number (mod 2^32: the exit rings'
				 * index, sh_mask + 1 divides it) */
	uint32_t outs;		/* PEs with out_valid after the last edge */
	uint32_t slots;		/* sums in the shadow chains */
	uint32_t results;	/* valid result registers */
	uint64_t edge_muls, hops;
	struct pe_bitmod_actions act;	/* summed over the PEs */
};

/* The array's registers, wherever they are stored. The hop registers are
 * kept as the delay lines they form: PE (r,c) takes at edge t what row
 * r's left-edge decoder produced at t-c and what column c's top edge took
 * in at t-r. wb holds the words the PEs read at this edge, row-major: the
 * term hop registers themselves (each edge a row's words move one PE
 * right and its decoder's word enters at column 0). ta holds the
 * columns' activations of the last rows edges, decoded (bm_act_lane),
 * [lane][2 rows][col], each edge's row written twice (at q and q + rows,
 * q = rows-1 - t mod rows), so that row r reads q + r: lane l of every
 * PE lies at ta[l][q..q+rows-1][..], row-major like the PEs. S1 thus
 * steps all PEs in one loop. */
struct arr_view {
	uint32_t rows, cols;
	struct arr_com *com;
	struct bm_regs r;		/* [rows*cols], row-major */
	const struct bm_regs *rp;	/* r, where the stages read it */
	uint32_t *wb;			/* [rows*cols] */
	uint32_t *ta;			/* [4][2*rows][cols] */
	struct slot *sh;		/* [rows][sh_mask + 1] shadow chains
					 * as exit rings (arr_chains) */
	uint32_t sh_mask;		/* ring size - 1: a power of two
					 * minus 1, >= cols */
	struct oacc *oa;		/* [rows*cols] output accumulators */
	struct slot *res;		/* [rows] result registers */
	struct csfifo *fifo;		/* [rows] */
	uint64_t *y;			/* [rows][3] y_valid, y, y_col: the
					 * 4x4's output ports as they are */
};

/* The left-edge decoder as tables indexed by w_ctl[10:4] (w_type, term
 * index): a lane's term from its code (pe_bitmod_term), and the word's
 * bit position (pe_bitmod_bitpos) with bit 8 set for a reserved w_type;
 * tabulated once. */
static uint8_t term_lut[128][256];
static uint16_t head_lut[128];
static once_flag lut_once = ONCE_FLAG_INIT;

static void build_luts(void)
{
	for (unsigned wt = 0; wt < 32; wt++) {
		for (unsigned t = 0; t < 4; t++) {
			head_lut[wt * 4 + t] = (uint16_t)(
				bm_word(0, pe_bitmod_bitpos(wt, t), 0, 0) |
				(pe_bitmod_wtype_terms(wt) ? 0 : 0x100u));
			for (unsigned code = 0; code < 256; code++)
				term_lut[wt * 4 + t][code] = (uint8_t)pe_bitmod_term(wt, code, t);
		}
	}
}

/* A row's word (bm_word) from its w_ctl, w_code and w_sbit ports; *err
 * gets 1 with a valid reserved w_type. Every lane's term, also beyond
 * the PE's lanes: those lanes hold no activation (bm_act_lane), so their
 * terms take no part. */
static inline uint32_t arr_decode(uint32_t ctl, uint32_t code, uint32_t sbit,
				  uint32_t *err)
{
	unsigned i = ctl >> 4 & 127, head = head_lut[i];
	const uint8_t *lut = term_lut[i];
	uint32_t term = lut[code & 0xff] | lut[code >> 8 & 0xff] << 4 |
			lut[code >> 16 & 0xff] << 8 |
			(uint32_t)lut[code >> 24] << 12;

	*err |= head >> 8 & ctl;
	return bm_word(ctl, 0, sbit, term) | (head & 0xffu);
}

static struct bm_ctx arr_ctx(const struct arr_view *v)
{
	struct arr_com *com = v->com;
	return (struct bm_ctx){ .lanes = com->lanes, .mw = com->mw,
				.sb = com->sb, .bug = com->bug,
				.emax_all = com->emax_all,
				.act = &com->act, .busy = &com->busy,
				.err = &com->err };
}

/* Row r's edge, from its pre-edge registers: the result register through
 * the channel-scale unit to y (popping the channel scale after column
 * cols-1), and slot 0 (s0: the sum that leaves the chain at this edge,
 * or an invalid slot) into its column's output accumulator (an output's
 * last group into the result register). */
static inline __attribute__((always_inline)) void arr_edge(const struct arr_view *v,
							 uint32_t r, const struct slot *s0)
{
	uint32_t C = v->cols;
	struct arr_com *com = v->com;
	struct slot *res = &v->res[r];
	struct csfifo *f = &v->fifo[r];
	uint64_t *y = &v->y[3 * (size_t)r];

	y[0] = 0;
	if (res->valid) {
		uint16_t cs = 0x7e00;
		if (f->n)
			cs = f->v[f->head];
		else
			com->err = 1;
		y[0] = 1;
		y[1] = pe_bitmod_edge_scale(res->m, res->e, res->nan, cs);
		y[2] = res->col;
		com->edge_muls++;
		if (res->col == C - 1 && f->n) {
			f->head = (uint8_t)((f->head + 1) % PE_BITMOD_CS_FIFO);
			f->n--;
		}
		res->valid = 0;
		com->results--;
	}
	if (s0->valid) {
		struct oacc *o = &v->oa[(size_t)r * C + s0->col];
		int64_t m = o->m;
		unsigned e = o->e;
		uint8_t nan = o->nan | s0->nan;
		bm_bfp_add(&m, &e, s0->m, s0->e, com->mw + com->sb + 1u, NULL);
		if (e > 255)
			com->err = 1;
		com->act.out_adds++;
		if (s0->olast) {
			*res = (struct slot){ .valid = 1, .nan = nan, .e = (uint8_t)e,
					      .col = s0->col, .m = m };
			*o = (struct oacc){ 0 };
			com->results++;
			com->act.outputs++;
		} else {
			*o = (struct oacc){ .m = m, .e = (uint8_t)e, .nan = nan };
		}
	}
}

/* Exits and shadow chains, from the PEs' pre-edge outputs; the channel
 * scale FIFOs.
 *
 * A row's shadow chain is kept as the schedule of its exits: a sum that
 * PE c drops at edge t is in slot c after it, shifts one slot left per
 * edge and so is slot 0 before edge t + c + 1, where it leaves; the ring
 * sh[row][(t + c + 1) & sh_mask] holds it until then (O(drops) per edge,
 * not a move per slot). The chain loses a sum when a PE drops into the
 * slot it was shifting into: exactly when the new sum's exit edge is
 * the older one's, so a drop onto an occupied ring entry is the
 * collision (err), and the new sum wins, as in the chain. */
static inline __attribute__((always_inline)) void arr_chains(
	const struct arr_view *v, const uint32_t *word, const uint16_t *cs)
{
	uint32_t R = v->rows, C = v->cols, K = v->sh_mask + 1;
	struct arr_com *com = v->com;
	const unsigned ctl_end = PE_BITMOD_C_VALID | PE_BITMOD_C_LAST |
				 PE_BITMOD_C_OLAST;
	bool idle = !com->outs && !com->slots && !com->results;
	uint32_t t = com->t;
	/* in locals: the slots' byte stores could alias com's fields */
	uint32_t slots = com->slots, outs = com->outs, n = R * C;
	uint8_t err = 0;

	PE_UNROLL(4)
	for (uint32_t r = 0; r < R; r++) {
		struct slot *sh = v->sh + (size_t)r * K;
		struct csfifo *f = &v->fifo[r];

		if (idle) {
			v->y[3 * (size_t)r] = 0;
		} else {
			struct slot *s0 = &sh[t & v->sh_mask];
			arr_edge(v, r, s0);
			slots -= s0->valid;
			s0->valid = 0;
		}
		if ((word[r] & ctl_end) == ctl_end) {
			if (f->n == PE_BITMOD_CS_FIFO) {
				com->err = 1;
			} else {
				f->v[(f->head + f->n) % PE_BITMOD_CS_FIFO] = cs[r];
				f->n++;
			}
		}
	}
	/* the drops: the PEs with out_valid (outs of them), found 32 at a
	 * time through a bit mask */
	for (uint32_t i0 = 0; outs && i0 < n; i0 += 32) {
		uint32_t nb = n - i0 < 32 ? n - i0 : 32, m = 0;
		for (uint32_t k = 0; k < nb; k++)
			m |= (uint32_t)(v->r.out_valid[i0 + k] != 0) << k;
		for (; m; m &= m - 1, outs--) {
			uint32_t i = i0 + (uint32_t)__builtin_ctz(m), c = i % C;
			struct slot *d = &v->sh[(size_t)(i / C) * K +
						((t + c + 1) & v->sh_mask)];
			err |= d->valid;	/* collision */
			slots += !d->valid;
			*d = (struct slot){ .valid = 1,
					    .nan = (uint8_t)v->r.out_nan[i],
					    .e = (uint8_t)v->r.out_e[i],
					    .col = (uint8_t)c,
					    .olast = (uint8_t)v->r.out_olast[i],
					    .m = v->r.dq_acc[i] };
		}
	}
	com->slots = slots;
	com->err |= err;
}

/* One edge: word[rows] the left edge's decoded words (arr_decode), cs
 * the rows' w_cscale, act[cols] the top edge's activations. Inlined into
 * both callers: the 4x4 model's rows and cols are then constants (its
 * loops unrolled and vectorised). */
static inline __attribute__((always_inline)) void arr_step(
	const struct arr_view *v, const uint32_t *word, const uint16_t *cs,
	const uint64_t *act)
{
	uint32_t R = v->rows, C = v->cols;
	struct arr_com *com = v->com;
	struct bm_ctx x = arr_ctx(v);
	uint32_t q = R - 1 - com->pr;

	/* 1. exits and shadow chains, from the PEs' pre-edge outputs */
	arr_chains(v, word, cs);
	/* 2. this edge's left-edge decoders and top-edge activations into
	 * the delay lines */
	PE_UNROLL(4)
	for (uint32_t r = 0; r < R; r++) {
		uint32_t *wb = v->wb + (size_t)r * C, in = word[r];
		/* as a carried value: GCC makes the plain shift a call to
		 * memmove */
		PE_UNROLL(4)
		for (uint32_t c = 0; c < C; c++) {
			uint32_t w = wb[c];
			wb[c] = in;
			in = w;
		}
	}
	bm_act_cols(act, C, com->lanes, v->ta + (size_t)q * C, (size_t)2 * R * C,
		    (size_t)R * C);
	/* 3. the PEs: every stage but S1, then S1, each over the whole
	 * array */
	com->outs = bm_step_back(&x, v->rp, com->bank, R * C);
	com->bank ^= 1;
	{
		const uint32_t *lanes[4];
		uint32_t nv, nlast = 0, clast = 0;
		for (uint32_t l = 0; l < 4; l++)
			lanes[l] = v->ta + ((size_t)l * 2 * R + q) * C;
		nv = bm_step_s1(&x, v->rp, com->bank, 0, R * C, v->wb, lanes);
		/* valid operand moves: right (all but the last column) and
		 * down (all but the last row) */
		for (uint32_t c = 0; c < C; c++)
			nlast += v->wb[(size_t)(R - 1) * C + c] & 1;
		for (uint32_t r = 0; r < R; r++)
			clast += v->wb[(size_t)r * C + C - 1] & 1;
		com->hops += 2 * (uint64_t)nv - clast - nlast;
	}
	com->pr = com->pr + 1 == R ? 0 : com->pr + 1;
	com->t++;
}

static void arr_reset(const struct arr_view *v)
{
	size_t n = (size_t)v->rows * v->cols;
	struct arr_com *com = v->com;
	struct arr_com keep = { .lanes = com->lanes, .mw = com->mw,
				.sb = com->sb, .bug = com->bug,
				.emax_all = com->emax_all };

	bm_regs_clear(&v->r, (uint32_t)n);
	*com = keep;
	memset(v->wb, 0, n * sizeof *v->wb);
	memset(v->ta, 0, 8 * n * sizeof *v->ta);
	memset(v->sh, 0, (size_t)v->rows * (v->sh_mask + 1) * sizeof *v->sh);
	memset(v->oa, 0, n * sizeof *v->oa);
	memset(v->res, 0, v->rows * sizeof *v->res);
	memset(v->fifo, 0, v->rows * sizeof *v->fifo);
	memset(v->y, 0, 3 * (size_t)v->rows * sizeof *v->y);
}

static enum ps_status arr_init(const struct arr_view *v,
			       const struct pe_bitmod_cfg *c, struct ps_err *err)
{
	enum ps_status st = pe_bitmod_cfg_check(c, err);
	if (st)
		return st;
	call_once(&lut_once, build_luts);
	v->com->lanes = (uint8_t)c->lanes;
	v->com->mw = (uint8_t)c->mant_bits;
	v->com->sb = (uint8_t)c->scale_bits;
	v->com->bug = c->bug_dq_noclear;
	v->com->emax_all = c->emax_all;
	arr_reset(v);
	return PS_OK;
}

/* ---- heap array of any size ---- */
struct pe_bitmod_array {
	struct arr_view v;
	struct arr_com com;
	uint32_t *word;		/* [rows] the edge's decoded words */
	uint16_t *cs;		/* [rows] its w_cscale */
};

enum ps_status pe_bitmod_array_new(const struct pe_bitmod_cfg *c,
				   uint32_t rows, uint32_t cols,
				   struct pe_bitmod_array **out,
				   struct ps_err *err)
{
	struct pe_bitmod_array *a;
	enum ps_status st;
	size_t n = (size_t)rows * cols;
	uint32_t k = 1;
	bool ok = true;

	*out = NULL;
	if (!rows || !cols || cols > 256 || rows > 4096)
		return ps_errf(err, PS_EINPUT,
			       "bitmod: array %ux%u: rows 1..4096, cols 1..256",
			       rows, cols);
	a = calloc(1, sizeof *a);
	if (!a)
		return ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
	while (k <= cols)	/* exits at t+1 .. t+cols pending, t's leaving */
		k <<= 1;
	a->v = (struct arr_view){
		.rows = rows, .cols = cols, .com = &a->com,
		.wb = calloc(n, sizeof *a->v.wb),
		.ta = calloc(8 * n, sizeof *a->v.ta),
		.sh = calloc((size_t)rows * k, sizeof *a->v.sh),
		.sh_mask = k - 1,
		.oa = calloc(n, sizeof *a->v.oa),
		.res = calloc(rows, sizeof *a->v.res),
		.fifo = calloc(rows, sizeof *a->v.fifo),
		.y = calloc(3 * (size_t)rows, sizeof *a->v.y),
	};
	a->word = calloc(rows, sizeof *a->word);
	a->cs = calloc(rows, sizeof *a->cs);
#define BM_ALLOC(type, name) ok &= (a->v.r.name = calloc(n, sizeof(type))) != NULL;
	PE_BITMOD_REG_FIELDS(BM_ALLOC)
#undef BM_ALLOC
	if (!ok || !a->v.wb || !a->v.ta || !a->v.sh || !a->v.oa ||
	    !a->v.res ||
	    !a->v.fifo || !a->v.y || !a->word || !a->cs) {
		pe_bitmod_array_free(a);
		return ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
	}
	a->v.rp = &a->v.r;
	st = arr_init(&a->v, c, err);
	if (st) {
		pe_bitmod_array_free(a);
		return st;
	}
	*out = a;
	return PS_OK;
}

void pe_bitmod_array_free(struct pe_bitmod_array *a)
{
	if (!a)
		return;
#define BM_FREE(type, name) free(a->v.r.name);
	PE_BITMOD_REG_FIELDS(BM_FREE)
#undef BM_FREE
	free(a->v.wb);
	free(a->v.ta);
	free(a->v.sh);
	free(a->v.oa);
	free(a->v.res);
	free(a->v.fifo);
	free(a->v.y);
	free(a->word);
	free(a->cs);
	free(a);
}

void pe_bitmod_array_reset(struct pe_bitmod_array *a)
{
	arr_reset(&a->v);
}

void pe_bitmod_array_step(struct pe_bitmod_array *a,
			  const struct pe_bitmod_row_in *w,
			  const uint64_t *act, struct pe_bitmod_row_out *out)
{
	uint32_t err = 0;
	for (uint32_t r = 0; r < a->v.rows; r++) {
		a->word[r] = arr_decode(w[r].ctl & 0x7ffu, w[r].code, w[r].sbit, &err);
		a->cs[r] = w[r].cscale;
	}
	a->com.err |= (uint8_t)err;
	arr_step(&a->v, a->word, a->cs, act);
	for (uint32_t r = 0; out && r < a->v.rows; r++)
		out[r] = (struct pe_bitmod_row_out){
			.valid = (uint8_t)a->v.y[3 * r], .y = (uint16_t)a->v.y[3 * r + 1],
			.col = (uint8_t)a->v.y[3 * r + 2] };
}

bool pe_bitmod_array_err(const struct pe_bitmod_array *a)
{
	return a->com.err != 0;	/* with every PE's err (bm_ctx.err) */
}

void pe_bitmod_array_actions(const struct pe_bitmod_array *a,
			     struct pe_bitmod_actions *s)
{
	*s = a->com.act;
	s->edge_muls = a->com.edge_muls;
	s->hops = a->com.hops;
}

/* ---- the registered model "bitmod_array4x4": a flat state ---- */
#define BM_REG16(type, name) type name[16];
struct arr4 {
	struct arr_com com;
	struct { PE_BITMOD_REG_FIELDS(BM_REG16) } r;
	uint32_t wb[4 * 4];
	uint32_t ta[4 * 2 * 4 * 4];
	struct slot sh[4 * 8];
	struct oacc oa[16];
	struct slot res[4];
	struct csfifo fifo[4];
	uint64_t y[4 * 3];
	struct bm_regs view;	/* the view of r, valid while self == this */
	const struct arr4 *self;
};

/* The stages' view of the registers is built once, not stored anew at
 * each edge (again if the state was copied). */
static struct arr_view view4(struct arr4 *s)
{
	if (__builtin_expect(s->self != s, 0)) {
		s->view = BM_VIEW(&s->r);
		s->self = s;
	}
	return (struct arr_view){ .rows = 4, .cols = 4, .com = &s->com,
				  .r = BM_VIEW(&s->r), .rp = &s->view,
				  .wb = s->wb,
				  .ta = s->ta,
				  .sh = s->sh, .sh_mask = 7,
				  .oa = s->oa, .res = s->res,
				  .fifo = s->fifo, .y = s->y };
}

#define ROW_PORTS(r) { "w_ctl_" #r, 11 }, { "w_code_" #r, 32 },	\
		     { "w_sbit_" #r, 1 }, { "w_cscale_" #r, 16 }
#define OUT_PORTS(r) { "y_valid_" #r, 1 }, { "y_" #r, 16 }, { "y_col_" #r, 2 }
static const struct pe_port arr4_ports[] = {
	ROW_PORTS(0), ROW_PORTS(1), ROW_PORTS(2), ROW_PORTS(3),
	{ "a_0", 64 }, { "a_1", 64 }, { "a_2", 64 }, { "a_3", 64 },
	OUT_PORTS(0), OUT_PORTS(1), OUT_PORTS(2), OUT_PORTS(3),
	{ "err", 1 },
};

static enum ps_status bt_arr4_init(void *state, const struct pe_params *p,
				   struct ps_err *err)
{
	struct arr4 *s = state;
	struct arr_view v;
	struct pe_bitmod_cfg c;

	pe_bitmod_cfg_default(p, &c);
	memset(s, 0, sizeof *s);
	v = view4(s);
	return arr_init(&v, &c, err);
}

static void bt_arr4_reset(void *state)
{
	struct arr_view v = view4(state);
	arr_reset(&v);
}

static void bt_arr4_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct arr4 *s = state;
	struct arr_view v = view4(s);
	uint32_t word[4], err = 0;
	uint16_t cs[4];

	for (int r = 0; r < 4; r++) {
		word[r] = arr_decode((uint32_t)in[4 * r] & 0x7ffu, (uint32_t)in[4 * r + 1],
				     (uint32_t)in[4 * r + 2], &err);
		cs[r] = (uint16_t)in[4 * r + 3];
	}
	s->com.err |= (uint8_t)err;
	arr_step(&v, word, cs, in + 16);	/* the a_c ports: act[c] */
	memcpy(out, s->y, sizeof s->y);
	out[12] = s->com.err;	/* it has every PE's err too (bm_ctx.err) */
}

const struct pe_bt_ops pe_bitmod_array4x4_bt = {
	.name = "bitmod_array4x4",
	.rtl_top = "bitmod_array4x4",
	.ports = arr4_ports,
	.n_in = 20,
	.n_out = 13,
	.state_size = sizeof(struct arr4),
	.init = bt_arr4_init,
	.reset = bt_arr4_reset,
	.step = bt_arr4_step,
};

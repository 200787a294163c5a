/* pe_lut_tc_gemm.c - a whole GEMM through the stepped LUT-TC models, as the
 * engine's bit-true mode and the tests drive them (README "GEMM helper").
 *
 * Phase 1 (`pre`): the precompute unit builds every table of the m x k
 * activations, one per cycle (row-major: row, then chunk), into the table
 * store. Phase 2 (`mm`): the controller issues bit planes to the tile,
 * passes n-block outer, m-block inner, then K-groups, chunks, and bit
 * positions 0..W-1 (LSB first); it stalls a segment whose commit would
 * overwrite the shadow bank before the read port has drained it, and reads
 * each committed segment out word by word. The output stage applies the
 * group's scale and zero point to every word it reads (FP16, README
 * "Numerics") and accumulates across groups. Both phases' stepped cycles
 * equal the closed forms pe_lut_tc_pre_cycles and pe_lut_tc_tile_cycles.
 *
 * Edges of the tile (m, n, k not multiples of M, N, K) are padded: tables of
 * absent rows and activations past k are +0, weight bits past k or n are 0;
 * padded accumulators are never read out. */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "pe_fp16.h"
#include "pe_lut_tc.h"

#define M PE_LUT_TC_M
#define N PE_LUT_TC_N
#define K PE_LUT_TC_K
#define D PE_LUT_TC_RD_WORDS

struct table {
	uint64_t t0, t1;	/* FP16: entries 0..3, 4..7; INT8: codes, 0 */
	uint16_t scale, asum;
};

struct seg {
	uint64_t mb, nb, g;
};

struct run {
	const struct pe_lut_tc_gemm *g;
	uint64_t kc, gc, ngroups, mblocks, nblocks;
	struct table *tab;	/* [m * kc] */
	uint32_t *c4;		/* [n * kc] the chunk's 4 codes, one per byte */
	uint16_t *S;		/* [m * ngroups] group activation sums */
	uint16_t *out;
};

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static enum ps_status check(const struct pe_lut_tc_gemm *g, struct ps_err *err)
{
	const uint64_t lim = 1ull << 26;
	if (!g->a || !g->codes)
		return ps_errf(err, PS_EINPUT, "lut_tc gemm: no activations or codes");
	if (!g->m || !g->n || !g->k || g->m > lim || g->n > lim || g->k > lim)
		return ps_errf(err, PS_EINPUT, "lut_tc gemm: shape %llux%llux%llu out of range",
			       (unsigned long long)g->m, (unsigned long long)g->n,
			       (unsigned long long)g->k);
	if (g->w_bits < 1 || g->w_bits > PE_LUT_TC_MAX_W)
		return ps_errf(err, PS_EINPUT, "lut_tc gemm: %u-bit weights (1..%d)",
			       g->w_bits, PE_LUT_TC_MAX_W);
	if (g->group % K)
		return ps_errf(err, PS_EINPUT,
			       "lut_tc gemm: group %llu is not a multiple of K = %d",
			       (unsigned long long)g->group, K);
	for (uint64_t i = 0; i < g->n * g->k; i++)
		if (g->codes[i] >> g->w_bits)
			return ps_errf(err, PS_EINPUT,
				       "lut_tc gemm: code %u at %llu exceeds %u bits",
				       g->codes[i], (unsigned long long)i, g->w_bits);
	return PS_OK;
}

/* Phase 1: every table through the stepped precompute unit. */
static enum ps_status run_pre(struct run *R, struct pe_lut_tc_run *r)
{
	const struct pe_lut_tc_gemm *g = R->g;
	const struct pe_bt_ops *ops = &pe_lut_tc_pre_bt;
	uint64_t in[PE_LUT_TC_PRE_NIN], out[PE_LUT_TC_PRE_NPORTS - PE_LUT_TC_PRE_NIN];
	uint64_t total = g->m * R->kc, issued = 0, got = 0, t = 0;
	void *st = malloc(ops->state_size);

	if (!st)
		return PS_ENOMEM;
	ops->init(st, NULL, NULL);
	while (got < total) {
		memset(in, 0, sizeof in);
		if (issued < total) {
			uint64_t row = issued / R->kc, c = issued % R->kc, a = 0;
			for (uint64_t j = 0; j < K && 4 * c + j < g->k; j++)
				a |= (uint64_t)g->a[row * g->k + 4 * c + j] << (16 * j);
			in[PE_LUT_TC_PRE_IN_VALID] = 1;
			in[PE_LUT_TC_PRE_IN_INT8] = g->int8_tables;
			in[PE_LUT_TC_PRE_ACT] = a;
			issued++;
		}
		ops->step(st, in, out);
		t++;
		if (out[0]) {
			struct table *tb = &R->tab[got++];
			tb->t0 = out[1];
			tb->t1 = out[2];
			tb->scale = (uint16_t)out[3];
			tb->asum = (uint16_t)out[4];
		}
	}
	r->pre_cycles = t;
	{
		const struct pe_lut_tc_actions *a = pe_lut_tc_pre_actions(st);
		r->act.tables = a->tables;
		r->act.pre_adds = a->pre_adds;
		r->act.pre_quant = a->pre_quant;
	}
	free(st);
	return PS_OK;
}

/* The tile's inputs for one plane: tables of the m-block's rows, the
 * n-block's folded weight nibbles of chunk c at bit b. */
static void plane_inputs(const struct run *R, uint64_t mb, uint64_t nb,
			 uint64_t c, unsigned b, uint64_t *in)
{
	const struct pe_lut_tc_gemm *g = R->g;
	for (int i = 0; i < M; i++) {
		uint64_t row = mb * M + (uint64_t)i;
		const struct table *tb = row < g->m ? &R->tab[row * R->kc + c] : NULL;
		if (!tb)
			continue;	/* absent row: a table of +0 */
		if (g->int8_tables) {
			in[PE_LUT_TC_TBL_0 + i] = tb->t0;
			in[PE_LUT_TC_TSCALE] |= (uint64_t)tb->scale << (16 * i);
		} else {
			in[PE_LUT_TC_TBL_0 + 2 * i] = tb->t0;
			in[PE_LUT_TC_TBL_0 + 2 * i + 1] = tb->t1;
		}
	}
	for (int q = 0; q < N / 16; q++) {
		uint64_t w = 0, s;
		for (int i = 0; i < 16; i++) {
			uint64_t col = nb * N + (uint64_t)(16 * q + i), x;
			if (col >= g->n)
				break;
			/* bit b of the 4 codes (one per byte) gathered into a
			 * nibble by one multiply: byte j's bit lands on bit 24+j */
			x = (R->c4[col * R->kc + c] >> b) & 0x01010101u;
			w |= ((x * 0x01020408u >> 24) & 15) << (4 * i);
		}
		/* offline fold, 16 nibbles at once: invert bits 2..0 where
		 * the sign bit 3 is 0 */
		s = (w >> 3) & 0x1111111111111111ull;
		w ^= (s ^ 0x1111111111111111ull) * 7;
		in[PE_LUT_TC_W_0 + q] = w;
	}
}

/* Output stage, per accumulator read: y = s' (P - z' S), out += y. */
static void output_word(struct run *R, const struct seg *sg, unsigned word,
			uint64_t data)
{
	const struct pe_lut_tc_gemm *g = R->g;
	for (unsigned j = 0; j < 4; j++) {
		unsigned i = 4 * word + j;
		uint64_t row = sg->mb * M + i / N, col = sg->nb * N + i % N;
		uint16_t d = (uint16_t)(data >> (16 * j));
		if (row >= g->m || col >= g->n)
			continue;
		if (g->zero) {
			uint16_t z = fmt_f16_from_f64(g->zero[col * R->ngroups + sg->g]);
			uint16_t t = pe_f16_mul(z, R->S[row * R->ngroups + sg->g]);
			d = pe_f16_add(d, pe_f16_neg(t));
		}
		if (g->scale)
			d = pe_f16_mul(g->scale[col * R->ngroups + sg->g], d);
		R->out[row * g->n + col] = pe_f16_add(R->out[row * g->n + col], d);
	}
}

/* Phase 2: the controller around the stepped tile. */
static enum ps_status run_mm(struct run *R, struct pe_lut_tc_run *r)
{
	const struct pe_lut_tc_gemm *g = R->g;
	const struct pe_bt_ops *ops = &pe_lut_tc_tile_bt;
	const unsigned W = g->w_bits;
	uint64_t in[PE_LUT_TC_TILE_NIN], out[2];
	uint64_t passes = R->mblocks * R->nblocks;
	uint64_t p = 0, grp = 0, c = 0, t = 0, rd_start = 0;
	unsigned b = 0;
	int64_t last_e = INT64_MIN / 2;
	struct seg fifo[4];
	unsigned fh = 0, fn = 0;
	bool reading = false, started = false;
	void *st = malloc(ops->state_size);

	if (!st)
		return PS_ENOMEM;
	ops->init(st, NULL, NULL);
	pe_lut_tc_tile_set_faults(st, g->faults);
	for (;;) {
		bool more = p < passes;
		memset(in, 0, sizeof in);
		if (more) {
			uint64_t c0 = grp * R->gc, nch = R->kc - c0 < R->gc ? R->kc - c0 : R->gc;
			bool seg_start = c == 0 && b == 0;
			/* the segment's last plane commits at t + P + 1 */
			if (seg_start && (int64_t)(t + nch * W + 1) < last_e + D) {
				r->act.stall_cycles += started;
			} else {
				struct seg sg = { p % R->mblocks, p / R->mblocks, grp };
				bool clast = b == W - 1, last = clast && c == nch - 1;
				plane_inputs(R, sg.mb, sg.nb, c0 + c, b, in);
				in[PE_LUT_TC_IN_VALID] = 1;
				in[PE_LUT_TC_IN_CLR] = seg_start;
				in[PE_LUT_TC_IN_CLAST] = clast;
				in[PE_LUT_TC_IN_LAST] = last;
				in[PE_LUT_TC_IN_INT8] = g->int8_tables;
				in[PE_LUT_TC_IN_BITPOS] = b;
				started = true;
				if (last) {
					fifo[(fh + fn++) % 4] = sg;
					last_e = (int64_t)t + PE_LUT_TC_TILE_DEPTH - 1;
				}
				if (++b == W) {
					b = 0;
					if (++c == nch) {
						c = 0;
						if (++grp == R->ngroups) {
							grp = 0;
							p++;
						}
					}
				}
			}
		} else if (!reading && !fn) {
			break;
		}
		if (reading)
			in[PE_LUT_TC_RD_ADDR] = t - rd_start;
		ops->step(st, in, out);
		if (reading) {
			unsigned word = (unsigned)(t - rd_start);
			output_word(R, &fifo[fh], word, out[0]);
			r->act.rd_words++;
			if (word == D - 1) {
				reading = false;
				fh = (fh + 1) % 4;
				fn--;
			}
		}
		if (out[1]) {
			reading = true;
			rd_start = t + 1;
		}
		t++;
	}
	r->mm_cycles = t;
	{
		const struct pe_lut_tc_actions *a = pe_lut_tc_tile_actions(st);
		r->act.planes = a->planes;
		r->act.lookups = a->lookups;
		r->act.acc_adds = a->acc_adds;
		r->act.int_adds = a->int_adds;
		r->act.dq_muls = a->dq_muls;
		r->act.shadow_loads = a->shadow_loads;
	}
	free(st);
	return PS_OK;
}

enum ps_status pe_lut_tc_run_gemm(const struct pe_lut_tc_gemm *g, uint16_t *out,
				  struct pe_lut_tc_run *r, struct ps_err *err)
{
	struct run R = { .g = g, .out = out };
	enum ps_status st;

	if (!g || !out || !r)
		return ps_errf(err, PS_EINPUT, "lut_tc gemm: NULL argument");
	if ((st = check(g, err)))
		return st;
	memset(r, 0, sizeof *r);
	R.kc = cdiv(g->k, K);
	R.gc = g->group ? g->group / K : R.kc;
	if (R.gc > R.kc)
		R.gc = R.kc;
	R.ngroups = cdiv(R.kc, R.gc);
	R.mblocks = cdiv(g->m, M);
	R.nblocks = cdiv(g->n, N);
	R.tab = calloc(g->m * R.kc, sizeof *R.tab);
	R.c4 = calloc(g->n * R.kc, sizeof *R.c4);
	R.S = calloc(g->m * R.ngroups, sizeof *R.S);
	if (!R.tab || !R.c4 || !R.S) {
		st = ps_errf(err, PS_ENOMEM, "lut_tc gemm: out of memory");
		goto done;
	}
	for (uint64_t col = 0; col < g->n; col++)
		for (uint64_t k = 0; k < g->k; k++)
			R.c4[col * R.kc + k / K] |= (uint32_t)g->codes[col * g->k + k]
						    << (8 * (k % K));
	if ((st = run_pre(&R, r))) {
		ps_errf(err, st, "lut_tc gemm: out of memory");
		goto done;
	}
	/* the output stage's S[row][g]: FP16 sum of the group's table asum
	 * entries in chunk order, from +0 */
	for (uint64_t row = 0; row < g->m; row++)
		for (uint64_t c = 0; c < R.kc; c++) {
			uint16_t *s = &R.S[row * R.ngroups + c / R.gc];
			*s = pe_f16_add(*s, R.tab[row * R.kc + c].asum);
		}
	memset(out, 0, g->m * g->n * sizeof *out);
	if ((st = run_mm(&R, r)))
		ps_errf(err, st, "lut_tc gemm: out of memory");
done:
	free(R.tab);
	free(R.c4);
	free(R.S);
	return st;
}

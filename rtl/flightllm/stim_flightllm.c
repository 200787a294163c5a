/* stim_flightllm.c - `pesim verify` stimulus of FlightLLM's CSD chain
 * (rtl/flightllm/flightllm_chain.v, golden model "flightllm_chain",
 * pe_models/flightllm/pe_flightllm_chain.c).
 *
 * Every output (y_0..y_15, out_valid) is compared after every edge, valid
 * wave or not: the chain's datapath runs on whatever is on the ports, so
 * bubbles carry garbage everywhere. Fields past the chain's depth (upper
 * weight, index and rn_brk bits) and the code bits above WBITS are always
 * random: they must be ignored.
 *
 * Corners, after the reset edge:
 *   triples   216 waves: every (x0, x1, w) of the extremes {-128, -127, -1,
 *             0, 1, 127} x the weight codes {-2^(b-1) (the reserved code),
 *             -(2^(b-1)-1), -1, 0, 1, 2^(b-1)-1} at every DSP, each DG its
 *             own group (packing and the +P[17] correction)
 *   codes     2^WBITS waves: every code at every DSP (decode unit)
 *   mux       16 waves: every index at every DSP, distinct pairs (sparse MUX)
 *   breaks    every rn_brk pattern of the DG boundaries (at most 256)
 *   overflow  streams of one group over the whole chain with same-sign
 *             extreme products, and mixed signs (low-lane borrow), so the low
 *             lane reaches its bound (and wraps at WBITS = 8 without OAU, a
 *             defined if wrong result) and the OAU moves it
 *   drain     in_valid toggling with garbage, the pipeline emptied
 * Random edges: segments of waves of random length, bubble rate, operand
 * regime (uniform, extremes, overflow-prone), rn_brk regime (random per
 * wave, the N:16 split the array uses for N = 2..16, one group, every DG,
 * a fixed pattern) and index regime; stretches of every port random; a
 * reset now and then. With a GEMM (a bit-true trace's operands) the valid
 * waves are that GEMM's, in the order pe_flightllm_run_gemm_to feeds one
 * chain (gemm_bt): token pair, 16-block of K, channel batch, slice;
 * activations quantized per token to INT8 as gemm_bt does, the weight
 * codes re-encoded for WBITS (sign-extended, as the decode unit reads them). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "flightllm/pe_flightllm.h"
#include "stim_flightllm.h"

static const int8_t act_ext[6] = { -128, -127, -1, 0, 1, 127 };

enum { SEG_WAVES, SEG_CHAOS };

struct stim {
	uint64_t s;
	uint32_t D, wb, ndg;
	uint8_t wmask;
	int8_t wmin, wmax;		/* the code range: -2^(b-1) .. 2^(b-1)-1 */
	/* corners: phase lengths */
	uint64_t n_trip, n_codes, n_mux, n_brk, n_ovf, n_drain;
	/* random segment */
	int seg;
	uint64_t left;
	unsigned bubble_pct;
	int a_reg, w_reg, brk_reg, idx_reg;
	uint16_t brk_fixed;
	/* trace operands */
	const struct pe_gemm *g;
	int8_t *qa;			/* [M, K] INT8 activations */
	uint8_t *wc;			/* dense [N, K] or kept [N, blocks, nm_n]
					 * codes, re-encoded for WBITS */
	uint32_t nm_n;
	uint64_t nb, cpw, slices, batches, pairs;
	uint64_t pr, blk, bt, sl;	/* the next wave */
	struct pe_flightllm_wave gw;	/* the last one (run_gemm_to keeps the
					 * indices of zeroed slots) */
};

static uint8_t code_of(const struct stim *st, int v)
{
	return (uint8_t)((unsigned)v & st->wmask);
}

/* A weight byte: the code in the low WBITS bits, garbage above. */
static uint8_t wbyte(struct stim *st, int v)
{
	return (uint8_t)(code_of(st, v) | (rtl_stim_rnd(&st->s) & ~(uint64_t)st->wmask));
}

static int8_t w_ext(const struct stim *st, unsigned i)
{
	const int v[6] = { st->wmin, -st->wmax, -1, 0, 1, st->wmax };
	return (int8_t)v[i % 6];
}

/* Garbage in every field, then the caller fills the chain's. */
static void garbage(struct stim *st, struct pe_flightllm_wave *w)
{
	uint64_t r = rtl_stim_rnd(&st->s);
	w->vld = r & 1;
	w->rn_brk = (uint16_t)(r >> 8);
	for (int j = 0; j < PE_FL_M; j++)
		w->act[j] = (uint16_t)rtl_stim_rnd(&st->s);
	for (int k = 0; k < PE_FL_MAX_DEPTH; k++) {
		r = rtl_stim_rnd(&st->s);
		w->w[k] = (uint8_t)r;
		w->idx[k] = (uint8_t)((r >> 8) & 15);
	}
}

/* rn_brk: the chain's DG-boundary bits b, garbage elsewhere. */
static uint16_t brk_bits(struct stim *st, uint32_t b)
{
	uint16_t m = (uint16_t)((1u << (st->ndg - 1)) - 1);
	return (uint16_t)((rtl_stim_rnd(&st->s) & ~(uint64_t)m) | (b & m));
}

static uint16_t pair(int x0, int x1)
{
	return (uint16_t)(((unsigned)x1 & 0xff) << 8 | ((unsigned)x0 & 0xff));
}

static enum ps_status stim_init(void *s, const struct pe_params *p,
				uint64_t seed, struct ps_err *err)
{
	struct stim *st = s;

	if (p->lanes < 2 || p->lanes > PE_FL_MAX_DEPTH || p->lanes % 2 ||
	    pe_code_bits(p) < 2 || pe_code_bits(p) > 8)
		return ps_errf(err, PS_EINPUT, "flightllm: lanes %u, %u-bit codes: "
			       "not a chain configuration", p->lanes, pe_code_bits(p));
	st->s = seed;
	st->D = p->lanes;
	st->wb = pe_code_bits(p);
	st->ndg = st->D / 2;
	st->wmask = (uint8_t)((1u << st->wb) - 1);
	st->wmax = (int8_t)((1 << (st->wb - 1)) - 1);
	st->wmin = (int8_t)(-st->wmax - 1);
	st->n_trip = 216;
	st->n_codes = 1ull << st->wb;
	st->n_mux = PE_FL_M;
	st->n_brk = st->ndg - 1 > 8 ? 256 : 1ull << (st->ndg - 1);
	st->n_ovf = 6 * (2ull * st->D + 8);
	st->n_drain = st->D + 8;
	return PS_OK;
}

static uint64_t stim_corner_edges(const void *s)
{
	const struct stim *st = s;
	return st->n_trip + st->n_codes + st->n_mux + st->n_brk + st->n_ovf +
	       st->n_drain;
}

/* The overflow streams: one group over the chain, products of one sign
 * (both lanes at their bound) or the low lane negative (the borrow). */
static void overflow_wave(struct stim *st, uint64_t i, struct pe_flightllm_wave *w)
{
	uint64_t len = 2ull * st->D + 8, kind = i / len;
	static const int xs[6][2] = {
		{ -128, -128 }, { 127, 127 }, { -128, 127 }, { 127, -128 },
		{ -128, -128 }, { -127, 127 },
	};
	w->vld = true;
	w->rn_brk = brk_bits(st, 0);
	for (int j = 0; j < PE_FL_M; j++)
		w->act[j] = pair(xs[kind][0], xs[kind][1]);
	for (uint32_t k = 0; k < st->D; k++) {
		int v = kind == 0 || kind == 3 ? st->wmin : kind == 4 ?
			(k & 1 ? st->wmax : st->wmin) : st->wmax;
		w->w[k] = wbyte(st, v);
		w->idx[k] = (uint8_t)(k % PE_FL_M);
	}
}

static bool stim_corner(void *s, uint64_t i, uint64_t *in)
{
	struct stim *st = s;
	struct pe_flightllm_wave w;

	garbage(st, &w);
	if (i < st->n_trip) {		/* (x0, x1) = combo i % 36, w = i / 36 + k */
		w.vld = true;
		w.rn_brk = brk_bits(st, 0xffff);
		for (int j = 0; j < PE_FL_M; j++)
			w.act[j] = pair(act_ext[i % 6], act_ext[i / 6 % 6]);
		for (uint32_t k = 0; k < st->D; k++) {
			w.w[k] = wbyte(st, w_ext(st, (unsigned)(i / 36 + k)));
			w.idx[k] = (uint8_t)(k % PE_FL_M);
		}
		goto out;
	}
	i -= st->n_trip;
	if (i < st->n_codes) {		/* every code at every DSP */
		w.vld = true;
		for (uint32_t k = 0; k < st->D; k++)
			w.w[k] = (uint8_t)(((i + k) & st->wmask) |
					   (w.w[k] & ~st->wmask));
		goto out;
	}
	i -= st->n_codes;
	if (i < st->n_mux) {		/* every index at every DSP */
		w.vld = true;
		for (int j = 0; j < PE_FL_M; j++)
			w.act[j] = pair(7 * j - 60, 100 - 13 * j);
		for (uint32_t k = 0; k < st->D; k++) {
			w.idx[k] = (uint8_t)((i + 3 * k) % PE_FL_M);
			w.w[k] = wbyte(st, k & 1 ? st->wmax : st->wmin);
		}
		goto out;
	}
	i -= st->n_mux;
	if (i < st->n_brk) {		/* every DG-boundary pattern */
		w.vld = true;
		w.rn_brk = brk_bits(st, (uint32_t)i);
		goto out;
	}
	i -= st->n_brk;
	if (i < st->n_ovf) {
		overflow_wave(st, i, &w);
		goto out;
	}
	/* drain: in_valid toggling, garbage */
	w.vld = i & 1;
out:
	pe_flightllm_wave_pack(&w, in);
	return false;
}

/* ---- random segments ---- */

static void new_segment(struct stim *st)
{
	static const unsigned pct[] = { 0, 0, 10, 50 };
	uint64_t r = rtl_stim_rnd(&st->s);

	if (r % 20 == 0) {
		st->seg = SEG_CHAOS;
		st->left = 1 + (r >> 8) % 64;
		return;
	}
	st->seg = SEG_WAVES;
	st->left = (r >> 8) % 30 == 0 ? 100 + (r >> 16) % 400 :
		   1 + (r >> 16) % (3 * st->D);
	st->bubble_pct = pct[(r >> 28) % 4];
	st->a_reg = (int)((r >> 32) % 4);
	st->w_reg = (int)((r >> 36) % 3);
	st->brk_reg = (int)((r >> 40) % 5);
	st->idx_reg = (int)((r >> 44) % 3);
	st->brk_fixed = (uint16_t)(r >> 48);
}

/* An activation: 0 uniform, 1 extremes, 2 uniform with 1/4 extremes, 3
 * large of one sign (overflow-prone; the segment's sign in bit 0 of r). */
static int rand_act(struct stim *st, int neg)
{
	uint64_t r = rtl_stim_rnd(&st->s);
	switch (st->a_reg) {
	case 1:
		return act_ext[r % 6];
	case 2:
		return r % 4 ? (int8_t)(r >> 8) : act_ext[(r >> 16) % 6];
	case 3:
		return neg ? -128 + (int)(r % 24) : 127 - (int)(r % 24);
	default:
		return (int8_t)(r >> 8);
	}
}

/* A weight value: 0 uniform over the codes, 1 extremes, 2 the largest
 * magnitudes (overflow-prone). */
static int rand_w(struct stim *st, int neg)
{
	uint64_t r = rtl_stim_rnd(&st->s);
	switch (st->w_reg) {
	case 1:
		return w_ext(st, (unsigned)(r % 6));
	case 2:
		return neg ? st->wmin + (int)(r % 2) : st->wmax - (int)(r % 2);
	default:
		return st->wmin + (int)(r % (st->wmask + 1u));
	}
}

/* rn_brk of a segment's wave: 0 random, 1 the array's N:16 split (groups
 * of N DSPs, N = 2..16 not above the depth), 2 one group, 3 every DG, 4
 * the segment's pattern. */
static uint16_t rand_brk(struct stim *st)
{
	uint64_t r = rtl_stim_rnd(&st->s);
	uint32_t b = 0;
	switch (st->brk_reg) {
	case 1: {
		uint32_t n = 2u << (r % 4);
		if (n > st->D)
			n = 2;
		for (uint32_t j = 0; j < st->D / n; j++)
			b |= 1u << ((j + 1) * n / 2 - 1);
		break;
	}
	case 2:
		b = 0;
		break;
	case 3:
		b = 0xffff;
		break;
	case 4:
		b = st->brk_fixed;
		break;
	default:
		b = (uint32_t)(r >> 16);
	}
	return brk_bits(st, b);
}

static void random_wave(struct stim *st, struct pe_flightllm_wave *w)
{
	uint64_t r = rtl_stim_rnd(&st->s);
	int neg = (int)(r & 1), wneg = (int)((r >> 1) & 1);

	w->vld = true;
	w->rn_brk = rand_brk(st);
	for (int j = 0; j < PE_FL_M; j++)
		w->act[j] = pair(rand_act(st, neg), rand_act(st, neg ^ ((r >> 2) & 1)));
	for (uint32_t k = 0; k < st->D; k++) {
		w->w[k] = wbyte(st, rand_w(st, wneg));
		if (st->idx_reg == 1)
			w->idx[k] = (uint8_t)(k % PE_FL_M);
	}
}

/* ---- trace operands: the waves of pe_flightllm_run_gemm_to, one chain ---- */

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* The kept slots s0 .. s0 + len - 1 of channel ch in block b (as the
 * model's fill(): code 0 and index 0 for an empty slot). */
static void gemm_fill(const struct stim *st, uint64_t ch, uint64_t b,
		      uint32_t s0, uint32_t len, uint8_t *w, uint8_t *idx)
{
	const struct pe_gemm *g = st->g;
	uint32_t N = st->nm_n;

	if (N == PE_FL_M) {
		uint64_t k0 = b * PE_FL_M + s0;
		for (uint32_t i = 0; i < len; i++) {
			bool in = k0 + i < g->K;
			w[i] = in ? st->wc[ch * g->K + k0 + i] : 0;
			idx[i] = in ? (uint8_t)(s0 + i) : 0;
		}
		return;
	}
	uint64_t blk = ch * st->nb + b;
	const uint8_t *mt = g->nm_meta + blk * g->nm_stride;
	const uint8_t *v = st->wc + blk * N;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t j = s0 + i;
		bool in = j < mt[0];
		w[i] = in ? v[j] : 0;
		idx[i] = in ? (uint8_t)((mt[1 + j / 2] >> (4 * (j & 1))) & 15) : 0;
	}
}

/* The next wave, exactly as run_gemm_to builds it for chain 0 (one wave
 * struct updated in place: slots it zeroes keep their last index). */
static void gemm_wave(struct stim *st, struct pe_flightllm_wave *out)
{
	const struct pe_gemm *g = st->g;
	struct pe_flightllm_wave *w = &st->gw;
	uint32_t N = st->nm_n, D = st->D;
	uint64_t base = st->bt * st->cpw, t0 = 2 * st->pr;

	for (uint32_t j = 0; j < PE_FL_M; j++) {
		uint64_t kk = st->blk * PE_FL_M + j;
		int x0 = kk < g->K ? st->qa[t0 * g->K + kk] : 0;
		int x1 = kk < g->K && t0 + 1 < g->M ? st->qa[(t0 + 1) * g->K + kk] : 0;
		w->act[j] = pair(x0, x1);
	}
	w->vld = false;
	if (N <= D) {
		w->rn_brk = 0;
		for (uint64_t j = 0; j < st->cpw; j++) {
			w->rn_brk |= (uint16_t)(1u << ((j + 1) * N / 2 - 1));
			if (base + j >= g->N) {
				memset(&w->w[j * N], 0, N);
				continue;
			}
			w->vld = true;
			gemm_fill(st, base + j, st->blk, 0, N, &w->w[j * N], &w->idx[j * N]);
		}
	} else {
		uint32_t s0 = (uint32_t)st->sl * D;
		uint32_t len = N - s0 < D ? N - s0 : D;
		w->rn_brk = (uint16_t)(1u << (len / 2 - 1));
		memset(w->w + len, 0, D - len);
		if (base < g->N) {
			w->vld = true;
			gemm_fill(st, base, st->blk, s0, len, w->w, w->idx);
		} else {
			memset(w->w, 0, len);
		}
	}
	*out = *w;
	/* the next wave: slice, batch, block, pair (outermost last) */
	if (++st->sl < st->slices)
		return;
	st->sl = 0;
	if (++st->bt < st->batches)
		return;
	st->bt = 0;
	if (++st->blk < st->nb)
		return;
	st->blk = 0;
	if (++st->pr == st->pairs)
		st->pr = 0;
}

static bool stim_random(void *s, uint64_t *in)
{
	struct stim *st = s;
	struct pe_flightllm_wave w;
	uint64_t r = rtl_stim_rnd(&st->s);

	garbage(st, &w);
	if (r % 4000 == 0) {		/* reset, garbage on the ports */
		pe_flightllm_wave_pack(&w, in);
		return true;
	}
	if (!st->left)
		new_segment(st);
	st->left--;
	if (st->seg == SEG_CHAOS || (r >> 20) % 100 < st->bubble_pct) {
		if (st->seg != SEG_CHAOS)
			w.vld = false;	/* a bubble: garbage elsewhere */
	} else if (st->g) {
		gemm_wave(st, &w);
	} else {
		random_wave(st, &w);
	}
	pe_flightllm_wave_pack(&w, in);
	return false;
}

static enum ps_status stim_use_gemm(void *s, const struct pe_gemm *g,
				    struct ps_err *err)
{
	struct stim *st = s;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	uint64_t nw;
	unsigned b;

	if (!g->M || !g->N || !g->K || !g->a)
		return ps_errf(err, PS_EINPUT, "flightllm: an empty GEMM");
	if (!d || d->kind != FMT_K_INT || d->layout != FMT_L_TWOS ||
	    d->activation || !(g->nm_meta ? g->nm_vals : g->codes))
		return ps_errf(err, PS_EINPUT, "flightllm: the trace's weights must "
			       "be symmetric INT codes (nm<N>of16-int<b>, int<b>), not %s",
			       d ? d->name : "per-group formats or FP16");
	b = (unsigned)d->bits;
	if (b > st->wb)
		return ps_errf(err, PS_EINPUT, "flightllm: the trace's %s codes do "
			       "not fit this build's %u-bit decode unit", d->name, st->wb);
	if (g->nm_meta && (g->nm_m != PE_FL_M || g->nm_stride < 2 ||
			   g->nm_stride > 1 + PE_FL_M / 2))
		return ps_errf(err, PS_EINPUT, "flightllm: N:M with M = %u; the "
			       "sparse MUX takes M = 16", g->nm_m);
	st->g = g;
	memset(&st->gw, 0, sizeof st->gw);
	st->nm_n = g->nm_meta ? (uint32_t)(2 * (g->nm_stride - 1)) : PE_FL_M;
	st->nb = cdiv(g->K, PE_FL_M);
	if (st->nm_n <= st->D) {
		st->cpw = st->D / st->nm_n;
		st->slices = 1;
	} else {
		st->cpw = 1;
		st->slices = cdiv(st->nm_n, st->D);
	}
	st->batches = cdiv(g->N, st->cpw);
	st->pairs = cdiv(g->M, 2);
	nw = g->nm_meta ? g->N * st->nb * st->nm_n : g->N * g->K;
	st->qa = malloc(g->M * g->K);
	st->wc = malloc(nw);
	if (!st->qa || !st->wc)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t i = 0; i < nw; i++) {	/* b-bit code -> WBITS-bit code */
		const uint8_t *src = g->nm_meta ? g->nm_vals : g->codes;
		unsigned sign = 1u << (b - 1), c = src[i] & ((1u << b) - 1);
		st->wc[i] = code_of(st, (int)(c ^ sign) - (int)sign);
	}
	return pe_flightllm_quant_acts(g, st->qa, NULL, err);
}

static void stim_fini(void *s)
{
	struct stim *st = s;
	free(st->qa);
	free(st->wc);
}

RTL_STIM_OPS(flightllm_chain_stim, struct stim, stim_init, stim_fini, stim_);

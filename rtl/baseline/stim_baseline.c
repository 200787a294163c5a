/* stim_baseline.c - `pesim verify` stimulus of the baseline MAC PEs
 * (rtl/baseline/, golden models fp16_mac and int8_mac, and their
 * four-lane DP4 units fp16_dp4_mac and int8_dp4_mac, pe_params.lanes = 4:
 * every lane of a beat drawn alike, the corner pair rotated over the
 * lanes, the GEMM's K four elements a beat): one reset edge,
 * directed corners, two beats per dot (FP16: every special as accumulator,
 * then every special pair as a x w, 27,648 edges; INT8: -128 x -128, then
 * every (a, w) pair, 131,072 edges); then random edges: dots of random
 * length and operand regime (FP16 subnormal/huge/special operands, INT8
 * -128/127/-127 often), bubbles with garbage on the ignored inputs,
 * stretches of fully random in_valid/in_last/data, rare resets, for INT8
 * one dot of 2^17 products -128 x -128 (wraps to INT32_MIN). With a GEMM
 * (a bit-true trace's operands) the dots' operands are its rows: FP16
 * activations x FP16 weights, or INT8 activations (quantized per tensor,
 * as pe_baseline_gemm.c does) x the INT8 weight codes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "stim_baseline.h"

/* The baseline protocol (pe_models/baseline/README.md), in port order. */
enum { IN_VALID, IN_LAST, IN_A, IN_W };

struct stim {
	uint64_t s;
	/* trace operands (use_gemm) */
	const struct pe_gemm *g;
	int8_t *a8, *w8;		/* INT8: quantized activations, weights */
	struct rtl_stim_walk w;
	bool fp16;
	unsigned lanes;		/* elements per beat: 1, or 4 (a DP4) */
	uint64_t a_mask, w_mask;	/* one port */
	struct rtl_stim_dots d;
	int regime;
	bool long_dot;		/* the INT8 wrap dot is running */
	bool long_done;
};

static void new_dot(struct stim *st)
{
	uint64_t r = rtl_stim_rnd(&st->s);

	if (!st->fp16 && !st->long_done && r % 997 == 0) {
		st->long_dot = true;
		st->long_done = true;
		st->d.left = 1ull << 17;
		st->d.bubble_pct = 0;
		return;
	}
	st->long_dot = false;
	/* of 16 dots: 6 body, 3 tiny, 1 huge, 2 subnormal, 1 raw, 3 mixed */
	if (rtl_stim_dot_start(&st->d, r))
		st->regime = "0000001112334555"[(r >> 24) % 16] - '0';
}

/* st->lanes random operands, packed (lane i at bits [bits*i +: bits]):
 * FP16 of `regime` (rtl_stim_f16), or INT8. */
static uint64_t pack(struct stim *st, int regime)
{
	unsigned bits = st->fp16 ? 16 : 8;
	uint64_t v = 0;
	for (unsigned i = 0; i < st->lanes; i++)
		v |= (uint64_t)(st->fp16 ? rtl_stim_f16(&st->s, regime) :
					   (uint8_t)rtl_stim_i8(&st->s)) << bits * i;
	return v;
}

static uint64_t corner_edges(const struct stim *st)
{
	return st->fp16 ? 2ull * RTL_STIM_N_F16_SPECIAL * RTL_STIM_N_F16_SPECIAL * RTL_STIM_N_F16_SPECIAL : 2ull << 16;
}

static void corner_inputs(const struct stim *st, uint64_t i, uint64_t *in)
{
	uint64_t dot = i / 2;

	in[IN_VALID] = 1;
	in[IN_LAST] = i & 1;
	in[IN_A] = in[IN_W] = 0;
	/* lane l of a DP4 takes the pair l steps on, so every lane sees
	 * every pair; the first beat puts the accumulator's value in lane 0
	 * (x 1.0, or -128 x -128), the other lanes' products 0 */
	for (unsigned l = 0; l < st->lanes; l++) {
		uint64_t d = (dot + 7 * l) % (corner_edges(st) / 2);
		uint64_t a, w;
		if (st->fp16) {
			uint64_t n = RTL_STIM_N_F16_SPECIAL, ia = d % n, iw = d / n % n,
				 ic = d / n / n;
			a = i & 1 ? rtl_stim_f16_special[ia] : l ? 0 : rtl_stim_f16_special[ic];
			w = i & 1 ? rtl_stim_f16_special[iw] : 0x3c00;
			in[IN_A] |= a << 16 * l;
			in[IN_W] |= w << 16 * l;
		} else {
			a = i & 1 ? d & 0xff : l ? 0 : 0x80;
			w = i & 1 ? d >> 8 & 0xff : 0x80;
			in[IN_A] |= a << 8 * l;
			in[IN_W] |= w << 8 * l;
		}
	}
}

/* Inputs of one random edge; returns whether rst is asserted. */
static bool next_inputs(struct stim *st, uint64_t *in)
{
	uint64_t r = rtl_stim_rnd(&st->s);

	if (r % 20000 == 0 && !(st->long_dot && st->d.left)) {
		in[IN_VALID] = (r >> 20) & 1;
		in[IN_LAST] = (r >> 21) & 1;
		in[IN_A] = (r >> 24) & st->a_mask;
		in[IN_W] = (r >> 40) & st->w_mask;
		return true;
	}
	if (!st->d.left && !st->d.chaos)
		new_dot(st);
	if (st->d.chaos) {
		st->d.chaos--;
		in[IN_VALID] = (r >> 20) & 1;
		in[IN_LAST] = (r >> 21) & 1;
		in[IN_A] = pack(st, 5);
		in[IN_W] = pack(st, 5);
		return false;
	}
	if ((r >> 24) % 100 < st->d.bubble_pct) {	/* bubble: garbage elsewhere */
		in[IN_VALID] = 0;
		in[IN_LAST] = (r >> 20) & 1;
		in[IN_A] = (r >> 32) & st->a_mask;
		in[IN_W] = (r >> 48) & st->w_mask;
		return false;
	}
	in[IN_VALID] = 1;
	in[IN_LAST] = --st->d.left == 0;
	if (st->long_dot) {
		in[IN_A] = st->a_mask & 0x8080808080808080ull;
		in[IN_W] = st->w_mask & 0x8080808080808080ull;
	} else {
		in[IN_A] = pack(st, st->regime);
		in[IN_W] = pack(st, st->regime);
	}
	return false;
}

/* The next trace operands (a, w), `lanes` elements of a dot (zeros past
 * its end), and whether the dot ends. */
static bool gemm_operands(struct stim *st, uint64_t *a, uint64_t *w)
{
	const struct pe_gemm *g = st->g;
	unsigned bits = st->fp16 ? 16 : 8;
	bool end = false;

	*a = *w = 0;
	for (unsigned l = 0; l < st->lanes && !end; l++) {
		uint64_t ia, iw;
		end = rtl_stim_gemm_next(&st->w, g, &ia, &iw);
		*a |= (st->fp16 ? g->a[ia] : (uint64_t)(uint8_t)st->a8[ia]) << bits * l;
		*w |= (st->fp16 ? g->w_f16[iw] : (uint64_t)(uint8_t)st->w8[iw]) << bits * l;
	}
	return end;
}

static enum ps_status stim_init(void *s, const struct pe_params *p,
				uint64_t seed, struct ps_err *err)
{
	struct stim *st = s;
	(void)err;
	st->s = seed;
	st->fp16 = p->a_bits == 16;
	st->lanes = p->lanes == 4 ? 4 : 1;
	st->a_mask = st->w_mask = st->lanes == 4 ? (st->fp16 ? ~0ull : 0xffffffffull) :
				  st->fp16 ? 0xffff : 0xff;
	return PS_OK;
}

static uint64_t stim_corner_edges(const void *s)
{
	return corner_edges(s);
}

static bool stim_corner(void *s, uint64_t i, uint64_t *in)
{
	corner_inputs(s, i, in);
	return false;
}

static bool stim_random(void *s, uint64_t *in)
{
	struct stim *st = s;
	bool rst = next_inputs(st, in);

	if (st->g && !rst && in[IN_VALID] && !st->d.chaos && !st->long_dot) {
		bool end = gemm_operands(st, &in[IN_A], &in[IN_W]);
		in[IN_LAST] = end;
		st->d.left = end ? 0 : st->g->K;	/* dots follow the GEMM's K */
	}
	return rst;
}

static enum ps_status stim_use_gemm(void *s, const struct pe_gemm *g,
				    struct ps_err *err)
{
	struct stim *st = s;
	uint64_t nk = g->N * g->K, mk = g->M * g->K;
	double mx;

	if (!g->M || !g->N || !g->K)
		return ps_errf(err, PS_EINPUT, "an empty GEMM");
	st->g = g;
	st->long_done = true;	/* no 2^17-beat dot: trace operands only */
	if (st->fp16) {
		if (!g->w_f16)
			return ps_errf(err, PS_EINPUT, "fp16_mac: the trace's weights "
				       "must stay FP16 (quant none)");
		return PS_OK;
	}
	if (!g->codes || g->fmt < 0 || fmt_get(g->fmt)->kind != FMT_K_INT)
		return ps_errf(err, PS_EINPUT, "int8_mac: the trace's weights must "
			       "be INT codes (quant int8 / int4)");
	st->a8 = malloc(mk);
	st->w8 = malloc(nk);
	if (!st->a8 || !st->w8)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t i = 0; i < nk; i++) {
		double v = fmt_decode(g->fmt, g->codes[i]);	/* NaN: reserved */
		st->w8[i] = (int8_t)(isnan(v) ? 0 : lrint(v));
	}
	mx = rtl_stim_f16_amax(g->a, mk);
	for (uint64_t i = 0; i < mk; i++) {
		double v = nearbyint(fmt_f16_to_f64(g->a[i]) / (mx > 0 ? mx / 127 : 1));
		st->a8[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : isnan(v) ? 0 : v);
	}
	return PS_OK;
}

static void stim_fini(void *s)
{
	struct stim *st = s;
	free(st->a8);
	free(st->w8);
}

RTL_STIM_OPS(baseline_mac_stim, struct stim, stim_init, stim_fini, stim_);

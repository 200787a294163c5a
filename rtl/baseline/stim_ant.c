/* stim_ant.c - `pesim verify` stimulus of the ANT baseline PE
 * (rtl/baseline/pe_ant_mac.v, golden model "ant_mac", pe_ant_bt.c: an
 * int4/flint4 code decoded to INT8, acc = RNE16(acc + a * q), fused).
 *
 * One reset edge, then directed corners, dots of two beats: the first sets
 * the accumulator to c (a = c times int4 code 1 = q 1, exact), the second
 * adds a * q for every FP16 special c (24) x every special a (24) x both
 * formats x all 16 codes (reserved int4 -8 and flint4 -0 included): 36,864
 * edges with NaN, inf x 0, inf - inf, subnormal and overflow cases. Then
 * random edges: dots of random length and operand regime (FP16 body, tiny
 * (subnormal products), huge (products and sums past 65504), subnormal,
 * raw bits, mixed with specials, and "cancel": each beat followed by its
 * negation, which leaves the rounding error of the first and tells a fused
 * from an unfused PE), codes drawn with +-16, -8 and 0 often, the format
 * per dot (as a GEMM gives it) or, now and then, per beat; bubbles with
 * garbage on the ignored inputs, stretches of fully random inputs on every
 * port, rare resets. With a GEMM (a bit-true trace's operands: FP16
 * activations, per-channel int4 or flint4 codes, quant flint4) the dots'
 * operands are its rows in pe_baseline_gemm.c's order (output (m, n) is the
 * dot of a[m, :] and codes[n, :], k in order), w_fmt its format. */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "stim_baseline.h"

/* The ant_mac ports (pe_ant_bt.c), in order. */
enum { IN_VALID, IN_LAST, IN_W_FMT, IN_A, IN_W };

#define CODE_ONE 1u	/* int4 code 0001: q = 1 */

enum { R_BODY = RTL_F16_BODY, R_TINY, R_HUGE, R_SUB, R_RAW, R_MIXED = RTL_F16_MIXED,
       R_SPECIAL = RTL_F16_SPECIAL, R_CANCEL };

/* An FP16 operand of a regime (rtl_stim_f16; cancel pairs draw body
 * values). */
static uint16_t rand_f16(uint64_t *s, int regime)
{
	return rtl_stim_f16(s, regime == R_CANCEL ? RTL_F16_BODY : regime);
}

/* A weight code: 1/4 of them the edges (x111: flint4 +-16, int4 7 / -1;
 * 1000: int4 -8, flint4 -0; 0000), else uniform. */
static uint8_t rand_code(uint64_t *s)
{
	static const uint8_t edge[] = { 7, 15, 8, 0 };
	uint64_t r = rtl_stim_rnd(s);
	return (r & 3) ? (uint8_t)((r >> 8) & 15) : edge[(r >> 8) % 4];
}

struct stim {
	uint64_t s;
	/* trace operands (use_gemm) */
	const struct pe_gemm *g;
	unsigned g_fmt;		/* w_fmt of the GEMM's codes */
	struct rtl_stim_walk w;
	struct rtl_stim_dots d;
	int regime;
	unsigned fmt;		/* the dot's w_fmt */
	bool fmt_per_beat;
	bool cancel_next;	/* R_CANCEL: the next beat negates the last */
	uint16_t last_a;
	uint8_t last_w;
	unsigned last_fmt;
};

static void new_dot(struct stim *st)
{
	uint64_t r = rtl_stim_rnd(&st->s);

	if (!rtl_stim_dot_start(&st->d, r))
		return;
	/* of 16 dots: 5 body, 2 tiny, 2 huge, 2 subnormal, 1 raw, 2 mixed,
	 * 2 cancel */
	st->regime = "0000011223345577"[(r >> 24) % 16] - '0';
	st->fmt = (r >> 40) & 1;
	st->fmt_per_beat = (r >> 41) % 8 == 0;
	st->cancel_next = false;
}

static void random_ports(uint64_t r, uint64_t *in)
{
	in[IN_VALID] = (r >> 20) & 1;
	in[IN_LAST] = (r >> 21) & 1;
	in[IN_W_FMT] = (r >> 22) & 1;
	in[IN_A] = (r >> 24) & 0xffff;
	in[IN_W] = (r >> 40) & 15;
}

/* Inputs of one random edge; returns whether rst is asserted. */
static bool next_inputs(struct stim *st, uint64_t *in)
{
	uint64_t r = rtl_stim_rnd(&st->s);

	if (r % 20000 == 0) {
		random_ports(r, in);
		return true;
	}
	if (!st->d.left && !st->d.chaos)
		new_dot(st);
	if (st->d.chaos) {
		st->d.chaos--;
		random_ports(rtl_stim_rnd(&st->s), in);
		in[IN_VALID] = (r >> 20) & 1;
		in[IN_LAST] = (r >> 21) & 1;
		in[IN_A] = rand_f16(&st->s, R_MIXED);
		return false;
	}
	if ((r >> 24) % 100 < st->d.bubble_pct) {	/* bubble: garbage elsewhere */
		random_ports(rtl_stim_rnd(&st->s), in);
		in[IN_VALID] = 0;
		return false;
	}
	in[IN_VALID] = 1;
	in[IN_LAST] = --st->d.left == 0;
	if (st->regime == R_CANCEL && st->cancel_next) {
		in[IN_A] = st->last_a ^ 0x8000;	/* - a * q: the same code */
		in[IN_W] = st->last_w;
		in[IN_W_FMT] = st->last_fmt;
		st->cancel_next = false;
		return false;
	}
	in[IN_A] = rand_f16(&st->s, st->regime);
	in[IN_W] = rand_code(&st->s);
	in[IN_W_FMT] = st->fmt_per_beat ? (r >> 48) & 1 : st->fmt;
	if (st->regime == R_CANCEL) {
		st->cancel_next = true;
		st->last_a = (uint16_t)in[IN_A];
		st->last_w = (uint8_t)in[IN_W];
		st->last_fmt = (unsigned)in[IN_W_FMT];
	}
	return false;
}

/* The next trace operands (a, code) and whether the dot ends. */
static bool gemm_operands(struct stim *st, uint64_t *a, uint64_t *w)
{
	uint64_t ia, iw;
	bool end = rtl_stim_gemm_next(&st->w, st->g, &ia, &iw);

	*a = st->g->a[ia];
	*w = st->g->codes[iw] & 15;
	return end;
}

static enum ps_status stim_init(void *s, const struct pe_params *p,
				uint64_t seed, struct ps_err *err)
{
	struct stim *st = s;
	(void)p;
	(void)err;
	st->s = seed;
	return PS_OK;
}

static uint64_t stim_corner_edges(const void *s)
{
	(void)s;
	return 2ull * RTL_STIM_N_F16_SPECIAL * RTL_STIM_N_F16_SPECIAL * 32;
}

static bool stim_corner(void *s, uint64_t i, uint64_t *in)
{
	uint64_t dot = i / 2;
	unsigned code = dot % 16, fmt = dot / 16 % 2;
	uint64_t ia = dot / 32 % RTL_STIM_N_F16_SPECIAL, ic = dot / 32 / RTL_STIM_N_F16_SPECIAL;

	(void)s;
	in[IN_VALID] = 1;
	in[IN_LAST] = i & 1;
	in[IN_W_FMT] = i & 1 ? fmt : 0;
	in[IN_A] = i & 1 ? rtl_stim_f16_special[ia] : rtl_stim_f16_special[ic];
	in[IN_W] = i & 1 ? code : CODE_ONE;
	return false;
}

static bool stim_random(void *s, uint64_t *in)
{
	struct stim *st = s;
	bool rst = next_inputs(st, in);

	if (st->g && !rst && in[IN_VALID] && !st->d.chaos) {
		bool end = gemm_operands(st, &in[IN_A], &in[IN_W]);
		in[IN_W_FMT] = st->g_fmt;
		in[IN_LAST] = end;
		st->d.left = end ? 0 : st->g->K;	/* dots follow the GEMM's K */
		st->regime = R_BODY;		/* no cancel pairs */
	}
	return rst;
}

static enum ps_status stim_use_gemm(void *s, const struct pe_gemm *g,
				    struct ps_err *err)
{
	struct stim *st = s;

	if (!g->M || !g->N || !g->K || !g->a)
		return ps_errf(err, PS_EINPUT, "an empty GEMM");
	if (!g->codes || (g->fmt != FMT_INT4 && g->fmt != FMT_FLINT4))
		return ps_errf(err, PS_EINPUT, "ant_mac: the trace's weights must "
			       "be int4 or flint4 codes (quant flint4)");
	st->g = g;
	st->g_fmt = g->fmt == FMT_FLINT4;
	return PS_OK;
}

RTL_STIM_OPS(ant_mac_stim, struct stim, stim_init, NULL, stim_);

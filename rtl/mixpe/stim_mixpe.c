/* stim_mixpe.c - stimulus of the MixPE PE and 4x4 array for `pesim verify`
 * (rtl_verify.h, struct rtl_stim_ops): the C rewrite of the standalone
 * lockstep harness's generator (README.md "Stimulus").
 *
 * Corners (directed, after the reset edge):
 *   PE     every (activation, weight code) product (INT8: all 256 x 16;
 *          FP16: every exponent with 8 significands, both signs, x 16),
 *          each a one-lane-group output with varied scale and zero; scale
 *          specials x D corner values; whole groups at the accumulators'
 *          bounds (INT8 -128 x -8 with extreme zero points, FP16 +-65504),
 *          one output of 4 groups, one group 3 x GROUP long (wraps); every
 *          ordered pair of the 16 control words (a de Bruijn sequence);
 *          every drain-chain input combination at every phase of a result
 *          load.
 *   array  GEMMs through the controller's schedule (pe_mixpe_feed): the
 *          extreme one (every a -128 or +-65504, every w -8), one with
 *          every weight code and every INT8 activation (FP16: specials),
 *          8x8 with k = LANES (passes wait for the drain), a ragged 5x7
 *          with a partial second group, and one with special scales.
 * Random edges, in segments of random kind and length:
 *   gemm   a random quantized GEMM (m, n 1..12 on the array, 1..3 on the
 *          PE; k up to 3 groups, 30 % up to 3 lane-groups) fed by
 *          pe_mixpe_feed; the PE gets a 1x1 array's schedule with idle
 *          edges (garbage on the data ports) and either the 1x1 array's
 *          drain wiring (sh_start = its own done of the last edge, from a
 *          shadow copy of the golden PE stepped with the same inputs) or
 *          random sh_*; the array's run is cut short now and then so the
 *          next GEMM overlaps the drain
 *   ctl    random control bits (groups without in_first, in_last without
 *          in_glast, idle edges) and random data with specials
 *   long   groups far longer than GROUP, extreme operands; half of them
 *          every a -128 (FP16 65504) and w -2^(b-1): the INT8
 *          accumulators wrap, FP16 sums overflow
 *   bits   every input port uniformly random
 * plus a reset in 3 % of the segments. With use_gemm, the random edges
 * run the GEMM's tiles instead (array 8 x 8, PE 2 x 2 outputs, K in
 * chunks of whole groups up to 512), in order and wrapping, with the same
 * idle edges, cuts, gaps and resets.
 *
 * Everything comes from the seed (splitmix64). */
#include "stim_mixpe.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "mixpe/pe_mixpe.h"

#define DIM PE_MIXPE_ARRAY_DIM
#define MX_MN 12		/* largest m, n of a generated GEMM / tile */
#define MX_KMAX 512		/* largest k of one */

/* PE ports (pe_mixpe_pe.c) */
enum {
	P_VALID, P_FIRST, P_GLAST, P_LAST, P_A, P_W, P_SCALE, P_ZERO,
	P_SH_START, P_SH_VALID, P_SH_DRAIN, P_SH, P_N_IN,
};
/* array ports (pe_mixpe_array.c) */
enum { A_VALID, A_FIRST, A_GLAST, A_LAST, A_W, A_SCALE, A_ZERO, A_A0, A_N_IN = A_A0 + DIM };

/* one GEMM (or trace tile) and the schedule that runs it */
struct mx_gemm {
	uint16_t a[MX_MN * MX_KMAX];
	int8_t w[MX_MN * MX_KMAX];
	uint16_t scale[MX_MN * MX_KMAX];
	int8_t zero[MX_MN * MX_KMAX];
	uint16_t out[MX_MN * MX_MN];
	struct pe_mixpe_gemm g;
	struct pe_mixpe_sched s;
	uint64_t cycles;	/* closed form: first operand in -> last result out */
};

enum seg { SEG_GEMM, SEG_CTL, SEG_LONG, SEG_BITS, SEG_GAP };

/* corner phases */
enum { PH_PROD, PH_SCALE, PH_BOUND, PH_CTL, PH_DRAIN, PH_PE_N };
enum { PH_EXTREME, PH_CODES, PH_DRAINWAIT, PH_RAGGED, PH_SPECIAL, PH_ARR_N };
#define PH_MAX 8

struct mx_stim {
	struct pe_params p;
	struct pe_mixpe_cfg cfg;
	bool array;
	unsigned wb, L, G;
	bool fp;
	uint64_t seed, s;	/* splitmix64 state */

	/* corners: phase ends (cumulative edges) */
	unsigned n_ph;
	uint64_t ph_end[PH_MAX];
	int gemm_phase;		/* corner GEMM in gm, -1: none */

	/* the current random segment */
	enum seg kind;
	uint64_t t, len;	/* edges of the segment done; its length (gemm:
				 * schedule edges to feed) */
	uint64_t rst_at;	/* segment edge with rst; UINT64_MAX: none */
	double stall;		/* PE gemm: share of idle edges */
	bool wired;		/* PE gemm: sh_start = own done */
	bool bias;		/* long: every operand the extreme */
	double pv, pf, pg, pl;	/* ctl/long: control bit rates */

	unsigned char ctl_seq[257];	/* PH_CTL's control words */

	/* PE: the golden model stepped with our own inputs, for its done */
	struct pe_mixpe_pe shadow;
	bool done;		/* the shadow's done after the last edge */

	/* trace operands (use_gemm) */
	const struct pe_gemm *tg;
	struct pe_params tp;	/* p with the trace's group size */
	unsigned tbits;
	double a_scale;
	uint64_t tm0, tn0, tk0, tchunk;

	struct mx_gemm gm;
};

/* ---- randomness ---- */

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd(struct mx_stim *st)	/* splitmix64 */
{
	return mix64(st->s += 0x9e3779b97f4a7c15ull);
}

static uint64_t below(struct mx_stim *st, uint64_t n)
{
	return n ? rnd(st) % n : 0;
}

static bool chance(struct mx_stim *st, double p)
{
	return (double)(rnd(st) >> 11) * 0x1p-53 < p;
}

/* lo .. hi inclusive (hi < lo gives lo) */
static int64_t range(struct mx_stim *st, int64_t lo, int64_t hi)
{
	return hi < lo ? lo : lo + (int64_t)below(st, (uint64_t)(hi - lo + 1));
}

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* ---- operand values ---- */

/* FP16 specials: zeros, subnormal ends, normal ends, one and neighbours,
 * 65504, infinities, quiet/signalling/negative NaN. */
static const uint16_t f16_special[] = {
	0x0000, 0x8000, 0x0001, 0x8001, 0x0200, 0x03ff, 0x83ff, 0x0400,
	0x8400, 0x1400, 0x3c00, 0xbc00, 0x3c01, 0x3bff, 0x5bff, 0x5c00,
	0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe00, 0xc500,
};
#define N_SPECIAL (sizeof f16_special / sizeof f16_special[0])

/* an INT8 activation slot: the low byte counts, the high byte is noise */
static uint16_t act_int8(struct mx_stim *st, bool extreme)
{
	static const int8_t ext[] = { -128, 127, 0, 1, -1, -127 };
	int8_t v = (extreme || chance(st, 0.2)) ? ext[below(st, extreme ? 2 : 6)]
						 : (int8_t)rnd(st);
	return (uint16_t)((rnd(st) & 0xff00) | (uint8_t)v);
}

/* FP16 bit patterns: mostly moderate normals, some large, small,
 * subnormal, signed zeros, infinities and NaNs; special = their share */
static uint16_t f16_val(struct mx_stim *st, double special)
{
	uint16_t s = (uint16_t)((rnd(st) & 1) << 15), m = (uint16_t)(rnd(st) & 0x3ff);
	if (chance(st, special)) {
		switch (below(st, 4)) {
		case 0: return f16_special[below(st, N_SPECIAL)];
		case 1: return (uint16_t)(s | 0x7c00 | (m ? m : 1));	/* NaN, any payload */
		case 2: return (uint16_t)(s | m);			/* subnormal */
		default: return (uint16_t)rnd(st);			/* any bits */
		}
	}
	switch (below(st, 10)) {
	case 0: return (uint16_t)(s | (range(st, 24, 30) << 10) | m);	/* large */
	case 1: return (uint16_t)(s | (range(st, 1, 6) << 10) | m);	/* small */
	default: return (uint16_t)(s | (range(st, 9, 21) << 10) | m);	/* moderate */
	}
}

/* FP16 activations of a GEMM: mostly |x| in 2^-7 .. 2^5 so that most
 * outputs stay finite, a few subnormals, zeros and large values, specials
 * at the given share */
static uint16_t f16_gemm(struct mx_stim *st, double special)
{
	uint16_t s = (uint16_t)((rnd(st) & 1) << 15), m = (uint16_t)(rnd(st) & 0x3ff);
	unsigned k;
	if (chance(st, special))
		return f16_val(st, 1.0);
	k = (unsigned)below(st, 1000);
	if (k < 1)
		return (uint16_t)(s | (range(st, 22, 30) << 10) | m);	/* large */
	if (k < 10)
		return (uint16_t)(s | m);				/* subnormal */
	if (k < 20)
		return s;						/* +-0 */
	if (k < 50)
		return (uint16_t)(s | (range(st, 1, 7) << 10) | m);	/* small */
	return (uint16_t)(s | (range(st, 8, 20) << 10) | m);
}

/* a group scale: a small positive normal (a quantizer's), sometimes anything */
static uint16_t scale_val(struct mx_stim *st, double special)
{
	if (chance(st, special))
		return f16_val(st, 0.5);
	return (uint16_t)((range(st, 5, 14) << 10) | (rnd(st) & 0x3ff));
}

static int8_t zero_val(struct mx_stim *st)
{
	int h = 1 << (st->wb - 1);
	return chance(st, 0.9) ? (int8_t)range(st, -h, h - 1) : (int8_t)rnd(st);
}

static int8_t weight_val(struct mx_stim *st, bool extreme)
{
	int h = 1 << (st->wb - 1);
	if (extreme)
		return (int8_t)(chance(st, 0.5) ? -h : h - 1);
	return (int8_t)range(st, -h, h - 1);
}

/* the 4 activation slots of a_in (lanes beyond LANES are noise too) */
static uint64_t data_a(struct mx_stim *st, double special, bool extreme)
{
	uint64_t a = 0;
	if (extreme && st->bias)
		return st->fp ? 0x7bff7bff7bff7bffull
			      : (rnd(st) & 0xff00ff00ff00ff00ull) | 0x0080008000800080ull;
	for (unsigned i = 0; i < 4; i++)
		a |= (uint64_t)(st->fp ? (extreme ? (uint16_t)(((rnd(st) & 1) << 15) |
							       (range(st, 27, 30) << 10) |
							       (rnd(st) & 0x3ff))
						  : f16_val(st, special))
				       : act_int8(st, extreme))
		     << (16 * i);
	return a;
}

/* the 4 weight nibbles of w_in; bits above WBITS are noise */
static uint64_t data_w(struct mx_stim *st, bool extreme)
{
	unsigned m = (1u << st->wb) - 1;
	uint64_t w = 0;
	if (extreme && st->bias)	/* -2^(b-1): the MSB alone */
		return (uint64_t)((1u << (st->wb - 1)) & 0xf) * 0x1111u;
	for (unsigned i = 0; i < 4; i++)
		w |= (uint64_t)(((uint8_t)weight_val(st, extreme) & m) |
				(rnd(st) & 0xf & ~m))
		     << (4 * i);
	return w;
}

/* ---- GEMMs ---- */

/* sched and closed-form cycles for gm->g on a dim x dim array */
static enum ps_status gemm_sched(struct mx_stim *st, const struct pe_params *p,
				 unsigned dim, struct ps_err *err)
{
	struct mx_gemm *gm = &st->gm;
	struct pe_array arr = { dim, dim, CFG_DF_OS, 0 };
	struct pe_mixpe_sched *s = &gm->s;
	enum ps_status rc = pe_mixpe_sched_init(p, &arr, &gm->g, s, err);
	if (rc)
		return rc;
	/* pe_models/mixpe/README.md "Array timing":
	 * (R-1) + (C-1) + (P-1) max(S,R) + S + R + 4 */
	gm->cycles = (s->rows - 1) + (s->cols - 1) + (s->passes - 1) * s->delta + s->S +
		     s->rows + PE_MIXPE_DQ_LATENCY;
	return PS_OK;
}

static void gemm_bind(struct mx_gemm *gm, uint64_t m, uint64_t n, uint64_t k)
{
	gm->g = (struct pe_mixpe_gemm){ m, n, k, gm->a, gm->w, gm->scale, gm->zero, gm->out };
}

/* A random quantized GEMM (the harness's): FP16 activations mostly
 * moderate, INT8 with noise in the high byte and extremes in 30 %; 5 %
 * corner GEMMs (every a the extreme, every w -2^(b-1)). */
static void gemm_random(struct mx_stim *st, uint64_t m, uint64_t n, uint64_t k)
{
	struct mx_gemm *gm = &st->gm;
	uint64_t groups = cdiv(k, st->G);
	double special = chance(st, 0.5) ? 0.0 : 0.0003;
	bool wide = !st->fp && chance(st, 0.3);
	bool corner = chance(st, 0.05);
	int h = 1 << (st->wb - 1);
	static const int zc[] = { -128, 127, 0, 0 };

	gemm_bind(gm, m, n, k);
	for (uint64_t i = 0; i < m * k; i++)
		gm->a[i] = corner ? (st->fp ? (uint16_t)(chance(st, 0.5) ? 0x7bff : 0xfbff)
					    : (uint16_t)((rnd(st) & 0xff00) | 0x80))
			 : st->fp ? f16_gemm(st, special)
				  : act_int8(st, wide && chance(st, 0.5));
	for (uint64_t i = 0; i < n * k; i++)
		gm->w[i] = corner && !st->fp ? (int8_t)-h
					     : weight_val(st, wide && chance(st, 0.5));
	for (uint64_t i = 0; i < n * groups; i++) {
		gm->scale[i] = scale_val(st, special);
		gm->zero[i] = corner ? (int8_t)(chance(st, 0.5) ? zc[below(st, 4)]
						: (chance(st, 0.5) ? -h : h - 1))
				     : zero_val(st);
	}
}

/* The edge inputs of GEMM schedule cycle t. */
static void gemm_feed(struct mx_stim *st, uint64_t t, uint64_t *in)
{
	struct mx_gemm *gm = &st->gm;
	struct pe_mixpe_row_in row[DIM];
	uint64_t a_col[DIM];

	pe_mixpe_feed(&gm->s, &gm->g, t, row, a_col);
	if (st->array) {
		pe_mixpe_array_ports(row, a_col, in);
		return;
	}
	in[P_VALID] = row[0].valid;
	in[P_FIRST] = row[0].first;
	in[P_GLAST] = row[0].glast;
	in[P_LAST] = row[0].last;
	in[P_A] = a_col[0];
	in[P_W] = row[0].w;
	in[P_SCALE] = row[0].scale;
	in[P_ZERO] = (uint8_t)row[0].zero;
}

/* PE: the drain-chain inputs, wired as a 1x1 array or random */
static void pe_sh(struct mx_stim *st, uint64_t *in, bool wired)
{
	if (wired) {
		in[P_SH_START] = st->done;
		in[P_SH_VALID] = in[P_SH_DRAIN] = in[P_SH] = 0;
		return;
	}
	in[P_SH_START] = chance(st, 0.1);
	in[P_SH_VALID] = chance(st, 0.5);
	in[P_SH_DRAIN] = chance(st, 0.5);
	in[P_SH] = st->fp || chance(st, 0.5) ? f16_val(st, 0.1) : (uint16_t)rnd(st);
}

/* ---- trace tiles (use_gemm) ---- */

static uint16_t trace_a(struct mx_stim *st, uint16_t h)
{
	double v;
	if (st->fp)
		return h;
	/* pe_mixpe_gemm_bt's per-tensor INT8 quantization of A; the high
	 * byte of the slot is noise */
	v = fmt_f16_to_f64(h);
	v = isnan(v) ? 0 : nearbyint(v / st->a_scale);
	v = v > 127 ? 127 : v < -127 ? -127 : v;
	return (uint16_t)((rnd(st) & 0xff00) | (uint8_t)(int8_t)v);
}

/* Load the tile at (tm0, tn0, tk0) into gm and advance to the next. */
static void trace_tile(struct mx_stim *st)
{
	const struct pe_gemm *g = st->tg;
	struct mx_gemm *gm = &st->gm;
	uint64_t T = st->array ? 8 : 2, half = 1ull << (st->tbits - 1);
	uint64_t m = g->M - st->tm0 < T ? g->M - st->tm0 : T;
	uint64_t n = g->N - st->tn0 < T ? g->N - st->tn0 : T;
	uint64_t k = g->K - st->tk0 < st->tchunk ? g->K - st->tk0 : st->tchunk;
	uint64_t grp = g->group, groups = cdiv(k, grp), g0 = st->tk0 / grp;

	gemm_bind(gm, m, n, k);
	for (uint64_t i = 0; i < m; i++)
		for (uint64_t j = 0; j < k; j++)
			gm->a[i * k + j] = trace_a(st, g->a[(st->tm0 + i) * g->K + st->tk0 + j]);
	for (uint64_t i = 0; i < n; i++) {
		for (uint64_t j = 0; j < k; j++)
			gm->w[i * k + j] = (int8_t)((int)g->codes[(st->tn0 + i) * g->K + st->tk0 + j] -
						    (int)half);
		for (uint64_t j = 0; j < groups; j++) {
			uint64_t gi = (st->tn0 + i) * g->n_groups + g0 + j;
			double z = nearbyint((double)g->zero[gi] - (double)half);
			gm->scale[i * groups + j] = fmt_f16_from_f32(g->scale[gi]);
			gm->zero[i * groups + j] = (int8_t)(z > 127 ? 127 : z < -128 ? -128 : z);
		}
	}
	/* next: K chunks, then N, then M, wrapping */
	if ((st->tk0 += k) >= g->K) {
		st->tk0 = 0;
		if ((st->tn0 += n) >= g->N) {
			st->tn0 = 0;
			if ((st->tm0 += m) >= g->M)
				st->tm0 = 0;
		}
	}
}

/* ---- corners ---- */

/* per-edge randomness of a corner edge: random access by i */
static uint64_t corner_rnd(const struct mx_stim *st, uint64_t i, unsigned salt)
{
	return mix64(st->seed ^ mix64(i * 8 + salt + 0x5bd1e995ull));
}

/* The lane slots and weight nibbles of one lane-group: lane l gets a[l],
 * w[l]; noise in the INT8 high bytes and the weight bits above WBITS. */
static void put_lanes(const struct mx_stim *st, uint64_t i, const uint16_t *a,
		      const int *w, uint64_t *ain, uint64_t *win)
{
	uint64_t nz = corner_rnd(st, i, 7);
	unsigned m = (1u << st->wb) - 1;
	*ain = *win = 0;
	for (unsigned l = 0; l < 4; l++) {
		uint16_t av = l < st->L ? a[l] : (uint16_t)(nz >> (16 * l));
		unsigned wv = l < st->L ? ((unsigned)w[l] & m) | ((unsigned)(nz >> (4 * l)) & 0xf & ~m)
				       : (unsigned)(nz >> (40 + 4 * l)) & 0xf;
		if (!st->fp && l < st->L)
			av = (uint16_t)((av & 0xff) | ((nz >> (8 * l)) & 0xff00));
		*ain |= (uint64_t)av << (16 * l);
		*win |= (uint64_t)wv << (4 * l);
	}
}

/* one lane-group edge of the PE: control bits, lanes, scale, zero */
static void pe_edge(const struct mx_stim *st, uint64_t i, uint64_t *in, bool first,
		    bool glast, bool last, const uint16_t *a, const int *w,
		    uint16_t scale, int zero)
{
	in[P_VALID] = 1;
	in[P_FIRST] = first;
	in[P_GLAST] = glast;
	in[P_LAST] = last;
	put_lanes(st, i, a, w, &in[P_A], &in[P_W]);
	in[P_SCALE] = scale;
	in[P_ZERO] = (uint8_t)zero;
}

static unsigned ph_prod_edges(const struct mx_stim *st)
{
	return (unsigned)cdiv(st->fp ? 32 * 8 * 2 * 16 : 256 * 16, st->L);
}

/* every (a, weight code) pair, L per edge, one output each */
static void ph_prod(const struct mx_stim *st, uint64_t e, uint64_t *in)
{
	static const uint16_t scales[] = { 0x3c00, 0x3800, 0x0400, 0x7bff, 0x0001, 0x4c00 };
	static const uint16_t mant[] = { 0x000, 0x001, 0x155, 0x200, 0x2aa, 0x3fe, 0x3ff, 0x0f0 };
	uint16_t a[4] = { 0 };
	int w[4] = { 0 };
	unsigned n = st->fp ? 32 * 8 * 2 * 16 : 256 * 16;
	int h = 1 << (st->wb - 1), z;

	for (unsigned l = 0; l < st->L; l++) {
		unsigned j = (unsigned)((e * st->L + l) % n);
		if (st->fp) {	/* j: code(4) | sign | significand(3) | exponent(5) */
			unsigned ex = j & 31, mi = (j >> 5) & 7, sg = (j >> 8) & 1;
			a[l] = (uint16_t)((sg << 15) | (ex << 10) | mant[mi]);
			w[l] = (int)(j >> 9);
		} else {
			a[l] = (uint16_t)(j & 255);
			w[l] = (int)(j >> 8);
		}
	}
	z = e % 17 == 16 ? (e % 34 == 16 ? -128 : 127) : (int)(e % (2 * h)) - h;
	pe_edge(st, e, in, true, true, true, a, w,
		scales[e % 13 < 8 ? 0 : e % (sizeof scales / sizeof scales[0])], z);
}

/* D corner values (one lane-group outputs) x scale specials */
#define N_DMAKER 8
static void ph_scale(const struct mx_stim *st, uint64_t e, uint64_t *in)
{
	/* lane values a, w (every lane) and the zero point */
	static const int16_t ia[N_DMAKER] = { 0, 1, -1, -128, -128, 127, 3, 100 };
	static const int8_t iw[N_DMAKER] = { 0, 1, 1, -8, -8, 7, 5, -3 };
	static const int16_t iz[N_DMAKER] = { 0, 0, 0, -128, 127, -128, 2, -8 };
	static const uint16_t fa[N_DMAKER] = { 0x0000, 0x3c00, 0x7bff, 0x0001,
					       0xfbff, 0x7e00, 0x7c00, 0x4000 };
	static const int8_t fw[N_DMAKER] = { 0, 1, -1, 7, -8, 1, 0, 3 };
	static const int16_t fz[N_DMAKER] = { 0, 0, 0, 0, 127, 0, 0, -128 };
	unsigned k = (unsigned)(e % N_DMAKER), s = (unsigned)(e / N_DMAKER % N_SPECIAL);
	int lo = -(1 << (st->wb - 1)), hi = (1 << (st->wb - 1)) - 1;
	uint16_t a[4];
	int w[4], wv = st->fp ? fw[k] : iw[k];

	wv = wv < lo ? lo : wv > hi ? hi : wv;
	for (unsigned l = 0; l < 4; l++) {
		a[l] = st->fp ? fa[k] : (uint16_t)(uint8_t)(int8_t)ia[k];
		w[l] = wv;
	}
	pe_edge(st, e, in, true, true, true, a, w, f16_special[s], st->fp ? fz[k] : iz[k]);
}

#define N_BOUND 6
static unsigned ph_bound_edges(const struct mx_stim *st)
{
	return (N_BOUND + 4 + 3) * st->G / st->L;
}

/* whole groups at the accumulators' bounds: N_BOUND one-group outputs, one
 * output of 4 groups, one group 3 x GROUP long (no glast inside: wraps) */
static void ph_bound(const struct mx_stim *st, uint64_t e, uint64_t *in)
{
	static const int16_t ia[N_BOUND] = { -128, -128, 127, -128, 127, -128 };
	static const int16_t iz[N_BOUND] = { -128, 127, -128, 127, -128, 0 };
	static const uint16_t fa[N_BOUND] = { 0x7bff, 0x7bff, 0xfbff, 0x0001, 0x3c00, 0x8400 };
	static const int16_t fz[N_BOUND] = { 0, -128, 127, 0, -128, 7 };
	static const bool wneg[N_BOUND] = { true, true, true, false, false, true };
	uint64_t per = st->G / st->L;	/* lane-groups per group */
	uint64_t grp = e / per, lg = e % per;
	unsigned k = (unsigned)(grp % N_BOUND);
	int h = 1 << (st->wb - 1), w[4];
	uint16_t a[4];
	bool first, glast, last;

	for (unsigned l = 0; l < 4; l++) {
		a[l] = st->fp ? fa[k] : (uint16_t)(uint8_t)(int8_t)ia[k];
		w[l] = wneg[k] ? -h : h - 1;
	}
	if (grp < N_BOUND) {		/* one group, one output */
		first = lg == 0;
		glast = last = lg + 1 == per;
	} else if (grp < N_BOUND + 4) {	/* 4 groups, one output */
		first = grp == N_BOUND && lg == 0;
		glast = lg + 1 == per;
		last = glast && grp == N_BOUND + 3;
	} else {			/* one group of 3 x GROUP */
		uint64_t x = e - (uint64_t)(N_BOUND + 4) * per;
		first = x == 0;
		glast = last = x + 1 == 3 * per;
	}
	pe_edge(st, e, in, first, glast, last, a, w, 0x3c00,
		st->fp ? fz[k] : iz[k]);
}

/* Every ordered pair of the 16 control words: the de Bruijn sequence
 * B(16, 2) as the Lyndon words of length 1 and 2 in order ("0", "0 1",
 * "0 2", ..., "1", "1 2", ...: 256 words), its first word repeated at the
 * end so the linear sequence has every pair (257). */
static void debruijn16(unsigned char *seq)
{
	unsigned n = 0;
	for (unsigned a = 0; a < 16; a++) {
		seq[n++] = (unsigned char)a;
		for (unsigned b = a + 1; b < 16; b++) {
			seq[n++] = (unsigned char)a;
			seq[n++] = (unsigned char)b;
		}
	}
	seq[n] = seq[0];
}

static void ph_ctl(const struct mx_stim *st, uint64_t e, uint64_t *in)
{
	unsigned c = st->ctl_seq[e % 257];
	uint64_t r = corner_rnd(st, e, 1), r2 = corner_rnd(st, e, 2);
	int h = 1 << (st->wb - 1);

	in[P_VALID] = c & 1;
	in[P_FIRST] = (c >> 1) & 1;
	in[P_GLAST] = (c >> 2) & 1;
	in[P_LAST] = (c >> 3) & 1;
	in[P_A] = st->fp ? (r & 0x3fff3fff3fff3fffull) | 0x1000100010001000ull : r;
	in[P_W] = r2 & 0xffff;
	in[P_SCALE] = (uint16_t)(0x2c00 + ((r2 >> 16) & 0x7ff));
	in[P_ZERO] = (uint8_t)((int)((r2 >> 32) % (unsigned)(2 * h)) - h);
	in[P_SH_START] = (r2 >> 40) & 1;
	in[P_SH_VALID] = (r2 >> 41) & 1;
	in[P_SH_DRAIN] = (r2 >> 42) & 1;
	in[P_SH] = (r2 >> 48) & 0xffff;
}

/* every drain-chain input combination at every phase of a result load:
 * an output every 5th edge (done 4 edges later), sh bits cycling by 8 */
static void ph_drain(const struct mx_stim *st, uint64_t e, uint64_t *in)
{
	uint64_t r = corner_rnd(st, e, 3);
	uint16_t a[4];
	int w[4];
	for (unsigned l = 0; l < 4; l++) {
		a[l] = st->fp ? (uint16_t)(0x3c00 + ((r >> (8 * l)) & 0x3ff))
			      : (uint16_t)((r >> (8 * l)) & 0xff);
		w[l] = (int)((r >> (32 + 4 * l)) & 7) - 4;
	}
	pe_edge(st, e, in, true, true, true, a, w, 0x3c00, 0);
	in[P_VALID] = e % 5 == 0;
	in[P_SH_START] = e & 1;
	in[P_SH_VALID] = (e >> 1) & 1;
	in[P_SH_DRAIN] = (e >> 2) & 1;
	in[P_SH] = (r >> 48) & 0xffff;
}

/* array corner GEMM dims: m, n, k */
static void arr_dims(const struct mx_stim *st, unsigned ph, uint64_t *m, uint64_t *n,
		     uint64_t *k)
{
	switch (ph) {
	case PH_EXTREME: *m = 4; *n = 4; *k = 2 * (uint64_t)st->G; break;
	case PH_CODES: *m = 4; *n = 4; *k = 64 > MX_KMAX ? MX_KMAX : 64; break;
	case PH_DRAINWAIT: *m = 8; *n = 8; *k = st->L; break;
	case PH_RAGGED: *m = 5; *n = 7; *k = (uint64_t)st->G + st->L; break;
	default: *m = 4; *n = 4; *k = 2 * (uint64_t)st->L; break;
	}
	if (*k > MX_KMAX)
		*k = MX_KMAX / st->L * st->L;
}

/* the data of array corner GEMM ph (its own random stream) */
static void arr_gemm(struct mx_stim *st, unsigned ph)
{
	struct mx_gemm *gm = &st->gm;
	uint64_t m, n, k, keep = st->s, groups;
	int h = 1 << (st->wb - 1);

	arr_dims(st, ph, &m, &n, &k);
	groups = cdiv(k, st->G);
	st->s = mix64(st->seed + 0x1000 + ph);
	if (ph == PH_RAGGED || ph == PH_DRAINWAIT) {
		gemm_random(st, m, n, k);
		st->s = keep;
		return;
	}
	gemm_bind(gm, m, n, k);
	for (uint64_t i = 0; i < m * k; i++) {
		switch (ph) {
		case PH_EXTREME:
			gm->a[i] = st->fp ? (i & 1 ? 0xfbff : 0x7bff)
					  : (uint16_t)((rnd(st) & 0xff00) | 0x80);
			break;
		case PH_CODES:	/* INT8: all 256 values over the 4 x 64 */
			gm->a[i] = st->fp ? f16_special[i % N_SPECIAL]
					  : (uint16_t)((rnd(st) & 0xff00) | (i & 0xff));
			break;
		default:
			gm->a[i] = st->fp ? f16_gemm(st, 0.0) : act_int8(st, false);
			break;
		}
	}
	for (uint64_t i = 0; i < n * k; i++)
		gm->w[i] = ph == PH_EXTREME ? (int8_t)-h
			 : ph == PH_CODES ? (int8_t)((int)((i + i / k) % (unsigned)(2 * h)) - h)
					  : weight_val(st, false);
	for (uint64_t i = 0; i < n * groups; i++) {
		gm->scale[i] = ph == PH_SPECIAL ? f16_special[i % N_SPECIAL]
			     : ph == PH_EXTREME ? (i & 1 ? 0x3c00 : 0x1400)
						: scale_val(st, 0.0);
		gm->zero[i] = ph == PH_EXTREME ? (int8_t)(i & 1 ? -128 : 127) : zero_val(st);
	}
	st->s = keep;
}

static void corner_setup(struct mx_stim *st)
{
	uint64_t acc = 0;
	if (!st->array) {
		uint64_t len[PH_PE_N] = {
			ph_prod_edges(st), (uint64_t)N_DMAKER * N_SPECIAL,
			ph_bound_edges(st), 257, 5 * 8 * 4,
		};
		st->n_ph = PH_PE_N;
		for (unsigned i = 0; i < PH_PE_N; i++)
			st->ph_end[i] = acc += len[i];
		return;
	}
	st->n_ph = PH_ARR_N;
	for (unsigned i = 0; i < PH_ARR_N; i++) {
		uint64_t m, n, k;
		arr_dims(st, i, &m, &n, &k);
		gemm_bind(&st->gm, m, n, k);
		gemm_sched(st, &st->p, DIM, NULL);
		st->ph_end[i] = acc += st->gm.cycles + 2;
	}
	st->gemm_phase = -1;
}

/* ---- the ops ---- */

static void pe_after(struct mx_stim *st, const uint64_t *in, bool rst)
{
	uint64_t out[12];
	if (st->array)
		return;
	if (rst) {
		pe_mixpe_pe_reset(&st->shadow, &st->cfg);
		st->done = false;
		return;
	}
	pe_mixpe_pe_bt.step(&st->shadow, in, out);
	st->done = out[8] & 1;
}

static enum ps_status init_common(void *vst, const struct pe_params *p, uint64_t seed,
				  bool array, struct ps_err *err)
{
	struct mx_stim *st = vst;
	enum ps_status rc = pe_mixpe_cfg_from_params(p, &st->cfg, err);
	if (rc)
		return rc;
	st->p = *p;
	st->array = array;
	st->wb = st->cfg.wbits;
	st->L = st->cfg.lanes;
	st->G = st->cfg.group_max;
	st->fp = st->cfg.fp16;
	st->seed = seed;
	st->s = mix64(seed ^ 0x6d69787065ull);
	st->len = 0;	/* no segment yet */
	pe_mixpe_pe_reset(&st->shadow, &st->cfg);
	debruijn16(st->ctl_seq);
	corner_setup(st);
	return PS_OK;
}

static enum ps_status pe_init(void *st, const struct pe_params *p, uint64_t seed,
			      struct ps_err *err)
{
	return init_common(st, p, seed, false, err);
}

static enum ps_status arr_init(void *st, const struct pe_params *p, uint64_t seed,
			       struct ps_err *err)
{
	return init_common(st, p, seed, true, err);
}

static uint64_t mx_corner_edges(const void *vst)
{
	const struct mx_stim *st = vst;
	return st->ph_end[st->n_ph - 1];
}

static bool mx_corner(void *vst, uint64_t i, uint64_t *in)
{
	struct mx_stim *st = vst;
	unsigned ph = 0;
	uint64_t e;

	while (ph + 1 < st->n_ph && i >= st->ph_end[ph])
		ph++;
	e = i - (ph ? st->ph_end[ph - 1] : 0);
	if (st->array) {
		if (st->gemm_phase != (int)ph) {
			arr_gemm(st, ph);
			gemm_sched(st, &st->p, DIM, NULL);
			st->gemm_phase = (int)ph;
		}
		gemm_feed(st, e, in);	/* past the schedule: idle edges */
		return false;
	}
	for (unsigned k = 0; k < P_N_IN; k++)
		in[k] = 0;
	switch (ph) {
	case PH_PROD: ph_prod(st, e, in); break;
	case PH_SCALE: ph_scale(st, e, in); break;
	case PH_BOUND: ph_bound(st, e, in); break;
	case PH_CTL: ph_ctl(st, e, in); break;
	default: ph_drain(st, e, in); break;
	}
	if (ph < PH_CTL)	/* a 1x1 array's drain wiring */
		in[P_SH_START] = st->done;
	pe_after(st, in, false);
	return false;
}

/* Start the next random segment. */
static void new_segment(struct mx_stim *st)
{
	unsigned k = (unsigned)below(st, 10);
	st->t = 0;
	st->bias = false;
	if (st->tg) {		/* trace tiles, now and then an idle gap */
		if (k == 0) {
			st->kind = SEG_GAP;
			st->len = (uint64_t)range(st, 1, 20);
		} else {
			st->kind = SEG_GEMM;
			trace_tile(st);
			gemm_sched(st, &st->tp, st->array ? DIM : 1, NULL);
		}
	} else if (k < 5) {
		uint64_t mx = st->array ? MX_MN : 3;
		uint64_t m = (uint64_t)range(st, 1, (int64_t)mx), n = (uint64_t)range(st, 1, (int64_t)mx);
		uint64_t kk = chance(st, 0.3) ? (uint64_t)range(st, 1, 3 * st->L)
					      : (uint64_t)range(st, 1, 3 * (int64_t)st->G);
		if (kk > MX_KMAX)
			kk = MX_KMAX;
		st->kind = SEG_GEMM;
		gemm_random(st, m, n, kk);
		gemm_sched(st, &st->p, st->array ? DIM : 1, NULL);
	} else {
		bool extreme = k == 7, bits = k >= 8;
		st->kind = bits ? SEG_BITS : extreme ? SEG_LONG : SEG_CTL;
		st->len = (uint64_t)range(st, 50, extreme ? 50 + 20 * (int64_t)st->G
						 : bits ? 500 : st->array ? 2000 : 3000);
		st->pv = chance(st, 0.3) ? 1.0 : 0.7;
		st->pf = (st->array ? 0.05 : 0.02) + 0.2 * chance(st, 0.5);
		st->pg = extreme ? 0.5 / st->G : 0.05 + 0.4 * chance(st, 0.5);
		st->pl = extreme ? 0.1 / st->G
				 : st->array ? 0.05 : 0.02 + 0.1 * chance(st, 0.5);
		st->bias = extreme && chance(st, 0.5);
	}
	if (st->kind == SEG_GEMM) {
		uint64_t c = st->gm.cycles;
		if (st->array) {
			st->len = c + below(st, 6);
			if (chance(st, 0.1))	/* the next one cuts into the drain */
				st->len = below(st, c) + 1;
		} else {
			st->len = c + 2;
			st->stall = chance(st, 0.5) ? 0.0 : chance(st, 0.5) ? 0.05 : 0.4;
			st->wired = chance(st, 0.7);
		}
	}
	st->rst_at = chance(st, 0.03) ? below(st, st->len) : UINT64_MAX;
}

static bool mx_random(void *vst, uint64_t *in)
{
	struct mx_stim *st = vst;
	unsigned n_in = st->array ? A_N_IN : P_N_IN;
	bool rst;

	if (st->t >= st->len)
		new_segment(st);
	rst = st->t == st->rst_at;
	if (rst)
		st->rst_at = UINT64_MAX;	/* once, idle edges do not advance t */
	switch (st->kind) {
	case SEG_GEMM:
		if (!st->array && chance(st, st->stall)) {
			/* an idle edge: noise on the data and ignored controls */
			uint64_t r = rnd(st);
			in[P_VALID] = 0;
			in[P_FIRST] = r & 1;
			in[P_GLAST] = (r >> 1) & 1;
			in[P_LAST] = (r >> 2) & 1;
			in[P_A] = rnd(st);
			in[P_W] = r >> 16;
			in[P_SCALE] = r >> 32;
			in[P_ZERO] = r >> 48;
			pe_sh(st, in, st->wired);
			pe_after(st, in, rst);
			return rst;
		}
		gemm_feed(st, st->t, in);
		if (!st->array)
			pe_sh(st, in, st->wired);
		break;
	case SEG_BITS:
		for (unsigned k = 0; k < n_in; k++)
			in[k] = rnd(st);
		break;
	case SEG_GAP:
		for (unsigned k = 0; k < n_in; k++)
			in[k] = rnd(st);
		in[0] = 0;	/* in_valid (every row of the array) */
		break;
	default: {
		bool extreme = st->kind == SEG_LONG;
		unsigned rows = st->array ? DIM : 1;
		for (unsigned k = 0; k < n_in; k++)
			in[k] = 0;
		for (unsigned r = 0; r < rows; r++) {
			uint64_t v = chance(st, st->pv);
			uint64_t f = st->t == 0 || chance(st, extreme ? 0.1 / st->G : st->pf);
			uint64_t gl = chance(st, st->pg), la = chance(st, st->pl);
			uint64_t w = data_w(st, extreme) & 0xffff;
			uint64_t sc = scale_val(st, 0.1), z = (uint8_t)zero_val(st);
			if (st->array) {
				in[A_VALID] |= v << r;
				in[A_FIRST] |= f << r;
				in[A_GLAST] |= gl << r;
				in[A_LAST] |= la << r;
				in[A_W] |= w << (16 * r);
				in[A_SCALE] |= sc << (16 * r);
				in[A_ZERO] |= z << (8 * r);
				in[A_A0 + r] = data_a(st, 0.05, extreme);
			} else {
				in[P_VALID] = v;
				in[P_FIRST] = f;
				in[P_GLAST] = gl;
				in[P_LAST] = la;
				in[P_A] = data_a(st, 0.05, extreme);
				in[P_W] = w;
				in[P_SCALE] = sc;
				in[P_ZERO] = z;
				pe_sh(st, in, false);
			}
		}
		break;
	}
	}
	st->t++;
	pe_after(st, in, rst);
	return rst;
}

static enum ps_status mx_use_gemm(void *vst, const struct pe_gemm *g,
				  struct ps_err *err)
{
	struct mx_stim *st = vst;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	struct pe_mixpe_sched s;
	struct pe_mixpe_gemm probe = { 1, 1, 1, NULL, NULL, NULL, NULL, NULL };
	struct pe_array one = { 1, 1, CFG_DF_OS, 0 };
	enum ps_status rc;
	double mx = 0;

	/* as pe_mixpe_gemm_bt reads a sidecar: per-group asymmetric codes */
	if (!d || !g->codes || !g->a || !g->scale || !g->zero || !g->group)
		return ps_errf(err, PS_EINPUT,
			       "mixpe stimulus: the GEMM needs per-group asymmetric integer codes (quant mixpe-int<b>)");
	if (d->bits < 2 || d->bits > (int)st->wb)
		return ps_errf(err, PS_EINPUT,
			       "mixpe stimulus: %d-bit codes on a %u-bit-weight PE", d->bits, st->wb);
	if (!g->M || !g->N || !g->K || g->n_groups != cdiv(g->K, g->group))
		return ps_errf(err, PS_EINPUT, "mixpe stimulus: GEMM %llux%llux%llu with %llu groups of %u",
			       (unsigned long long)g->M, (unsigned long long)g->N,
			       (unsigned long long)g->K, (unsigned long long)g->n_groups, g->group);
	if (g->group > MX_KMAX)
		return ps_errf(err, PS_EINPUT,
			       "mixpe stimulus: group size %u: tiles hold whole groups of at most %d",
			       g->group, MX_KMAX);
	st->tp = st->p;
	st->tp.group_size = g->group;	/* glast where the trace's groups end */
	if ((rc = pe_mixpe_sched_init(&st->tp, &one, &probe, &s, err)))
		return rc;
	st->tbits = (unsigned)d->bits;
	st->tchunk = g->K <= MX_KMAX ? g->K : MX_KMAX / g->group * g->group;
	for (uint64_t i = 0; i < g->M * g->K && !st->fp; i++) {
		double v = fabs(fmt_f16_to_f64(g->a[i]));
		if (v > mx && isfinite(v))
			mx = v;
	}
	st->a_scale = mx > 0 ? mx / 127.0 : 1.0;
	st->tg = g;
	st->tm0 = st->tn0 = st->tk0 = 0;
	st->len = st->t = 0;	/* the next random edge starts a tile */
	return PS_OK;
}

RTL_STIM_OPS(mixpe_pe_stim, struct mx_stim, pe_init, NULL, mx_);

RTL_STIM_OPS(mixpe_array_stim, struct mx_stim, arr_init, NULL, mx_);

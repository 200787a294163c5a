/* test_bitmod_bt.c - the bit-true BitMoD PE, its array and GEMM driver
 * (pe_models/bitmod/) against an independent reference.
 *
 * The reference (ref_* below) is the README's arithmetic written the plain
 * way: weights as integers (two's complement read with arithmetic, FP
 * values from fmt_decode), Booth digits from the digit formula, FP16
 * activations split with frexp, exact products, the documented truncations
 * as floor divisions in a loop, the dequantizer as one multiply, and the
 * FP16 edge rounding by GCC's _Float16 conversion. Neither pipelined nor
 * bit-serial, it sees one output at a time. Every PE output and every
 * FP16 result must equal it bit for bit; then the group results must lie
 * within the documented bound of the exact dot product, and the broken
 * variant (the public RTL's dequantizer that does not clear on start) must
 * be caught. Seeds are fixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "bitmod/pe_bitmod_bt.h"
#include "cc_quant.h"
#include "fmt.h"
#include "pe_bt.h"
#include "test_util.h"
#include "wl_tensor.h"

#define VECTORS 100000		/* lane-group vectors per configuration */
#define MAXG 128		/* weights per group the reference takes */
#define RNDG 64			/* ... in the random PE streams */
#define MAXNG 4			/* groups per output */

/* ------------------------------------ rng (test_util's tu_rng streams) */
/* LLM-like FP16: a body around 1, subnormals, zeros, large exponents up to
 * 30, and (if special) rare Inf/NaN. */
static uint16_t rnd_act(uint64_t *s, bool special)
{
	uint64_t r = tu_rng(s);
	unsigned sign = r & 1, kind = (unsigned)(r >> 1) % 2000;
	unsigned frac = (unsigned)(r >> 12) & 0x3ff, ex;

	if (kind < 10)
		return (uint16_t)(sign << 15);
	if (kind < 60)
		ex = 0;
	else if (kind < 100)
		ex = 25 + (unsigned)(r >> 24) % 6;
	else if (kind < 101 && special)
		return (uint16_t)(sign << 15 | 0x7c00 | (frac & 1 ? frac : 0));
	else
		ex = 9 + (unsigned)(r >> 24) % 12;
	return (uint16_t)(sign << 15 | ex << 10 | frac);
}

static uint16_t rnd_cscale(uint64_t *s)
{
	unsigned k = tu_rng_below(s, 100);
	if (k == 0)
		return 0x0000;
	if (k == 1)
		return 0x7c00;
	if (k == 2)
		return 0x7e00;
	/* exponent field 0..16 (subnormal .. 2^1), either sign */
	return (uint16_t)(tu_rng_below(s, 2) << 15 | tu_rng_below(s, 17) << 10 |
			  tu_rng_below(s, 1024));
}

static unsigned rnd_scale(uint64_t *s, unsigned sb)
{
	unsigned k = tu_rng_below(s, 16), top = (1u << sb) - 1;
	return k == 0 ? 0 : k == 1 ? top : k == 2 ? 1 : tu_rng_below(s, top + 1);
}

/* ---------------------------------------------------------- reference */
struct rcfg {
	unsigned lanes, mw, sb, T;
	bool emax_all;		/* the exponent match over every lane in use */
};

struct rgroup {
	unsigned n;		/* weights */
	uint16_t a[MAXG];
	uint8_t code[MAXG];
	int fmt;
	unsigned scale;
};

struct rres {
	int64_t m;
	int e;
	bool nan;
	uint16_t y;
	int eg[MAXNG];		/* group exponents */
	unsigned ncyc[MAXNG];	/* term cycles with a nonzero product */
};

static int fmt_bits(int fmt)
{
	return fmt_get(fmt)->bits;
}

static bool is_int(int fmt)
{
	return fmt_get(fmt)->layout == FMT_L_TWOS;
}

/* The weight's value: two's complement by arithmetic (INT8 -128
 * included), FP from the format table. */
static int ref_value(int fmt, unsigned code)
{
	int b = fmt_bits(fmt);
	if (is_int(fmt))
		return code >= (1u << (b - 1)) ? (int)code - (1 << b) : (int)code;
	return (int)fmt_decode(fmt, code);
}

static int bit_of(int x, int i)
{
	if (i < 0)
		return 0;
	return (int)(((unsigned)x >> i) & 1u);	/* two's complement bit */
}

/* Term t of a weight: *d = the signed term value 0, +-1 or +-2 (times
 * 2^e with e in 0..3 for FP), *bp its bit position. FP: the weight's
 * highest one-bit (if above bit 0) belongs to term 1, the rest to term 0. */
static void ref_term(int fmt, unsigned code, unsigned t, int *sgn, int *e,
		     bool *nz, unsigned *bp)
{
	int v = ref_value(fmt, code);
	*nz = false;
	*sgn = 0;
	*e = 0;
	if (is_int(fmt)) {
		int d = -2 * bit_of(v, 2 * (int)t + 1) + bit_of(v, 2 * (int)t) +
			bit_of(v, 2 * (int)t - 1);
		*bp = 2 * t;
		if ((int)t >= (fmt_bits(fmt) + 1) / 2)
			d = 0;
		*nz = d != 0;
		*sgn = d < 0;
		*e = abs(d) == 2;
		return;
	}
	*bp = t <= 1 ? t : 0;
	unsigned g = (unsigned)abs(v), pos[2], np = 0;
	for (int i = 4; i >= 0; i--)
		if (g >> i & 1)
			pos[np++] = (unsigned)i;
	assert_true(np <= 2);
	*sgn = v < 0;
	if (t == 1 && np >= 1 && pos[0] >= 1) {
		*nz = true;
		*e = (int)pos[0] - 1;
	} else if (t == 0 && np >= 1) {
		unsigned p = np == 2 ? pos[1] : pos[0];
		if (np == 2 || pos[0] == 0) {
			*nz = true;
			*e = (int)p;
		}
	}
}

/* floor(x / 2^n) by division */
static int64_t floor_div(int64_t x, int n)
{
	if (n >= 62)
		return x < 0 ? -1 : 0;
	int64_t d = (int64_t)1 << n, q = x / d;
	if (x % d && x < 0)
		q--;
	return q;
}

static void ref_bfp(int64_t *m, int *e, int64_t x, int ex, unsigned w)
{
	int en = *e > ex ? *e : ex;
	int64_t s = floor_div(*m, en - *e) + floor_div(x, en - ex);
	int64_t hi = ((int64_t)1 << (w - 1)) - 1, lo = -hi - 1;
	while (s > hi || s < lo) {
		s = floor_div(s, 1);
		en++;
	}
	*m = s;
	*e = en;
}

/* FP16 activation as sig * 2^(ea - 25) via frexp; false if Inf/NaN. */
static bool ref_act(uint16_t h, int64_t *sig, int *ea, int *neg)
{
	double v = fmt_f16_to_f64(h);
	int ex;
	*neg = (h >> 15) & 1;
	if (isnan(v) || isinf(v))
		return false;
	v = fabs(v);
	if (v == 0) {
		*sig = 0;
		*ea = 1;
	} else if (v < ldexp(1, -14)) {
		*sig = (int64_t)ldexp(v, 24);
		*ea = 1;
	} else {
		double f = frexp(v, &ex);
		*sig = (int64_t)ldexp(f, 11);
		*ea = ex + 14;
	}
	return true;
}

static void ref_output(const struct rcfg *c, const struct rgroup *gs,
		       unsigned ng, uint16_t cs, struct rres *o)
{
	int64_t om = 0;
	int oe = 0;
	bool nan = false;

	memset(o, 0, sizeof *o);
	for (unsigned g = 0; g < ng; g++) {
		const struct rgroup *G = &gs[g];
		int64_t gm = 0;
		int ge = 0;
		for (unsigned j = 0; j * c->lanes < G->n; j++) {
			for (unsigned t = 0; t < c->T; t++) {
				int64_t sig[4] = { 0 }, tsum = 0;
				int x[4] = { 0 }, neg[4] = { 0 }, emax = -1;
				unsigned bp = 0, nzl = 0;
				for (unsigned l = 0; l < c->lanes; l++) {
					unsigned k = j * c->lanes + l;
					int ea = 1, an = 0, ws, we;
					bool nz;
					if (k >= G->n)
						continue;
					if (!ref_act(G->a[k], &sig[l], &ea, &an)) {
						nan = true;
						sig[l] = 0;
						ea = 31;	/* its exponent field */
					}
					ref_term(G->fmt, G->code[k], t, &ws, &we, &nz, &bp);
					if (!nz)
						sig[l] = 0;
					x[l] = ea + we;
					neg[l] = an ^ ws;
					if ((sig[l] || c->emax_all) && x[l] > emax)
						emax = x[l];
				}
				for (unsigned l = 0; l < c->lanes; l++) {
					int d = emax - x[l];
					int64_t al;
					if (!sig[l])
						continue;
					nzl++;
					al = d >= 40 ? 0 : (sig[l] * 8) / ((int64_t)1 << d);
					tsum += neg[l] ? -al : al;
				}
				if (!nzl && !c->emax_all)
					continue;	/* adds exactly 0 */
				/* (emax_all: a cycle without a product still
				 * brings its exponent, which may shift the
				 * accumulator) */
				o->ncyc[g]++;
				ref_bfp(&gm, &ge, tsum, emax + (int)bp, c->mw);
			}
		}
		o->eg[g] = ge;
		ref_bfp(&om, &oe, (int64_t)G->scale * gm, ge, c->mw + c->sb + 1);
	}
	o->m = om;
	o->e = oe;
	o->nan = nan;
	if (nan) {
		o->y = 0x7e00;
	} else {
		_Float16 y = (_Float16)(ldexp((double)om, oe - 28) * (double)tu_f16(cs));
		o->y = tu_f16_bits(y);
	}
}

/* ------------------------------------------------------ PE stream driver */
struct rout {
	unsigned ng;
	struct rgroup g[MAXNG];
	uint16_t cs;
};

/* What surrounds a PE in the array, for one PE: the w_sbit serializer
 * (a group's scale bit SB-1-k on the (k+2)th edge after its last term)
 * and the row's output accumulator, which sums the PE's dequantized group
 * sums (MW + SB + 1 bits) and records an output at its last group. */
struct drv {
	unsigned sb, ow;
	unsigned scale[2];	/* the serializer: the latest two groups' */
	uint64_t d[2];		/* edges since their last terms */
	bool any[2];
	int64_t m;		/* the output accumulator */
	unsigned e;
	bool nan;
	int64_t (*got)[3];	/* outputs: m, e, nan */
	size_t ngot, cap;
};

static void drv_init(struct drv *v, const struct rcfg *c, int64_t (*got)[3],
		     size_t cap)
{
	memset(v, 0, sizeof *v);
	v->sb = c->sb;
	v->ow = c->mw + c->sb + 1;
	v->got = got;
	v->cap = cap;
}

/* One edge: w_sbit from the serializer, then the PE, then its output. */
static void drv_step(struct pe_bitmod_pe *pe, struct drv *v,
		     struct pe_bitmod_in *in, unsigned scale)
{
	const unsigned vl = PE_BITMOD_C_VALID | PE_BITMOD_C_LAST;

	in->sbit = 0;
	for (int j = 1; j >= 0; j--) {	/* windows SB apart: at most one */
		v->d[j]++;
		if (v->any[j] && v->d[j] >= 2 && v->d[j] < 2ull + v->sb)
			in->sbit = (uint8_t)(v->scale[j] >> (v->sb - 1 - (v->d[j] - 2)) & 1);
	}
	if ((in->ctl & vl) == vl) {
		v->scale[1] = v->scale[0];
		v->d[1] = v->d[0];
		v->any[1] = v->any[0];
		v->scale[0] = scale;
		v->d[0] = 0;
		v->any[0] = true;
	}
	pe_bitmod_pe_step(pe, in);
	if (pe->out_valid) {
		int64_t m = v->m;
		unsigned e = v->e;
		pe_bitmod_bfp_add(&m, &e, pe->out_m, pe->out_e, v->ow, NULL);
		v->nan |= pe->out_nan;
		if (!pe->out_olast) {
			v->m = m;
			v->e = e;
			return;
		}
		if (v->ngot < v->cap) {
			v->got[v->ngot][0] = m;
			v->got[v->ngot][1] = e;
			v->got[v->ngot][2] = v->nan;
			v->ngot++;
		}
		v->m = 0;
		v->e = 0;
		v->nan = false;
	}
}

/* Feeds one output's groups: each group idle cycles, then its lane-groups
 * x T term cycles, max(terms, sb) cycles in all (pe_bitmod_gemm.c's
 * schedule). */
static void feed(struct pe_bitmod_pe *pe, const struct rcfg *c,
		 const struct rout *o, struct drv *v)
{
	for (unsigned g = 0; g < o->ng; g++) {
		const struct rgroup *G = &o->g[g];
		unsigned wt = (unsigned)pe_bitmod_wtype_of_fmt(G->fmt);
		unsigned nlg = (G->n + c->lanes - 1) / c->lanes;
		for (unsigned cyc = nlg * c->T; cyc < c->sb; cyc++) {
			struct pe_bitmod_in idle = { 0 };
			drv_step(pe, v, &idle, 0);
		}
		for (unsigned j = 0; j < nlg; j++) {
			for (unsigned t = 0; t < c->T; t++) {
				struct pe_bitmod_in in = { 0 };
				in.ctl = PE_BITMOD_C_VALID;
				if (j == 0 && t == 0)
					in.ctl |= PE_BITMOD_C_FIRST;
				if (j == nlg - 1 && t == c->T - 1) {
					in.ctl |= PE_BITMOD_C_LAST;
					if (g == o->ng - 1)
						in.ctl |= PE_BITMOD_C_OLAST;
				}
				in.bitpos = (uint8_t)pe_bitmod_bitpos(wt, t);
				for (unsigned l = 0; l < c->lanes; l++) {
					unsigned k = j * c->lanes + l;
					if (k >= G->n)
						continue;
					in.term |= (uint16_t)(pe_bitmod_term(wt, G->code[k], t)
							      << 4 * l);
					in.a |= (uint64_t)G->a[k] << 16 * l;
				}
				drv_step(pe, v, &in, G->scale);
			}
		}
	}
}

static void flush(struct pe_bitmod_pe *pe, struct drv *v)
{
	for (int i = 0; i < 40; i++) {
		struct pe_bitmod_in idle = { 0 };
		drv_step(pe, v, &idle, 0);
	}
}

static void rnd_group(uint64_t *s, int fmt, unsigned n, unsigned sb,
		      struct rgroup *g)
{
	unsigned ncodes = 1u << fmt_bits(fmt), zero = tu_rng_below(s, 50) == 0;
	g->n = n;
	g->fmt = fmt;
	g->scale = rnd_scale(s, sb);
	for (unsigned k = 0; k < n; k++) {
		g->a[k] = rnd_act(s, true);
		g->code[k] = zero ? 0 : (uint8_t)tu_rng_below(s, ncodes);
	}
}

/* ----------------------------------------------- random vectors per config */
struct config {
	const char *name;
	int fmts[5];		/* per-group choice among these */
	int nfmt;
	unsigned lanes, mw, sb;
	bool bug;
	bool emax_all;
};

struct cstats {
	uint64_t vectors, outputs, mismatches, nan_outputs, bound_checked;
	double worst_ratio;	/* max |err| / bound over single-group outputs */
};

/* Runs outputs until VECTORS lane-group vectors went through the PE; every
 * output checked against the reference. Returns the stats. */
static void run_config(const struct config *cf, uint64_t seed,
		       struct cstats *st)
{
	struct pe_bitmod_cfg pc = { .lanes = cf->lanes, .mant_bits = cf->mw,
				    .scale_bits = cf->sb,
				    .bug_dq_noclear = cf->bug,
				    .emax_all = cf->emax_all };
	struct pe_bitmod_pe pe;
	struct ps_err err;
	struct rout *o = malloc(sizeof *o);
	uint64_t s = seed;
	enum { BATCH = 64 };
	struct rres *ref = malloc(BATCH * sizeof *ref);
	uint16_t *cs = malloc(BATCH * sizeof *cs);
	int64_t (*got)[3] = malloc(BATCH * sizeof *got);

	assert_non_null(o);
	assert_non_null(ref);
	memset(st, 0, sizeof *st);
	assert_int_equal(pe_bitmod_pe_init(&pe, &pc, &err), PS_OK);
	while (st->vectors < VECTORS) {
		size_t nb = 0;
		struct drv v;
		{
			struct rcfg rc0 = { cf->lanes, cf->mw, cf->sb, 0, cf->emax_all };
			drv_init(&v, &rc0, got, BATCH);
		}
		for (; nb < BATCH; nb++) {
			struct rcfg rc = { cf->lanes, cf->mw, cf->sb, 0, cf->emax_all };
			unsigned tmax = 0;
			o->ng = 1 + tu_rng_below(&s, MAXNG);
			if (tu_rng_below(&s, 3) == 0)
				o->ng = 1;
			for (unsigned g = 0; g < o->ng; g++) {
				int f = cf->fmts[tu_rng_below(&s, (unsigned)cf->nfmt)];
				unsigned n = 1 + tu_rng_below(&s, RNDG);
				rnd_group(&s, f, n, cf->sb, &o->g[g]);
				unsigned t = pe_bitmod_wtype_terms(
					(unsigned)pe_bitmod_wtype_of_fmt(f));
				if (t > tmax)
					tmax = t;
				st->vectors += (n + cf->lanes - 1) / cf->lanes;
			}
			/* sometimes run slower than the types need: zero terms */
			rc.T = tmax + (tu_rng_below(&s, 4) == 0 && tmax < 4);
			o->cs = rnd_cscale(&s);
			cs[nb] = o->cs;
			ref_output(&rc, o->g, o->ng, o->cs, &ref[nb]);
			feed(&pe, &rc, o, &v);
			/* end-to-end: a single group against the exact dot */
			if (o->ng == 1 && !ref[nb].nan && !cf->bug) {
				const struct rgroup *G = &o->g[0];
				__int128 ex = 0, mv, d, bound;
				for (unsigned k = 0; k < G->n; k++) {
					double av = fmt_f16_to_f64(G->a[k]);
					/* a = A * 2^-24 exactly */
					__int128 A = (__int128)ldexp(av, 24);
					ex += A * ref_value(G->fmt, G->code[k]);
				}
				ex *= (__int128)G->scale * 16;	/* units 2^-28 */
				mv = (__int128)ref[nb].m * ((__int128)1 << ref[nb].e);
				d = mv > ex ? mv - ex : ex - mv;
				bound = (__int128)G->scale * ref[nb].ncyc[0] *
					(cf->lanes + 2) * ((__int128)1 << ref[nb].e);
				assert_int_equal(ref[nb].e, ref[nb].eg[0]);
				if (bound == 0)
					assert_true(d == 0);
				else {
					assert_true(d < bound);
					double r = (double)d / (double)bound;
					if (r > st->worst_ratio)
						st->worst_ratio = r;
				}
				st->bound_checked++;
			}
		}
		flush(&pe, &v);
		assert_int_equal(pe.err, 0);
		if (!cf->bug)
			assert_int_equal(v.ngot, nb);
		for (size_t i = 0; i < nb && i < v.ngot; i++) {
			uint16_t y = pe_bitmod_edge_scale(got[i][0], (unsigned)got[i][1],
							  got[i][2], cs[i]);
			bool ok = got[i][2] == ref[i].nan && tu_f16_same(y, ref[i].y) &&
				  (ref[i].nan || (got[i][0] == ref[i].m &&
						  got[i][1] == ref[i].e));
			st->outputs++;
			st->nan_outputs += ref[i].nan;
			if (!ok) {
				if (!cf->bug)
					fail_msg("%s: output %llu: PE m=%lld e=%lld nan=%lld y=%04x, "
						 "ref m=%lld e=%d nan=%d y=%04x", cf->name,
						 (unsigned long long)st->outputs,
						 (long long)got[i][0], (long long)got[i][1],
						 (long long)got[i][2], y, (long long)ref[i].m,
						 ref[i].e, ref[i].nan, ref[i].y);
				st->mismatches++;
			}
		}
	}
	free(o);
	free(ref);
	free(cs);
	free(got);
}

static void check_config(const struct config *cf, uint64_t seed)
{
	struct cstats st;
	run_config(cf, seed, &st);
	printf("# %-14s lanes %u MW %2u SB %u: %llu vectors, %llu outputs "
	       "(%llu NaN), %llu within bound (worst %.3f of it)\n", cf->name,
	       cf->lanes, cf->mw, cf->sb, (unsigned long long)st.vectors,
	       (unsigned long long)st.outputs, (unsigned long long)st.nan_outputs,
	       (unsigned long long)st.bound_checked, st.worst_ratio);
	assert_true(st.vectors >= VECTORS);
	assert_int_equal(st.mismatches, 0);
	assert_true(st.bound_checked > st.outputs / 4);
}

#define CFG1(nm, f) { nm, { f }, 1, 4, 15, 8, false, false }
static const struct config type_configs[] = {
	CFG1("int8", FMT_INT8), CFG1("int6", FMT_INT6), CFG1("int4", FMT_INT4),
	CFG1("int3", FMT_INT3), CFG1("int2", FMT_INT2),
	CFG1("fp3", FMT_FP3), CFG1("fp3_er_pos", FMT_FP3_ER_POS),
	CFG1("fp3_er_neg", FMT_FP3_ER_NEG), CFG1("fp3_ea_pos", FMT_FP3_EA_POS),
	CFG1("fp3_ea_neg", FMT_FP3_EA_NEG),
	CFG1("fp4", FMT_FP4), CFG1("fp4_er_pos", FMT_FP4_ER_POS),
	CFG1("fp4_er_neg", FMT_FP4_ER_NEG), CFG1("fp4_ea_pos", FMT_FP4_EA_POS),
	CFG1("fp4_ea_neg", FMT_FP4_EA_NEG),
};

#define MIX4 { FMT_FP4_ER_POS, FMT_FP4_ER_NEG, FMT_FP4_EA_POS, FMT_FP4_EA_NEG, FMT_INT4 }
static const struct config param_configs[] = {
	{ "mix4 MW4", MIX4, 5, 4, 4, 8, false, false },
	{ "mix4 MW8", MIX4, 5, 4, 8, 8, false, false },
	{ "mix4 MW23", MIX4, 5, 4, 23, 8, false, false },
	{ "mix4 lanes1", MIX4, 5, 1, 15, 8, false, false },
	{ "mix4 lanes3", MIX4, 5, 3, 15, 8, false, false },
	{ "mix8 SB5", { FMT_INT8, FMT_INT6, FMT_FP3_EA_NEG }, 3, 2, 12, 5, false, false },
	{ "mix4 SB1", MIX4, 5, 4, 15, 1, false, false },
	/* the paper's exponent match: the maximum over every lane */
	{ "mix4 emax_all", MIX4, 5, 4, 15, 8, false, true },
	{ "mix8 emax_all", { FMT_INT8, FMT_INT6, FMT_FP3_EA_NEG }, 3, 3, 15, 8, false, true },
};

static void test_types(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof type_configs / sizeof type_configs[0]; i++)
		check_config(&type_configs[i], 1000 + i);
}

static void test_params(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof param_configs / sizeof param_configs[0]; i++)
		check_config(&param_configs[i], 2000 + i);
}

/* The public RTL's dequantizer keeps its accumulator on start: the check
 * must catch it. (Only the first group after reset comes out right.) */
static void test_broken_dq(void **state)
{
	struct config cf = { "broken dq", MIX4, 5, 4, 15, 8, true, false };
	struct cstats st;
	(void)state;
	run_config(&cf, 3000, &st);
	printf("# broken variant (dq not cleared on start): %llu of %llu "
	       "outputs differ from the reference\n",
	       (unsigned long long)st.mismatches, (unsigned long long)st.outputs);
	assert_true(st.mismatches > st.outputs / 2);
}

/* ------------------------------------------------------------ terms */
static void test_terms(void **state)
{
	int fmts[] = { FMT_INT2, FMT_INT3, FMT_INT4, FMT_INT6, FMT_INT8,
		       FMT_FP3, FMT_FP3_ER_POS, FMT_FP3_ER_NEG, FMT_FP3_EA_POS,
		       FMT_FP3_EA_NEG, FMT_FP4, FMT_FP4_ER_POS, FMT_FP4_ER_NEG,
		       FMT_FP4_EA_POS, FMT_FP4_EA_NEG };
	(void)state;
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		int wt = pe_bitmod_wtype_of_fmt(fmts[i]);
		unsigned nt;
		assert_true(wt >= 0);
		assert_int_equal(pe_bitmod_fmt_of_wtype((unsigned)wt), fmts[i]);
		nt = pe_bitmod_wtype_terms((unsigned)wt);
		assert_int_equal(nt, is_int(fmts[i]) ? (fmt_bits(fmts[i]) + 1) / 2 : 2);
		for (unsigned code = 0; code < (1u << fmt_bits(fmts[i])); code++) {
			int sum = 0;
			for (unsigned t = 0; t < 4; t++) {
				unsigned tm = pe_bitmod_term((unsigned)wt, code, t);
				unsigned bp = pe_bitmod_bitpos((unsigned)wt, t);
				int v = (tm & 1) << ((tm >> 1 & 3) + bp);
				int s, e;
				bool nz;
				unsigned rbp;
				if (t >= nt)
					assert_int_equal(tm, 0);
				ref_term(fmts[i], code, t, &s, &e, &nz, &rbp);
				assert_int_equal(tm, nz ? (unsigned)(s << 3 | e << 1 | 1) : 0u);
				if (nz)
					assert_int_equal(bp, rbp);
				sum += tm >> 3 ? -v : v;
			}
			assert_int_equal(sum, ref_value(fmts[i], code));
		}
	}
	/* -128 is a reserved INT8 code, yet the Booth PE runs it */
	assert_int_equal(pe_bitmod_term(8, 0x80, 3), 0xbu);	/* -2 << 6 */
	assert_int_equal(pe_bitmod_term(8, 0x80, 0) | pe_bitmod_term(8, 0x80, 1) |
			 pe_bitmod_term(8, 0x80, 2), 0u);
	/* reserved encodings decode to nothing */
	assert_int_equal(pe_bitmod_wtype_terms(5), 0);
	assert_int_equal(pe_bitmod_wtype_terms(0x15), 0);
	assert_int_equal(pe_bitmod_term(0x1d, 3, 0), 0);
	assert_int_equal(pe_bitmod_wtype_of_fmt(FMT_FP6_E2M3), -1);
	assert_int_equal(pe_bitmod_term_cycles(4.0625), 2);
	assert_int_equal(pe_bitmod_term_cycles(3.0625), 2);
	assert_int_equal(pe_bitmod_term_cycles(6.0625), 3);
	assert_int_equal(pe_bitmod_term_cycles(8), 4);
}

/* ------------------------------------------------------------ corners */
static void check_one(const struct rcfg *rc, struct rout *o, bool expect_err)
{
	struct pe_bitmod_cfg pc = { .lanes = rc->lanes, .mant_bits = rc->mw,
				    .scale_bits = rc->sb, .emax_all = rc->emax_all };
	struct pe_bitmod_pe pe;
	struct ps_err err;
	struct rres ref;
	int64_t got[2][3];
	struct drv v;

	assert_int_equal(pe_bitmod_pe_init(&pe, &pc, &err), PS_OK);
	ref_output(rc, o->g, o->ng, o->cs, &ref);
	drv_init(&v, rc, got, 2);
	feed(&pe, rc, o, &v);
	flush(&pe, &v);
	assert_int_equal(pe.err, expect_err);
	assert_int_equal(v.ngot, 1);
	assert_int_equal(got[0][2], ref.nan);
	if (!ref.nan) {
		assert_int_equal(got[0][0], ref.m);
		assert_int_equal(got[0][1], ref.e);
	}
	assert_true(tu_f16_same(pe_bitmod_edge_scale(got[0][0], (unsigned)got[0][1],
						got[0][2], o->cs), ref.y));
}

static void fill(struct rgroup *g, int fmt, unsigned n, uint16_t a,
		 uint8_t code, unsigned scale)
{
	g->n = n;
	g->fmt = fmt;
	g->scale = scale;
	for (unsigned k = 0; k < n; k++) {
		g->a[k] = a;
		g->code[k] = code;
	}
}

static void test_corners(void **state)
{
	struct rcfg rc = { 4, 15, 8, 4, false };
	struct rout *o = calloc(1, sizeof *o);
	(void)state;

	o->ng = 1;
	o->cs = 0x3c00;
	/* INT8 -128 times the largest finite activations, longest group:
	 * the widest the adder tree and group accumulator get */
	fill(&o->g[0], FMT_INT8, MAXG, 0x7bff, 0x80, 255);
	check_one(&rc, o, false);
	fill(&o->g[0], FMT_INT8, MAXG, 0xfbff, 0x80, 255);
	check_one(&rc, o, false);
	/* exact: 1.0 * 7 * 3 in the FP16 result */
	fill(&o->g[0], FMT_INT4, 1, 0x3c00, 7, 3);
	rc.T = 2;
	check_one(&rc, o, false);
	/* subnormals, smallest and largest, with every INT8 code */
	for (unsigned c = 0; c < 256; c++) {
		fill(&o->g[0], FMT_INT8, 4, 0x0001, (uint8_t)c, 255);
		o->g[0].a[1] = 0x03ff;
		o->g[0].a[2] = 0x8001;
		o->g[0].a[3] = 0x7bff;	/* one huge lane: the others shift out */
		rc.T = 4;
		check_one(&rc, o, false);
	}
	/* each special value of each type, against tiny and huge lanes */
	int sv[] = { FMT_FP3_ER_POS, FMT_FP3_ER_NEG, FMT_FP3_EA_POS,
		     FMT_FP3_EA_NEG, FMT_FP4_ER_POS, FMT_FP4_ER_NEG,
		     FMT_FP4_EA_POS, FMT_FP4_EA_NEG, FMT_FP3, FMT_FP4 };
	for (size_t i = 0; i < sizeof sv / sizeof sv[0]; i++) {
		uint8_t code = (uint8_t)(1u << (fmt_bits(sv[i]) - 1));
		fill(&o->g[0], sv[i], 8, 0x3555, code, 200);
		o->g[0].a[3] = 0x0200;
		o->g[0].a[5] = 0xfbff;
		rc.T = 2;
		check_one(&rc, o, false);
	}
	/* all-zero groups: zero codes, zero activations, scale 0 */
	fill(&o->g[0], FMT_FP4_EA_POS, MAXG, 0x4000, 0, 9);
	check_one(&rc, o, false);
	fill(&o->g[0], FMT_INT8, MAXG, 0x0000, 0x7f, 9);
	rc.T = 4;
	check_one(&rc, o, false);
	fill(&o->g[0], FMT_INT8, MAXG, 0x4000, 0x7f, 0);
	check_one(&rc, o, false);
	/* Inf and NaN activations make the output NaN, even times 0 */
	fill(&o->g[0], FMT_INT8, 8, 0x3c00, 1, 1);
	o->g[0].a[5] = 0x7c00;
	check_one(&rc, o, false);
	o->g[0].code[5] = 0;
	o->g[0].a[5] = 0xfe01;
	check_one(&rc, o, false);
	/* channel scale Inf times a zero result is NaN, times nonzero Inf */
	fill(&o->g[0], FMT_INT8, 8, 0x0000, 1, 1);
	o->cs = 0x7c00;
	check_one(&rc, o, false);
	o->g[0].a[0] = 0x3c00;
	check_one(&rc, o, false);
	o->cs = 0x3c00;
	/* output accumulator bound: four groups of the largest products */
	o->ng = MAXNG;
	for (unsigned g = 0; g < MAXNG; g++)
		fill(&o->g[g], FMT_INT8, MAXG, g & 1 ? 0xfbff : 0x7bff, 0x81, 255);
	check_one(&rc, o, false);
	/* narrowest and widest accumulators on the same extreme stream */
	rc.mw = PE_BITMOD_MW_MIN;
	check_one(&rc, o, false);
	rc.mw = PE_BITMOD_MW_MAX;
	check_one(&rc, o, false);
	/* two 1-cycle groups back to back: the second arrives while the
	 * dequantizer (8 cycles per group) is busy, a schedule error the PE
	 * flags */
	{
		struct pe_bitmod_cfg pc = { 4, 15, 8, false, false };
		struct pe_bitmod_pe pe;
		struct ps_err err;
		struct pe_bitmod_in in = { .ctl = PE_BITMOD_C_VALID |
				PE_BITMOD_C_FIRST | PE_BITMOD_C_LAST, .term = 1,
				.a = 0x3c00, .sbit = 1 };
		assert_int_equal(pe_bitmod_pe_init(&pe, &pc, &err), PS_OK);
		pe_bitmod_pe_step(&pe, &in);
		pe_bitmod_pe_step(&pe, &in);
		for (int i = 0; i < 4; i++)
			pe_bitmod_pe_step(&pe, &(struct pe_bitmod_in){ 0 });
		assert_int_equal(pe.err, 1);
	}
	free(o);
}

/* One group of n term cycles: the output is on the ports after call
 * n - 1 + 2 + SB (0-based): README "PE pipeline"; the scale 1 has its
 * one bit last, SB + 1 edges after the last term. */
static void test_latency(void **state)
{
	struct pe_bitmod_cfg pc = { 4, 15, 8, false, false };
	(void)state;
	for (unsigned sb = 1; sb <= 8; sb++) {
		for (unsigned n = 1; n <= 12; n++) {
			struct pe_bitmod_pe pe;
			struct ps_err err;
			int when = -1;
			pc.scale_bits = sb;
			assert_int_equal(pe_bitmod_pe_init(&pe, &pc, &err), PS_OK);
			for (unsigned i = 0; i < n + 20; i++) {
				struct pe_bitmod_in in = { 0 };
				if (i < n) {
					in.ctl = PE_BITMOD_C_VALID;
					in.ctl |= i == 0 ? PE_BITMOD_C_FIRST : 0;
					in.ctl |= i == n - 1 ? PE_BITMOD_C_LAST |
						  PE_BITMOD_C_OLAST : 0;
					in.term = 0x1111;
					in.a = 0x3c003c003c003c00ull;
				}
				in.sbit = i == n - 1 + sb + 1;
				pe_bitmod_pe_step(&pe, &in);
				if (pe.out_valid) {
					assert_int_equal(when, -1);
					when = (int)i;
				}
			}
			assert_int_equal(when, (int)(n - 1 + PE_BITMOD_PIPE + sb));
			/* 4 lanes x 1.0 x n cycles, times scale 1 */
			assert_int_equal(pe.out_m * ((int64_t)1 << pe.out_e), (int64_t)(4 * n) << 28);
			assert_int_equal(pe.out_olast, 1);
		}
	}
}

/* ------------------------------------------------- bt ports and the array */
static void test_bt_pe_ports(void **state)
{
	const struct pe_bt_ops *ops;
	struct pe_params p = { .lanes = 4, .scale_bits = 8 };
	struct pe_bitmod_cfg pc;
	struct pe_bitmod_pe ref;
	struct ps_err err;
	uint64_t s = 77, in[8], out[6];
	void *st = tu_bt_open("bitmod_pe", &p, 8, 6, &ops);
	(void)state;

	assert_string_equal(ops->ports[6].name, "w_sbit");
	assert_string_equal(ops->ports[7].name, "a");
	assert_int_equal(ops->ports[7].width, 64);
	assert_string_equal(ops->ports[9].name, "out_man");
	pe_bitmod_cfg_default(&p, &pc);
	assert_int_equal(pe_bitmod_pe_init(&ref, &pc, &err), PS_OK);
	/* random port words, mostly well-formed groups of 8+ cycles */
	for (int i = 0; i < 20000; i++) {
		unsigned ph = (unsigned)i % 10;
		struct pe_bitmod_in x;
		in[0] = ph < 8;
		in[1] = ph == 0;
		in[2] = ph == 7;
		in[3] = ph == 7 && tu_rng_below(&s, 2);
		in[4] = tu_rng_below(&s, 8);
		in[5] = tu_rng(&s) & 0xffff;
		in[6] = tu_rng(&s) & 1;
		in[7] = 0;
		for (int l = 0; l < 4; l++)
			in[7] |= (uint64_t)rnd_act(&s, false) << 16 * l;
		for (size_t k = 0; k < ops->n_in; k++)
			assert_true(ops->ports[k].width == 64 ||
				    in[k] < (1ull << ops->ports[k].width));
		ops->step(st, in, out);
		x = (struct pe_bitmod_in){ .ctl = (uint8_t)(in[0] | in[1] << 1 |
				in[2] << 2 | in[3] << 3), .bitpos = (uint8_t)in[4],
				.term = (uint16_t)in[5], .sbit = (uint8_t)in[6],
				.a = in[7] };
		pe_bitmod_pe_step(&ref, &x);
		assert_int_equal(out[0], ref.out_valid);
		assert_int_equal(out[1], (uint32_t)ref.out_m);
		assert_int_equal(out[2], ref.out_e);
		assert_int_equal(out[3], ref.out_nan);
		assert_int_equal(out[4], ref.out_olast);
		assert_int_equal(out[5], 0);
		for (size_t k = 0; k < ops->n_out; k++)
			assert_true(out[k] < (1ull << ops->ports[ops->n_in + k].width));
	}
	ops->reset(st);
	assert_int_equal(((struct pe_bitmod_pe *)st)->out_m, 0);
	free(st);
}

/* Drives the registered 4x4 array through its ports as a harness would:
 * one pass, M = N = 4, K of two groups, the driver skewing rows and
 * columns, and checks every FP16 result against the reference. */
static void test_bt_array_ports(void **state)
{
	const struct pe_bt_ops *ops;
	struct pe_params p = { .lanes = 4, .scale_bits = 8 };
	enum { K = 24, G = 12, T = 2, NT = G / 4 * T, SLOT = 8 };
	uint16_t a[4][K], cs[4], y[4][4];
	uint8_t w[4][K], sc[4][2];
	int fm[4][2], seen = 0;
	uint64_t s = 5, in[20], out[13];
	void *st = tu_bt_open("bitmod_array4x4", &p, 20, 13, &ops);
	(void)state;

	assert_string_equal(ops->ports[0].name, "w_ctl_0");
	assert_string_equal(ops->ports[2].name, "w_sbit_0");
	assert_string_equal(ops->ports[19].name, "a_3");
	assert_string_equal(ops->ports[32].name, "err");
	for (int i = 0; i < 4; i++) {
		cs[i] = (uint16_t)(0x1000 + tu_rng_below(&s, 0x800));
		for (int k = 0; k < K; k++) {
			a[i][k] = rnd_act(&s, false);
			w[i][k] = (uint8_t)tu_rng_below(&s, 16);
		}
		for (int g = 0; g < 2; g++) {
			sc[i][g] = (uint8_t)tu_rng_below(&s, 256);
			fm[i][g] = g ? FMT_FP4_EA_NEG : FMT_INT4;
		}
	}
	memset(y, 0xff, sizeof y);
	/* stream index i: group i / SLOT; a slot is SLOT - NT idle cycles,
	 * then NT term cycles */
	for (int tau = 0; tau < 2 * SLOT + 40; tau++) {
		memset(in, 0, sizeof in);
		for (int r = 0; r < 4; r++) {
			int i = tau - r, g = i / SLOT, o = i % SLOT - (SLOT - NT);
			if (i < 0 || g >= 2 || o < 0)
				continue;
			int j = o / T, t = o % T;
			unsigned wt = (unsigned)pe_bitmod_wtype_of_fmt(fm[r][g]);
			in[4 * r] = PE_BITMOD_W_VALID | (o == 0 ? PE_BITMOD_W_FIRST : 0) |
				    (o == NT - 1 ? PE_BITMOD_W_LAST : 0) |
				    (o == NT - 1 && g == 1 ? PE_BITMOD_W_OLAST : 0) |
				    PE_BITMOD_W_TIDX(t) | PE_BITMOD_W_TYPE(wt);
			for (int l = 0; l < 4; l++)
				in[4 * r + 1] |= (uint64_t)w[r][g * G + j * 4 + l] << 8 * l;
			in[4 * r + 3] = cs[r];
		}
		/* w_sbit: scale bit 7 - k of group g on the (k+2)th edge after
		 * its last term (stream index g * SLOT + SLOT - 1) */
		for (int r = 0; r < 4; r++) {
			int i = tau - r;
			for (int g = 0; g < 2; g++) {
				int k = i - (g * SLOT + SLOT - 1) - 2;
				if (k >= 0 && k < 8)
					in[4 * r + 2] = sc[r][g] >> (7 - k) & 1;
			}
		}
		for (int c = 0; c < 4; c++) {
			int i = tau - c, g = i / SLOT, o = i % SLOT - (SLOT - NT);
			if (i < 0 || g >= 2 || o < 0)
				continue;
			for (int l = 0; l < 4; l++)
				in[16 + c] |= (uint64_t)a[c][g * G + o / T * 4 + l] << 16 * l;
		}
		ops->step(st, in, out);
		assert_int_equal(out[12], 0);
		for (int r = 0; r < 4; r++)
			if (out[3 * r]) {
				y[out[3 * r + 2]][r] = (uint16_t)out[3 * r + 1];
				seen++;
			}
	}
	assert_int_equal(seen, 16);
	for (int m = 0; m < 4; m++) {
		for (int n = 0; n < 4; n++) {
			struct rcfg rc = { 4, 15, 8, T, false };
			struct rgroup gs[2];
			struct rres ref;
			for (int g = 0; g < 2; g++) {
				gs[g].n = G;
				gs[g].fmt = fm[n][g];
				gs[g].scale = sc[n][g];
				memcpy(gs[g].a, &a[m][g * G], sizeof(uint16_t) * G);
				memcpy(gs[g].code, &w[n][g * G], G);
			}
			ref_output(&rc, gs, 2, cs[n], &ref);
			assert_int_equal(y[m][n], ref.y);
		}
	}
	free(st);
}

/* ------------------------------------------------------------ GEMM */
struct gemm_data {
	uint64_t M, N, K, G, ng;
	uint16_t *a, *cs, *out;
	uint8_t *w, *wfmt, *sq;
};

static void gemm_free(struct gemm_data *d)
{
	TU_FREE(d->a, d->cs, d->out, d->w, d->wfmt, d->sq);
}

/* Checks every output of a finished GEMM against the reference. */
static void gemm_check_ref(const struct gemm_data *d, const struct rcfg *rc)
{
	struct rgroup *gs = malloc(sizeof *gs * d->ng);
	assert_non_null(gs);
	for (uint64_t m = 0; m < d->M; m++) {
		for (uint64_t n = 0; n < d->N; n++) {
			struct rres ref;
			for (uint64_t g = 0; g < d->ng; g++) {
				uint64_t k0 = g * d->G, len = d->K - k0 < d->G ? d->K - k0 : d->G;
				gs[g].n = (unsigned)len;
				gs[g].fmt = d->wfmt[n * d->ng + g];
				gs[g].scale = d->sq[n * d->ng + g];
				for (uint64_t k = 0; k < len; k++) {
					gs[g].a[k] = d->a[m * d->K + k0 + k];
					gs[g].code[k] = d->w[n * d->K + k0 + k];
				}
			}
			/* the reference handles MAXNG groups of MAXG at most */
			assert_true(d->ng <= MAXNG && d->G <= MAXG);
			ref_output(rc, gs, (unsigned)d->ng, d->cs[n], &ref);
			if (!tu_f16_same(d->out[m * d->N + n], ref.y))
				fail_msg("out[%llu][%llu] = %04x, reference %04x",
					 (unsigned long long)m, (unsigned long long)n,
					 d->out[m * d->N + n], ref.y);
		}
	}
	free(gs);
}

static const struct width {
	double bits;
	int fmts[3];
} widths[] = {
	{ 2, { FMT_INT2, FMT_INT2, FMT_INT2 } },
	{ 3.0625, { FMT_FP3_ER_POS, FMT_FP3_EA_NEG, FMT_INT3 } },
	{ 4.0625, { FMT_FP4_ER_NEG, FMT_FP4_EA_POS, FMT_INT4 } },
	{ 6.0625, { FMT_INT6, FMT_INT4, FMT_FP4 } },
	{ 8, { FMT_INT8, FMT_INT6, FMT_FP3 } },
};

/* One random GEMM of the given shape: stepped cycles == closed form, the
 * counters add up, every output equals the reference. */
static void closed_form_case(uint64_t *s, const struct pe_params *p,
			     const struct pe_array *arr, const struct width *wd,
			     uint64_t M, uint64_t N, uint64_t K, uint64_t G)
{
	struct gemm_data d = { .M = M, .N = N, .K = K, .G = G };
	struct pe_bitmod_gemm g;
	struct pe_bitmod_actions act;
	struct pe_tile t = { M, N, K };
	struct ps_err err;
	uint64_t cyc;
	struct rcfg rc;

	d.ng = (d.K + d.G - 1) / d.G;
	d.a = malloc(d.M * d.K * 2);
	d.w = malloc(d.N * d.K);
	d.wfmt = malloc(d.N * d.ng);
	d.sq = malloc(d.N * d.ng);
	d.cs = malloc(d.N * 2);
	d.out = malloc(d.M * d.N * 2);
	for (uint64_t i = 0; i < d.M * d.K; i++)
		d.a[i] = rnd_act(s, true);
	for (uint64_t n = 0; n < d.N; n++) {
		d.cs[n] = rnd_cscale(s);
		for (uint64_t gi = 0; gi < d.ng; gi++) {
			d.wfmt[n * d.ng + gi] = (uint8_t)wd->fmts[tu_rng_below(s, 3)];
			d.sq[n * d.ng + gi] = (uint8_t)rnd_scale(s, p->scale_bits);
		}
		for (uint64_t k = 0; k < d.K; k++)
			d.w[n * d.K + k] = (uint8_t)tu_rng_below(s,
				1u << fmt_bits(d.wfmt[n * d.ng + k / d.G]));
	}
	g = (struct pe_bitmod_gemm){ .M = d.M, .N = d.N, .K = d.K, .a = d.a,
				     .w = d.w, .wfmt = d.wfmt, .scale_q = d.sq,
				     .cscale = d.cs, .out = d.out };
	if (pe_bitmod_run_gemm(p, arr, &g, &cyc, &act, &err) != PS_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(cyc, pe_bitmod_tile_cycles(p, arr, &t));
	assert_int_equal(act.cycles, cyc * arr->rows * arr->cols);
	assert_int_equal(act.outputs, act.edge_muls);
	rc = (struct rcfg){ p->lanes, 15, p->scale_bits,
			    pe_bitmod_term_cycles(p->weight_bits), p->emax_all };
	gemm_check_ref(&d, &rc);
	gemm_free(&d);
}

/* Random tiles, bit widths, lanes, scale bits and array shapes: the
 * stepped cycle count equals the closed form, and every output equals the
 * reference. Then the paper's arrays (32x32 prefill, 64x16 decode) with
 * its group of 128. */
static void test_closed_form(void **state)
{
	uint64_t s = 4242;
	(void)state;
	for (int it = 0; it < 250; it++) {
		const struct width *wd = &widths[tu_rng_below(&s, 5)];
		struct pe_params p = {
			.lanes = 1 + tu_rng_below(&s, 4), .bit_serial = true,
			.weight_bits = wd->bits,
			.scale_bits = 1 + tu_rng_below(&s, 8),
			.emax_all = tu_rng_below(&s, 4) == 0,
		};
		struct pe_array arr = { .rows = 1 + tu_rng_below(&s, 6),
					.cols = 1 + tu_rng_below(&s, 6),
					.dataflow = CFG_DF_OS };
		uint64_t M = 1 + tu_rng_below(&s, 9), N = 1 + tu_rng_below(&s, 9);
		uint64_t G = 1 + tu_rng_below(&s, RNDG);
		uint64_t K = 1 + tu_rng_below(&s, (unsigned)(G * MAXNG));
		if (tu_rng_below(&s, 4) == 0) {	/* one group of all K */
			K = 1 + tu_rng_below(&s, RNDG);
			G = K;
		}
		p.group_size = (uint32_t)(G == K && tu_rng_below(&s, 2) ? 0 : G);
		closed_form_case(&s, &p, &arr, wd, M, N, K, G);
	}
	struct pe_params p = { .lanes = 4, .bit_serial = true,
			       .weight_bits = 4.0625, .group_size = 128,
			       .scale_bits = 8 };
	struct pe_array pre = { 32, 32, CFG_DF_OS, 0 }, dec = { 64, 16, CFG_DF_OS, 0 };
	closed_form_case(&s, &p, &pre, &widths[2], 40, 70, 256, 128);
	p.weight_bits = 3.0625;
	closed_form_case(&s, &p, &dec, &widths[1], 1, 130, 384, 128);
	p.weight_bits = 6.0625;
	closed_form_case(&s, &p, &pre, &widths[3], 33, 5, 512, 128);
}

/* Absolute cycles counted by hand from the schedule (pe_bitmod_gemm.c,
 * README.md "Schedule and timing"), the stepped array run on each: a pass
 * is its groups' slots, each max(terms of the group, scale bits, 2C-1)
 * (every group's sum leaves through the row's shadow chain, which must
 * not collide); the last term enters PE (R-1,C-1) R+C-2 edges after row 0
 * column 0 sees it, its group sum is valid 2 + SB edges later, loads the
 * slot on the next edge, shifts C-1 times to the left edge, the row's
 * output accumulator loads the result register on the edge after and y
 * shows it on the next: cycles = passes x P + (R-1) + 2(C-1) + 2 + SB + 3.
 *   1x8 array, 4 lanes, 4-bit weights (2 terms), SB 8, M 8, N 1, K 4 (one
 *   group): a group is 1 lane-group x 2 terms, its slot max(2, 8, 15) = 15:
 *   15 + 0 + 14 + 2 + 8 + 3 = 42; with M 16 two passes: 30 + 27 = 57.
 *   The same with K 8 in groups of 4: two slots of 15 a pass, 30 + 27 = 57
 *   (with the output accumulator in the PE, as until 2026-12, the pass was
 *   max(8 + 8, 15) = 16: 43).
 *   2x2 array, M 2, N 4, K 256 in groups of 128: slot max(32 x 2, 8, 3) =
 *   64, P = 128, 2 passes (N 4 over 2 rows): 256 + 1 + 2 + 13 = 272.
 * A slot of 2C (not 2C-1) would make the first 43. */
static void test_hand_counts(void **state)
{
	uint64_t s = 77;
	struct pe_params p = { .lanes = 4, .bit_serial = true, .weight_bits = 4.0625,
			       .group_size = 128, .scale_bits = 8 };
	struct pe_array row = { 1, 8, CFG_DF_OS, 0 }, sq = { 2, 2, CFG_DF_OS, 0 };
	(void)state;
	assert_int_equal(pe_bitmod_tile_cycles(&p, &row, &(struct pe_tile){ 8, 1, 4 }), 42);
	assert_int_equal(pe_bitmod_tile_cycles(&p, &row, &(struct pe_tile){ 16, 1, 4 }), 57);
	p.group_size = 4;
	assert_int_equal(pe_bitmod_tile_cycles(&p, &row, &(struct pe_tile){ 8, 1, 8 }), 57);
	closed_form_case(&s, &p, &row, &widths[2], 8, 1, 8, 4);
	p.group_size = 128;
	assert_int_equal(pe_bitmod_tile_cycles(&p, &sq, &(struct pe_tile){ 2, 4, 256 }), 272);
	/* and stepping counts the same (closed_form_case: stepped == closed) */
	closed_form_case(&s, &p, &row, &widths[2], 8, 1, 4, 128);
	closed_form_case(&s, &p, &row, &widths[2], 16, 1, 4, 128);
	closed_form_case(&s, &p, &sq, &widths[2], 2, 4, 256, 128);
}

/* A BitMoD-quantized Llama-like layer (cc_quant bitmod4 / bitmod3) on the
 * paper's 4-lane PE in a 4x4 array: bit-exact against the reference and
 * close to the double-precision GEMM of the dequantized weights. */
static void gemm_quant(const char *spec, double bits, double tol)
{
	enum { M = 6, N = 8, K = 256 };
	struct fmt_qspec q;
	struct cc_qtensor qt;
	struct ps_err err;
	float *wf = malloc(sizeof(float) * N * K), *af = malloc(sizeof(float) * M * K);
	struct gemm_data d = { .M = M, .N = N, .K = K, .G = 128 };
	struct pe_params p = { .lanes = 4, .bit_serial = true, .weight_bits = bits,
			       .group_size = 128, .scale_bits = 8 };
	struct pe_array arr = { .rows = 4, .cols = 4, .dataflow = CFG_DF_OS };
	struct pe_bitmod_gemm g;
	uint64_t cyc;
	char full[32];

	assert_int_equal(wl_gen_weights(7, N, K, NULL, wf, &err), PS_OK);
	assert_int_equal(wl_gen_acts(8, M, K, NULL, af, &err), PS_OK);
	snprintf(full, sizeof full, "%s-g128", spec);
	assert_int_equal(fmt_qspec_parse(full, &q, &err), PS_OK);
	assert_int_equal(cc_quantize(&q, wf, N, K, &qt, &err), PS_OK);
	d.ng = K / 128;
	d.a = malloc(M * K * 2);
	d.cs = malloc(N * 2);
	d.out = malloc(M * N * 2);
	d.w = malloc(N * K);
	d.wfmt = malloc(N * d.ng);
	d.sq = malloc(N * d.ng);
	for (int i = 0; i < M * K; i++)
		d.a[i] = fmt_f16_from_f32(af[i]);
	memcpy(d.w, qt.codes, N * K);
	memcpy(d.wfmt, qt.gfmt, N * d.ng);
	memcpy(d.sq, qt.scale_q, N * d.ng);
	for (int n = 0; n < N; n++)
		d.cs[n] = fmt_f16_from_f32(qt.chan_scale[n]);
	g = (struct pe_bitmod_gemm){ .M = M, .N = N, .K = K, .a = d.a, .w = d.w,
				     .wfmt = d.wfmt, .scale_q = d.sq,
				     .cscale = d.cs, .out = d.out };
	double *x = calloc(M * N, sizeof *x), rel[2];
	for (int m = 0; m < M; m++)
		for (int n = 0; n < N; n++)
			for (int k = 0; k < K; k++)
				x[m * N + n] += fmt_f16_to_f64(d.a[m * K + k]) *
						qt.deq[n * K + k];
	/* the paper's 15-bit group accumulator, then a 23-bit one */
	for (int v = 0; v < 2; v++) {
		double e2 = 0, x2 = 0;
		g.mant_bits = v ? 23 : 15;
		if (pe_bitmod_run_gemm(&p, &arr, &g, &cyc, NULL, &err) != PS_OK)
			fail_msg("%s", err.msg);
		struct pe_tile t = { M, N, K };
		assert_int_equal(cyc, pe_bitmod_tile_cycles(&p, &arr, &t));
		gemm_check_ref(&d, &(struct rcfg){ 4, g.mant_bits, 8, 2, false });
		for (int i = 0; i < M * N; i++) {
			double e = fmt_f16_to_f64(d.out[i]) - x[i];
			e2 += e * e;
			x2 += x[i] * x[i];
		}
		rel[v] = sqrt(e2 / x2);
	}
	printf("# %s GEMM %dx%dx%d: %llu cycles, relative error vs double: "
	       "%.2e (MW 15), %.2e (MW 23)\n", spec, M, N, K,
	       (unsigned long long)cyc, rel[0], rel[1]);
	assert_true(rel[0] < tol);
	assert_true(rel[1] <= rel[0]);
	/* the broken dequantizer is caught end to end too */
	g.mant_bits = 15;
	g.bug_dq_noclear = true;
	assert_int_equal(pe_bitmod_run_gemm(&p, &arr, &g, &cyc, NULL, &err), PS_OK);
	int bad = 0;
	for (int i = 0; i < M * N; i++)
		bad += fabs(fmt_f16_to_f64(d.out[i]) - x[i]) > 0.05 * fabs(x[i]) + 1e-3;
	assert_true(bad > M * N / 2);
	free(x);
	cc_qtensor_free(&qt);
	gemm_free(&d);
	free(wf);
	free(af);
}

static void test_gemm_quant(void **state)
{
	(void)state;
	gemm_quant("bitmod4", 4.0625, 5e-3);
	gemm_quant("bitmod3", 3.0625, 5e-3);
}

/* pe_ops.gemm_bt, as bit-true mode calls it: bitmod4 data gives exactly
 * run_gemm's results; int6-g128 data (the lossless configuration's) runs
 * after the two-level scale conversion, close to the int6 reference;
 * stepped == closed in both. */
static double bt_sqnr(const char *spec, double bits, const struct pe_array *arr,
		      uint64_t M, uint64_t N, uint64_t K)
{
	const struct pe_family *ops = pe_family_find("bitmod");
	struct pe_params p = { .lanes = 4, .bit_serial = true, .weight_bits = bits,
			       .group_size = 128, .scale_bits = 8, .a_bits = 16 };
	float *wf = malloc(sizeof(float) * N * K), *af = malloc(sizeof(float) * M * K);
	uint16_t *a = malloc(2 * M * K), *cs = malloc(2 * N), *o = malloc(2 * M * N);
	double *out = malloc(sizeof(double) * M * N), e2 = 0, x2 = 0;
	struct fmt_qspec q;
	struct cc_qtensor t;
	struct pe_gemm g = { 0 };
	struct ps_err err;
	uint64_t stepped, closed;

	assert_non_null(ops);
	assert_non_null(ops->gemm_bt);
	assert_int_equal(wl_gen_weights(11, N, K, NULL, wf, &err), PS_OK);
	assert_int_equal(wl_gen_acts(12, M, K, NULL, af, &err), PS_OK);
	for (uint64_t i = 0; i < M * K; i++)
		a[i] = fmt_f16_from_f32(af[i]);
	assert_int_equal(fmt_qspec_parse(spec, &q, &err), PS_OK);
	assert_int_equal(cc_quantize(&q, wf, N, K, &t, &err), PS_OK);
	g = (struct pe_gemm){ .M = M, .K = K, .N = N, .a = a };
	cc_qtensor_weights(&t, &q, &g);
	if (ops->gemm_bt(&p, arr, &g, out, &stepped, &closed, &err) != PS_OK)
		fail_msg("%s: %s", spec, err.msg);
	assert_int_equal(stepped, closed);
	if (t.scale_q) {	/* native: the same numbers as run_gemm */
		struct pe_bitmod_gemm bg = { .M = M, .N = N, .K = K, .a = a,
					     .w = t.codes, .wfmt = t.gfmt,
					     .scale_q = t.scale_q, .cscale = cs,
					     .out = o };
		uint64_t cyc;
		for (uint64_t n = 0; n < N; n++)
			cs[n] = fmt_f16_from_f32(t.chan_scale[n]);
		assert_int_equal(pe_bitmod_run_gemm(&p, arr, &bg, &cyc, NULL, &err), PS_OK);
		assert_int_equal(cyc, stepped);
		for (uint64_t i = 0; i < M * N; i++)
			assert_true(out[i] == fmt_f16_to_f64(o[i]));
	}
	for (uint64_t m = 0; m < M; m++)
		for (uint64_t n = 0; n < N; n++) {
			double x = 0;
			for (uint64_t k = 0; k < K; k++)
				x += fmt_f16_to_f64(a[m * K + k]) * t.deq[n * K + k];
			e2 += (out[m * N + n] - x) * (out[m * N + n] - x);
			x2 += x * x;
		}
	cc_qtensor_free(&t);
	TU_FREE(wf, af, a, cs, o, out);
	return 10 * log10(x2 / e2);
}

static void test_gemm_bt(void **state)
{
	struct pe_array arr = { 8, 8, CFG_DF_OS, 0 };
	double s4, s6;
	(void)state;
	s4 = bt_sqnr("bitmod4", 4.0625, &arr, 5, 12, 384);
	s6 = bt_sqnr("int6-g128", 6.0625, &arr, 5, 12, 384);
	printf("# gemm_bt SQNR against the quantizer's own dequantized weights: "
	       "bitmod4 %.1f dB, int6-g128 (two-level scales) %.1f dB\n", s4, s6);
	assert_true(s4 > 40);
	assert_true(s6 > 30);
}

static void test_errors(void **state)
{
	struct pe_params p = { .lanes = 4, .weight_bits = 4, .scale_bits = 8 };
	struct pe_array arr = { .rows = 2, .cols = 2, .dataflow = CFG_DF_WS };
	uint16_t a[4] = { 0 }, cs[2] = { 0 }, out[4];
	uint8_t w[4] = { 0 }, sq[2] = { 1, 1 };
	struct pe_bitmod_gemm g = { .M = 2, .N = 2, .K = 2, .a = a, .w = w,
				    .fmt = FMT_INT8, .scale_q = sq, .cscale = cs,
				    .out = out };
	struct pe_bitmod_cfg c = { 5, 15, 8, false, false };
	struct pe_bitmod_pe pe;
	struct ps_err err;
	uint64_t cyc;
	(void)state;

	assert_int_equal(pe_bitmod_run_gemm(&p, &arr, &g, &cyc, NULL, &err), PS_EINPUT);
	arr.dataflow = CFG_DF_OS;
	/* INT8 needs 4 term cycles; 4-bit weights give 2 */
	assert_int_equal(pe_bitmod_run_gemm(&p, &arr, &g, &cyc, NULL, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "int8"));
	g.fmt = FMT_FLINT4;
	assert_int_equal(pe_bitmod_run_gemm(&p, &arr, &g, &cyc, NULL, &err), PS_EINPUT);
	g.fmt = FMT_INT4;
	assert_int_equal(pe_bitmod_run_gemm(&p, &arr, &g, &cyc, NULL, &err), PS_OK);
	p.lanes = 5;
	assert_int_equal(pe_bitmod_run_gemm(&p, &arr, &g, &cyc, NULL, &err), PS_EINPUT);
	assert_int_equal(pe_bitmod_pe_init(&pe, &c, &err), PS_EINPUT);
	c = (struct pe_bitmod_cfg){ 4, 24, 8, false, false };
	assert_int_equal(pe_bitmod_pe_init(&pe, &c, &err), PS_EINPUT);
	c = (struct pe_bitmod_cfg){ 4, 15, 9, false, false };
	assert_int_equal(pe_bitmod_pe_init(&pe, &c, &err), PS_EINPUT);
	struct pe_tile t0 = { 0, 3, 3 };
	assert_int_equal(pe_bitmod_tile_cycles(&p, &arr, &t0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_corners),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_broken_dq),
		cmocka_unit_test(test_bt_pe_ports),
		cmocka_unit_test(test_bt_array_ports),
		cmocka_unit_test(test_closed_form),
		cmocka_unit_test(test_hand_counts),
		cmocka_unit_test(test_gemm_quant),
		cmocka_unit_test(test_gemm_bt),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_pe_baseline.c - the baseline bit-true PEs (pe_models/baseline/)
 * against independent references, driven only through their ports.
 *
 * References: integers in int64 then the documented wrap; FP16 values
 * widened by hand, the exact sum formed in double (exact for every case
 * here, see pe_baseline.h) and rounded by this file's own round-to-nearest-
 * even (ref_round), with each FP16 result also computed with GCC's _Float16
 * and the two references required to agree. Decoded weights come from
 * fmt_decode / fmt_ovp_decode, the format tables' own decode.
 *
 * Per configuration: 10^5 random dot products (1..MAX_BEATS beats, random
 * bubbles, back to back), exhaustive or special-value corner cases, and
 * closed-form cycles == stepped cycles over random tiles and bit widths.
 * Broken variants (mutants with the same ports) run through the same
 * checks and must fail them. Seeds are fixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "pe.h"
#include "baseline/pe_baseline.h"
#include "cc_quant.h"
#include "fmt.h"
#include "pe_bt.h"
#include "pe_fp16.h"
#include "test_util.h"
#include "wl_tensor.h"

#define N_VECTORS 100000
#define MAX_BEATS 12

/* ---- random numbers (xorshift64*) ---- */

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* ---- independent FP16 reference ---- */

static double h2d(uint16_t h)
{
	int e = (h >> 10) & 31, m = h & 0x3ff;
	double s = h & 0x8000 ? -1 : 1;
	if (e == 31)
		return m ? NAN : s * INFINITY;
	if (e == 0)
		return s * ldexp(m, -24);
	return s * ldexp(m + 1024, e - 25);
}

/* Round to nearest even, subnormals, overflow to inf, NaN -> 0x7e00. */
static uint16_t ref_round(double x)
{
	uint16_t s = signbit(x) ? 0x8000 : 0;
	double ax = fabs(x), n, r;
	int e, q;

	if (isnan(x))
		return 0x7e00;
	if (isinf(ax))
		return s | 0x7c00;
	if (ax == 0)
		return s;
	frexp(ax, &e);			/* ax in [2^(e-1), 2^e) */
	q = e - 11 < -24 ? -24 : e - 11;	/* ulp exponent */
	n = nearbyint(ldexp(ax, -q));	/* default mode: ties to even */
	r = ldexp(n, q);
	if (r > 65504)
		return s | 0x7c00;
	if (r < 0x1p-14)
		return s | (uint16_t)ldexp(r, 24);
	frexp(r, &e);
	return s | (uint16_t)((e - 1 + 15) << 10) |
	       (uint16_t)(ldexp(r, 11 - e) - 1024);
}

/* Special values: zeros, subnormal ends, normal ends, one and its
 * neighbours, infinities, quiet/signalling/negative NaN. */
static const uint16_t f16_special[] = {
	0x0000, 0x8000, 0x0001, 0x8001, 0x0200, 0x03ff, 0x83ff, 0x0400,
	0x8400, 0x1400, 0x3c00, 0xbc00, 0x3c01, 0x3bff, 0x5bff, 0x5c00,
	0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe00, 0xc500,
};
#define N_SPECIAL (sizeof f16_special / sizeof f16_special[0])

/* An FP16 operand of the vector's regime: 0 body (2^-6..2^7), 1 tiny
 * (2^-24..2^-6: subnormal products), 2 huge (2^5..65504: products near
 * overflow), 3 subnormal, 4 raw bits, 5 mixed with 1/8 specials. */
static uint16_t rand_f16(uint64_t *s, int regime)
{
	uint64_t r = rnd(s);
	uint16_t sign = (uint16_t)(r & 0x8000), man = (uint16_t)((r >> 16) & 0x3ff);
	static const unsigned lo[] = { 9, 0, 20, 0 }, span[] = { 13, 10, 11, 1 };

	if (regime == 5)
		regime = (r >> 32) % 8 ? (int)((r >> 40) % 5) : 6;
	if (regime == 6)
		return f16_special[(r >> 48) % N_SPECIAL];
	if (regime == 4)
		return (uint16_t)(r >> 24);
	return sign | (uint16_t)((lo[regime] + (r >> 32) % span[regime]) << 10) |
	       man;
}

/* ---- a model behind its ports ---- */

struct pmap {
	int valid, last, a, w, a_mode, w_mode, w_fmt, o_valid, o_acc;
	unsigned acc_bits;
};

static int port(const struct pe_bt_ops *ops, const char *name, bool output)
{
	size_t lo = output ? ops->n_in : 0;
	size_t hi = output ? ops->n_in + ops->n_out : ops->n_in;
	for (size_t i = lo; i < hi; i++)
		if (!strcmp(ops->ports[i].name, name))
			return (int)(i - lo);
	return -1;
}

struct dut {
	const struct pe_bt_ops *ops;
	void *st;
	struct pmap pm;
};

static void dut_open(struct dut *d, const struct pe_bt_ops *ops)
{
	struct ps_err err;
	d->ops = ops;
	d->st = calloc(1, ops->state_size);
	assert_non_null(d->st);
	assert_int_equal(ops->init(d->st, NULL, &err), PS_OK);
	d->pm.valid = port(ops, "in_valid", false);
	d->pm.last = port(ops, "in_last", false);
	d->pm.a = port(ops, "a", false);
	d->pm.w = port(ops, "w", false);
	d->pm.a_mode = port(ops, "a_mode", false);
	d->pm.w_mode = port(ops, "w_mode", false);
	d->pm.w_fmt = port(ops, "w_fmt", false);
	d->pm.o_valid = port(ops, "out_valid", true);
	d->pm.o_acc = port(ops, "out_acc", true);
	assert_true(d->pm.valid >= 0 && d->pm.last >= 0 && d->pm.a >= 0 &&
		    d->pm.w >= 0 && d->pm.o_valid >= 0 && d->pm.o_acc >= 0);
	d->pm.acc_bits = ops->ports[ops->n_in + (size_t)d->pm.o_acc].width;
}

static void dut_close(struct dut *d)
{
	free(d->st);
}

/* One dot product of n beats (n_in words each; valid and last are set
 * here) on a freshly reset model; returns out_acc, *cycles = edges until
 * out_valid. */
static uint64_t dut_dot(struct dut *d, uint64_t *beats, size_t n,
			uint64_t *cycles)
{
	uint64_t out[8] = { 0 }, zero[8] = { 0 }, c = 0;
	d->ops->reset(d->st);
	for (size_t i = 0; i < n; i++, c++) {
		uint64_t *in = beats + i * d->ops->n_in;
		in[d->pm.valid] = 1;
		in[d->pm.last] = i + 1 == n;
		d->ops->step(d->st, in, out);
	}
	while (!out[d->pm.o_valid] && c < n + 8) {
		d->ops->step(d->st, zero, out);
		c++;
	}
	if (cycles)
		*cycles = c;
	return out[d->pm.o_valid] ? out[d->pm.o_acc] : ~0ull;
}

/* ---- per-family stimulus and reference ---- */

struct ref {
	uint64_t s;		/* rng */
	int mode;		/* family mode; -1: random per beat */
	int regime;		/* FP16 operand regime of the vector */
	uint16_t h;		/* own FP16 reference */
	_Float16 g;		/* GCC's FP16 reference */
	int64_t i;		/* integer reference */
	uint64_t disagree;	/* own vs GCC */
};

/* A family: one random beat on the data ports, the reference updated. */
struct fam {
	void (*beat)(struct ref *r, const struct pmap *pm, uint64_t *in);
	bool fp;		/* FP16 result (else integer) */
};

static void ref_vec(struct ref *r)
{
	r->h = 0;
	r->g = 0;
	r->i = 0;
	/* of 16 vectors: 6 body, 3 tiny, 1 huge, 2 subnormal, 1 raw, 3 mixed */
	r->regime = "0000001112334555"[rnd(&r->s) % 16] - '0';
}

/* Expected out_acc word; checks own vs GCC's reference. */
static uint64_t ref_result(struct ref *r, const struct fam *f,
			   unsigned acc_bits)
{
	if (f->fp) {
		if (!tu_f16_same(r->h, tu_f16_bits(r->g)))
			r->disagree++;
		return r->h;
	}
	return (uint64_t)r->i & ((1ull << acc_bits) - 1);
}

static void fp16_acc(struct ref *r, double exact)
{
	r->h = ref_round(h2d(r->h) + exact);
}

static void beat_fp16(struct ref *r, const struct pmap *pm, uint64_t *in)
{
	uint16_t a = rand_f16(&r->s, r->regime), w = rand_f16(&r->s, r->regime);
	in[pm->a] = a;
	in[pm->w] = w;
	fp16_acc(r, h2d(ref_round(h2d(a) * h2d(w))));
	r->g = (_Float16)(r->g + (_Float16)(tu_f16(a) * tu_f16(w)));
}

static void beat_int8(struct ref *r, const struct pmap *pm, uint64_t *in)
{
	uint64_t x = rnd(&r->s);
	int8_t a = (int8_t)(x & 0xff), w = (int8_t)((x >> 8) & 0xff);
	if ((x >> 16) % 8 == 0)		/* the extremes, often */
		a = (int8_t)-128;
	if ((x >> 20) % 8 == 0)
		w = (x >> 24) & 1 ? (int8_t)-128 : 127;
	in[pm->a] = (uint8_t)a;
	in[pm->w] = (uint8_t)w;
	r->i += (int64_t)a * w;
}

static void beat_bf(struct ref *r, const struct pmap *pm, uint64_t *in)
{
	uint64_t x = rnd(&r->s);
	int mode = r->mode < 0 ? (int)((x >> 40) & 3) : r->mode;
	unsigned ab = mode & 1 ? 4 : 8, wb = mode & 2 ? 4 : 8;
	unsigned lanes = (8 / ab) * (8 / wb);
	in[pm->a_mode] = mode & 1;
	in[pm->w_mode] = (mode >> 1) & 1;
	in[pm->a] = x & 0xffff;		/* bits past the lanes: garbage */
	in[pm->w] = (x >> 16) & 0xffff;
	for (unsigned j = 0; j < lanes; j++)
		r->i += tu_sext(in[pm->a] >> (ab * j), ab) *
			tu_sext(in[pm->w] >> (wb * j), wb);
}

/* ANT decode per the README: fmt_decode; int4's reserved 1000 is -8. */
static double ant_value(int fmt, unsigned code)
{
	double v = fmt_decode(fmt ? FMT_FLINT4 : FMT_INT4, code);
	return isnan(v) ? (double)code - 16 : v;
}

static void beat_ant(struct ref *r, const struct pmap *pm, uint64_t *in)
{
	uint64_t x = rnd(&r->s);
	int fmt = r->mode < 0 ? (int)((x >> 8) & 1) : r->mode;
	unsigned code = x & 15;
	uint16_t a = rand_f16(&r->s, r->regime);
	double v = ant_value(fmt, code);
	in[pm->w_fmt] = (uint64_t)fmt;
	in[pm->a] = a;
	in[pm->w] = code;
	fp16_acc(r, h2d(a) * v);
	r->g = (_Float16)((double)r->g + (double)tu_f16(a) * v);
}

/* OliVe decode per the README: fmt_ovp_decode, reserved pairs -> (0, 0). */
static void olive_values(int fmt, unsigned pair, double v[2])
{
	if (fmt_ovp_decode(fmt ? FMT_OLIVE4I : FMT_OLIVE4, pair, v) !=
	    FMT_CODE_VALUE)
		v[0] = v[1] = 0;
}

/* Products of an FP16 and a value <= 384 are exact in double, and so is
 * the sum with the accumulator (all terms multiples of 2^-24, < 2^26). */
static void olive_ref(struct ref *r, uint16_t a0, uint16_t a1,
		      const double v[2])
{
	fp16_acc(r, h2d(a0) * v[0] + h2d(a1) * v[1]);
	r->g = (_Float16)((double)r->g + (double)tu_f16(a0) * v[0] +
			  (double)tu_f16(a1) * v[1]);
}

static void beat_olive(struct ref *r, const struct pmap *pm, uint64_t *in)
{
	uint64_t x = rnd(&r->s);
	int fmt = r->mode < 0 ? (int)((x >> 8) & 1) : r->mode;
	unsigned pair = x & 0xff;
	uint16_t a0 = rand_f16(&r->s, r->regime), a1 = rand_f16(&r->s, r->regime);
	double v[2];
	if ((x >> 10) % 4 == 0)		/* an outlier pair, often */
		pair = (x >> 12) & 1 ? (pair & 0xf0) | 8 : (pair & 0x0f) | 0x80;
	olive_values(fmt, pair, v);
	in[pm->w_fmt] = (uint64_t)fmt;
	in[pm->a] = a0 | (uint64_t)a1 << 16;
	in[pm->w] = pair;
	olive_ref(r, a0, a1, v);
}

static const struct fam fam_fp16 = { beat_fp16, true };
static const struct fam fam_int8 = { beat_int8, false };
static const struct fam fam_bf = { beat_bf, false };
static const struct fam fam_ant = { beat_ant, true };
static const struct fam fam_olive = { beat_olive, true };


/* ---- the stream check: random dots back to back ---- */

struct tally {
	uint64_t vectors, beats, mismatches, disagree;
	uint64_t cycles;	/* first edge to the edge of the last result */
	uint64_t cls[5];	/* FP16 results: zero, subnormal, normal, inf, NaN */
	char first[200];
};

static int f16_class(uint16_t h)
{
	unsigned e = (h >> 10) & 31;
	if (!(h & 0x7fff))
		return 0;
	if (e == 31)
		return h & 0x3ff ? 4 : 3;
	return e ? 2 : 1;
}

struct stream {
	struct dut *d;
	const struct fam *f;
	struct tally *t;
	uint64_t want[4], rd, wr, held, edge, vec;
	uint64_t out[8];
};

static void miss(struct tally *t, uint64_t vec, const char *what,
		 uint64_t got, uint64_t want)
{
	if (!t->mismatches++)
		snprintf(t->first, sizeof t->first,
			 "vector %llu: %s: got 0x%llx, want 0x%llx",
			 (unsigned long long)vec, what,
			 (unsigned long long)got, (unsigned long long)want);
}

/* One edge; every out_valid pulse is compared with the reference FIFO and
 * out_acc must hold between pulses (the RTL harness compares every port
 * every cycle). */
static void stream_step(struct stream *s, const uint64_t *in)
{
	const struct pmap *pm = &s->d->pm;
	uint64_t got;

	s->d->ops->step(s->d->st, in, s->out);
	s->edge++;
	got = s->out[pm->o_acc];
	if (!s->out[pm->o_valid]) {
		if (got != s->held)
			miss(s->t, s->vec, "out_acc changed without out_valid",
			     got, s->held);
		return;
	}
	s->held = got;
	s->t->cycles = s->edge;
	if (s->rd == s->wr) {
		miss(s->t, s->vec, "spurious out_valid", got, 0);
		return;
	}
	if (s->f->fp)
		s->t->cls[f16_class((uint16_t)s->want[s->rd % 4])]++;
	if (s->f->fp ? !tu_f16_same((uint16_t)got, (uint16_t)s->want[s->rd % 4])
		     : got != s->want[s->rd % 4])
		miss(s->t, s->vec, "out_acc", got, s->want[s->rd % 4]);
	s->rd++;
}

/* n_vec dots of `len` beats (0: random 1..MAX_BEATS), optionally with
 * random bubbles (in_valid = 0, every other input garbage). */
static void stream_check(struct dut *d, const struct fam *f, int mode,
			 uint64_t seed, uint64_t n_vec, unsigned len,
			 bool bubbles, struct tally *t)
{
	struct ref r = { .s = seed, .mode = mode };
	struct stream s = { .d = d, .f = f, .t = t };
	uint64_t in[8];
	size_t n_in = d->ops->n_in;

	memset(t, 0, sizeof *t);
	d->ops->reset(d->st);
	for (s.vec = 0; s.vec < n_vec; s.vec++) {
		unsigned n = len ? len : 1 + (unsigned)(rnd(&r.s) % MAX_BEATS);
		ref_vec(&r);
		for (unsigned i = 0; i < n;) {
			for (size_t p = 0; p < n_in; p++)
				in[p] = rnd(&r.s) &
					((2ull << (d->ops->ports[p].width - 1)) - 1);
			if (bubbles && rnd(&r.s) % 8 == 0) {
				in[d->pm.valid] = 0;
			} else {
				f->beat(&r, &d->pm, in);
				in[d->pm.valid] = 1;
				in[d->pm.last] = ++i == n;
				t->beats++;
			}
			stream_step(&s, in);
		}
		s.want[s.wr++ % 4] = ref_result(&r, f, d->pm.acc_bits);
		t->vectors++;
	}
	memset(in, 0, sizeof in);
	for (int i = 0; i < 4; i++)
		stream_step(&s, in);
	if (s.rd != s.wr)
		miss(t, n_vec, "results missing", s.rd, s.wr);
	t->disagree = r.disagree;
}

static void report(const char *model, const char *cfg, const struct tally *t)
{
	char beats[32] = "", cls[96] = "";
	if (t->beats)
		snprintf(beats, sizeof beats, " %7llu beats",
			 (unsigned long long)t->beats);
	if (t->cls[2])
		snprintf(cls, sizeof cls, " (results 0/sub/norm/inf/NaN "
			 "%llu/%llu/%llu/%llu/%llu)",
			 (unsigned long long)t->cls[0],
			 (unsigned long long)t->cls[1],
			 (unsigned long long)t->cls[2],
			 (unsigned long long)t->cls[3],
			 (unsigned long long)t->cls[4]);
	print_message("  %-14s %-8s %6llu vectors%s: %llu mismatches%s%s%s\n",
		      model, cfg, (unsigned long long)t->vectors, beats,
		      (unsigned long long)t->mismatches, cls,
		      t->mismatches ? ", first: " : "", t->first);
}

static void random_config(const struct pe_bt_ops *ops, const struct fam *f,
			  int mode, const char *cfg, uint64_t seed)
{
	struct dut d;
	struct tally t;
	dut_open(&d, ops);
	stream_check(&d, f, mode, seed, N_VECTORS, 0, true, &t);
	report(ops->name, cfg, &t);
	assert_int_equal(t.vectors, N_VECTORS);
	assert_int_equal(t.disagree, 0);	/* the two references agree */
	assert_int_equal(t.mismatches, 0);
	dut_close(&d);
}

static void test_random_fp16(void **state)
{
	(void)state;
	random_config(&pe_fp16_mac_bt, &fam_fp16, 0, "-", 0x1001);
}

static void test_random_int8(void **state)
{
	(void)state;
	random_config(&pe_int8_mac_bt, &fam_int8, 0, "-", 0x1002);
}

static const char *const bf_cfg[] = { "W8A8", "W8A4", "W4A8", "W4A4" };

static void test_random_bitfusion(void **state)
{
	(void)state;
	for (int m = 0; m < 4; m++)
		random_config(&pe_bitfusion_mac_bt, &fam_bf, m, bf_cfg[m],
			      0x1100 + (uint64_t)m);
	random_config(&pe_bitfusion_mac_bt, &fam_bf, -1, "mixed", 0x1104);
}

static void test_random_ant(void **state)
{
	(void)state;
	random_config(&pe_ant_mac_bt, &fam_ant, PE_ANT_INT4, "int4", 0x1201);
	random_config(&pe_ant_mac_bt, &fam_ant, PE_ANT_FLINT4, "flint4", 0x1202);
	random_config(&pe_ant_mac_bt, &fam_ant, -1, "mixed", 0x1203);
}

static void test_random_olive(void **state)
{
	(void)state;
	random_config(&pe_olive_mac_bt, &fam_olive, PE_OLIVE_FLINT, "olive4",
		      0x1301);
	random_config(&pe_olive_mac_bt, &fam_olive, PE_OLIVE_INT, "olive4i",
		      0x1302);
	random_config(&pe_olive_mac_bt, &fam_olive, -1, "mixed", 0x1303);
}

/* ---- corner cases: exhaustive codes and every special value ---- */

static void expect(struct tally *t, uint64_t got, uint64_t want, bool fp)
{
	t->vectors++;
	if (fp ? !tu_f16_same((uint16_t)got, (uint16_t)want) : got != want)
		miss(t, t->vectors - 1, "corner", got, want);
}

/* [(p, 1), (a, w)] for every p, a, w among the specials: a preloaded
 * accumulator of every special value meets every special product. */
static void corner_fp16(struct dut *d, struct tally *t)
{
	const struct pmap *pm = &d->pm;
	uint64_t b[2][4] = { { 0 } };

	for (size_t i = 0; i < N_SPECIAL * N_SPECIAL * N_SPECIAL; i++) {
		uint16_t p = f16_special[i % N_SPECIAL];
		uint16_t a = f16_special[i / N_SPECIAL % N_SPECIAL];
		uint16_t w = f16_special[i / N_SPECIAL / N_SPECIAL];
		uint16_t own = ref_round(0.0 + h2d(ref_round(h2d(p) * 1.0)));
		_Float16 g = (_Float16)(0 + (_Float16)(tu_f16(p) * tu_f16(0x3c00)));
		own = ref_round(h2d(own) + h2d(ref_round(h2d(a) * h2d(w))));
		g = (_Float16)(g + (_Float16)(tu_f16(a) * tu_f16(w)));
		assert_true(tu_f16_same(own, tu_f16_bits(g)));
		b[0][pm->a] = p;
		b[0][pm->w] = 0x3c00;
		b[1][pm->a] = a;
		b[1][pm->w] = w;
		expect(t, dut_dot(d, b[0], 2, NULL), own, true);
	}
}

/* [(-128, -128), (a, w)] for every a, w. */
static void corner_int8(struct dut *d, struct tally *t)
{
	const struct pmap *pm = &d->pm;
	uint64_t b[2][4] = { { 0 } };

	for (unsigned x = 0; x < 1u << 16; x++) {
		b[0][pm->a] = b[0][pm->w] = 0x80;
		b[1][pm->a] = x & 0xff;
		b[1][pm->w] = x >> 8;
		expect(t, dut_dot(d, b[0], 2, NULL),
		       (uint64_t)(16384 + tu_sext(x, 8) * tu_sext(x >> 8, 8)) &
			       0xffffffffu, false);
	}
}

/* Every operand pair in every lane of every mode; the other lanes hold
 * the most negative operands, so cross-talk would show. */
static void corner_bf(struct dut *d, struct tally *t)
{
	const struct pmap *pm = &d->pm;
	uint64_t b[6];

	for (int mode = 0; mode < 4; mode++) {
		unsigned ab = mode & 1 ? 4 : 8, wb = mode & 2 ? 4 : 8;
		unsigned lanes = (8 / ab) * (8 / wb);
		for (unsigned j = 0; j < lanes; j++)
			for (uint32_t x = 0; x < 1u << (ab + wb); x++) {
				uint64_t av = x & ((1u << ab) - 1), wv = x >> ab;
				int64_t want = tu_sext(av, ab) * tu_sext(wv, wb);
				memset(b, 0, sizeof b);
				b[pm->a_mode] = mode & 1;
				b[pm->w_mode] = (mode >> 1) & 1;
				for (unsigned l = 0; l < lanes; l++) {
					uint64_t ao = l == j ? av : 1ull << (ab - 1);
					uint64_t wo = l == j ? wv : 1ull << (wb - 1);
					b[pm->a] |= ao << (ab * l);
					b[pm->w] |= wo << (wb * l);
					if (l != j)
						want += (int64_t)1 << (ab + wb - 2);
				}
				expect(t, dut_dot(d, b, 1, NULL),
				       (uint64_t)want & 0xffffffffu, false);
			}
	}
}

/* [(p, 1), (a, code)] for both formats, every code, every special p, a. */
static void corner_ant(struct dut *d, struct tally *t)
{
	const struct pmap *pm = &d->pm;
	uint64_t b[2][5] = { { 0 } };

	for (int fmt = 0; fmt < 2; fmt++)
		for (unsigned c = 0; c < 16; c++)
			for (size_t i = 0; i < N_SPECIAL * N_SPECIAL; i++) {
				uint16_t p = f16_special[i % N_SPECIAL];
				uint16_t a = f16_special[i / N_SPECIAL];
				struct ref r = { 0 };
				double v = ant_value(fmt, c);
				fp16_acc(&r, h2d(p));
				r.g = (_Float16)(0.0 + (double)tu_f16(p));
				fp16_acc(&r, h2d(a) * v);
				r.g = (_Float16)((double)r.g + (double)tu_f16(a) * v);
				assert_true(tu_f16_same(r.h, tu_f16_bits(r.g)));
				b[0][pm->w_fmt] = b[1][pm->w_fmt] = (uint64_t)fmt;
				b[0][pm->a] = p;
				b[0][pm->w] = fmt_encode(fmt ? FMT_FLINT4 : FMT_INT4, 1);
				b[1][pm->a] = a;
				b[1][pm->w] = c;
				expect(t, dut_dot(d, b[0], 2, NULL), r.h, true);
			}
}

/* Every pair code of both formats with special activations in both lanes,
 * after a beat of specials. */
static void corner_olive(struct dut *d, struct tally *t)
{
	const struct pmap *pm = &d->pm;
	uint64_t b[2][5] = { { 0 } };

	for (int fmt = 0; fmt < 2; fmt++)
		for (unsigned pair = 0; pair < 256; pair++)
			for (size_t i = 0; i < N_SPECIAL; i++) {
				uint16_t a0 = f16_special[i];
				uint16_t a1 = f16_special[(i * 7 + pair) % N_SPECIAL];
				uint16_t p0 = f16_special[(i + pair) % N_SPECIAL];
				unsigned pp = (pair * 37 + (unsigned)i) & 0xff;
				struct ref r = { 0 };
				double v[2], vp[2];
				olive_values(fmt, pp, vp);
				olive_values(fmt, pair, v);
				olive_ref(&r, p0, 0x3c00, vp);
				olive_ref(&r, a0, a1, v);
				assert_true(tu_f16_same(r.h, tu_f16_bits(r.g)));
				b[0][pm->w_fmt] = b[1][pm->w_fmt] = (uint64_t)fmt;
				b[0][pm->a] = p0 | 0x3c00u << 16;
				b[0][pm->w] = pp;
				b[1][pm->a] = a0 | (uint64_t)a1 << 16;
				b[1][pm->w] = pair;
				expect(t, dut_dot(d, b[0], 2, NULL), r.h, true);
			}
}

static void corner_run(const struct pe_bt_ops *ops,
		       void (*corner)(struct dut *, struct tally *),
		       struct tally *t)
{
	struct dut d;
	dut_open(&d, ops);
	memset(t, 0, sizeof *t);
	corner(&d, t);
	dut_close(&d);
}

static void test_corners(void **state)
{
	static const struct {
		const struct pe_bt_ops *ops;
		void (*corner)(struct dut *, struct tally *);
	} c[] = {
		{ &pe_fp16_mac_bt, corner_fp16 },
		{ &pe_int8_mac_bt, corner_int8 },
		{ &pe_bitfusion_mac_bt, corner_bf },
		{ &pe_ant_mac_bt, corner_ant },
		{ &pe_olive_mac_bt, corner_olive },
	};
	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct tally t;
		corner_run(c[i].ops, c[i].corner, &t);
		report(c[i].ops->name, "corners", &t);
		assert_true(t.vectors >= 8000);
		assert_int_equal(t.mismatches, 0);
	}
}

/* ---- hand-computed cases (values that could be wrong) ---- */

static uint16_t fp16_dot2(uint16_t a0, uint16_t w0, uint16_t a1, uint16_t w1)
{
	uint16_t a[2] = { a0, a1 }, w[2] = { w0, w1 };
	return pe_fp16_mac_run_dot(a, w, 2, NULL, NULL);
}

static void test_fp16_named(void **state)
{
	(void)state;
	/* Not fused: (1+2^-10)^2 = 1 + 2^-9 + 2^-20 rounds to 1 + 2^-9
	 * before the add, so -(1+2^-9) + it = +0; a fused MAC gives 2^-20
	 * = 0x0010. */
	assert_int_equal(fp16_dot2(0xbc02, 0x3c00, 0x3c01, 0x3c01), 0x0000);
	/* 65504 + 16 = 65520 is the tie to 65536: inf; 65504 + 8 stays. */
	assert_int_equal(fp16_dot2(0x7bff, 0x3c00, 0x4c00, 0x3c00), 0x7c00);
	assert_int_equal(fp16_dot2(0x7bff, 0x3c00, 0x4800, 0x3c00), 0x7bff);
	/* Ties to even: 2048 + 1 -> 2048, 2050 + 1 -> 2052. */
	assert_int_equal(fp16_dot2(0x6800, 0x3c00, 0x3c00, 0x3c00), 0x6800);
	assert_int_equal(fp16_dot2(0x6801, 0x3c00, 0x3c00, 0x3c00), 0x6802);
	/* Subnormal products: 2^-14 x 0.5 = 2^-15; 2^-24 x 0.5 ties to 0;
	 * x 0.75 -> 2^-24; x 1.5 ties to 2 x 2^-24; 3 x 2^-24 x 0.5 -> 2. */
	assert_int_equal(fp16_dot2(0, 0, 0x0400, 0x3800), 0x0200);
	assert_int_equal(fp16_dot2(0, 0, 0x0001, 0x3800), 0x0000);
	assert_int_equal(fp16_dot2(0, 0, 0x0001, 0x3a00), 0x0001);
	assert_int_equal(fp16_dot2(0, 0, 0x0001, 0x3e00), 0x0002);
	assert_int_equal(fp16_dot2(0, 0, 0x0003, 0x3800), 0x0002);
	assert_int_equal(fp16_dot2(0x0001, 0x3c00, 0x0001, 0x3c00), 0x0002);
	assert_int_equal(fp16_dot2(0x83ff, 0x3c00, 0x0400, 0x3c00), 0x0001);
	/* Specials: inf - inf, inf x 0, NaN in, -inf + max, overflow. */
	assert_int_equal(fp16_dot2(0x7c00, 0x3c00, 0xfc00, 0x3c00), 0x7e00);
	assert_int_equal(fp16_dot2(0x7c00, 0x0000, 0x3c00, 0x3c00), 0x7e00);
	assert_int_equal(fp16_dot2(0x7c01, 0x3c00, 0x3c00, 0x3c00), 0x7e00);
	assert_int_equal(fp16_dot2(0xfc00, 0x3c00, 0x7bff, 0x3c00), 0xfc00);
	assert_int_equal(fp16_dot2(0x5c00, 0x5c00, 0, 0), 0x7c00);
	/* -0 products: the accumulator starts at +0 and +0 + -0 = +0. */
	assert_int_equal(fp16_dot2(0x8000, 0x3c00, 0x8000, 0x3c00), 0x0000);
}

static void test_int_named(void **state)
{
	int8_t *a = malloc(1u << 17), *w = malloc(1u << 17);
	int8_t a4[4] = { -8, -8, -8, -8 }, w4[4] = { -8, 7, -8, 7 };
	int8_t a8[2] = { -128, 127 }, w48[2] = { -8, 7 }, w8[2] = { -128, -128 };
	(void)state;
	assert_non_null(a);
	assert_non_null(w);
	memset(a, 0x80, 1u << 17);
	memset(w, 0x80, 1u << 17);
	/* 2^17 x 2^14 = 2^31 wraps to INT32_MIN; one fewer does not. */
	assert_int_equal(pe_int8_mac_run_dot(a, w, 1u << 17, NULL, NULL),
			 INT32_MIN);
	assert_int_equal(pe_int8_mac_run_dot(a, w, (1u << 17) - 1, NULL, NULL),
			 2147467264);
	assert_int_equal(pe_int8_mac_run_dot(a8, a8 + 0, 1, NULL, NULL), 16384);
	assert_int_equal(pe_int8_mac_run_dot(a8, w8 + 0, 2, NULL, NULL),
			 16384 - 16256);
	/* BitFusion: W4A4 64 - 56 + 64 - 56; W8A8 -128^2; W4A8 1024 + 889;
	 * W8A4 1024 - 896; k = 3 in W4A4 pads the fourth lane with 0. */
	assert_int_equal(pe_bitfusion_mac_run_dot(a4, w4, 4, 4, 4, NULL, NULL), 16);
	assert_int_equal(pe_bitfusion_mac_run_dot(a8, a8, 1, 8, 8, NULL, NULL),
			 16384);
	assert_int_equal(pe_bitfusion_mac_run_dot(a8, w48, 2, 8, 4, NULL, NULL),
			 1913);
	assert_int_equal(pe_bitfusion_mac_run_dot(w48, w8, 2, 4, 8, NULL, NULL),
			 128);
	assert_int_equal(pe_bitfusion_mac_run_dot(a4, w4, 3, 4, 4, NULL, NULL), 72);
	assert_int_equal(pe_bitfusion_mac_run_dot(a, w, 1u << 17, 8, 8, NULL,
						  NULL), INT32_MIN);
	free(a);
	free(w);
}

static void port_list(const struct pe_bt_ops *ops, char *buf, size_t n);

/* The DP4 units (pe_fp16_dp4_bt.c, pe_int8_dp4_bt.c): their tree, their
 * rounding and their wrap, by hand. */
static void test_dp4_named(void **state)
{
	/* 2048 + 0 + 1 + 1: the tree adds 1 + 1 first, exact 2050; a chain
	 * (and the FP16 MAC) rounds 2048 + 1 to 2048 twice */
	uint16_t a[8] = { 0x6800, 0x0000, 0x3c00, 0x3c00 },
		 one[8] = { 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00 };
	uint64_t cyc;
	(void)state;
	assert_int_equal(pe_fp16_dp4_run_dot(a, one, 1, &cyc, NULL), 0x6801);
	assert_int_equal(cyc, 2);
	assert_int_equal(pe_fp16_mac_run_dot(a, one, 4, NULL, NULL), 0x6800);
	/* products rounded before the tree: -(1 + 2^-9) + RNE((1 + 2^-10)^2)
	 * = +0 (a fused unit: 2^-20) */
	uint16_t b[4] = { 0xbc02, 0x3c01, 0, 0 }, wb[4] = { 0x3c00, 0x3c01, 0, 0 };
	assert_int_equal(pe_fp16_dp4_run_dot(b, wb, 1, NULL, NULL), 0x0000);
	/* 4 x 65504 overflows in the tree; -0 lanes: the accumulator's +0 */
	uint16_t m[4] = { 0x7bff, 0x7bff, 0x7bff, 0x7bff }, z[4] = { 0x8000, 0x8000, 0x8000, 0x8000 };
	assert_int_equal(pe_fp16_dp4_run_dot(m, one, 1, NULL, NULL), 0x7c00);
	assert_int_equal(pe_fp16_dp4_run_dot(z, one, 1, NULL, NULL), 0x0000);
	/* two beats: 2050 + 4 = 2054 (spacing 2) */
	uint16_t a2[8] = { 0x6800, 0x0000, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00 };
	assert_int_equal(pe_fp16_dp4_run_dot(a2, one, 2, &cyc, NULL), 0x6803);
	assert_int_equal(cyc, 3);

	/* INT8: 4 x (-128)^2 = 2^16 a beat; 2^15 beats wrap to INT32_MIN */
	int8_t *x = malloc(1u << 17);
	int8_t c[4] = { -128, 127, 1, -1 }, d[4] = { -128, -128, 5, 5 };
	assert_non_null(x);
	memset(x, 0x80, 1u << 17);
	assert_int_equal(pe_int8_dp4_run_dot(x, x, 1u << 15, NULL, NULL), INT32_MIN);
	assert_int_equal(pe_int8_dp4_run_dot(x, x, (1u << 15) - 1, NULL, NULL),
			 2147418112);
	assert_int_equal(pe_int8_dp4_run_dot(c, d, 1, NULL, NULL), 16384 - 16256 + 5 - 5);
	free(x);
	/* ports; 4 lanes taken, 8 refused */
	static const struct {
		const char *name, *ports;
	} want[] = {
		{ "fp16_dp4_mac", "in_valid:1 in_last:1 a:64 w:64 | out_valid:1 out_acc:16" },
		{ "int8_dp4_mac", "in_valid:1 in_last:1 a:32 w:32 | out_valid:1 out_acc:32" },
	};
	for (size_t i = 0; i < 2; i++) {
		const struct pe_bt_ops *ops = pe_bt_find(want[i].name);
		struct pe_params p = { .lanes = 4 };
		struct ps_err err;
		char buf[256];
		void *st;
		assert_non_null(ops);
		port_list(ops, buf, sizeof buf);
		assert_string_equal(buf, want[i].ports);
		st = calloc(1, ops->state_size);
		assert_non_null(st);
		assert_int_equal(ops->init(st, &p, &err), PS_OK);
		p.lanes = 8;
		assert_int_equal(ops->init(st, &p, &err), PS_EINPUT);
		assert_non_null(strstr(err.msg, "lanes 8"));
		free(st);
	}
}

static void test_decode_named(void **state)
{
	uint16_t one[2] = { 0x3c00, 0x3c00 }, fma[2] = { 0xc200, 0x3c01 };
	uint16_t victim_nan[2] = { 0x3c00, 0x7e00 }, five[2] = { 0x3c00, 0x4500 };
	uint8_t c[2];
	(void)state;
	/* ANT: int4 1000 -> -8 (reserved, two's complement); flint4 0111
	 * -> 16; flint4 1000 (-0) -> 0. */
	c[0] = 8;
	assert_int_equal(pe_ant_mac_run_dot(one, c, 1, PE_ANT_INT4, NULL, NULL),
			 0xc800);
	c[0] = 7;
	assert_int_equal(pe_ant_mac_run_dot(one, c, 1, PE_ANT_FLINT4, NULL, NULL),
			 0x4c00);
	c[0] = 8;
	assert_int_equal(pe_ant_mac_run_dot(one, c, 1, PE_ANT_FLINT4, NULL, NULL),
			 0x0000);
	/* Fused: -3 + (1+2^-10) x 3 = 3 x 2^-10 exactly (0x1a00); rounding
	 * the product first would give 2^-8 (0x1c00). */
	c[0] = 1;
	c[1] = 3;
	assert_int_equal(pe_ant_mac_run_dot(fma, c, 2, PE_ANT_INT4, NULL, NULL),
			 0x1a00);
	/* OliVe: 0x78 = even identifier, odd abfloat 0111: 384 (bias 5) or
	 * 96 (bias 3); 0x87 mirrors it; the victim's activation still
	 * multiplies 0, so a NaN there gives NaN; 0x88 is reserved (0);
	 * 0x21 = flint normals 2 and 4; 0xf9 = int4 -7 and -1. */
	c[0] = 0x78;
	assert_int_equal(pe_olive_mac_run_dot(one, c, 2, PE_OLIVE_FLINT, NULL,
					      NULL), 0x5e00);
	assert_int_equal(pe_olive_mac_run_dot(one, c, 2, PE_OLIVE_INT, NULL,
					      NULL), 0x5600);
	c[0] = 0x87;
	assert_int_equal(pe_olive_mac_run_dot(five, c, 2, PE_OLIVE_FLINT, NULL,
					      NULL), 0x5e00);
	assert_int_equal(pe_olive_mac_run_dot(victim_nan, c, 2, PE_OLIVE_FLINT,
					      NULL, NULL), 0x7e00);
	c[0] = 0x88;
	assert_int_equal(pe_olive_mac_run_dot(one, c, 2, PE_OLIVE_FLINT, NULL,
					      NULL), 0x0000);
	c[0] = 0x21;
	assert_int_equal(pe_olive_mac_run_dot(one, c, 2, PE_OLIVE_FLINT, NULL,
					      NULL), 0x4600);
	c[0] = 0xf9;
	assert_int_equal(pe_olive_mac_run_dot(one, c, 2, PE_OLIVE_INT, NULL,
					      NULL), 0xc800);
	/* The fused helper's zero signs (IEEE sum of -0 terms), which the
	 * PEs cannot show: their accumulator never holds -0 (it starts at +0
	 * and every exact sum of multiples of 2^-24 is representable). */
	{
		uint16_t nz = 0x8000, m1 = 0xbc00, p1 = 0x3c00;
		int8_t one = 1, zero = 0;
		uint8_t e = 0;
		assert_int_equal(pe_bl_f16_fma_int(nz, 1, &nz, &one, &e), 0x8000);
		assert_int_equal(pe_bl_f16_fma_int(nz, 1, &m1, &zero, &e), 0x8000);
		assert_int_equal(pe_bl_f16_fma_int(nz, 1, &p1, &zero, &e), 0x0000);
		assert_int_equal(pe_bl_f16_fma_int(p1, 1, &m1, &one, &e), 0x0000);
	}
	/* k = 1: the odd activation is padded with +0 (0x21: 2 only). */
	c[0] = 0x21;
	assert_int_equal(pe_olive_mac_run_dot(one, c, 1, PE_OLIVE_FLINT, NULL,
					      NULL), 0x4000);
}

/* ---- closed-form cycles == stepped cycles ---- */

static unsigned lanes_of(const struct pe_bt_ops *ops, int mode)
{
	if (ops == &pe_bitfusion_mac_bt)
		return (mode & 1 ? 2 : 1) * (mode & 2 ? 2 : 1);
	return ops == &pe_olive_mac_bt ? 2 : 1;
}

static uint64_t closed_form(const struct pe_bt_ops *ops, int mode,
			    uint64_t m, uint64_t n, uint64_t k)
{
	if (ops == &pe_fp16_mac_bt)
		return pe_fp16_mac_cycles(m, n, k);
	if (ops == &pe_int8_mac_bt)
		return pe_int8_mac_cycles(m, n, k);
	if (ops == &pe_bitfusion_mac_bt)
		return pe_bitfusion_mac_cycles(m, n, k, mode & 1 ? 4 : 8,
					       mode & 2 ? 4 : 8);
	if (ops == &pe_ant_mac_bt)
		return pe_ant_mac_cycles(m, n, k);
	return pe_olive_mac_cycles(m, n, k);
}

/* The array timing of the families (pe_mac.c, pe_bitfusion.c) for a 1x1 array
 * in compat mode is the PE's beats: the two views agree on throughput. */
static uint64_t ops_beats(const char *family, uint32_t lanes, unsigned ab,
			  unsigned wb, uint64_t k)
{
	struct pe_params p;
	struct pe_array a = { .rows = 1, .cols = 1, .dataflow = CFG_DF_OS };
	struct pe_tile t = { .m = 1, .n = 1, .k = k };
	struct pe_tile_timing r;
	memset(&p, 0, sizeof p);
	p.lanes = lanes;
	p.weight_bits = wb;
	p.act_bits = p.a_bits = ab;
	pe_family_find(family)->tile_timing(&p, &a, &t, true, &r);
	return r.cycles;
}

static void test_cycles(void **state)
{
	static const struct {
		const struct pe_bt_ops *ops;
		const struct fam *f;
		int modes;
		const char *family;
	} c[] = {
		{ &pe_fp16_mac_bt, &fam_fp16, 1, "fp16" },
		{ &pe_int8_mac_bt, &fam_int8, 1, "int8" },
		{ &pe_bitfusion_mac_bt, &fam_bf, 4, "bitfusion" },
		{ &pe_ant_mac_bt, &fam_ant, 2, "ant" },
		{ &pe_olive_mac_bt, &fam_olive, 2, "olive" },
	};
	uint64_t s = 0x2001, tiles = 0;
	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct dut d;
		dut_open(&d, c[i].ops);
		for (int rep = 0; rep < 300; rep++) {
			int mode = (int)(rnd(&s) % (uint64_t)c[i].modes);
			uint64_t m = 1 + rnd(&s) % 4, n = 1 + rnd(&s) % 4;
			uint64_t k = 1 + rnd(&s) % 100;
			unsigned P = lanes_of(c[i].ops, mode);
			unsigned beats = (unsigned)((k + P - 1) / P);
			unsigned ab = mode & 1 ? 4 : 8, wb = mode & 2 ? 4 : 8;
			uint32_t lanes = c[i].ops == &pe_olive_mac_bt ? 2 : 1;
			struct tally t;
			stream_check(&d, c[i].f, mode, rnd(&s), m * n, beats,
				     false, &t);
			assert_int_equal(t.mismatches, 0);
			assert_int_equal(t.cycles,
					 closed_form(c[i].ops, mode, m, n, k));
			assert_int_equal(closed_form(c[i].ops, mode, 1, 1, k),
					 ops_beats(c[i].family, lanes, ab, wb, k) + 1);
			tiles++;
		}
		assert_int_equal(closed_form(c[i].ops, 0, 3, 0, 5), 0);
		dut_close(&d);
	}
	print_message("  %llu random tiles: closed form == stepped\n",
		      (unsigned long long)tiles);
}

/* run_dot: its cycles equal the closed form and its counters, and its
 * result equals the reference. */
static void test_run_dot(void **state)
{
	uint64_t s = 0x2101;
	uint16_t a[300], w[300];
	int8_t ia[300], iw[300];
	uint8_t codes[300];
	(void)state;
	for (int rep = 0; rep < 200; rep++) {
		size_t k = (size_t)(rnd(&s) % 300);
		int mode = (int)(rnd(&s) % 4);
		unsigned ab = mode & 1 ? 4 : 8, wb = mode & 2 ? 4 : 8;
		uint64_t P = (8 / ab) * (8 / wb), cyc;
		struct pe_bl_actions act;
		uint16_t h = 0;
		int64_t sum = 0;
		for (size_t i = 0; i < k; i++) {
			a[i] = rand_f16(&s, 0);
			w[i] = rand_f16(&s, 0);
			h = ref_round(h2d(h) + h2d(ref_round(h2d(a[i]) * h2d(w[i]))));
			ia[i] = (int8_t)rnd(&s);
			iw[i] = (int8_t)rnd(&s);
			if (ab == 4)
				ia[i] = (int8_t)((ia[i] & 15) - 8);
			if (wb == 4)
				iw[i] = (int8_t)((iw[i] & 15) - 8);
			sum += ia[i] * iw[i];
			codes[i] = (uint8_t)rnd(&s);
		}
		assert_int_equal(pe_fp16_mac_run_dot(a, w, k, &cyc, &act), h);
		assert_int_equal(cyc, pe_fp16_mac_cycles(1, 1, k));
		assert_int_equal(act.cycles, cyc);
		assert_int_equal(act.beats, k);
		assert_int_equal(act.acc_writes, k);
		assert_int_equal(act.results, k > 0);
		assert_int_equal(pe_bitfusion_mac_run_dot(ia, iw, k, ab, wb, &cyc,
							  &act), sum);
		assert_int_equal(cyc, pe_bitfusion_mac_cycles(1, 1, k, ab, wb));
		assert_int_equal(act.beats, (k + P - 1) / P);
		assert_int_equal(act.macs, act.beats * P);
		assert_int_equal(act.mode_beats[mode], act.beats);
		pe_int8_mac_run_dot(ia, iw, k, &cyc, &act);
		assert_int_equal(cyc, pe_int8_mac_cycles(1, 1, k));
		pe_ant_mac_run_dot(a, codes, k, mode & 1, &cyc, &act);
		assert_int_equal(cyc, pe_ant_mac_cycles(1, 1, k));
		assert_int_equal(act.decodes, k);
		pe_olive_mac_run_dot(a, codes, k, mode & 1, &cyc, &act);
		assert_int_equal(cyc, pe_olive_mac_cycles(1, 1, k));
		assert_int_equal(act.macs, 2 * ((k + 1) / 2));
		/* the DP4 units: k / 4 beats, each product rounded, the
		 * lanes summed in a tree, each sum rounded */
		size_t beats = k / 4;
		h = 0;
		sum = 0;
		for (size_t b = 0; b < beats; b++) {
			double p[4];
			for (int i = 0; i < 4; i++) {
				p[i] = h2d(ref_round(h2d(a[4 * b + (size_t)i]) *
						     h2d(w[4 * b + (size_t)i])));
				sum += ia[4 * b + (size_t)i] * iw[4 * b + (size_t)i];
			}
			uint16_t t = ref_round(h2d(ref_round(p[0] + p[1])) +
					       h2d(ref_round(p[2] + p[3])));
			h = ref_round(h2d(h) + h2d(t));
		}
		assert_int_equal(pe_fp16_dp4_run_dot(a, w, beats, &cyc, &act), h);
		assert_int_equal(cyc, pe_bl_stream_cycles(1, beats));
		assert_int_equal(act.beats, beats);
		assert_int_equal(act.macs, 4 * beats);
		assert_int_equal(pe_int8_dp4_run_dot(ia, iw, beats, &cyc, &act), sum);
		assert_int_equal(cyc, pe_bl_stream_cycles(1, beats));
		assert_int_equal(act.macs, 4 * beats);
	}
}

/* ---- counters, ports, registry, reset ---- */

static void test_actions(void **state)
{
	uint16_t a[8] = { 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00,
			  0x3c00 };
	uint8_t pairs[4] = { 0x78, 0x12, 0x88, 0x08 }, codes[3] = { 8, 1, 8 };
	struct pe_bl_actions act;
	uint64_t cyc;
	(void)state;
	/* 4 pairs for k = 7: one outlier pair, two reserved (identifier
	 * twice; identifier + abfloat's unused (0,0) code). */
	pe_olive_mac_run_dot(a, pairs, 7, PE_OLIVE_FLINT, &cyc, &act);
	assert_int_equal(cyc, 5);
	assert_int_equal(act.cycles, 5);
	assert_int_equal(act.beats, 4);
	assert_int_equal(act.macs, 8);
	assert_int_equal(act.decodes, 4);
	assert_int_equal(act.outliers, 1);
	assert_int_equal(act.reserved, 2);
	assert_int_equal(act.acc_writes, 4);
	assert_int_equal(act.results, 1);
	/* int4's 1000 is reserved, flint4's is the -0 alias. */
	pe_ant_mac_run_dot(a, codes, 3, PE_ANT_INT4, NULL, &act);
	assert_int_equal(act.reserved, 2);
	pe_ant_mac_run_dot(a, codes, 3, PE_ANT_FLINT4, NULL, &act);
	assert_int_equal(act.reserved, 0);
}

static void port_list(const struct pe_bt_ops *ops, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ops->n_in + ops->n_out; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s:%u",
					!i ? "" : i == ops->n_in ? " | " : " ",
					ops->ports[i].name, ops->ports[i].width);
}

static void test_ports(void **state)
{
	static const struct {
		const char *name, *ports;
	} want[] = {
		{ "fp16_mac", "in_valid:1 in_last:1 a:16 w:16 | out_valid:1 out_acc:16" },
		{ "int8_mac", "in_valid:1 in_last:1 a:8 w:8 | out_valid:1 out_acc:32" },
		{ "bitfusion_mac", "in_valid:1 in_last:1 a_mode:1 w_mode:1 a:16 w:16"
				   " | out_valid:1 out_acc:32" },
		{ "ant_mac", "in_valid:1 in_last:1 w_fmt:1 a:16 w:4 | out_valid:1 out_acc:16" },
		{ "olive_mac", "in_valid:1 in_last:1 w_fmt:1 a:32 w:8 | out_valid:1 out_acc:16" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct pe_bt_ops *ops = pe_bt_find(want[i].name);
		struct pe_params p;
		struct ps_err err;
		char buf[256], top[64];
		void *st;
		assert_non_null(ops);
		port_list(ops, buf, sizeof buf);
		assert_string_equal(buf, want[i].ports);
		snprintf(top, sizeof top, "pe_%s", want[i].name);
		assert_string_equal(ops->rtl_top, top);
		/* an array's worth of lanes is refused with a message */
		st = calloc(1, ops->state_size);
		assert_non_null(st);
		memset(&p, 0, sizeof p);
		p.lanes = 4;
		assert_int_equal(ops->init(st, &p, &err), PS_EINPUT);
		assert_non_null(strstr(err.msg, "lanes 4"));
		p.lanes = 1;
		assert_int_equal(ops->init(st, &p, &err), PS_OK);
		free(st);
	}
}

/* A reset mid-dot drops the partial sum and the counters, and keeps the
 * decoder ROMs. */
static void test_reset(void **state)
{
	struct dut d;
	uint64_t in[5] = { 1, 0, PE_ANT_FLINT4, 0x3c00, 7 }, out[2];
	uint64_t b[5] = { 1, 1, PE_ANT_FLINT4, 0x4000, 7 }, zero[5] = { 0 };
	struct pe_bl_actions act;
	(void)state;
	dut_open(&d, &pe_ant_mac_bt);
	d.ops->step(d.st, in, out);
	d.ops->step(d.st, in, out);
	d.ops->reset(d.st);
	pe_bl_actions(d.st, &act);
	assert_int_equal(act.cycles, 0);
	assert_int_equal(act.beats, 0);
	d.ops->step(d.st, b, out);
	assert_int_equal(out[0], 0);
	d.ops->step(d.st, zero, out);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 0x5000);	/* 2 x 16, not 16 + 16 + 32 */
	dut_close(&d);
}

/* ---- broken variants: the model's ports, one bug each ---- */

struct mut_state {
	struct pe_bl_actions act;
	bool v1, l1, ov;
	uint64_t x1, acc, oacc;
};

static void mut_reset(void *st)
{
	memset(st, 0, sizeof(struct mut_state));
}

static enum ps_status mut_init(void *st, const struct pe_params *p,
			       struct ps_err *err)
{
	(void)p;
	(void)err;
	mut_reset(st);
	return PS_OK;
}

/* The baselines' two stages, with the mutant's stage functions; in[0] and
 * in[1] are in_valid and in_last in every model. */
static void mut_step(void *st, const uint64_t *in, uint64_t *out,
		     uint64_t (*s1)(const uint64_t *in),
		     uint64_t (*s2)(uint64_t acc, uint64_t x))
{
	struct mut_state *s = st;
	s->ov = false;
	if (s->v1) {
		uint64_t sum = s2(s->acc, s->x1);
		if (s->l1) {
			s->oacc = sum;
			s->ov = true;
			s->acc = 0;
		} else {
			s->acc = sum;
		}
	}
	s->v1 = in[0] & 1;
	if (s->v1) {
		s->l1 = in[1] & 1;
		s->x1 = s1(in);
	}
	out[0] = s->ov;
	out[1] = s->oacc;
}

/* FP16 MAC flushing subnormal operands and results to zero. */
static uint16_t ftz(uint16_t h)
{
	return h & 0x7c00 ? h : h & 0x8000;
}

static uint64_t ftz_s1(const uint64_t *in)
{
	return ftz(pe_f16_mul(ftz((uint16_t)in[2]), ftz((uint16_t)in[3])));
}

static uint64_t ftz_s2(uint64_t acc, uint64_t p)
{
	return ftz(pe_f16_add((uint16_t)acc, (uint16_t)p));
}

static void ftz_step(void *st, const uint64_t *in, uint64_t *out)
{
	mut_step(st, in, out, ftz_s1, ftz_s2);
}

/* FP16 MAC that does not round the product (fused, in double). */
static uint64_t fused_s1(const uint64_t *in)
{
	return in[2] | in[3] << 16;
}

static uint64_t fused_s2(uint64_t acc, uint64_t x)
{
	double r = fmt_f16_to_f64((uint16_t)acc) +
		   fmt_f16_to_f64((uint16_t)x) * fmt_f16_to_f64((uint16_t)(x >> 16));
	return isnan(r) ? 0x7e00 : fmt_f16_from_f64(r);
}

static void fused_step(void *st, const uint64_t *in, uint64_t *out)
{
	mut_step(st, in, out, fused_s1, fused_s2);
}

/* INT8 MAC with a 16-bit accumulator (sign-extended onto out_acc). */
static uint64_t narrow_s1(const uint64_t *in)
{
	return (uint64_t)(tu_sext(in[2], 8) * tu_sext(in[3], 8));
}

static uint64_t narrow_s2(uint64_t acc, uint64_t p)
{
	return (uint64_t)tu_sext(acc + p, 16) & 0xffffffffu;
}

static void narrow_step(void *st, const uint64_t *in, uint64_t *out)
{
	mut_step(st, in, out, narrow_s1, narrow_s2);
}

/* OliVe decoder that puts the outlier on the identifier's lane. */
static uint64_t swap_s1(const uint64_t *in)
{
	return in[3] | in[4] << 32 | in[2] << 40;
}

static uint64_t swap_s2(uint64_t acc, uint64_t x)
{
	unsigned pair = (x >> 32) & 0xff;
	double v[2], t, r;
	olive_values((x >> 40) & 1, pair, v);
	if (((pair & 15) == 8) != ((pair >> 4) == 8)) {
		t = v[0];
		v[0] = v[1];
		v[1] = t;
	}
	r = fmt_f16_to_f64((uint16_t)acc) +
	    fmt_f16_to_f64((uint16_t)x) * v[0] +
	    fmt_f16_to_f64((uint16_t)(x >> 16)) * v[1];
	return isnan(r) ? 0x7e00 : fmt_f16_from_f64(r);
}

static void swap_step(void *st, const uint64_t *in, uint64_t *out)
{
	mut_step(st, in, out, swap_s1, swap_s2);
}

/* The same checks with the same seeds as the real model's; each must
 * fail. Returns the mutant's random-stream tally. */
static void broken(const struct pe_bt_ops *real, const char *name,
		   void (*step)(void *, const uint64_t *, uint64_t *),
		   const struct fam *f, int mode, uint64_t seed,
		   void (*corner)(struct dut *, struct tally *))
{
	struct pe_bt_ops m = *real;
	struct dut d;
	struct tally t;

	m.name = name;
	m.state_size = sizeof(struct mut_state);
	m.init = mut_init;
	m.reset = mut_reset;
	m.step = step;
	dut_open(&d, &m);
	stream_check(&d, f, mode, seed, N_VECTORS, 0, true, &t);
	report(name, "random", &t);
	assert_int_equal(t.vectors, N_VECTORS);
	assert_true(t.mismatches > 0);
	memset(&t, 0, sizeof t);
	corner(&d, &t);
	report(name, "corners", &t);
	assert_true(t.mismatches > 0);
	dut_close(&d);
}

static void test_broken_variants(void **state)
{
	(void)state;
	broken(&pe_fp16_mac_bt, "fp16_mac_ftz", ftz_step, &fam_fp16, 0,
	       0x1001, corner_fp16);
	broken(&pe_fp16_mac_bt, "fp16_mac_fused", fused_step, &fam_fp16, 0,
	       0x1001, corner_fp16);
	broken(&pe_int8_mac_bt, "int8_mac_acc16", narrow_step, &fam_int8, 0,
	       0x1002, corner_int8);
	broken(&pe_olive_mac_bt, "olive_mac_swap", swap_step, &fam_olive,
	       PE_OLIVE_FLINT, 0x1301, corner_olive);
}

/* ---- stimulus from the quantizers: real codes, real scales ---- */

static void test_quantized_stimulus(void **state)
{
	enum { N = 8, K = 512 };
	static const char *const specs[] = { "int4", "flint4", "olive4",
					     "olive4i" };
	struct wl_gen_params gp;
	struct ps_err err;
	float *w = malloc(sizeof(float) * N * K), x[K];
	uint16_t a[K];
	uint8_t pairs[K / 2];
	(void)state;

	assert_non_null(w);
	wl_gen_params_default(&gp);
	assert_int_equal(wl_gen_weights(7, N, K, &gp, w, &err), PS_OK);
	assert_int_equal(wl_gen_acts(8, 1, K, &gp, x, &err), PS_OK);
	for (int i = 0; i < K; i++)
		a[i] = fmt_f16_from_f32(x[i]);
	for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
		struct fmt_qspec q;
		struct cc_qtensor qt;
		bool olive = s >= 2;
		int fmt = (int)(s & 1);	/* int4/flint4, olive4/olive4i */
		assert_int_equal(fmt_qspec_parse(specs[s], &q, &err), PS_OK);
		assert_int_equal(cc_quantize(&q, w, N, K, &qt, &err), PS_OK);
		assert_int_equal(qt.n_groups, 1);
		for (int r = 0; r < N; r++) {
			const uint8_t *c = qt.codes + (size_t)r * K;
			const float *dq = qt.deq + (size_t)r * K;
			struct ref ref = { 0 };
			double exact = 0, mag = 0, v[2];
			uint16_t got;
			for (int i = 0; i < K; i++) {
				exact += h2d(a[i]) * dq[i];
				mag += fabs(h2d(a[i]) * dq[i]);
			}
			if (olive) {
				for (int p = 0; p < K / 2; p++) {
					pairs[p] = (uint8_t)(c[2 * p] | c[2 * p + 1] << 4);
					olive_values(fmt, pairs[p], v);
					olive_ref(&ref, a[2 * p], a[2 * p + 1], v);
				}
				got = pe_olive_mac_run_dot(a, pairs, K, fmt, NULL, NULL);
			} else {
				for (int i = 0; i < K; i++)
					fp16_acc(&ref, h2d(a[i]) * ant_value(fmt, c[i]));
				got = pe_ant_mac_run_dot(a, c, K, fmt, NULL, NULL);
			}
			assert_int_equal(got, ref.h);
			/* scale x PE = the dequantized dot, within K roundings */
			assert_true(fabs(h2d(got) * qt.scale[r] - exact) <=
				    K * 0x1p-11 * mag);
		}
		cc_qtensor_free(&qt);
	}
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_fp16_named),
		cmocka_unit_test(test_int_named),
		cmocka_unit_test(test_dp4_named),
		cmocka_unit_test(test_decode_named),
		cmocka_unit_test(test_corners),
		cmocka_unit_test(test_random_fp16),
		cmocka_unit_test(test_random_int8),
		cmocka_unit_test(test_random_bitfusion),
		cmocka_unit_test(test_random_ant),
		cmocka_unit_test(test_random_olive),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_run_dot),
		cmocka_unit_test(test_quantized_stimulus),
		cmocka_unit_test(test_broken_variants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

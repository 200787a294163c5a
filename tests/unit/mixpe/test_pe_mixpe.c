/* test_pe_mixpe.c - the MixPE bit-true PE and array (pe_models/mixpe/)
 * against an independent reference, and its closed-form timing against
 * stepping.
 *
 * The reference is written from README.md's numerics, not from the model:
 * plain integer multiplies and sums (exact), the zero correction in int64,
 * and every FP16 rounding done by GCC's _Float16 (conversion from an exact
 * double, or one _Float16 operation per documented step). NaNs compare by
 * NaN-ness (the model's default NaN is 0x7e00, GCC's may differ); every
 * other result, signed zeros included, bit for bit.
 *
 * Configurations: weight bits 2 and 4 x INT8 and FP16 activations (the bt
 * model's parameters), 2 lanes, groups of up to 128: 10^5 random output
 * vectors each (an output = 1..3 groups of 1..64 lane-groups, streamed back
 * to back through the bt ports). Fewer for lanes 1, 3, 4 and 3-bit
 * weights. Seeds are fixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cc_quant.h"
#include "fmt.h"
#include "pe.h"
#include "mixpe/pe_mixpe.h"
#include "test_util.h"
#include "wl_tensor.h"

/* ---- deterministic PRNG (test_util's splitmix64) ---- */

static uint64_t rng_state;
static uint64_t rnd(void) { return tu_rng(&rng_state); }
static unsigned rn(unsigned n) { return (unsigned)tu_rng_below(&rng_state, n); }

/* ---- one output vector: groups of lane-groups ---- */

#define MAXG 3
#define NVEC 100000	/* random output vectors per configuration */
#define MAXLG (PE_MIXPE_GROUP_MAX)

struct tcfg {
	unsigned wbits, lanes, fp16, group;
};

struct vec {
	unsigned ng;
	unsigned len[MAXG];		/* lane-groups per group */
	uint16_t scale[MAXG];
	int8_t zero[MAXG];
	unsigned n;			/* lane-groups in all */
	uint64_t *a;			/* per lane-group: the a_in word */
	uint16_t *w;			/* per lane-group: the w_in word */
};

static _Float16 tree16(const _Float16 *v, unsigned L)
{
	_Float16 x, y;
	switch (L) {
	case 1:
		return v[0];
	case 2:
		return v[0] + v[1];
	case 3:
		x = v[0] + v[1];
		return x + v[2];
	default:
		x = v[0] + v[1];
		y = v[2] + v[3];
		return x + y;
	}
}

/* README "Numerics": the INT8 accumulators hold any group of up to
 * `group` values exactly; a longer group wraps them (two's complement). */
static unsigned acc_bits(const struct tcfg *c)
{
	uint64_t x = (uint64_t)c->group * 128 << (c->wbits - 1);	/* 2^(b+6) G */
	unsigned n = 1;
	while ((1ull << (n - 1)) - 1 < x)
		n++;
	return n;
}

static unsigned sa_bits(const struct tcfg *c)
{
	unsigned n = 1;
	while ((1ull << (n - 1)) < 128ull * c->group)
		n++;
	return n;
}

static int64_t wrap_ref(int64_t x, unsigned bits)
{
	int64_t m = (int64_t)1 << bits;
	x = ((x % m) + m) % m;
	return x >= m / 2 ? x - m : x;
}

/* The documented result of one output (README "Numerics"). */
static uint16_t ref_output(const struct tcfg *c, const struct vec *v)
{
	_Float16 out = 0;
	unsigned lg = 0;
	for (unsigned g = 0; g < v->ng; g++) {
		if (!c->fp16) {
			int64_t acc = 0, sa = 0, d;
			for (unsigned j = 0; j < v->len[g]; j++, lg++)
				for (unsigned i = 0; i < c->lanes; i++) {
					int a = tu_sext((unsigned)(v->a[lg] >> (16 * i)), 8);
					int w = tu_sext(v->w[lg] >> (4 * i), c->wbits);
					acc += a * w;
					sa += a;
				}
			acc = wrap_ref(acc, acc_bits(c));
			sa = wrap_ref(sa, sa_bits(c));
			d = acc - (int64_t)v->zero[g] * sa;
			_Float16 y = (_Float16)((double)tu_f16(v->scale[g]) * (double)d);
			out = g == 0 ? y : (_Float16)(out + y);
		} else {
			_Float16 acc = 0, sa = 0, p[4], a[4], t, s, m, d, y;
			for (unsigned j = 0; j < v->len[g]; j++, lg++) {
				for (unsigned i = 0; i < c->lanes; i++) {
					a[i] = tu_f16((uint16_t)(v->a[lg] >> (16 * i)));
					int w = tu_sext(v->w[lg] >> (4 * i), c->wbits);
					p[i] = (_Float16)((double)a[i] * (double)w);
				}
				t = tree16(p, c->lanes);
				s = tree16(a, c->lanes);
				acc = j == 0 ? t : (_Float16)(acc + t);
				sa = j == 0 ? s : (_Float16)(sa + s);
			}
			m = (_Float16)((double)v->zero[g] * (double)sa);
			d = acc - m;
			y = tu_f16(v->scale[g]) * d;
			out = g == 0 ? y : (_Float16)(out + y);
		}
	}
	return tu_f16_bits(out);
}

/* ---- random stimulus ---- */

static uint16_t rand_special(void)
{
	static const uint16_t sp[] = { 0x7c00, 0xfc00, 0x7e00, 0x7d01, 0x0000, 0x8000 };
	return sp[rn(6)];
}

static uint16_t rand_f16(int specials)
{
	unsigned r = rn(100), e;
	if (specials && r < 3)
		return rand_special();
	if (r < 5)
		e = 0;				/* subnormal */
	else if (r < 10)
		e = 21 + rn(10);		/* large: up to 2^15 */
	else
		e = 5 + rn(16);
	return (uint16_t)((rn(2) << 15) | (e << 10) | rn(1024));
}

static uint16_t rand_scale(int specials)
{
	unsigned r = rn(100);
	if (specials && r < 3)
		return rand_special();
	if (r < 10)
		return (uint16_t)((rn(2) << 15) | rn(1024));	/* subnormal */
	return (uint16_t)((r < 20 ? 0x8000u : 0) | ((1 + rn(19)) << 10) | rn(1024));
}

static uint8_t rand_int8(void)
{
	static const uint8_t ext[] = { 0x80, 0x7f, 0x00, 0xff };
	return rn(16) == 0 ? ext[rn(4)] : (uint8_t)rnd();
}

static void gen_vec(const struct tcfg *c, struct vec *v, int specials)
{
	unsigned maxlen = c->group / c->lanes;
	v->ng = 1 + rn(MAXG);
	v->n = 0;
	for (unsigned g = 0; g < v->ng; g++) {
		unsigned len = rn(16) == 0 ? maxlen : 1 + rn(8);
		v->len[g] = len < maxlen ? len : maxlen;
		v->scale[g] = rand_scale(specials);
		v->zero[g] = rn(2) ? (int8_t)tu_sext(rn(1u << c->wbits), c->wbits)
				   : (int8_t)rnd();
		for (unsigned j = 0; j < v->len[g]; j++, v->n++) {
			/* unused lanes, the high byte of an INT8 slot and the
			 * nibble bits above wbits carry garbage: ignored */
			uint64_t a = rnd();
			uint16_t w = (uint16_t)rnd();
			for (unsigned i = 0; i < c->lanes; i++) {
				uint64_t x = c->fp16 ? rand_f16(specials)
						     : (rnd() & 0xff00) | rand_int8();
				a = (a & ~(0xffffull << (16 * i))) | (x << (16 * i));
			}
			v->a[v->n] = a;
			v->w[v->n] = w;
		}
	}
}

/* ---- the PE through its bt ports ---- */

enum { O_DONE = 8, O_RES_VALID = 9, O_RES = 11 };

struct pending {
	uint16_t ref;
	uint64_t due;		/* edge whose outputs must show done */
};

struct stream {
	const struct pe_bt_ops *ops;
	struct pe_mixpe_pe st;
	uint64_t in[12], out[12];
	uint64_t t;		/* edges stepped */
	struct pending q[64];
	unsigned qh, qn;
	uint64_t bad, done;
	const struct tcfg *c;
};

static void pe_open(struct stream *s, const struct tcfg *c, uint32_t bugs)
{
	struct pe_params p;
	struct ps_err err;
	memset(&p, 0, sizeof p);
	p.weight_bits = c->wbits;
	p.a_bits = c->fp16 ? 16 : 8;
	p.lanes = c->lanes;
	p.group_size = c->group;
	memset(s, 0, sizeof *s);
	s->c = c;
	s->ops = pe_bt_find("mixpe_pe");
	assert_non_null(s->ops);
	assert_int_equal(s->ops->state_size, sizeof s->st);
	assert_int_equal(s->ops->init(&s->st, &p, &err), PS_OK);
	s->st.cfg.bugs = bugs;
}

/* One edge; a done pulse must come exactly when due, with the result. */
static void edge(struct stream *s)
{
	s->ops->step(&s->st, s->in, s->out);
	if (s->out[O_DONE]) {
		struct pending *e = &s->q[s->qh];
		assert_true(s->qn > 0);
		assert_int_equal(s->t, e->due);
		assert_int_equal(s->out[O_RES_VALID], 1);
		if (!tu_f16_same(e->ref, (uint16_t)s->out[O_RES])) {
			if (!s->st.cfg.bugs && s->bad < 5)
				printf("mismatch W%u %s L%u, vector %llu: ref %04x got %04x\n",
				       s->c->wbits, s->c->fp16 ? "FP16" : "INT8",
				       s->c->lanes, (unsigned long long)s->done,
				       e->ref, (unsigned)s->out[O_RES]);
			s->bad++;
		}
		s->done++;
		s->qh = (s->qh + 1) % 64;
		s->qn--;
	} else {
		assert_true(!s->qn || s->t < s->q[s->qh].due);
	}
	s->t++;
}

/* Feed one output vector (idle cycles at random between lane-groups). */
static void feed_vec(struct stream *s, const struct vec *v)
{
	unsigned lg = 0;
	for (unsigned g = 0; g < v->ng; g++)
		for (unsigned j = 0; j < v->len[g]; j++, lg++) {
			while (rn(32) == 0) {
				memset(s->in, 0, sizeof s->in);
				edge(s);
			}
			s->in[0] = 1;
			s->in[1] = lg == 0;
			s->in[2] = j + 1 == v->len[g];
			s->in[3] = lg + 1 == v->n;
			s->in[4] = v->a[lg];
			s->in[5] = v->w[lg];
			/* scale/zero are sampled only with in_glast */
			s->in[6] = s->in[2] ? v->scale[g] : rnd() & 0xffff;
			s->in[7] = s->in[2] ? (uint8_t)v->zero[g] : rnd() & 0xff;
			if (s->in[3]) {
				struct pending *e = &s->q[(s->qh + s->qn) % 64];
				assert_true(s->qn < 64);
				e->ref = ref_output(s->c, v);
				e->due = s->t + PE_MIXPE_DQ_LATENCY;
				s->qn++;
			}
			edge(s);
		}
}

static void flush(struct stream *s)
{
	for (unsigned i = 0; s->qn && i < 64; i++) {
		memset(s->in, 0, sizeof s->in);
		edge(s);
	}
	assert_int_equal(s->qn, 0);
}

static void vec_alloc(struct vec *v, const struct tcfg *c)
{
	v->a = malloc(MAXG * (c->group / c->lanes) * sizeof *v->a);
	v->w = malloc(MAXG * (c->group / c->lanes) * sizeof *v->w);
	assert_true(v->a && v->w);
}

/* Stream nvec random outputs through one PE; returns the mismatches. */
static uint64_t run_stream(const struct tcfg *c, uint64_t nvec, uint64_t seed,
			   uint32_t bugs, int specials)
{
	struct stream s;
	struct vec v;

	rng_state = seed;
	vec_alloc(&v, c);
	pe_open(&s, c, bugs);
	for (uint64_t k = 0; k < nvec; k++) {
		gen_vec(c, &v, specials);
		feed_vec(&s, &v);
	}
	flush(&s);
	assert_int_equal(s.done, nvec);
	assert_int_equal(s.st.act.results, nvec);
	if (nvec >= NVEC)
		printf("W%u%s, %u lanes: %llu vectors, %llu lane-groups, %llu edges\n",
		       c->wbits, c->fp16 ? "A16" : "A8", c->lanes,
		       (unsigned long long)nvec, (unsigned long long)s.st.act.beats,
		       (unsigned long long)s.t);
	free(v.a);
	free(v.w);
	return s.bad;
}

static const struct tcfg W4A8 = { 4, 2, 0, 128 }, W2A8 = { 2, 2, 0, 128 },
			 W4A16 = { 4, 2, 1, 128 }, W2A16 = { 2, 2, 1, 128 };


/* NVEC random output vectors of one configuration, its own seed. */
static const struct random_cfg {
	const struct tcfg *c;
	uint64_t seed;
} random_cfgs[] = {
	{ &W4A8, 0x4a8 }, { &W2A8, 0x2a8 }, { &W4A16, 0x4a16 }, { &W2A16, 0x2a16 },
};

static void test_random(void **state)
{
	const struct random_cfg *t = *state;
	assert_int_equal(run_stream(t->c, NVEC, t->seed, 0, 0), 0);
}

/* Other lane counts and 3-bit weights; inf, NaN and signed zeros among
 * the activations and scales. */
static void test_random_lanes_specials(void **state)
{
	static const struct tcfg cs[] = {
		{ 4, 1, 0, 128 }, { 4, 3, 0, 126 }, { 4, 4, 0, 128 }, { 3, 2, 0, 128 },
		{ 4, 1, 1, 128 }, { 4, 3, 1, 126 }, { 4, 4, 1, 128 }, { 3, 2, 1, 128 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
		assert_int_equal(run_stream(&cs[i], 10000, 0x1a9e + i, 0, 0), 0);
	assert_int_equal(run_stream(&W4A8, 10000, 0x5e1, 0, 1), 0);
	assert_int_equal(run_stream(&W2A8, 10000, 0x5e2, 0, 1), 0);
	assert_int_equal(run_stream(&W4A16, 10000, 0x5e3, 0, 1), 0);
	assert_int_equal(run_stream(&W2A16, 10000, 0x5e4, 0, 1), 0);
}

/* ---- corner cases with hand-computed results ---- */

/* One output of g groups, each `len` lane-groups of the same a/w words,
 * through a fresh PE; returns the result bits. */
static uint16_t one_output(const struct tcfg *c, unsigned ng, unsigned len,
			   uint64_t a, uint16_t w, const uint16_t *scale,
			   const int8_t *zero, uint32_t bugs)
{
	struct stream s;
	struct vec v;
	v.a = malloc(ng * len * sizeof *v.a);
	v.w = malloc(ng * len * sizeof *v.w);
	assert_true(v.a && v.w && ng <= MAXG);
	v.ng = ng;
	v.n = ng * len;
	for (unsigned g = 0; g < ng; g++) {
		v.len[g] = len;
		v.scale[g] = scale[g];
		v.zero[g] = zero[g];
	}
	for (unsigned i = 0; i < v.n; i++) {
		v.a[i] = a;
		v.w[i] = w;
	}
	pe_open(&s, c, bugs);
	feed_vec(&s, &v);
	flush(&s);
	free(v.a);
	free(v.w);
	assert_int_equal(s.done, 1);
	return (uint16_t)s.st.slot.res;
}

/* INT8: the accumulator bound of a group of 128 (README "Numerics"):
 * -128 x -8 = +1024 per product, 128 of them = 2^17, which needs 19 bits
 * signed; sum a = -16384 = the 15-bit minimum. */
static void test_int8_bounds(void **state)
{
	struct pe_mixpe_cfg c;
	struct pe_params p = { .lanes = 2, .weight_bits = 4.15625, .a_bits = 8,
			       .group_size = 128 };
	uint64_t neg128 = 0x0080008000800080ull;	/* -128 in every lane */
	uint16_t sc[2];
	int8_t z[2];
	(void)state;

	assert_int_equal(pe_mixpe_cfg_from_params(&p, &c, NULL), PS_OK);
	assert_int_equal(c.acc_bits, 19);
	assert_int_equal(c.sa_bits, 15);
	p.weight_bits = 2;
	assert_int_equal(pe_mixpe_cfg_from_params(&p, &c, NULL), PS_OK);
	assert_int_equal(c.acc_bits, 17);	/* 128 x 256 = 2^15 */

	/* acc = 2^17, zero 0, scale 2^-10: 128 */
	sc[0] = 0x1400;
	z[0] = 0;
	assert_int_equal(one_output(&W4A8, 1, 64, neg128, 0x8888, sc, z, 0), 0x5800);
	/* zero -128: D = 2^17 - (-128)(-16384) = -1966080, x 2^-10 = -1920 */
	z[0] = -128;
	assert_int_equal(one_output(&W4A8, 1, 64, neg128, 0x8888, sc, z, 0), 0xe780);
	assert_int_equal(tu_f16_bits((_Float16)-1920.0), 0xe780);
	/* INT2: -128 x -2 = 256 per product, 2^15 over the group, x 2^-10 = 32 */
	z[0] = 0;
	assert_int_equal(one_output(&W2A8, 1, 64, neg128, 0x2222, sc, z, 0), 0x5000);
	/* a controller that overruns the group wraps the 19-bit register:
	 * 256 products of 1024 = 2^18 -> -2^18; x 2^-8 = -1024 */
	sc[0] = 0x1c00;
	assert_int_equal(one_output(&W4A8, 1, 128, neg128, 0x8888, sc, z, 0), 0xe400);
	/* the most negative group: 127 x -8 x 128 = -130048, x 2^-10 = -127 */
	sc[0] = 0x1400;
	assert_int_equal(one_output(&W4A8, 1, 64, 0x007f007f007f007full, 0x8888, sc, z, 0),
			 tu_f16_bits((_Float16)-127.0));
}

/* All-zero groups, signed zeros, subnormal and special scales (INT8). */
static void test_int8_zeros_specials(void **state)
{
	uint16_t sc[3];
	int8_t z[3] = { 3, 3, 3 };
	(void)state;

	/* a = 0: D = 0; scale -1 gives -0 (IEEE -1 x 0) */
	sc[0] = 0xbc00;
	assert_int_equal(one_output(&W4A8, 1, 4, 0, 0x7777, sc, z, 0), 0x8000);
	/* -0 + (+0) = +0 in the output accumulator */
	sc[1] = 0x3c00;
	assert_int_equal(one_output(&W4A8, 2, 4, 0, 0x7777, sc, z, 0), 0x0000);
	/* w = 0, a = 5: acc 0, sum a = 5 x 2 lanes x 2 = 20, D = -3 x 20 */
	sc[0] = 0x3c00;
	assert_int_equal(one_output(&W4A8, 1, 2, 0x0005000500050005ull, 0, sc, z, 0),
			 tu_f16_bits((_Float16)-60.0));
	/* subnormal scale 2^-24 x D: w = 1, a = 1, zero 0, 2 lane-groups of 2 */
	z[0] = 0;
	sc[0] = 0x0001;
	assert_int_equal(one_output(&W4A8, 1, 2, 0x0001000100010001ull, 0x1111, sc, z, 0),
			 0x0004);
	/* scale inf: x 0 is NaN, x 4 is inf; scale NaN is NaN */
	sc[0] = 0x7c00;
	assert_true(tu_f16_nan(one_output(&W4A8, 1, 2, 0, 0x1111, sc, z, 0)));
	assert_int_equal(one_output(&W4A8, 1, 2, 0x0001000100010001ull, 0x1111, sc, z, 0),
			 0x7c00);
	sc[0] = 0x7e00;
	assert_true(tu_f16_nan(one_output(&W4A8, 1, 2, 0x0001000100010001ull, 0x1111, sc, z, 0)));
	/* overflow of s x D to inf: D = 2^17, s = 1 */
	sc[0] = 0x3c00;
	assert_int_equal(one_output(&W4A8, 1, 64, 0x0080008000800080ull, 0x8888, sc, z, 0),
			 0x7c00);
}

/* Every FP16 pattern x every weight of 2, 3 and 4 bits against GCC's
 * product of the exact values: subnormals, the largest exponents, inf,
 * NaN and signed zeros included. */
static void test_fp16_products_exhaustive(void **state)
{
	uint64_t bad = 0;
	(void)state;
	for (unsigned b = 2; b <= 4; b++)
		for (unsigned a = 0; a < 65536; a++)
			for (int w = -(1 << (b - 1)); w < (1 << (b - 1)); w++) {
				uint16_t ref = tu_f16_bits((_Float16)((double)tu_f16((uint16_t)a) * w));
				if (!tu_f16_same(ref, pe_mixpe_fp_product((uint16_t)a, w, b, 0)))
					bad++;
			}
	assert_int_equal(bad, 0);

	/* the shifted copy -8a exceeds 65504 but a x (-1) does not */
	assert_int_equal(pe_mixpe_fp_product(0x7bff, -1, 4, 0), 0xfbff);
	assert_int_equal(pe_mixpe_fp_product(0x70e2, -1, 4, 0), 0xf0e2);
	assert_int_equal(pe_mixpe_fp_product(0x70e2, -8, 4, 0), 0xfc00);
	assert_int_equal(pe_mixpe_fp_product(0x7bff, 2, 4, 0), 0x7c00);
	/* subnormals stay exact */
	assert_int_equal(pe_mixpe_fp_product(0x0001, 7, 4, 0), 0x0007);
	assert_int_equal(pe_mixpe_fp_product(0x0001, -8, 4, 0), 0x8008);
	/* specials */
	assert_true(tu_f16_nan(pe_mixpe_fp_product(0x7c00, 0, 4, 0)));
	assert_int_equal(pe_mixpe_fp_product(0x7c00, -3, 4, 0), 0xfc00);
	assert_int_equal(pe_mixpe_fp_product(0x8000, 3, 4, 0), 0x8000);
	assert_int_equal(pe_mixpe_fp_product(0x0000, -3, 4, 0), 0x8000);
	assert_int_equal(pe_mixpe_fp_product(0x8000, -3, 4, 0), 0x0000);
	assert_int_equal(pe_mixpe_fp_product(0x8000, 0, 4, 0), 0x8000);
	/* the broken variant reads -1 as 15 */
	assert_int_equal(pe_mixpe_fp_product(0x3c00, -1, 4, PE_MIXPE_BUG_MSB_POS), 0x4b80);
}

/* Every INT8 x INT4/INT2 lane product, in each lane, through the SWAR
 * bit-plane datapath, and the ignored bits (high byte, nibble bits above
 * wbits, lanes beyond `lanes`). */
static void test_int8_products_exhaustive(void **state)
{
	struct pe_mixpe_cfg c;
	struct pe_params p = { .weight_bits = 4, .a_bits = 8, .lanes = 4, .group_size = 96 };
	(void)state;
	for (unsigned b = 2; b <= 4; b++) {
		p.weight_bits = b;
		for (unsigned L = 1; L <= 4; L++) {
			p.lanes = L;
			assert_int_equal(pe_mixpe_cfg_from_params(&p, &c, NULL), PS_OK);
			for (unsigned a = 0; a < 256; a++)
				for (unsigned w = 0; w < 16; w++)
					for (unsigned lane = 0; lane < L; lane++) {
						uint64_t aw = (uint64_t)(a | 0x5a00) << (16 * lane);
						uint16_t ww = (uint16_t)(w << (4 * lane));
						int32_t sa, r;
						/* garbage beyond the used lanes */
						for (unsigned o = L; o < 4; o++) {
							aw |= 0x7f7full << (16 * o);
							ww |= (uint16_t)(0xf << (4 * o));
						}
						r = pe_mixpe_int_lanes(&c, aw, ww, &sa, NULL);
						assert_int_equal(r, tu_sext(a, 8) * tu_sext(w, b));
						assert_int_equal(sa, tu_sext(a, 8));
					}
		}
	}
}

/* FP16 path: overflow, underflow and rounding at D2, hand-computed. */
static void test_fp16_group_corners(void **state)
{
	uint16_t sc[2] = { 0x0001, 0x3c00 };
	int8_t z[2] = { 0, 0 };
	(void)state;
	/* lane 0: 0.5 x 1, lane 1: 0 x 0: acc = 0.5, sum a = 0.5, D = 0.5;
	 * x 2^-24 = 2^-25: a tie between 0 and 2^-24, to even: +0 */
	assert_int_equal(one_output(&W4A16, 1, 1, 0x3800, 0x0001, sc, z, 0), 0x0000);
	/* x 3 x 2^-24 = 1.5 x 2^-24: a tie between 1 and 2, to even: 2 */
	sc[0] = 0x0003;
	assert_int_equal(one_output(&W4A16, 1, 1, 0x3800, 0x0001, sc, z, 0), 0x0002);
	/* 65504 x 7 overflows the product: inf; x scale 1 = inf */
	sc[0] = 0x3c00;
	assert_int_equal(one_output(&W4A16, 1, 1, 0x7bff, 0x0007, sc, z, 0), 0x7c00);
	/* zero correction: lanes 1.0 x 1 and 1.0 x 1, zero 3: 2 - 3 x 2 = -4 */
	z[0] = 3;
	assert_int_equal(one_output(&W4A16, 1, 1, 0x3c003c00, 0x0011, sc, z, 0), 0xc400);
	/* accumulation overflow: 65504 + 65504 in the lane tree is inf, and
	 * then inf - zero x inf (zero 3) is NaN */
	assert_true(tu_f16_nan(one_output(&W4A16, 1, 1, 0x7bff7bff, 0x0011, sc, z, 0)));
	z[0] = 0;	/* 0 x inf = NaN too: still NaN */
	assert_true(tu_f16_nan(one_output(&W4A16, 1, 1, 0x7bff7bff, 0x0011, sc, z, 0)));
}

/* The deliberately broken variants: the random check catches both, in
 * both activation modes. */
static void test_broken_variants(void **state)
{
	static const struct tcfg *cs[] = { &W4A8, &W2A8, &W4A16, &W2A16 };
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		uint64_t nz = run_stream(cs[i], 10000, 0xb0 + i, PE_MIXPE_BUG_NO_ZERO, 0);
		uint64_t msb = run_stream(cs[i], 10000, 0xb8 + i, PE_MIXPE_BUG_MSB_POS, 0);
		printf("broken W%u%s: no-zero %llu/10000 caught, msb-sign %llu/10000 caught\n",
		       cs[i]->wbits, cs[i]->fp16 ? "A16" : "A8",
		       (unsigned long long)nz, (unsigned long long)msb);
		assert_true(nz > 5000);
		assert_true(msb > 5000);
	}
	/* and the same seeds pass unbroken */
	assert_int_equal(run_stream(&W4A8, 10000, 0xb0, 0, 0), 0);
}

/* ---- GEMMs through the stepped array ---- */

struct tgemm {
	struct pe_mixpe_gemm g;
	uint16_t *a, *scale, *out;
	int8_t *w, *zero;
	uint64_t groups;
};

static void gemm_alloc(struct tgemm *t, uint64_t m, uint64_t n, uint64_t k,
		       uint64_t group)
{
	t->groups = (k + group - 1) / group;
	t->a = calloc(m * k, sizeof *t->a);
	t->w = calloc(n * k, sizeof *t->w);
	t->scale = calloc(n * t->groups, sizeof *t->scale);
	t->zero = calloc(n * t->groups, sizeof *t->zero);
	t->out = calloc(m * n, sizeof *t->out);
	assert_true(t->a && t->w && t->scale && t->zero && t->out);
	t->g = (struct pe_mixpe_gemm){ m, n, k, t->a, t->w, t->scale, t->zero, t->out };
}

static void gemm_free(struct tgemm *t)
{
	TU_FREE(t->a, t->w, t->scale, t->zero, t->out);
}

static void gemm_random(struct tgemm *t, const struct tcfg *c)
{
	const struct pe_mixpe_gemm *g = &t->g;
	for (uint64_t i = 0; i < g->m * g->k; i++)
		t->a[i] = c->fp16 ? rand_f16(0) : rand_int8();
	for (uint64_t i = 0; i < g->n * g->k; i++)
		t->w[i] = (int8_t)tu_sext(rn(1u << c->wbits), c->wbits);
	for (uint64_t i = 0; i < g->n * t->groups; i++) {
		t->scale[i] = rand_scale(0);
		t->zero[i] = (int8_t)tu_sext(rn(1u << c->wbits), c->wbits);
	}
}

/* The reference of out[m,n]: K in groups, each in lane-groups of `lanes`
 * zero-padded at the end of K (what the controller feeds). */
static uint16_t ref_gemm_out(const struct tcfg *c, const struct tgemm *t,
			     uint64_t m, uint64_t n)
{
	const struct pe_mixpe_gemm *g = &t->g;
	uint64_t nlg = 0, G = c->group;
	struct vec v;
	uint16_t r;
	v.a = malloc(t->groups * (G / c->lanes + 1) * sizeof *v.a);
	v.w = malloc(t->groups * (G / c->lanes + 1) * sizeof *v.w);
	assert_true(v.a && v.w && t->groups <= MAXG);
	v.ng = (unsigned)t->groups;
	for (uint64_t gi = 0; gi < t->groups; gi++) {
		uint64_t k0 = gi * G, k1 = k0 + G < g->k ? k0 + G : g->k;
		v.len[gi] = (unsigned)((k1 - k0 + c->lanes - 1) / c->lanes);
		v.scale[gi] = t->scale[n * t->groups + gi];
		v.zero[gi] = t->zero[n * t->groups + gi];
		for (uint64_t k = k0; k < k1; k += c->lanes, nlg++) {
			v.a[nlg] = 0;
			v.w[nlg] = 0;
			for (unsigned i = 0; i < c->lanes && k + i < k1; i++) {
				v.a[nlg] |= (uint64_t)t->a[m * g->k + k + i] << (16 * i);
				v.w[nlg] |= (uint16_t)(((unsigned)t->w[n * g->k + k + i] & 0xf) << (4 * i));
			}
		}
	}
	v.n = (unsigned)nlg;
	r = ref_output(c, &v);
	free(v.a);
	free(v.w);
	return r;
}

static struct pe_params tparams(const struct tcfg *c)
{
	struct pe_params p;
	memset(&p, 0, sizeof p);
	p.lanes = c->lanes;
	p.weight_bits = c->wbits + 0.15625;	/* stored bits, floored by the PE */
	p.a_bits = p.act_bits = c->fp16 ? 16 : 8;
	p.group_size = c->group;
	return p;
}

static uint64_t gemm_mismatches(const struct tcfg *c, const struct tgemm *t)
{
	uint64_t bad = 0;
	for (uint64_t m = 0; m < t->g.m; m++)
		for (uint64_t n = 0; n < t->g.n; n++)
			if (!tu_f16_same(ref_gemm_out(c, t, m, n), t->out[m * t->g.n + n]))
				bad++;
	return bad;
}

/* Closed form == stepped over random tiles, arrays, lanes, widths and
 * modes, including passes shorter than the drain (k <= lanes x rows);
 * every output checked against the reference. */
static void test_closed_form(void **state)
{
	static const unsigned groups[] = { 4, 8, 32, 128 };
	const struct pe_family *ops = pe_family_find("mixpe");
	(void)state;
	assert_non_null(ops);
	rng_state = 0xc105ed;
	for (int it = 0; it < 300; it++) {
		struct tcfg c = { 2 + rn(3), 1u << rn(3), rn(2), 0 };
		struct pe_array arr = { 1 + rn(6), 1 + rn(6), CFG_DF_OS, 0 };
		struct pe_params p;
		struct pe_tile tile;
		struct pe_tile_timing tt;
		struct tgemm t;
		struct ps_err err;
		uint64_t m = 1 + rn(11), n = 1 + rn(11), k, cyc;
		c.group = groups[rn(4)];
		if (c.group < c.lanes)
			c.group = c.lanes;
		k = 1 + rn(rn(4) ? 3 * c.group : 12);
		if ((k + c.group - 1) / c.group > MAXG)
			k = MAXG * c.group;
		p = tparams(&c);
		gemm_alloc(&t, m, n, k, c.group);
		gemm_random(&t, &c);
		assert_int_equal(pe_mixpe_run_gemm(&p, &arr, &t.g, 0, &cyc, NULL, &err), PS_OK);
		assert_int_equal(cyc, pe_mixpe_tile_cycles(&p, &arr, m, n, k));
		tile = (struct pe_tile){ m, n, k };
		ops->tile_timing(&p, &arr, &tile, false, &tt);
		assert_int_equal(cyc, tt.cycles + ops->dq_cycles(&p));
		assert_int_equal(gemm_mismatches(&c, &t), 0);
		gemm_free(&t);
	}
}

/* The registered 4x4 "mixpe_array", driven through its ports with the
 * controller's stimulus, equals run_gemm on a 4x4 array: outputs,
 * cycles, and the PE-level counters. */
static void test_array_bt(void **state)
{
	const struct pe_bt_ops *ops = pe_bt_find("mixpe_array");
	struct pe_array arr = { 4, 4, CFG_DF_OS, 0 };
	(void)state;
	assert_non_null(ops);
	assert_int_equal(ops->n_in, 11);
	assert_int_equal(ops->n_out, 2);
	rng_state = 0xa77a;
	for (int it = 0; it < 40; it++) {
		struct tcfg c = { rn(2) ? 4 : 2, 2, rn(2), 32 };
		struct pe_params p = tparams(&c);
		struct pe_mixpe_sched s;
		struct pe_mixpe_actions a1, a2;
		struct tgemm t;
		struct ps_err err;
		uint64_t m = 1 + rn(9), n = 1 + rn(9), k = 1 + rn(80), cyc, t0;
		uint64_t got[4] = { 0 }, left, in[11], out[2];
		uint16_t *o2;
		void *st = malloc(ops->state_size);

		gemm_alloc(&t, m, n, k, c.group);
		gemm_random(&t, &c);
		o2 = calloc(m * n, sizeof *o2);
		assert_true(st && o2);
		assert_int_equal(pe_mixpe_run_gemm(&p, &arr, &t.g, 0, &cyc, &a1, &err), PS_OK);

		assert_int_equal(ops->init(st, &p, &err), PS_OK);
		assert_int_equal(pe_mixpe_sched_init(&p, &arr, &t.g, &s, &err), PS_OK);
		left = s.passes * 4 * 4;
		for (t0 = 0; left && t0 < 10 * cyc; t0++) {
			struct pe_mixpe_row_in row[4];
			uint64_t a_col[4];
			pe_mixpe_feed(&s, &t.g, t0, row, a_col);
			pe_mixpe_array_ports(row, a_col, in);
			ops->step(st, in, out);
			for (unsigned col = 0; col < 4; col++) {
				uint64_t mm, nn;
				if (!((out[0] >> col) & 1))
					continue;
				if (pe_mixpe_out_index(&s, &t.g, col, got[col], &mm, &nn))
					o2[mm * n + nn] = (uint16_t)(out[1] >> (16 * col));
				got[col]++;
				left--;
			}
		}
		assert_int_equal(left, 0);
		assert_int_equal(t0, cyc);
		assert_memory_equal(o2, t.out, m * n * sizeof *o2);
		pe_mixpe_array_actions(st, &a2);
		assert_memory_equal(&a1, &a2, sizeof a1);
		assert_int_equal(a1.cycles, 16 * cyc);
		assert_int_equal(a1.results, 16 * s.passes);
		assert_int_equal(a1.beats, 16 * s.passes * s.S);
		assert_int_equal(gemm_mismatches(&c, &t), 0);
		free(st);
		free(o2);
		gemm_free(&t);
	}
}

/* Real-looking data: Llama-like weights quantized by the compiler's
 * mixpe-int4-g128 (codes q, FP16 scale, integer zero; the PE reads
 * w = q - 8, z = zero - 8), activations INT8 (per-tensor) or FP16. The
 * stepped GEMM is bit-exact against the reference and close to the float
 * GEMM of the dequantized operands; dropping the zero term is not. */
static double sqnr_db(const double *ref, const uint16_t *got, uint64_t n)
{
	double s = 0, e = 0;
	for (uint64_t i = 0; i < n; i++) {
		double x = fmt_f16_to_f64(got[i]);
		s += ref[i] * ref[i];
		e += (x - ref[i]) * (x - ref[i]);
	}
	return 10 * log10(s / e);
}

static void test_quantized_gemm(void **state)
{
	enum { M = 8, N = 24, K = 384 };
	struct wl_gen_params gp;
	struct fmt_qspec q;
	struct cc_qtensor qt;
	struct ps_err err;
	float *w = malloc(N * K * sizeof *w), *a = malloc(M * K * sizeof *a);
	double *ref = malloc(M * N * sizeof *ref), amax = 0, sa;
	struct pe_array arr = { 8, 8, CFG_DF_OS, 0 };
	(void)state;

	assert_true(w && a && ref);
	wl_gen_params_default(&gp);
	assert_int_equal(wl_gen_weights(11, N, K, &gp, w, &err), PS_OK);
	assert_int_equal(wl_gen_acts(12, M, K, &gp, a, &err), PS_OK);
	assert_int_equal(fmt_qspec_parse("mixpe-int4", &q, &err), PS_OK);
	assert_int_equal(cc_quantize(&q, w, N, K, &qt, &err), PS_OK);
	assert_int_equal(qt.group, 128);
	for (int i = 0; i < M * K; i++)
		amax = fabs(a[i]) > amax ? fabs(a[i]) : amax;
	sa = amax / 127;

	for (int fp = 0; fp < 2; fp++) {
		struct tcfg c = { 4, 2, (unsigned)fp, 128 };
		struct pe_params p = tparams(&c);
		struct tgemm t;
		uint64_t cyc;
		double db, db_bug;
		gemm_alloc(&t, M, N, K, 128);
		for (int i = 0; i < M * K; i++) {
			double x = a[i] / sa;
			t.a[i] = fp ? fmt_f16_from_f32(a[i])
				    : (uint8_t)(int8_t)(x < 0 ? -floor(-x + 0.5) : floor(x + 0.5));
		}
		for (int i = 0; i < N * K; i++)
			t.w[i] = (int8_t)(qt.codes[i] - 8);
		for (uint64_t i = 0; i < N * t.groups; i++) {
			t.scale[i] = fmt_f16_from_f32(qt.scale[i]);
			assert_true(fmt_f16_to_f64(t.scale[i]) == qt.scale[i]);
			t.zero[i] = (int8_t)(qt.zero[i] - 8);
		}
		/* float GEMM of what the PE's operands mean */
		for (int m = 0; m < M; m++)
			for (int n = 0; n < N; n++) {
				double s = 0;
				for (int k = 0; k < K; k++) {
					double av = fp ? fmt_f16_to_f64(t.a[m * K + k])
						       : (double)(int8_t)t.a[m * K + k];
					s += av * qt.deq[n * K + k];
				}
				ref[m * N + n] = s;
			}
		assert_int_equal(pe_mixpe_run_gemm(&p, &arr, &t.g, 0, &cyc, NULL, &err), PS_OK);
		assert_int_equal(cyc, pe_mixpe_tile_cycles(&p, &arr, M, N, K));
		assert_int_equal(gemm_mismatches(&c, &t), 0);
		db = sqnr_db(ref, t.out, M * N);
		assert_int_equal(pe_mixpe_run_gemm(&p, &arr, &t.g, PE_MIXPE_BUG_NO_ZERO,
						   &cyc, NULL, &err), PS_OK);
		assert_true(gemm_mismatches(&c, &t) > M * N / 2);
		db_bug = sqnr_db(ref, t.out, M * N);
		printf("quantized GEMM %s: SQNR vs float %.1f dB; without the zero term %.1f dB\n",
		       fp ? "W4A16" : "W4A8", db, db_bug);
		assert_true(db > (fp ? 35 : 60));	/* FP16 sums round, INT8 sums do not */
		assert_true(db_bug < 10);
		gemm_free(&t);
	}
	cc_qtensor_free(&qt);
	free(w);
	free(a);
	free(ref);
}

/* ---- timing-level ops ---- */

/* MixPE's cycle formula (mixpe.md): ceil(B/(rows pf_a)) ceil(N/(cols
 * pf_w)) K with pf = floor(pmax / max(bits, pmin)). Ours spreads pf_w over
 * K (lanes); on whole tiles the compat cycles are equal. */
static void test_timing_ops(void **state)
{
	const struct pe_family *ops = pe_family_find("mixpe");
	struct pe_params p;
	struct pe_tile_timing tt;
	struct pe_array a64 = { 64, 64, CFG_DF_OS, 0 }, a32 = { 32, 32, CFG_DF_OS, 0 };
	struct pe_tile tile = { 64, 4096, 4096 };
	uint32_t lanes, step;
	static const struct {
		double wbits;
		uint32_t abits, lanes, step;
	} pf[] = {
		{ 4.15625, 8, 2, 1 },	/* W4A8: pf_w = 8/4 = 2 */
		{ 2.1406, 8, 2, 1 },	/* W2A8: 8/max(2,4) = 2 */
		{ 8, 8, 1, 1 },		/* INT8 KV on the 8/4 PE: 1 */
		{ 16, 8, 1, 2 },	/* beyond the 8/4 PE: two slices x 2 */
		{ 4.15625, 16, 2, 1 },	/* W4A16 on the 16/8 PE: 16/8 = 2 */
		{ 8, 16, 2, 1 },	/* INT8 KV on the 16/8 PE: 16/8 = 2 */
		{ 16, 16, 1, 1 },	/* FP16 KV on it: 16/16 = 1 */
	};
	(void)state;

	assert_non_null(ops);
	assert_string_equal(ops->name, "mixpe");
	for (size_t i = 0; i < sizeof pf / sizeof pf[0]; i++) {
		memset(&p, 0, sizeof p);
		p.lanes = 2;
		p.weight_bits = pf[i].wbits;
		p.a_bits = pf[i].abits;
		pe_mixpe_lanes_step(&p, &lanes, &step);
		assert_int_equal(lanes, pf[i].lanes);
		assert_int_equal(step, pf[i].step);
		assert_int_equal(ops->step_cycles(&p), pf[i].step);
		assert_int_equal(ops->dq_cycles(&p), PE_MIXPE_DQ_LATENCY);
	}
	/* W4A8 64x64, batch 64: paper 1 x ceil(4096/128) x 4096 */
	memset(&p, 0, sizeof p);
	p.lanes = 2;
	p.weight_bits = 4.15625;
	p.a_bits = 8;
	ops->tile_timing(&p, &a64, &tile, true, &tt);
	assert_int_equal(tt.cycles, 32 * 4096);
	/* W4A16 32x32: paper 2 x ceil(4096/64) x 4096 */
	p.a_bits = 16;
	ops->tile_timing(&p, &a32, &tile, true, &tt);
	assert_int_equal(tt.cycles, 2 * 64 * 4096);
	/* full timing: compat + fill + drain, dequantizer on top */
	ops->tile_timing(&p, &a32, &tile, false, &tt);
	assert_int_equal(tt.cycles, 2 * 128 * 2048 + 31 + 31 + 32);
	assert_int_equal(pe_mixpe_tile_cycles(&p, &a32, 64, 4096, 4096),
			 tt.cycles + PE_MIXPE_DQ_LATENCY);
	assert_int_equal(pe_mixpe_tile_cycles(&p, &a32, 0, 4096, 4096), 0);
}

/* Parameters the PE cannot take are input errors; NULL is W4A8. */
static void test_params(void **state)
{
	struct pe_mixpe_cfg c;
	struct ps_err err;
	struct pe_params p;
	const struct pe_bt_ops *pe = pe_bt_find("mixpe_pe");
	size_t i, j;
	(void)state;

	assert_int_equal(pe_mixpe_cfg_from_params(NULL, &c, &err), PS_OK);
	assert_int_equal(c.wbits, 4);
	assert_int_equal(c.lanes, 2);
	assert_int_equal(c.fp16, 0);
	assert_int_equal(c.group_max, 128);
	/* W4A8 with one field out of range: 8-bit weights, 4-bit
	 * activations, 5 lanes, groups of 127 (the last one's error read) */
	struct pe_params bad[4] = { tparams(&W4A8), tparams(&W4A8), tparams(&W4A8),
				    tparams(&W4A8) };
	bad[0].weight_bits = 8;
	bad[1].a_bits = 4;
	bad[2].lanes = 5;
	bad[3].group_size = 127;
	for (i = 0; i < 4; i++)
		assert_int_equal(pe_mixpe_cfg_from_params(&bad[i], &c, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "group"));

	/* ports: 12 in, 12 out, unique names, widths 1..64 */
	assert_non_null(pe);
	assert_int_equal(pe->n_in, 12);
	assert_int_equal(pe->n_out, 12);
	for (i = 0; i < pe->n_in + pe->n_out; i++) {
		assert_true(pe->ports[i].width >= 1 && pe->ports[i].width <= 64);
		for (j = 0; j < i; j++)
			assert_string_not_equal(pe->ports[i].name, pe->ports[j].name);
	}
	{
		struct pe_array ws = { 4, 4, CFG_DF_WS, 0 };
		struct pe_mixpe_gemm g = { 0 };
		uint64_t cyc;
		p = tparams(&W4A8);
		assert_int_equal(pe_mixpe_run_gemm(&p, &ws, &g, 0, &cyc, NULL, &err), PS_EINPUT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_timing_ops),
		cmocka_unit_test(test_int8_products_exhaustive),
		cmocka_unit_test(test_fp16_products_exhaustive),
		cmocka_unit_test(test_int8_bounds),
		cmocka_unit_test(test_int8_zeros_specials),
		cmocka_unit_test(test_fp16_group_corners),
		TU_TEST_ARG("test_random_w4a8", test_random, &random_cfgs[0]),
		TU_TEST_ARG("test_random_w2a8", test_random, &random_cfgs[1]),
		TU_TEST_ARG("test_random_w4a16", test_random, &random_cfgs[2]),
		TU_TEST_ARG("test_random_w2a16", test_random, &random_cfgs[3]),
		cmocka_unit_test(test_random_lanes_specials),
		cmocka_unit_test(test_broken_variants),
		cmocka_unit_test(test_closed_form),
		cmocka_unit_test(test_array_bt),
		cmocka_unit_test(test_quantized_gemm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

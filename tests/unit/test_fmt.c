/* test_fmt.c - the numeric format table against the reference tables.
 *
 * The expected value sets are typed in here from shared/reference/bitmod.md,
 * lut_tensor_core.md and the OCP MX spec (FP6 from its bit formula), not
 * read from fmt.def, so a wrong row fails. Every code of every format is
 * decoded and re-encoded; every midpoint of every grid checks the tie rule;
 * FP16 is compared with GCC's _Float16 over all 65536 patterns and random
 * floats and doubles, BF16 with the classic bit-level rounding. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "test_util.h"

#define MAXV 256

struct expect {
	int id;
	double v[MAXV];
	int n;
	uint32_t reserved[8];	/* reserved codes */
	int n_reserved;
	uint32_t alias[4];	/* alias codes (the free -0) */
	int n_alias;
};

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void add(struct expect *e, double v)
{
	for (int i = 0; i < e->n; i++)
		if (e->v[i] == v)
			return;
	e->v[e->n++] = v;
}

static void add_pm(struct expect *e, const double *mags, int n)
{
	for (int i = 0; i < n; i++) {
		add(e, mags[i]);
		add(e, -mags[i]);
	}
}

/* OCP MX minifloat magnitudes (E exponent bits, M mantissa bits, bias),
 * scaled by 2^(M + bias - 1) onto the integer grid. */
static void add_minifloat(struct expect *e, int E, int M, int bias)
{
	double grid = ldexp(1, M + bias - 1);
	for (int ex = 0; ex < (1 << E); ex++)
		for (int m = 0; m < (1 << M); m++) {
			double v = ex == 0 ? ldexp(m, 1 - bias - M)
					   : ldexp((1 << M) + m, ex - bias - M);
			add(e, v * grid);
			add(e, -v * grid);
		}
}

/* BitMoD's FP3 / FP4 (ids[0]) and their ER+, ER-, EA+, EA- variants
 * (ids[1..4]): the magnitudes +-mags, then on the plain format the -0 alias
 * (code n), on a variant its extra value extra[0..3]. */
static const int fp3_ids[] = { FMT_FP3, FMT_FP3_ER_POS, FMT_FP3_ER_NEG,
			       FMT_FP3_EA_POS, FMT_FP3_EA_NEG };
static const int fp4_ids[] = { FMT_FP4, FMT_FP4_ER_POS, FMT_FP4_ER_NEG,
			       FMT_FP4_EA_POS, FMT_FP4_EA_NEG };

static void add_fp_variant(struct expect *e, const int ids[5],
			   const double *mags, int n, const double extra[4])
{
	add_pm(e, mags, n);
	if (e->id == ids[0])
		e->alias[e->n_alias++] = (uint32_t)n;
	for (int k = 1; k < 5; k++)
		if (e->id == ids[k])
			add(e, extra[k - 1]);
}

static void expected(int id, struct expect *e)
{
	static const double fp3[] = { 0, 1, 2, 4 };
	static const double fp4[] = { 0, 1, 2, 3, 4, 6, 8, 12 };
	static const double flint4[] = { 0, 1, 2, 3, 4, 6, 8, 16 };
	static const double pot4[] = { 0, 1, 2, 4, 8, 16, 32, 64 };
	static const double olv[] = { 0, 2, 4, 6, 8, 12, 16, 32 };
	static const double abf5[] = { 48, 64, 96, 128, 192, 256, 384 };
	static const double abf3[] = { 12, 16, 24, 32, 48, 64, 96 };
	memset(e, 0, sizeof *e);
	e->id = id;
	switch (id) {
	case FMT_INT2: case FMT_INT3: case FMT_INT4: case FMT_INT6: case FMT_INT8: {
		int b = fmt_get(id)->bits, m = (1 << (b - 1)) - 1;
		for (int v = -m; v <= m; v++)
			add(e, v);
		e->reserved[e->n_reserved++] = 1u << (b - 1);
		break;
	}
	case FMT_INT1A: case FMT_INT2A: case FMT_INT3A: case FMT_INT4A:
	case FMT_INT6A: case FMT_INT8A:
		for (int v = 0; v < (1 << fmt_get(id)->bits); v++)
			add(e, v);
		break;
	case FMT_TERNARY:
		add(e, -1);
		add(e, 0);
		add(e, 1);
		e->reserved[e->n_reserved++] = 3;
		break;
	case FMT_FP3: case FMT_FP3_ER_POS: case FMT_FP3_ER_NEG:
	case FMT_FP3_EA_POS: case FMT_FP3_EA_NEG:
		add_fp_variant(e, fp3_ids, fp3, 4, (const double[]){ 3, -3, 6, -6 });
		break;
	case FMT_FP4: case FMT_FP4_ER_POS: case FMT_FP4_ER_NEG:
	case FMT_FP4_EA_POS: case FMT_FP4_EA_NEG:
		add_fp_variant(e, fp4_ids, fp4, 8, (const double[]){ 10, -10, 16, -16 });
		break;
	case FMT_FP6_E2M3: case FMT_FP6_E3M2: {
		bool e2 = id == FMT_FP6_E2M3;
		add_minifloat(e, e2 ? 2 : 3, e2 ? 3 : 2, e2 ? 1 : 3);
		e->alias[e->n_alias++] = 32;
		break;
	}
	case FMT_FLINT4: case FMT_POT4:
		add_pm(e, id == FMT_FLINT4 ? flint4 : pot4, 8);
		e->alias[e->n_alias++] = 8;
		break;
	case FMT_OLV_FLINT4X2:
		add_pm(e, olv, 8);
		e->reserved[e->n_reserved++] = 8;
		break;
	case FMT_ABF4_B5:
	case FMT_ABF4_B3:
		add_pm(e, id == FMT_ABF4_B5 ? abf5 : abf3, 7);
		e->reserved[e->n_reserved++] = 0;
		e->reserved[e->n_reserved++] = 8;
		break;
	case FMT_OLIVE4:
		add_pm(e, olv, 8);
		add_pm(e, abf5, 7);
		break;
	case FMT_OLIVE4I:
		for (int v = -7; v <= 7; v++)
			add(e, v);
		add_pm(e, abf3, 7);
		break;
	case FMT_PM1_W1: case FMT_PM1_W2: case FMT_PM1_W3: case FMT_PM1_W4: {
		int w = fmt_get(id)->bits;
		for (int v = -(1 << w) + 1; v < (1 << w); v += 2)
			add(e, v);
		break;
	}
	case FMT_INT8_ACT:
		for (int v = -128; v <= 127; v++)
			add(e, v);
		break;
	case FMT_FP16:
	case FMT_BF16:
		break;
	default:
		fail_msg("format %s has no expected value set in this test", fmt_get(id)->name);
	}
	qsort(e->v, (size_t)e->n, sizeof e->v[0], cmpd);
}

static void test_value_sets(void **state)
{
	(void)state;
	for (int id = 0; id < FMT_COUNT; id++) {
		const struct fmt_desc *d = fmt_get(id);
		struct expect e;
		expected(id, &e);
		assert_non_null(d);
		assert_int_equal(d->id, id);
		if (d->layout == FMT_L_IEEE) {
			assert_int_equal(d->n_values, 0);
			continue;
		}
		if (d->n_values != e.n)
			fail_msg("%s: %d values, expected %d", d->name, d->n_values, e.n);
		for (int i = 0; i < e.n; i++)
			if (d->values[i] != e.v[i])
				fail_msg("%s: value %d is %g, expected %g", d->name, i,
					 d->values[i], e.v[i]);
		assert_true(d->grid);
		assert_true(d->max_abs == fmax(-e.v[0], e.v[e.n - 1]));
		/* zero_idx: 0, or the smallest magnitude (the positive one) */
		if (d->layout == FMT_L_PM1 || d->kind == FMT_K_ABFLOAT)
			assert_true(d->values[d->zero_idx] == e.v[e.n / 2]);
		else
			assert_true(d->values[d->zero_idx] == 0);
	}
	/* the names the CLI and the issue use */
	assert_int_equal(fmt_find("fp4_ea_neg"), FMT_FP4_EA_NEG);
	assert_int_equal(fmt_find("int4a"), FMT_INT4A);
	assert_int_equal(fmt_find("flint4"), FMT_FLINT4);
	assert_int_equal(fmt_find("olive4"), FMT_OLIVE4);
	assert_int_equal(fmt_find("lut_pm1_w2"), FMT_PM1_W2);
	assert_int_equal(fmt_find("bf16"), FMT_BF16);
	assert_int_equal(fmt_find("int5"), -1);
	assert_int_equal(fmt_find(NULL), -1);
	assert_null(fmt_get(-1));
	assert_null(fmt_get(FMT_COUNT));
	for (int a = 0; a < FMT_COUNT; a++)
		for (int b = a + 1; b < FMT_COUNT; b++)
			assert_string_not_equal(fmt_get(a)->name, fmt_get(b)->name);
}

/* The BitMoD special value sits in the -0 code (bitmod.md). */
static void test_special_value_codes(void **state)
{
	(void)state;
	assert_true(fmt_decode(FMT_FP3_ER_POS, 4) == 3);
	assert_true(fmt_decode(FMT_FP3_ER_NEG, 4) == -3);
	assert_true(fmt_decode(FMT_FP3_EA_POS, 4) == 6);
	assert_true(fmt_decode(FMT_FP3_EA_NEG, 4) == -6);
	assert_true(fmt_decode(FMT_FP4_ER_POS, 8) == 10);
	assert_true(fmt_decode(FMT_FP4_ER_NEG, 8) == -10);
	assert_true(fmt_decode(FMT_FP4_EA_POS, 8) == 16);
	assert_true(fmt_decode(FMT_FP4_EA_NEG, 8) == -16);
	assert_int_equal(fmt_encode(FMT_FP4_EA_NEG, -16), 8);
	assert_int_equal(fmt_encode(FMT_FP4_EA_NEG, -15), 8);
	assert_int_equal(fmt_encode(FMT_FP4_EA_NEG, 16), 7);	/* saturates at +12 */
	/* sign-magnitude: FP4 code 0b1011 is -3, 0b0111 is +12 */
	assert_true(fmt_decode(FMT_FP4, 0xb) == -3);
	assert_true(fmt_decode(FMT_FP4, 0x7) == 12);
	/* two's complement INT4: 0b1001 is -7; 0b1000 unused */
	assert_true(fmt_decode(FMT_INT4, 9) == -7);
	assert_true(isnan(fmt_decode(FMT_INT4, 8)));
	/* LUT-TC: bit i of the code means +-2^i: 0b10 = +2 - 1 = +1 */
	assert_true(fmt_decode(FMT_PM1_W2, 0) == -3);
	assert_true(fmt_decode(FMT_PM1_W2, 2) == 1);
	assert_true(fmt_decode(FMT_PM1_W2, 3) == 3);
	assert_true(fmt_decode(FMT_TERNARY, 0) == -1);
	assert_true(isnan(fmt_decode(FMT_INT4, 16)));
	assert_int_equal(fmt_code_class(FMT_INT4, 16), FMT_CODE_RESERVED);
}

static bool listed(const uint32_t *l, int n, uint32_t c)
{
	for (int i = 0; i < n; i++)
		if (l[i] == c)
			return true;
	return false;
}

/* Every code: values round-trip exactly, the -0 alias decodes to 0 and
 * encodes to +0, and exactly the expected codes are reserved. */
static void test_roundtrip_grid(void **state)
{
	(void)state;
	for (int id = 0; id < FMT_COUNT; id++) {
		const struct fmt_desc *d = fmt_get(id);
		struct expect e;
		int n_value = 0;
		if (d->layout == FMT_L_IEEE || d->layout == FMT_L_OVP)
			continue;
		expected(id, &e);
		assert_int_equal(d->n_codes, 1u << d->bits);
		for (uint32_t c = 0; c < d->n_codes; c++) {
			int cls = fmt_code_class(id, c);
			double v = fmt_decode(id, c);
			if (listed(e.reserved, e.n_reserved, c)) {
				if (cls != FMT_CODE_RESERVED || !isnan(v))
					fail_msg("%s: code %u should be reserved", d->name, c);
			} else if (listed(e.alias, e.n_alias, c)) {
				if (cls != FMT_CODE_ALIAS || v != 0 || fmt_encode(id, v) != 0)
					fail_msg("%s: code %u should alias 0", d->name, c);
			} else {
				if (cls != FMT_CODE_VALUE || fmt_encode(id, v) != c)
					fail_msg("%s: code %u (%g) does not round-trip (got %u)",
						 d->name, c, v, fmt_encode(id, v));
				n_value++;
			}
		}
		assert_int_equal(n_value, d->n_values);
	}
}

static void test_roundtrip_ovp(void **state)
{
	(void)state;
	for (int id = 0; id < FMT_COUNT; id++) {
		const struct fmt_desc *d = fmt_get(id);
		int reserved = 0;
		if (d->layout != FMT_L_OVP)
			continue;
		assert_int_equal(d->n_codes, 256);
		for (uint32_t p = 0; p < d->n_codes; p++) {
			double v[2];
			int cls = fmt_ovp_decode(id, p, v);
			if (cls == FMT_CODE_RESERVED) {
				assert_true(isnan(v[0]) && isnan(v[1]));
				reserved++;
				continue;
			}
			if (fmt_ovp_encode(id, v[0], v[1]) != p)
				fail_msg("%s: pair 0x%02x (%g, %g) re-encodes as 0x%02x",
					 d->name, p, v[0], v[1], fmt_ovp_encode(id, v[0], v[1]));
			assert_int_equal(fmt_code_class(id, p), FMT_CODE_VALUE);
		}
		/* (id, id), and the identifier next to the unused abfloat code
		 * +(e,m)=(0,0), either way round; -(e,m)=(0,0) is the identifier's
		 * own bit pattern */
		assert_int_equal(reserved, 3);
	}
	assert_true(isnan(fmt_decode(FMT_OLIVE4, 0)));
}

/* OliVe pairs on the normalized grid (bitmod.md: normal max 32, outliers
 * abfloat +-{48..384}, the victim set to 0). */
static void test_ovp_pairs(void **state)
{
	double v[2];
	uint32_t p;
	(void)state;
	/* both normal: 33 -> 32, 1 -> 0 (tie 0/2 to the smaller magnitude) */
	p = fmt_ovp_encode(FMT_OLIVE4, 33, 1);
	fmt_ovp_decode(FMT_OLIVE4, p, v);
	assert_true(v[0] == 32 && v[1] == 0);
	/* an outlier: 100 -> 96, its neighbour is the victim */
	p = fmt_ovp_encode(FMT_OLIVE4, 5, -100);
	assert_int_equal(p & 15, 8);	/* identifier in the victim's slot */
	assert_true(fmt_decode(FMT_ABF4_B5, p >> 4) == -96);
	fmt_ovp_decode(FMT_OLIVE4, p, v);
	assert_true(v[0] == 0 && v[1] == -96);
	/* both outliers: the larger wins, the other is the victim */
	p = fmt_ovp_encode(FMT_OLIVE4, 300, -500);
	fmt_ovp_decode(FMT_OLIVE4, p, v);
	assert_true(v[0] == 0 && v[1] == -384);
	/* equal magnitude: the even element is the outlier */
	p = fmt_ovp_encode(FMT_OLIVE4, -64, 64);
	fmt_ovp_decode(FMT_OLIVE4, p, v);
	assert_true(v[0] == -64 && v[1] == 0);
	/* the threshold is the midpoint 40 of 32 and 48; a tie stays normal */
	assert_true(fmt_get(FMT_OLIVE4)->ovp_threshold == 40);
	p = fmt_ovp_encode(FMT_OLIVE4, 40, 3);
	fmt_ovp_decode(FMT_OLIVE4, p, v);
	assert_true(v[0] == 32 && v[1] == 2);
	p = fmt_ovp_encode(FMT_OLIVE4, 40.5, 3);
	fmt_ovp_decode(FMT_OLIVE4, p, v);
	assert_true(v[0] == 48 && v[1] == 0);
	/* int4 normals: threshold (7 + 12) / 2 */
	assert_true(fmt_get(FMT_OLIVE4I)->ovp_threshold == 9.5);
	p = fmt_ovp_encode(FMT_OLIVE4I, 9, -20);	/* -20: tie of 16, 24 */
	fmt_ovp_decode(FMT_OLIVE4I, p, v);
	assert_true(v[0] == 0 && v[1] == -16);
	assert_int_equal(p & 15, 8);
}

/* Independent nearest value with the documented tie rule. */
static double brute_nearest(const struct fmt_desc *d, double x)
{
	double best = d->values[0], bd = fabs(x - best);
	for (int i = 1; i < d->n_values; i++) {
		double v = d->values[i], dv = fabs(x - v);
		if (dv < bd || (dv == bd && (fabs(v) < fabs(best) ||
					     (fabs(v) == fabs(best) && v > best)))) {
			best = v;
			bd = dv;
		}
	}
	return best;
}

static void test_ties_and_nearest(void **state)
{
	(void)state;
	srand(7);
	for (int id = 0; id < FMT_COUNT; id++) {
		const struct fmt_desc *d = fmt_get(id);
		if (!d->grid || d->layout == FMT_L_IEEE)
			continue;
		/* every midpoint: the smaller magnitude (or +v between -v, +v) */
		for (int i = 0; i + 1 < d->n_values; i++) {
			double lo = d->values[i], hi = d->values[i + 1];
			double mid = (lo + hi) / 2;
			double want = fabs(lo) < fabs(hi) ? lo : fabs(hi) < fabs(lo) ? hi : hi;
			int j = fmt_nearest(d, mid);
			if (d->values[j] != want || fmt_nearest_slow(d, mid) != j)
				fail_msg("%s: midpoint %g of %g, %g -> %g, want %g", d->name,
					 mid, lo, hi, d->values[j], want);
			assert_true(d->values[fmt_nearest(d, nextafter(mid, -INFINITY))] == lo);
			assert_true(d->values[fmt_nearest(d, nextafter(mid, INFINITY))] == hi);
		}
		/* saturation, NaN */
		assert_true(d->values[fmt_nearest(d, 1e9)] == d->vmax);
		assert_true(d->values[fmt_nearest(d, -1e9)] == d->vmin);
		assert_int_equal(fmt_nearest(d, NAN), d->zero_idx);
		/* fast path = slow path = brute force: every quarter step over
		 * the range and random points */
		for (double x = d->vmin - 2; x <= d->vmax + 2; x += 0.25) {
			int j = fmt_nearest(d, x);
			if (d->values[j] != brute_nearest(d, x) || fmt_nearest_slow(d, x) != j)
				fail_msg("%s: nearest(%g) = %g, want %g", d->name, x,
					 d->values[j], brute_nearest(d, x));
		}
		for (int t = 0; t < 20000; t++) {
			double x = d->vmin - 1 + (d->vmax - d->vmin + 2) * (rand() / (double)RAND_MAX);
			int j = fmt_nearest(d, x);
			if (d->values[j] != brute_nearest(d, x) || fmt_nearest_slow(d, x) != j)
				fail_msg("%s: nearest(%.17g) = %g, want %g", d->name, x,
					 d->values[j], brute_nearest(d, x));
		}
	}
	/* PM1: 0 is halfway between -1 and +1 */
	assert_int_equal(fmt_encode(FMT_PM1_W2, 0), 2);
	/* INT: half-integers go toward 0 */
	assert_true(fmt_decode(FMT_INT4, fmt_encode(FMT_INT4, 2.5)) == 2);
	assert_true(fmt_decode(FMT_INT4, fmt_encode(FMT_INT4, -2.5)) == -2);
	assert_true(fmt_decode(FMT_FP4, fmt_encode(FMT_FP4, 10)) == 8);
	assert_true(fmt_decode(FMT_FP4_ER_POS, fmt_encode(FMT_FP4_ER_POS, 11)) == 10);
	assert_true(fmt_decode(FMT_FP4_ER_POS, fmt_encode(FMT_FP4_ER_POS, 11.0001)) == 12);
}

/* ---- FP16 / BF16 ---- */

static uint64_t rng_state = 0x853c49e6748fea9bull;

/* A deliberately broken narrowing for normal halves: ties away from zero
 * instead of to even. The tie set below must catch it. */
static uint16_t broken_f16(float x)
{
	uint32_t u = tu_f32_bits(x), s = (u >> 16) & 0x8000;
	int e = (int)((u >> 23) & 0xff) - 127 + 15;
	uint32_t m = u & 0x7fffff;
	if (e < 1 || e > 30)
		return fmt_f16_from_f32(x);	/* only normals are broken */
	uint32_t h = ((uint32_t)e << 10) | (m >> 13);
	if (m & 0x1000)		/* half or more of the dropped bits: up */
		h++;
	return (uint16_t)(s | h);
}

static void check_f32_to_f16(float x)
{
	uint16_t want = tu_f16_bits((_Float16)x), got = fmt_f16_from_f32(x);
	if (isnan(x)) {
		if ((got & 0x7c00) != 0x7c00 || !(got & 0x3ff))
			fail_msg("f16(NaN %08x) = %04x is not a NaN", tu_f32_bits(x), got);
		return;
	}
	if (got != want)
		fail_msg("f16(%a = %08x) = %04x, GCC gives %04x", (double)x, tu_f32_bits(x), got, want);
}

static void test_f16_all_patterns(void **state)
{
	(void)state;
	for (uint32_t h = 0; h < 65536; h++) {
		float g = (float)tu_f16((uint16_t)h), f = fmt_f16_to_f32((uint16_t)h);
		double fd = fmt_f16_to_f64((uint16_t)h);
		bool nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff);
		if (nan) {
			assert_true(isnan(f) && isnan(fd));
		} else {
			if (tu_f32_bits(f) != tu_f32_bits(g))
				fail_msg("f16 %04x -> %a, GCC gives %a", h, (double)f, (double)g);
			assert_true(fd == (double)g && !signbit(fd) == !signbit(g));
			assert_int_equal(fmt_encode(FMT_FP16, fmt_decode(FMT_FP16, h)), h);
		}
		/* bit-exact round trips, NaN payloads included */
		assert_int_equal(fmt_f16_from_f32(f), h);
		assert_int_equal(fmt_f16_from_f64(fd), h);
		assert_int_equal(fmt_code_class(FMT_FP16, h), FMT_CODE_VALUE);
	}
}

static void test_f16_random(void **state)
{
	(void)state;
	/* random bit patterns: every exponent, NaNs and infinities too */
	for (int i = 0; i < 2000000; i++)
		check_f32_to_f16(tu_f32((uint32_t)tu_rng(&rng_state)));
	/* the half range, subnormals and overflow edge densely */
	for (int i = 0; i < 2000000; i++) {
		uint32_t e = 100 + (uint32_t)(tu_rng(&rng_state) % 45);	/* 2^-27 .. 2^17 */
		uint32_t u = ((uint32_t)tu_rng(&rng_state) & 0x807fffffu) | (e << 23);
		check_f32_to_f16(tu_f32(u));
	}
	/* exact halfway points between neighbouring halves: ties to even */
	int broken_caught = 0;
	for (uint32_t h = 0; h < 0x7c00; h++) {
		float a = fmt_f16_to_f32((uint16_t)h), b = fmt_f16_to_f32((uint16_t)(h + 1));
		float mid = (float)(((double)a + b) / 2);
		broken_caught += broken_f16(mid) != tu_f16_bits((_Float16)mid);
		check_f32_to_f16(mid);
		check_f32_to_f16(-mid);
		check_f32_to_f16(nextafterf(mid, 0));
		check_f32_to_f16(nextafterf(mid, INFINITY));
	}
	/* the comparison has teeth: ties-away differs on every even tie */
	assert_true(broken_caught > 10000);
	/* doubles: one rounding, straight from the double */
	for (int i = 0; i < 1000000; i++) {
		double x = ldexp((double)(tu_rng(&rng_state) >> 11), -53 - (int)(tu_rng(&rng_state) % 30)) *
			   ((tu_rng(&rng_state) & 1) ? -1 : 1) * 65536.0;
		uint16_t want = tu_f16_bits((_Float16)x);
		if (fmt_f16_from_f64(x) != want)
			fail_msg("f16(%a) = %04x, GCC gives %04x", x, fmt_f16_from_f64(x), want);
	}
	/* a double just above a half tie must round up, which a float
	 * intermediate would lose: 1 + 2^-11 + 2^-40 */
	assert_int_equal(fmt_f16_from_f64(1.0 + 0x1p-11 + 0x1p-40), 0x3c01);
	assert_int_equal(fmt_f16_from_f64(1.0 + 0x1p-11), 0x3c00);
	assert_int_equal(fmt_f16_from_f64(65520.0), 0x7c00);	/* overflow */
	assert_int_equal(fmt_f16_from_f64(65519.99), 0x7bff);
	assert_int_equal(fmt_f16_from_f64(0x1p-25), 0);		/* tie to even 0 */
	assert_int_equal(fmt_f16_from_f64(0x1.0000000001p-25), 1);
	assert_int_equal(fmt_f16_from_f64(-0.0), 0x8000);
	assert_true(fmt_f16_round(0.1) == (float)(_Float16)0.1);
}

/* Reference BF16 rounding: RNE on the float bits (exact for every finite
 * float, subnormals included, since bf16 is float's top half). */
static uint16_t ref_bf16(float x)
{
	uint32_t u = tu_f32_bits(x);
	return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1)) >> 16);
}

static void test_bf16(void **state)
{
	(void)state;
	for (uint32_t b = 0; b < 65536; b++) {
		float f = fmt_bf16_to_f32((uint16_t)b);
		assert_int_equal(tu_f32_bits(f), b << 16);	/* exact widening, NaNs too */
		assert_int_equal(fmt_bf16_from_f32(f), b);
		assert_int_equal(fmt_bf16_from_f64(fmt_bf16_to_f64((uint16_t)b)), b);
	}
	for (int i = 0; i < 4000000; i++) {
		float x = tu_f32((uint32_t)tu_rng(&rng_state));
		uint16_t got = fmt_bf16_from_f32(x);
		if (isnan(x)) {
			assert_true((got & 0x7f80) == 0x7f80 && (got & 0x7f));
			continue;
		}
		if (got != ref_bf16(x))
			fail_msg("bf16(%a) = %04x, want %04x", (double)x, got, ref_bf16(x));
		assert_int_equal(fmt_bf16_from_f64((double)x), got);
	}
	assert_int_equal(fmt_bf16_from_f64(1.0 + 0x1p-8 + 0x1p-30), 0x3f81);
	assert_int_equal(fmt_bf16_from_f64(1.0 + 0x1p-8), 0x3f80);
	assert_int_equal(fmt_encode(FMT_BF16, 3.14159), 0x4049);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_sets),
		cmocka_unit_test(test_special_value_codes),
		cmocka_unit_test(test_roundtrip_grid),
		cmocka_unit_test(test_roundtrip_ovp),
		cmocka_unit_test(test_ovp_pairs),
		cmocka_unit_test(test_ties_and_nearest),
		cmocka_unit_test(test_f16_all_patterns),
		cmocka_unit_test(test_f16_random),
		cmocka_unit_test(test_bf16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_fp16.c - the models' inline FP16 arithmetic (pe_fp16.h) against the
 * reference path (pe_f16_*_ref: exact double, narrowed by fmt_f16_from_f64),
 * bit for bit: this build's path (F16C or portable, pe_f16_impl()) and the
 * portable path, on 10^7 random operand pairs (splitmix64, fixed seed) and
 * on every pair of a set of edge values (each exponent with its mantissa
 * ends, zeros, infinities, NaNs). bench_fp16 does all 2^32 pairs, outside
 * CI. A broken narrowing (ties away from zero) must fail the same check. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"
#include "pe_fp16.h"
#include "test_util.h"

#define RANDOM_PAIRS 10000000u

static uint64_t seed;

static uint64_t rnd(void) { return tu_rng(&seed); }

typedef uint16_t (*f16_op)(uint16_t, uint16_t);

static uint16_t add_fast(uint16_t a, uint16_t b) { return pe_f16_add(a, b); }
static uint16_t mul_fast(uint16_t a, uint16_t b) { return pe_f16_mul(a, b); }
static uint16_t add_soft(uint16_t a, uint16_t b) { return pe_f16_add_soft(a, b); }
static uint16_t mul_soft(uint16_t a, uint16_t b) { return pe_f16_mul_soft(a, b); }

/* The mutant: an add whose narrowing breaks ties away from zero. */
static uint16_t add_tie_away(uint16_t a, uint16_t b)
{
	float s = pe_f16_widen_soft(a) + pe_f16_widen_soft(b);
	uint32_t x = pe_f32_bits(s), ax = x & 0x7fffffffu;
	uint16_t sign = (uint16_t)(x >> 16 & 0x8000);
	if (pe_f32_is_nan(s))
		return 0x7e00;
	if (ax >= 0x477ff000u)
		return sign | 0x7c00;
	if (ax < 0x38800000u)	/* subnormal sums of halves are exact */
		return pe_f16_narrow_soft(s);
	return sign | (uint16_t)((ax + 0xc8001000u) >> 13);
}

/* Operands: a random pattern, or one in the regime where sums and
 * products round (nearby exponents), or a subnormal. */
static uint16_t operand(uint64_t r)
{
	switch (r & 3) {
	case 0:
		return (uint16_t)(r >> 16);
	case 1:
		return (uint16_t)((r >> 16 & 0x83ff) | (0x3800 + (r >> 40 & 0x7ff)));
	case 2:
		return (uint16_t)(r >> 16 & 0x83ff);
	default:
		return (uint16_t)((r >> 16 & 0x83ff) | (r >> 32 & 0x7c00));
	}
}

static uint64_t count_random(f16_op f, f16_op ref, uint64_t n, uint64_t s,
			     uint16_t *ea, uint16_t *eb)
{
	uint64_t bad = 0;
	seed = s;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = rnd();
		uint16_t a = operand(r), b = operand(r >> 2 ^ r << 23);
		if (f(a, b) != ref(a, b) && bad++ == 0) {
			*ea = a;
			*eb = b;
		}
	}
	return bad;
}

static void check_random(f16_op f, f16_op ref, const char *what)
{
	uint16_t a = 0, b = 0;
	uint64_t bad = count_random(f, ref, RANDOM_PAIRS, 15, &a, &b);
	if (bad)
		fail_msg("%s (%s): %llu of %u random pairs differ, first %04x %04x: "
			 "%04x, reference %04x", what, pe_f16_impl(),
			 (unsigned long long)bad, RANDOM_PAIRS, a, b, f(a, b), ref(a, b));
}

static void test_random_add(void **state)
{
	(void)state;
	check_random(add_fast, pe_f16_add_ref, "add");
	check_random(add_soft, pe_f16_add_ref, "portable add");
}

static void test_random_mul(void **state)
{
	(void)state;
	check_random(mul_fast, pe_f16_mul_ref, "mul");
	check_random(mul_soft, pe_f16_mul_ref, "portable mul");
}

/* Every exponent field with the ends and middle of its mantissa, both
 * signs, plus NaNs: 32 x 8 x 2 values, all pairs. */
static size_t edge_values(uint16_t *v)
{
	static const uint16_t man[] = { 0, 1, 2, 0x1ff, 0x200, 0x201, 0x3fe, 0x3ff };
	size_t n = 0;
	for (unsigned e = 0; e < 32; e++)
		for (size_t m = 0; m < sizeof man / sizeof *man; m++)
			for (unsigned s = 0; s < 2; s++)
				v[n++] = (uint16_t)(s << 15 | e << 10 | man[m]);
	return n;
}

static void test_edge_pairs(void **state)
{
	uint16_t v[512];
	size_t n = edge_values(v);
	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			uint16_t a = v[i], b = v[j];
			uint16_t ra = pe_f16_add_ref(a, b), rm = pe_f16_mul_ref(a, b);
			if (pe_f16_add(a, b) != ra || pe_f16_add_soft(a, b) != ra ||
			    pe_f16_mul(a, b) != rm || pe_f16_mul_soft(a, b) != rm)
				fail_msg("%04x, %04x: add %04x/%04x mul %04x/%04x, "
					 "reference %04x %04x", a, b,
					 pe_f16_add(a, b), pe_f16_add_soft(a, b),
					 pe_f16_mul(a, b), pe_f16_mul_soft(a, b), ra, rm);
		}
}

/* Hand-checked values: they pin the reference too. */
static void test_known(void **state)
{
	(void)state;
	assert_int_equal(pe_f16_add(0x3c00, 0x3c00), 0x4000);	/* 1 + 1 */
	assert_int_equal(pe_f16_add(0x3c00, 0x1000), 0x3c00);	/* 1 + 2^-11: tie to even */
	assert_int_equal(pe_f16_add(0x3c01, 0x1000), 0x3c02);	/* odd: up */
	assert_int_equal(pe_f16_add(0x7bff, 0x5000), 0x7c00);	/* 65504 + 32: inf */
	assert_int_equal(pe_f16_add(0x7bff, 0x4800), 0x7bff);	/* 65504 + 8 */
	assert_int_equal(pe_f16_add(0x7bff, 0x4c00), 0x7c00);	/* 65520: tie, to inf */
	assert_int_equal(pe_f16_add(0x3c00, 0xbc00), 0x0000);	/* x - x = +0 */
	assert_int_equal(pe_f16_add(0x8000, 0x8000), 0x8000);	/* -0 + -0 */
	assert_int_equal(pe_f16_add(0x7c00, 0xfc00), 0x7e00);	/* inf - inf */
	assert_int_equal(pe_f16_add(0x7d00, 0x3c00), 0x7e00);	/* sNaN: default NaN */
	assert_int_equal(pe_f16_add(0x0001, 0x0001), 0x0002);	/* subnormals */
	assert_int_equal(pe_f16_mul(0x0001, 0x3800), 0x0000);	/* 2^-25: tie to 0 */
	assert_int_equal(pe_f16_mul(0x0003, 0x3800), 0x0002);	/* 1.5 x 2^-24: tie to 2 */
	assert_int_equal(pe_f16_mul(0x7c00, 0x0000), 0x7e00);	/* inf x 0 */
	assert_int_equal(pe_f16_mul(0x8000, 0x3c00), 0x8000);	/* -0 x 1 */
	assert_int_equal(pe_f16_ldexp(0x0001, 10), 0x0400);	/* 2^-24 x 2^10 */
	assert_int_equal(pe_f16_ldexp(0x7bff, 1), 0x7c00);
	assert_int_equal(pe_f16_ldexp(0x3c00, -25), 0x0000);	/* tie to 0 */
	assert_int_equal(pe_f16_ldexp(0x3e00, -24), 0x0002);	/* 1.5 x 2^-24 */
}

static void test_ldexp(void **state)
{
	(void)state;
	seed = 3;
	for (int i = 0; i < 2000000; i++) {
		uint64_t r = rnd();
		uint16_t x = operand(r);
		int e = (int)(r >> 20 & 127) - 63;	/* -63..64 */
		if (pe_f16_ldexp(x, e) != pe_f16_ldexp_ref(x, e))
			fail_msg("ldexp(%04x, %d): %04x, reference %04x", x, e,
				 pe_f16_ldexp(x, e), pe_f16_ldexp_ref(x, e));
	}
	/* outside the binary32 shortcut: the reference itself */
	assert_int_equal(pe_f16_ldexp(0x3c00, 100), 0x7c00);
	assert_int_equal(pe_f16_ldexp(0x7bff, -100), 0x0000);
}

/* Widening is exact for every pattern (NaNs: a NaN). */
static void test_widen_all(void **state)
{
	(void)state;
	for (uint32_t h = 0; h < 65536; h++) {
		float w = pe_f16_widen((uint16_t)h), s = pe_f16_widen_soft((uint16_t)h);
		float r = fmt_f16_to_f32((uint16_t)h);
		if (isnan(r)) {
			assert_true(isnan(w) && isnan(s));
			continue;
		}
		if (pe_f32_bits(w) != pe_f32_bits(r) || pe_f32_bits(s) != pe_f32_bits(r))
			fail_msg("widen %04x: %a / %a, reference %a", h, w, s, r);
	}
}

/* One-step double -> half against fmt_f16_from_f64: random doubles near
 * every half (halfway points and their neighbours included), any double,
 * infinities and NaNs (payload and sign kept as fmt keeps them). */
static void test_from_f64(void **state)
{
	(void)state;
	seed = 11;
	for (int i = 0; i < 3000000; i++) {
		uint64_t r = rnd();
		uint16_t h = (uint16_t)(r & 0x7bff);
		double lo = fmt_f16_to_f64(h), hi = fmt_f16_to_f64((uint16_t)(h + 1));
		double d;
		switch (r >> 16 & 3) {
		case 0:
			d = (lo + hi) / 2;			/* the tie */
			break;
		case 1:
			d = nextafter((lo + hi) / 2, (r >> 18 & 1) ? 1e9 : -1e9);
			break;
		case 2:
			d = lo + (hi - lo) * (double)(r >> 32) / 4294967296.0;
			break;
		default: {
			uint64_t b = r >> 1;			/* any double */
			if (r >> 40 & 1)			/* inf or NaN */
				b |= 0x7ffull << 52;
			memcpy(&d, &b, sizeof d);
		}
		}
		if (isnan(d) && (r >> 16 & 3) != 3)
			d = 0;			/* inf - inf and the like */
		if (r >> 63)
			d = -d;
		if (pe_f16_from_f64(d) != fmt_f16_from_f64(d))
			fail_msg("from_f64(%a): %04x, reference %04x", d,
				 pe_f16_from_f64(d), fmt_f16_from_f64(d));
	}
	assert_int_equal(pe_f16_from_f64(65520.0), 0x7c00);
	assert_int_equal(pe_f16_from_f64(-65519.99), 0xfbff);
	assert_int_equal(pe_f16_from_f64(INFINITY), 0x7c00);
	assert_int_equal(pe_f16_from_f64(0x1p-25), 0x0000);
	assert_int_equal(pe_f16_from_f64(-0x1.0000000000001p-25), 0x8001);
	assert_int_equal(pe_f16_from_f64(-NAN) & 0xfe00, 0xfe00);	/* 0 x inf */
}

/* The row add equals the scalar one, for every length and offset. */
static void test_add_n(void **state)
{
	uint16_t a[64], b[64], d[64];
	(void)state;
	seed = 5;
	for (int rep = 0; rep < 2000; rep++) {
		size_t n = (size_t)(rnd() % 41), off = (size_t)(rnd() % 8);
		for (size_t i = 0; i < 64; i++) {
			a[i] = operand(rnd());
			b[i] = operand(rnd());
			d[i] = a[i];
		}
		pe_f16_add_n(d + off, d + off, b + off, n);
		for (size_t i = 0; i < 64; i++) {
			uint16_t want = i >= off && i < off + n ?
					pe_f16_add_ref(a[i], b[i]) : a[i];
			if (d[i] != want)
				fail_msg("add_n len %zu off %zu: [%zu] %04x + %04x = "
					 "%04x, want %04x", n, off, i, a[i], b[i], d[i], want);
		}
	}
}

/* The check is sensitive: an add that rounds ties away differs. */
static void test_mutant_caught(void **state)
{
	uint16_t a = 0, b = 0;
	(void)state;
	uint64_t bad = count_random(add_tie_away, pe_f16_add_ref, 1000000, 15, &a, &b);
	assert_true(bad > 100);
	/* a tie it gets wrong: 1 + 2^-11 */
	assert_int_equal(add_tie_away(0x3c00, 0x1000), 0x3c01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_random_add),
		cmocka_unit_test(test_random_mul),
		cmocka_unit_test(test_edge_pairs),
		cmocka_unit_test(test_ldexp),
		cmocka_unit_test(test_widen_all),
		cmocka_unit_test(test_from_f64),
		cmocka_unit_test(test_add_n),
		cmocka_unit_test(test_mutant_caught),
	};
	printf("FP16 fast path: %s\n", pe_f16_impl());
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_rtl_fp16.c - the Verilated binary16 adder and multiplier
 * (rtl/common/fp16_add.v, fp16_mul.v) against the golden C model
 * (pe_f16_add, pe_f16_mul of pe_models/pe_fp16.h), bit for bit.
 *
 * Stimulus per operator: every pair of ~50 corner values (zeros,
 * subnormals, the normal range ends, infinities, NaNs, ties); for every
 * operand a against a few fixed b (1, -1, the smallest subnormal, a
 * rounding tie maker); and 2^17 random pairs, half uniform bit patterns,
 * half with close exponents (cancellation, alignment ties). The first
 * mismatch is printed with operands, expected and actual.
 *
 * The mutant fp16_add (MUTANT_TIE_AWAY: ties away from zero) goes through
 * the same vectors and must mismatch, on ties only: the check can fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "fmt.h"
#include "pe_fp16.h"
#include "rtl_models.h"
#include "test_util.h"

#define RANDOM_PAIRS (1u << 17)

static uint64_t rng_s;

static uint64_t rnd(void)
{
	return tu_rng(&rng_s);
}

static const uint16_t corners[] = {
	0x0000, 0x8000,			/* +-0 */
	0x0001, 0x8001, 0x0002, 0x0003,	/* smallest subnormals */
	0x01ff, 0x0200, 0x0201, 0x03ff, 0x83ff,	/* subnormals, largest */
	0x0400, 0x8400, 0x0401, 0x07ff,	/* smallest normals */
	0x3c00, 0xbc00, 0x3c01, 0xbc01, 0x3bff,	/* 1, -1 and neighbours */
	0x4000, 0xc000, 0x3800, 0x3555,	/* 2, -2, 0.5, ~1/3 */
	0x1000, 0x1400, 0x0c00,		/* 2^-11, 2^-10, 2^-12: ties with 1 */
	0x5bff, 0x5c00, 0x2000,		/* ~255, 256, 2^-7 */
	0x7bfe, 0x7bff, 0xfbff, 0x7800, 0x7a00,	/* near the largest finite */
	0x7c00, 0xfc00,			/* +-inf */
	0x7c01, 0xfc01, 0x7e00, 0xfe00, 0x7fff, 0x7d00,	/* NaNs */
	0x1c00, 0x9c00, 0x2400, 0x6400, 0xe400,	/* 2^-8, 2^-6, 2^10 */
	0x4248, 0xc248, 0x0155,		/* pi, -pi, a subnormal */
};
#define N_CORNERS (sizeof corners / sizeof corners[0])

/* Vector i of the test set: corners x corners, then each a against the
 * fixed b, then random pairs. */
static const uint16_t fixed_b[] = { 0x3c00, 0xbc00, 0x0001, 0x1000, 0x0400 };
#define N_FIXED (sizeof fixed_b / sizeof fixed_b[0])
#define N_VECTORS (N_CORNERS * N_CORNERS + 65536 * N_FIXED + RANDOM_PAIRS)

static void vector(size_t i, uint16_t *a, uint16_t *b)
{
	if (i < N_CORNERS * N_CORNERS) {
		*a = corners[i / N_CORNERS];
		*b = corners[i % N_CORNERS];
		return;
	}
	i -= N_CORNERS * N_CORNERS;
	if (i < 65536 * N_FIXED) {
		*a = (uint16_t)(i & 0xffff);
		*b = fixed_b[i >> 16];
		return;
	}
	i -= 65536 * N_FIXED;
	uint64_t r = rnd();
	*a = (uint16_t)r;
	*b = (uint16_t)(r >> 16);
	if (i & 1) {
		/* exponent of b within +-3 of a's, random sign and fraction */
		int e = (int)((*a >> 10) & 0x1f) + (int)((r >> 32) % 7) - 3;
		if (e < 0)
			e = 0;
		if (e > 30)
			e = 30;
		*b = (uint16_t)((*b & 0x83ff) | (uint16_t)(e << 10));
	}
}

struct result {
	size_t vectors, mismatches;
	uint16_t a, b, want, got;	/* the first mismatch */
};

typedef uint16_t (*golden_fn)(uint16_t, uint16_t);

static void run(const struct rtl_model_ops *ops, golden_fn golden,
		struct result *res)
{
	struct rtl_model *m = ops->create();
	uint64_t in[2], out[1];

	assert_non_null(m);
	assert_int_equal(ops->version, RTL_MODEL_VERSION);
	assert_int_equal(ops->n_in, 2);
	assert_int_equal(ops->n_out, 1);
	assert_false(ops->clocked);
	assert_null(ops->set_reset);	/* no reset port: the method is NULL */
	rng_s = 20240601;
	*res = (struct result){ 0 };
	for (size_t i = 0; i < N_VECTORS; i++) {
		uint16_t a, b, want, got;
		vector(i, &a, &b);
		in[0] = a;
		in[1] = b;
		rtl_model_cycle(ops, m, in, out);
		got = (uint16_t)out[0];
		want = golden(a, b);
		res->vectors++;
		if (got != want && res->mismatches++ == 0) {
			res->a = a;
			res->b = b;
			res->want = want;
			res->got = got;
		}
	}
	ops->destroy(m);
	printf("# %s (%s): %zu vectors, %zu mismatches", ops->name, ops->top,
	       res->vectors, res->mismatches);
	if (res->mismatches)
		printf("; first: a=0x%04x b=0x%04x C model 0x%04x RTL 0x%04x",
		       res->a, res->b, res->want, res->got);
	printf("\n");
}

/* The rules pe_fp16.h states, case by case ({a, b, result}), through the
 * RTL and the C. */
static const uint16_t add_cases[][3] = {
	{ 0x3c00, 0xbc00, 0x0000 },	/* x + (-x) = +0 */
	{ 0x8000, 0x8000, 0x8000 },	/* -0 + -0 = -0 */
	{ 0x8000, 0x0000, 0x0000 },
	{ 0x7c00, 0xfc00, 0x7e00 },	/* inf - inf: default NaN */
	{ 0x7c01, 0x3c00, 0x7e00 },	/* NaN in: 0x7e00 out */
	{ 0xfe00, 0x3c00, 0x7e00 },
	{ 0x3c00, 0x1000, 0x3c00 },	/* 1 + 2^-11: tie to even (down) */
	{ 0x3c01, 0x1000, 0x3c02 },	/* tie to even (up) */
	{ 0x7bff, 0x4c00, 0x7c00 },	/* 65504 + 16 = 65520: the tie past
					 * the largest finite, to even: inf */
	{ 0x7bff, 0x4bff, 0x7bff },	/* 65504 + 15.99: below it */
	{ 0x0001, 0x8001, 0x0000 },
	{ 0x03ff, 0x0001, 0x0400 },	/* subnormal into normal */
};

static const uint16_t mul_cases[][3] = {
	{ 0x7c00, 0x0000, 0x7e00 },	/* inf x 0 */
	{ 0x8000, 0x3c00, 0x8000 },	/* -0 x 1 = -0 */
	{ 0xfc00, 0xbc00, 0x7c00 },	/* -inf x -1 = inf */
	{ 0x0001, 0x3800, 0x0000 },	/* 2^-25: tie to even 0 */
	{ 0x0003, 0x3800, 0x0002 },	/* 1.5 ulp: tie to even 2 */
	{ 0x0001, 0x3c01, 0x0001 },
	{ 0x5bff, 0x5bff, 0x7bfe },	/* 255.9^2 */
	{ 0x7bff, 0x3c01, 0x7c00 },	/* overflow */
	{ 0x0400, 0x3800, 0x0200 },	/* normal into subnormal, exact */
	{ 0x7e00, 0x0000, 0x7e00 },
};

struct specials {
	const struct rtl_model_ops *ops;
	golden_fn golden;
	const char *op;
	const uint16_t (*cases)[3];
	size_t n;
};

static const struct specials add_specials = {
	&rtl_fp16_add_ops, pe_f16_add, "+", add_cases,
	sizeof add_cases / sizeof add_cases[0]
};
static const struct specials mul_specials = {
	&rtl_fp16_mul_ops, pe_f16_mul, "x", mul_cases,
	sizeof mul_cases / sizeof mul_cases[0]
};

static void test_specials(void **state)
{
	const struct specials *t = *state;
	struct rtl_model *m = t->ops->create();
	uint64_t in[2], out[1];

	assert_non_null(m);
	for (size_t i = 0; i < t->n; i++) {
		uint16_t a = t->cases[i][0], b = t->cases[i][1], want = t->cases[i][2];
		in[0] = a;
		in[1] = b;
		rtl_model_cycle(t->ops, m, in, out);
		if (out[0] != want || t->golden(a, b) != want)
			fail_msg("0x%04x %s 0x%04x: RTL 0x%04x, C 0x%04x, want 0x%04x",
				 a, t->op, b, (unsigned)out[0], t->golden(a, b), want);
	}
	t->ops->destroy(m);
}

/* The adder or the multiplier (state: its specials row) on every vector:
 * no mismatch. */
static void test_vectors(void **state)
{
	const struct specials *t = *state;
	struct result r;
	run(t->ops, t->golden, &r);
	assert_true(r.vectors >= 100000);
	assert_int_equal(r.mismatches, 0);
}

/* binary16 neighbours of h, for finite h */
static uint16_t next_up(uint16_t h)
{
	if (!(h & 0x7fff))
		return 0x0001;
	return (h & 0x8000) ? (uint16_t)(h - 1) : (uint16_t)(h + 1);
}

static uint16_t next_down(uint16_t h)
{
	return (uint16_t)(next_up((uint16_t)(h ^ 0x8000)) ^ 0x8000);
}

/* Is the exact sum of a and b halfway between two binary16 neighbours
 * (where tie-away and tie-to-even may differ)? The sum and the midpoint
 * are exact in double (pe_fp16.h). Overflow is left out: there both
 * rules give infinity. */
static int is_tie(uint16_t a, uint16_t b)
{
	uint16_t r = pe_f16_add(a, b), nb;
	double x, s;
	if ((r & 0x7c00) == 0x7c00)
		return 0;
	x = fmt_f16_to_f64(r);
	s = fmt_f16_to_f64(a) + fmt_f16_to_f64(b);
	if (s == x)
		return 0;
	nb = s > x ? next_up(r) : next_down(r);
	return s == (x + fmt_f16_to_f64(nb)) / 2;
}

static void test_mutant_caught(void **state)
{
	struct result r;
	struct rtl_model *m;
	uint64_t in[2] = { 0x3c00, 0x1000 }, out[1];
	size_t off_tie = 0;
	(void)state;

	run(&rtl_fp16_add_mutant_ops, pe_f16_add, &r);
	assert_true(r.mismatches > 0);
	/* 1 + 2^-11 is the tie of 1 and 1 + 2^-10: even is 1 */
	m = rtl_fp16_add_mutant_create();
	assert_non_null(m);
	rtl_model_cycle(&rtl_fp16_add_mutant_ops, m, in, out);
	assert_int_equal(out[0], 0x3c01);
	assert_int_equal(pe_f16_add(0x3c00, 0x1000), 0x3c00);
	/* every mismatch is a tie: the mutant breaks exactly that rule */
	rng_s = 20240601;
	for (size_t i = 0; i < N_VECTORS; i++) {
		uint16_t a, b;
		vector(i, &a, &b);
		in[0] = a;
		in[1] = b;
		rtl_model_cycle(&rtl_fp16_add_mutant_ops, m, in, out);
		if ((uint16_t)out[0] != pe_f16_add(a, b) && !is_tie(a, b) && off_tie++ == 0)
			print_message("# non-tie mismatch a=0x%04x b=0x%04x\n", a, b);
	}
	rtl_fp16_add_mutant_destroy(m);
	assert_int_equal(off_tie, 0);
	printf("# mutant caught: %zu of %zu vectors mismatch, all on ties\n",
	       r.mismatches, r.vectors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST_ARG("test_add_specials", test_specials, &add_specials),
		TU_TEST_ARG("test_mul_specials", test_specials, &mul_specials),
		TU_TEST_ARG("test_add", test_vectors, &add_specials),
		TU_TEST_ARG("test_mul", test_vectors, &mul_specials),
		cmocka_unit_test(test_mutant_caught),
	};
	return cmocka_run_group_tests_name("rtl_fp16", tests, NULL, NULL);
}

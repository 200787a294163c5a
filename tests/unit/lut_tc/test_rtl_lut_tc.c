/* test_rtl_lut_tc.c - the LUT Tensor Core RTL (rtl/lut_tc/) in lockstep
 * with its golden C models through `pesim verify`'s library
 * (rtl/rtl_verify.h): the M2N64K4 tile (--pe lut_tc, golden lut_tc_tile)
 * and the table precompute unit (--pe lut_tc_pre, golden
 * lut_tc_precompute).
 *
 * Each: 1 reset + the directed corners + 10^5 random edges, every output
 * port after every edge, 0 mismatches, FP16 and INT8 tables both driven.
 * Each mutant build (MUTANT_TILE_EXP_NORENORM: the exponent add does not
 * renormalize a subnormal entry; MUTANT_PRE_TIE_AWAY: INT8 codes round
 * ties away from zero) on the same stimulus: PS_ECHECK, the mismatch on
 * rd_data / tbl_0 within the directed corners, and a VCD written.
 * Operands of a GEMM (what `pesim verify --trace` gives): a small GEMM of
 * lut_pm1_w2 and _w3 codes with odd shapes and K-groups drives both units
 * with 0 mismatches; a GEMM whose codes are wider than 8 bits is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fmt.h"
#include "ps_status.h"
#include "rtl_verify.h"
#include "test_util.h"

/* Random edges of each run: 10^5; under ASan+UBSan (make test's second
 * build, where the C models and the stimulus run several times slower)
 * 3 x 10^4, which still covers every random regime, resets included, and
 * holds both mutants: they are caught at edges 17 and 2,309. */
#ifdef __SANITIZE_ADDRESS__
#define RANDOM_EDGES 30000u
#else
#define RANDOM_EDGES 100000u
#endif

static void run_real(const char *pe, uint64_t seed)
{
	struct rtl_verify_opts o = { .pe = rtl_verify_find(pe), .random = RANDOM_EDGES,
				     .seed = seed, .log = stdout };
	struct rtl_verify_result r;

	tu_verify_ok(&o, &r);
	assert_true(r.corner_edges > 2000);
	assert_true(r.beats > r.cycles / 2);
	assert_true(r.changes > r.cycles / 2);
	assert_true(r.resets >= 2);
}

/* A PE ("lut_tc": the tile, "lut_tc_pre": the precompute unit), seeds 1
 * and 2. */
static void test_pe(void **state)
{
	run_real(*state, 1);
	run_real(*state, 2);
}

/* A PE's mutant (state: its row) caught by the directed corners, with its
 * VCD. */
static const struct mutant {
	const char *pe, *port;
} mutants[] = {
	{ "lut_tc", "rd_data" },
	{ "lut_tc_pre", "tbl_0" },
};

static void test_mutant(void **state)
{
	const struct mutant *m = *state;
	char path[] = "/tmp/pesim-test-luttc-XXXXXX";
	tu_mkstemp(path);

	struct rtl_verify_opts o = { .pe = rtl_verify_find(m->pe), .mutant = true,
				     .random = RANDOM_EDGES, .seed = 1,
				     .vcd_path = path, .window = 16, .log = stdout };
	struct rtl_verify_result r;
	struct ps_err err = { "" };

	tu_verify_mutant(&o, m->port, &r, &err);
	/* the directed corners find it */
	assert_true(r.cycle >= 1 && r.cycle <= r.corner_edges);
	assert_true(r.vcd_written);
	assert_int_equal(r.vcd_last, r.cycle + 5);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	fclose(f);
	unlink(path);
}

/* A GEMM as a bit-true trace's sidecar holds it: FP16 activations,
 * lut_pm1_w<W> codes, one scale and zero point per K-group (the tile does
 * not read them). M, N and K are not multiples of the tile's 2, 64 and 4,
 * so edge tables and columns are padded. */
static void test_gemm_operands(void **state)
{
	(void)state;
	enum { M = 5, K = 42, N = 70, G = 16, NG = (K + G - 1) / G };
	static uint16_t a[M * K];
	static uint8_t codes[N * K];
	static float scale[N * NG], zero[N * NG];
	uint64_t s = 7;

	for (int i = 0; i < M * K; i++) {	/* |a| in [2^-8, 4) */
		uint64_t r = rtl_stim_rnd(&s);
		a[i] = (uint16_t)((r & 0x8000) | (7 + (r >> 16) % 9) << 10 | (r >> 32 & 0x3ff));
	}
	for (int i = 0; i < N * NG; i++) {
		scale[i] = 0.01f;
		zero[i] = 1;
	}
	for (int w = 2; w <= 3; w++) {
		for (int i = 0; i < N * K; i++)
			codes[i] = (uint8_t)(rtl_stim_rnd(&s) & ((1u << w) - 1));
		char fname[16];
		snprintf(fname, sizeof fname, "lut_pm1_w%d", w);
		struct pe_gemm g = { .M = M, .K = K, .N = N, .a = a, .codes = codes,
				     .fmt = fmt_find(fname), .group = G, .n_groups = NG,
				     .scale = scale, .zero = zero };
		assert_true(g.fmt >= 0);
		for (int u = 0; u < 2; u++) {
			const char *pe = u ? "lut_tc_pre" : "lut_tc";
			struct rtl_verify_opts o = { .pe = rtl_verify_find(pe),
						     .random = 30000, .seed = 5,
						     .gemm = &g, .log = stdout };
			struct rtl_verify_result r;
			printf("%s on a %dx%dx%d GEMM of %s codes\n", pe, M, K, N, fname);
			tu_verify_ok(&o, &r);
			assert_true(r.beats > 15000);
			assert_true(r.changes > 10000);
		}
	}

	/* codes wider than the tile's 8 bit positions: refused */
	struct pe_gemm g = { .M = M, .K = K, .N = N, .a = a, .codes = codes,
			     .fmt = FMT_FP16 };
	tu_verify_gemm_refused("lut_tc", &g, "bit planes");
}

/* The family and its configurations: --pe lut_tc is the tile, and an
 * arch of family lut_tc (lanes 4, either table width) finds it. */
static void test_registry(void **state)
{
	(void)state;
	const struct rtl_verify_pe *t = rtl_verify_find("lut_tc"),
				   *p = rtl_verify_find("lut_tc_pre");
	assert_non_null(t);
	assert_non_null(p);
	assert_string_equal(t->golden, "lut_tc_tile");
	assert_string_equal(p->golden, "lut_tc_precompute");
	assert_string_equal(p->family, "lut_tc");
	struct pe_params pp = { .lanes = 4, .bit_serial = true, .weight_bits = 2.140625,
				.act_bits = 16, .group_size = 128, .table_bits = 16 };
	assert_ptr_equal(rtl_verify_match("lut_tc", &pp), t);
	pp.table_bits = 8;
	assert_ptr_equal(rtl_verify_match("lut_tc", &pp), t);
	pp.lanes = 8;
	assert_null(rtl_verify_match("lut_tc", &pp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST_ARG("test_tile", test_pe, "lut_tc"),
		TU_TEST_ARG("test_pre", test_pe, "lut_tc_pre"),
		TU_TEST_ARG("test_tile_mutant", test_mutant, &mutants[0]),
		TU_TEST_ARG("test_pre_mutant", test_mutant, &mutants[1]),
		cmocka_unit_test(test_gemm_operands),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_bittrue.c - bit-true mode end to end: for every family with a
 * bit-true model, a GEMM of generated data through its stepped array equals
 * its closed-form cycles and stays within a family-specific error of the
 * exact GEMM; the same GEMM read back from a bit-true trace's sidecar gives
 * the very same outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cc_compile.h"
#include "pe.h"
#include "sim_bittrue.h"
#include "test_util.h"

struct fam_case {
	const char *preset;
	double min_sqnr_db;	/* vs the exact GEMM of the dequantized weights */
};

/* INT8-activation PEs lose most of the precision to per-tensor activation
 * quantization of heavy-tailed activations; FP16-activation PEs keep it. */
static const struct fam_case cases[] = {
	{ "bitmod/fp16", 40 }, { "bitmod/ant", 40 }, { "bitmod/olive", 40 },
	{ "baseline/int8-os-32x32", 8 }, { "baseline/bitfusion-os-32x32", 8 },
	{ "mixpe/w4a8-64x64", 8 }, { "mixpe/w4a16-32x32", 35 },
	{ "lut_tc/m2n64k4-w2a16", 35 }, { "flightllm/csd-2of16", 8 },
	{ "bitmod/bitmod-lossy", 25 },
};

static void test_families(void **state)
{
	size_t ran = 0;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char path[512], pest[] = "/tmp/pesim-bt-XXXXXX", side[64];
		struct cfg_arch a;
		struct sim_bt_result g, t;
		struct cc_compile_stats cs;
		struct ps_err err;
		struct wl_plan plan;
		struct cc_compile_req rq = { .arch = &a, .plan = &plan,
					     .bit_true = true, .seed = 5 };
		const struct pe_family *pe;
		snprintf(path, sizeof path, PESIM_SRCDIR "/configs/arch/%s.yaml", cases[i].preset);
		assert_int_equal(pe_arch_load(path, &a, &err), PS_OK);
		pe = pe_family_of(&a);
		if (!pe || !pe->gemm_bt)
			continue;	/* family without a bit-true model yet */
		memset(&g, 0, sizeof g);
		memset(&t, 0, sizeof t);
		if (sim_bittrue_gemm(&a, 0, 8, 256, 48, 5, 0, &g, &err))
			fail_msg("%s: %s", cases[i].preset, err.msg);
		assert_true(g.cycles_stepped == g.cycles_closed_form);
		assert_true(g.cycles_stepped > 0);
		if (!(g.sqnr_db >= cases[i].min_sqnr_db))
			fail_msg("%s: SQNR %.2f dB < %.0f", cases[i].preset, g.sqnr_db,
				 cases[i].min_sqnr_db);
		tu_mkstemp(pest);
		rq.out_path = pest;
		assert_int_equal(wl_plan_gemm(8, 256, 48, WL_PREFILL, &plan, &err), PS_OK);
		assert_int_equal(cc_compile(&rq, &cs, &err), PS_OK);
		wl_plan_free(&plan);
		if (sim_bittrue_trace(&a, pest, &t, &err))
			fail_msg("%s (trace): %s", cases[i].preset, err.msg);
		assert_true(t.sum_err2 == g.sum_err2);
		assert_true(t.max_abs_err == g.max_abs_err);
		assert_true(t.cycles_stepped == g.cycles_stepped);
		snprintf(side, sizeof side, "%s.h5", pest);
		remove(side);
		remove(pest);
		ran++;
	}
	assert_true(ran >= 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families),
	};
	return cmocka_run_group_tests_name("bittrue", tests, NULL, NULL);
}

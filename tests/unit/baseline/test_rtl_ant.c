/* test_rtl_ant.c - the ANT baseline PE's RTL (rtl/baseline/pe_ant_mac.v:
 * int4/flint4 decoder ROM, FP16 x INT8 fused multiply-add) in lockstep
 * with its golden C model "ant_mac" (pe_models/baseline/pe_ant_bt.c)
 * through `pesim verify`'s library (rtl/rtl_verify.h).
 *
 * "ant_mac": 1 reset + 36,864 corner edges (every FP16 special as the
 * accumulator x every special activation x both formats x all 16 codes) +
 * 10^5 random edges, every output port after every edge, 0 mismatches.
 * The mutant (MUTANT_ANT_FLINT_16: flint4's +-16 decodes to 0) is caught,
 * PS_ECHECK on out_acc, within the corners. `--config
 * configs/arch/bitmod/ant.yaml` finds "ant_mac" by the parameters
 * pe_params_from_arch gives (both phases). GEMM operands (what `--trace`
 * gives): FP16 activations and per-channel flint4 and int4 codes from the
 * format's own encoder, 0 mismatches; INT8 codes are refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cfg_arch.h"
#include "fmt.h"
#include "pe.h"
#include "ps_status.h"
#include "rtl_verify.h"
#include "test_util.h"

#define RANDOM_EDGES 100000u
#define CORNER_EDGES (2u * 24 * 24 * 32)

static void test_ant_mac(void **state)
{
	(void)state;
	struct rtl_verify_opts o = { .pe = rtl_verify_find("ant_mac"),
				     .random = RANDOM_EDGES, .seed = 1,
				     .log = stdout };
	struct rtl_verify_result r;

	assert_non_null(o.pe);
	assert_string_equal(o.pe->family, "ant");
	assert_string_equal(o.pe->golden, "ant_mac");
	assert_string_equal(o.pe->rtl->top, "pe_ant_mac");
	tu_verify_ok(&o, &r);
	assert_int_equal(r.corner_edges, CORNER_EDGES);
	assert_int_equal(r.values, 2 * r.cycles);	/* out_valid, out_acc */
	/* every corner edge is a beat, most random ones too */
	assert_true(r.beats > r.corner_edges + RANDOM_EDGES / 2);
	assert_true(r.changes > r.cycles / 3);
	assert_true(r.resets >= 2);
}

/* MUTANT_ANT_FLINT_16: the first corner dot with flint4 code 0111 (+16)
 * and a finite nonzero activation differs. */
static void test_mutant_flint_16(void **state)
{
	(void)state;
	tu_verify_corner_mutant("ant_mac", "MUTANT_ANT_FLINT_16", "out_acc",
				RANDOM_EDGES);
}

/* --config configs/arch/bitmod/ant.yaml picks "ant_mac". */
static void test_config_match(void **state)
{
	(void)state;
	struct pe_params pp[2];
	const struct rtl_verify_pe *pe = rtl_verify_find("ant_mac");

	assert_non_null(pe);
	assert_ptr_equal(rtl_verify_find("ant"), pe);
	tu_verify_config(PESIM_SRCDIR "/configs/arch/bitmod/ant.yaml", "ant", pe, pp);
	for (int ph = 0; ph < 2; ph++) {
		assert_int_equal(pp[ph].lanes, pe->params.lanes);
		assert_int_equal(pp[ph].act_bits, pe->params.act_bits);
		assert_int_equal(pp[ph].a_bits, pe->params.a_bits);
	}
	pp[1].lanes = 2;	/* an array of PEs, no RTL build */
	assert_null(rtl_verify_match("ant", &pp[1]));
}

/* A small GEMM as a bit-true trace's sidecar holds it: FP16 activations,
 * per-row scaled codes from the format's encoder. */
static void test_gemm_operands(void **state)
{
	(void)state;
	enum { M = 6, K = 48, N = 7 };
	static uint16_t a[M * K];
	static uint8_t c_flint[N * K], c_int4[N * K], c_int8[N * K];
	static float scale_f[N], scale_i[N];
	uint64_t s = 11;

	for (int i = 0; i < M * K; i++) {
		/* roughly normal activations with a few outliers */
		double u = 0;
		for (int j = 0; j < 4; j++)
			u += (double)(rtl_stim_rnd(&s) >> 11) * 0x1p-53 - 0.5;
		if (i % 37 == 5)
			u *= 300;
		a[i] = fmt_f16_from_f64(u);
	}
	for (int n = 0; n < N; n++) {
		double w[K], mx = 0;
		for (int k = 0; k < K; k++) {
			w[k] = (double)(rtl_stim_rnd(&s) >> 11) * 0x1p-52 - 1;
			if (fabs(w[k]) > mx)
				mx = fabs(w[k]);
		}
		scale_f[n] = (float)(mx / 16);
		scale_i[n] = (float)(mx / 7);
		for (int k = 0; k < K; k++) {
			c_flint[n * K + k] = (uint8_t)fmt_encode(FMT_FLINT4, w[k] / scale_f[n]);
			c_int4[n * K + k] = (uint8_t)fmt_encode(FMT_INT4, w[k] / scale_i[n]);
			c_int8[n * K + k] = (uint8_t)(n * K + k);
		}
	}
	/* the encoder reaches the formats' extremes: +-16, +-7 */
	bool f16 = false, i7 = false;
	for (int i = 0; i < N * K; i++) {
		f16 |= fabs(fmt_decode(FMT_FLINT4, c_flint[i])) == 16;
		i7 |= fabs(fmt_decode(FMT_INT4, c_int4[i])) == 7;
	}
	assert_true(f16 && i7);

	struct pe_gemm gf = { .M = M, .K = K, .N = N, .a = a, .codes = c_flint,
			      .fmt = FMT_FLINT4, .n_groups = 1, .scale = scale_f };
	struct pe_gemm gi = { .M = M, .K = K, .N = N, .a = a, .codes = c_int4,
			      .fmt = FMT_INT4, .n_groups = 1, .scale = scale_i };
	const struct pe_gemm *gs[] = { &gf, &gi };
	for (size_t i = 0; i < 2; i++) {
		struct rtl_verify_opts o = { .pe = rtl_verify_find("ant_mac"),
					     .random = 20000, .seed = 5,
					     .gemm = gs[i], .log = stdout };
		struct rtl_verify_result r;
		printf("ant_mac on GEMM operands (%s %dx%dx%d)\n",
		       gs[i]->fmt == FMT_FLINT4 ? "flint4" : "int4", M, K, N);
		tu_verify_ok(&o, &r);
		assert_true(r.beats > r.corner_edges + 10000);
	}
	/* INT8 codes: not the PE's formats */
	struct pe_gemm g8 = { .M = M, .K = K, .N = N, .a = a, .codes = c_int8,
			      .fmt = FMT_INT8, .n_groups = 1, .scale = scale_i };
	tu_verify_gemm_refused("ant_mac", &g8, "int4 or flint4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_match),
		cmocka_unit_test(test_ant_mac),
		cmocka_unit_test(test_mutant_flint_16),
		cmocka_unit_test(test_gemm_operands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_sidecar.c - a bit-true trace's operand data: what is stored equals
 * what the generator and the arch's quantizer produce, and the trace file
 * itself is the ordinary trace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>

#include "pe.h"
#include "cc_compile.h"
#include "cc_quant.h"
#include "fmt.h"
#include "test_util.h"
#include "wl_tensor.h"

static void read_u8(hid_t f, const char *name, uint8_t *out)
{
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	assert_true(d >= 0);
	assert_true(H5Dread(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
	H5Dclose(d);
}

static void read_u16(hid_t f, const char *name, uint16_t *out)
{
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	assert_true(d >= 0);
	assert_true(H5Dread(d, H5T_NATIVE_UINT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
	H5Dclose(d);
}

static void test_bitmod_gemm(void **state)
{
	enum { M = 8, K = 512, N = 32 };
	char path[] = "/tmp/pesim-side-XXXXXX", h5[64];
	struct cfg_arch a;
	struct cc_compile_stats cs;
	struct ps_err err;
	struct wl_plan plan;
	struct cc_compile_req rq = { .arch = &a, .plan = &plan,
				     .bit_true = true, .seed = 7 };
	float *w = malloc(N * K * sizeof *w), *x = malloc(M * K * sizeof *x);
	uint8_t *codes = malloc(N * K), gfmt[N * (K / 128)];
	uint16_t *ah = malloc(M * K * sizeof *ah);
	struct fmt_qspec q;
	struct cc_qtensor t;
	hid_t f;
	(void)state;
	tu_mkstemp(path);
	rq.out_path = path;
	assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
	assert_int_equal(wl_plan_gemm(M, K, N, WL_PREFILL, &plan, &err), PS_OK);
	assert_int_equal(cc_compile(&rq, &cs, &err), PS_OK);
	wl_plan_free(&plan);
	snprintf(h5, sizeof h5, "%s.h5", path);
	f = H5Fopen(h5, H5F_ACC_RDONLY, H5P_DEFAULT);
	assert_true(f >= 0);
	read_u8(f, "op0/w_codes", codes);
	read_u8(f, "op0/gfmt", gfmt);
	read_u16(f, "op0/a_f16", ah);
	H5Fclose(f);
	/* the same generator seeds and the arch's prefill quantizer */
	assert_int_equal(wl_gen_weights(7, N, K, NULL, w, &err), PS_OK);
	assert_int_equal(wl_gen_acts(8, M, K, NULL, x, &err), PS_OK);
	assert_int_equal(fmt_qspec_parse(a.weights.prefill, &q, &err), PS_OK);
	assert_int_equal(cc_quantize(&q, w, N, K, &t, &err), PS_OK);
	assert_memory_equal(codes, t.codes, N * K);
	assert_memory_equal(gfmt, t.gfmt, sizeof gfmt);
	for (int i = 0; i < M * K; i++)
		assert_int_equal(ah[i], fmt_f16_from_f32(x[i]));
	cc_qtensor_free(&t);
	remove(h5);
	remove(path);
	free(w);
	free(x);
	free(codes);
	free(ah);
}

static void test_bit_true_needs_gemm(void **state)
{
	struct cfg_arch a;
	struct wl_model m;
	struct wl_scenario s;
	struct cc_compile_stats cs;
	struct ps_err err;
	struct wl_plan plan;
	struct cc_compile_req rq = { .arch = &a, .plan = &plan,
				     .out_path = "/tmp/pesim-never.pest", .bit_true = true };
	(void)state;
	assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
	assert_int_equal(wl_model_find("opt-1.3b", &m, &err), PS_OK);
	assert_int_equal(wl_scenario_parse("prefill:8", &s, &err), PS_OK);
	assert_int_equal(wl_plan_model(&m, &s, false, &plan, &err), PS_OK);
	assert_int_equal(cc_compile(&rq, &cs, &err), PS_EINPUT);
	wl_plan_free(&plan);
	assert_non_null(strstr(err.msg, "--bit-true needs --gemm"));
	assert_int_equal(access("/tmp/pesim-never.pest", F_OK), -1);	/* nothing left behind */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmod_gemm),
		cmocka_unit_test(test_bit_true_needs_gemm),
	};
	return cmocka_run_group_tests_name("sidecar", tests, NULL, NULL);
}

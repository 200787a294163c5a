/* test_rtl_mixpe.c - `pesim verify` of the MixPE RTL (rtl/mixpe/): the PE
 * and the 4x4 array, W4A8 and W4A16, in lockstep with their golden C
 * models "mixpe_pe" / "mixpe_array" (pe_models/mixpe/).
 *
 * Six configurations (W4A8, W4A16 PE and array; W2A16 4-lane and W3A8
 * 3-lane PEs). Each: 1 reset + the corners + 10^5 random edges, every
 * output port after every edge, 0 mismatches. Each mutant build
 * (MUTANT_NO_ZERO_TERM, MUTANT_MSB_POS): a mismatch reported, PS_ECHECK;
 * and against the C model with the matching PE_MIXPE_BUG_* none (the
 * mutant is exactly that broken variant). Operands from a quantized GEMM
 * (the compiler's mixpe-int<b>, as a bit-true sidecar holds them): 0
 * mismatches. The arch presets pick their
 * configuration (rtl_verify_match). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cc_quant.h"
#include "cfg_arch.h"
#include "fmt.h"
#include "mixpe/pe_mixpe.h"
#include "pe.h"
#include "pe_bt.h"
#include "ps_status.h"
#include "rtl_verify.h"
#include "test_util.h"
#include "wl_tensor.h"

/* Random edges of each run: 10^5; under ASan+UBSan (make test's second
 * build, where the C models and the stimulus run several times slower)
 * 5 x 10^4, which holds every mutant (caught by edge 2,053) and reaches
 * a random reset in each configuration (in 10^5: three or more). */
#ifdef __SANITIZE_ADDRESS__
#define RANDOM_EDGES 50000u
#define MIN_RESETS 2
#else
#define RANDOM_EDGES 100000u
#define MIN_RESETS 3
#endif

/* each configuration, its CMocka test, the quantizer of its GEMM test, its
 * mutant's bug in the C model */
static const struct cfg {
	const char *name, *test, *quant;
	uint32_t bug;
} configs[] = {
	{ "mixpe", "test_pe_w4a8", "mixpe-int4", PE_MIXPE_BUG_NO_ZERO },
	{ "mixpe_w4a16", "test_pe_w4a16", "mixpe-int4", PE_MIXPE_BUG_MSB_POS },
	{ "mixpe_w2a16_l4", "test_pe_w2a16_l4", "mixpe-int2-g8", PE_MIXPE_BUG_NO_ZERO },
	{ "mixpe_w3a8_l3", "test_pe_w3a8_l3", "mixpe-int3-g6", PE_MIXPE_BUG_MSB_POS },
	{ "mixpe_array", "test_array_w4a8", "mixpe-int4", PE_MIXPE_BUG_MSB_POS },
	{ "mixpe_array_w4a16", "test_array_w4a16", "mixpe-int4", PE_MIXPE_BUG_NO_ZERO },
};
#define N_CONFIGS (sizeof configs / sizeof configs[0])

/* A configuration (state: its name), seed 1. */
static void test_real(void **state)
{
	const char *name = *state;
	const struct rtl_verify_pe *pe = rtl_verify_find(name);
	struct rtl_verify_opts o = { .pe = pe, .random = RANDOM_EDGES, .seed = 1,
				     .log = stdout };
	struct rtl_verify_result r;

	assert_non_null(pe);
	assert_string_equal(pe->name, name);
	tu_verify_ok(&o, &r);
	assert_true(r.corner_edges > (strstr(name, "array") ? 400u : 1000u));
	assert_int_equal(r.values, r.cycles * (strstr(name, "array") ? 2 : 12));
	assert_true(r.beats > r.cycles / 3);
	/* the array's outputs change when results leave it; the PE's
	 * pass-through outputs on nearly every edge */
	assert_true(r.changes > r.cycles / (strstr(name, "array") ? 20 : 2));
	assert_true(r.resets >= MIN_RESETS);	/* edge 0 and random ones */
}

/* The mutant on the same stimulus: caught, with where. */
static void test_mutants(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CONFIGS; i++) {
		const char *name = configs[i].name;
		struct rtl_verify_opts o = { .pe = rtl_verify_find(name), .mutant = true,
					     .random = RANDOM_EDGES, .seed = 1,
					     .window = 16 };
		struct rtl_verify_result r;
		struct ps_err err = { "" };

		tu_verify_mutant(&o, strstr(name, "array") ? "out_data" : "res", &r, &err);
		assert_true(r.cycle > 0);
	}
}

/* Llama-like weights quantized by the configuration's mixpe-int<b>
 * (codes, float scale and zero per group), FP16 activations: the operands
 * a bit-true sidecar holds. */
static void run_gemm(const struct cfg *c)
{
	enum { M = 9, N = 10, K = 384 };
	struct wl_gen_params gp;
	struct fmt_qspec q;
	struct cc_qtensor qt;
	struct ps_err err = { "" };
	float *w = malloc(N * K * sizeof *w), *af = malloc(M * K * sizeof *af);
	uint16_t *a = malloc(M * K * sizeof *a);

	assert_true(w && af && a);
	wl_gen_params_default(&gp);
	assert_int_equal(wl_gen_weights(21, N, K, &gp, w, &err), PS_OK);
	assert_int_equal(wl_gen_acts(22, M, K, &gp, af, &err), PS_OK);
	assert_int_equal(fmt_qspec_parse(c->quant, &q, &err), PS_OK);
	assert_int_equal(cc_quantize(&q, w, N, K, &qt, &err), PS_OK);
	for (int i = 0; i < M * K; i++)
		a[i] = fmt_f16_from_f32(af[i]);
	struct pe_gemm g = { .M = M, .K = K, .N = N, .a = a, .codes = qt.codes,
			     .fmt = qt.fmt, .group = (uint32_t)qt.group,
			     .n_groups = qt.n_groups, .scale = qt.scale, .zero = qt.zero };
	struct rtl_verify_opts o = { .pe = rtl_verify_find(c->name), .random = 50000,
				     .seed = 3, .gemm = &g, .log = stdout };
	struct rtl_verify_result r;
	tu_verify_ok(&o, &r);
	assert_true(r.beats > 20000);
	printf("%s, operands of a %dx%dx%d %s GEMM: %llu cycles, 0 mismatches "
	       "(%llu beats, %llu output changes)\n", c->name, M, N, K, qt.spec.name,
	       (unsigned long long)r.cycles, (unsigned long long)r.beats,
	       (unsigned long long)r.changes);

	/* codes without per-group zero points: not MixPE's data */
	struct pe_gemm bad = g;
	bad.zero = NULL;
	o.gemm = &bad;
	o.random = 10;
	tu_verify_refused(&o, NULL);
	/* wider codes than the PE's weights */
	if (strcmp(c->quant, "mixpe-int4")) {
		struct cc_qtensor q4;
		assert_int_equal(fmt_qspec_parse("mixpe-int4", &q, &err), PS_OK);
		assert_int_equal(cc_quantize(&q, w, N, K, &q4, &err), PS_OK);
		bad = g;
		bad.codes = q4.codes;
		bad.fmt = q4.fmt;
		tu_verify_refused(&o, NULL);
		cc_qtensor_free(&q4);
	}
	cc_qtensor_free(&qt);
	free(w);
	free(af);
	free(a);
}

static void test_gemm_operands(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CONFIGS; i++)
		run_gemm(&configs[i]);
}

/* Each mutant RTL is exactly the C model's broken variant: the golden
 * model with the matching cfg.bugs, on the same stimulus, 0 mismatches
 * (a lockstep loop of its own: rtl_verify's golden model has no bugs). */
static void test_mutant_is_bug(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CONFIGS; i++) {
		const struct rtl_verify_pe *pe = rtl_verify_find(configs[i].name);
		const struct pe_bt_ops *g = pe_bt_find(pe->golden);
		const struct rtl_model_ops *r = pe->mutant;
		const struct rtl_stim_ops *so = pe->stim;
		void *gs = calloc(1, g->state_size), *ss = calloc(1, so->state_size);
		struct rtl_model *m = r->create();
		uint64_t in[16], exp[16], got[16], n, bad = 0;
		bool array = !strcmp(pe->golden, "mixpe_array");
		struct ps_err err = { "" };

		assert_true(gs && ss && m);
		assert_true(g->n_in <= 16 && g->n_out <= 16);
		assert_int_equal(g->init(gs, &pe->params, &err), PS_OK);
		assert_int_equal(so->init(ss, &pe->params, 5, &err), PS_OK);
		if (array)
			pe_mixpe_array_set_bugs(gs, configs[i].bug);
		else
			((struct pe_mixpe_pe *)gs)->cfg.bugs = configs[i].bug;
		n = so->corner_edges(ss) + 50000;
		for (uint64_t e = 0; e <= n; e++) {
			bool rst = e == 0 ? (memset(in, 0, sizeof in), true)
			       : e <= so->corner_edges(ss) ? so->corner(ss, e - 1, in)
							   : so->random(ss, in);
			for (size_t k = 0; k < g->n_in; k++)
				if (g->ports[k].width < 64)
					in[k] &= (1ull << g->ports[k].width) - 1;
			r->set_reset(m, rst);
			rtl_model_cycle(r, m, in, got);
			if (rst) {
				g->reset(gs);
				memset(exp, 0, sizeof exp);
			} else {
				g->step(gs, in, exp);
			}
			bad += memcmp(exp, got, g->n_out * sizeof *exp) != 0;
		}
		r->set_reset(m, false);
		r->destroy(m);
		if (so->fini)
			so->fini(ss);
		free(gs);
		free(ss);
		printf("%s: mutant %s vs the C model with bug %u: %llu edges, %llu "
		       "mismatching\n", configs[i].name, pe->mutant_define,
		       (unsigned)configs[i].bug, (unsigned long long)n + 1,
		       (unsigned long long)bad);
		assert_int_equal(bad, 0);
	}
}

/* `pesim verify --pe mixpe --config <preset>`: the preset's pe_params
 * (pe_params_from_arch) find the build of that configuration. */
static void test_config_match(void **state)
{
	static const struct { const char *yaml, *pe; } cases[] = {
		{ "w4a8-64x64", "mixpe" },
		{ "w4a16-32x32", "mixpe_w4a16" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[512];
		struct cfg_arch a;
		struct pe_params p;
		struct ps_err err = { "" };
		snprintf(path, sizeof path, PESIM_SRCDIR "/configs/arch/mixpe/%s.yaml",
			 cases[i].yaml);
		assert_int_equal(pe_arch_load(path, &a, &err), PS_OK);
		pe_params_from_arch(&a, NULL, 0, &p);
		const struct rtl_verify_pe *pe = rtl_verify_match("mixpe", &p);
		assert_non_null(pe);
		assert_string_equal(pe->name, cases[i].pe);
	}
	assert_string_equal(rtl_verify_find("mixpe")->golden, "mixpe_pe");
	assert_string_equal(rtl_verify_find("mixpe_array_w4a16")->golden, "mixpe_array");
}

int main(void)
{
	/* test_config_match, a test_real per configuration, three more */
	struct CMUnitTest tests[1 + N_CONFIGS + 3] = { cmocka_unit_test(test_config_match) };
	size_t n = 1;

	for (size_t i = 0; i < N_CONFIGS; i++)
		tests[n++] = (struct CMUnitTest)TU_TEST_ARG(configs[i].test, test_real,
							     configs[i].name);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_mutants);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_mutant_is_bug);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_gemm_operands);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

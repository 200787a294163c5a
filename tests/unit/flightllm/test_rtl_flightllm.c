/* test_rtl_flightllm.c - FlightLLM's CSD chain RTL (rtl/flightllm/
 * flightllm_chain.v on DSP48E2.v) in lockstep with its golden C model
 * "flightllm_chain" through `pesim verify`'s library (rtl/rtl_verify.h).
 *
 * Each configuration ("flightllm": 16 DSPs, INT4 codes, the OAU, what
 * csd-2of16.yaml gives; "flightllm_d8w8": 8 DSPs, INT8 codes, no OAU;
 * "flightllm_d32w8": 32 DSPs, INT8 codes, the OAU at DSPs 8, 16, 24):
 * 1 reset + the corners + 10^5 random edges, every output port after every
 * edge, 0 mismatches. Each mutant (MUTANT_NO_P17: no +P[17] at the RNs;
 * MUTANT_SMUX_IDX3: the sparse MUX drops index bit 3; MUTANT_NO_OAU: no
 * overflow adjust unit): caught within the corners, PS_ECHECK, on a y_
 * port. `--config csd-2of16.yaml` finds "flightllm" by the parameters
 * pe_params_from_arch gives. GEMM operands (what `--trace` gives): N:M INT4
 * and dense INT8 GEMMs, 0 mismatches. */
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

/* A configuration ("flightllm", "flightllm_d8w8", "flightllm_d32w8"),
 * seed 1. */
static void test_chain(void **state)
{
	struct rtl_verify_opts o = { .pe = rtl_verify_find(*state), .random = RANDOM_EDGES,
				     .seed = 1, .log = stdout };
	struct rtl_verify_result r;

	tu_verify_ok(&o, &r);
	assert_true(r.corner_edges >= 300);
	assert_int_equal(r.values, 17 * r.cycles);	/* y_0..y_15, out_valid */
	assert_true(r.beats > r.cycles / 2);
	assert_true(r.changes > r.cycles / 2);
	assert_true(r.resets >= 5);
}

/* The mutants: the configuration, its define, where the corners catch it
 * (MUTANT_NO_P17: the high lane one too small whenever the low lane is
 * negative, e.g. the first triple corner with x0 w < 0; MUTANT_SMUX_IDX3:
 * indices 8..15 pick pairs 0..7; MUTANT_NO_OAU: a 32-deep group's low lane
 * passes 2^17, the overflow corners: products of (-128)(-128)). */
static const struct mutant {
	const char *pe, *define;
} mutants[] = {
	{ "flightllm", "MUTANT_NO_P17" },
	{ "flightllm_d8w8", "MUTANT_SMUX_IDX3" },
	{ "flightllm_d32w8", "MUTANT_NO_OAU" },
};

static void test_mutant(void **state)
{
	const struct mutant *m = *state;

	/* caught by the corners, and the run stops a few edges later */
	tu_verify_corner_mutant(m->pe, m->define, "y_", RANDOM_EDGES);
}

/* --config configs/arch/flightllm/csd-2of16.yaml: the parameters
 * pe_params_from_arch gives (both phases) pick "flightllm". */
static void test_config_match(void **state)
{
	(void)state;
	struct pe_params pp[2];
	const struct rtl_verify_pe *pe = rtl_verify_find("flightllm");

	assert_non_null(pe);
	assert_ptr_equal(rtl_verify_find("flightllm_d8w8"), pe + 1);
	tu_verify_config(PESIM_SRCDIR "/configs/arch/flightllm/csd-2of16.yaml",
			 "flightllm", pe, pp);
	for (int ph = 0; ph < 2; ph++) {
		/* every field, not only the ones the entry sets */
		assert_int_equal(pp[ph].lanes, pe->params.lanes);
		assert_true(pp[ph].weight_bits == pe->params.weight_bits);
		assert_int_equal(pp[ph].act_bits, pe->params.act_bits);
		assert_int_equal(pp[ph].group_size, pe->params.group_size);
		assert_int_equal(pp[ph].a_bits, pe->params.a_bits);
		assert_int_equal(pp[ph].scale_bits, pe->params.scale_bits);
		assert_int_equal(pp[ph].table_bits, pe->params.table_bits);
		assert_int_equal(pp[ph].bit_serial, pe->params.bit_serial);
	}
	/* a depth without an RTL build */
	pp[1].lanes = 12;
	assert_null(rtl_verify_match("flightllm", &pp[1]));
	pp[1].lanes = 8;
	pp[1].weight_bits = 8;
	assert_ptr_equal(rtl_verify_match("flightllm", &pp[1]), pe + 1);
}

/* GEMM operands: N:M 2:16 INT4 on "flightllm" (cpw = 8 channels per
 * wave), dense INT8 on "flightllm_d8w8" (slices of 8 DSPs), K not a
 * multiple of 16, odd M. */
static void test_gemm_operands(void **state)
{
	(void)state;
	enum { M = 5, K = 40, N = 11, NB = (K + 15) / 16, NM = 2, STRIDE = 1 + NM / 2 };
	static uint16_t a[M * K];
	static uint8_t codes[N * K], meta[N * NB * STRIDE], vals[N * NB * NM];
	static float scale[N];
	uint64_t s = 7;

	for (int i = 0; i < M * K; i++)
		a[i] = (uint16_t)(rtl_stim_rnd(&s) & 0xbfff);	/* |x| < 2 */
	a[3] = 0xc000;						/* -2: the row's max */
	for (int i = 0; i < N * K; i++) {
		codes[i] = (uint8_t)rtl_stim_rnd(&s);
		if (codes[i] == 0x80)	/* reserved in int8 */
			codes[i] = 0x81;
	}
	for (int i = 0; i < N; i++)
		scale[i] = 1;
	/* 2:16: per block a count (2, sometimes fewer), ascending indices
	 * below the block's length, codes of symmetric INT4 (+-7) */
	for (int r = 0; r < N; r++)
		for (int b = 0; b < NB; b++) {
			uint8_t *mt = &meta[(r * NB + b) * STRIDE];
			int len = K - 16 * b < 16 ? K - 16 * b : 16;
			uint64_t x = rtl_stim_rnd(&s);
			int i0 = (int)(x % (uint64_t)(len - 1));
			int i1 = i0 + 1 + (int)((x >> 8) % (uint64_t)(len - 1 - i0));
			mt[0] = (uint8_t)(x % 7 == 0 ? (x >> 16) % 2 : 2);
			mt[1] = (uint8_t)(i1 << 4 | i0);
			for (int j = 0; j < NM; j++)
				vals[(r * NB + b) * NM + j] =
					(uint8_t)((int)((x >> (24 + 4 * j)) % 15) - 7) & 15;
		}
	struct pe_gemm gnm = { .M = M, .K = K, .N = N, .a = a, .fmt = FMT_INT4,
			       .codes = codes, .n_groups = 1, .scale = scale,
			       .nm_meta = meta, .nm_vals = vals, .n_blocks = NB,
			       .nm_stride = STRIDE, .nm_m = 16 };
	struct pe_gemm g8 = { .M = M, .K = K, .N = N, .a = a, .codes = codes,
			      .fmt = FMT_INT8, .n_groups = 1, .scale = scale };
	const struct { const char *pe; const struct pe_gemm *g; } runs[] = {
		{ "flightllm", &gnm }, { "flightllm_d8w8", &g8 },
		{ "flightllm_d8w8", &gnm },	/* INT4 codes widened to 8 bits */
		{ "flightllm_d32w8", &g8 },	/* two channels of 16 DSPs per wave */
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		struct rtl_verify_opts o = { .pe = rtl_verify_find(runs[i].pe),
					     .random = 20000, .seed = 5,
					     .gemm = runs[i].g };
		struct rtl_verify_result r;
		printf("%s on GEMM operands (%s)\n", runs[i].pe,
		       runs[i].g->nm_meta ? "2:16 int4" : "dense int8");
		tu_verify_ok(&o, &r);
		assert_true(r.beats > 10000);
	}
	/* INT8 codes do not fit the 4-bit decode unit */
	tu_verify_gemm_refused("flightllm", &g8, "do not fit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_match),
		TU_TEST_ARG("test_chain_d16w4", test_chain, "flightllm"),
		TU_TEST_ARG("test_chain_d8w8", test_chain, "flightllm_d8w8"),
		TU_TEST_ARG("test_chain_d32w8", test_chain, "flightllm_d32w8"),
		TU_TEST_ARG("test_mutant_no_p17", test_mutant, &mutants[0]),
		TU_TEST_ARG("test_mutant_smux", test_mutant, &mutants[1]),
		TU_TEST_ARG("test_mutant_no_oau", test_mutant, &mutants[2]),
		cmocka_unit_test(test_gemm_operands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

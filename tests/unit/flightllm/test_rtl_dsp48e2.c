/* test_rtl_dsp48e2.c - the Verilated DSP48E2 (rtl/flightllm/DSP48E2.v in
 * FlightLLM's packed-MAC configuration) through its C shim.
 *
 * - Its port table is the "dsp48e2" bit-true model's (pe_dsp48e2_bt).
 * - INT8x2 packing (shared/reference/flightllm_dsp48.md): D = sext(x1) <<
 *   18, A = sext(x0), B = w gives P = x1 w 2^18 + x0 w, 4 edges after the
 *   inputs, for a few hundred random signed INT8 triples and the extremes,
 *   checked against int64 arithmetic; the lanes come back with the +P[17]
 *   correction.
 * - Accumulation (Z = 010: P + M) and subtraction (ALUMODE = 0011: P - M)
 *   over a stream, against int64 sums modulo 2^48.
 * - Lockstep against the C golden model pe_dsp48e2 (pe_models/flightllm/)
 *   on random stimulus over every input port (every OPMODE, INMODE,
 *   ALUMODE, clock enables and resets): P and PCOUT every cycle, the first
 *   divergence printed with the cycle and the inputs; and a C model
 *   configured one B register short, which the lockstep must catch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "flightllm/pe_dsp48e2.h"
#include "rtl_models.h"
#include "test_util.h"

#define LOCKSTEP_CYCLES 100000
#define M48 ((1ull << 48) - 1)

static uint64_t rng_s;

static uint64_t rnd(void)
{
	return tu_rng(&rng_s);
}

static int8_t rnd_i8(void)
{
	return (int8_t)(uint8_t)rnd();
}

static const struct rtl_model_ops *ops = &rtl_dsp48e2_ops;

/* Inputs of the packed MAC at rest: every clock enable on, no reset,
 * INMODE = A1 + D, OPMODE = M (restart), ALUMODE = add. */
static void packed_idle(uint64_t *in)
{
	memset(in, 0, PE_DSP_N_IN * sizeof *in);
	for (int p = PE_DSP_CEA1; p <= PE_DSP_CECARRYIN; p++)
		in[p] = 1;
	in[PE_DSP_INMODE] = PE_DSP_INMODE_PACKED;
	in[PE_DSP_OPMODE] = PE_DSP_OPM_MUL_RESTART;
}

static void pack(uint64_t *in, int8_t x0, int8_t x1, int8_t w)
{
	in[PE_DSP_D] = ((uint64_t)(int64_t)x1 << 18) & ((1u << 27) - 1);
	in[PE_DSP_A] = (uint64_t)(int64_t)x0 & ((1u << 30) - 1);
	in[PE_DSP_B] = (uint64_t)(int64_t)w & ((1u << 18) - 1);
}

static void test_ports(void **state)
{
	(void)state;
	assert_int_equal(ops->version, RTL_MODEL_VERSION);
	assert_string_equal(ops->top, pe_dsp48e2_bt.rtl_top);
	assert_true(ops->clocked);
	assert_null(ops->set_reset);	/* the RST* ports are in the table */
	assert_int_equal(ops->n_in, pe_dsp48e2_bt.n_in);
	assert_int_equal(ops->n_out, pe_dsp48e2_bt.n_out);
	for (size_t i = 0; i < ops->n_in + ops->n_out; i++) {
		assert_string_equal(ops->ports[i].name, pe_dsp48e2_bt.ports[i].name);
		assert_int_equal(ops->ports[i].width, pe_dsp48e2_bt.ports[i].width);
	}
}

#define N_PACKED 600

static void test_packed_int8x2(void **state)
{
	int8_t x0[N_PACKED], x1[N_PACKED], w[N_PACKED];
	static const int8_t ext[] = { -128, 127, -1, 0, 1, -127 };
	struct rtl_model *m = ops->create();
	uint64_t in[PE_DSP_N_IN], out[PE_DSP_N_OUT];
	size_t checked = 0;
	(void)state;

	assert_non_null(m);
	rng_s = 7;
	for (int i = 0; i < N_PACKED; i++) {
		if (i < 216) {	/* every triple of the extremes */
			x0[i] = ext[i % 6];
			x1[i] = ext[i / 6 % 6];
			w[i] = ext[i / 36 % 6];
		} else {
			x0[i] = rnd_i8();
			x1[i] = rnd_i8();
			w[i] = rnd_i8();
		}
	}
	packed_idle(in);
	/* inputs at step t reach P after step t + 3 (A1/D/B1, AD/B2, M, P) */
	for (int t = 0; t < N_PACKED + 3; t++) {
		if (t < N_PACKED)
			pack(in, x0[t], x1[t], w[t]);
		rtl_model_cycle(ops, m, in, out);
		if (t < 3)
			continue;
		int j = t - 3;
		int64_t p0 = (int64_t)x0[j] * w[j], p1 = (int64_t)x1[j] * w[j];
		uint64_t want = (uint64_t)(p1 * 262144 + p0) & M48;
		if (out[0] != want || out[1] != want)
			fail_msg("vector %d: x0=%d x1=%d w=%d: P=0x%012llx PCOUT=0x%012llx, want 0x%012llx",
				 j, x0[j], x1[j], w[j], (unsigned long long)out[0],
				 (unsigned long long)out[1], (unsigned long long)want);
		/* the lanes, with the borrow of the low lane added back */
		assert_int_equal(tu_sext(out[0], 18), p0);
		assert_int_equal(tu_sext(out[0] >> 18, 30) + (int64_t)((out[0] >> 17) & 1), p1);
		checked++;
	}
	ops->destroy(m);
	assert_int_equal(checked, N_PACKED);
}

/* OPMODE and ALUMODE come straight from the fabric (OPMODEREG =
 * ALUMODEREG = 0): the P update of the product of step j happens at step
 * j + 3, so the mode goes 3 steps behind its data. */
static void run_stream(uint64_t alumode, int sign)
{
	enum { N = 300 };
	int8_t x0[N], x1[N], w[N];
	struct rtl_model *m = ops->create();
	uint64_t in[PE_DSP_N_IN], out[PE_DSP_N_OUT];
	int64_t acc = 0;

	assert_non_null(m);
	for (int i = 0; i < N; i++) {
		x0[i] = rnd_i8();
		x1[i] = rnd_i8();
		w[i] = rnd_i8();
	}
	packed_idle(in);
	in[PE_DSP_ALUMODE] = alumode;
	for (int t = 0; t < N + 3; t++) {
		if (t < N)
			pack(in, x0[t], x1[t], w[t]);
		in[PE_DSP_OPMODE] = t <= 3 ? PE_DSP_OPM_MUL_RESTART : PE_DSP_OPM_MUL_ACC;
		rtl_model_cycle(ops, m, in, out);
		if (t < 3)
			continue;
		int j = t - 3;
		int64_t prod = (int64_t)x1[j] * w[j] * 262144 + (int64_t)x0[j] * w[j];
		acc = (j == 0 ? 0 : acc) + sign * prod;
		if (out[0] != ((uint64_t)acc & M48))
			fail_msg("ALUMODE %llu step %d: P=0x%012llx, want 0x%012llx",
				 (unsigned long long)alumode, t,
				 (unsigned long long)out[0],
				 (unsigned long long)((uint64_t)acc & M48));
	}
	ops->destroy(m);
}

static void test_accumulate(void **state)
{
	(void)state;
	rng_s = 11;
	run_stream(0x0, +1);	/* P <- P + M */
	run_stream(0x3, -1);	/* P <- P - M (Z - (W + X + Y + CIN)) */
}

/* Random stimulus: every port random, clock enables mostly on, resets
 * rare, so that registers hold values long enough to matter. */
static void random_inputs(uint64_t *in)
{
	for (size_t p = 0; p < PE_DSP_N_IN; p++) {
		uint64_t r = rnd();
		uint8_t wd = pe_dsp48e2_bt.ports[p].width;
		if (p >= PE_DSP_CEA1 && p <= PE_DSP_CECARRYIN)
			in[p] = (r & 7) != 0;		/* 7/8 enabled */
		else if (p >= PE_DSP_RSTA)
			in[p] = (r & 63) == 0;		/* 1/64 reset */
		else
			in[p] = wd >= 64 ? r : r & ((1ull << wd) - 1);
	}
	/* half the time the packed MAC's own modes, so products reach P */
	if (rnd() & 1) {
		in[PE_DSP_INMODE] = PE_DSP_INMODE_PACKED;
		in[PE_DSP_OPMODE] = (rnd() & 1) ? PE_DSP_OPM_MUL_ACC : PE_DSP_OPM_MUL_PCIN;
		in[PE_DSP_ALUMODE] = (rnd() & 1) ? 0x0 : 0x3;
	}
}

/* Step the RTL and a C model configured by prm in lockstep; the cycle of
 * the first divergence (printed with the inputs), or -1. */
static long lockstep(const struct pe_dsp48e2_params *prm, long cycles, bool quiet)
{
	struct pe_dsp48e2 c;
	struct ps_err err;
	struct rtl_model *m = ops->create();
	uint64_t in[PE_DSP_N_IN], want[PE_DSP_N_OUT], got[PE_DSP_N_OUT];

	assert_non_null(m);
	if (pe_dsp48e2_init(&c, prm, &err))
		fail_msg("%s", err.msg);
	rng_s = 48;
	for (long t = 0; t < cycles; t++) {
		random_inputs(in);
		pe_dsp48e2_step(&c, in, want);
		rtl_model_cycle(ops, m, in, got);
		for (size_t o = 0; o < PE_DSP_N_OUT; o++) {
			if (got[o] == want[o])
				continue;
			if (!quiet) {
				printf("# first divergence at cycle %ld, port %s: C 0x%012llx RTL 0x%012llx\n# inputs:",
				       t, ops->ports[ops->n_in + o].name,
				       (unsigned long long)want[o], (unsigned long long)got[o]);
				for (size_t p = 0; p < PE_DSP_N_IN; p++)
					printf(" %s=0x%llx", ops->ports[p].name,
					       (unsigned long long)in[p]);
				printf("\n");
			}
			ops->destroy(m);
			return t;
		}
	}
	ops->destroy(m);
	return -1;
}

static void test_lockstep_c_model(void **state)
{
	struct pe_dsp48e2_params prm;
	long t;
	(void)state;

	pe_dsp48e2_params_packed(&prm);
	t = lockstep(&prm, LOCKSTEP_CYCLES, false);
	if (t >= 0)
		fail_msg("RTL and C model diverge at cycle %ld", t);
	printf("# dsp48e2: %d random cycles, RTL = C model on P and PCOUT\n",
	       LOCKSTEP_CYCLES);
}

/* The check can fail: a C model one B register short (BREG = 1) must
 * diverge from the RTL (BREG = 2) within a few cycles. */
static void test_lockstep_catches_breg(void **state)
{
	struct pe_dsp48e2_params prm;
	long t;
	(void)state;

	pe_dsp48e2_params_packed(&prm);
	prm.BREG = prm.BCASCREG = 1;
	t = lockstep(&prm, 1000, true);
	assert_true(t >= 0);
	printf("# broken C model (BREG = 1) caught at cycle %ld\n", t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_packed_int8x2),
		cmocka_unit_test(test_accumulate),
		cmocka_unit_test(test_lockstep_c_model),
		cmocka_unit_test(test_lockstep_catches_breg),
	};
	return cmocka_run_group_tests_name("rtl_dsp48e2", tests, NULL, NULL);
}

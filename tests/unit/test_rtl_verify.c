/* test_rtl_verify.c - `pesim verify`'s library (rtl/rtl_verify.h): the
 * baseline PEs' Verilated RTL (rtl/baseline/) in lockstep with their golden
 * C models, fp16_mac and int8_mac.
 *
 * Each real PE: 1 reset + the corners + 10^5 random edges, every output
 * port after every edge, 0 mismatches (PS_OK). Each mutant build
 * (MUTANT_FP16_FTZ, MUTANT_INT8_ACC16) on the same stimulus: a mismatch
 * reported (cycle, port, expected != actual), PS_ECHECK (exit 1) and a
 * VCD of the edges around it and an FST of the RTL re-run. Operands from
 * a GEMM (what `--trace` gives) match too. An unknown PE, or an RTL whose
 * port table differs from the model's, is PS_EINPUT (exit 2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ps_status.h"
#include "fmt.h"
#include "pe_bt.h"
#include "rtl_family.h"
#include "rtl_verify.h"
#include "test_util.h"

#define RANDOM_EDGES 100000u

static void run_real(const char *pe, uint64_t seed)
{
	struct rtl_verify_opts o = { .pe = rtl_verify_find(pe), .random = RANDOM_EDGES,
				     .seed = seed, .log = stdout };
	struct rtl_verify_result r;

	tu_verify_ok(&o, &r);
	assert_true(r.cycles >= 100000);
	assert_int_equal(r.values, 2 * r.cycles);
	assert_true(r.beats > r.cycles / 2);
	assert_true(r.changes > 1000);
	assert_true(r.resets >= 1);
}

/* A PE (fp16_mac, int8_mac), seeds 1 and 2. */
static void test_pe(void **state)
{
	run_real(*state, 1);
	run_real(*state, 2);
}

/* A PE's mutant (its output out_acc wrong), with the VCD and FST around
 * the mismatch. */
static void test_mutant(void **state)
{
	const char *pe = *state;
	char path[] = "/tmp/pesim-test-verify-XXXXXX";
	char fst[] = "/tmp/pesim-test-verify-fst-XXXXXX";
	tu_mkstemp(path);
	tu_mkstemp(fst);

	struct rtl_verify_opts o = { .pe = rtl_verify_find(pe), .mutant = true,
				     .random = RANDOM_EDGES, .seed = 1,
				     .vcd_path = path, .fst_path = fst,
				     .window = 16, .log = stdout };
	struct rtl_verify_result r;
	struct ps_err err = { "" };

	tu_verify_mutant(&o, "out_acc", &r, &err);

	/* the VCD: 16 edges before, the mismatch, 5 after */
	assert_true(r.vcd_written);
	assert_int_equal(r.vcd_last, r.cycle + 5);
	assert_int_equal(r.vcd_first, r.cycle - 16);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[512];
	int defs = 0, mismatch_var = 0, flagged = 0, times = 0, ps = 0;
	unsigned long long t0 = 0, tn = 0;
	while (fgets(line, sizeof line, f)) {
		defs += !strcmp(line, "$enddefinitions $end\n");
		mismatch_var += strstr(line, "$var wire 1 $ mismatch $end") != NULL;
		flagged += !strcmp(line, "1$\n");
		ps += !strcmp(line, "$timescale 1ps $end\n");
		if (line[0] == '#') {
			tn = strtoull(line + 1, NULL, 10);
			if (!times++)
				t0 = tn;
		}
	}
	fclose(f);
	unlink(path);
	assert_int_equal(defs, 1);
	assert_int_equal(mismatch_var, 1);
	assert_true(flagged >= 1);
	assert_int_equal(times, 2 * 22 + 1);
	/* on the FST's time axis: 1 ps units, edge c at 2c (clock low) and
	 * 2c + 1 (clock high), from reset */
	assert_int_equal(ps, 1);
	assert_int_equal(t0, 2 * r.vcd_first);
	assert_int_equal(tn, 2 * r.vcd_last + 2);

	/* the FST of the RTL re-run: Verilator's writer, header block 0:
	 * start and end time (big-endian u64 at 9 and 17), timescale (10^x s,
	 * int8 at 73) - the VCD's axis */
	assert_true(r.fst_written);
	f = fopen(fst, "rb");
	assert_non_null(f);
	unsigned char hdr[74];
	assert_int_equal(fread(hdr, 1, sizeof hdr, f), sizeof hdr);
	assert_int_equal(hdr[0], 0);
	unsigned long long fs = 0, fe = 0;
	for (int i = 0; i < 8; i++) {
		fs = fs << 8 | hdr[9 + i];
		fe = fe << 8 | hdr[17 + i];
	}
	assert_int_equal(fs, 2 * r.vcd_first);
	assert_int_equal(fe, 2 * r.vcd_last + 1);
	assert_int_equal((signed char)hdr[73], -12);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	unlink(fst);
	printf("%s mutant: FST %ld bytes\n", pe, size);
	assert_true(size > 200);
}

/* Trace operands: a small GEMM's rows as the dots (FP16 weights for
 * fp16_mac, INT8 codes for int8_mac); the run must match and use them. */
static void test_gemm_operands(void **state)
{
	(void)state;
	enum { M = 5, K = 37, N = 3 };
	static uint16_t a[M * K], w[N * K];
	static uint8_t codes[N * K];
	static const float scale[N] = { 1, 1, 1 };
	uint64_t s = 42;

	for (int i = 0; i < M * K; i++)
		a[i] = (uint16_t)(rtl_stim_rnd(&s) & 0xbfff);	/* |x| < 2 */
	for (int i = 0; i < N * K; i++) {
		w[i] = (uint16_t)(rtl_stim_rnd(&s) & 0xbfff);
		codes[i] = (uint8_t)rtl_stim_rnd(&s);
		if (codes[i] == 0x80)	/* reserved in int8 */
			codes[i] = 0x81;
	}
	struct pe_gemm g16 = { .M = M, .K = K, .N = N, .a = a, .w_f16 = w,
			       .fmt = FMT_FP16 };
	struct pe_gemm g8 = { .M = M, .K = K, .N = N, .a = a, .codes = codes,
			      .fmt = FMT_INT8, .n_groups = 1, .scale = scale };
	const struct { const char *pe; const struct pe_gemm *g; } runs[] = {
		{ "fp16_mac", &g16 }, { "int8_mac", &g8 },
		/* K = 37: the last beat of a dot has one element, 3 zeros */
		{ "fp16_dp4", &g16 }, { "int8_dp4", &g8 },
	};
	for (size_t i = 0; i < 4; i++) {
		struct rtl_verify_opts o = { .pe = rtl_verify_find(runs[i].pe),
					     .random = 20000, .seed = 5,
					     .gemm = runs[i].g };
		struct rtl_verify_result r;
		tu_verify_ok(&o, &r);
		assert_true(r.beats > (i < 2 ? 10000 : 2500));
	}
	/* FP16 weights are required for fp16_mac */
	tu_verify_gemm_refused("fp16_mac", &g8, "FP16");
}

static void test_registry(void **state)
{
	(void)state;
	struct rtl_verify_opts o = { .pe = NULL, .random = 10 };

	tu_verify_refused(&o, NULL);
	assert_null(rtl_verify_find("no_such_pe"));
	assert_null(rtl_verify_find(NULL));
	const struct rtl_verify_pe *p = rtl_verify_find("int8_mac");
	assert_non_null(p);
	assert_string_equal(p->golden, "int8_mac");
	/* a family name finds its first PE */
	assert_ptr_equal(rtl_verify_find("int8"), p);
	/* by parameters: a_bits 8 matches, 16 does not */
	struct pe_params pp = { .a_bits = 8, .lanes = 1 };
	assert_ptr_equal(rtl_verify_match("int8", &pp), p);
	/* 4 lanes: the DP4 unit */
	pp.lanes = 4;
	assert_ptr_equal(rtl_verify_match("int8", &pp), rtl_verify_find("int8_dp4"));
	pp.lanes = 2;
	assert_null(rtl_verify_match("int8", &pp));
	pp.lanes = 1;
	pp.a_bits = 16;
	assert_null(rtl_verify_match("int8", &pp));

	/* a RTL whose ports differ from the golden model's: refused */
	struct rtl_verify_pe bad = *p;
	bad.rtl = rtl_verify_find("fp16_mac")->rtl;
	o.pe = &bad;
	tu_verify_refused(&o, "differ");
}

struct walk {
	const struct rtl_verify_pe *seen[64];
	size_t n;
};

static void walk_one(const struct rtl_verify_pe *pe, void *ctx)
{
	struct walk *w = ctx;
	assert_true(w->n < 64);
	w->seen[w->n++] = pe;
}

/* The registry is the families' verify tables in families.def order;
 * each PE names the family that lists it, has a golden model, an RTL and
 * a mutant build, and a name no other PE has. */
static void test_families(void **state)
{
	struct walk w = { .n = 0 };
	size_t k = 0;
	(void)state;

	rtl_verify_each(walk_one, &w);
	for (const struct rtl_family_entry *f = rtl_families; f->name; f++) {
		if (!f->rtl->verify)	/* bitfusion, olive: no RTL yet */
			assert_null(f->rtl->designs);
		for (const struct rtl_verify_pe *p = f->rtl->verify; p && p->name;
		     p++, k++) {
			assert_ptr_equal(w.seen[k], p);
			assert_string_equal(p->family, f->name);
			assert_non_null(pe_bt_find(p->golden));
			assert_non_null(p->rtl);
			assert_non_null(p->mutant);
			assert_non_null(p->stim);
			assert_ptr_equal(rtl_verify_find(p->name), p);
		}
	}
	assert_int_equal(k, w.n);
	assert_string_equal(w.seen[0]->name, "fp16_mac");
	assert_ptr_equal(rtl_verify_find("ant"), rtl_verify_find("ant_mac"));
	assert_null(rtl_verify_find("olive"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST_ARG("test_fp16_mac", test_pe, "fp16_mac"),
		TU_TEST_ARG("test_int8_mac", test_pe, "int8_mac"),
		TU_TEST_ARG("test_fp16_mac_mutant", test_mutant, "fp16_mac"),
		TU_TEST_ARG("test_int8_mac_mutant", test_mutant, "int8_mac"),
		/* the DP4 units (4 lanes a beat) the LUT Tensor Core is
		 * compared with */
		TU_TEST_ARG("test_fp16_dp4", test_pe, "fp16_dp4"),
		TU_TEST_ARG("test_int8_dp4", test_pe, "int8_dp4"),
		TU_TEST_ARG("test_fp16_dp4_mutant", test_mutant, "fp16_dp4"),
		TU_TEST_ARG("test_int8_dp4_mutant", test_mutant, "int8_dp4"),
		cmocka_unit_test(test_gemm_operands),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_families),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

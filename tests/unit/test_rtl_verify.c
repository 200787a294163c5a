/* test_rtl_verify.c - `pesim verify`'s library (rtl/rtl_verify.h): the
 * baseline PEs' Verilated RTL (rtl/baseline/) in lockstep with their golden
 * C models, fp16_mac and int8_mac.
 *
 * Each real PE: 1 reset + the corners + 10^5 random edges, every output
 * port after every edge, 0 mismatches (PS_OK). Each mutant build
 * (MUTANT_FP16_FTZ, MUTANT_INT8_ACC16) on the same stimulus: a mismatch
 * reported (cycle, port, expected != actual), PS_ECHECK (exit 1) and a
 * VCD of the edges around it. An unknown PE is PS_EINPUT (exit 2). */
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
#include "rtl_verify.h"

#define RANDOM_EDGES 100000u

static void run_real(const char *pe, uint64_t seed)
{
	struct rtl_verify_opts o = { .pe = pe, .random = RANDOM_EDGES,
				     .seed = seed, .log = stdout };
	struct rtl_verify_result r;
	struct ps_err err = { "" };

	enum ps_status st = rtl_verify(&o, &r, &err);
	if (st != PS_OK)
		print_error("%s: %s\n", pe, err.msg);
	assert_int_equal(st, PS_OK);
	assert_false(r.mismatch);
	assert_int_equal(r.random_edges, RANDOM_EDGES);
	assert_int_equal(r.cycles, 1 + r.corner_edges + RANDOM_EDGES);
	assert_true(r.cycles >= 100000);
	assert_int_equal(r.values, 2 * r.cycles);
	assert_true(r.beats > r.cycles / 2);
	assert_true(r.results > 1000);
	assert_true(r.resets >= 1);
	printf("%s seed %llu: %llu cycles, %llu values compared, 0 mismatches "
	       "(%llu beats, %llu results, %llu resets)\n", pe,
	       (unsigned long long)seed, (unsigned long long)r.cycles,
	       (unsigned long long)r.values, (unsigned long long)r.beats,
	       (unsigned long long)r.results, (unsigned long long)r.resets);
}

static void test_fp16_mac(void **state)
{
	(void)state;
	run_real("fp16_mac", 1);
	run_real("fp16_mac", 2);
}

static void test_int8_mac(void **state)
{
	(void)state;
	run_real("int8_mac", 1);
	run_real("int8_mac", 2);
}

static void run_mutant(const char *pe, const char *port)
{
	char path[] = "/tmp/pesim-test-verify-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);

	struct rtl_verify_opts o = { .pe = pe, .mutant = true,
				     .random = RANDOM_EDGES, .seed = 1,
				     .vcd_path = path, .window = 16,
				     .log = stdout };
	struct rtl_verify_result r;
	struct ps_err err = { "" };

	enum ps_status st = rtl_verify(&o, &r, &err);
	printf("%s mutant: %s\n", pe, err.msg);
	assert_int_equal(st, PS_ECHECK);
	assert_int_equal(ps_exit_code(st), 1);
	assert_true(r.mismatch);
	assert_string_equal(r.port, port);
	assert_true(r.expected != r.actual);
	assert_non_null(strstr(err.msg, "mismatch at cycle"));
	/* the run stops a few edges after the mismatch */
	assert_int_equal(r.cycles, r.cycle + 1 + 16 / 4 + 1);

	/* the VCD: 16 edges before, the mismatch, 5 after */
	assert_true(r.vcd_written);
	assert_int_equal(r.vcd_last, r.cycle + 5);
	assert_int_equal(r.vcd_first, r.cycle - 16);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[512];
	int defs = 0, mismatch_var = 0, flagged = 0, times = 0;
	while (fgets(line, sizeof line, f)) {
		defs += !strcmp(line, "$enddefinitions $end\n");
		mismatch_var += strstr(line, "$var wire 1 $ mismatch $end") != NULL;
		flagged += !strcmp(line, "1$\n");
		times += line[0] == '#';
	}
	fclose(f);
	unlink(path);
	assert_int_equal(defs, 1);
	assert_int_equal(mismatch_var, 1);
	assert_true(flagged >= 1);
	assert_int_equal(times, 2 * 22 + 1);
}

static void test_fp16_mac_mutant(void **state)
{
	(void)state;
	run_mutant("fp16_mac", "out_acc");
}

static void test_int8_mac_mutant(void **state)
{
	(void)state;
	run_mutant("int8_mac", "out_acc");
}

static void test_bad_pe(void **state)
{
	(void)state;
	struct rtl_verify_opts o = { .pe = "bitmod_pe", .random = 10 };
	struct rtl_verify_result r;
	struct ps_err err = { "" };

	assert_int_equal(rtl_verify(&o, &r, &err), PS_EINPUT);
	assert_int_equal(ps_exit_code(PS_EINPUT), 2);
	assert_null(rtl_verify_find("bitmod_pe"));
	assert_non_null(rtl_verify_find("int8_mac"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fp16_mac),
		cmocka_unit_test(test_int8_mac),
		cmocka_unit_test(test_fp16_mac_mutant),
		cmocka_unit_test(test_int8_mac_mutant),
		cmocka_unit_test(test_bad_pe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

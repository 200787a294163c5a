/* test_rtl_systemc.c - the SystemC MixPE array (rtl/systemc/rtl_sc.h): PEs 0
 * and 5 the Verilated RTL (verilator --sc), the other 14 the golden C model
 * in an sc_module, against the golden C array "mixpe_array" every cycle.
 *
 * SystemC elaborates once per process, so each configuration is its own
 * run of this program (tests/meson.build): no argument, the correct RTL,
 * >= 10^5 random edges + the corners, 0 mismatches; `--mutant`, PE 5 the
 * MUTANT_NO_ZERO_TERM build: a mismatch reported (PS_ECHECK, where). Both
 * also check that a second elaboration is refused (PS_EINPUT). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ps_status.h"
#include "rtl_sc.h"

#define RANDOM_EDGES 100000u
#define RTL_PES ((1u << 0) | (1u << 5))

static void second_call_refused(void)
{
	struct rtl_sc_opts o = { .rtl_pes = RTL_PES, .random = 10, .seed = 1 };
	struct rtl_sc_result r;
	struct ps_err err = { "" };

	assert_true(rtl_sc_elaborated());
	assert_int_equal(rtl_sc_verify(&o, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "one elaboration"));
	printf("second call: %s\n", err.msg);
}

static void test_real(void **state)
{
	struct rtl_sc_opts o = { .rtl_pes = RTL_PES, .random = RANDOM_EDGES, .seed = 1,
				 .log = stdout };
	struct rtl_sc_result r;
	struct ps_err err = { "" };
	(void)state;

	assert_false(rtl_sc_elaborated());
	enum ps_status st = rtl_sc_verify(&o, &r, &err);
	if (st != PS_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(st, PS_OK);
	assert_false(r.mismatch);
	assert_int_equal(r.rtl_count, 2);
	assert_int_equal(r.mutant_pe, -1);
	assert_int_equal(r.random_edges, RANDOM_EDGES);
	assert_true(r.corner_edges > 400);
	assert_int_equal(r.cycles, 1 + r.corner_edges + RANDOM_EDGES);
	assert_int_equal(r.values, 2 * r.cycles);
	assert_true(r.beats > r.cycles / 2);
	assert_true(r.results > 10000);
	assert_true(r.resets >= 2);
	second_call_refused();
}

static void test_mutant(void **state)
{
	struct rtl_sc_opts o = { .rtl_pes = RTL_PES, .mutant = true,
				 .random = RANDOM_EDGES, .seed = 1, .log = stdout };
	struct rtl_sc_result r;
	struct ps_err err = { "" };
	(void)state;

	enum ps_status st = rtl_sc_verify(&o, &r, &err);
	printf("mutant PE 5: %s\n", err.msg);
	assert_int_equal(st, PS_ECHECK);
	assert_int_equal(r.mutant_pe, 5);
	assert_true(r.mismatch);
	assert_true(!strcmp(r.port, "out_data") || !strcmp(r.port, "out_valid"));
	assert_true(r.expected != r.actual);
	assert_int_equal(r.cycles, r.cycle + 1);
	assert_non_null(strstr(err.msg, "mismatch at cycle"));
	second_call_refused();
}

int main(int argc, char **argv)
{
	bool mutant = argc > 1 && !strcmp(argv[1], "--mutant");
	const struct CMUnitTest real[] = { cmocka_unit_test(test_real) };
	const struct CMUnitTest mut[] = { cmocka_unit_test(test_mutant) };

	if (argc > 1 && !mutant) {
		fprintf(stderr, "usage: %s [--mutant]\n", argv[0]);
		return 2;
	}
	return mutant ? cmocka_run_group_tests_name("rtl_systemc_mutant", mut, NULL, NULL)
		      : cmocka_run_group_tests_name("rtl_systemc", real, NULL, NULL);
}

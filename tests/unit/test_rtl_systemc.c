/* test_rtl_systemc.c - the families' SystemC arrays (rtl/systemc/rtl_sc.h):
 * some PEs the Verilated RTL, the others the golden C PE model, each in an
 * sc_module, against the golden C array every edge.
 *
 * SystemC elaborates once per process, so each configuration is its own
 * run of this program (tests/meson.build): `ARRAY PES` runs the array with
 * the PEs of the list in RTL on its corners and RANDOM_EDGES random edges
 * and expects 0 mismatches; `ARRAY PES --mutant` makes the highest listed
 * PE the mutant build and expects the mismatch reported (PS_ECHECK, where).
 * Both first check the descriptor and the inputs refused before any
 * elaboration, and afterwards that a second elaboration is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ps_status.h"
#include "rtl_family.h"
#include "rtl_sc.h"

#define RANDOM_EDGES 100000u

static const struct rtl_sc_array *arr;
static uint64_t pes;
static int highest = -1;

static unsigned popcount(uint64_t m)
{
	return (unsigned)__builtin_popcountll(m);
}

/* Every array is found by its name, and under its own family's RTL
 * descriptor (rtl_family.systemc). */
static void count_one(const struct rtl_sc_array *a, void *ctx)
{
	const struct rtl_family_entry *f = rtl_family_find(a->family);
	bool listed = false;
	assert_ptr_equal(rtl_sc_find(a->name), a);
	assert_non_null(f);
	for (const struct rtl_sc_array *const *l = f->rtl->systemc; l && *l; l++)
		listed |= *l == a;
	assert_true(listed);
	(*(unsigned *)ctx)++;
}

/* The registry and what is refused before elaboration. */
static void check_descriptor(void)
{
	struct rtl_sc_opts o = { .random = 10, .seed = 1 };
	struct rtl_sc_result r;
	struct ps_err err = { "" };
	unsigned n = 0;

	rtl_sc_each(count_one, &n);
	assert_int_equal(n, 6);
	assert_ptr_equal(rtl_sc_find(arr->family), rtl_sc_find(arr->family));
	assert_string_equal(rtl_sc_find(arr->family)->family, arr->family);
	assert_null(rtl_sc_find("no_such_array"));
	assert_true(arr->n_pes >= 3 && arr->n_pes <= RTL_SC_MAX_PES);
	o.rtl_pes = 1ull << arr->n_pes;		/* beyond the last PE */
	assert_int_equal(arr->run(arr, &o, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "the array has PEs 0.."));
	o.rtl_pes = 0;
	o.mutant = true;			/* a mutant needs an RTL PE */
	assert_int_equal(arr->run(arr, &o, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "mutant needs an RTL PE"));
	assert_false(rtl_sc_elaborated());
}

static void refused_one(const struct rtl_sc_array *a, void *ctx)
{
	struct rtl_sc_result r;
	struct ps_err err = { "" };
	assert_int_equal(a->run(a, ctx, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "one elaboration"));
}

static void second_call_refused(void)
{
	struct rtl_sc_opts o = { .rtl_pes = pes, .random = 10, .seed = 1 };
	struct rtl_sc_result r;
	struct ps_err err = { "" };

	assert_true(rtl_sc_elaborated());
	rtl_sc_each(refused_one, &o);
	assert_int_equal(arr->run(arr, &o, &r, &err), PS_EINPUT);
	printf("second call: %s\n", err.msg);
}

static void test_real(void **state)
{
	struct rtl_sc_opts o = { .rtl_pes = pes, .random = RANDOM_EDGES, .seed = 1,
				 .log = stdout };
	struct rtl_sc_result r;
	struct ps_err err = { "" };
	(void)state;

	check_descriptor();
	enum ps_status st = arr->run(arr, &o, &r, &err);
	if (st != PS_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(st, PS_OK);
	assert_false(r.mismatch);
	assert_int_equal(r.rtl_count, popcount(pes));
	assert_int_equal(r.mutant_pe, -1);
	assert_int_equal(r.random_edges, RANDOM_EDGES);
	assert_true(r.corner_edges > 400);
	assert_int_equal(r.cycles, 1 + r.corner_edges + RANDOM_EDGES);
	assert_true(r.values > r.cycles && r.values % r.cycles == 0);
	assert_true(r.changes > r.cycles / 20);	/* the outputs do move */
	assert_true(r.resets >= 1);
	second_call_refused();
}

static void test_mutant(void **state)
{
	struct rtl_sc_opts o = { .rtl_pes = pes, .mutant = true,
				 .random = RANDOM_EDGES, .seed = 1, .log = stdout };
	struct rtl_sc_result r;
	struct ps_err err = { "" };
	(void)state;

	check_descriptor();
	enum ps_status st = arr->run(arr, &o, &r, &err);
	printf("mutant PE %d: %s\n", highest, err.msg);
	assert_int_equal(st, PS_ECHECK);
	assert_int_equal(r.mutant_pe, highest);
	assert_int_equal(r.rtl_count, popcount(pes));
	assert_true(r.mismatch);
	assert_non_null(r.port);
	assert_true(r.expected != r.actual);
	assert_int_equal(r.cycles, r.cycle + 1);
	assert_non_null(strstr(err.msg, "mismatch at cycle"));
	second_call_refused();
}

/* "0,5,12" -> mask; false on a bad list */
static bool parse_pes(const char *s, uint64_t *m)
{
	char *end;

	*m = 0;
	do {
		unsigned long v = strtoul(s, &end, 10);
		if (end == s || v >= RTL_SC_MAX_PES || (*end && *end != ','))
			return false;
		*m |= 1ull << v;
		highest = (int)v > highest ? (int)v : highest;
		s = *end ? end + 1 : end;
	} while (*s);
	return true;
}

int main(int argc, char **argv)
{
	bool mutant = argc == 4 && !strcmp(argv[3], "--mutant");
	const struct CMUnitTest real[] = { cmocka_unit_test(test_real) };
	const struct CMUnitTest mut[] = { cmocka_unit_test(test_mutant) };

	if ((argc != 3 && !mutant) || !(arr = rtl_sc_find(argv[1])) ||
	    !parse_pes(argv[2], &pes)) {
		fprintf(stderr, "usage: %s ARRAY PE,PE,... [--mutant]\n", argv[0]);
		return 2;
	}
	return mutant ? cmocka_run_group_tests_name("rtl_systemc_mutant", mut, NULL, NULL)
		      : cmocka_run_group_tests_name("rtl_systemc", real, NULL, NULL);
}

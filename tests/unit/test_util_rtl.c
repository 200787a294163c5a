/* test_util_rtl.c - the `pesim verify` helpers of test_util.h (their own
 * object, built with -Drtl, so tests without RTL do not link rtl/). */
#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cfg_arch.h"
#include "pe.h"
#include "ps_status.h"
#include "rtl_verify.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void tu_verify_ok(const struct rtl_verify_opts *o, struct rtl_verify_result *r)
{
	struct ps_err err = { "" };
	double t0 = now();

	assert_non_null(o->pe);
	enum ps_status st = rtl_verify(o, r, &err);
	if (st != PS_OK)
		print_error("%s: %s\n", o->pe->name, err.msg);
	assert_int_equal(st, PS_OK);
	assert_false(r->mismatch);
	assert_int_equal(r->random_edges, o->random);
	assert_int_equal(r->cycles, 1 + r->corner_edges + o->random);
	printf("%s seed %llu%s: %llu cycles (%llu corner), %llu values compared, "
	       "0 mismatches (%llu beats, %llu output changes, %llu resets), "
	       "%.1f s\n", o->pe->name, (unsigned long long)o->seed,
	       o->gemm ? ", GEMM operands" : "", (unsigned long long)r->cycles,
	       (unsigned long long)r->corner_edges, (unsigned long long)r->values,
	       (unsigned long long)r->beats, (unsigned long long)r->changes,
	       (unsigned long long)r->resets, now() - t0);
}

void tu_verify_mutant(const struct rtl_verify_opts *o, const char *port,
		      struct rtl_verify_result *r, struct ps_err *err)
{
	size_t n = strlen(port);

	assert_non_null(o->pe);
	assert_true(o->mutant);
	enum ps_status st = rtl_verify(o, r, err);
	printf("%s mutant %s: %s\n", o->pe->name, o->pe->mutant_define, err->msg);
	assert_int_equal(st, PS_ECHECK);
	assert_int_equal(ps_exit_code(st), 1);
	assert_true(r->mismatch);
	assert_non_null(r->port);
	if (n && port[n - 1] == '_')
		assert_true(!strncmp(r->port, port, n));
	else
		assert_string_equal(r->port, port);
	assert_true(r->expected != r->actual);
	assert_non_null(strstr(err->msg, "mismatch at cycle"));
	/* the run stops window / 4 + 1 edges after the mismatch */
	assert_int_equal(r->cycles, r->cycle + 1 + (o->window ? o->window : 32) / 4 + 1);
}

void tu_verify_corner_mutant(const char *pe, const char *define,
			     const char *port, uint64_t random)
{
	struct rtl_verify_opts o = { .pe = rtl_verify_find(pe), .mutant = true,
				     .random = random, .seed = 1, .window = 16 };
	struct rtl_verify_result r;
	struct ps_err err = { "" };

	assert_non_null(o.pe);
	assert_string_equal(o.pe->mutant_define, define);
	tu_verify_mutant(&o, port, &r, &err);
	assert_true(r.cycle <= r.corner_edges);
}

void tu_verify_refused(const struct rtl_verify_opts *o, const char *msg)
{
	struct rtl_verify_result r;
	struct ps_err err = { "" };
	enum ps_status st = rtl_verify(o, &r, &err);

	printf("refused: %s\n", err.msg);
	assert_int_equal(st, PS_EINPUT);
	assert_int_equal(ps_exit_code(st), 2);
	if (msg)
		assert_non_null(strstr(err.msg, msg));
}

void tu_verify_gemm_refused(const char *pe, const struct pe_gemm *g, const char *msg)
{
	struct rtl_verify_opts o = { .pe = rtl_verify_find(pe), .random = 10, .gemm = g };

	assert_non_null(o.pe);
	tu_verify_refused(&o, msg);
}

void tu_verify_config(const char *path, const char *family,
		      const struct rtl_verify_pe *pe, struct pe_params *pp)
{
	struct cfg_arch a;
	struct ps_err err = { "" };

	assert_non_null(pe);
	if (pe_arch_load(path, &a, &err) != PS_OK)
		fail_msg("%s", err.msg);
	assert_string_equal(a.pe.family_name, pe->family);
	for (int ph = 0; ph < 2; ph++) {
		memset(&pp[ph], 0, sizeof pp[ph]);
		pe_params_from_arch(&a, NULL, ph, &pp[ph]);
		assert_ptr_equal(rtl_verify_match(family, &pp[ph]), pe);
	}
}

/* test_rtl_bitmod.c - the BitMoD RTL (rtl/bitmod/: bitmod_pe.v and
 * bitmod_array4x4.v) in lockstep with its golden C models "bitmod_pe" and
 * "bitmod_array4x4" through `pesim verify`'s library (rtl/rtl_verify.h).
 *
 * Each configuration ("bitmod" / "bitmod_array": 4 lanes, 8-bit group
 * scales, what bitmod-lossy.yaml and bitmod-lossless.yaml give;
 * "bitmod_l2_sb2" / "bitmod_array_l2_sb2": 2 lanes, 2-bit scales): 1 reset
 * + the corners + random edges (the PE 2 x 10^5 with the seed 7,
 * the array 10^5), every output port after every edge, 0 mismatches. Each
 * mutant (MUTANT_GRP_NOALIGN, MUTANT_EDGE_RTZ, MUTANT_DQ_NOCLEAR,
 * MUTANT_NO_COLLIDE) is caught, PS_ECHECK with the port and the cycle, and
 * caught again by the random edges alone (corners off) within 10^5 edges
 * for three seeds. `--config` of both BitMoD configurations finds
 * "bitmod". GEMM operands (what `--trace` gives): BitMoD-quantized groups
 * of mixed types and per-group-scaled INT6, 0 mismatches; a format the PE
 * cannot run is PS_EINPUT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg_arch.h"
#include "fmt.h"
#include "pe.h"
#include "ps_status.h"
#include "rtl_verify.h"
#include "test_util.h"

#define RANDOM_EDGES 100000u

/* Output ports: the PE 6, the array 3 per row + err. */
static size_t n_out(const char *pe)
{
	return strstr(pe, "array") ? 13 : 6;
}

/* A configuration's run: its name, random edges, seed. */
static const struct real {
	const char *pe;
	uint64_t random, seed;
} reals[] = {
	{ "bitmod", 200000, 7 },	/* the issue's `pesim verify --pe bitmod
					 * --random 200000 --seed 7` */
	{ "bitmod_array", RANDOM_EDGES, 1 },
	{ "bitmod_l2_sb2", RANDOM_EDGES, 1 },
	{ "bitmod_array_l2_sb2", RANDOM_EDGES, 1 },
	{ "bitmod_emax_all", RANDOM_EDGES, 1 },	/* the paper's exponent match */
};

static void test_real(void **state)
{
	const struct real *c = *state;
	struct rtl_verify_opts o = { .pe = rtl_verify_find(c->pe), .random = c->random,
				     .seed = c->seed, .log = stdout };
	struct rtl_verify_result r;

	assert_non_null(o.pe);
	assert_string_equal(o.pe->name, c->pe);
	tu_verify_ok(&o, &r);
	assert_true(r.corner_edges >= 9000);
	assert_int_equal(r.values, n_out(c->pe) * r.cycles);
	assert_true(r.beats > r.cycles / 2);
	/* outputs are a pulse per result (the PE) or a result every other
	 * edge per row (the array) */
	assert_true(r.changes > r.cycles / (strstr(c->pe, "array") ? 10 : 100));
	assert_true(r.resets >= 10);
}

/* The paper's exponent match (EMAX_ALL = 1, pe.emax_all): 0 mismatches
 * against its golden model; and each behaviour's RTL against the other's
 * golden model mismatches, so the option is real on both sides. */
static void test_emax_all(void **state)
{
	const struct rtl_verify_pe *all = rtl_verify_find("bitmod_emax_all");
	struct rtl_verify_pe cross[2] = { *all, *rtl_verify_find("bitmod") };
	void *real = (void *)&reals[4];
	(void)state;

	test_real(&real);
	assert_true(all->params.emax_all);
	assert_false(cross[1].params.emax_all);
	cross[0].params.emax_all = false;	/* EMAX_ALL RTL, default model */
	cross[1].params.emax_all = true;	/* default RTL, EMAX_ALL model */
	for (int k = 0; k < 2; k++) {
		struct rtl_verify_opts o = { .pe = &cross[k], .random = RANDOM_EDGES,
					     .seed = 1, .window = 16 };
		struct rtl_verify_result r;
		struct ps_err err = { "" };
		assert_int_equal(rtl_verify(&o, &r, &err), PS_ECHECK);
		printf("%s RTL against the %s exponent match: %s\n", cross[k].name,
		       k ? "paper's" : "default", err.msg);
		assert_true(r.mismatch);
	}
	/* an arch's pe.emax_all picks the build */
	struct pe_params pp = { .lanes = 4, .scale_bits = 8, .bit_serial = true,
				.emax_all = true };
	assert_ptr_equal(rtl_verify_match("bitmod", &pp), all);
	pp.emax_all = false;
	assert_ptr_equal(rtl_verify_match("bitmod", &pp), rtl_verify_find("bitmod"));
}

/* One mutant run; corners false: the random edges alone. Returns the
 * mismatch cycle. */
static uint64_t mutant_once(const char *pe, const char *define, bool corners,
			    uint64_t seed, const char *port_prefix,
			    uint64_t *corner_edges)
{
	struct rtl_verify_pe entry = *rtl_verify_find(pe);
	struct rtl_stim_ops no_corners = *entry.stim;
	struct rtl_verify_opts o = { .pe = &entry, .mutant = true,
				     .random = RANDOM_EDGES, .seed = seed,
				     .window = 16 };
	struct rtl_verify_result r;
	struct ps_err err = { "" };

	assert_string_equal(entry.mutant_define, define);
	if (!corners) {
		no_corners.corner_edges = NULL;
		entry.stim = &no_corners;
	}
	printf("%s mutant %s (%s, seed %llu)\n", pe, define,
	       corners ? "corners + random" : "random only", (unsigned long long)seed);
	tu_verify_mutant(&o, port_prefix, &r, &err);
	assert_true(r.cycle < 1 + r.corner_edges + RANDOM_EDGES);
	*corner_edges = r.corner_edges;
	return r.cycle;
}

static void run_mutant(const char *pe, const char *define, const char *port,
		       bool in_corners)
{
	uint64_t corners, c = mutant_once(pe, define, true, 1, port, &corners);
	if (in_corners)
		assert_true(c <= corners);
	for (uint64_t seed = 1; seed <= 3; seed++) {
		c = mutant_once(pe, define, false, seed, port, &corners);
		assert_int_equal(corners, 0);
		assert_true(c <= RANDOM_EDGES);
	}
}

/* The mutants: the configuration, its define, the port that shows it,
 * caught within the corners. MUTANT_GRP_NOALIGN (the authors'
 * grp_accum.v): the saturation corner (signs alternating: the
 * accumulator's exponent above the sum's). MUTANT_EDGE_RTZ: the first
 * inexact channel-scale product. MUTANT_DQ_NOCLEAR (the authors'
 * dequant.v): the second output. MUTANT_NO_COLLIDE: only tight outputs
 * (2, 4 or 6 edges apart, legal with SB = 2) collide without an overrun:
 * the random edges' tight runs; err is the port that shows it. */
static const struct mutant {
	const char *pe, *define, *port;
	bool in_corners;
} mutants[] = {
	{ "bitmod", "MUTANT_GRP_NOALIGN", "out_", true },
	{ "bitmod_array", "MUTANT_EDGE_RTZ", "y_", true },
	{ "bitmod_l2_sb2", "MUTANT_DQ_NOCLEAR", "out_", true },
	{ "bitmod_array_l2_sb2", "MUTANT_NO_COLLIDE", "err", false },
	/* MUTANT_DQ_NOCLEAR on the paper's exponent match's build */
	{ "bitmod_emax_all", "MUTANT_DQ_NOCLEAR", "out_", true },
};

static void test_mutant(void **state)
{
	const struct mutant *m = *state;
	run_mutant(m->pe, m->define, m->port, m->in_corners);
}

/* --config: both BitMoD configurations, both phases, pick "bitmod". */
static void test_config_match(void **state)
{
	static const char *const cfgs[] = {
		PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml",
		PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossless.yaml",
	};
	const struct rtl_verify_pe *pe = rtl_verify_find("bitmod");
	(void)state;

	assert_non_null(pe);
	assert_string_equal(pe->golden, "bitmod_pe");
	assert_string_equal(rtl_verify_find("bitmod_array")->golden,
			    "bitmod_array4x4");
	assert_string_equal(pe->family, "bitmod");
	for (int k = 0; k < 2; k++) {
		struct pe_params pp[2];
		tu_verify_config(cfgs[k], "bitmod", pe, pp);
	}
}

/* ---- GEMM operands ---- */

static uint64_t rnd(uint64_t *s)
{
	return rtl_stim_rnd(s);
}

struct gemm_data {
	struct pe_gemm g;
	uint16_t *a;
	uint8_t *codes, *gfmt, *sq;
	float *scale, *cs;
};

/* M x K x N with groups of 128 (the last one short); bitmod: a type per
 * group among every BitMoD FP3/FP4 type and INT6, integer group scales
 * and channel scales; else INT6 codes with a float scale per group (the
 * lossless configuration's int6-g128). */
static void gemm_make(struct gemm_data *d, bool bitmod, uint64_t seed)
{
	static const int types[] = {
		FMT_FP3_ER_POS, FMT_FP3_ER_NEG, FMT_FP3_EA_POS, FMT_FP3_EA_NEG,
		FMT_FP4_ER_POS, FMT_FP4_ER_NEG, FMT_FP4_EA_POS, FMT_FP4_EA_NEG,
		FMT_INT6, FMT_FP4,
	};
	const uint64_t M = 6, K = 300, N = 7, G = 128, ng = 3;
	uint64_t s = seed;

	memset(d, 0, sizeof *d);
	d->a = malloc(M * K * sizeof *d->a);
	d->codes = malloc(N * K);
	d->gfmt = malloc(N * ng);
	d->sq = malloc(N * ng);
	d->scale = malloc(N * ng * sizeof *d->scale);
	d->cs = malloc(N * sizeof *d->cs);
	assert_true(d->a && d->codes && d->gfmt && d->sq && d->scale && d->cs);
	for (uint64_t i = 0; i < M * K; i++)	/* |a| in 2^-4..2^3 */
		d->a[i] = (uint16_t)((rnd(&s) & 0x83ff) | (11 + rnd(&s) % 8) << 10);
	for (uint64_t i = 0; i < N * ng; i++) {
		d->gfmt[i] = bitmod ? (uint8_t)types[rnd(&s) % 10] : FMT_INT6;
		d->sq[i] = (uint8_t)(1 + rnd(&s) % 255);
		d->scale[i] = (float)(1e-3 * (1 + rnd(&s) % 100));
	}
	for (uint64_t n = 0; n < N; n++) {
		d->cs[n] = (float)(1e-4 * (1 + rnd(&s) % 50));
		for (uint64_t k = 0; k < K; k++)
			d->codes[n * K + k] = (uint8_t)(rnd(&s) &
				(fmt_get(d->gfmt[n * ng + k / G])->bits >= 6 ? 0x3f : 0xf));
	}
	d->g = (struct pe_gemm){ .M = M, .K = K, .N = N, .a = d->a,
				 .codes = d->codes, .group = (uint32_t)G,
				 .n_groups = ng };
	if (bitmod) {
		d->g.fmt = -1;
		d->g.gfmt = d->gfmt;
		d->g.scale_q = d->sq;
		d->g.chan_scale = d->cs;
	} else {
		d->g.fmt = FMT_INT6;
		d->g.scale = d->scale;
	}
}

static void gemm_free(struct gemm_data *d)
{
	TU_FREE(d->a, d->codes, d->gfmt, d->sq, d->scale, d->cs);
}

static void run_gemm(const char *pe, bool bitmod)
{
	struct gemm_data d;
	struct rtl_verify_opts o = { .pe = rtl_verify_find(pe), .random = 60000,
				     .seed = 3, .log = stdout };
	struct rtl_verify_result r;

	gemm_make(&d, bitmod, 11);
	o.gemm = &d.g;
	tu_verify_ok(&o, &r);
	assert_true(r.changes > 1000);
	printf("%s, GEMM operands (%s 6x300x7): %llu cycles, %llu output "
	       "changes, 0 mismatches\n", pe, bitmod ? "bitmod types" : "int6-g128",
	       (unsigned long long)r.cycles, (unsigned long long)r.changes);
	gemm_free(&d);
}

static void test_gemm_pe(void **state)
{
	(void)state;
	run_gemm("bitmod", true);
	run_gemm("bitmod", false);
}

static void test_gemm_array(void **state)
{
	(void)state;
	run_gemm("bitmod_array", true);
	run_gemm("bitmod_array", false);
}

/* A format the PE cannot run (FP6 weights) is refused. */
static void test_gemm_bad_format(void **state)
{
	struct gemm_data d;
	struct rtl_verify_opts o = { .pe = rtl_verify_find("bitmod_array"),
				     .random = 100, .seed = 1 };
	(void)state;

	gemm_make(&d, false, 5);
	d.g.fmt = FMT_FP6_E2M3;
	o.gemm = &d.g;
	tu_verify_refused(&o, "not a BitMoD type");
	gemm_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TU_TEST_ARG("test_pe", test_real, &reals[0]),
		TU_TEST_ARG("test_array", test_real, &reals[1]),
		TU_TEST_ARG("test_pe_l2_sb2", test_real, &reals[2]),
		TU_TEST_ARG("test_array_l2_sb2", test_real, &reals[3]),
		TU_TEST_ARG("test_mutant_grp_noalign", test_mutant, &mutants[0]),
		TU_TEST_ARG("test_mutant_edge_rtz", test_mutant, &mutants[1]),
		TU_TEST_ARG("test_mutant_dq_noclear", test_mutant, &mutants[2]),
		TU_TEST_ARG("test_mutant_no_collide", test_mutant, &mutants[3]),
		cmocka_unit_test(test_emax_all),
		TU_TEST_ARG("test_mutant_emax_all", test_mutant, &mutants[4]),
		cmocka_unit_test(test_config_match),
		cmocka_unit_test(test_gemm_pe),
		cmocka_unit_test(test_gemm_array),
		cmocka_unit_test(test_gemm_bad_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_pe_timing.c - systolic tile timing (pe_models/pe_systolic.c) on a 4x4
 * array against cycles counted by hand, and the families' timing methods.
 *
 * Conventions (README "Systolic timing"): cycle numbers are 0-based; "PE
 * (r,c) computes at cycle x" means its step starting at x. Operands and
 * partial sums move one PE per cycle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "pe.h"

static const struct pe_array os4 = { .rows = 4, .cols = 4, .dataflow = CFG_DF_OS };
static const struct pe_array ws4 = { .rows = 4, .cols = 4, .dataflow = CFG_DF_WS };

struct expect {
	uint64_t cycles, steps, fill, drain, busy;
};

/* Checks the full timing, then that compat is steps * step with no fill or
 * drain, and that no PE is busy for more cycles than the tile takes. */
static void check(const struct pe_array *a, uint64_t m, uint64_t n,
		  uint64_t k, uint32_t lanes, uint32_t step,
		  const struct expect *e)
{
	struct pe_tile t = { .m = m, .n = n, .k = k };
	struct pe_tile_timing r, c;

	pe_systolic_timing(a, &t, lanes, step, false, &r);
	assert_int_equal(r.cycles, e->cycles);
	assert_int_equal(r.steps, e->steps);
	assert_int_equal(r.fill, e->fill);
	assert_int_equal(r.drain, e->drain);
	assert_int_equal(r.busy_pe_cycles, e->busy);
	assert_true(r.busy_pe_cycles <= (uint64_t)a->rows * a->cols * r.cycles);
	assert_true(r.cycles >= r.steps * step + r.fill + r.drain);

	pe_systolic_timing(a, &t, lanes, step, true, &c);
	assert_int_equal(c.cycles, e->steps * step);
	assert_int_equal(c.steps, e->steps);
	assert_int_equal(c.fill, 0);
	assert_int_equal(c.drain, 0);
	assert_int_equal(c.busy_pe_cycles, e->busy);
}

/* The hand-counted tiles: each one a CMocka test of its own (main). */
static const struct tile_case {
	const char *name;
	const struct pe_array *a;
	uint64_t m, n, k;
	uint32_t lanes, step;
	struct expect e;
} tile_cases[] = {
	/* OS, m=4 n=4 k=8, 1 lane, 1 cycle per step. One pass (M fits the 4
	 * columns, N the 4 rows), 8 steps. PE (r,c) computes at cycles r+c ..
	 * r+c+7; PE (3,3) computes last at 6+7 = 13. Then the shadow chain shifts
	 * the 4 rows of results out in cycles 14..17: 18 cycles.
	 * fill = 3+3 = 6, drain = 4, busy = 16 PEs x 8 = 128, compat = 8. */
	{ "test_os_4x4_full", &os4, 4, 4, 8, 1, 1, { 18, 8, 6, 4, 128 } },
	/* OS, m=5 n=3 k=9 (edges), 1 lane, step 1. Passes: M in 2 column chunks
	 * (4 + 1), N in one row chunk (3 of 4 rows): 2 passes of 9 steps, 18 steps.
	 * Pass 0 computes at r+c .. r+c+8, pass 1 follows at r+c+9 .. r+c+17 (its
	 * operands enter right behind pass 0's; pass 0's results drain from the
	 * shadow chain meanwhile, 4 <= 9 cycles). Padded to the full 4x4 wavefront,
	 * the last step is PE (3,3) at 6+17 = 23, drain 24..27: 28 cycles.
	 * busy: pass 0 uses 4x3 PEs x 9, pass 1 1x3 PEs x 9: 108 + 27 = 135. */
	{ "test_os_4x4_edges", &os4, 5, 3, 9, 1, 1, { 28, 18, 6, 4, 135 } },
	/* OS bit-serial: 4 lanes, 2 cycles per step, m=4 n=8 k=18. ceil(18/4) = 5
	 * steps per pass, N in 2 row chunks: 2 passes, 10 steps, 10 cycles each.
	 * PE (r,c) runs pass 0 at r+c .. r+c+9, pass 1 at r+c+10 .. r+c+19; the
	 * last cycle of PE (3,3) is 6+19 = 25, drain 26..29: 30 cycles.
	 * busy = 32 outputs x 5 steps x 2 = 320; compat = 10 x 2 = 20. */
	{ "test_os_4x4_serial", &os4, 4, 8, 18, 4, 2, { 30, 10, 6, 4, 320 } },
	/* OS, a pass shorter than the drain: m=8 n=4 k=2, lane 1, step 1. 2 passes
	 * of 2 steps. Pass 0 at r+c .. r+c+1; its results enter the shadow chain
	 * and need 4 cycles to leave, so pass 1 (which would end at r+c+3) can hand
	 * its results over only 4 cycles after pass 0 did: pass 1 runs at
	 * r+c+4 .. r+c+5 (2 stall cycles). PE (3,3) last at 6+5 = 11, drain
	 * 12..15: 16 cycles = 4 steps + fill 6 + drain 4 + stall 2. busy = 64. */
	{ "test_os_4x4_drain_bound", &os4, 8, 4, 2, 1, 1, { 16, 4, 6, 4, 64 } },
	/* WS, m=4 n=4 k=8, lane 1, step 1. K = 8 needs 2 row chunks of 4: 2
	 * passes, each streaming 4 activation vectors: 8 steps. Cycles 0..3 shift
	 * pass 0's weights in (one row per cycle). Activation i of pass 0 reaches
	 * PE (r,c) at 4+i+r+c; pass 1's weights shift into the shadow registers in
	 * cycles 4..7 (4 >= m*step = 4: hidden), its activations reach PE (r,c) at
	 * 8+i+r+c. Last: i=3, r=c=3: 8+3+6 = 17, 18 cycles.
	 * fill = 4 (load) + 3 (partial-sum chain) = 7, drain = 3 (last column),
	 * busy = 16 PEs x 4 vectors x 2 passes = 128; compat = 8. */
	{ "test_ws_4x4_full", &ws4, 4, 4, 8, 1, 1, { 18, 8, 7, 3, 128 } },
	/* WS, m=5 n=3 k=9 (edges). K in 3 row chunks (4, 4, 1), N in one column
	 * chunk (3 of 4): 3 passes x 5 vectors = 15 steps. Load 0..3; pass p's
	 * vector i reaches PE (r,c) at 4+5p+i+r+c (next loads of 4 cycles hide
	 * behind 5-cycle passes). Last: p=2, i=4, r=c=3: 4+10+4+6 = 24, 25 cycles.
	 * busy: 4x3 PEs x 5 + 4x3 x 5 + 1x3 x 5 = 60 + 60 + 15 = 135; compat 15. */
	{ "test_ws_4x4_edges", &ws4, 5, 3, 9, 1, 1, { 25, 15, 7, 3, 135 } },
	/* WS bit-serial: 4 lanes, 2 cycles per step, m=3 n=4 k=40. A column holds
	 * 4 rows x 4 lanes = 16 k-values: 3 passes (16, 16, 8) x 3 vectors = 9
	 * steps, 6 cycles per pass (>= 4-cycle loads). Load 0..3; pass p's vector
	 * i reaches PE (r,c) at 4+6p+2i+r+c for 2 cycles. Last: p=2, i=2, r=c=3:
	 * 4+12+4+6 = 26, busy through 27: 28 cycles.
	 * busy: 4x4 PEs x 6 + 16 x 6 + (2 rows x 4) x 6 = 96+96+48 = 240;
	 * compat = 9 x 2 = 18. */
	{ "test_ws_4x4_serial", &ws4, 3, 4, 40, 4, 2, { 28, 9, 7, 3, 240 } },
	/* WS decode: m=1 n=8 k=4. 2 passes (N in 2 column chunks) of 1 vector.
	 * Load 0..3, pass 0's vector at 4+r+c; pass 1's weights load in 4..7 and
	 * are needed at 8 (load-bound: 3 stall cycles), vector at 8+r+c. Last:
	 * 8+6 = 14, 15 cycles = 2 steps + fill 7 + drain 3 + stall 3; busy 32. */
	{ "test_ws_4x4_load_bound", &ws4, 1, 8, 4, 1, 1, { 15, 2, 7, 3, 32 } },
};

static void test_tile_case(void **state)
{
	const struct tile_case *c = *state;
	check(c->a, c->m, c->n, c->k, c->lanes, c->step, &c->e);
}

static void test_empty_tile(void **state)
{
	struct pe_tile t = { .m = 0, .n = 4, .k = 4 };
	struct pe_tile_timing r;
	(void)state;
	pe_systolic_timing(&os4, &t, 1, 1, false, &r);
	assert_int_equal(r.cycles, 0);
	assert_int_equal(r.steps, 0);
	assert_int_equal(r.busy_pe_cycles, 0);
}

static struct pe_params params(uint32_t lanes, bool serial, double wbits,
			       uint32_t abits)
{
	struct pe_params p;
	memset(&p, 0, sizeof p);
	p.lanes = lanes;
	p.bit_serial = serial;
	p.weight_bits = wbits;
	p.act_bits = abits;
	p.a_bits = abits;
	p.group_size = 128;
	return p;
}

static struct pe_tile_timing fam(const char *family, const struct pe_params *p,
				 const struct pe_array *a, uint64_t m,
				 uint64_t n, uint64_t k, bool compat)
{
	const struct pe_family *ops = pe_family_find(family);
	struct pe_tile t = { .m = m, .n = n, .k = k };
	struct pe_tile_timing r;
	assert_non_null(ops);
	ops->tile_timing(p, a, &t, compat, &r);
	return r;
}

/* BitFusion 8/4: pf = floor(8/max(bits,4)) per operand. m=4 n=4 k=16 on
 * the 4x4 OS array, 1 lane: W8A8 16 steps, W4A8 (4.0625 floored) 8 steps,
 * W4A4 4 steps, W3A8 8 steps (3 runs as 4); A16 splits into two 8-bit
 * slices: W4A16 8 steps of 2 cycles, W8A16 16 steps of 2 cycles. */
static void test_bitfusion_fusion(void **state)
{
	struct pe_params w8a8 = params(1, false, 8, 8);
	struct pe_params w4a8 = params(1, false, 4.0625, 8);
	struct pe_params w4a4 = params(1, false, 4, 4);
	struct pe_params w3a8 = params(1, false, 3.0625, 8);
	struct pe_params w4a16 = params(1, false, 4.0625, 16);
	struct pe_params w8a16 = params(1, false, 8, 16);
	const struct pe_family *bf = pe_family_find("bitfusion");
	struct pe_tile_timing r8, r4;
	(void)state;

	assert_int_equal(bf->step_cycles(&w8a8), 1);
	assert_int_equal(bf->step_cycles(&w4a8), 1);
	assert_int_equal(bf->step_cycles(&w4a16), 2);
	assert_int_equal(fam("bitfusion", &w8a8, &os4, 4, 4, 16, true).steps, 16);
	assert_int_equal(fam("bitfusion", &w4a8, &os4, 4, 4, 16, true).steps, 8);
	assert_int_equal(fam("bitfusion", &w4a4, &os4, 4, 4, 16, true).steps, 4);
	assert_int_equal(fam("bitfusion", &w3a8, &os4, 4, 4, 16, true).steps, 8);
	r4 = fam("bitfusion", &w4a16, &os4, 4, 4, 16, true);
	assert_int_equal(r4.steps, 8);
	assert_int_equal(r4.cycles, 16);
	r8 = fam("bitfusion", &w8a16, &os4, 4, 4, 16, true);
	assert_int_equal(r8.steps, 16);
	assert_int_equal(r8.cycles, 32);

	/* Full timing, WS: W4A8 holds 2 k-values per lane, so a column holds
	 * 8 and k=16 takes 2 passes of 4 vectors (4-cycle loads hidden):
	 * 4 + 4 + 4 + 3 + 3 = 18 cycles. W8A8 holds 4: 4 passes,
	 * 4 + 3 x 4 + 4 + 3 + 3 = 26 cycles. */
	r4 = fam("bitfusion", &w4a8, &ws4, 4, 4, 16, false);
	r8 = fam("bitfusion", &w8a8, &ws4, 4, 4, 16, false);
	assert_int_equal(r8.steps, 16);	/* 4 passes x 4 vectors */
	assert_int_equal(r4.steps, 8);
	assert_int_equal(r4.cycles, 18);
	assert_int_equal(r8.cycles, 26);
}

/* BitMoD: ceil(floor(bits)/2) cycles per step; dequantizer 8 cycles. */
static void test_bitmod(void **state)
{
	const struct pe_family *bm = pe_family_find("bitmod");
	struct pe_params p = params(4, true, 4.0625, 16);
	struct pe_tile_timing r;
	(void)state;

	assert_int_equal(bm->step_cycles(&p), 2);
	p.weight_bits = 3.0625;
	assert_int_equal(bm->step_cycles(&p), 2);
	p.weight_bits = 6.0625;
	assert_int_equal(bm->step_cycles(&p), 3);
	p.weight_bits = 8;
	assert_int_equal(bm->step_cycles(&p), 4);
	p.bit_serial = false;
	assert_int_equal(bm->step_cycles(&p), 1);

	/* the dequantizer is inside the bit-true closed form of tile_timing */
	assert_non_null(bm->dq_cycles);
	assert_int_equal(bm->dq_cycles(&p), 0);

	/* 4-bit BitMoD = the serial OS case above (4 lanes, step 2). */
	p = params(4, true, 4.0625, 16);
	r = fam("bitmod", &p, &os4, 4, 8, 18, false);
	/* cycle mode takes the bit-true array's closed form (pe_bitmod_gemm.c,
	 * proven equal to stepping in test_bitmod_bt): 42, where the generic
	 * systolic form would give 30 — it adds the 8-cycle dequantizer and
	 * the results' drain along the rows */
	assert_int_equal(r.cycles, 42);
	assert_int_equal(r.busy_pe_cycles, 320);
	r = fam("bitmod", &p, &os4, 4, 8, 18, true);
	assert_int_equal(r.cycles, 20);	/* compat: steps x step */
}

/* The MAC families run one cycle per step: INT8 on the WS edge case. */
static void test_mac_families(void **state)
{
	static const char *const fams[] = { "fp16", "int8", "ant",
				    "olive" };
	struct pe_params p = params(1, false, 8, 16);
	size_t i;
	(void)state;
	for (i = 0; i < sizeof fams / sizeof fams[0]; i++) {
		struct pe_tile_timing r = fam(fams[i], &p, &ws4, 5, 3, 9, false);
		assert_int_equal(r.cycles, 25);
		assert_int_equal(r.steps, 15);
		assert_null(pe_family_find(fams[i])->dq_cycles);
	}
}

/* Every family of families.def has a descriptor with the required
 * methods, named as listed, in its folder; the baselines are all
 * there; no two share a name. */
static void test_registry(void **state)
{
	static const char *const need[] = { "fp16", "int8", "bitfusion", "ant",
					    "olive", "bitmod", "mixpe", "lut_tc",
					    "flightllm" };
	size_t i, n = 0;
	(void)state;
	for (i = 0; pe_families[i]; i++, n++) {
		const struct pe_family *f = pe_families[i];
		assert_non_null(f->step_cycles);
		assert_non_null(f->tile_timing);
		assert_non_null(f->default_weights);
		assert_non_null(f->folder);
		assert_ptr_equal(pe_family_find(f->name), f);
	}
	assert_int_equal(n, pe_family_count());
	assert_int_equal(n, sizeof need / sizeof need[0]);
	for (i = 0; i < sizeof need / sizeof need[0]; i++)
		assert_non_null(pe_family_find(need[i]));
	assert_null(pe_family_find("tpu"));
}

/* ---- the closed form against the array stepped clock by clock ---- */

static uint64_t rng = 20250101;
static uint64_t rnd(uint64_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (rng >> 33) % n;
}

/* One tile through the stepped array (pe_systolic_step): its cycles and
 * the exact GEMM of the random INT8 operands. */
static uint64_t stepped(const struct pe_array *a, const struct pe_tile *t, uint32_t L,
			uint32_t step)
{
	int8_t *A = malloc(t->m * t->k), *W = malloc(t->k * t->n);
	int32_t *o = malloc(t->m * t->n * sizeof *o);
	uint64_t cyc = 0;
	struct ps_err err;
	assert_non_null(A);
	assert_non_null(W);
	assert_non_null(o);
	for (uint64_t i = 0; i < t->m * t->k; i++)
		A[i] = (int8_t)(rnd(256) - 128);
	for (uint64_t i = 0; i < t->k * t->n; i++)
		W[i] = (int8_t)(rnd(256) - 128);
	if (pe_systolic_step(a, t, L, step, A, W, o, &cyc, &err))
		fail_msg("%s %ux%u m%llu n%llu k%llu L%u step%u: %s",
			 a->dataflow == CFG_DF_OS ? "OS" : "WS", a->rows, a->cols,
			 (unsigned long long)t->m, (unsigned long long)t->n,
			 (unsigned long long)t->k, L, step, err.msg);
	for (uint64_t m = 0; m < t->m; m++)
		for (uint64_t n = 0; n < t->n; n++) {
			int32_t ref = 0;
			for (uint64_t k = 0; k < t->k; k++)
				ref += A[m * t->k + k] * W[k * t->n + n];
			assert_int_equal(o[m * t->n + n], ref);
		}
	free(A);
	free(W);
	free(o);
	return cyc;
}

/* 600 random tiles on arrays up to 5x5, lanes 1-4, 1-3 cycles per step,
 * both dataflows: every result exact, every schedule hazard-free, and the
 * stepped cycles equal to pe_systolic_timing's, edge passes and pass
 * boundaries shorter than the drain or the weight load included. */
static void test_stepped_equals_closed_form(void **state)
{
	(void)state;
	for (int i = 0; i < 600; i++) {
		struct pe_array a = { 1 + (uint32_t)rnd(5), 1 + (uint32_t)rnd(5),
				      i % 2 ? CFG_DF_WS : CFG_DF_OS, CFG_FOLDS_OVERLAPPED };
		struct pe_tile t = { 1 + rnd(12), 1 + rnd(12), 1 + rnd(20) };
		uint32_t L = 1 + (uint32_t)rnd(4), step = 1 + (uint32_t)rnd(3);
		struct pe_tile_timing tt;
		pe_systolic_timing(&a, &t, L, step, false, &tt);
		if (stepped(&a, &t, L, step) != tt.cycles)
			fail_msg("%s %ux%u m%llu n%llu k%llu L%u step%u: closed form %llu",
				 a.dataflow == CFG_DF_OS ? "OS" : "WS", a.rows, a.cols,
				 (unsigned long long)t.m, (unsigned long long)t.n,
				 (unsigned long long)t.k, L, step, (unsigned long long)tt.cycles);
	}
}

/* A closed form one cycle off at the drain (OS) or at the weight load
 * (WS) - the mutants - disagrees with stepping: the check can fail. */
static void test_stepped_catches_mutant(void **state)
{
	int caught[2] = { 0, 0 };
	(void)state;
	for (int i = 0; i < 40; i++) {
		struct pe_array a = { 2 + (uint32_t)rnd(3), 2 + (uint32_t)rnd(3),
				      i % 2 ? CFG_DF_WS : CFG_DF_OS, CFG_FOLDS_OVERLAPPED };
		struct pe_tile t = { 1 + rnd(8), 1 + rnd(8), 1 + rnd(12) };
		struct pe_tile_timing tt;
		uint64_t mutant;
		pe_systolic_timing(&a, &t, 1, 1, false, &tt);
		mutant = a.dataflow == CFG_DF_OS ? tt.cycles - 1	/* drain rows-1 */
						 : tt.cycles + 1;	/* fill 2 rows */
		caught[i % 2] += stepped(&a, &t, 1, 1) != mutant;
	}
	assert_int_equal(caught[0], 20);
	assert_int_equal(caught[1], 20);
}

/* Tiles issued back to back take what one tile of all their folds takes:
 * a GEMM split along M (multiples of the columns, OS) or N (of the
 * columns, WS) into tiles, each but the last holding the array for its
 * interval, ends when the one-tile run does. */
static void test_tiles_back_to_back(void **state)
{
	(void)state;
	for (int df = 0; df < 2; df++) {
		struct pe_array a = { 4, 4, df ? CFG_DF_WS : CFG_DF_OS, CFG_FOLDS_OVERLAPPED };
		struct pe_tile whole = { 16, 16, 64 }, part = { 16, 16, 64 };
		struct pe_tile_timing w, p;
		uint64_t parts = 4, sum = 0;
		if (df)
			part.n = 4;
		else
			part.m = 4;
		pe_systolic_timing(&a, &whole, 2, 2, false, &w);
		pe_systolic_timing(&a, &part, 2, 2, false, &p);
		sum = (parts - 1) * p.interval + p.cycles;
		assert_int_equal(sum, w.cycles);
		assert_int_equal(stepped(&a, &whole, 2, 2), w.cycles);
	}
}

/* SCALE-Sim's convention: every fold pays its fill and drain, with v2's
 * per-fold counts (R + C + T - 2 for OS with T = K steps; 2R + C + T - 2
 * for WS with T = M rows). A one-fold GEMM: OS 8x8 array, M = N = 8,
 * K = 100: 8 + 8 + 100 - 2 = 114 cycles (SCALE-Sim v2 reports 113, its
 * last cycle's index); two folds of it: 228. WS 8x8, K = 8, N = 8, M = 50:
 * 16 + 8 + 50 - 2 = 72. The tile holds the array for all of it. */
static void test_scalesim_folds(void **state)
{
	struct pe_array os = { 8, 8, CFG_DF_OS, CFG_FOLDS_SCALESIM };
	struct pe_array ws = { 8, 8, CFG_DF_WS, CFG_FOLDS_SCALESIM };
	struct pe_tile_timing r;
	(void)state;
	pe_systolic_timing(&os, &(struct pe_tile){ 8, 8, 100 }, 1, 1, false, &r);
	assert_int_equal(r.cycles, 114);
	assert_int_equal(r.interval, 114);
	pe_systolic_timing(&os, &(struct pe_tile){ 16, 8, 100 }, 1, 1, false, &r);
	assert_int_equal(r.cycles, 228);
	pe_systolic_timing(&ws, &(struct pe_tile){ 50, 8, 8 }, 1, 1, false, &r);
	assert_int_equal(r.cycles, 72);
	/* overlapped folds hide all but the first fill and the last drain */
	os.folds = CFG_FOLDS_OVERLAPPED;
	pe_systolic_timing(&os, &(struct pe_tile){ 16, 8, 100 }, 1, 1, false, &r);
	assert_int_equal(r.cycles, 14 + 2 * 100 + 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stepped_equals_closed_form),
		cmocka_unit_test(test_stepped_catches_mutant),
		cmocka_unit_test(test_tiles_back_to_back),
		cmocka_unit_test(test_scalesim_folds),
		cmocka_unit_test(test_empty_tile),
		cmocka_unit_test(test_bitfusion_fusion),
		cmocka_unit_test(test_bitmod),
		cmocka_unit_test(test_mac_families),
		cmocka_unit_test(test_registry),
	};
	struct CMUnitTest tiles[sizeof tile_cases / sizeof *tile_cases];
	for (size_t i = 0; i < sizeof tiles / sizeof *tiles; i++)
		tiles[i] = (struct CMUnitTest){ tile_cases[i].name, test_tile_case, NULL, NULL,
						(void *)&tile_cases[i] };
	return cmocka_run_group_tests_name("hand-counted tiles", tiles, NULL, NULL) +
	       cmocka_run_group_tests(tests, NULL, NULL);
}

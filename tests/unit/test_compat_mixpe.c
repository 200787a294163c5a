/* test_compat_mixpe.c - MixPE's method (sim/sim_compat_mixpe.c and the
 * loop-tiling model sim_compat_loops.c) on cases computed by hand
 * (tests/data/arch/tiny-mixpe.yaml, models/tiny.yaml, models/tiny-vit.yaml),
 * and the method's registry. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pe.h"
#include "sim.h"
#include "sim_compat.h"
#include "sim_compat_loops.h"

#define DATA PESIM_TEST_DATA

/* A 2x2 array of 8/4 PEs, 1 KiB buffers (4096 bits usable per operand),
 * 64 DRAM bits per cycle. */
static struct cl_acc acc(void)
{
	struct cl_acc a;
	memset(&a, 0, sizeof a);
	a.nb = 2;
	a.no = 2;
	a.pmax = 8;
	a.pmin = 4;
	a.wbuf_bits = a.ibuf_bits = a.obuf_bits = 8192;
	a.if_width = 64;
	return a;
}

/* One FC layer B = 4, IC = 8, OC = 4 at 8 bits in one tile:
 *   weight fill = ceil(8 / 2) x 2 x 4 x 8 = 256 bits, activations
 *   ceil(8 / 2) x 2 x 4 x 8 = 256, output drain 4 x 4 x 16 = 256;
 *   inside: 16 outputs x 8 MACs read 8-bit act and weight (1024 bits
 *   each), outputs read and written at 16 bits;
 *   compute = ceil(4 / 2) x ceil(4 / 2) x 8 = 32 cycles;
 *   latency: the first fills 512 bits / 64 = 8 (the drain's final size is
 *   the artifact's 0); the middle traffic (768 - 512) / 64 = 4 < 32:
 *   cycles = 32 + 8 = 40. */
static void test_one_tile_by_hand(void **state)
{
	struct cl_acc a = acc();
	struct cl_layer l = { 1, 1, 1, 8, 4, 4, 8, 8 };
	uint64_t num[5] = { 1, 1, 1, 1, 1 }, size[5] = { 4, 1, 1, 8, 4 };
	int order[5] = { 0, 1, 2, 3, 4 };
	struct cl_stats s;
	(void)state;
	assert_int_equal(cl_stats(&a, &l, num, size, order, &s), 1);
	assert_int_equal(s.wr[CL_WGT], 256);
	assert_int_equal(s.wr[CL_ACT], 256);
	assert_int_equal(s.rd[CL_DRAM], 512);
	assert_int_equal(s.wr[CL_DRAM], 256);
	assert_int_equal(s.rd[CL_ACT], 1024);
	assert_int_equal(s.rd[CL_WGT], 1024);
	assert_int_equal(s.rd[CL_OUT], 512);
	assert_int_equal(s.wr[CL_OUT], 256);
	assert_int_equal(s.compute, 32);
	assert_int_equal(s.stalls, 8);
	assert_int_equal(s.cycles, 40);
	/* a 4-bit layer runs at pf 2 on both sides: ceil(4/4) ceil(4/4) 8 */
	l.iprec = l.wprec = 4;
	assert_int_equal(cl_stats(&a, &l, num, size, order, &s), 1);
	assert_int_equal(s.compute, 8);
	assert_int_equal(cl_perf_factor(&a, 4), 2);
	assert_int_equal(cl_perf_factor(&a, 2), 2);	/* below pmin: pmin */
	assert_int_equal(cl_perf_factor(&a, 8), 1);
}

/* Tiles that overflow half a buffer are no tiling; the search finds the
 * one-tile schedule when it fits, and splits when it must:
 * IC = 64, OC = 64, B = 4 at 8 bits: weights 64 x 64 x 8 = 32768 bits do
 * not fit 4096, so the search cuts IC or OC. */
static void test_search(void **state)
{
	struct cl_acc a = acc();
	struct cl_layer small = { 1, 1, 1, 8, 4, 4, 8, 8 }, big = { 1, 1, 1, 64, 64, 4, 8, 8 };
	uint64_t num[5] = { 1, 1, 1, 1, 1 }, size[5] = { 4, 1, 1, 64, 64 };
	int order[5] = { 0, 1, 2, 3, 4 };
	struct cl_stats s;
	(void)state;
	assert_int_equal(cl_best(&a, &small, &s), 1);
	assert_int_equal(s.cycles, 40);
	assert_int_equal(cl_stats(&a, &big, num, size, order, &s), 0);
	assert_int_equal(cl_best(&a, &big, &s), 1);
	/* compute cannot beat ceil(4/2) ceil(64/2) 64 = 4096 */
	assert_true(s.compute >= 4096);
	assert_true(s.cycles >= s.compute);
	assert_true(s.rd[CL_DRAM] >= 32768 + 4 * 64 * 8);
}

struct rows {
	char name[16][24];
	uint64_t M[16], K[16], N[16], cycles[16];
	size_t n;
};

static enum ps_status on_row(void *ctx, const struct sim_op_stats *o, struct ps_err *err)
{
	struct rows *r = ctx;
	(void)err;
	if (r->n < 16) {
		snprintf(r->name[r->n], sizeof r->name[0], "%s", o->op.name);
		r->M[r->n] = o->op.M;
		r->K[r->n] = o->op.K;
		r->N[r->n] = o->op.N;
		r->cycles[r->n] = o->cycles;
		r->n++;
	}
	return PS_OK;
}

static void run(const char *model, const char *scen, struct rows *rw, struct sim_result *r)
{
	static struct cfg_arch a;
	struct wl_model m;
	struct wl_scenario s;
	struct ps_err err;
	struct sim_request rq = { .arch = &a, .model = &m, .scenario = &s,
				  .mode = SIM_MODE_COMPAT, .compat_method = "mixpe",
				  .on_row = on_row, .row_ctx = rw };
	assert_int_equal(pe_arch_load(DATA "/arch/tiny-mixpe.yaml", &a, &err), PS_OK);
	assert_int_equal(wl_model_find(model, &m, &err), PS_OK);
	assert_int_equal(wl_scenario_parse(scen, &s, &err), PS_OK);
	memset(rw, 0, sizeof *rw);
	if (sim_run(&rq, r, &err))
		fail_msg("%s", err.msg);
}

/* The benchmark list of the tiny decoder (hidden 8, q 8, kv 4, gated FFN
 * 16) at batch 3: fused qkv 8 -> 16, o 8 -> 8, the FFN simplified to
 * 8 -> 32 -> 8 (4 x hidden), each followed by MixPE's per-group
 * dequantization GEMM [ceil(K/8) -> ceil(N/128)] = [1 -> 1] (K = 32: 4);
 * no attention, no lm_head; the energy adds up from the actions. */
static void test_benchmark_list(void **state)
{
	static const char *const names[] = { "qkv", "dq_qkv", "o", "dq_o",
					     "ffn1", "dq_ffn1", "ffn2", "dq_ffn2" };
	static const uint64_t K[] = { 8, 1, 8, 1, 8, 1, 32, 4 };
	static const uint64_t N[] = { 16, 1, 8, 1, 32, 1, 8, 1 };
	struct rows rw;
	struct sim_result r;
	uint64_t sum = 0;
	(void)state;
	run(DATA "/models/tiny.yaml", "prefill:1,batch:3", &rw, &r);
	assert_int_equal(rw.n, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_string_equal(rw.name[i], names[i]);
		assert_int_equal(rw.M[i], 3);
		assert_int_equal(rw.K[i], K[i]);
		assert_int_equal(rw.N[i], N[i]);
		sum += rw.cycles[i];
	}
	assert_int_equal(r.cycles, sum);
	assert_string_equal(r.compat_method, "mixpe");
	/* MACs of the list: 3 x (8x16 + 8x8 + 8x32 + 32x8 + 1+1+1 + 4) */
	assert_int_equal(r.macs, 3 * (128 + 64 + 256 + 256 + 3 + 4));
	/* static power every cycle at 100 pJ, PE leakage 4 PEs x 0.5 pJ */
	assert_true(r.energy.by_action[SIM_ACT_DRAM_STATIC_CYCLE] == 100.0 * (double)r.cycles);
	assert_true(r.energy.by_action[SIM_ACT_PE_LEAK_CYCLE] == 2.0 * (double)r.cycles);
	assert_true(r.energy.by_action[SIM_ACT_DRAM_READ_BIT] == 2.0 * 8 * (double)r.dram_read_bytes);
	sim_result_free(&r);
}

/* The linear's dequantization GEMM, hand-checked: qkv of the tiny decoder
 * at batch 2 on the 2x2 array at 4 bits (pf 2 per side) is one tile of
 * B = 2, IC = 8, OC = 16: weights ceil(8 / (2 x 2)) x 4 x 16 x 4 = 512
 * bits, activations ceil(8 / 4) x 4 x 2 x 4 = 64 bits, outputs drained
 * 16 x 2 x 16 = 512 bits; compute ceil(2/4) ceil(16/4) x 8 = 32; latency:
 * the first fills 576 / 64 = 9; the middle (576 + 512 - 576) / 64 = 8 <
 * 32: 41 cycles (no other tiling is faster). */
static void test_qkv_by_hand(void **state)
{
	struct rows rw;
	struct sim_result r;
	(void)state;
	run(DATA "/models/tiny.yaml", "prefill:1,batch:2", &rw, &r);
	assert_string_equal(rw.name[0], "qkv");
	assert_int_equal(rw.cycles[0], 41);
	sim_result_free(&r);
}

/* An encoder first runs its patch embedding: 2x2 patches of 3 channels,
 * 2x2 outputs per image, batch 2 -> M = 8, K = 12, N = 8; its linears at
 * M = batch x tokens of the phase. */
static void test_patch_conv(void **state)
{
	struct rows rw;
	struct sim_result r;
	(void)state;
	run(DATA "/models/tiny-vit.yaml", "prefill:1,batch:2", &rw, &r);
	assert_string_equal(rw.name[0], "patch");
	assert_int_equal(rw.M[0], 8);
	assert_int_equal(rw.K[0], 12);
	assert_int_equal(rw.N[0], 8);
	assert_string_equal(rw.name[1], "qkv");
	assert_int_equal(rw.M[1], 2);
	assert_int_equal(rw.N[1], 24);
	sim_result_free(&r);
}

static void test_registry(void **state)
{
	struct sim_request rq;
	struct sim_result r;
	struct ps_err err;
	struct cfg_arch a;
	(void)state;
	assert_ptr_equal(sim_compat_find(NULL), &sim_compat_bitmod);
	assert_ptr_equal(sim_compat_find(""), &sim_compat_bitmod);
	assert_ptr_equal(sim_compat_find("mixpe"), &sim_compat_mixpe);
	assert_null(sim_compat_find("nope"));
	assert_string_equal(sim_compat_method_list(), "bitmod | mixpe");
	/* an unknown method and a method without a cycle policy are errors */
	assert_int_equal(pe_arch_load(DATA "/arch/tiny-mixpe.yaml", &a, &err), PS_OK);
	memset(&rq, 0, sizeof rq);
	rq.arch = &a;
	rq.M = rq.K = rq.N = 8;
	rq.mode = SIM_MODE_COMPAT;
	rq.compat_method = "nope";
	assert_int_equal(sim_run(&rq, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "unknown compat method 'nope'"));
	rq.mode = SIM_MODE_CYCLE;
	rq.compat_method = "mixpe";
	rq.compat_assumptions = true;
	assert_int_equal(sim_run(&rq, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "no cycle-mode policy"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_tile_by_hand),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_benchmark_list),
		cmocka_unit_test(test_qkv_by_hand),
		cmocka_unit_test(test_patch_conv),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests_name("compat_mixpe", tests, NULL, NULL);
}

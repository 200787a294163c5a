/* test_engine.c - the cycle-level engine on timelines counted by hand
 * (tests/data/arch/tiny-os.yaml: 2x2 output-stationary FP16 MACs, a tile
 * m x n x k with m, n <= 2 takes k + fill 2 + drain 2 cycles: the array
 * takes the next tile k cycles after this one started (its interval), the
 * operands are consumed at k + 2 (slot tokens), the results are out at
 * k + 4; DRAM moves 8 bytes per cycle with 10 cycles of latency), buffer
 * and token errors, and
 * cycle mode under the compat assumptions equal to the compat model for
 * every BitMoD preset, model and scenario. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pe.h"
#include "cc_compile.h"
#include "sim_engine.h"

#define DATA PESIM_TEST_DATA

enum { PP = TRACE_POP_PREV, PN = TRACE_POP_NEXT, UP = TRACE_PUSH_PREV, UN = TRACE_PUSH_NEXT };

static struct trace_insn OP(void)
{
	return (struct trace_insn){ .opcode = TRACE_OP, .repeat = 1, .a = 8, .b = 2, .addr = 2 };
}

static struct trace_insn LD(int opc, uint64_t bytes, uint8_t flags, uint32_t slots, uint32_t rep)
{
	return (struct trace_insn){ .opcode = (uint8_t)opc, .repeat = rep, .a = 2, .b = 2,
				    .c = slots, .buf = opc == TRACE_LD_A ? 1 : 0,
				    .bytes = bytes, .flags = flags };
}

static struct trace_insn MM(uint32_t k, uint8_t flags, uint32_t rep)
{
	return (struct trace_insn){ .opcode = TRACE_MM, .repeat = rep, .a = 2, .b = 2,
				    .c = k, .addr = 16, .bytes = 16, .flags = flags };
}

static struct trace_insn ST(uint64_t bytes, uint8_t flags)
{
	return (struct trace_insn){ .opcode = TRACE_ST, .repeat = 1, .a = 2, .b = 2,
				    .c = 1, .buf = 1, .bytes = bytes, .flags = flags };
}

struct fix {
	struct cfg_arch a;
	struct cfg_energy e;
};

static int setup(void **state)
{
	static struct fix f;
	struct ps_err err;
	if (pe_arch_load(DATA "/arch/tiny-os.yaml", &f.a, &err) ||
	    cfg_energy_load(DATA "/energy/tiny.yaml", &f.e, &err)) {
		print_error("%s\n", err.msg);
		return -1;
	}
	*state = &f;
	return 0;
}

static enum ps_status run(struct fix *f, const struct trace_insn *ins, size_t n,
			  bool compat, struct sim_result *r, struct ps_err *err)
{
	struct sim_engine *e;
	struct trace_insn end = { .opcode = TRACE_END };
	enum ps_status st = sim_engine_create(&e, &f->a, &f->e, compat, true, err);
	for (size_t i = 0; i < n && !st; i++)
		st = sim_engine_put(e, &ins[i], err);
	if (!st)
		st = sim_engine_put(e, &end, err);
	if (!st)
		st = sim_engine_finish(e, r, err);
	sim_engine_destroy(e);
	return st;
}

/* One tile: the op header, W w bytes, A a bytes, an MM of k steps, an
 * 8-byte store; run in cycle (or compat) mode. */
static struct sim_result run_tile(struct fix *f, uint32_t w, uint32_t a, uint32_t k,
				  bool compat)
{
	struct trace_insn t[] = { OP(), LD(TRACE_LD_W, w, 0, 1, 1), LD(TRACE_LD_A, a, UN, 1, 1),
				  MM(k, PP | UN, 1), ST(8, PP) };
	struct sim_result r;
	struct ps_err err;
	if (run(f, t, 5, compat, &r, &err))
		fail_msg("%s", err.msg);
	return r;
}

/* DRAM-bound: W 64 B (cycles 0-8), A 64 B (8-16, data at 16 + 10 = 26),
 * MM k=8 from 26, results at 26 + 8 + 2 + 2 = 38, ST 8 B: 38-39; the
 * array issued for 8 cycles (compute). */
static void test_dram_bound(void **state)
{
	struct sim_result r = run_tile(*state, 64, 64, 8, false);
	assert_int_equal(r.cycles, 39);
	assert_int_equal(r.compute_cycles, 8);
	assert_int_equal(r.q[SIM_Q_LOAD].busy, 16);
	assert_int_equal(r.q[SIM_Q_COMPUTE].stall[SIM_STALL_DATA], 26);
	assert_int_equal(r.q[SIM_Q_STORE].stall[SIM_STALL_COMPUTE], 38);
	assert_int_equal(r.dram_read_bytes, 128);
	assert_int_equal(r.dram_write_bytes, 8);
	/* energy: PE 4 PEs x (8 issue + 2 fill + 2 drain) cycles x 1 pJ x
	 * 1.5 = 72; tile reads 8 x 10;
	 * weight writes 8 x 2, input writes (8 + 1) x 3; DRAM 136 B x 8 x 1 */
	assert_true(r.energy.compute == 72.0);
	assert_true(r.energy.sram == 80.0 + 16.0 + 27.0);
	assert_true(r.energy.dram == 1088.0);
	free(r.ops);
}

/* Buffer ports: a 16-bit weight port makes the 2x2 array wait for operands
 * (8 steps x 2 rows x 16 bits = 256 bits = 16 cycles > its 8 of issue:
 * the tile stretches by 8) and the DMA fill the weight buffer at 2 bytes a
 * cycle (64 B: 32 cycles > 8). */
static void test_port_width(void **state)
{
	struct fix *f = *state;
	struct sim_result r;
	f->a.buffers[0].port_bits = 16;
	r = run_tile(f, 64, 64, 8, false);
	f->a.buffers[0].port_bits = 0;
	/* W 0-32, A 32-40 (data at 50), MM from 50, results at 50 + 12 + 8
	 * = 70, ST 70-71 */
	assert_int_equal(r.cycles, 71);
	assert_int_equal(r.compute_cycles, 16);
	assert_int_equal(r.sram_bytes_written[0], 64);
	assert_int_equal(r.sram_bytes_read[0], 32);	/* 256 bits */
	/* 8 steps x 2 cols x 16 bits, plus the store reading its 8 B */
	assert_int_equal(r.sram_bytes_read[1], 32 + 8);
	free(r.ops);
}

/* Compute-bound: W 8 B (0-1), A 8 B (1-2, data at 12), MM k=100 from 12
 * (100 cycles of issue), results at 116, ST 116-117. */
static void test_compute_bound(void **state)
{
	struct sim_result r = run_tile(*state, 8, 8, 100, false);
	assert_int_equal(r.cycles, 117);
	assert_int_equal(r.compute_cycles, 100);
	assert_true(r.utilization > 0.85);	/* 400 busy PE-cycles / (4 x 117) */
	assert_int_equal(r.busy_pe_cycles, 400);
	free(r.ops);
}

/* Four iterations: A 80 B (10 cycles), MM k=16 (interval 16, operands
 * consumed at 18, results at 20), latency 0, after the W tile (0-1).
 * One slot: every load waits for the previous MM's operands: loads 1-11,
 * 29-39, 57-67, 85-95; MMs at 11, 39, 67, 95 -> results at 115; three
 * loads wait 18 cycles each for the buffer. Two slots (a double-buffered
 * input buffer): loads 1-11, 11-21, 29-39 (MM 1 consumed at 29), 45-55
 * (MM 2 at 45); MMs at 11, 27, 43, 59 back to back -> 79: the loads hide
 * behind the array, which waited only for the first (11 cycles). A trace
 * with two slots in a buffer that is not double-buffered is refused. */
/* The four iterations' flat trace: W tile, A 80 B (the first load, then
 * rest more), MM k=16 four times; `slots` input slots, the first load
 * repeated first_rep times. */
static void four_iterations(struct trace_insn t[5], uint32_t slots,
			    uint32_t first_rep, uint32_t rest)
{
	t[0] = OP();
	t[1] = LD(TRACE_LD_W, 8, 0, 1, 1);
	t[2] = LD(TRACE_LD_A, 80, UN, slots, first_rep);
	t[3] = LD(TRACE_LD_A, 80, PN | UN, slots, rest);
	t[4] = MM(16, PP | UP, 4);
}

static void test_double_buffering(void **state)
{
	struct fix *f = *state;
	struct trace_insn one[5], two[5];
	struct sim_result r;
	struct ps_err err;
	four_iterations(one, 1, 1, 3);
	four_iterations(two, 2, 2, 2);
	f->a.dram.latency_cycles = 0;
	assert_int_equal(run(f, one, 5, false, &r, &err), PS_OK);
	assert_int_equal(r.cycles, 115);
	assert_int_equal(r.q[SIM_Q_LOAD].stall[SIM_STALL_BUFFER], 54);
	free(r.ops);
	assert_int_equal(run(f, two, 5, false, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "buffer 'input' is not double-buffered"));
	f->a.buffers[1].double_buffered = true;
	f->a.buffers[1].banks = 2;
	assert_int_equal(run(f, two, 5, false, &r, &err), PS_OK);
	assert_int_equal(r.cycles, 79);
	assert_int_equal(r.q[SIM_Q_LOAD].stall[SIM_STALL_BUFFER], 14);
	assert_int_equal(r.q[SIM_Q_COMPUTE].stall[SIM_STALL_DATA], 11);
	free(r.ops);
	f->a.buffers[1].double_buffered = false;
	f->a.buffers[1].banks = 1;
	f->a.dram.latency_cycles = 10;
}

/* LOOP dispatch: the same four iterations written with a LOOP over an
 * (LD_A, MM) body take the same time as the flat form. */
static void test_loop_zip_dispatch(void **state)
{
	struct fix *f = *state;
	struct trace_insn flat[5];
	struct trace_insn loop[] = { OP(), LD(TRACE_LD_W, 8, 0, 1, 1),
				     LD(TRACE_LD_A, 80, UN, 1, 1), MM(16, PP | UP, 1),
				     { .opcode = TRACE_LOOP, .repeat = 3, .a = 2 },
				     LD(TRACE_LD_A, 80, PN | UN, 1, 1), MM(16, PP | UP, 1) };
	struct sim_result a, b;
	struct ps_err err;
	four_iterations(flat, 1, 1, 3);
	assert_int_equal(run(f, flat, 5, false, &a, &err), PS_OK);
	assert_int_equal(run(f, loop, 7, false, &b, &err), PS_OK);
	assert_int_equal(a.cycles, b.cycles);
	assert_int_equal(a.units, b.units);
	free(a.ops);
	free(b.ops);
}

static void test_errors(void **state)
{
	struct fix *f = *state;
	struct trace_insn big[] = { OP(), LD(TRACE_LD_A, 700, UN, 2, 1), MM(8, PP, 1) };
	struct trace_insn dead[] = { OP(), LD(TRACE_LD_W, 8, 0, 1, 1), MM(8, PP, 1) };
	struct sim_result r;
	struct ps_err err;
	/* 2 slots x 700 B > 1 KiB input buffer: names the instruction */
	assert_int_equal(run(f, big, 3, false, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "op 0, record 1 (ld.a): buffer 'input' would hold 1400 B, its capacity is 1024 B"));
	/* MM pops a data token no load pushes */
	assert_int_equal(run(f, dead, 3, false, &r, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "deadlock"));
}

/* compat switch: per op max(compute without fill/drain, floor(bytes*8/bw)):
 * the DRAM-bound op above: compute 8, DRAM 136 B * 8 / 64 = 17 -> 17. */
static void test_compat_switch(void **state)
{
	struct sim_result r = run_tile(*state, 64, 64, 8, true);
	assert_int_equal(r.cycles, 17);
	assert_int_equal(r.compute_cycles, 8);
	free(r.ops);
}

/* Cycle mode under the compat assumptions reproduces the compat model's
 * cycles for every BitMoD preset, model and scenario of the report. */
static void test_cycle_equals_compat(void **state)
{
	static const char *const designs[] = { "fp16", "ant", "olive", "bitmod-lossy",
					       "bitmod-lossless" };
	static const char *const models[] = { "opt-1.3b", "phi-2", "yi-6b", "llama-2-7b",
					      "llama-2-13b", "llama-3-8b" };
	static const char *const scen[] = { "prefill:256", "generate:256+20" };
	(void)state;
	for (int d = 0; d < 5; d++)
		for (int m = 0; m < 6; m++)
			for (int s = 0; s < 2; s++) {
				char path[512];
				struct cfg_arch a;
				struct wl_model mod;
				struct wl_scenario sc;
				struct sim_result rc, re;
				struct ps_err err;
				struct sim_request rq = { .arch = &a, .model = &mod, .scenario = &sc };
				snprintf(path, sizeof path, PESIM_SRCDIR "/configs/arch/bitmod/%s.yaml",
					 designs[d]);
				assert_int_equal(pe_arch_load(path, &a, &err), PS_OK);
				assert_int_equal(wl_model_find(models[m], &mod, &err), PS_OK);
				assert_int_equal(wl_scenario_parse(scen[s], &sc, &err), PS_OK);
				rq.mode = SIM_MODE_COMPAT;
				assert_int_equal(sim_run(&rq, &rc, &err), PS_OK);
				rq.mode = SIM_MODE_CYCLE;
				rq.compat_assumptions = true;
				assert_int_equal(sim_run(&rq, &re, &err), PS_OK);
				if (rc.cycles != re.cycles || rc.compute_cycles != re.compute_cycles)
					fail_msg("%s %s %s: compat %llu, engine %llu", designs[d],
						 models[m], scen[s], (unsigned long long)rc.cycles,
						 (unsigned long long)re.cycles);
				sim_result_free(&rc);
				sim_result_free(&re);
			}
}

/* Replaying recorded blocks gives exactly what stepping every unit gives. */
static void test_memo_exact(void **state)
{
	struct cfg_arch a;
	struct cfg_energy en;
	struct wl_model m;
	struct wl_scenario sc;
	struct sim_result r[2];
	struct ps_err err;
	(void)state;
	assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
	assert_int_equal(sim_load_energy(&a, &en, &err), PS_OK);
	assert_int_equal(wl_model_find("opt-1.3b", &m, &err), PS_OK);
	assert_int_equal(wl_scenario_parse("generate:64+3", &sc, &err), PS_OK);
	for (int i = 0; i < 2; i++) {
		struct sim_engine *e;
		struct cc_sink sink;
		struct cc_compile_stats cs;
		struct wl_plan plan;
		struct cc_compile_req rq = { .arch = &a, .plan = &plan, .sink = &sink };
		assert_int_equal(wl_plan_model(&m, &sc, false, &plan, &err), PS_OK);
		assert_int_equal(sim_engine_create(&e, &a, &en, false, false, &err), PS_OK);
		sim_engine_set_memo(e, i == 0);
		sink.put = sim_engine_put;
		sink.put_block = NULL;
		sink.op_note = NULL;
		sink.ctx = e;
		assert_int_equal(cc_compile(&rq, &cs, &err), PS_OK);
		wl_plan_free(&plan);
		assert_int_equal(sim_engine_finish(e, &r[i], &err), PS_OK);
		if (i == 0)
			assert_true(sim_engine_memo_hits(e) > 100);
		else
			assert_int_equal(sim_engine_memo_hits(e), 0);
		sim_engine_destroy(e);
	}
	assert_true(r[0].cycles == r[1].cycles);
	assert_true(r[0].units == r[1].units);
	assert_true(r[0].busy_pe_cycles == r[1].busy_pe_cycles);
	assert_memory_equal(r[0].q, r[1].q, sizeof r[0].q);
	assert_memory_equal(&r[0].acts, &r[1].acts, sizeof r[0].acts);
}

/* SCALE-Sim's convention through the whole run: a one-fold GEMM (2x2
 * array, M = N = 2, K = 100) with memory that never limits takes SCALE-Sim
 * v2's per-fold count of array cycles, R + C + K - 2 = 102 (v2 prints 101,
 * the index of its last cycle); the run adds the two operand loads before
 * it and the store after it (a cycle each: pesim's DMA moves whole
 * cycles). Overlapped folds give the fold 100 + fill 2 + drain 2 = 104. */
static void test_scalesim_one_tile(void **state)
{
	struct fix *f = *state;
	struct sim_result r;
	struct ps_err err;
	struct cfg_arch a = f->a;
	struct sim_request rq = { .arch = &a, .energy = &f->e, .M = 2, .K = 100, .N = 2,
				  .mode = SIM_MODE_CYCLE };
	a.array.folds = CFG_FOLDS_SCALESIM;
	a.dram.bits_per_cycle = 1u << 20;
	a.dram.latency_cycles = 0;
	assert_int_equal(sim_run(&rq, &r, &err), PS_OK);
	assert_int_equal(r.compute_cycles, 2 + 2 + 100 - 2);
	assert_int_equal(r.cycles, 2 + 102 + 1);
	sim_result_free(&r);
	a.array.folds = CFG_FOLDS_OVERLAPPED;
	assert_int_equal(sim_run(&rq, &r, &err), PS_OK);
	assert_int_equal(r.compute_cycles, 100);	/* the array's issue */
	assert_int_equal(r.cycles, 2 + 104 + 1);
	sim_result_free(&r);
}

/* The lower bounds are lower bounds: on every preset and a set of shapes
 * (zoo linears, a 1-row decode, a short lm_head, a long-K FFN), the cycles
 * achieved are at least the bound under the buffers (cc_mapping's least
 * ideal over the mapper's space) and at least max(compute-bound,
 * DRAM-bound). Two cases were achieved faster than the buffer bound while
 * the mapper charged LUT-TC's table precompute on every iteration (it
 * runs when A loads): 512x2048x50272 on W1A16 (1.003) and decode
 * 1x4096x64000 on W2A16 (1.001); there the bound is also tight. */
static void test_bound_is_lower(void **state)
{
	static const struct {
		uint64_t M, K, N;
		int phase;
	} shapes[] = {
		{ 512, 2048, 50272, WL_PREFILL }, { 1, 4096, 64000, WL_DECODE },
		{ 512, 4096, 4096, WL_PREFILL }, { 1, 11008, 4096, WL_DECODE },
		{ 1, 768, 1000, WL_PREFILL }, { 64, 4096, 12288, WL_PREFILL },
		{ 512, 28672, 8192, WL_PREFILL }, { 8, 128, 2048, WL_DECODE },
	};
	glob_t g;
	size_t checked = 0;
	(void)state;
	assert_int_equal(glob(PESIM_SRCDIR "/configs/arch/*/*.yaml", 0, NULL, &g), 0);
	for (size_t p = 0; p < g.gl_pathc; p++) {
		struct cfg_arch a;
		struct cfg_energy en;
		struct ps_err err;
		assert_int_equal(pe_arch_load(g.gl_pathv[p], &a, &err), PS_OK);
		assert_int_equal(sim_load_energy(&a, &en, &err), PS_OK);
		for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
			struct sim_request rq = { .arch = &a, .energy = &en, .M = shapes[i].M,
						  .K = shapes[i].K, .N = shapes[i].N,
						  .gemm_phase = shapes[i].phase,
						  .mode = SIM_MODE_CYCLE, .keep_ops = true };
			struct sim_result r;
			const struct sim_op_stats *o;
			assert_int_equal(sim_run(&rq, &r, &err), PS_OK);
			assert_int_equal(r.n_ops, 1);
			o = &r.ops[0];
			if (o->cycles < o->bound_buffers || o->cycles < o->bound_compute ||
			    o->cycles < o->bound_dram)
				fail_msg("%s %llux%llux%llu: %llu cycles under the bound (buffers %llu, compute %llu, DRAM %llu)",
					 a.name, (unsigned long long)shapes[i].M,
					 (unsigned long long)shapes[i].K, (unsigned long long)shapes[i].N,
					 (unsigned long long)o->cycles, (unsigned long long)o->bound_buffers,
					 (unsigned long long)o->bound_compute, (unsigned long long)o->bound_dram);
			assert_true(o->bound_buffers > 0 && o->bound_compute > 0 && o->bound_dram > 0);
			if ((!strcmp(a.name, "lut-tc-m2n64k4-w1a16") && i == 0) ||
			    (!strcmp(a.name, "lut-tc-m2n64k4-w2a16") && i == 1)) {
				assert_true(o->bound_buffers * 1000 >= o->cycles * 995);
				checked++;
			}
			sim_result_free(&r);
		}
	}
	assert_int_equal(checked, 2);
	globfree(&g);
}

/* Decode attention scores whose next K-cache load holds the one DRAM
 * channel while the tile's stores wait behind it (FlightLLM CSD,
 * Llama-2-70B decode:2048, 8x128x2048 x8 heads), or whose next tile
 * cannot load before the tile two back has freed its slot (MAC INT8
 * DP4, Yi-6B, 8x128x2048 x4): the mapper's estimate charges both, so it
 * takes tiles that keep the channel busy. Achieved fraction of
 * max(compute-bound, DRAM-bound) on layer 0's attn_qk: 0.571 and 0.685
 * while the estimate left them out; 0.800 and 0.921 with them. */
static void test_map_attn_stores(void **state)
{
	static const struct {
		const char *arch, *model;
		double min_frac;
	} cases[] = {
		{ PESIM_SRCDIR "/configs/arch/flightllm/csd-2of16.yaml", "llama-2-70b", 0.78 },
		{ PESIM_SRCDIR "/configs/arch/lut_tc/mac-int8-dp4-64x2.yaml", "yi-6b", 0.9 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct cfg_arch a;
		struct cfg_energy en;
		struct wl_model m;
		struct wl_scenario sc;
		struct sim_result r;
		struct ps_err err;
		bool seen = false;
		assert_int_equal(pe_arch_load(cases[i].arch, &a, &err), PS_OK);
		assert_int_equal(sim_load_energy(&a, &en, &err), PS_OK);
		assert_int_equal(wl_model_find(cases[i].model, &m, &err), PS_OK);
		assert_int_equal(wl_scenario_parse("decode:2048", &sc, &err), PS_OK);
		struct sim_request rq = { .arch = &a, .energy = &en, .model = &m, .scenario = &sc,
					  .mode = SIM_MODE_CYCLE, .keep_ops = true };
		assert_int_equal(sim_run(&rq, &r, &err), PS_OK);
		for (size_t j = 0; j < r.n_ops; j++) {
			const struct sim_op_stats *o = &r.ops[j];
			uint64_t hw = o->bound_compute > o->bound_dram ? o->bound_compute : o->bound_dram;
			if (o->op.kind != WL_ATTN_QK || o->op.layer != 0)
				continue;
			assert_int_equal(o->op.K, 128);
			assert_int_equal(o->op.N, 2048);
			if ((double)hw < cases[i].min_frac * (double)o->cycles)
				fail_msg("%s: attn_qk %llu cycles, bound %llu (%.3f)", a.name,
					 (unsigned long long)o->cycles, (unsigned long long)hw,
					 (double)hw / (double)o->cycles);
			seen = true;
		}
		assert_true(seen);
		sim_result_free(&r);
	}
}

/* FP16 (BitMoD's baseline) on a 512 x 11008 x 4096 FFN-down: the A strip
 * of 23 rows stays while W streams, so the op runs at its traffic, A +
 * 23 W + out = 2,089,549,824 B at 256 bits per cycle = 65,298,432 cycles
 * (within 1%); without strips the best tiling cut the array to 11-column
 * tiles and took 94,798,732. */
static void test_a_strip_runs(void **state)
{
	struct cfg_arch a;
	struct cfg_energy en;
	struct sim_result r;
	struct ps_err err;
	(void)state;
	assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/fp16.yaml", &a, &err), PS_OK);
	assert_int_equal(sim_load_energy(&a, &en, &err), PS_OK);
	struct sim_request rq = { .arch = &a, .energy = &en, .M = 512, .K = 11008, .N = 4096,
				  .mode = SIM_MODE_CYCLE };
	assert_int_equal(sim_run(&rq, &r, &err), PS_OK);
	assert_int_equal(r.dram_read_bytes + r.dram_write_bytes, 2089549824ull);
	assert_true(r.cycles >= 65298432ull && r.cycles <= 65298432ull * 101 / 100);
	sim_result_free(&r);
}

/* Rows of a generate fold equal consecutive layers into one (layers,
 * times) and still add up to the run; streamed rows are the held ones. */
struct rowlog {
	struct sim_op_stats r[256];
	size_t n;
};

static enum ps_status log_row(void *ctx, const struct sim_op_stats *s, struct ps_err *err)
{
	struct rowlog *l = ctx;
	(void)err;
	if (l->n < 256)
		l->r[l->n++] = *s;
	return PS_OK;
}

static void test_rows_fold(void **state)
{
	struct cfg_arch a;
	struct cfg_energy en;
	struct wl_model m;
	struct wl_scenario sc;
	struct sim_result r, r2;
	struct ps_err err;
	static struct rowlog log;
	uint64_t sum = 0, layers = 0;
	(void)state;
	assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
	assert_int_equal(sim_load_energy(&a, &en, &err), PS_OK);
	assert_int_equal(wl_model_find("llama-2-7b", &m, &err), PS_OK);
	assert_int_equal(wl_scenario_parse("generate:16+3", &sc, &err), PS_OK);
	{
		struct sim_request rq = { .arch = &a, .energy = &en, .model = &m, .scenario = &sc,
					  .mode = SIM_MODE_CYCLE, .keep_ops = true };
		assert_int_equal(sim_run(&rq, &r, &err), PS_OK);
		rq.on_row = log_row;
		rq.row_ctx = &log;
		assert_int_equal(sim_run(&rq, &r2, &err), PS_OK);
	}
	/* 4 phases x (layer 0, layers 1-31, lm_head) x their ops, not 4 x 289 */
	assert_true(r.n_ops < 4 * 20);
	assert_int_equal(r2.n_ops, 0);
	assert_int_equal(log.n, r.n_ops);
	for (size_t i = 0; i < r.n_ops; i++) {
		sum += r.ops[i].cycles * r.ops[i].times;
		if (r.ops[i].op.cls == WL_OP_QKV)
			layers += r.ops[i].layers;
		assert_memory_equal(&r.ops[i], &log.r[i], sizeof r.ops[i]);
	}
	assert_int_equal(sum, r.cycles);
	assert_int_equal(layers, 4 * 32 * 3);	/* q, k, v of 32 layers, 4 phases */
	assert_int_equal(r.bound_cycles, r2.bound_cycles);
	assert_true(r.bound_cycles <= r.cycles && r.bound_cycles >= r.bound_hw_cycles);
	sim_result_free(&r);
	sim_result_free(&r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dram_bound),
		cmocka_unit_test(test_compute_bound),
		cmocka_unit_test(test_port_width),
		cmocka_unit_test(test_double_buffering),
		cmocka_unit_test(test_loop_zip_dispatch),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_compat_switch),
		cmocka_unit_test(test_cycle_equals_compat),
		cmocka_unit_test(test_memo_exact),
		cmocka_unit_test(test_scalesim_one_tile),
		cmocka_unit_test(test_bound_is_lower),
		cmocka_unit_test(test_map_attn_stores),
		cmocka_unit_test(test_a_strip_runs),
		cmocka_unit_test(test_rows_fold),
	};
	return cmocka_run_group_tests_name("engine", tests, setup, NULL);
}

/* test_compat.c - the BitMoD paper's method on cases computed by hand
 * (tests/data/arch/tiny*.yaml, tests/data/models/tiny.yaml). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pe.h"
#include "sim.h"
#include "sim_compat.h"

#define DATA PESIM_TEST_DATA

struct fix {
	struct cfg_arch a, as;
	struct cfg_energy e;
	struct wl_model m;
};

static int setup(void **state)
{
	static struct fix f;
	struct ps_err err;
	if (pe_arch_load(DATA "/arch/tiny.yaml", &f.a, &err) ||
	    pe_arch_load(DATA "/arch/tiny-serial.yaml", &f.as, &err) ||
	    cfg_energy_load(DATA "/energy/tiny.yaml", &f.e, &err) ||
	    wl_model_find(DATA "/models/tiny.yaml", &f.m, &err)) {
		print_error("%s\n", err.msg);
		return -1;
	}
	*state = &f;
	return 0;
}

static struct wl_op linear(uint64_t M, uint64_t K, uint64_t N, int phase)
{
	struct wl_op op;
	memset(&op, 0, sizeof op);
	strcpy(op.name, "lin");
	op.kind = WL_LINEAR;
	op.M = M;
	op.K = K;
	op.N = N;
	op.repeat = 1;
	op.batch = 1;
	op.phase = phase;
	return op;
}

/* One op in the compat model on arch a (the tiny model's shapes). */
static struct sim_op_stats compat(const struct fix *f, const struct cfg_arch *a,
				  const struct wl_op *op, int attn)
{
	struct sim_op_stats st;
	struct ps_err err;
	if (sim_compat_bitmod_op(a, &f->m, op, attn, &st, &err))
		fail_msg("%s", err.msg);
	return st;
}

/* A linear of M x K -> N in the given phase on arch a. */
static struct sim_op_stats compat_linear(const struct fix *f, const struct cfg_arch *a,
					 uint64_t M, uint64_t K, uint64_t N, int phase)
{
	struct wl_op op = linear(M, K, N, phase);
	return compat(f, a, &op, SIM_ATTN_PUBLISHED);
}

/* The figures a hand-checked op must show; 0: not checked. */
struct want {
	uint64_t tiles, compute_cycles, dram_cycles, cycles, dram_read_bytes,
		dram_write_bytes, input_fetches, weight_fetches;
};

#define EXPECT_FIELD(st, w, fld) do {						\
	if ((w).fld && (st)->fld != (w).fld)					\
		fail_msg("%s: %llu, want %llu", #fld,				\
			 (unsigned long long)(st)->fld, (unsigned long long)(w).fld); \
} while (0)

static void expect(const struct sim_op_stats *st, struct want w)
{
	EXPECT_FIELD(st, w, tiles);
	EXPECT_FIELD(st, w, compute_cycles);
	EXPECT_FIELD(st, w, dram_cycles);
	EXPECT_FIELD(st, w, cycles);
	EXPECT_FIELD(st, w, dram_read_bytes);
	EXPECT_FIELD(st, w, dram_write_bytes);
	EXPECT_FIELD(st, w, input_fetches);
	EXPECT_FIELD(st, w, weight_fetches);
}

/* 4x8 input, 8->6 weights, 2x2 array, 1 lane, 8-bit weights, 64 bits/cycle:
 * tiles = 8 * ceil(6/2) * ceil(4/2) = 48 = compute cycles;
 * W = 8*6 = 48 B, I = 16*4 = 64 B, O = 12*4 = 48 B: DRAM 160*8/64 = 20. */
static void test_linear_compute_bound(void **state)
{
	struct fix *f = *state;
	struct sim_op_stats st = compat_linear(f, &f->a, 4, 8, 6, WL_PREFILL);
	struct energy_breakdown eb;
	struct ps_err err;
	expect(&st, (struct want){ .tiles = 48, .compute_cycles = 48, .dram_cycles = 20,
				   .cycles = 48, .dram_read_bytes = 112,
				   .dram_write_bytes = 48 });
	/* energy: compute 1 pJ x 1.5 x 4 PEs x 48 = 288; tile reads 48 x 10;
	 * weight writes ceil(64/64)*6 = 6 x 2; input writes
	 * (ceil(128/64)*4 + ceil(96/64)*4) = 16 x 3; DRAM 160 B x 8 x 1 pJ */
	assert_int_equal(energy_price(&f->e, &st.acts, &eb, &err), PS_OK);
	assert_true(eb.compute == 288.0);
	assert_true(eb.sram == 480.0 + 12.0 + 48.0);
	assert_true(eb.dram == 1280.0);
	assert_true(eb.total == 2108.0);
}

/* Same op in decode (4x1 array): tiles = 8 * ceil(6/4) * ceil(4/1) = 64. */
static void test_decode_shape(void **state)
{
	struct fix *f = *state;
	struct sim_op_stats st = compat_linear(f, &f->a, 4, 8, 6, WL_DECODE);
	assert_int_equal(st.tiles, 64);
	assert_int_equal(st.cycles, 64);
}

/* Term-serial BitMoD PE, 4 lanes, 4.0625 stored bits -> floor 4 -> 2 cycles:
 * M=1, K=256, N=64 prefill: tiles = 64 * 32 * 1 = 2048, compute 4096.
 * W = ceil(256*4.0625/8) * 64 = 130*64 = 8320 B; I = 512; O = 128:
 * DRAM = 8960*8/64 = 1120. Decode at 3.0625 bits: floor 3 -> 2 cycles;
 * W = ceil(256*3.0625/8)*64 = 98*64 = 6272 B. */
static void test_bit_serial(void **state)
{
	struct fix *f = *state;
	struct sim_op_stats st = compat_linear(f, &f->as, 1, 256, 64, WL_PREFILL);
	expect(&st, (struct want){ .tiles = 2048, .compute_cycles = 4096,
				   .dram_read_bytes = 8320 + 512, .dram_cycles = 1120 });
	st = compat_linear(f, &f->as, 1, 256, 64, WL_DECODE);
	/* decode 4x1 array: tiles = 64 * 16 * 1 = 1024, x 2 cycles */
	expect(&st, (struct want){ .compute_cycles = 2048, .dram_read_bytes = 6272 + 512 });
}

/* Re-fetch (1 KiB buffers, 8-bit weights):
 * M=32, K=64, N=32: W = 2048 B, I = 4096 B, both too big. nI = 2, nW = 4;
 *   nW*W + I = 12288 is not < nI*I + W = 10240: inputs fetched twice.
 * M=8: I = 1024 B fits: nothing re-fetched.
 * M=32, K=32, N=128: W = 4096, I = 2048, nI = 4, nW = 2;
 *   2*4096 + 2048 = 10240 < 4*2048 + 4096 = 12288: weights fetched twice. */
static void test_refetch(void **state)
{
	struct fix *f = *state;
	struct sim_op_stats st = compat_linear(f, &f->a, 32, 64, 32, WL_PREFILL);
	expect(&st, (struct want){ .input_fetches = 2, .weight_fetches = 1,
				   .dram_read_bytes = 2048 + 8192 });
	st = compat_linear(f, &f->a, 8, 64, 32, WL_PREFILL);
	expect(&st, (struct want){ .input_fetches = 1, .dram_read_bytes = 2048 + 1024 });
	st = compat_linear(f, &f->a, 32, 32, 128, WL_PREFILL);
	expect(&st, (struct want){ .weight_fetches = 2, .input_fetches = 1,
				   .dram_read_bytes = 2 * 4096 + 2048 });
	/* weight writes are charged per fetch: ceil(32*8/64) * 128 * 2 */
	assert_true(st.acts.n[0][SIM_ACT_SRAM_WEIGHT_WRITE64] == 4.0 * 128 * 2);
}

/* Attention keeps the paper's shapes. Tiny: hidden 8, heads 2, kv_dim 4.
 * prefill:4 attn_qk: weight [4, 8], cin_i 4, rows_out 8: tiles 8*2*4 = 64;
 * W = 16 B * 4 = 64 (activations at 16 bits), I = 8 B * 8 = 64, O = 8*8 = 64.
 * attn_pv: weight [8, 4], cin_i 4, rows_out 4: tiles 4*4*2 = 32. */
static void test_attention_shapes(void **state)
{
	struct fix *f = *state;
	struct wl_phase ph = { WL_PREFILL, 4, 4, 1, 1 };
	struct wl_op *ops;
	size_t n;
	struct sim_op_stats st;
	struct ps_err err;
	int seen = 0;
	assert_int_equal(wl_phase_ops(&f->m, &ph, &ops, &n, &err), PS_OK);
	for (size_t i = 0; i < n; i++) {
		if (ops[i].kind == WL_LINEAR)
			continue;
		st = compat(f, &f->a, &ops[i], SIM_ATTN_PUBLISHED);
		if (ops[i].kind == WL_ATTN_QK) {
			assert_int_equal(st.tiles, 64);
			assert_int_equal(st.dram_read_bytes, 128);
			assert_int_equal(st.dram_write_bytes, 64);
		} else {
			assert_int_equal(st.tiles, 32);
		}
		seen++;
	}
	assert_int_equal(seen, 2);
	free(ops);
}

/* KV-read variant: decode attention reads ctx x kv_dim at kv_bits (16):
 * decode:64 attn_qk: I = 8 B x 64 = 512 B instead of 8 B x heads = 16 B. */
static void test_kv_read_variant(void **state)
{
	struct fix *f = *state;
	struct wl_phase ph = { WL_DECODE, 1, 64, 1, 1 };
	struct wl_op *ops;
	size_t n;
	struct sim_op_stats pub, kv;
	struct ps_err err;
	assert_int_equal(wl_phase_ops(&f->m, &ph, &ops, &n, &err), PS_OK);
	for (size_t i = 0; i < n; i++) {
		if (ops[i].kind != WL_ATTN_QK)
			continue;
		pub = compat(f, &f->a, &ops[i], SIM_ATTN_PUBLISHED);
		kv = compat(f, &f->a, &ops[i], SIM_ATTN_KV_READ);
		/* W = ceil(8*16/8) * 1 = 16 B in both */
		assert_int_equal(pub.dram_read_bytes, 16 + 16);
		assert_int_equal(kv.dram_read_bytes, 16 + 512);
		assert_int_equal(pub.tiles, kv.tiles);
	}
	free(ops);
}

/* generate:L+T in compat mode = prefill:L + T x decode:L, exactly. */
static void test_generate_is_prefill_plus_decodes(void **state)
{
	struct cfg_arch a;
	struct wl_model m;
	struct wl_scenario g, p, d;
	struct sim_result rg, rp, rd;
	struct ps_err err;
	(void)state;
	assert_int_equal(pe_arch_load(PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml", &a, &err), PS_OK);
	assert_int_equal(wl_model_find("llama-2-7b", &m, &err), PS_OK);
	assert_int_equal(wl_scenario_parse("generate:256+20", &g, &err), PS_OK);
	assert_int_equal(wl_scenario_parse("prefill:256", &p, &err), PS_OK);
	assert_int_equal(wl_scenario_parse("decode:256", &d, &err), PS_OK);
	{
		struct sim_request rq = { .arch = &a, .model = &m, .mode = SIM_MODE_COMPAT };
		rq.scenario = &g;
		assert_int_equal(sim_run(&rq, &rg, &err), PS_OK);
		rq.scenario = &p;
		assert_int_equal(sim_run(&rq, &rp, &err), PS_OK);
		rq.scenario = &d;
		assert_int_equal(sim_run(&rq, &rd, &err), PS_OK);
	}
	assert_int_equal(rg.cycles, rp.cycles + 20 * rd.cycles);
	assert_int_equal(rg.compute_cycles, rp.compute_cycles + 20 * rd.compute_cycles);
	assert_true(rg.energy.total > rp.energy.total + 19.99 * rd.energy.total);
	assert_true(rg.energy.total < rp.energy.total + 20.01 * rd.energy.total);
	/* Llama-2-7B decode q: tiles = 1024 * 64 * 1 = 65536, x2 cycles;
	 * W = 2080*4096 B at 3.0625 bits -> DRAM 8519680*8/256 + ... > compute:
	 * decode is DRAM-bound as the paper says. */
	assert_true(rd.cycles > rd.compute_cycles);
	sim_result_free(&rg);
	sim_result_free(&rp);
	sim_result_free(&rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear_compute_bound),
		cmocka_unit_test(test_decode_shape),
		cmocka_unit_test(test_bit_serial),
		cmocka_unit_test(test_refetch),
		cmocka_unit_test(test_attention_shapes),
		cmocka_unit_test(test_kv_read_variant),
		cmocka_unit_test(test_generate_is_prefill_plus_decodes),
	};
	return cmocka_run_group_tests_name("compat", tests, setup, NULL);
}

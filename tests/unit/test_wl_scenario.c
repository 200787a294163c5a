/* test_wl_scenario.c - scenario grammar, phase expansion and GEMM shapes.
 *
 * Shapes are checked against numbers written out from the Llama-2 configs,
 * and the MAC total of a whole prefill against an independent closed form,
 * so a transposed K/N or a wrong GQA grouping fails here first. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "wl_model.h"
#include "wl_scenario.h"

static void load(const char *name, struct wl_model *m)
{
	struct ps_err err = { "" };
	if (wl_model_find(name, m, &err) != PS_OK)
		fail_msg("%s: %s", name, err.msg);
}

static void parse_ok(const char *text, struct wl_scenario *s)
{
	struct ps_err err = { "" };
	if (wl_scenario_parse(text, s, &err) != PS_OK)
		fail_msg("%s: %s", text, err.msg);
}

static void test_parse(void **state)
{
	struct wl_scenario s;

	(void)state;
	parse_ok("prefill:256", &s);
	assert_int_equal(s.base, WL_PREFILL);
	assert_int_equal(s.prompt, 256);
	assert_int_equal(s.gen, 0);
	assert_int_equal(s.batch, 1);
	assert_string_equal(s.text, "prefill:256");

	parse_ok("decode:1024,batch:16", &s);
	assert_int_equal(s.base, WL_DECODE);
	assert_int_equal(s.prompt, 1024);
	assert_int_equal(s.batch, 16);

	parse_ok("batch:8, generate:256+20", &s);
	assert_int_equal(s.base, WL_PREFILL);
	assert_int_equal(s.prompt, 256);
	assert_int_equal(s.gen, 20);
	assert_int_equal(s.batch, 8);

	parse_ok("prefill:1048576", &s);
	assert_int_equal(s.prompt, 1048576);
	parse_ok("generate:1048575+1", &s);
}

struct bad_case {
	const char *text;
	const char *msg;	/* expected substring */
};

static void test_parse_errors(void **state)
{
	static const struct bad_case cases[] = {
		/* zero */
		{ "prefill:0", "scenario 'prefill:0': prefill: must be at least 1" },
		{ "generate:256+0", "generate tokens: must be at least 1" },
		{ "decode:8,batch:0", "batch: must be at least 1" },
		/* overflow */
		{ "prefill:1048577", "exceeds the limit of 1048576 tokens" },
		{ "decode:18446744073709551617", "exceeds the limit of 1048576" },
		{ "generate:1048576+1", "L+T = 1048577 exceeds the limit" },
		{ "prefill:1,batch:65537", "exceeds the limit of 65536 sequences" },
		/* junk */
		{ "prefill:12x", "expected a positive integer, got '12x'" },
		{ "prefill:-5", "expected a positive integer, got '-5'" },
		{ "prefill:+5", "expected a positive integer, got '+5'" },
		{ "prefill:1e3", "expected a positive integer, got '1e3'" },
		{ "prefill:", "prefill: missing number" },
		{ "prefill", "term 'prefill': expected key:value" },
		{ "generate:256", "generate: expected L+T, got '256'" },
		{ "generate:256+20+1", "got '20+1'" },
		{ "prefill:8,", "empty term" },
		{ "", "empty term" },
		{ "prefil:8", "unknown term 'prefil'" },
		/* missing phase */
		{ "batch:8", "missing phase term" },
		/* duplicates */
		{ "prefill:8,prefill:9", "duplicate term 'prefill'" },
		{ "prefill:8,decode:9", "more than one phase term ('decode' after 'prefill')" },
		{ "batch:2,decode:9,batch:2", "duplicate term 'batch'" },
		/* too long for struct wl_scenario.text */
		{ "prefill:1,batch:1,                                                  "
		  "                                                              x",
		  "longer than 127 characters" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wl_scenario s;
		struct ps_err err = { "" };
		enum ps_status st = wl_scenario_parse(cases[i].text, &s, &err);
		if (st != PS_EINPUT)
			fail_msg("'%s' was accepted", cases[i].text);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("'%s': message '%s' lacks '%s'", cases[i].text,
				 err.msg, cases[i].msg);
	}
}

static void test_phases_generate(void **state)
{
	struct wl_model m;
	struct wl_scenario s;
	struct wl_phase ph[WL_MAX_PHASES];
	struct ps_err err = { "" };
	size_t n;

	(void)state;
	load("llama-2-7b", &m);
	parse_ok("generate:256+20,batch:2", &s);

	/* step by step: step t attends to 256 + t + 1 keys */
	assert_int_equal(wl_scenario_phases(&s, &m, false, ph, WL_MAX_PHASES,
					    &n, &err), PS_OK);
	assert_int_equal(n, 21);
	assert_int_equal(ph[0].kind, WL_PREFILL);
	assert_int_equal(ph[0].tokens, 256);
	assert_int_equal(ph[0].ctx, 256);
	assert_int_equal(ph[0].batch, 2);
	assert_int_equal(ph[0].times, 1);
	for (size_t i = 1; i < n; i++) {
		assert_int_equal(ph[i].kind, WL_DECODE);
		assert_int_equal(ph[i].tokens, 1);
		assert_int_equal(ph[i].ctx, 256 + i);
		assert_int_equal(ph[i].batch, 2);
		assert_int_equal(ph[i].times, 1);
	}
	assert_int_equal(ph[20].ctx, 276);

	/* BitMoD's method: every decode step at context L */
	assert_int_equal(wl_scenario_phases(&s, &m, true, ph, WL_MAX_PHASES,
					    &n, &err), PS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ph[0].kind, WL_PREFILL);
	assert_int_equal(ph[0].tokens, 256);
	assert_int_equal(ph[1].kind, WL_DECODE);
	assert_int_equal(ph[1].tokens, 1);
	assert_int_equal(ph[1].ctx, 256);
	assert_int_equal(ph[1].times, 20);
	assert_int_equal(ph[1].batch, 2);

	/* 21 phases do not fit in 20 */
	assert_int_equal(wl_scenario_phases(&s, &m, false, ph, 20, &n, &err),
			 PS_EINPUT);
	assert_non_null(strstr(err.msg, "needs 21 phases, room for 20"));
	assert_int_equal(wl_scenario_phases(&s, &m, true, ph, 2, &n, &err),
			 PS_OK);
}

static void test_phases_single(void **state)
{
	struct wl_model m, vit;
	struct wl_scenario s;
	struct wl_phase ph[4];
	struct ps_err err = { "" };
	size_t n;

	(void)state;
	load("llama-2-7b", &m);
	parse_ok("decode:1024,batch:16", &s);
	assert_int_equal(wl_scenario_phases(&s, &m, false, ph, 4, &n, &err),
			 PS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ph[0].kind, WL_DECODE);
	assert_int_equal(ph[0].tokens, 1);
	assert_int_equal(ph[0].ctx, 1024);
	assert_int_equal(ph[0].batch, 16);
	assert_int_equal(ph[0].times, 1);

	parse_ok("prefill:512", &s);
	assert_int_equal(wl_scenario_phases(&s, &m, true, ph, 4, &n, &err),
			 PS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ph[0].kind, WL_PREFILL);
	assert_int_equal(ph[0].ctx, 512);

	/* encoders: prefill only */
	load("vit-b-16", &vit);
	parse_ok("prefill:197", &s);
	assert_int_equal(wl_scenario_phases(&s, &vit, false, ph, 4, &n, &err),
			 PS_OK);
	assert_int_equal(n, 1);
	parse_ok("decode:197", &s);
	assert_int_equal(wl_scenario_phases(&s, &vit, false, ph, 4, &n, &err),
			 PS_EINPUT);
	assert_non_null(strstr(err.msg, "'vit-b-16' is an encoder"));
	parse_ok("generate:197+1", &s);
	assert_int_equal(wl_scenario_phases(&s, &vit, true, ph, 4, &n, &err),
			 PS_EINPUT);
}

/* An op a list must hold: its index (negative: from the end), name,
 * class, kind, shape and repeat. */
struct want_op {
	long i;
	const char *name;
	int cls, kind;
	uint64_t M, K, N, repeat;
};

static void check_ops(const struct wl_op *ops, size_t n, const struct want_op *w,
		      size_t n_want)
{
	for (size_t j = 0; j < n_want; j++, w++) {
		const struct wl_op *op = &ops[w->i < 0 ? (long)n + w->i : w->i];
		assert_string_equal(op->name, w->name);
		assert_int_equal(op->cls, w->cls);
		assert_int_equal(op->kind, w->kind);
		assert_int_equal(op->M, w->M);
		assert_int_equal(op->K, w->K);
		assert_int_equal(op->N, w->N);
		assert_int_equal(op->repeat, w->repeat);
		assert_int_equal(op->a_kind, WL_ACT);
		assert_int_equal(op->b_kind, w->kind == WL_LINEAR ? WL_WEIGHT : WL_KV);
	}
}
#define CHECK_OPS(ops, n, ...) do {						\
	static const struct want_op want_[] = { __VA_ARGS__ };			\
	check_ops(ops, n, want_, sizeof want_ / sizeof want_[0]);		\
} while (0)

static void test_ops_llama7b_prefill(void **state)
{
	struct wl_model m;
	struct wl_phase ph = { .kind = WL_PREFILL, .tokens = 256, .ctx = 256,
			       .batch = 1, .times = 1 };
	struct wl_op *ops;
	struct ps_err err = { "" };
	size_t n;
	uint64_t macs = 0, want;
	const uint64_t L = 256, h = 4096, f = 11008, V = 32000, nl = 32;

	(void)state;
	load("llama-2-7b", &m);
	assert_int_equal(wl_phase_ops(&m, &ph, &ops, &n, &err), PS_OK);
	assert_int_equal(n, 32 * 9 + 1);

	CHECK_OPS(ops, n,
		{ 0, "q", WL_OP_QKV, WL_LINEAR, 256, 4096, 4096, 1 },
		{ 1, "k", WL_OP_QKV, WL_LINEAR, 256, 4096, 4096, 1 },
		{ 2, "v", WL_OP_QKV, WL_LINEAR, 256, 4096, 4096, 1 },
		{ 3, "attn_qk", WL_OP_ATTN, WL_ATTN_QK, 256, 128, 256, 32 },
		{ 4, "attn_pv", WL_OP_ATTN, WL_ATTN_PV, 256, 256, 128, 32 },
		{ 5, "o", WL_OP_O, WL_LINEAR, 256, 4096, 4096, 1 },
		{ 6, "gate", WL_OP_FFN, WL_LINEAR, 256, 4096, 11008, 1 },
		{ 7, "up", WL_OP_FFN, WL_LINEAR, 256, 4096, 11008, 1 },
		{ 8, "down", WL_OP_FFN, WL_LINEAR, 256, 11008, 4096, 1 },
		{ -1, "lm_head", WL_OP_LM_HEAD, WL_LINEAR, 256, 4096, 32000, 1 },
	);
	assert_int_equal(ops[n - 1].layer, 32);
	assert_int_equal(ops[9].layer, 1);
	assert_string_equal(ops[9].name, "q");
	assert_int_equal(ops[n - 2].layer, 31);

	/* the shape facts ride along on every op */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ops[i].phase, WL_PREFILL);
		assert_int_equal(ops[i].tokens, 256);
		assert_int_equal(ops[i].ctx, 256);
		assert_int_equal(ops[i].batch, 1);
		assert_int_equal(ops[i].heads, 32);
		assert_int_equal(ops[i].kv_heads, 32);
		assert_int_equal(ops[i].head_dim, 128);
		assert_int_equal(ops[i].hidden, 4096);
		macs += wl_op_macs(&ops[i]);
	}
	/* 4 square projections, 3 FFN linears, QK^T and PV over all heads
	 * (full L x L, causal mask not exploited), lm_head on every token. */
	want = nl * (L * h * h * 4 + L * h * f * 3 + 2 * L * L * h) + L * h * V;
	assert_int_equal(macs, want);
	/* 2 x MACs ~ 2 x params x tokens, the usual rule of thumb */
	assert_true(macs > 256ull * 6.4e9 && macs < 256ull * 7.0e9);
	free(ops);
}

static void test_ops_llama70b_decode_gqa(void **state)
{
	struct wl_model m;
	struct wl_scenario s;
	struct wl_phase ph[1];
	struct wl_op *ops;
	struct ps_err err = { "" };
	size_t n;

	(void)state;
	load("llama-2-70b", &m);
	parse_ok("decode:1024", &s);
	assert_int_equal(wl_scenario_phases(&s, &m, false, ph, 1, &n, &err),
			 PS_OK);
	assert_int_equal(wl_phase_ops(&m, &ph[0], &ops, &n, &err), PS_OK);
	assert_int_equal(n, 80 * 9 + 1);
	CHECK_OPS(ops, n,
		{ 0, "q", WL_OP_QKV, WL_LINEAR, 1, 8192, 8192, 1 },
		{ 1, "k", WL_OP_QKV, WL_LINEAR, 1, 8192, 1024, 1 },
		{ 2, "v", WL_OP_QKV, WL_LINEAR, 1, 8192, 1024, 1 },
		/* 8 query heads share each of the 8 KV heads: they stack into M */
		{ 3, "attn_qk", WL_OP_ATTN, WL_ATTN_QK, 8, 128, 1024, 8 },
		{ 4, "attn_pv", WL_OP_ATTN, WL_ATTN_PV, 8, 1024, 128, 8 },
		{ 5, "o", WL_OP_O, WL_LINEAR, 1, 8192, 8192, 1 },
		{ 8, "down", WL_OP_FFN, WL_LINEAR, 1, 28672, 8192, 1 },
		{ -1, "lm_head", WL_OP_LM_HEAD, WL_LINEAR, 1, 8192, 32000, 1 },
	);
	assert_int_equal(ops[3].heads, 64);
	assert_int_equal(ops[3].kv_heads, 8);
	assert_int_equal(ops[3].ctx, 1024);
	assert_int_equal(ops[3].phase, WL_DECODE);
	free(ops);
}

static void test_ops_batch_plain_encoder(void **state)
{
	struct wl_model m;
	struct wl_phase dec = { .kind = WL_DECODE, .tokens = 1, .ctx = 300,
				.batch = 16, .times = 1 };
	struct wl_phase pre = { .kind = WL_PREFILL, .tokens = 197, .ctx = 197,
				.batch = 4, .times = 1 };
	struct wl_op *ops;
	struct ps_err err = { "" };
	size_t n;

	(void)state;
	/* OPT: plain FFN, batch stacks into M of linears and into repeat of
	 * attention (each sequence has its own KV cache) */
	load("opt-1.3b", &m);
	assert_int_equal(wl_phase_ops(&m, &dec, &ops, &n, &err), PS_OK);
	assert_int_equal(n, 24 * 8 + 1);
	CHECK_OPS(ops, n,
		{ 0, "q", WL_OP_QKV, WL_LINEAR, 16, 2048, 2048, 1 },
		{ 3, "attn_qk", WL_OP_ATTN, WL_ATTN_QK, 1, 64, 300, 32 * 16 },
		{ 4, "attn_pv", WL_OP_ATTN, WL_ATTN_PV, 1, 300, 64, 32 * 16 },
		{ 6, "fc1", WL_OP_FFN, WL_LINEAR, 16, 2048, 8192, 1 },
		{ 7, "fc2", WL_OP_FFN, WL_LINEAR, 16, 8192, 2048, 1 },
		{ -1, "lm_head", WL_OP_LM_HEAD, WL_LINEAR, 16, 2048, 50272, 1 },
	);
	free(ops);

	/* Phi-2: q width 32 x 80 = hidden */
	load("phi-2", &m);
	assert_int_equal(wl_phase_ops(&m, &dec, &ops, &n, &err), PS_OK);
	CHECK_OPS(ops, n,
		{ 3, "attn_qk", WL_OP_ATTN, WL_ATTN_QK, 1, 80, 300, 32 * 16 },
		{ 5, "o", WL_OP_O, WL_LINEAR, 16, 2560, 2560, 1 },
	);
	free(ops);

	/* ViT: classifier on the class token only */
	load("vit-b-16", &m);
	assert_int_equal(wl_phase_ops(&m, &pre, &ops, &n, &err), PS_OK);
	assert_int_equal(n, 12 * 8 + 1);
	CHECK_OPS(ops, n,
		{ 0, "q", WL_OP_QKV, WL_LINEAR, 197 * 4, 768, 768, 1 },
		{ 3, "attn_qk", WL_OP_ATTN, WL_ATTN_QK, 197, 64, 197, 12 * 4 },
		{ -1, "head", WL_OP_LM_HEAD, WL_LINEAR, 4, 768, 1000, 1 },
	);
	assert_int_equal(ops[n - 1].layer, 12);
	free(ops);

	/* a phase that attends to fewer keys than it has tokens is malformed */
	pre.ctx = 100;
	assert_int_equal(wl_phase_ops(&m, &pre, &ops, &n, &err), PS_EINPUT);
	assert_null(ops);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(wl_op_class_name(WL_OP_QKV), "qkv");
	assert_string_equal(wl_op_class_name(WL_OP_O), "o");
	assert_string_equal(wl_op_class_name(WL_OP_FFN), "ffn");
	assert_string_equal(wl_op_class_name(WL_OP_ATTN), "attn");
	assert_string_equal(wl_op_class_name(WL_OP_LM_HEAD), "lm_head");
	assert_string_equal(wl_op_class_name(WL_OP_CLASS_N), "?");
	assert_string_equal(wl_phase_name(WL_PREFILL), "prefill");
	assert_string_equal(wl_phase_name(WL_DECODE), "decode");
	assert_string_equal(wl_phase_name(-1), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_phases_generate),
		cmocka_unit_test(test_phases_single),
		cmocka_unit_test(test_ops_llama7b_prefill),
		cmocka_unit_test(test_ops_llama70b_decode_gqa),
		cmocka_unit_test(test_ops_batch_plain_encoder),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

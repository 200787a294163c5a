/* test_wl_zoo.c - the model zoo against published parameter totals.
 *
 * Each zoo file's derived parameter count must land within 1% of the total
 * Hugging Face (or timm) reports; where the exact published count is known
 * the match must be exact, which pins embeddings, biases and norms too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "wl_model.h"

struct target {
	const char *name;
	double params;		/* published total */
	uint64_t exact;		/* exact published count, 0 if not known */
};

/* Hugging Face model cards / num_parameters(); timm for ViT. BitNet's is the
 * 3.32e9 llama.cpp prints for its GGUF (its dims are [uncertain]). */
static const struct target targets[] = {
	{ "vit-b-16", 86.6e6, 86567656ull },
	{ "vit-h-14", 632e6, 0 },
	{ "opt-1.3b", 1.316e9, 1315758080ull },
	{ "phi-2", 2.78e9, 2779683840ull },
	{ "bitnet-b1.58-3b", 3.32e9, 0 },
	{ "yi-6b", 6.06e9, 0 },
	{ "opt-6.7b", 6.658e9, 6658473984ull },
	{ "llama-2-7b", 6.738e9, 6738415616ull },
	{ "llama-3-8b", 8.03e9, 8030261248ull },
	{ "llama-2-13b", 13.016e9, 13015864320ull },
	{ "llama-2-70b", 68.98e9, 68976648192ull },
};
#define N_TARGETS (sizeof targets / sizeof targets[0])

static void load(const char *name, struct wl_model *m)
{
	struct ps_err err = { "" };
	enum ps_status st = wl_model_find(name, m, &err);
	if (st != PS_OK)
		fail_msg("%s: %s", name, err.msg);
}

static void test_param_counts(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_TARGETS; i++) {
		struct wl_model m;
		double p, rel;

		load(targets[i].name, &m);
		p = (double)wl_model_params(&m);
		rel = (p - targets[i].params) / targets[i].params;
		if (rel > 0.01 || rel < -0.01)
			fail_msg("%s: %.0f params, expected %.4g (%.2f%% off)",
				 targets[i].name, p, targets[i].params,
				 100 * rel);
		if (targets[i].exact)
			assert_int_equal(wl_model_params(&m), targets[i].exact);
		assert_string_equal(m.name, targets[i].name);
	}
}

/* Exact sums written out by hand for two models, so a bug shared by the
 * formula and the table above cannot hide. */
static void test_param_breakdown(void **state)
{
	struct wl_model m;
	uint64_t layer;

	(void)state;
	load("vit-h-14", &m);
	layer = 4ull * 1280 * 1280 + 4 * 1280	/* qkv, proj + biases */
		+ 2ull * 1280 * 5120 + 5120 + 1280	/* fc1, fc2 + biases */
		+ 2 * 2 * 1280;				/* 2 LayerNorms */
	assert_int_equal(wl_model_params(&m),
			 32 * layer + 2 * 1280		/* final LN */
			 + 3ull * 14 * 14 * 1280 + 1280	/* patch conv */
			 + 1280 + 257ull * 1280		/* cls, positions */
			 + 1280ull * 1000 + 1000);	/* head */

	load("yi-6b", &m);
	layer = 2ull * 4096 * 4096 + 2ull * 4096 * 512	/* q, o; k, v (GQA) */
		+ 3ull * 4096 * 11008 + 2 * 4096;
	assert_int_equal(wl_model_params(&m),
			 32 * layer + 4096 + 2ull * 64000 * 4096);
}

static void test_dims(void **state)
{
	struct wl_model m;

	(void)state;
	load("llama-2-70b", &m);
	assert_int_equal(m.kind, WL_DECODER);
	assert_int_equal(m.ffn_kind, WL_FFN_GATED);
	assert_int_equal(wl_q_dim(&m), 8192);
	assert_int_equal(wl_kv_dim(&m), 1024);
	assert_int_equal(m.norms_per_layer, 2);
	assert_false(m.uncertain);
	assert_string_equal(m.display, "Llama-2-70B");
	assert_non_null(strstr(m.source, "Llama-2-70b-hf"));

	load("phi-2", &m);
	assert_int_equal(m.norms_per_layer, 1);
	assert_true(m.lm_head_bias);
	assert_false(m.tied_embeddings);

	load("bitnet-b1.58-3b", &m);
	assert_true(m.uncertain);

	load("vit-b-16", &m);
	assert_int_equal(m.kind, WL_ENCODER);
	assert_int_equal(m.seq_len, 197);
	assert_int_equal(m.learned_positions, 197);
	assert_int_equal(m.vocab, 0);
}

static void test_zoo_list(void **state)
{
	struct wl_model *ms;
	struct ps_err err = { "" };
	size_t n;

	(void)state;
	assert_int_equal(wl_zoo_list(&ms, &n, &err), PS_OK);
	assert_int_equal(n, N_TARGETS);
	/* targets[] is in ascending parameter order */
	for (size_t i = 0; i < n; i++)
		assert_string_equal(ms[i].name, targets[i].name);
	for (size_t i = 1; i < n; i++)
		assert_true(wl_model_params(&ms[i - 1]) <=
			    wl_model_params(&ms[i]));
	free(ms);
}

static void test_unknown_name(void **state)
{
	struct wl_model m;
	struct ps_err err = { "" };

	(void)state;
	assert_int_equal(wl_model_find("llama-9-1b", &m, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "unknown model 'llama-9-1b'"));
	assert_non_null(strstr(err.msg, "llama-2-7b"));
	assert_non_null(strstr(err.msg, "vit-h-14"));
	assert_int_equal(wl_model_find("", &m, &err), PS_EINPUT);
}

static void test_find_by_path(void **state)
{
	struct wl_model m;
	struct ps_err err = { "" };
	char path[4096];

	(void)state;
	snprintf(path, sizeof path, "%s/llama-2-13b.yaml", wl_zoo_dir());
	assert_int_equal(wl_model_find(path, &m, &err), PS_OK);
	assert_string_equal(m.name, "llama-2-13b");
	assert_int_equal(m.hidden, 5120);
	assert_int_equal(wl_model_find("/nonexistent/x.yaml", &m, &err),
			 PS_EINPUT);
	assert_non_null(strstr(err.msg, "/nonexistent/x.yaml"));
}

/* Writes text to <scratch dir>/<stem>.yaml and loads it. */
static enum ps_status load_text(const char *stem, const char *text,
				struct wl_model *m, struct ps_err *err)
{
	char name[256];

	snprintf(name, sizeof name, "%s.yaml", stem);
	tu_put(tu_at(name), text);
	return wl_model_load(tu_at(name), m, err);
}

#define DEC_HEAD "display: T\nsource: test\nkind: decoder\nhidden: 64\n" \
	"layers: 2\nheads: 4\n"
#define DEC_TAIL "head_dim: 16\nffn: 128\nffn_kind: gated\nvocab: 100\n"

static void test_bad_models(void **state)
{
	struct wl_model m;
	struct ps_err err = { "" };

	(void)state;

	assert_int_equal(load_text("ok", DEC_HEAD "kv_heads: 2\n" DEC_TAIL,
				   &m, &err), PS_OK);
	assert_string_equal(m.name, "ok");
	/* 2 layers x (4*64*64 + 3*64*128 + 2*64) + 64 + 2*100*64 */
	assert_int_equal(wl_model_params(&m),
			 2 * (2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 128 + 128) +
			 64 + 2 * 100 * 64);

	/* heads not a multiple of kv_heads: reported on kv_heads' line */
	assert_int_equal(load_text("gqa", DEC_HEAD "kv_heads: 3\n" DEC_TAIL,
				   &m, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "gqa.yaml:7: kv_heads:"));
	assert_non_null(strstr(err.msg, "multiple"));

	assert_int_equal(load_text("zero", DEC_HEAD "kv_heads: 0\n" DEC_TAIL,
				   &m, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "zero.yaml:7: kv_heads: value out of range"));

	assert_int_equal(load_text("novocab",
				   DEC_HEAD "kv_heads: 4\nhead_dim: 16\nffn: 1\n"
				   "ffn_kind: plain\n", &m, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "vocab: missing required field for decoders"));

	assert_int_equal(load_text("name", DEC_HEAD "kv_heads: 4\n" DEC_TAIL
				   "name: x\n", &m, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "name: unknown key"));

	assert_int_equal(load_text("seq", DEC_HEAD "kv_heads: 4\n" DEC_TAIL
				   "seq_len: 5\n", &m, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "seq.yaml:12: seq_len: only for encoders"));

	assert_int_equal(load_text("enc",
				   "display: E\nsource: t\nkind: encoder\n"
				   "hidden: 64\nlayers: 1\nheads: 4\nkv_heads: 4\n"
				   "head_dim: 16\nffn: 128\nffn_kind: plain\n"
				   "bias: true\npatch: 16\nchannels: 3\n"
				   "classes: 10\n", &m, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "seq_len: missing required field for encoders"));

	assert_int_equal(load_text("kind2",
				   "display: T\nsource: s\nkind: decodr\n", &m,
				   &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "kind2.yaml:3: kind: unknown value 'decodr'"));

	/* PESIM_ZOO redirects the zoo; every *.yaml in it must load. */
	setenv("PESIM_ZOO", tu_dir(), 1);
	assert_string_equal(wl_zoo_dir(), tu_dir());
	{
		struct wl_model *ms;
		size_t n;
		assert_int_equal(wl_zoo_list(&ms, &n, &err), PS_EINPUT);
		assert_int_equal(wl_model_find("ok", &m, &err), PS_OK);
		assert_int_equal(m.hidden, 64);
	}
	unsetenv("PESIM_ZOO");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_param_counts),
		cmocka_unit_test(test_param_breakdown),
		cmocka_unit_test(test_dims),
		cmocka_unit_test(test_zoo_list),
		cmocka_unit_test(test_unknown_name),
		cmocka_unit_test(test_find_by_path),
		cmocka_unit_test(test_bad_models),
	};
	return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}

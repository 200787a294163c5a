/* wl_model.h - the model zoo: an LLM (or ViT encoder) described by its dims.
 *
 * A model is a YAML file in workloads/models/ (schema in the README,
 * "Model YAML"). Parameter counts are computed from the dims, never typed in. */
#ifndef WL_MODEL_H
#define WL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "ps_status.h"

enum wl_ffn_kind { WL_FFN_PLAIN, WL_FFN_GATED };
enum wl_model_kind { WL_DECODER, WL_ENCODER };

struct wl_model {
	char name[64];		/* zoo key, e.g. "llama-2-7b" (file stem) */
	char display[64];	/* "Llama-2-7B" */
	char source[256];	/* where the dims come from */
	int kind;		/* enum wl_model_kind */
	uint32_t hidden, layers, heads, kv_heads, head_dim, ffn, vocab;
	int ffn_kind;		/* enum wl_ffn_kind */
	bool tied_embeddings;	/* lm_head shares the token embedding */
	bool bias;		/* linears carry biases (OPT, Phi-2, ViT) */
	bool lm_head_bias;	/* Phi-2 */
	uint32_t learned_positions;	/* learned position table rows (OPT 2050, ViT seq) */
	uint32_t seq_len;	/* encoders: fixed token count (ViT 197) */
	uint32_t patch;		/* encoders: patch size (16) */
	uint32_t channels;	/* encoders: image channels (3) */
	uint32_t classes;	/* encoders: classifier outputs (1000) */
	bool uncertain;		/* reference marks the dims [uncertain] */
	uint32_t norms_per_layer;	/* 2 (pre-attention, pre-FFN); Phi-2's
					 * parallel block shares one: 1 */
};

/* Width of the K and V projections: kv_heads * head_dim. */
static inline uint64_t wl_kv_dim(const struct wl_model *m)
{
	return (uint64_t)m->kv_heads * m->head_dim;
}

/* Width of the Q projection and attention output: heads * head_dim. */
static inline uint64_t wl_q_dim(const struct wl_model *m)
{
	return (uint64_t)m->heads * m->head_dim;
}

/* Load one model file; checks dims for consistency (heads divisible by
 * kv_heads, ...) with file:line errors. */
enum ps_status wl_model_load(const char *path, struct wl_model *m,
			     struct ps_err *err);

/* The zoo directory: $PESIM_ZOO, else the source tree's workloads/models
 * (compiled in), else <exe dir>/../workloads/models. */
const char *wl_zoo_dir(void);

/* Find a model by zoo key ("llama-2-7b") or by path to a .yaml file. */
enum ps_status wl_model_find(const char *name_or_path, struct wl_model *m,
			     struct ps_err *err);

/* Same, with overrides of its keys (cfg_yaml.h: "layers" = "2") applied
 * to the file's document before the walk. */
struct cfg_sets;
enum ps_status wl_model_load_set(const char *path, const struct cfg_sets *sets,
				 struct wl_model *m, struct ps_err *err);
enum ps_status wl_model_find_set(const char *name_or_path,
				 const struct cfg_sets *sets,
				 struct wl_model *m, struct ps_err *err);
/* A key of a loaded model by name ("layers", "name"), as text. */
enum ps_status wl_model_value(const struct wl_model *m, const char *path,
			      char *buf, size_t n, struct ps_err *err);

/* All zoo models, sorted by parameter count. *out is malloc'd. */
enum ps_status wl_zoo_list(struct wl_model **out, size_t *n,
			   struct ps_err *err);

/* Parameters (weights + biases + embeddings + norms), computed from dims. */
uint64_t wl_model_params(const struct wl_model *m);

#endif

/* wl_scenario.h - scenarios and their expansion into an ordered GEMM op list.
 *
 * Scenario grammar (comma-joined terms):
 *   prefill:L          one forward pass over L tokens (context L)
 *   decode:C           one token generated at context C (it attends to C keys,
 *                      its own included)
 *   generate:L+T       prefill:L, then T decode steps at contexts L+1..L+T
 *   batch:B            modifier: B independent sequences (default 1)
 * e.g. "generate:256+20", "decode:1024,batch:16".
 *
 * A scenario becomes a list of phases {kind, tokens, ctx, batch, times}; each
 * phase expands into the same ordered op list. The paper-compat mode of BitMoD
 * runs every decode step at context L; wl_scenario_phases(..., decode_at_prompt)
 * returns one decode phase with times = T then.
 *
 * GEMM convention: out[M,N] = A[M,K] x B[K,N]. For a linear A is the
 * activation (M = tokens x batch) and B the weight (K = in, N = out features).
 * Attention per head (per KV group under GQA, group g = heads/kv_heads):
 *   attn_qk: M = tokens*g, K = head_dim, N = ctx, repeat = kv_heads*batch
 *   attn_pv: M = tokens*g, K = ctx, N = head_dim, repeat = kv_heads*batch
 * (queries of one KV group share the K/V operand, so they stack into M). */
#ifndef WL_SCENARIO_H
#define WL_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "ps_status.h"
#include "wl_model.h"

enum wl_phase_kind { WL_PREFILL, WL_DECODE, WL_PHASE_N };

struct wl_phase {
	int kind;		/* enum wl_phase_kind */
	uint32_t tokens;	/* new tokens per sequence: L or 1 */
	uint32_t ctx;		/* attended context length incl. the new tokens' keys */
	uint32_t batch;
	uint32_t times;		/* how many identical copies of this phase run */
};

#define WL_MAX_PHASES 4096

struct wl_scenario {
	char text[128];
	int base;		/* enum wl_phase_kind of the first phase */
	uint32_t prompt;	/* L (prefill) or C (decode) */
	uint32_t gen;		/* T for generate, else 0 */
	uint32_t batch;
};

enum ps_status wl_scenario_parse(const char *text, struct wl_scenario *s,
				 struct ps_err *err);

/* Phases of scenario s on model m. With decode_at_prompt, the T decode steps
 * of generate:L+T collapse into one phase {ctx = L, times = T} (BitMoD's
 * method); otherwise step t runs at ctx = L + t + 1 (its own key included).
 * Returns the number of phases written (at most cap), or an error. */
enum ps_status wl_scenario_phases(const struct wl_scenario *s,
				  const struct wl_model *m,
				  bool decode_at_prompt,
				  struct wl_phase *out, size_t cap, size_t *n,
				  struct ps_err *err);

enum wl_op_class {
	WL_OP_QKV, WL_OP_O, WL_OP_FFN, WL_OP_ATTN, WL_OP_LM_HEAD, WL_OP_CLASS_N
};

enum wl_operand { WL_WEIGHT, WL_ACT, WL_KV };

enum wl_op_kind {
	WL_LINEAR,	/* activation x weight */
	WL_ATTN_QK,	/* Q x K^T: activation x KV cache */
	WL_ATTN_PV,	/* P x V: activation x KV cache */
};

struct wl_op {
	char name[24];		/* "q", "k", "v", "o", "gate", "up", "down",
				 * "fc1", "fc2", "attn_qk", "attn_pv", "lm_head" */
	uint32_t layer;		/* decoder layer, or layers for lm_head */
	int cls;		/* enum wl_op_class */
	int kind;		/* enum wl_op_kind */
	uint64_t M, K, N;
	uint64_t repeat;	/* identical independent GEMMs (heads x batch) */
	int a_kind, b_kind;	/* enum wl_operand of A and B */
	int phase;		/* enum wl_phase_kind */
	/* model and phase facts that shape-only models need (attention): */
	uint32_t tokens, ctx, batch, heads, kv_heads, head_dim, hidden;
};

/* Ops of one phase in execution order: per layer q, k, v, attn_qk, attn_pv,
 * o, then the FFN; lm_head last, over every new token (as Hugging Face's
 * forward and the BitMoD method do). Encoders have no lm_head (their
 * classifier runs on one token: "head", M = batch). Writes a malloc'd array. */
enum ps_status wl_phase_ops(const struct wl_model *m,
			    const struct wl_phase *ph, struct wl_op **ops,
			    size_t *n, struct ps_err *err);

/* Multiply-accumulates of one op: M*K*N*repeat. */
static inline uint64_t wl_op_macs(const struct wl_op *op)
{
	return op->M * op->K * op->N * op->repeat;
}

/* A workload expanded once: the phases of a model scenario, or one GEMM as
 * a one-phase plan. Every mode of a run walks the same plan; each phase's
 * ops come from wl_plan_ops (cheap and deterministic, so a long generate
 * holds only its phase list). */
struct wl_plan {
	const struct wl_model *model;	/* NULL: the one GEMM below */
	char text[128];			/* the scenario, or "MxKxN" */
	struct wl_phase *phases;
	size_t n_phases;
	struct wl_op gemm;		/* model == NULL: the op */
};

/* The plan of scenario s on model m (decode_at_prompt as for
 * wl_scenario_phases). Free with wl_plan_free, also after an error. */
enum ps_status wl_plan_model(const struct wl_model *m,
			     const struct wl_scenario *s, bool decode_at_prompt,
			     struct wl_plan *p, struct ps_err *err);
/* One linear GEMM out[M,N] = A[M,K] x W[K,N] in phase `phase`. */
enum ps_status wl_plan_gemm(uint64_t M, uint64_t K, uint64_t N, int phase,
			    struct wl_plan *p, struct ps_err *err);
/* The ops of phase i in execution order (malloc'd, as wl_phase_ops). */
enum ps_status wl_plan_ops(const struct wl_plan *p, size_t i,
			   struct wl_op **ops, size_t *n, struct ps_err *err);
void wl_plan_free(struct wl_plan *p);

const char *wl_op_class_name(int cls);
const char *wl_phase_name(int kind);

#endif

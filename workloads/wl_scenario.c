/* wl_scenario.c - scenario strings, their phases, and each phase's GEMM list.
 *
 * The op list is the single description of a forward pass that every PE
 * model, the compiler and the reports consume, so shapes are fixed here once:
 * out[M,N] = A[M,K] x B[K,N] with the weight (or KV cache) as B. */
#include "wl_scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2^20 tokens: well past any context the zoo models were trained for, and
 * small enough that tokens x batch x any weight dim stays far from 2^64. */
#define MAX_TOKENS 1048576u
#define MAX_BATCH 65536u

static const char *const phase_names[] = { "prefill", "decode" };
static const char *const class_names[] = { "qkv", "o", "ffn", "attn",
					     "lm_head" };

const char *wl_op_class_name(int cls)
{
	if (cls < 0 || cls >= WL_OP_CLASS_N)
		return "?";
	return class_names[cls];
}

const char *wl_phase_name(int kind)
{
	if (kind < 0 || kind >= WL_PHASE_N)
		return "?";
	return phase_names[kind];
}

/* A count: decimal digits only, at least 1, at most max. Signs, spaces,
 * exponents and trailing junk are rejected rather than half-read. */
static enum ps_status parse_count(const char *text, const char *what,
				  const char *s, uint32_t max, const char *unit,
				  uint32_t *out, struct ps_err *err)
{
	uint64_t v = 0;
	const char *p = s;

	if (!*p)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': %s: missing number", text, what);
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return ps_errf(err, PS_EINPUT,
				       "scenario '%s': %s: expected a positive integer, got '%s'",
				       text, what, s);
		if (v <= max)
			v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v == 0)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': %s: must be at least 1", text, what);
	if (v > max)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': %s: %s exceeds the limit of %u %s",
			       text, what, s, max, unit);
	*out = (uint32_t)v;
	return PS_OK;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static enum ps_status parse_term(const char *text, char *term,
				 struct wl_scenario *s, const char **phase,
				 bool *have_batch, struct ps_err *err)
{
	char *val = strchr(term, ':'), *plus;
	enum ps_status st;

	if (!*term)
		return ps_errf(err, PS_EINPUT, "scenario '%s': empty term", text);
	if (!val)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': term '%s': expected key:value",
			       text, term);
	*val++ = '\0';
	if (!strcmp(term, "batch")) {
		if (*have_batch)
			return ps_errf(err, PS_EINPUT,
				       "scenario '%s': duplicate term 'batch'", text);
		*have_batch = true;
		return parse_count(text, "batch", val,
				   MAX_BATCH, "sequences", &s->batch, err);
	}
	if (strcmp(term, "prefill") && strcmp(term, "decode") &&
	    strcmp(term, "generate"))
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': unknown term '%s' (expected prefill:L, decode:C, generate:L+T or batch:B)",
			       text, term);
	if (*phase && !strcmp(*phase, term))
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': duplicate term '%s'", text, term);
	if (*phase)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': more than one phase term ('%s' after '%s')",
			       text, term, *phase);
	if (!strcmp(term, "prefill")) {
		*phase = "prefill";
		s->base = WL_PREFILL;
		return parse_count(text, "prefill", val,
				   MAX_TOKENS, "tokens", &s->prompt, err);
	}
	if (!strcmp(term, "decode")) {
		*phase = "decode";
		s->base = WL_DECODE;
		return parse_count(text, "decode", val,
				   MAX_TOKENS, "tokens", &s->prompt, err);
	}
	*phase = "generate";
	s->base = WL_PREFILL;
	plus = strchr(val, '+');
	if (!plus)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': generate: expected L+T, got '%s'",
			       text, val);
	*plus++ = '\0';
	st = parse_count(text, "generate prompt", val, MAX_TOKENS, "tokens",
			 &s->prompt, err);
	if (st)
		return st;
	st = parse_count(text, "generate tokens", plus, MAX_TOKENS, "tokens",
			 &s->gen, err);
	if (st)
		return st;
	/* The last decode step attends to L + T keys. */
	if ((uint64_t)s->prompt + s->gen > MAX_TOKENS)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': generate: L+T = %llu exceeds the limit of %u tokens",
			       text, (unsigned long long)s->prompt + s->gen,
			       MAX_TOKENS);
	return PS_OK;
}

enum ps_status wl_scenario_parse(const char *text, struct wl_scenario *s,
				 struct ps_err *err)
{
	struct wl_scenario t = { .base = WL_PREFILL, .batch = 1 };
	char buf[sizeof t.text], *p, *comma;
	const char *phase = NULL;
	bool have_batch = false;
	enum ps_status st;

	if (!text)
		return ps_errf(err, PS_EINPUT, "scenario: missing");
	if (strlen(text) >= sizeof buf)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%.40s...': longer than %zu characters",
			       text, sizeof buf - 1);
	memcpy(t.text, text, strlen(text) + 1);
	memcpy(buf, text, strlen(text) + 1);
	for (p = buf;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		st = parse_term(text, trim(p), &t, &phase, &have_batch, err);
		if (st)
			return st;
		if (!comma)
			break;
	}
	if (!phase)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': missing phase term (prefill:L, decode:C or generate:L+T)",
			       text);
	*s = t;
	return PS_OK;
}

enum ps_status wl_scenario_phases(const struct wl_scenario *s,
				  const struct wl_model *m,
				  bool decode_at_prompt,
				  struct wl_phase *out, size_t cap, size_t *n,
				  struct ps_err *err)
{
	size_t need, k = 0;

	*n = 0;
	/* An encoder classifies a whole image in one pass: there is no KV
	 * cache to decode against. Any L is accepted (the user may model a
	 * different resolution than the model's seq_len). */
	if (m->kind == WL_ENCODER && (s->base != WL_PREFILL || s->gen))
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': model '%s' is an encoder: only prefill:L applies",
			       s->text, m->name);
	if (s->base == WL_DECODE)
		need = 1;
	else
		need = 1 + (s->gen ? (decode_at_prompt ? 1 : s->gen) : 0);
	if (need > cap)
		return ps_errf(err, PS_EINPUT,
			       "scenario '%s': needs %zu phases, room for %zu (use decode-at-prompt mode or fewer generated tokens)",
			       s->text, need, cap);
	if (s->base == WL_DECODE) {
		out[k++] = (struct wl_phase){ .kind = WL_DECODE, .tokens = 1,
					      .ctx = s->prompt,
					      .batch = s->batch, .times = 1 };
		*n = k;
		return PS_OK;
	}
	out[k++] = (struct wl_phase){ .kind = WL_PREFILL, .tokens = s->prompt,
				      .ctx = s->prompt, .batch = s->batch,
				      .times = 1 };
	if (s->gen && decode_at_prompt) {
		out[k++] = (struct wl_phase){ .kind = WL_DECODE, .tokens = 1,
					      .ctx = s->prompt,
					      .batch = s->batch,
					      .times = s->gen };
	} else {
		/* Step t's new token attends to the L + t cached keys and its
		 * own. */
		for (uint32_t t = 0; t < s->gen; t++)
			out[k++] = (struct wl_phase){
				.kind = WL_DECODE, .tokens = 1,
				.ctx = s->prompt + t + 1,
				.batch = s->batch, .times = 1 };
	}
	*n = k;
	return PS_OK;
}

struct emit {
	struct wl_op *ops;
	size_t n;
	struct wl_op tmpl;	/* model and phase facts shared by every op */
};

static struct wl_op *put(struct emit *e, const char *name, int cls, int kind,
			 uint64_t M, uint64_t K, uint64_t N, uint64_t repeat)
{
	struct wl_op *op = &e->ops[e->n++];
	size_t n = strlen(name);

	/* a copy, not snprintf: a generate's every step lists its ops (the
	 * template's name is all zeros) */
	*op = e->tmpl;
	memcpy(op->name, name, n < sizeof op->name ? n : sizeof op->name - 1);
	op->cls = cls;
	op->kind = kind;
	op->M = M;
	op->K = K;
	op->N = N;
	op->repeat = repeat;
	op->a_kind = WL_ACT;
	op->b_kind = kind == WL_LINEAR ? WL_WEIGHT : WL_KV;
	return op;
}

static void linear(struct emit *e, const char *name, int cls, uint64_t M,
		   uint64_t K, uint64_t N)
{
	put(e, name, cls, WL_LINEAR, M, K, N, 1);
}

static bool macs_fit(const struct wl_op *op)
{
	uint64_t f[4] = { op->M, op->K, op->N, op->repeat }, v = 1;

	for (int i = 0; i < 4; i++) {
		if (f[i] && v > UINT64_MAX / f[i])
			return false;
		v *= f[i];
	}
	return true;
}

enum ps_status wl_phase_ops(const struct wl_model *m,
			    const struct wl_phase *ph, struct wl_op **ops,
			    size_t *n, struct ps_err *err)
{
	bool gated = m->ffn_kind == WL_FFN_GATED;
	size_t per_layer = 6 + (gated ? 3 : 2), total;
	uint64_t h = m->hidden, q = wl_q_dim(m), kv = wl_kv_dim(m);
	uint64_t f = m->ffn, rows, g, rep;
	struct emit e;

	*ops = NULL;
	*n = 0;
	if (ph->kind < 0 || ph->kind >= WL_PHASE_N || !ph->tokens ||
	    !ph->batch || ph->ctx < ph->tokens)
		return ps_errf(err, PS_EINPUT,
			       "phase %s tokens %u ctx %u batch %u: inconsistent",
			       wl_phase_name(ph->kind), ph->tokens, ph->ctx,
			       ph->batch);
	if (!m->layers || !m->kv_heads || m->heads % m->kv_heads)
		return ps_errf(err, PS_EINPUT,
			       "model '%s': bad dims (layers %u, heads %u, kv_heads %u)",
			       m->name, m->layers, m->heads, m->kv_heads);
	total = (size_t)m->layers * per_layer + 1;
	e.ops = calloc(total, sizeof *e.ops);
	if (!e.ops)
		return ps_errf(err, PS_ENOMEM, "model '%s': out of memory for %zu ops",
			       m->name, total);
	e.n = 0;
	memset(&e.tmpl, 0, sizeof e.tmpl);
	e.tmpl.phase = ph->kind;
	e.tmpl.tokens = ph->tokens;
	e.tmpl.ctx = ph->ctx;
	e.tmpl.batch = ph->batch;
	e.tmpl.heads = m->heads;
	e.tmpl.kv_heads = m->kv_heads;
	e.tmpl.head_dim = m->head_dim;
	e.tmpl.hidden = m->hidden;

	rows = (uint64_t)ph->tokens * ph->batch;
	g = m->heads / m->kv_heads;
	rep = (uint64_t)m->kv_heads * ph->batch;
	for (uint32_t l = 0; l < m->layers; l++) {
		e.tmpl.layer = l;
		linear(&e, "q", WL_OP_QKV, rows, h, q);
		linear(&e, "k", WL_OP_QKV, rows, h, kv);
		linear(&e, "v", WL_OP_QKV, rows, h, kv);
		/* Prefill counts the full tokens x ctx score matrix although
		 * the causal mask zeroes its upper triangle: dense attention
		 * kernels (and BitMoD's accounting) compute the whole tile. */
		put(&e, "attn_qk", WL_OP_ATTN, WL_ATTN_QK, ph->tokens * g,
		    m->head_dim, ph->ctx, rep);
		put(&e, "attn_pv", WL_OP_ATTN, WL_ATTN_PV, ph->tokens * g,
		    ph->ctx, m->head_dim, rep);
		linear(&e, "o", WL_OP_O, rows, q, h);
		if (gated) {
			linear(&e, "gate", WL_OP_FFN, rows, h, f);
			linear(&e, "up", WL_OP_FFN, rows, h, f);
			linear(&e, "down", WL_OP_FFN, rows, f, h);
		} else {
			linear(&e, "fc1", WL_OP_FFN, rows, h, f);
			linear(&e, "fc2", WL_OP_FFN, rows, f, h);
		}
	}
	e.tmpl.layer = m->layers;
	if (m->kind == WL_ENCODER)
		/* the classifier reads only the class token of each image */
		linear(&e, "head", WL_OP_LM_HEAD, ph->batch, h, m->classes);
	else
		linear(&e, "lm_head", WL_OP_LM_HEAD, rows, h, m->vocab);

	for (size_t i = 0; i < e.n; i++) {
		if (!macs_fit(&e.ops[i])) {
			ps_errf(err, PS_EINPUT,
				"model '%s', %s phase: op '%s' has more than 2^64 MACs",
				m->name, wl_phase_name(ph->kind), e.ops[i].name);
			free(e.ops);
			return PS_EINPUT;
		}
	}
	*ops = e.ops;
	*n = e.n;
	return PS_OK;
}

/* ---- plans ---- */

enum ps_status wl_plan_model(const struct wl_model *m,
			     const struct wl_scenario *s, bool decode_at_prompt,
			     struct wl_plan *p, struct ps_err *err)
{
	memset(p, 0, sizeof *p);
	p->model = m;
	snprintf(p->text, sizeof p->text, "%s", s->text);
	p->phases = calloc(WL_MAX_PHASES, sizeof *p->phases);
	if (!p->phases)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	return wl_scenario_phases(s, m, decode_at_prompt, p->phases,
				  WL_MAX_PHASES, &p->n_phases, err);
}

enum ps_status wl_plan_gemm(uint64_t M, uint64_t K, uint64_t N, int phase,
			    struct wl_plan *p, struct ps_err *err)
{
	struct wl_op *op = &p->gemm;
	memset(p, 0, sizeof *p);
	snprintf(p->text, sizeof p->text, "%llux%llux%llu", (unsigned long long)M,
		 (unsigned long long)K, (unsigned long long)N);
	p->phases = calloc(1, sizeof *p->phases);
	if (!p->phases)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	p->n_phases = 1;
	p->phases[0] = (struct wl_phase){ .kind = phase,
		.tokens = (uint32_t)(M < UINT32_MAX ? M : UINT32_MAX),
		.ctx = 0, .batch = 1, .times = 1 };
	snprintf(op->name, sizeof op->name, "gemm");
	op->kind = WL_LINEAR;
	op->cls = WL_OP_FFN;
	op->M = M;
	op->K = K;
	op->N = N;
	op->repeat = 1;
	op->batch = 1;
	op->tokens = p->phases[0].tokens;
	op->phase = phase;
	op->a_kind = WL_ACT;
	op->b_kind = WL_WEIGHT;
	return PS_OK;
}

enum ps_status wl_plan_ops(const struct wl_plan *p, size_t i,
			   struct wl_op **ops, size_t *n, struct ps_err *err)
{
	if (p->model)
		return wl_phase_ops(p->model, &p->phases[i], ops, n, err);
	*ops = malloc(sizeof **ops);
	if (!*ops)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	**ops = p->gemm;
	*n = 1;
	return PS_OK;
}

void wl_plan_free(struct wl_plan *p)
{
	free(p->phases);
	p->phases = NULL;
	p->n_phases = 0;
}

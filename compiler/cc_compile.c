/* cc_compile.c - compile a workload into a trace: walk the plan's phases
 * and their GEMM ops (workloads/), map each distinct shape once (cc_map),
 * emit its block (cc_emit), stream records to the trace writer. */
#include "cc_compile.h"

#include <stdlib.h>
#include <string.h>

#include "cc_compat.h"
#include "cc_emit.h"
#include "cc_sidecar.h"
#include "ps_progress.h"

/* Distinct GEMMs of a run: each is mapped and emitted once, its block
 * kept and replayed for every op of the same shape (every layer's q, k,
 * v, ..., every decode step's linears), least recently used evicted. */
#define MAP_CACHE 64

struct map_entry {
	struct cc_gemm g;
	struct cc_mapping m;
	struct trace_insn *body;	/* the emitted records after OP */
	size_t n_body, cap_body;
	bool have_body;
	uint64_t w_base;		/* the B address it was emitted at */
	uint64_t used;			/* last use (LRU) */
	uint64_t key;			/* the body's name for put_block */
};

struct compiler {
	const struct cc_compile_req *r;
	struct trace_writer *w;		/* NULL when records go to r->sink */
	struct cc_sink out;
	struct cc_compile_stats *s;
	struct map_entry cache[MAP_CACHE];
	size_t n_cache;
	uint64_t clock, keys;
	uint64_t w_base;
	uint32_t op_index;
	double w_bits[2];		/* stored bits per weight per phase */
	struct ps_progress *bar;	/* progress_begin */
};

static enum ps_status writer_put(void *ctx, const struct trace_insn *in,
				 struct ps_err *err)
{
	return trace_write(ctx, in, err);
}

static struct map_entry *mapping(struct compiler *c, const struct cc_gemm *g,
				 struct ps_err *err)
{
	struct map_entry *e = NULL;
	for (size_t i = 0; i < c->n_cache; i++)
		if (!memcmp(&c->cache[i].g, g, sizeof *g)) {
			c->cache[i].used = ++c->clock;
			return &c->cache[i];
		}
	if (c->n_cache < MAP_CACHE) {
		e = &c->cache[c->n_cache++];
	} else {
		e = &c->cache[0];
		for (size_t i = 1; i < MAP_CACHE; i++)
			if (c->cache[i].used < e->used)
				e = &c->cache[i];
	}
	e->g = *g;
	e->have_body = false;
	e->n_body = 0;
	e->used = ++c->clock;
	if (cc_map_gemm(c->r->arch, g, &e->m, err)) {
		memset(&e->g, 0, sizeof e->g);	/* a failure is not cached */
		return NULL;
	}
	c->s->mappings++;
	return e;
}

/* Emission into the cache entry. */
static enum ps_status capture_put(void *ctx, const struct trace_insn *in,
				  struct ps_err *err)
{
	struct map_entry *e = ctx;
	enum ps_status st;
	if (in->opcode == TRACE_OP)
		return PS_OK;
	if ((st = ps_grow(&e->body, &e->cap_body, e->n_body, sizeof *e->body, 64, err)))
		return st;
	e->body[e->n_body++] = *in;
	return PS_OK;
}

/* The cached block for op `op_index`, its weights at w_base: the records
 * are the same but for the op index and the B addresses (patched for a
 * sink that takes records one by one; a block sink ignores them). */
static enum ps_status put_body(struct compiler *c, const struct trace_insn *hdr,
			       const struct map_entry *e, struct ps_err *err)
{
	enum ps_status st;
	if (c->out.put_block)
		return c->out.put_block(c->out.ctx, hdr, e->body, e->n_body, e->key, err);
	st = c->out.put(c->out.ctx, hdr, err);
	for (size_t i = 0; i < e->n_body && !st; i++) {
		struct trace_insn in = e->body[i];
		in.op = c->op_index;
		if (in.opcode == TRACE_LD_W || in.opcode == TRACE_LD_S)
			in.addr += c->w_base - e->w_base;
		st = c->out.put(c->out.ctx, &in, err);
	}
	return st;
}

/* The compat policy's block: the whole op as one tile in the paper's view
 * (m = rows_out, n = cout, k = cin_w), its bytes with the re-fetch factors
 * applied, the weight datatype's bits even for attention (the paper's
 * latency rule), once per copy. */
static enum ps_status compile_compat_op(struct compiler *c, const struct wl_op *op,
					struct ps_err *err)
{
	const struct cfg_arch *a = c->r->arch;
	struct cc_compat_op k;
	enum ps_status st = cc_compat_op(a, c->r->plan->model, op, c->r->compat_attn, &k, err);
	struct trace_insn in[5];
	if (st)
		return st;
	if (k.rows_out > UINT32_MAX || k.cout > UINT32_MAX || k.cin_w > UINT32_MAX)
		return ps_errf(err, PS_EINPUT, "op %u (%s): dims exceed the trace's 32-bit fields",
			       c->op_index, op->name);
	in[0] = (struct trace_insn){ .opcode = TRACE_OP, .op = c->op_index,
		.repeat = (uint32_t)k.copies, .buf = (uint8_t)op->kind,
		.fmt = (uint8_t)op->phase, .a = (uint32_t)k.cin_w,
		.b = (uint32_t)k.cout, .c = (uint32_t)op->cls, .addr = k.rows_out,
		.bytes = op->layer };
	in[1] = (struct trace_insn){ .opcode = TRACE_LD_W, .op = c->op_index,
		.repeat = 1, .a = (uint32_t)k.cin_w, .b = (uint32_t)k.cout, .c = 1,
		.addr = c->w_base, .bytes = k.W * k.fw };
	in[2] = (struct trace_insn){ .opcode = TRACE_LD_A, .op = c->op_index,
		.repeat = 1, .buf = 1, .a = (uint32_t)k.rows_out,
		.b = (uint32_t)k.cin_w, .c = 1, .addr = 1ull << 48,
		.bytes = k.I * k.fi, .flags = TRACE_PUSH_NEXT };
	in[3] = (struct trace_insn){ .opcode = TRACE_MM, .op = c->op_index,
		.repeat = 1, .a = (uint32_t)k.rows_out, .b = (uint32_t)k.cout,
		.c = (uint32_t)k.cin_w, .addr = k.code_bits, .bytes = a->pe.act_bits,
		.flags = TRACE_POP_PREV | TRACE_PUSH_NEXT };
	in[4] = (struct trace_insn){ .opcode = TRACE_ST, .op = c->op_index,
		.repeat = 1, .buf = 1, .a = (uint32_t)k.rows_out, .b = (uint32_t)k.cout,
		.c = 1, .addr = (1ull << 48) + (1ull << 40), .bytes = k.O,
		.flags = TRACE_POP_PREV };
	for (int i = 0; i < 5; i++)
		if ((st = c->out.put(c->out.ctx, &in[i], err)))
			return st;
	c->w_base += k.W;
	c->s->ops++;
	c->s->macs += wl_op_macs(op);
	c->s->dram_read_bytes += k.read * k.copies;
	c->s->dram_write_bytes += k.write * k.copies;
	c->s->compulsory_bytes += (k.W + k.I + k.O) * k.copies;
	c->op_index++;
	return PS_OK;
}

/* The mapper's view of an op (the cache key). */
static void op_gemm(const struct compiler *c, const struct wl_op *op,
		    struct cc_gemm *g)
{
	memset(g, 0, sizeof *g);
	g->M = op->M;
	g->K = op->K;
	g->N = op->N;
	g->phase = op->phase;
	g->kind = op->kind;
	g->model = c->r->plan->model ? c->r->plan->model->name : NULL;
	g->w_bits = c->w_bits[op->phase ? 1 : 0];
	g->prices = c->r->prices[op->phase ? 1 : 0];
	g->repeat = op->repeat;
}

/* Progress. Compiling a trace file counts MACs as each op is done. A run
 * counts the engine's stepped tiles (mm units, ps_progress_work "tiles"):
 * identical blocks (every layer's q, k, v, ..., the heads of an attention
 * op) replay from the engine's memo in next to no time, so the work to
 * expect is about two stepped blocks of each distinct op shape (the first,
 * and one more until the queues' relative state repeats): their tiles from
 * the mapping, for the first MAP_CACHE / 2 shapes (which stay cached for
 * the compile); further shapes by the tiles per MAC seen so far. An
 * estimate: ps_progress raises it if the engine steps more. */
static uint64_t progress_total(struct compiler *c)
{
	const struct wl_plan *p = c->r->plan;
	struct cc_gemm seen[MAP_CACHE / 2];
	size_t ns = 0;
	uint64_t total = 0;
	double tiles = 0, macs = 0, rest = 0;
	for (size_t i = 0; i < p->n_phases; i++) {
		struct wl_op *ops = NULL;
		size_t n = 0;
		if (wl_plan_ops(p, i, &ops, &n, NULL) != PS_OK)
			continue;
		for (size_t k = 0; k < n; k++) {
			const struct wl_op *o = &ops[k];
			const struct map_entry *e;
			struct cc_gemm g;
			size_t j = 0;
			if (c->w) {
				total += wl_op_macs(o) * p->phases[i].times;
				continue;
			}
			op_gemm(c, o, &g);
			while (j < ns && memcmp(&seen[j], &g, sizeof g))
				j++;
			if (j < ns)
				continue;
			if (ns == MAP_CACHE / 2) {
				rest += (double)(o->M * o->K * o->N);
				continue;
			}
			seen[ns++] = g;
			e = mapping(c, &g, NULL);
			if (e) {
				tiles += 2.0 * (double)(e->m.tm * e->m.tk * e->m.tn);
				macs += (double)(o->M * o->K * o->N);
			}
		}
		free(ops);
	}
	if (c->w)
		return total;
	return (uint64_t)(tiles + (macs > 0 ? rest * tiles / macs : 0));
}

static struct ps_progress *progress_begin(struct compiler *c)
{
	/* the compat policy: one tile per op, fast; the total maps the first
	 * shapes and walks every phase's ops, for nothing if no bar shows
	 * (--quiet, not a terminal, or inside a report's bar) */
	if (c->r->compat || !ps_progress_would_begin())
		return NULL;
	return c->w ? ps_progress_begin("compile", "MACs", progress_total(c)) :
		      ps_progress_begin("simulate", "tiles", progress_total(c));
}

static enum ps_status compile_op(struct compiler *c, const struct wl_op *op,
				 struct ps_err *err)
{
	const struct cfg_arch *a = c->r->arch;
	struct cc_gemm g;
	struct map_entry *e;
	const struct cc_mapping *m;
	struct cc_emit_opts o = { .no_shortcut = c->r->no_shortcut };
	enum ps_status st;

	op_gemm(c, op, &g);
	e = mapping(c, &g, err);
	if (!e)
		return PS_EINPUT;
	m = &e->m;
	if (!e->have_body) {
		struct cc_sink cap = { .put = capture_put, .ctx = e };
		o.w_base = c->w_base;
		o.act_base = 1ull << 48;
		e->n_body = 0;
		e->w_base = c->w_base;
		st = cc_emit_gemm(a, op, c->op_index, &g, m, &o, &cap, err);
		if (st)
			return st;
		e->have_body = true;
		e->key = ++c->keys;
	}
	if (c->out.op_note && (st = c->out.op_note(c->out.ctx, m->bound_buffers_cycles, err)))
		return st;
	{
		struct trace_insn hdr;
		if ((st = cc_emit_op_record(op, c->op_index, &g, m, &hdr, err)) ||
		    (st = put_body(c, &hdr, e, err)))
			return st;
	}
	c->w_base += (m->w_total + m->s_total) * op->repeat;
	c->s->ops++;
	c->s->macs += wl_op_macs(op);
	c->s->dram_read_bytes += m->dram_read_bytes * op->repeat;
	c->s->dram_write_bytes += m->dram_write_bytes * op->repeat;
	c->s->compulsory_bytes += (m->w_total + m->s_total + m->a_total + m->o_total) * op->repeat;
	c->op_index++;
	return PS_OK;
}

static void free_cache(struct compiler *c)
{
	for (size_t i = 0; i < c->n_cache; i++)
		free(c->cache[i].body);
	free(c);
}

static uint64_t workload_digest(const struct cc_compile_req *r)
{
	const struct wl_plan *p = r->plan;
	uint64_t h = CFG_FNV_INIT, none = 0;
	if (p->model) {
		h = cfg_fnv1a(p->model, sizeof *p->model, h);
		h = cfg_fnv1a(p->text, strlen(p->text), h);
	}
	h = cfg_fnv1a(p->model ? &none : &p->gemm.M, sizeof none, h);
	h = cfg_fnv1a(p->model ? &none : &p->gemm.K, sizeof none, h);
	h = cfg_fnv1a(p->model ? &none : &p->gemm.N, sizeof none, h);
	h = cfg_fnv1a(&r->bit_true, sizeof r->bit_true, h);
	h = cfg_fnv1a(&r->compat, sizeof r->compat, h);
	h = cfg_fnv1a(&r->compat_attn, sizeof r->compat_attn, h);
	return cfg_fnv1a(&r->seed, sizeof r->seed, h);
}

static enum ps_status compile_plan(struct compiler *c, struct ps_err *err)
{
	const struct wl_plan *p = c->r->plan;
	enum ps_status st = PS_OK;
	c->bar = progress_begin(c);
	for (size_t i = 0; i < p->n_phases && !st; i++) {
		struct wl_op *ops = NULL;
		size_t n = 0;
		st = wl_plan_ops(p, i, &ops, &n, err);
		for (size_t k = 0; k < n * p->phases[i].times && !st; k++) {
			const struct wl_op *op = &ops[k % n];
			st = c->r->compat ? compile_compat_op(c, op, err) :
					    compile_op(c, op, err);
			if (c->w)
				ps_progress_add(c->bar, wl_op_macs(op));
			if (st && p->model)
				ps_err_prefix(err, st, "%s %s op %zu (%s, layer %u)",
					      p->model->name, p->text, k, op->name,
					      op->layer);
		}
		free(ops);
	}
	return st;
}

enum ps_status cc_compile(const struct cc_compile_req *r,
			  struct cc_compile_stats *s, struct ps_err *err)
{
	struct compiler *c = calloc(1, sizeof *c);
	struct cc_sidecar *sc = NULL;
	enum ps_status st;
	if (!c)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	memset(s, 0, sizeof *s);
	c->r = r;
	c->s = s;
	for (int ph = 0; ph < 2; ph++)
		c->w_bits[ph] = pe_weight_bits(r->arch, r->plan->model ? r->plan->model->name : NULL, ph);
	if (r->sink) {
		c->out = *r->sink;
	} else {
		st = trace_writer_open(&c->w, r->out_path, r->arch->digest,
				       workload_digest(r),
				       (r->bit_true ? TRACE_FLAG_BIT_TRUE : 0) |
					       (r->compat ? TRACE_FLAG_COMPAT : 0), err);
		if (st) {
			free(c);
			return st;
		}
		c->out.put = writer_put;
		c->out.ctx = c->w;
	}
	if (r->bit_true && (r->plan->model || !r->out_path)) {
		st = ps_errf(err, PS_EINPUT,
			     "--bit-true needs --gemm and -o: operand data of a whole model would be gigabytes");
	} else {
		const struct wl_op *g = &r->plan->gemm;
		st = compile_plan(c, err);
		if (!st && r->bit_true) {
			st = cc_sidecar_open(&sc, r->out_path, r->arch, r->seed, err);
			if (!st)
				st = cc_sidecar_gemm(sc, 0, g->M, g->K, g->N, g->phase, err);
		}
	}
	if (!st && !c->w) {
		struct trace_insn end = { .opcode = TRACE_END };
		st = c->out.put(c->out.ctx, &end, err);
		s->insns++;
	}
	if (c->w && !st) {
		s->insns = trace_writer_count(c->w) + 1;
		/* both files complete before either is renamed into place */
		st = trace_writer_finish(c->w, err);
		if (!st && sc) {
			st = cc_sidecar_close(sc, err);
			sc = NULL;
		}
		if (!st) {
			st = trace_writer_close(c->w, err);
			c->w = NULL;
		}
	}
	ps_progress_end(c->bar);
	cc_sidecar_abort(sc);
	trace_writer_abort(c->w);
	free_cache(c);
	return st;
}

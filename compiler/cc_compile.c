/* cc_compile.c - compile a workload into a trace: expand the scenario into
 * GEMM ops (workloads/), map each distinct shape once (cc_map), emit its
 * block (cc_emit), stream records to the trace writer. */
#include "cc_compile.h"

#include <stdlib.h>
#include <string.h>

#include "cc_compat.h"
#include "cc_emit.h"
#include "cc_sidecar.h"
#include "ps_progress.h"

#define MAP_CACHE 64

struct map_entry {
	struct cc_gemm g;
	struct cc_mapping m;
};

struct compiler {
	const struct cc_compile_req *r;
	struct trace_writer *w;		/* NULL when records go to r->sink */
	struct cc_sink out;
	struct cc_compile_stats *s;
	struct map_entry cache[MAP_CACHE];
	size_t n_cache, next_slot;
	uint64_t w_base;
	uint32_t op_index;
	struct ps_progress *bar;	/* progress_begin */
};

static enum ps_status writer_put(void *ctx, const struct trace_insn *in,
				 struct ps_err *err)
{
	return trace_write(ctx, in, err);
}

static const struct cc_mapping *mapping(struct compiler *c,
					const struct cc_gemm *g,
					struct ps_err *err)
{
	struct map_entry *e;
	for (size_t i = 0; i < c->n_cache; i++)
		if (!memcmp(&c->cache[i].g, g, sizeof *g))
			return &c->cache[i].m;
	e = &c->cache[c->next_slot];
	e->g = *g;
	if (cc_map_gemm(c->r->arch, g, &e->m, err)) {
		memset(&e->g, 0, sizeof e->g);	/* a failure is not cached */
		return NULL;
	}
	c->next_slot = (c->next_slot + 1) % MAP_CACHE;
	if (c->n_cache < MAP_CACHE)
		c->n_cache++;
	c->s->mappings++;
	return &e->m;
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
static uint64_t progress_total(struct compiler *c, const struct wl_phase *ph,
			       size_t np)
{
	struct shape { uint64_t M, K, N; int kind, phase; } seen[MAP_CACHE / 2];
	size_t ns = 0;
	uint64_t total = 0;
	double tiles = 0, macs = 0, rest = 0;
	for (size_t p = 0; p < np; p++) {
		struct wl_op *ops = NULL;
		size_t n = 0;
		if (wl_phase_ops(c->r->model, &ph[p], &ops, &n, NULL) != PS_OK)
			continue;
		for (size_t i = 0; i < n; i++) {
			const struct wl_op *o = &ops[i];
			const struct cc_mapping *m;
			struct cc_gemm g = { .M = o->M, .K = o->K, .N = o->N,
					     .phase = o->phase, .kind = o->kind };
			size_t k = 0;
			if (c->w) {
				total += wl_op_macs(o) * ph[p].times;
				continue;
			}
			while (k < ns && !(seen[k].M == o->M && seen[k].K == o->K &&
					   seen[k].N == o->N && seen[k].kind == o->kind &&
					   seen[k].phase == o->phase))
				k++;
			if (k < ns)
				continue;
			if (ns == MAP_CACHE / 2) {
				rest += (double)(o->M * o->K * o->N);
				continue;
			}
			seen[ns++] = (struct shape){ o->M, o->K, o->N, o->kind, o->phase };
			g.w_bits = cfg_arch_weight_bits(c->r->arch, c->r->model->name, o->phase);
			m = mapping(c, &g, NULL);
			if (m) {
				tiles += 2.0 * (double)(m->tm * m->tk * m->tn);
				macs += (double)(o->M * o->K * o->N);
			}
		}
		free(ops);
	}
	if (c->w)
		return total;
	return (uint64_t)(tiles + (macs > 0 ? rest * tiles / macs : 0));
}

static struct ps_progress *progress_begin(const struct compiler *c, uint64_t total)
{
	if (c->r->compat)	/* the compat policy: one tile per op, fast */
		return NULL;
	return c->w ? ps_progress_begin("compile", "MACs", total) :
		      ps_progress_begin("simulate", "tiles", total);
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
	enum ps_status st = cc_compat_op(a, c->r->model, op, c->r->compat_attn, &k, err);
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

static enum ps_status compile_op(struct compiler *c, const struct wl_op *op,
				 struct ps_err *err)
{
	const struct cfg_arch *a = c->r->arch;
	struct cc_gemm g;
	const struct cc_mapping *m;
	struct cc_emit_opts o = { .no_shortcut = c->r->no_shortcut };
	enum ps_status st;

	memset(&g, 0, sizeof g);
	g.M = op->M;
	g.K = op->K;
	g.N = op->N;
	g.phase = op->phase;
	g.kind = op->kind;
	g.w_bits = cfg_arch_weight_bits(a, c->r->model ? c->r->model->name : NULL,
					 op->phase);
	m = mapping(c, &g, err);
	if (!m)
		return PS_EINPUT;
	o.w_base = c->w_base;
	o.act_base = 1ull << 48;
	st = cc_emit_gemm(a, op, c->op_index, &g, m, &o, &c->out, err);
	if (st)
		return st;
	c->w_base += (m->w_total + m->s_total) * op->repeat;
	c->s->ops++;
	c->s->macs += wl_op_macs(op);
	c->s->dram_read_bytes += m->dram_read_bytes * op->repeat;
	c->s->dram_write_bytes += m->dram_write_bytes * op->repeat;
	c->s->compulsory_bytes += (m->w_total + m->s_total + m->a_total + m->o_total) * op->repeat;
	c->op_index++;
	return PS_OK;
}

static uint64_t workload_digest(const struct cc_compile_req *r)
{
	uint64_t h = CFG_FNV_INIT;
	if (r->model)
		h = cfg_fnv1a(r->model, sizeof *r->model, h);
	if (r->scenario)
		h = cfg_fnv1a(r->scenario->text, strlen(r->scenario->text), h);
	h = cfg_fnv1a(&r->M, sizeof r->M, h);
	h = cfg_fnv1a(&r->K, sizeof r->K, h);
	h = cfg_fnv1a(&r->N, sizeof r->N, h);
	h = cfg_fnv1a(&r->bit_true, sizeof r->bit_true, h);
	h = cfg_fnv1a(&r->compat, sizeof r->compat, h);
	h = cfg_fnv1a(&r->compat_attn, sizeof r->compat_attn, h);
	return cfg_fnv1a(&r->seed, sizeof r->seed, h);
}

static enum ps_status compile_model(struct compiler *c, struct ps_err *err)
{
	const struct cc_compile_req *r = c->r;
	struct wl_phase *ph = calloc(WL_MAX_PHASES, sizeof *ph);
	size_t np = 0;
	enum ps_status st;
	if (!ph)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	st = wl_scenario_phases(r->scenario, r->model, r->compat, ph, WL_MAX_PHASES,
				&np, err);
	c->bar = progress_begin(c, r->compat ? 0 : progress_total(c, ph, np));
	for (size_t p = 0; p < np && !st; p++) {
		struct wl_op *ops = NULL;
		size_t n = 0;
		st = wl_phase_ops(r->model, &ph[p], &ops, &n, err);
		for (size_t i = 0; i < n * ph[p].times && !st; i++) {
			st = r->compat ? compile_compat_op(c, &ops[i % n], err) :
					 compile_op(c, &ops[i % n], err);
			if (c->w)
				ps_progress_add(c->bar, wl_op_macs(&ops[i % n]));
			if (st)
				ps_err_prefix(err, st, "%s %s op %zu (%s, layer %u)",
					      r->model->name, r->scenario->text, i,
					      ops[i % n].name, ops[i % n].layer);
		}
		free(ops);
	}
	free(ph);
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
	if (r->bit_true && (r->model || !r->out_path)) {
		st = ps_errf(err, PS_EINPUT,
			     "--bit-true needs --gemm and -o: operand data of a whole model would be gigabytes");
	} else if (r->model) {
		st = compile_model(c, err);
	} else {
		struct wl_op op;
		memset(&op, 0, sizeof op);
		snprintf(op.name, sizeof op.name, "gemm");
		op.kind = WL_LINEAR;
		op.cls = WL_OP_FFN;
		op.M = r->M;
		op.K = r->K;
		op.N = r->N;
		op.repeat = 1;
		op.batch = 1;
		op.tokens = (uint32_t)(r->M < UINT32_MAX ? r->M : UINT32_MAX);
		op.phase = r->gemm_phase;
		{	/* one GEMM: its tiles (x2, as above), or its MACs */
			struct cc_gemm g = { .M = op.M, .K = op.K, .N = op.N, .phase = op.phase,
					     .kind = op.kind,
					     .w_bits = cfg_arch_weight_bits(r->arch, NULL, op.phase) };
			const struct cc_mapping *m = c->w || r->compat ? NULL : mapping(c, &g, NULL);
			c->bar = progress_begin(c, m ? 2 * m->tm * m->tk * m->tn :
						c->w ? wl_op_macs(&op) : 0);
		}
		st = r->compat ? compile_compat_op(c, &op, err) : compile_op(c, &op, err);
		if (!st && r->bit_true) {
			st = cc_sidecar_open(&sc, r->out_path, r->arch, r->seed, err);
			if (!st)
				st = cc_sidecar_gemm(sc, 0, r->M, r->K, r->N, r->gemm_phase, err);
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
	free(c);
	return st;
}

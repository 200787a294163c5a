/* sim_rows.c - the stream of per-op rows of a run (sim.h, struct
 * sim_rows): consecutive layers whose rows are equal but for the layer
 * index fold into one row per op (`layers` of them, `times` multiplied),
 * each row is priced and, in cycle mode, given the op's lower bound
 * (cc_gemm_bound) when it leaves; rows go to the caller as they complete,
 * so a long generate never holds them all. */
#include <stdlib.h>
#include <string.h>

#include "cc_map.h"
#include "sim.h"

void sim_rows_init(struct sim_rows *r, const struct cfg_arch *a,
		   const struct cfg_energy *energy, const char *model,
		   bool bounds, sim_row_fn emit, void *ctx)
{
	*r = (struct sim_rows){ .a = a, .energy = energy, .model = model,
				.bounds = bounds, .emit = emit, .ctx = ctx };
	for (int ph = 0; ph < 2 && bounds; ph++)
		r->w_bits[ph] = pe_weight_bits(a, model, ph);
}

/* Equal but for the layer index (and the counts that merging adds up). */
static bool same_but_layer(const struct sim_op_stats *x, const struct sim_op_stats *y)
{
	const struct wl_op *a = &x->op, *b = &y->op;
	if (strcmp(a->name, b->name) || a->cls != b->cls || a->kind != b->kind ||
	    a->phase != b->phase || a->M != b->M || a->K != b->K || a->N != b->N ||
	    a->repeat != b->repeat || x->times != y->times)
		return false;
	return x->cycles == y->cycles && x->compute_cycles == y->compute_cycles &&
	       x->dram_cycles == y->dram_cycles && x->tiles == y->tiles &&
	       x->dram_read_bytes == y->dram_read_bytes &&
	       x->dram_write_bytes == y->dram_write_bytes &&
	       x->busy_pe_cycles == y->busy_pe_cycles &&
	       !memcmp(&x->acts, &y->acts, sizeof x->acts) &&
	       !memcmp(x->q, y->q, sizeof x->q);
}

/* The op's bound, per execution (cycle mode); a small cache by shape. */
static void bound(struct sim_rows *r, struct sim_op_stats *s)
{
	const struct wl_op *o = &s->op;
	struct sim_bound_key k;
	struct sim_bound_cache *c;
	memset(&k, 0, sizeof k);	/* padding too: keys compare by memcmp */
	k.M = o->M;
	k.K = o->K;
	k.N = o->N;
	k.repeat = o->repeat;
	k.kind = (int)o->kind;
	k.phase = (int)o->phase;
	c = &r->cache[(k.M * 31 + k.K * 131 + k.N * 7 + (uint64_t)k.kind * 3 +
		       k.repeat * 17 + (uint64_t)k.phase) % SIM_ROWS_CACHE];
	if (!c->valid || memcmp(&c->key, &k, sizeof k)) {
		struct cc_gemm g = { o->M, o->K, o->N, o->phase, o->kind,
				     r->w_bits[o->phase ? 1 : 0], r->model, NULL,
				     o->repeat };
		c->valid = true;
		c->key = k;
		cc_gemm_bound(r->a, &g, o->repeat, &c->compute, &c->dram);
	}
	s->bound_compute = c->compute;
	s->bound_dram = c->dram;
	if (s->bound_buffers && s->bound_buffers < c->compute)
		s->bound_buffers = c->compute;
	if (s->bound_buffers && s->bound_buffers < c->dram)
		s->bound_buffers = c->dram;
}

static enum ps_status flush_group(struct sim_rows *r, struct ps_err *err)
{
	enum ps_status st = PS_OK;
	for (size_t i = 0; i < r->n_grp && !st; i++) {
		struct sim_op_stats s = r->grp[i];
		struct energy_breakdown eb;
		s.layers = r->grp_layers;
		s.times *= r->grp_layers;
		if ((st = energy_price(r->energy, &s.acts, &eb, err)))
			break;
		s.energy_pj = eb.total;
		if (r->bounds)
			bound(r, &s);
		st = r->emit(r->ctx, &s, err);
	}
	r->n_grp = 0;
	return st;
}

/* The layer just completed: one more layer of the pending group, or the
 * start of a new group. */
static enum ps_status end_layer(struct sim_rows *r, struct ps_err *err)
{
	enum ps_status st = PS_OK;
	bool same = r->n_grp && r->n_grp == r->n_cur &&
		    r->cur_layer == r->grp_last + 1 && r->cur_phase == r->grp_phase;
	for (size_t i = 0; same && i < r->n_cur; i++)
		same = same_but_layer(&r->grp[i], &r->cur[i]);
	if (same) {
		r->grp_layers++;
		r->grp_last = r->cur_layer;
	} else {
		struct sim_op_stats *t = r->grp;
		size_t tc = r->cap_grp;
		st = flush_group(r, err);
		r->grp = r->cur;
		r->cap_grp = r->cap_cur;
		r->n_grp = r->n_cur;
		r->cur = t;
		r->cap_cur = tc;
		r->grp_layers = 1;
		r->grp_last = r->cur_layer;
		r->grp_phase = r->cur_phase;
	}
	r->n_cur = 0;
	return st;
}

enum ps_status sim_rows_put(struct sim_rows *r, const struct sim_op_stats *s,
			    struct ps_err *err)
{
	enum ps_status st;
	if (r->n_cur && (s->op.layer != r->cur_layer || s->op.phase != r->cur_phase)) {
		if ((st = end_layer(r, err)))
			return st;
	}
	if ((st = ps_grow(&r->cur, &r->cap_cur, r->n_cur, sizeof *r->cur, 32, err)))
		return st;
	r->cur[r->n_cur++] = *s;
	r->cur_layer = s->op.layer;
	r->cur_phase = s->op.phase;
	return PS_OK;
}

enum ps_status sim_rows_finish(struct sim_rows *r, struct ps_err *err)
{
	enum ps_status st = PS_OK;
	if (r->n_cur)
		st = end_layer(r, err);
	if (!st)
		st = flush_group(r, err);
	return st;
}

void sim_rows_free(struct sim_rows *r)
{
	free(r->grp);
	free(r->cur);
	r->grp = r->cur = NULL;
}

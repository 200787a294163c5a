/* cc_emit.c - instruction emission for one mapped GEMM.
 *
 * The op's loop nest (outer, mid, k innermost; outer = n for n-m-k) is
 * walked one MM iteration at a time. Each iteration loads the tiles that
 * changed (B when k or n changed, A when k or m changed), runs one MM, and,
 * when the output tile is complete, dequantizes (families that do) and
 * stores it. Tokens follow isa.def: the last load of an iteration pushes a
 * data token; an iteration's first load pops as many slot tokens as it needs
 * for the slots it overwrites (a slot is free once the last MM that read it
 * has finished, and every MM pushes one slot token when done); MM pops one
 * data token (PRE does, for LUT-TC, when it runs first); the compute op that
 * finishes an output tile pushes to store, the first MM of an output tile
 * pops an output-slot token once `slots` tiles are in flight; every store
 * gives one back.
 *
 * Per outer tile the records are grouped by queue (loads, compute, stores)
 * and consecutive identical records fold into one with a repeat count. Identical outer-tile bodies fold into a LOOP. */
#include "cc_emit.h"

#include <stdlib.h>
#include <string.h>

#define BODY_MAX 64

struct body {
	struct trace_insn q[3][BODY_MAX];	/* load, compute, store */
	size_t n[3];
	bool overflow;
};

/* Running state over the whole op (snapshotted per outer tile). */
struct emit_state {
	uint64_t t;			/* MM iterations so far */
	uint64_t popped;		/* slot tokens popped by loads */
	uint64_t out_tiles;		/* output tiles started */
	/* last use (MM iteration) of the most recent loads per operand, a ring
	 * of `slots` entries indexed by load count % slots */
	uint64_t lastuse_b[2], lastuse_a[2];
	uint64_t nload_b, nload_a;
	uint64_t prev_m, prev_n, prev_k;	/* tile indices of the last iteration */
	bool new_head;			/* the next iteration starts a repeat: both operands change */
};

struct emitter {
	const struct cfg_arch *a;
	const struct cc_gemm *g;
	const struct cc_mapping *m;
	const struct cc_emit_opts *o;
	uint32_t op_index;
	uint64_t head;			/* which of the op's repeats is walked */
	struct emit_state s;
	struct body cur, pend;
	uint64_t pend_count;
};

/* Does y continue x (same instruction, next iteration)? */
static bool continues(const struct trace_insn *x, const struct trace_insn *y)
{
	return x->opcode == y->opcode &&
	       (x->flags & ~TRACE_ZIP_MASK) == (y->flags & ~TRACE_ZIP_MASK) &&
	       x->buf == y->buf && x->fmt == y->fmt && x->op == y->op &&
	       x->a == y->a && x->b == y->b && x->c == y->c &&
	       x->bytes == y->bytes && x->repeat < UINT32_MAX;
}

/* Is record i the head or a member of a zipped group? */
static bool in_zip(const struct trace_insn *r, size_t i)
{
	if (TRACE_ZIP(r[i].flags))
		return true;
	for (size_t j = 1; j <= 3 && j <= i; j++)
		if (TRACE_ZIP(r[i - j].flags) >= j)
			return true;
	return false;
}

/* Append to a queue, folding: a record that continues the previous one
 * bumps its repeat; a group of p = 2..3 records that continues the p
 * records before it (each with one repeat count) becomes one more iteration
 * of that zipped group (isa.def, ZIP). */
static void put(struct body *b, int q, const struct trace_insn *in)
{
	struct trace_insn *r = b->q[q];
	size_t n = b->n[q];
	if (n && !in_zip(r, n - 1) && continues(&r[n - 1], in)) {
		r[n - 1].repeat++;
		return;
	}
	if (n == BODY_MAX) {
		b->overflow = true;
		return;
	}
	r[n++] = *in;
	for (size_t p = 2; p <= 3 && 2 * p <= n; p++) {
		struct trace_insn *g1 = &r[n - 2 * p], *g2 = &r[n - p];
		size_t h = n - 2 * p;
		bool ok;
		if (TRACE_ZIP(g1->flags))
			ok = TRACE_ZIP(g1->flags) == p - 1;
		else {
			ok = true;
			for (size_t i = 0; ok && i < p; i++)
				ok = !in_zip(r, h + i) && g1[i].repeat == 1;
		}
		for (size_t i = 0; ok && i < p; i++)
			ok = g2[i].repeat == 1 && !TRACE_ZIP(g2[i].flags) &&
			     continues(&g1[i], &g2[i]);
		if (!ok)
			continue;
		for (size_t i = 0; i < p; i++)
			g1[i].repeat++;
		g1->flags = (uint8_t)((g1->flags & ~TRACE_ZIP_MASK) |
				      (p - 1) << TRACE_ZIP_SHIFT);
		n -= p;
		break;
	}
	b->n[q] = n;
}

static bool same_body(const struct body *x, const struct body *y)
{
	for (int q = 0; q < 3; q++) {
		if (x->n[q] != y->n[q])
			return false;
		for (size_t i = 0; i < x->n[q]; i++) {
			struct trace_insn a = x->q[q][i], b = y->q[q][i];
			a.addr = b.addr = 0;
			if (memcmp(&a, &b, sizeof a))
				return false;
		}
	}
	return true;
}

static enum ps_status flush_pending(struct emitter *e, const struct cc_sink *s,
				    struct ps_err *err)
{
	size_t len = e->pend.n[0] + e->pend.n[1] + e->pend.n[2];
	enum ps_status st;
	if (!e->pend_count)
		return PS_OK;
	if (e->pend_count > 1) {
		struct trace_insn loop = { .opcode = TRACE_LOOP, .op = e->op_index,
					   .repeat = (uint32_t)e->pend_count,
					   .a = (uint32_t)len };
		if ((st = s->put(s->ctx, &loop, err)))
			return st;
	}
	for (int q = 0; q < 3; q++)
		for (size_t i = 0; i < e->pend.n[q]; i++)
			if ((st = s->put(s->ctx, &e->pend.q[q][i], err)))
				return st;
	e->pend_count = 0;
	return PS_OK;
}

static uint32_t tile_len(uint64_t dim, uint64_t tile, uint64_t idx)
{
	uint64_t left = dim - idx * tile;
	return (uint32_t)(left < tile ? left : tile);
}

/* One operand's ring of `slots` buffers at step t: a load takes the next
 * slot, which the step that used it last must have released (*need: that
 * step's token + 1; untouched while the ring fills); with or without a
 * load, step t becomes the last user of the slot loaded last. */
static void slot_use(uint64_t *nload, uint64_t *lastuse, uint32_t slots,
		     uint64_t t, bool load, uint64_t *need)
{
	if (load && (*nload)++ >= slots)
		*need = lastuse[(*nload - 1) % slots] + 1;
	if (*nload)
		lastuse[(*nload - 1) % slots] = t;
}

/* One MM iteration at tile indices (mi, ni, ki). */
static void iteration(struct emitter *e, uint64_t mi, uint64_t ni, uint64_t ki,
		      bool load_b, bool load_a)
{
	const struct cc_mapping *m = e->m;
	const struct pe_layout *l = &m->layout;
	const struct cc_gemm *g = e->g;
	struct body *b = &e->cur;
	uint32_t mt = tile_len(g->M, m->Mt, mi), nt = tile_len(g->N, m->Nt, ni);
	uint32_t kt = tile_len(g->K, m->Kt, ki);
	uint64_t need[3] = { 0 };	/* slot tokens each load must have seen */
	struct trace_insn ld[3];
	int nl = 0;
	uint64_t w_addr = e->o->w_base + e->head * (m->w_total + m->s_total) +
			  (ni * m->tk + ki) * (m->w_tile_bytes + m->s_tile_bytes);
	uint64_t w_bytes = cc_bits_to_bytes((double)kt * nt, l->code_bits);
	bool first_k = ki == 0, last_k = ki + 1 == m->tk;

	slot_use(&e->s.nload_b, e->s.lastuse_b, m->slots_w, e->s.t, load_b, &need[nl]);
	if (load_b) {
		ld[nl++] = (struct trace_insn){
			.opcode = TRACE_LD_W, .op = e->op_index, .repeat = 1,
			.buf = (uint8_t)m->buf_w, .fmt = e->o->fmt, .a = kt, .b = nt,
			.c = m->slots_w,
			.addr = w_addr, .bytes = w_bytes,
		};
		if (l->side_bits > 0) {
			need[nl] = need[nl - 1];
			ld[nl++] = (struct trace_insn){
				.opcode = TRACE_LD_S, .op = e->op_index, .repeat = 1,
				.buf = (uint8_t)m->buf_w,
				.a = l->group ? (uint32_t)((kt + l->group - 1) / l->group) : 1,
				.b = nt, .c = m->slots_w,
				.addr = w_addr + w_bytes,
				.bytes = cc_bits_to_bytes((double)kt * nt, l->side_bits),
			};
		}
	}
	slot_use(&e->s.nload_a, e->s.lastuse_a, m->slots_a, e->s.t, load_a, &need[nl]);
	if (load_a) {
		/* an A strip: the m tile's whole K at once */
		bool strip = m->order == CC_ORDER_MNK_A;
		uint32_t ka = strip ? (uint32_t)g->K : kt;
		ld[nl++] = (struct trace_insn){
			.opcode = TRACE_LD_A, .op = e->op_index, .repeat = 1,
			.buf = (uint8_t)m->buf_a, .fmt = e->o->a_fmt, .a = mt, .b = ka,
			.c = m->slots_a,
			.addr = e->o->act_base + e->head * m->a_total +
				(strip ? mi : mi * m->tk + ki) * m->a_tile_bytes,
			.bytes = cc_bits_to_bytes((double)mt * ka, l->a_bits),
		};
	}
	/* loads in order of the slot tokens they need (a single-slot operand's
	 * after a double-buffered one's), so that each pops at most one */
	for (int i = 1; i < nl; i++)
		for (int j = i; j > 0 && need[j] < need[j - 1]; j--) {
			struct trace_insn x = ld[j];
			uint64_t y = need[j];
			ld[j] = ld[j - 1];
			ld[j - 1] = x;
			need[j] = need[j - 1];
			need[j - 1] = y;
		}
	/* slot tokens: one per load at most, each load popping only what it
	 * (and the loads before it in the in-order queue) must wait for, so a
	 * double-buffered operand is not held back by a single-slot one */
	for (int i = 0; i < nl; i++) {
		uint64_t upto = 0;
		for (int j = 0; j <= i; j++)
			if (need[j] > upto)
				upto = need[j];
		if (e->s.popped < upto) {
			ld[i].flags |= TRACE_POP_NEXT;
			e->s.popped++;
		}
		if (e->s.popped < upto)
			b->overflow = true;	/* cannot happen for k-innermost nests */
	}
	if (nl == 0) {
		b->overflow = true;	/* every iteration loads something */
		return;
	}
	ld[nl - 1].flags |= TRACE_PUSH_NEXT;
	for (int i = 0; i < nl; i++)
		put(b, 0, &ld[i]);

	{
		bool pre = l->precompute && load_a;
		struct trace_insn mm = {
			.opcode = TRACE_MM, .op = e->op_index, .repeat = 1,
			.fmt = e->o->fmt, .a = mt, .b = nt, .c = kt,
			.addr = l->wbits, .bytes = (uint64_t)l->a_bits,
			.flags = TRACE_PUSH_PREV,
		};
		for (uint32_t gsz = l->group; gsz > 1; gsz >>= 1)
			mm.buf++;
		if (pre) {
			struct trace_insn p = {
				.opcode = TRACE_PRE, .op = e->op_index, .repeat = 1,
				.buf = (uint8_t)m->buf_a, .a = mt,
				.b = (kt + l->tables_per_k - 1) / l->tables_per_k,
				.c = l->table_entries, .flags = TRACE_POP_PREV,
			};
			put(b, 1, &p);
		} else {
			mm.flags |= TRACE_POP_PREV;
		}
		if (first_k) {
			if (e->s.out_tiles >= m->slots_o)
				mm.flags |= TRACE_POP_NEXT;
			e->s.out_tiles++;
		}
		if (last_k && !l->dequant)
			mm.flags |= TRACE_PUSH_NEXT;
		put(b, 1, &mm);
		if (last_k && l->dequant) {
			struct trace_insn dq = {
				.opcode = TRACE_DQ, .op = e->op_index, .repeat = 1,
				.a = mt, .b = nt,
				.c = l->group ? (uint32_t)((g->K + l->group - 1) / l->group) : 1,
				.flags = TRACE_PUSH_NEXT,
			};
			put(b, 1, &dq);
		}
	}
	if (last_k) {
		uint64_t oi = m->order == CC_ORDER_NMK ? ni * m->tm + mi : mi * m->tn + ni;
		struct trace_insn st = {
			.opcode = TRACE_ST, .op = e->op_index, .repeat = 1,
			.buf = (uint8_t)(m->buf_o >= 0 ? m->buf_o : m->buf_a),
			.a = mt, .b = nt, .c = m->slots_o,
			.addr = e->o->act_base + (1ull << 40) +
				oi * cc_bits_to_bytes((double)m->Mt * m->Nt, l->out_bits),
			.bytes = cc_bits_to_bytes((double)mt * nt, l->out_bits),
			.flags = TRACE_POP_PREV | TRACE_PUSH_PREV,
		};
		put(b, 2, &st);
	}
	e->s.t++;
}

/* Walk mid tiles [y0, y1) of outer tile oi into e->cur. */
static void walk(struct emitter *e, uint64_t oi, uint64_t y0, uint64_t y1)
{
	const struct cc_mapping *m = e->m;
	bool nmk = m->order == CC_ORDER_NMK;
	memset(&e->cur, 0, sizeof e->cur);
	for (uint64_t yi = y0; yi < y1; yi++)
		for (uint64_t ki = 0; ki < m->tk; ki++) {
			uint64_t mi = nmk ? yi : oi, ni = nmk ? oi : yi;
			/* an operand is loaded when its tile differs from the one
			 * the previous iteration used (cc_map's reuse rule) */
			bool fresh = e->s.t == 0 || e->s.new_head;
			bool load_b = fresh || ki != e->s.prev_k || ni != e->s.prev_n;
			bool load_a = fresh || mi != e->s.prev_m ||
				      (ki != e->s.prev_k && m->order != CC_ORDER_MNK_A);
			iteration(e, mi, ni, ki, load_b, load_a);
			e->s.new_head = false;
			e->s.prev_m = mi;
			e->s.prev_n = ni;
			e->s.prev_k = ki;
		}
}

/* Two equal units in a row: the token pattern has settled, so every later
 * full tile at this level gives this unit again. Advance the state over them
 * in closed form (each by the last unit's deltas) and return how many were
 * skipped; `left` is how many full tiles remain at this level. The skip keeps
 * the slot rings aligned (a multiple of the ring period), so the state is
 * exactly what stepping would give; *idx is the level's tile index. */
static uint64_t skip_steady(struct emitter *e, const struct emit_state *before,
			    uint64_t left, uint64_t *idx)
{
	const struct cc_mapping *m = e->m;
	uint64_t dt = e->s.t - before->t, db = e->s.nload_b - before->nload_b;
	uint64_t da = e->s.nload_a - before->nload_a, skip = left;
	while (skip && ((skip * db) % m->slots_w || (skip * da) % m->slots_a))
		skip--;
	e->pend_count += skip;
	e->s.t += skip * dt;
	e->s.nload_b += skip * db;
	e->s.nload_a += skip * da;
	e->s.popped += skip * (e->s.popped - before->popped);
	e->s.out_tiles += skip * (e->s.out_tiles - before->out_tiles);
	for (int s = 0; s < 2; s++) {
		e->s.lastuse_b[s] += skip * dt;
		e->s.lastuse_a[s] += skip * dt;
	}
	*idx += skip;
	return skip;
}

/* Fold the unit just walked into the pending one, or flush and start anew.
 * full: tiles at this level that are not edge tiles; i: this unit's index. */
static enum ps_status fold(struct emitter *e, const struct emit_state *before,
			   uint64_t *i, uint64_t full, uint64_t *prev_idx,
			   const struct cc_sink *sink, struct ps_err *err)
{
	enum ps_status st;
	if (e->cur.overflow)
		return ps_errf(err, PS_EINPUT, "op %u: instruction body too irregular to encode",
			       e->op_index);
	if (e->pend_count && same_body(&e->cur, &e->pend)) {
		e->pend_count++;
		if (!e->o->no_shortcut && e->pend_count >= 2 && full > *i + 1) {
			uint64_t skip = skip_steady(e, before, full - (*i + 1), i);
			*prev_idx += skip;
		}
		return PS_OK;
	}
	st = flush_pending(e, sink, err);
	e->pend = e->cur;
	e->pend_count = 1;
	return st;
}

enum ps_status cc_emit_op_record(const struct wl_op *op, uint32_t op_index,
				 const struct cc_gemm *g, const struct cc_mapping *m,
				 struct trace_insn *hdr, struct ps_err *err)
{
	if (!m->feasible)
		return ps_errf(err, PS_EINPUT, "op %u (%s): %s", op_index, op->name, m->reason);
	if (op->repeat > UINT32_MAX || g->K > UINT32_MAX || g->N > UINT32_MAX)
		return ps_errf(err, PS_EINPUT, "op %u (%s): dims exceed the trace's 32-bit fields",
			       op_index, op->name);
	/* repeats (heads x batch) run as one pipelined block: the next head's
	 * loads fill a free slot while this head computes */
	*hdr = (struct trace_insn){
		.opcode = TRACE_OP, .op = op_index,
		.flags = op->repeat > 1 ? TRACE_OP_PIPELINED : 0,
		.repeat = (uint32_t)op->repeat, .buf = (uint8_t)op->kind,
		.fmt = (uint8_t)op->phase, .a = (uint32_t)g->K, .b = (uint32_t)g->N,
		.c = (uint32_t)op->cls, .addr = g->M, .bytes = op->layer,
	};
	return PS_OK;
}

enum ps_status cc_emit_gemm(const struct cfg_arch *a, const struct wl_op *op,
			    uint32_t op_index, const struct cc_gemm *g,
			    const struct cc_mapping *m,
			    const struct cc_emit_opts *o,
			    const struct cc_sink *sink, struct ps_err *err)
{
	struct emitter *e;
	struct trace_insn hdr;
	enum ps_status st;

	if ((st = cc_emit_op_record(op, op_index, g, m, &hdr, err)) ||
	    (st = sink->put(sink->ctx, &hdr, err)))
		return st;
	e = calloc(1, sizeof *e);
	if (!e)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	e->a = a;
	e->g = g;
	e->m = m;
	e->o = o;
	e->op_index = op_index;
	/* The unit of folding: a whole outer tile when k is not tiled (its body
	 * is a handful of records), else one (outer, mid) tile whose body holds
	 * the k sweep. */
	{
		bool nmk = m->order == CC_ORDER_NMK;
		uint64_t outer = nmk ? m->tn : m->tm, mid = nmk ? m->tm : m->tn;
		uint64_t full_outer = nmk ? g->N / m->Nt : g->M / m->Mt;
		uint64_t full_mid = nmk ? g->M / m->Mt : g->N / m->Nt;
		uint64_t *prev_outer = nmk ? &e->s.prev_n : &e->s.prev_m;
		uint64_t *prev_mid = nmk ? &e->s.prev_m : &e->s.prev_n;
		/* a pipelined op's repeats one after another, its tokens flowing
		 * across them (cc_emit_op_record) */
		uint64_t heads = hdr.flags & TRACE_OP_PIPELINED ? op->repeat : 1;
		/* an A strip's m tile repeats as a whole (its first n tile loads
		 * the strip): fold whole outer tiles when one fits a body (a dry
		 * run of the first shows it), else (outer, mid) tiles */
		bool strip_whole = false;
		if (m->order == CC_ORDER_MNK_A) {
			struct emitter *dry = malloc(sizeof *dry);
			if (!dry) {
				free(e);
				return ps_errf(err, PS_ENOMEM, "out of memory");
			}
			*dry = *e;
			walk(dry, 0, 0, mid);
			strip_whole = !dry->cur.overflow;
			free(dry);
		}
		for (e->head = 0; e->head < heads && !st; e->head++) {
			e->s.new_head = e->head > 0;
			for (uint64_t oi = 0; oi < outer && !st; oi++) {
				if (m->tk == 1 || strip_whole) {
					struct emit_state before = e->s;
					walk(e, oi, 0, mid);
					st = fold(e, &before, &oi, full_outer, prev_outer, sink, err);
					continue;
				}
				for (uint64_t yi = 0; yi < mid && !st; yi++) {
					struct emit_state before = e->s;
					walk(e, oi, yi, yi + 1);
					st = fold(e, &before, &yi, full_mid, prev_mid, sink, err);
				}
			}
		}
	}
	if (st) {
		free(e);
		return st;
	}
	if (!st)
		st = flush_pending(e, sink, err);
	free(e);
	return st;
}

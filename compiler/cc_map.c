/* cc_map.c - mapping search and its time, traffic and energy estimate
 * (see cc_map.h for the space, the estimate and the objective). */
#include "cc_map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_map_memo.h"
#include "pe.h"

const char *const cc_order_names[] = { "n-m-k", "m-n-k", "m-n-k/A strip", NULL };

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Bytes of a d1 x d2 operand stored tile by tile (t1 x t2 tiles, each
 * padded to whole bytes): what the emitter moves. */
static uint64_t tiled_bytes(uint64_t d1, uint64_t t1, uint64_t d2, uint64_t t2,
			    double bits)
{
	uint64_t f1 = d1 / t1, e1 = d1 % t1, f2 = d2 / t2, e2 = d2 % t2;
	uint64_t sum = f1 * f2 * cc_bits_to_bytes((double)t1 * t2, bits);
	if (e1)
		sum += f2 * cc_bits_to_bytes((double)e1 * t2, bits);
	if (e2)
		sum += f1 * cc_bits_to_bytes((double)t1 * e2, bits);
	if (e1 && e2)
		sum += cc_bits_to_bytes((double)e1 * e2, bits);
	return sum;
}

static int buffer_index(const struct cfg_arch *a, const char *name)
{
	for (size_t i = 0; i < a->n_buffers; i++)
		if (!strcmp(a->buffers[i].name, name))
			return (int)i;
	return -1;
}

static const struct cfg_buffer *buffer(const struct cfg_arch *a, int idx)
{
	return idx < 0 ? NULL : &a->buffers[idx];
}

static uint64_t capacity(const struct cfg_arch *a, int idx)
{
	return idx < 0 ? 0 : (uint64_t)(a->buffers[idx].size_kib * 1024.0);
}

/* What a search derives from the arch, the GEMM and its layout once
 * rather than per candidate (a search weighs hundreds of candidates, and a
 * generate scenario asks for thousands of shapes, one per decode step's
 * KV length): the buffers, their capacities and ports, the DRAM channel's
 * rate, the family's parameters. */
struct mctx {
	const struct cfg_arch *a;
	const struct cc_gemm *g;
	const struct pe_layout *l;
	const struct pe_family *f;
	const struct cfg_shape *ash;
	struct pe_params pp;		/* with the GEMM's weight and code bits */
	struct pe_array arr;
	int buf_w, buf_a, buf_o;	/* arch buffer index, -1: none */
	uint64_t wcap, acap, ocap;
	uint64_t dram_bits, burst, L;	/* the channel (cfg_arch_xfer_cycles) */
	uint64_t dq;			/* exposed dequantization cycles */
	double pes;
	/* bits per cycle of one of s slots [s] (s = 1, 2) of the weight, the
	 * input and the output buffer (none: the input buffer's, which then
	 * holds the outputs), cfg_buffer_slot_bits; 0: unlimited */
	uint64_t pw[3], pa[3], po[3];
};

static void mctx_init(const struct cfg_arch *a, const struct cc_gemm *g,
		      const struct pe_layout *l, struct mctx *x)
{
	const struct cfg_buffer *bw, *ba, *bo;

	memset(x, 0, sizeof *x);
	x->a = a;
	x->g = g;
	x->l = l;
	x->f = pe_family_of(a);
	x->ash = cfg_arch_shape(a, g->phase);
	x->buf_w = buffer_index(a, "weight");
	x->buf_a = buffer_index(a, "input");
	x->buf_o = buffer_index(a, "output");
	x->wcap = capacity(a, x->buf_w);
	x->acap = capacity(a, x->buf_a);
	x->ocap = capacity(a, x->buf_o);
	pe_params_from_arch(a, g->model, g->phase, &x->pp);
	if (l->dequant && x->f->dq_cycles)
		x->dq = x->f->dq_cycles(&x->pp);
	x->pp.weight_bits = g->w_bits;
	x->pp.code_bits = l->wbits;	/* the KV cache's for attention */
	pe_array_of(a, g->phase, &x->arr);
	x->dram_bits = cfg_arch_dram_bits(a);
	x->burst = a->dram.burst_bytes;
	x->L = a->dram.latency_cycles;
	x->pes = (double)cfg_arch_pes(a, g->phase);
	bw = buffer(a, x->buf_w);
	ba = buffer(a, x->buf_a);
	bo = buffer(a, x->buf_o >= 0 ? x->buf_o : x->buf_a);
	for (uint32_t s = 1; s <= 2; s++) {
		x->pw[s] = bw ? cfg_buffer_slot_bits(bw, s) : 0;
		x->pa[s] = ba ? cfg_buffer_slot_bits(ba, s) : 0;
		x->po[s] = bo ? cfg_buffer_slot_bits(bo, s) : 0;
	}
}

/* A transfer's cycles on the channel (cfg_xfer_dram_cycles). */
static uint64_t xfer_dram(const struct mctx *x, uint64_t bytes)
{
	return cfg_xfer_dram_cycles(bytes, x->burst, x->dram_bits);
}

/* Re-load factor of an operand under the reuse rule: it is loaded again for
 * every iteration of the loops outside its innermost iterating index loop
 * that it does not depend on. dims: bit 0 m, 1 n, 2 k. */
static uint64_t reload(int order, const uint64_t trips[3], unsigned dims)
{
	int loops[3];
	int j = -1;
	uint64_t f = 1;
	if (order == CC_ORDER_MNK_A && dims == (1u | 4u))
		return 1;	/* the A strip stays across the n tiles */
	if (order == CC_ORDER_NMK) {
		loops[0] = 1; loops[1] = 0; loops[2] = 2;
	} else {
		loops[0] = 0; loops[1] = 1; loops[2] = 2;
	}
	for (int i = 0; i < 3; i++)
		if ((dims >> loops[i] & 1) && trips[loops[i]] > 1)
			j = i;
	for (int i = 0; i < j; i++)
		if (!(dims >> loops[i] & 1))
			f *= trips[loops[i]];
	return f;
}

/* The tiles of one dimension: full ones and the edge one. */
struct dimt {
	int n;
	uint64_t len[2], cnt[2];
};

static void dim_tiles(uint64_t D, uint64_t T, struct dimt *d)
{
	d->n = 0;
	if (D / T) {
		d->len[d->n] = T;
		d->cnt[d->n++] = D / T;
	}
	if (D % T) {
		d->len[d->n] = D % T;
		d->cnt[d->n++] = 1;
	}
}

/* One MM tile shape: its timing, operand reads and bytes. */
struct tcls {
	struct pe_tile_timing tt;
	uint64_t rw, ra;		/* bits read from the weight / input buffer */
	uint64_t wb, sb, ab, ob;	/* bytes of its W, S, A loads and output */
	uint64_t pre;			/* LUT-TC table precompute cycles */
	/* per slot count s of the operand's buffer [s]: the issue its reads
	 * through the ports need (0: unlimited), the transfer cycles of its
	 * W (and S) load, its A load and its store */
	uint64_t lw[3], la[3], xb[3], xa[3], xo[3];
};

/* Everything of a (Mt, Kt, Nt) that order and slots do not change. */
struct shape {
	struct dimt dm, dn, dk;
	struct tcls c[2][2][2];		/* [m class][n class][k class] */
	uint64_t trips[3];		/* m, n, k */
	uint64_t xs[2][3];		/* an A strip (m class x K) into one of s slots */
};

static void shape_init(const struct mctx *x, uint64_t Mt, uint64_t Kt,
		       uint64_t Nt, struct shape *s)
{
	const struct cc_gemm *g = x->g;
	const struct pe_layout *l = x->l;

	dim_tiles(g->M, Mt, &s->dm);
	dim_tiles(g->N, Nt, &s->dn);
	dim_tiles(g->K, Kt, &s->dk);
	s->trips[0] = cdiv(g->M, Mt);
	s->trips[1] = cdiv(g->N, Nt);
	s->trips[2] = cdiv(g->K, Kt);
	for (int i = 0; i < s->dm.n; i++)
		for (int j = 0; j < s->dn.n; j++)
			for (int k = 0; k < s->dk.n; k++) {
				struct tcls *c = &s->c[i][j][k];
				struct pe_tile t = { s->dm.len[i], s->dn.len[j], s->dk.len[k] };
				x->f->tile_timing(&x->pp, &x->arr, &t, false, &c->tt);
				if (!c->tt.interval)
					c->tt.interval = c->tt.cycles;
				pe_tile_read_bits(x->a, g->phase, &t, &c->tt, l->wbits,
						  (uint32_t)l->a_bits, &c->rw, &c->ra);
				c->wb = cc_bits_to_bytes((double)t.k * t.n, l->code_bits);
				c->sb = cc_bits_to_bytes((double)t.k * t.n, l->side_bits);
				c->ab = cc_bits_to_bytes((double)t.m * t.k, l->a_bits);
				c->ob = cc_bits_to_bytes((double)t.m * t.n, l->out_bits);
				c->pre = l->precompute ?
						 cdiv(t.k, l->tables_per_k) * cdiv(t.m, x->arr.rows) : 0;
				/* the channel's part once, the ports' per slot count */
				uint64_t dw = xfer_dram(x, c->wb), ds = xfer_dram(x, c->sb);
				uint64_t da = xfer_dram(x, c->ab), d_o = xfer_dram(x, c->ob);
				for (uint32_t n = 1; n <= 2; n++) {
					c->lw[n] = x->pw[n] ? cdiv(c->rw, x->pw[n]) : 0;
					c->la[n] = x->pa[n] ? cdiv(c->ra, x->pa[n]) : 0;
					c->xb[n] = cfg_xfer_port_cycles(c->wb, dw, x->pw[n]) +
						   (c->sb ? cfg_xfer_port_cycles(c->sb, ds, x->pw[n]) : 0);
					c->xa[n] = cfg_xfer_port_cycles(c->ab, da, x->pa[n]);
					c->xo[n] = cfg_xfer_port_cycles(c->ob, d_o, x->po[n]);
				}
			}
	for (int i = 0; i < s->dm.n; i++) {
		uint64_t b = cc_bits_to_bytes((double)s->dm.len[i] * g->K, l->a_bits);
		uint64_t d = xfer_dram(x, b);
		for (uint32_t n = 1; n <= 2; n++)
			s->xs[i][n] = cfg_xfer_port_cycles(b, d, x->pa[n]);
	}
}

/* A class's timing under the mapping's slots: ports stretch the issue. */
struct ctime {
	uint64_t I, C, r;		/* interval, cycles, operands consumed */
	uint64_t xb, xa, xo;		/* transfer cycles of its loads, its store */
};

static void class_time(const struct cc_mapping *m, const struct tcls *c,
		       struct ctime *t)
{
	uint64_t lim = max64(c->lw[m->slots_w], c->la[m->slots_a]), st;
	st = lim > c->tt.interval ? lim - c->tt.interval : 0;
	t->I = c->tt.interval + st;
	t->C = c->tt.cycles + st;
	t->r = t->C - c->tt.drain;
	t->xb = c->xb[m->slots_w];
	t->xa = c->xa[m->slots_a];
	t->xo = c->xo[m->slots_o];
}

/* How long after the previous MM an iteration's MM starts: the array's
 * interval (with the table precompute when it loads A), what its loads wait
 * for (a single slot: the previous MM's operands consumed; two slots: those
 * of the MM two loads back), and on the first K tile of an output tile the
 * output slot (its store). */
static uint64_t spacing(const struct mctx *x, const struct cc_mapping *m,
			const struct ctime *t, const struct tcls *c, bool ld_b,
			bool ld_a, bool stream_b, bool stream_a, bool first_k,
			uint64_t dq, uint64_t r_prev)
{
	uint64_t L = x->L, s = t->I + (ld_a ? c->pre : 0), lag = 0;
	/* the previous MM is most often a full tile (an edge tile's
	 * predecessor is) */
	struct ctime tp = *t;
	tp.r = max64(t->r, r_prev);
	t = &tp;
	/* loads issue in order, a double-buffered operand's first (cc_emit):
	 * a single-slot load waits for the previous MM and holds back the
	 * next iteration's loads */
	bool sb = ld_b && m->slots_w == 1, sa = ld_a && m->slots_a == 1;
	if (sb && sa)
		lag = t->r + L + t->xb + t->xa;
	else if (sb)
		lag = max64(t->r + L, ld_a ? t->xa : 0) + t->xb;
	else if (sa)
		lag = max64(t->r + L, ld_b ? t->xb : 0) + t->xa;
	else if ((ld_b && stream_b) || (ld_a && stream_a))
		lag = cdiv(t->r + (ld_b && stream_b ? t->xb : 0) +
				   (ld_a && stream_a ? t->xa : 0) + L, 2);
	s = max64(s, lag);
	if (first_k) {
		uint64_t out = t->C + dq + t->xo;
		if (m->slots_o == 1)	/* the store may wait behind a load */
			s = max64(s, out + (stream_b ? t->xb : 0) + (stream_a ? t->xa : 0));
		else if (out > (m->tk - 1) * t->I)
			s = max64(s, cdiv(out - (m->tk - 1) * t->I, 2));
	}
	return s;
}

/* The estimate of cc_map.h over the iteration classes of the loop nest. */
static void estimate(const struct mctx *x, const struct shape *sh,
		     struct cc_mapping *m)
{
	const struct cc_gemm *g = x->g;
	bool nmk = m->order == CC_ORDER_NMK;
	const struct dimt *dO = nmk ? &sh->dn : &sh->dm, *dY = nmk ? &sh->dm : &sh->dn;
	uint64_t tmid = nmk ? m->tm : m->tn, dq = x->dq, L = x->L;
	uint64_t sum = 0, xall = 0, xload = 0, issue = 0, steps = 0, last = 0, rf, xsingle = 0;
	uint64_t pre = 0;	/* table precompute on the array (LUT-TC) */
	/* a pipelined op's copies: its loop nest again per copy, both operands
	 * new at each; a copy of one tile streams both */
	uint64_t heads = g->repeat > 1 ? g->repeat : 1;
	bool one = m->tm * m->tn * m->tk == 1 && heads > 1;
	struct ctime t0, tl;

	class_time(m, &sh->c[0][0][0], &t0);
	rf = t0.r;
	for (int oc = 0; oc < dO->n; oc++)
		for (int yc = 0; yc < dY->n; yc++)
			for (int kc = 0; kc < sh->dk.n; kc++) {
				int mi = nmk ? yc : oc, ni = nmk ? oc : yc;
				const struct tcls *c = &sh->c[mi][ni][kc];
				uint64_t n = dO->cnt[oc] * dY->cnt[yc] * sh->dk.cnt[kc] * heads;
				struct ctime t;
				class_time(m, c, &t);
				issue += n * t.I;
				steps += n * c->tt.steps;
				if (kc == 0)	/* one store per output tile */
					xall += dO->cnt[oc] * dY->cnt[yc] * heads * t.xo;
				bool is_last = oc == dO->n - 1 && yc == dY->n - 1 && kc == sh->dk.n - 1;
				if (m->order == CC_ORDER_MNK_A) {
					/* W changes every iteration; the A strip loads
					 * on the first one of each m tile, as the whole
					 * strip */
					uint64_t na = yc == 0 && kc == 0 ? dO->cnt[oc] * heads : 0;
					uint64_t nf = kc == 0 ? dO->cnt[oc] * dY->cnt[yc] * heads : 0;
					uint64_t xs = sh->xs[oc][m->slots_a];
					struct ctime ts = t;
					ts.xa = xs;
					uint64_t sa = spacing(x, m, &ts, c, true, true, true, false, true, dq, rf);
					uint64_t sf = spacing(x, m, &t, c, true, false, true, false, true, dq, rf);
					uint64_t so = spacing(x, m, &t, c, true, false, true, false, false, dq, rf);
					sum += na * sa + (nf - na) * sf + (n - nf) * so;
					if (is_last)
						last = so;
					xload += n * t.xb + na * xs;
					xsingle += n * (m->slots_w == 1 ? t.xb : 0) + na * (m->slots_a == 1 ? xs : 0);
				} else if (m->tk > 1 || one) {
					/* both operands change every iteration */
					uint64_t nf = kc == 0 ? dO->cnt[oc] * dY->cnt[yc] * heads : 0;
					uint64_t sf = spacing(x, m, &t, c, true, true, true, true, true, dq, rf);
					uint64_t so = spacing(x, m, &t, c, true, true, true, true, false, dq, rf);
					sum += nf * sf + (n - nf) * so;
					pre += n * c->pre;
					if (is_last)
						last = so;
					xload += n * (t.xb + t.xa);
					xsingle += n * ((m->slots_w == 1 ? t.xb : 0) + (m->slots_a == 1 ? t.xa : 0));
				} else {
					/* the outer operand changes with the outer tile,
					 * the mid one with every mid tile */
					uint64_t nf = yc == 0 ? dO->cnt[oc] * heads : 0;
					bool mid_moves = tmid > 1;
					uint64_t x_outer = nmk ? t.xb : t.xa, x_mid = nmk ? t.xa : t.xb;
					bool ob = nmk, oa = !nmk;
					/* with one mid tile every iteration is a new
					 * outer tile: the outer operand streams */
					uint64_t sf = spacing(x, m, &t, c, ob || mid_moves, oa || mid_moves,
							      nmk ? !mid_moves : mid_moves,
							      nmk ? mid_moves : !mid_moves, true, dq, rf);
					uint64_t so = spacing(x, m, &t, c, !ob, !oa, !nmk, nmk, true, dq, rf);
					sum += nf * sf + (n - nf) * so;
					/* an outer tile's own stalls beyond its
					 * iterations' spacing, the outer operand
					 * double-buffered; the larger of: (1) the next
					 * outer tile's load issues as this one starts and
					 * holds the one DRAM channel for x_outer, so this
					 * tile's first store waits behind it and the MM
					 * after the output slots' worth waits for that
					 * store; (2) that load's slot is the one of the
					 * outer tile before, free once that tile's last
					 * MM has consumed its operands: the next outer
					 * tile starts that, the loads and the latency
					 * after this one */
					if (nf && mid_moves && (nmk ? m->slots_w : m->slots_a) == 2) {
						uint64_t tile = sf + (tmid - 1) * so, ex = 0;
						uint64_t chain = (t.r > t.I ? t.r - t.I : 0) + x_outer + x_mid + L;
						if (tmid >= m->slots_o && x_outer + t.xo > m->slots_o * t.I)
							ex = x_outer + t.xo - m->slots_o * t.I;
						if (chain > tile && chain - tile > ex)
							ex = chain - tile;
						sum += nf * ex;
					}
					/* the tables are built when A loads (cc_emit):
					 * as the outer operand once per outer tile, as
					 * the mid one per iteration when it moves (else
					 * once per copy, below) */
					pre += (nmk ? (mid_moves ? n : 0) : nf) * c->pre;
					if (is_last)
						last = n > nf ? so : sf;
					xload += nf * (x_outer + (mid_moves ? x_mid : 0)) + (n - nf) * x_mid;
					{
						bool so_w = m->slots_w == 1, so_a = m->slots_a == 1;
						bool s_out = nmk ? so_w : so_a, s_mid = nmk ? so_a : so_w;
						xsingle += nf * ((s_out ? x_outer : 0) + (mid_moves && s_mid ? x_mid : 0)) +
							   (n - nf) * (s_mid ? x_mid : 0);
					}
				}
			}
	/* the first iteration starts after its loads; the last one's results
	 * go out through the dequantizer and the store */
	if (m->tk == 1 && tmid == 1 && !one) {
		xload += (nmk ? t0.xa : t0.xb) * heads;	/* the mid operand's one load per copy */
		if (nmk)
			pre += sh->c[0][0][0].pre * heads;
	}
	/* MM t+1 starts max(MM t's interval, what t+1's loads wait for) after
	 * MM t: summed per class over every iteration but the last, which
	 * instead takes its whole cycles */
	class_time(m, &sh->c[sh->dm.n - 1][sh->dn.n - 1][sh->dk.n - 1], &tl);
	xall += xload;
	if (m->order == CC_ORDER_MNK_A)
		t0.xa = sh->xs[0][m->slots_a];
	m->est_sched = t0.xb + t0.xa + L + sh->c[0][0][0].pre + (sum > last ? sum - last : 0) + tl.C + dq + tl.xo;
	m->est_cycles = max64(m->est_sched, max64(xload + L + tl.C + dq + tl.xo, xall));
	m->compute_cycles = issue + pre;
	m->dram_cycles = xall;
	m->ideal_cycles = max64(issue + pre + xsingle, xall);
	if (g->prices) {
		const struct cc_prices *p = g->prices;
		double pes = x->pes;
		double fd = (double)(sh->c[0][0][0].tt.fill + sh->c[0][0][0].tt.drain);
		uint64_t wr = (m->w_total + m->s_total) * reload(m->order, sh->trips, 6);
		m->est_energy_pj = pes * ((double)(issue + pre) + fd) * p->pe_cycle +
				   (double)steps * p->tile_read +
				   (double)wr / 8.0 * p->weight_write64 +
				   (double)(m->dram_read_bytes + m->dram_write_bytes - wr) /
					   8.0 * p->input_write64 +
				   (double)m->dram_read_bytes * 8.0 * p->dram_read_bit +
				   (double)m->dram_write_bytes * 8.0 * p->dram_write_bit;
	}
}

/* A candidate's tiles, trip counts and traffic: what its slots do not
 * change; false (with the reason) when its order does not apply. */
static bool fit_tiles(const struct mctx *x, uint64_t Mt, uint64_t Kt, uint64_t Nt,
		      int order, struct cc_mapping *m)
{
	const struct cc_gemm *g = x->g;
	const struct pe_layout *l = x->l;
	uint64_t trips[3];

	*m = (struct cc_mapping){ .layout = *l, .Mt = Mt, .Kt = Kt, .Nt = Nt, .order = order };
	m->tm = trips[0] = cdiv(g->M, Mt);
	m->tn = trips[1] = cdiv(g->N, Nt);
	m->tk = trips[2] = cdiv(g->K, Kt);
	m->buf_w = x->buf_w;
	m->buf_a = x->buf_a;
	m->buf_o = x->buf_o;

	if (order == CC_ORDER_MNK_A && (m->tk < 2 || m->tn < 2 || l->precompute)) {
		snprintf(m->reason, sizeof m->reason,
			 "an A strip needs K tiled, more than one n tile and no table precompute");
		return false;
	}
	/* the A strip: the m tile's Mt x K in one load */
	uint64_t Ka = order == CC_ORDER_MNK_A ? g->K : Kt;
	m->w_tile_bytes = cc_bits_to_bytes((double)Kt * Nt, l->code_bits);
	m->s_tile_bytes = cc_bits_to_bytes((double)Kt * Nt, l->side_bits);
	m->a_tile_bytes = cc_bits_to_bytes((double)Mt * Ka, l->a_bits);
	m->table_tile_bytes = cc_bits_to_bytes((double)Mt * Ka, l->table_bits_per_a);
	m->o_tile_bytes = cc_bits_to_bytes((double)Mt * Nt,
					   m->tk > 1 ? l->acc_bits : l->out_bits);
	m->w_total = tiled_bytes(g->K, Kt, g->N, Nt, l->code_bits);
	m->s_total = tiled_bytes(g->K, Kt, g->N, Nt, l->side_bits);
	m->a_total = tiled_bytes(g->M, Mt, g->K, Ka, l->a_bits);
	m->o_total = tiled_bytes(g->M, Mt, g->N, Nt, l->out_bits);
	m->dram_read_bytes = (m->w_total + m->s_total) * reload(order, trips, 2u | 4u) +
			     m->a_total * reload(order, trips, 1u | 4u);
	m->dram_write_bytes = m->o_total;
	return true;
}

/* The candidate of fit_tiles with sw, sa and so slots of its weight, input
 * and output tiles: false when they exceed the buffers, with the reason in
 * why (NULL: none; the search writes it only when nothing fits). */
static bool fit_slots(const struct mctx *x, struct cc_mapping *m, uint32_t sw,
		      uint32_t sa, uint32_t so, char why[200])
{
	m->slots_w = sw;
	m->slots_a = sa;
	m->slots_o = so;
	m->feasible = false;
	if (sw * (m->w_tile_bytes + m->s_tile_bytes) > x->wcap) {
		if (why)
			snprintf(why, 200, "weight tile %llu B x %u slots exceeds the weight buffer (%llu B)",
				 (unsigned long long)(m->w_tile_bytes + m->s_tile_bytes), sw,
				 (unsigned long long)x->wcap);
		return false;
	}
	if (sa * (m->a_tile_bytes + m->table_tile_bytes) > x->acap) {
		if (why)
			snprintf(why, 200, "input tile %llu B x %u slots exceeds the input buffer (%llu B)",
				 (unsigned long long)(m->a_tile_bytes + m->table_tile_bytes), sa,
				 (unsigned long long)x->acap);
		return false;
	}
	if (m->buf_o >= 0) {
		if (so * m->o_tile_bytes > x->ocap) {
			if (why)
				snprintf(why, 200, "output tile exceeds the output buffer");
			return false;
		}
	} else if (m->tk > 1 && (m->Mt > x->ash->cols || m->Nt > x->ash->rows)) {
		if (why)
			snprintf(why, 200,
				 "partial sums of a %llux%llu tile do not fit the %ux%u PE accumulators (no output buffer)",
				 (unsigned long long)m->Mt, (unsigned long long)m->Nt, x->ash->rows,
				 x->ash->cols);
		return false;
	}
	m->feasible = true;
	return true;
}

bool cc_map_eval(const struct cfg_arch *a, const struct cc_gemm *g,
		 const struct pe_layout *l, uint64_t Mt, uint64_t Kt,
		 uint64_t Nt, int order, uint32_t slots_w, uint32_t slots_a,
		 uint32_t slots_o, struct cc_mapping *m)
{
	struct mctx x;
	struct shape sh;
	if (slots_w - 1 > 1 || slots_a - 1 > 1 || slots_o - 1 > 1) {
		*m = (struct cc_mapping){ .layout = *l };
		snprintf(m->reason, sizeof m->reason, "an operand has one slot or two");
		return false;
	}
	mctx_init(a, g, l, &x);
	if (!fit_tiles(&x, Mt, Kt, Nt, order, m) ||
	    !fit_slots(&x, m, slots_w, slots_a, slots_o, m->reason))
		return false;
	shape_init(&x, Mt, Kt, Nt, &sh);
	estimate(&x, &sh, m);
	return true;
}

/* Candidate tile sizes: multiples of unit by powers of two below dim, dim
 * itself, and powers of two below unit (partial array use). */
static size_t candidates(uint64_t dim, uint64_t unit, bool below_unit,
			 uint64_t *out, size_t cap)
{
	size_t n = 0;
	if (unit == 0)
		unit = 1;
	for (uint64_t t = unit; t < dim && n < cap - 1; t *= 2)
		out[n++] = t;
	if (below_unit)
		for (uint64_t t = unit / 2; t >= 1 && t < dim && n < cap - 1; t /= 2)
			out[n++] = t;
	out[n++] = dim;
	return n;
}

/* A candidate the search keeps: what ranking needs, and how to rebuild
 * it. */
struct cand {
	uint64_t Mt, Kt, Nt, est, sched, traffic, iters;
	double energy;
	uint8_t order, sw, sa, so;
	bool full;
};

struct cands {
	struct cand *c;
	size_t n, cap;
	uint64_t min_est, min_traffic, min_ideal;
	double min_energy;
};

static int cmp_u64(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

static int cmp_energy(double x, double y)
{
	if (fabs(x - y) <= 1e-12 * (fabs(x) + fabs(y)))
		return 0;
	return x < y ? -1 : 1;
}

/* Estimated cycles within CC_MAP_TIE of the fastest candidate's rank
 * equal: the estimate's resolution (fill, drain and stalls it sums in
 * classes), so that a fraction of a percent of estimated time never buys
 * a multiple of the DRAM traffic. */
#define CC_MAP_TIE 64

static bool within(uint64_t est, uint64_t min)
{
	return est <= min + min / CC_MAP_TIE;
}

/* x before y? The objective's key first (cycles: within the tie band of
 * the fastest), then the others (cycles, traffic, energy), then a
 * full-width tile, then fewer MM iterations. */
static bool ranks_before(int obj, const struct cands *cs, const struct cand *x,
			 const struct cand *y)
{
	int c = 0;
	switch (obj) {
	case CFG_MAP_CYCLES:
		c = (int)within(y->est, cs->min_est) - (int)within(x->est, cs->min_est);
		break;
	case CFG_MAP_TRAFFIC:
		c = cmp_u64(x->traffic, y->traffic);
		break;
	default:
		c = cmp_energy(x->energy, y->energy);
	}
	if (c)
		return c < 0;
	for (int k = 0; k < 3; k++) {
		if (k == obj)
			continue;
		c = k == CFG_MAP_CYCLES ? cmp_u64(x->est, y->est) :
		    k == CFG_MAP_TRAFFIC ? cmp_u64(x->traffic, y->traffic) :
					   cmp_energy(x->energy, y->energy);
		if (c)
			return c < 0;
	}
	if (obj == CFG_MAP_CYCLES && (c = cmp_u64(x->est, y->est)))
		return c < 0;
	/* equal estimates held at the DRAM channel's total: the schedule
	 * that overlaps its transfers better (smaller tiles pipeline the
	 * first loads and the last stores) */
	if (obj == CFG_MAP_CYCLES && (c = cmp_u64(x->sched, y->sched)))
		return c < 0;
	/* never a tile narrower than the array when a full-width one fits */
	if (x->full != y->full)
		return x->full;
	/* more double buffering: slack for what the estimate averages away */
	if (x->sw + x->sa + x->so != y->sw + y->sa + y->so)
		return x->sw + x->sa + x->so > y->sw + y->sa + y->so;
	return x->iters < y->iters;
}

/* Can candidate c (its traffic known, its timing not yet) still rank
 * first? */
static bool hopeless(const struct mctx *x, const struct cands *cs,
		     const struct cc_mapping *c)
{
	uint64_t t = c->dram_read_bytes + c->dram_write_bytes;
	if (!cs->n)
		return false;
	if (x->a->mapper.objective == CFG_MAP_TRAFFIC)
		return t > cs->min_traffic;
	if (x->a->mapper.objective == CFG_MAP_CYCLES)
		return !within(cdiv(t * 8, x->dram_bits), cs->min_est);
	return false;
}

static bool keep(struct cands *cs, const struct cfg_shape *sh,
		 const struct cc_gemm *g, const struct cc_mapping *m)
{
	struct cand *x;
	if (ps_grow(&cs->c, &cs->cap, cs->n, sizeof *cs->c, 1024, NULL))
		return false;
	x = &cs->c[cs->n++];
	*x = (struct cand){
		.Mt = m->Mt, .Kt = m->Kt, .Nt = m->Nt, .est = m->est_cycles, .sched = m->est_sched,
		.traffic = m->dram_read_bytes + m->dram_write_bytes,
		.iters = m->tm * m->tn * m->tk, .energy = m->est_energy_pj,
		.order = (uint8_t)m->order, .sw = (uint8_t)m->slots_w,
		.sa = (uint8_t)m->slots_a, .so = (uint8_t)m->slots_o,
		.full = m->Mt >= (g->M < sh->cols ? g->M : sh->cols) &&
			m->Nt >= (g->N < sh->rows ? g->N : sh->rows),
	};
	if (cs->n == 1 || x->est < cs->min_est)
		cs->min_est = x->est;
	if (cs->n == 1 || x->traffic < cs->min_traffic)
		cs->min_traffic = x->traffic;
	{
		uint64_t ideal = m->ideal_cycles;
		if (cs->n == 1 || ideal < cs->min_ideal)
			cs->min_ideal = ideal;
	}
	if (cs->n == 1 || x->energy < cs->min_energy)
		cs->min_energy = x->energy;
	return true;
}

/* Add v to a candidate list unless there or out of [1, dim]. */
static size_t add_cand(uint64_t *c, size_t n, size_t cap, uint64_t v, uint64_t dim)
{
	if (v < 1 || v > dim || n >= cap)
		return n;
	for (size_t i = 0; i < n; i++)
		if (c[i] == v)
			return n;
	c[n++] = v;
	return n;
}

/* The largest tile along a dimension whose `per` bytes per unit fit
 * cap / slots, and that rounded down to the array's `unit`: a tile that
 * fills its buffer slot. */
static size_t add_fill(uint64_t *c, size_t n, size_t cap_n, uint64_t cap,
		       uint32_t slots, double per, uint64_t unit, uint64_t dim)
{
	uint64_t v;
	if (per <= 0)
		return n;
	v = (uint64_t)floor((double)(cap / slots) / per);
	while (v > 1 && cc_bits_to_bytes((double)v, per * 8) * slots > cap)
		v--;
	if (v > dim)
		v = dim;
	n = add_cand(c, n, cap_n, v, dim);
	if (unit && v > unit)
		n = add_cand(c, n, cap_n, v / unit * unit, dim);
	return n;
}

enum ps_status cc_map_gemm(const struct cfg_arch *a, const struct cc_gemm *g,
			   struct cc_mapping *best, struct ps_err *err)
{
	const struct cfg_shape *ash = cfg_arch_shape(a, g->phase);
	const struct cfg_buffer *bw = cfg_arch_buffer(a, "weight");
	const struct cfg_buffer *ba = cfg_arch_buffer(a, "input");
	const struct cfg_buffer *bo = cfg_arch_buffer(a, "output");
	uint32_t max_w = bw && bw->double_buffered ? 2 : 1;
	uint32_t max_a = ba && ba->double_buffered ? 2 : 1;
	uint32_t min_o = bo ? 1 : 2, max_o = bo ? (bo->double_buffered ? 2 : 1) : 2;
	struct cands cs = { 0 };
	struct pe_layout l;
	struct mctx x;
	struct cc_map_choice ch;
	uint64_t mc0[80], nc0[80], kc[80];
	size_t nm0, nn0, nk;
	uint64_t a_bytes, compulsory;
	char last[200] = "no candidate";
	/* the last candidate that did not fit: its reason, if nothing does */
	struct {
		uint64_t Mt, Kt, Nt;
		int order;
		uint32_t sw, sa, so;
	} fail = { 0 };

	if (!g->M || !g->K || !g->N)
		return ps_errf(err, PS_EINPUT, "GEMM %llux%llux%llu: dims must be > 0",
			       (unsigned long long)g->M, (unsigned long long)g->K,
			       (unsigned long long)g->N);
	cc_layout_for(a, g, &l);
	memset(best, 0, sizeof *best);
	if (cc_map_memo_get(a, g, &ch)) {
		cc_map_eval(a, g, &l, ch.Mt, ch.Kt, ch.Nt, ch.order, ch.slots_w, ch.slots_a,
			    ch.slots_o, best);
		best->bound_buffers_cycles = ch.bound_buffers_cycles;
		return PS_OK;
	}
	mctx_init(a, g, &l, &x);
	a_bytes = cc_bits_to_bytes((double)g->M * g->K, l.a_bits);
	compulsory = a_bytes + cc_bits_to_bytes((double)g->K * g->N, l.code_bits + l.side_bits) +
		     cc_bits_to_bytes((double)g->M * g->N, l.out_bits);
	nm0 = candidates(g->M, ash->cols, true, mc0, 80);
	nn0 = candidates(g->N, ash->rows, true, nc0, 80);
	nk = candidates(g->K, l.k_align, false, kc, 80);
	/* K split evenly into 2..4 aligned tiles, so a tile fits a slot
	 * without a short edge tile */
	for (uint64_t parts = 2; parts <= 4; parts++) {
		uint64_t al = l.k_align ? l.k_align : 1;
		nk = add_cand(kc, nk, 80, cdiv(cdiv(g->K, parts), al) * al, g->K - 1);
	}
	for (size_t k = 0; k < nk; k++) {
		uint64_t mc[96], nc[96];
		size_t nm = nm0, nn = nn0;
		memcpy(mc, mc0, nm0 * sizeof *mc);
		memcpy(nc, nc0, nn0 * sizeof *nc);
		/* tiles that fill a slot of their buffer */
		for (uint32_t s = 1; s <= 2; s++) {
			nm = add_fill(mc, nm, 96, x.acap, s,
				      (double)kc[k] * (l.a_bits + l.table_bits_per_a) / 8.0,
				      ash->cols, g->M);
			/* and A strips (Mt x K) that fill it */
			if (kc[k] < g->K)
				nm = add_fill(mc, nm, 96, x.acap, s, (double)g->K * l.a_bits / 8.0,
					      ash->cols, g->M);
			nn = add_fill(nc, nn, 96, x.wcap, s,
				      (double)kc[k] * (l.code_bits + l.side_bits) / 8.0,
				      ash->rows, g->N);
		}
		for (size_t i = 0; i < nm; i++)
			for (size_t j = 0; j < nn; j++) {
				struct shape sh;
				bool have = false;
				for (int o = 0; o < CC_ORDER_N; o++) {
					struct cc_mapping c;
					bool tiles;
					/* one outer and one mid tile: the orders agree */
					if (o == CC_ORDER_MNK && (mc[i] == g->M || nc[j] == g->N))
						continue;
					/* an A strip: K tiled, several n tiles as wide
					 * as the array (it is there to keep tiles full
					 * width), and the A re-loads it saves above the
					 * tie band of the traffic (else it brings only
					 * the estimate's error: a GEMV's A is a few
					 * bytes) */
					if (o == CC_ORDER_MNK_A &&
					    (kc[k] >= g->K || nc[j] >= g->N || nc[j] < ash->rows || l.precompute ||
					     a_bytes * (cdiv(g->N, nc[j]) - 1) * CC_MAP_TIE < compulsory))
						continue;
					tiles = fit_tiles(&x, mc[i], kc[k], nc[j], o, &c);
					for (uint32_t sw = 1; sw <= max_w; sw++)
						for (uint32_t sa = 1; sa <= max_a; sa++)
							for (uint32_t so = min_o; so <= max_o; so++) {
								if (!tiles || !fit_slots(&x, &c, sw, sa, so, NULL)) {
									fail.Mt = mc[i];
									fail.Kt = kc[k];
									fail.Nt = nc[j];
									fail.order = o;
									fail.sw = sw;
									fail.sa = sa;
									fail.so = so;
									continue;
								}
								if (hopeless(&x, &cs, &c))
									continue;
								if (!have) {
									shape_init(&x, mc[i], kc[k], nc[j], &sh);
									have = true;
								}
								estimate(&x, &sh, &c);
								if (!keep(&cs, ash, g, &c)) {
									free(cs.c);
									return ps_errf(err, PS_ENOMEM, "out of memory");
								}
							}
				}
			}
	}
	if (cs.n) {
		const struct cand *w = &cs.c[0], *v = NULL;
		for (size_t i = 1; i < cs.n; i++)
			if (ranks_before(a->mapper.objective, &cs, &cs.c[i], w))
				w = &cs.c[i];
		/* an A strip ranked by cycles wins only beyond the estimate's
		 * resolution: within it, its smaller traffic would break the
		 * tie, and the K-tiled stream it runs is what the estimate
		 * judges least well (decode GEMVs ran up to 10% slower) */
		for (size_t i = 0; i < cs.n && a->mapper.objective == CFG_MAP_CYCLES &&
				   w->order == CC_ORDER_MNK_A; i++)
			if (cs.c[i].order != CC_ORDER_MNK_A &&
			    (!v || ranks_before(a->mapper.objective, &cs, &cs.c[i], v)))
				v = &cs.c[i];
		if (v && w->est + w->est / CC_MAP_TIE >= v->est)
			w = v;
		ch = (struct cc_map_choice){ w->Mt, w->Kt, w->Nt, w->order, w->sw, w->sa, w->so,
					     cs.min_ideal };
		cc_map_memo_put(a, g, &ch);
		cc_map_eval(a, g, &l, w->Mt, w->Kt, w->Nt, w->order, w->sw, w->sa, w->so, best);
		best->bound_buffers_cycles = cs.min_ideal;
	} else {
		if (fail.Mt) {
			struct cc_mapping c;
			if (fit_tiles(&x, fail.Mt, fail.Kt, fail.Nt, fail.order, &c))
				fit_slots(&x, &c, fail.sw, fail.sa, fail.so, c.reason);
			memcpy(last, c.reason, sizeof last);
		}
		best->layout = l;
		snprintf(best->reason, sizeof best->reason,
			 "GEMM %llux%llux%llu does not fit: even the smallest tiles fail (%.120s)",
			 (unsigned long long)g->M, (unsigned long long)g->K,
			 (unsigned long long)g->N, last);
	}
	free(cs.c);
	return PS_OK;
}

void cc_gemm_bound(const struct cfg_arch *a, const struct cc_gemm *g,
		   uint64_t repeat, uint64_t *compute, uint64_t *dram)
{
	const struct pe_family *f = pe_family_of(a);
	struct pe_layout l;
	struct pe_params pp;
	struct pe_array arr;
	struct pe_tile t = { g->M, g->N, g->K };
	struct pe_tile_timing tt;
	uint64_t bytes;

	cc_layout_for(a, g, &l);
	pe_params_from_arch(a, g->model, g->phase, &pp);
	pp.weight_bits = g->w_bits;
	pp.code_bits = l.wbits;
	pe_array_of(a, g->phase, &arr);
	f->tile_timing(&pp, &arr, &t, false, &tt);
	if (!tt.interval)
		tt.interval = tt.cycles;
	if (!repeat)
		repeat = 1;
	*compute = tt.cycles + (repeat - 1) * tt.interval;
	bytes = cc_bits_to_bytes((double)g->K * g->N, l.code_bits) +
		cc_bits_to_bytes((double)g->K * g->N, l.side_bits) +
		cc_bits_to_bytes((double)g->M * g->K, l.a_bits) +
		cc_bits_to_bytes((double)g->M * g->N, l.out_bits);
	*dram = cdiv(bytes * repeat * 8, cfg_arch_dram_bits(a));
}

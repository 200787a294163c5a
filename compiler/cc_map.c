/* cc_map.c - mapping search (see cc_map.h for the space and objective). */
#include "cc_map.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pe.h"

const char *const cc_order_names[] = { "n-m-k", "m-n-k", NULL };

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* Sum over the tiles of one dim of ceil(tile / unit): full tiles and the
 * edge tile. */
static uint64_t steps(uint64_t dim, uint64_t tile, uint64_t unit)
{
	uint64_t full = dim / tile, edge = dim % tile;
	return full * cdiv(tile, unit) + (edge ? cdiv(edge, unit) : 0);
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

static uint64_t capacity(const struct cfg_arch *a, int idx)
{
	return idx < 0 ? 0 : (uint64_t)(a->buffers[idx].size_kib * 1024.0);
}

/* Re-load factor of an operand under the reuse rule: it is loaded again for
 * every iteration of the loops outside its innermost iterating index loop
 * that it does not depend on. dims: bit 0 m, 1 n, 2 k. */
static uint64_t reload(int order, const uint64_t trips[3], unsigned dims)
{
	int loops[3];
	int j = -1;
	uint64_t f = 1;
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

bool cc_map_eval(const struct cfg_arch *a, const struct cc_gemm *g,
		 const struct pe_layout *l, uint64_t Mt, uint64_t Kt,
		 uint64_t Nt, int order, uint32_t slots, struct cc_mapping *m)
{
	const struct cfg_shape *sh = cfg_arch_shape(a, g->phase);
	const struct pe_family *pe = pe_family_of(a);
	uint64_t trips[3], wcap, acap, ocap, fw, fa, st;
	struct pe_params pp;

	memset(m, 0, sizeof *m);
	m->layout = *l;
	m->Mt = Mt;
	m->Kt = Kt;
	m->Nt = Nt;
	m->order = order;
	m->slots_a = m->slots_w = m->slots_o = slots;
	m->tm = trips[0] = cdiv(g->M, Mt);
	m->tn = trips[1] = cdiv(g->N, Nt);
	m->tk = trips[2] = cdiv(g->K, Kt);
	m->buf_w = buffer_index(a, "weight");
	m->buf_a = buffer_index(a, "input");
	m->buf_o = buffer_index(a, "output");

	m->w_tile_bytes = cc_bits_to_bytes((double)Kt * Nt, l->code_bits);
	m->s_tile_bytes = cc_bits_to_bytes((double)Kt * Nt, l->side_bits);
	m->a_tile_bytes = cc_bits_to_bytes((double)Mt * Kt, l->a_bits);
	m->table_tile_bytes = cc_bits_to_bytes((double)Mt * Kt, l->table_bits_per_a);
	m->o_tile_bytes = cc_bits_to_bytes((double)Mt * Nt,
					   m->tk > 1 ? l->acc_bits : l->out_bits);

	wcap = capacity(a, m->buf_w);
	acap = capacity(a, m->buf_a);
	ocap = capacity(a, m->buf_o);
	if (slots * (m->w_tile_bytes + m->s_tile_bytes) > wcap) {
		snprintf(m->reason, sizeof m->reason, "weight tile %llu B x %u slots exceeds the weight buffer (%llu B)",
			 (unsigned long long)(m->w_tile_bytes + m->s_tile_bytes), slots,
			 (unsigned long long)wcap);
		return false;
	}
	if (slots * (m->a_tile_bytes + m->table_tile_bytes) > acap) {
		snprintf(m->reason, sizeof m->reason, "input tile %llu B x %u slots exceeds the input buffer (%llu B)",
			 (unsigned long long)(m->a_tile_bytes + m->table_tile_bytes), slots,
			 (unsigned long long)acap);
		return false;
	}
	/* Without an output buffer results leave through the array's shadow
	 * accumulators (pe_systolic.c) while the next tile computes: two
	 * output slots. */
	if (m->buf_o < 0)
		m->slots_o = 2;
	if (m->buf_o >= 0) {
		if (slots * m->o_tile_bytes > ocap) {
			snprintf(m->reason, sizeof m->reason, "output tile exceeds the output buffer");
			return false;
		}
	} else if (m->tk > 1 && (Mt > sh->cols || Nt > sh->rows)) {
		snprintf(m->reason, sizeof m->reason,
			 "partial sums of a %llux%llu tile do not fit the %ux%u PE accumulators (no output buffer)",
			 (unsigned long long)Mt, (unsigned long long)Nt, sh->rows, sh->cols);
		return false;
	}

	m->w_total = tiled_bytes(g->K, Kt, g->N, Nt, l->code_bits);
	m->s_total = tiled_bytes(g->K, Kt, g->N, Nt, l->side_bits);
	m->a_total = tiled_bytes(g->M, Mt, g->K, Kt, l->a_bits);
	m->o_total = tiled_bytes(g->M, Mt, g->N, Nt, l->out_bits);
	fw = reload(order, trips, 2u | 4u);
	fa = reload(order, trips, 1u | 4u);
	m->dram_read_bytes = (m->w_total + m->s_total) * fw + m->a_total * fa;
	m->dram_write_bytes = m->o_total;

	pe_params_from_arch(a, g->model, g->phase, &pp);
	pp.weight_bits = g->w_bits;
	pp.code_bits = l->wbits;	/* the KV cache's for attention */
	st = pe->step_cycles(&pp);
	m->compute_cycles = steps(g->K, Kt, a->pe.lanes) * steps(g->N, Nt, sh->rows) *
			    steps(g->M, Mt, sh->cols) * st;
	m->dram_cycles = cdiv((m->dram_read_bytes + m->dram_write_bytes) * 8,
			      a->dram.bits_per_cycle);
	if (slots > 1) {
		uint64_t first = cdiv((m->w_tile_bytes + m->s_tile_bytes + m->a_tile_bytes) * 8,
				      a->dram.bits_per_cycle);
		m->est_cycles = (m->compute_cycles > m->dram_cycles ? m->compute_cycles :
								     m->dram_cycles) + first;
	} else {
		m->est_cycles = m->compute_cycles + m->dram_cycles;
	}
	m->feasible = true;
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

static bool better(const struct cc_mapping *x, const struct cc_mapping *best)
{
	uint64_t tx = x->dram_read_bytes + x->dram_write_bytes;
	uint64_t tb = best->dram_read_bytes + best->dram_write_bytes;
	if (!best->feasible)
		return true;
	if (tx != tb)
		return tx < tb;
	if (x->est_cycles != best->est_cycles)
		return x->est_cycles < best->est_cycles;
	return x->tm * x->tn * x->tk < best->tm * best->tn * best->tk;
}

enum ps_status cc_map_gemm(const struct cfg_arch *a, const struct cc_gemm *g,
			   struct cc_mapping *best, struct ps_err *err)
{
	const struct cfg_shape *sh = cfg_arch_shape(a, g->phase);
	struct pe_layout l;
	uint64_t mc[80], nc[80], kc[80];
	size_t nm, nn, nk;
	char last[200] = "no candidate";

	if (!g->M || !g->K || !g->N)
		return ps_errf(err, PS_EINPUT, "GEMM %llux%llux%llu: dims must be > 0",
			       (unsigned long long)g->M, (unsigned long long)g->K,
			       (unsigned long long)g->N);
	cc_layout_for(a, g, &l);
	nm = candidates(g->M, sh->cols, true, mc, 80);
	nn = candidates(g->N, sh->rows, true, nc, 80);
	nk = candidates(g->K, l.k_align, false, kc, 80);
	memset(best, 0, sizeof *best);
	for (size_t i = 0; i < nm; i++)
		for (size_t j = 0; j < nn; j++)
			for (size_t k = 0; k < nk; k++)
				for (int o = 0; o < 2; o++)
					for (uint32_t s = 1; s <= 2; s++) {
						struct cc_mapping c;
						if (!cc_map_eval(a, g, &l, mc[i], kc[k], nc[j], o, s, &c)) {
							memcpy(last, c.reason, sizeof last);
							continue;
						}
						if (better(&c, best))
							*best = c;
					}
	if (!best->feasible) {
		best->layout = l;
		snprintf(best->reason, sizeof best->reason,
			 "GEMM %llux%llux%llu does not fit: even the smallest tiles fail (%s)",
			 (unsigned long long)g->M, (unsigned long long)g->K,
			 (unsigned long long)g->N, last);
	}
	return PS_OK;
}

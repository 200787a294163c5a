/* sim_compat_loops.c - the DnnWeaver / BitFusion loop-tiling model of ANT's
 * and MixPE's evaluations (sim_compat_loops.h), output-stationary. */
#include "sim_compat_loops.h"

#include <string.h>

enum { L_B, L_OW, L_OH, L_IC, L_OC, L_N };

/* Which operand a loop indexes: act, wgt, out (the artifact's tile_deps). */
static const unsigned char deps[L_N][3] = {
	[L_B] = { 1, 0, 1 }, [L_OW] = { 1, 0, 1 }, [L_OH] = { 1, 0, 1 },
	[L_IC] = { 1, 1, 0 }, [L_OC] = { 0, 1, 1 },
};

/* Partial sums leave the array at 16 bits in the ANT/MixPE fork. */
#define CL_OPREC 16

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

uint32_t cl_perf_factor(const struct cl_acc *a, uint32_t bits)
{
	uint32_t b = bits > a->pmin ? bits : a->pmin;
	uint32_t pf = a->pmax / b;
	return pf ? pf : 1;
}

int cl_stats(const struct cl_acc *a, const struct cl_layer *l,
	     const uint64_t num[5], const uint64_t size[5], const int order[5],
	     struct cl_stats *out)
{
	uint64_t kk = l->K * l->K, b = size[L_B], ow = size[L_OW], oh = size[L_OH];
	uint64_t ic = size[L_IC], oc = size[L_OC];
	uint64_t pfw = cl_perf_factor(a, l->wprec), pfi = cl_perf_factor(a, l->iprec);
	/* DRAM -> SRAM fills of one tile (act, wgt, out) and the output
	 * drained to DRAM; the weight tile pads its reduction to the array's
	 * batch side x pf_w and the activation tile to its output side x pf_a,
	 * as the artifact pads them */
	uint64_t w[3], r_out, cap[3] = { a->ibuf_bits / 2, a->wbuf_bits / 2, a->obuf_bits / 2 };
	uint64_t max_w[3], max_r, tiles, initial, final, total, middle, mem, lat;
	int wp[3] = { 1, 1, 1 }, rp = 1;

	w[CL_WGT] = cdiv(kk * ic, a->nb * pfw) * a->nb * pfw * oc * l->wprec;
	w[CL_ACT] = ow * oh * cdiv(kk * ic, a->no * pfi) * a->no * pfi * b * l->iprec;
	w[CL_OUT] = 0;	/* outputs are never read from DRAM */
	r_out = ow * oh * oc * b * CL_OPREC;
	for (int k = 0; k < 3; k++)
		if (w[k] > cap[k])
			return 0;
	memcpy(max_w, w, sizeof max_w);
	max_r = r_out;
	for (int i = L_N - 1; i >= 0; i--) {
		int lp = order[i];
		uint64_t nt = num[lp];
		for (int k = 0; k < 3; k++) {
			if (!wp[k]) {
				w[k] *= nt;
				continue;
			}
			if (!deps[lp][k])
				continue;
			w[k] *= nt;
			if (w[k] > cap[k])
				wp[k] = 0;
			else
				max_w[k] = w[k];
		}
		if (!rp) {
			r_out *= nt;
		} else if (deps[lp][CL_OUT]) {
			r_out *= nt;
			if (r_out > cap[CL_OUT])
				rp = 0;
			else	/* the artifact records the write size here: 0 */
				max_r = w[CL_OUT];
		}
	}
	memset(out, 0, sizeof *out);
	out->wr[CL_WGT] = w[CL_WGT];
	out->wr[CL_ACT] = w[CL_ACT];
	out->wr[CL_OUT] = w[CL_OUT];
	out->rd[CL_DRAM] = w[CL_WGT] + w[CL_ACT] + w[CL_OUT];
	out->rd[CL_OUT] = r_out;
	out->wr[CL_DRAM] = r_out;

	/* inside a tile, output-stationary: every MAC reads an activation and
	 * a weight, every output is read and written once */
	tiles = num[L_B] * num[L_OW] * num[L_OH] * num[L_IC] * num[L_OC];
	out->rd[CL_ACT] += tiles * (oc * oh * ow * b) * (kk * ic) * l->iprec;
	out->wr[CL_OUT] += tiles * (oc * oh * ow * b) * CL_OPREC;
	out->rd[CL_WGT] += tiles * (oc * oh * ow * b) * (kk * ic) * l->wprec;
	out->rd[CL_OUT] += tiles * (oc * oh * ow * b) * CL_OPREC;

	initial = max_w[CL_WGT] + max_w[CL_ACT] + max_w[CL_OUT];
	final = max_r;
	lat = cdiv(initial, a->if_width) + cdiv(final, a->if_width);
	total = out->rd[CL_DRAM] + out->wr[CL_DRAM];
	middle = total > initial + final ? total - initial - final : 0;
	out->compute = tiles * cdiv(b * oh * ow, a->nb * pfi) * cdiv(oc, a->no * pfw) *
		       kk * ic;
	mem = cdiv(middle, a->if_width);
	out->stalls = (mem > out->compute ? mem - out->compute : 0) + lat;
	out->cycles = out->compute + out->stalls;
	return 1;
}

double cl_energy(const struct cl_acc *a, const struct cl_stats *s)
{
	return (double)s->cycles * (a->core_leak + a->dram_leak) +
	       (double)(s->cycles - s->stalls) * a->core_dyn +
	       (double)s->rd[CL_WGT] * a->wbuf_r + (double)s->wr[CL_WGT] * a->wbuf_w +
	       (double)s->rd[CL_ACT] * a->ibuf_r + (double)s->wr[CL_ACT] * a->ibuf_w +
	       (double)s->rd[CL_OUT] * a->obuf_r + (double)s->wr[CL_OUT] * a->obuf_w +
	       (double)s->rd[CL_DRAM] * a->dram_r + (double)s->wr[CL_DRAM] * a->dram_w;
}

/* ceil(log2(x)) + 1 tile sizes: 1, 2, 4, ... up to x (capped). */
static int n_sizes(uint64_t x)
{
	int n = 1;
	while ((1ull << (n - 1)) < x)
		n++;
	return n;
}

struct best {
	int have;
	struct cl_stats s;
	double e;
};

static void consider(const struct cl_acc *a, struct best *b, const struct cl_stats *s)
{
	double e = cl_energy(a, s);
	if (!b->have || s->cycles < b->s.cycles || (s->cycles == b->s.cycles && e < b->e)) {
		b->have = 1;
		b->s = *s;
		b->e = e;
	}
}

/* Every tiling under one order. */
static void tilings(const struct cl_acc *a, const struct cl_layer *l,
		    const int order[5], struct best *b)
{
	int nb = n_sizes(l->B), no = n_sizes(l->O), ni = n_sizes(l->IC), nc = n_sizes(l->OC);
	for (int ib = 0; ib < nb; ib++)
		for (int io = 0; io < no; io++)
			for (int ii = 0; ii < ni; ii++)
				for (int iq = 0; iq < nc; iq++) {
					uint64_t size[5], num[5];
					struct cl_stats s;
					size[L_B] = (1ull << ib) < l->B ? 1ull << ib : l->B;
					size[L_OW] = (1ull << io) < l->O ? 1ull << io : l->O;
					size[L_OH] = size[L_OW];
					size[L_IC] = (1ull << ii) < l->IC ? 1ull << ii : l->IC;
					size[L_OC] = (1ull << iq) < l->OC ? 1ull << iq : l->OC;
					num[L_B] = cdiv(l->B, size[L_B]);
					num[L_OW] = num[L_OH] = cdiv(l->O, size[L_OW]);
					num[L_IC] = cdiv(l->IC, size[L_IC]);
					num[L_OC] = cdiv(l->OC, size[L_OC]);
					if (cl_stats(a, l, num, size, order, &s))
						consider(a, b, &s);
				}
}

/* Heap's algorithm over the first n entries of p (the rest stay). */
static void orders(const struct cl_acc *a, const struct cl_layer *l, int *p,
		   int n, int k, struct best *b)
{
	if (k == 1) {
		tilings(a, l, p, b);
		return;
	}
	orders(a, l, p, n, k - 1, b);
	for (int i = 0; i < k - 1; i++) {
		int j = k % 2 ? 0 : i, t = p[j];
		p[j] = p[k - 1];
		p[k - 1] = t;
		orders(a, l, p, n, k - 1, b);
	}
}

int cl_best(const struct cl_acc *a, const struct cl_layer *l,
	    struct cl_stats *out)
{
	struct best b = { 0 };
	int p[5];
	if (l->O > 1) {
		int q[5] = { L_B, L_OW, L_OH, L_IC, L_OC };
		memcpy(p, q, sizeof p);
		orders(a, l, p, 5, 5, &b);
	} else {
		/* OW and OH have one tile: only the order of B, IC and OC
		 * matters (a one-tile loop promotes nothing) */
		int q[5] = { L_B, L_IC, L_OC, L_OW, L_OH };
		memcpy(p, q, sizeof p);
		orders(a, l, p, 3, 3, &b);
	}
	if (b.have)
		*out = b.s;
	return b.have;
}

/* pe_flightllm_gemm.c - a whole GEMM through `chains` stepped CSD chains,
 * and the closed form of its cycles (README.md "Array" and "Timing").
 *
 * Array: the chains run in lockstep on one broadcast activation block (16
 * K-values of two tokens, the packed pair); each chain works on its own
 * output channels. With N kept weights per 16-block (nm_n; 16 = dense) a
 * channel's block needs N DSP slots:
 *   N <= depth: the chain splits into cpw = depth / N groups of N DSPs
 *               (reduction nodes every N/2 DGs), one channel each, so a
 *               wave yields cpw results per chain (README "Open" on the
 *               paper's wording); unused DSPs get weight 0;
 *   N >  depth: a channel's block takes s = ceil(N / depth) waves (slices)
 *               through the whole chain, partial sums added after the RN.
 * Waves run pair of tokens, 16-block of K, channel batch of chains * cpw,
 * slice (outermost first), one per cycle, no bubbles.
 *
 * Timing: wave i enters at edge i; a group whose last DSP is e - 1 shows
 * its result after edge i + e + 2 (P of DSP e-1 is valid e + 2 edges after
 * the wave, and the RN is logic on it), so a wave using the first E DSPs
 * is done E + 3 edges after it entered: the chain fill latency N + 3 of
 * flightllm_dsp48.md for a full N-deep chain. Over W waves
 *   cycles = max(W + E_last + 2, W + E_prev + 1)
 * edges, E_last and E_prev the DSPs used by the last and second-last wave
 * (a partial last channel batch or a short last slice finishes early, so
 * the wave before it can be the last to drain). Earlier waves always finish
 * before those two. */
#include "pe_flightllm.h"

#include <stdlib.h>
#include <string.h>

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

struct geom {
	uint64_t cpw;		/* channels per chain per wave */
	uint64_t slices;	/* waves per channel batch and block */
	uint64_t batches;
	uint64_t waves;
	uint64_t e_last, e_prev;
};

static void geometry(uint32_t D, uint32_t C, uint32_t N, uint64_t m,
		     uint64_t n, uint64_t k, struct geom *g)
{
	memset(g, 0, sizeof *g);
	if (!D || !C || !N || !m || !n || !k)
		return;
	if (N <= D) {
		g->cpw = D / N;
		g->slices = 1;
	} else {
		g->cpw = 1;
		g->slices = cdiv(N, D);
	}
	g->batches = cdiv(n, (uint64_t)C * g->cpw);
	g->waves = cdiv(m, 2) * cdiv(k, PE_FL_M) * g->batches * g->slices;
	if (N <= D) {
		uint64_t rem = n - (g->batches - 1) * C * g->cpw;
		g->e_last = (rem < g->cpw ? rem : g->cpw) * N;
		g->e_prev = g->batches >= 2 ? g->cpw * N : g->e_last;
	} else {
		g->e_last = N - (g->slices - 1) * D;
		g->e_prev = D;
	}
}

uint64_t pe_flightllm_tile_waves(uint32_t depth, uint32_t chains,
				 uint32_t nm_n, uint64_t m, uint64_t n,
				 uint64_t k)
{
	struct geom g;
	geometry(depth, chains, nm_n, m, n, k, &g);
	return g.waves;
}

uint64_t pe_flightllm_tile_cycles(uint32_t depth, uint32_t chains,
				  uint32_t nm_n, uint64_t m, uint64_t n,
				  uint64_t k)
{
	struct geom g;
	uint64_t c;
	geometry(depth, chains, nm_n, m, n, k, &g);
	if (!g.waves)
		return 0;
	c = g.waves + g.e_last + 2;
	if (g.waves >= 2 && g.waves + g.e_prev + 1 > c)
		c = g.waves + g.e_prev + 1;
	return c;
}

/* ---- stepping ---- */

static enum ps_status check_weights(const struct pe_flightllm_weights *wt,
				    struct ps_err *err)
{
	uint32_t N = wt->nm_n;
	uint64_t nb = cdiv(wt->k, PE_FL_M), stride = 1 + N / 2;
	if (N != 2 && N != 4 && N != 8 && N != 16)
		return ps_errf(err, PS_EINPUT, "flightllm: nm_n %u: N of N:16 must be 2, 4, 8 or 16", N);
	if (N == 16 ? !wt->codes : (!wt->meta || !wt->vals))
		return ps_errf(err, PS_EINPUT, "flightllm: %s weights without their %s",
			       N == 16 ? "dense" : "N:M", N == 16 ? "codes" : "metadata or kept codes");
	if (N == 16)
		return PS_OK;
	for (uint64_t r = 0; r < wt->n; r++)
		for (uint64_t b = 0; b < nb; b++) {
			const uint8_t *mt = wt->meta + (r * nb + b) * stride;
			uint64_t len = wt->k - b * PE_FL_M < PE_FL_M ? wt->k - b * PE_FL_M : PE_FL_M;
			int prev = -1;
			if (mt[0] > N)
				return ps_errf(err, PS_EINPUT, "flightllm: row %llu block %llu: count %u > N = %u",
					       (unsigned long long)r, (unsigned long long)b, mt[0], N);
			for (int i = 0; i < mt[0]; i++) {
				int ix = (mt[1 + i / 2] >> (4 * (i & 1))) & 15;
				if (ix <= prev || (uint64_t)ix >= len)
					return ps_errf(err, PS_EINPUT,
						       "flightllm: row %llu block %llu: index %d out of order or past K",
						       (unsigned long long)r, (unsigned long long)b, ix);
				prev = ix;
			}
		}
	return PS_OK;
}

/* Kept slots s0 .. s0+len-1 of channel ch in block b: codes and MUX
 * indices (code 0, index 0 for an empty slot: the DSP multiplies by 0). */
static void fill(const struct pe_flightllm_weights *wt, uint64_t ch, uint64_t b,
		 uint32_t s0, uint32_t len, uint8_t *w, uint8_t *idx)
{
	uint32_t N = wt->nm_n;
	if (N == 16) {
		uint64_t k0 = b * PE_FL_M + s0;
		const uint8_t *c = wt->codes + ch * wt->k + k0;
		for (uint32_t i = 0; i < len; i++) {
			bool in = k0 + i < wt->k;
			w[i] = in ? c[i] : 0;
			idx[i] = in ? (uint8_t)(s0 + i) : 0;
		}
		return;
	}
	uint64_t blk = ch * cdiv(wt->k, PE_FL_M) + b;
	const uint8_t *mt = wt->meta + blk * (1 + N / 2), *v = wt->vals + blk * N;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t j = s0 + i;
		bool in = j < mt[0];
		w[i] = in ? v[j] : 0;
		idx[i] = in ? (uint8_t)((mt[1 + j / 2] >> (4 * (j & 1))) & 15) : 0;
	}
}

struct desc {
	uint64_t pair, blk, base;	/* base: first channel of the batch */
	uint32_t len;			/* N > depth: DSPs of this slice */
};

struct runner {
	const struct pe_flightllm_cfg *cfg;
	const struct pe_flightllm_weights *wt;
	const struct pe_fl_sink *sink;
	uint64_t m, cpw, outstanding, last;
	uint32_t C;
	struct pe_flightllm_chain *ch;
	struct desc ring[PE_FL_RING];
};

/* Hand the results shown after edge t to the sink. */
static void collect(struct runner *r, uint64_t t)
{
	uint32_t N = r->wt->nm_n, D = r->cfg->depth;
	for (uint32_t c = 0; c < r->C; c++) {
		const struct pe_flightllm_chain *ch = &r->ch[c];
		for (uint32_t g = 0; g < D / 2; g++) {
			const struct desc *d;
			uint64_t chan, tok;
			if (!((ch->y_vld >> g) & 1))
				continue;
			d = &r->ring[(t - (2 * g + 1) - 3) & (PE_FL_RING - 1)];
			if (N <= D) {
				uint32_t e = 2 * (g + 1);
				if (e % N || e / N > r->cpw)
					continue;	/* trailing group of idle DSPs */
				chan = d->base + c * r->cpw + e / N - 1;
			} else {
				if (2 * (g + 1) != d->len)
					continue;
				chan = d->base + c;
			}
			if (chan >= r->wt->n)
				continue;
			tok = 2 * d->pair;
			r->sink->put(r->sink->ctx, tok, chan, d->blk, ch->y_lo[g]);
			if (tok + 1 < r->m)
				r->sink->put(r->sink->ctx, tok + 1, chan, d->blk, ch->y_hi[g]);
			r->outstanding--;
			r->last = t;
		}
	}
}

enum ps_status pe_flightllm_run_gemm_to(const struct pe_flightllm_cfg *cfg,
					uint32_t chains,
					const struct pe_flightllm_weights *wt,
					const int8_t *act, uint64_t m,
					const struct pe_fl_sink *sink,
					struct pe_flightllm_run *run,
					struct ps_err *err)
{
	struct runner *r;
	struct pe_flightllm_wave *wv;
	struct geom g;
	uint32_t N = wt->nm_n, D = cfg->depth;
	uint64_t t = 0, nb = cdiv(wt->k, PE_FL_M), n = wt->n, k = wt->k;
	enum ps_status st;

	memset(run, 0, sizeof *run);
	if (!chains || !m || !n || !k || !act)
		return ps_errf(err, PS_EINPUT, "flightllm: empty GEMM or array (m %llu, n %llu, k %llu, chains %u)",
			       (unsigned long long)m, (unsigned long long)n,
			       (unsigned long long)k, chains);
	if ((st = check_weights(wt, err)))
		return st;
	r = calloc(1, sizeof *r);
	wv = calloc(chains, sizeof *wv);
	if (r)
		r->ch = malloc(chains * sizeof *r->ch);
	if (!r || !wv || !r->ch) {
		st = ps_errf(err, PS_ENOMEM, "flightllm: %u chains do not fit in memory", chains);
		goto out;
	}
	for (uint32_t c = 0; c < chains; c++)
		if ((st = pe_flightllm_chain_init(&r->ch[c], cfg, err)))
			goto out;
	geometry(D, chains, N, m, n, k, &g);
	r->cfg = cfg;
	r->wt = wt;
	r->sink = sink;
	r->m = m;
	r->C = chains;
	r->cpw = g.cpw;

	for (uint64_t pr = 0; pr < cdiv(m, 2); pr++)
		for (uint64_t b = 0; b < nb; b++) {
			uint16_t blk[PE_FL_M];
			for (uint32_t j = 0; j < PE_FL_M; j++) {
				uint64_t kk = b * PE_FL_M + j, t0 = 2 * pr;
				uint8_t x0 = kk < k ? (uint8_t)act[t0 * k + kk] : 0;
				uint8_t x1 = kk < k && t0 + 1 < m ? (uint8_t)act[(t0 + 1) * k + kk] : 0;
				blk[j] = (uint16_t)(x1 << 8 | x0);
			}
			for (uint64_t bt = 0; bt < g.batches; bt++)
				for (uint64_t sl = 0; sl < g.slices; sl++) {
					struct desc *d = &r->ring[t & (PE_FL_RING - 1)];
					d->pair = pr;
					d->blk = b;
					d->base = bt * chains * g.cpw;
					d->len = 0;
					for (uint32_t c = 0; c < chains; c++) {
						struct pe_flightllm_wave *w = &wv[c];
						uint64_t base = d->base + c * g.cpw;
						/* DSPs past the used groups keep code 0
						 * from calloc */
						memcpy(w->act, blk, sizeof blk);
						w->vld = false;
						if (N <= D) {
							w->rn_brk = 0;
							for (uint64_t j = 0; j < g.cpw; j++) {
								uint8_t *wj = &w->w[j * N], *ij = &w->idx[j * N];
								w->rn_brk |= (uint16_t)(1u << ((j + 1) * N / 2 - 1));
								if (base + j >= n) {
									memset(wj, 0, N);
									continue;
								}
								w->vld = true;
								r->outstanding++;
								fill(wt, base + j, b, 0, N, wj, ij);
							}
						} else {
							uint32_t s0 = (uint32_t)sl * D;
							d->len = N - s0 < D ? N - s0 : D;
							w->rn_brk = (uint16_t)(1u << (d->len / 2 - 1));
							memset(w->w + d->len, 0, D - d->len);
							if (base < n) {
								w->vld = true;
								r->outstanding++;
								fill(wt, base, b, s0, d->len, w->w, w->idx);
							} else {
								memset(w->w, 0, d->len);
							}
						}
						pe_flightllm_chain_clock(&r->ch[c], w);
					}
					collect(r, t++);
				}
		}
	/* drain */
	for (uint32_t c = 0; c < chains; c++)
		memset(&wv[c], 0, sizeof wv[c]);
	while (r->outstanding) {
		if (t > g.waves + D + 8) {
			st = ps_errf(err, PS_ECHECK, "flightllm: %llu results still missing %llu edges after the last wave",
				     (unsigned long long)r->outstanding, (unsigned long long)(t - g.waves));
			goto out;
		}
		for (uint32_t c = 0; c < chains; c++)
			pe_flightllm_chain_clock(&r->ch[c], &wv[c]);
		collect(r, t++);
	}
	run->cycles = r->last + 1;
	run->waves = g.waves;
	for (uint32_t c = 0; c < chains; c++) {
		const struct pe_flightllm_counters *a = &r->ch[c].cnt;
		run->cnt.cycles += a->cycles;
		run->cnt.waves += a->waves;
		run->cnt.dsp_slots += a->dsp_slots;
		run->cnt.nz_slots += a->nz_slots;
		run->cnt.mux_selects += a->mux_selects;
		run->cnt.rn_results += a->rn_results;
		run->cnt.oau_moves += a->oau_moves;
	}
	st = PS_OK;
out:
	if (r)
		free(r->ch);
	free(r);
	free(wv);
	return st;
}

/* The int64 [m, n, G] sink of run_gemm. */
struct sum_sink {
	int64_t *out;
	uint64_t n, groups, blocks_per_group;
};

static void sum_put(void *ctx, uint64_t tok, uint64_t ch, uint64_t blk, int64_t v)
{
	struct sum_sink *s = ctx;
	s->out[(tok * s->n + ch) * s->groups + blk / s->blocks_per_group] += v;
}

enum ps_status pe_flightllm_run_gemm(const struct pe_flightllm_cfg *cfg,
				     uint32_t chains,
				     const struct pe_flightllm_weights *wt,
				     const int8_t *act, uint64_t m,
				     uint64_t group, int64_t *out,
				     struct pe_flightllm_run *run,
				     struct ps_err *err)
{
	uint64_t G = group && group < wt->k ? group : cdiv(wt->k, PE_FL_M) * PE_FL_M;
	struct sum_sink s = { out, wt->n, cdiv(wt->k, G), G / PE_FL_M };
	struct pe_fl_sink sk = { sum_put, &s };
	if (G % PE_FL_M)
		return ps_errf(err, PS_EINPUT,
			       "flightllm: quantization group %llu is not a multiple of the 16-block",
			       (unsigned long long)group);
	return pe_flightllm_run_gemm_to(cfg, chains, wt, act, m, &sk, run, err);
}

/* stim_bitmod.c - what the BitMoD PE's and array's `pesim verify`
 * stimulus generators (stim_bitmod_pe.c, stim_bitmod_array.c) share
 * (stim_bitmod.h): random operands of each kind and a trace GEMM as the
 * PE reads it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "stim_bitmod.h"

enum ps_status bm_stim_cfg(const struct pe_params *p, unsigned *lanes,
			   unsigned *scale_bits, struct ps_err *err)
{
	struct pe_bitmod_cfg c;

	pe_bitmod_cfg_default(p, &c);
	if (pe_bitmod_cfg_check(&c, err))
		return PS_EINPUT;
	*lanes = c.lanes;
	*scale_bits = c.scale_bits;
	return PS_OK;
}

uint16_t bm_rand_f16(uint64_t *s, int regime)
{
	uint64_t r = rtl_stim_rnd(s);
	uint16_t sign = (uint16_t)(r & 0x8000);
	uint16_t man = (uint16_t)((r >> 16) & 0x3ff);
	static const unsigned lo[] = { 9, 0, 20, 0 }, span[] = { 13, 10, 11, 1 };

	if (regime == 7) {
		if (r >> 60 & 1)
			return (uint16_t)(sign & (r >> 61 ? 0xffff : 0));
		regime = 0;
	}
	/* Inf/NaN poison a whole output: rarer than their share of the
	 * codes in the mixed and raw regimes */
	if (regime == 5)
		regime = (r >> 32) % 32 ? (int)((r >> 40) % 5) : 6;
	if (regime == 6)
		return rtl_stim_f16_special[(r >> 48) % RTL_STIM_N_F16_SPECIAL];
	if (regime == 4) {
		uint16_t h = (uint16_t)(r >> 24);
		return (h & 0x7c00) == 0x7c00 && (r >> 8) % 8 ? h ^ 0x4000 : h;
	}
	return (uint16_t)(sign | ((lo[regime] + (r >> 32) % span[regime]) << 10) |
			  man);
}

int bm_rand_regime(uint64_t *s)
{
	/* of 16 dots: 5 body, 2 zero-heavy, 3 tiny, 1 huge, 1 subnormal,
	 * 1 raw, 3 mixed */
	return "0000077111234555"[rtl_stim_rnd(s) % 16] - '0';
}

const uint8_t bm_wtypes[] = {
	0x02, 0x03, 0x04, 0x06, 0x08,		/* INT2, 3, 4, 6, 8 */
	0x10, 0x11, 0x12, 0x13, 0x14,		/* FP3, ER+-, EA+- */
	0x18, 0x19, 0x1a, 0x1b, 0x1c,		/* FP4, ER+-, EA+- */
};
const unsigned bm_n_wtypes = sizeof bm_wtypes;

unsigned bm_rand_wtype(uint64_t *s, unsigned t_max)
{
	uint64_t r = rtl_stim_rnd(s);
	unsigned wt;

	for (int k = 0; k < 16; k++) {
		wt = bm_wtypes[(r >> (4 * k)) % bm_n_wtypes];
		if (pe_bitmod_wtype_terms(wt) <= t_max || r % 23 == 0)
			return wt;
	}
	return 2;	/* INT2: one term */
}

uint8_t bm_rand_code(uint64_t *s, unsigned wt)
{
	uint64_t r = rtl_stim_rnd(s);
	unsigned b = wt & PE_BITMOD_WT_FP ? (wt & PE_BITMOD_WT_FP4 ? 4 : 3) : wt;
	unsigned m = (1u << b) - 1, garbage = (unsigned)(r >> 40) & ~m & 0xff;

	switch (r % 8) {
	case 0:		/* INT: the most negative code; FP: the -0 code */
		return (uint8_t)(garbage | 1u << (b - 1));
	case 1:		/* the largest positive */
		return (uint8_t)(garbage | (m >> 1));
	case 2:		/* the largest negative magnitude / -1 */
		return (uint8_t)(garbage | m);
	default:
		return (uint8_t)(r >> 16);
	}
}

uint8_t bm_rand_scale(uint64_t *s)
{
	uint64_t r = rtl_stim_rnd(s);

	switch (r % 8) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 255;
	case 3:
		return (uint8_t)(1u << (r >> 8) % 8);
	default:
		return (uint8_t)(r >> 16);
	}
}

enum ps_status bm_gemm_init(struct bm_gemm *b, const struct pe_gemm *g,
			    struct ps_err *err)
{
	uint64_t N = g->N, K = g->K;
	bool native = g->scale_q && g->chan_scale;

	memset(b, 0, sizeof *b);
	if (!g->M || !N || !K || !g->a)
		return ps_errf(err, PS_EINPUT, "an empty GEMM");
	if (!g->codes || (!native && !g->scale))
		return ps_errf(err, PS_EINPUT, "bitmod: the trace's weights must be "
			       "BitMoD-quantized (bitmod3, bitmod4) or INT codes "
			       "with a scale per group (int4-g128, int6-g128, ...)");
	b->g = g;
	b->G = g->group ? g->group : K;
	b->ng = (K + b->G - 1) / b->G;
	b->wt = malloc(N * b->ng);
	b->sq = malloc(N * b->ng);
	b->cs = malloc(N * sizeof *b->cs);
	if (!b->wt || !b->sq || !b->cs)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	b->T = 1;
	for (uint64_t i = 0; i < N * b->ng; i++) {
		int f = g->gfmt ? g->gfmt[i] : g->fmt;
		int wt = pe_bitmod_wtype_of_fmt(f);
		if (wt < 0)
			return ps_errf(err, PS_EINPUT, "bitmod: weight format %d of "
				       "group %llu is not a BitMoD type", f,
				       (unsigned long long)i);
		b->wt[i] = (uint8_t)wt;
		if (pe_bitmod_wtype_terms((unsigned)wt) > b->T)
			b->T = pe_bitmod_wtype_terms((unsigned)wt);
	}
	for (uint64_t n = 0; n < N; n++) {
		double mx = 0, c;
		if (native) {
			memcpy(b->sq + n * b->ng, g->scale_q + n * b->ng, b->ng);
			b->cs[n] = fmt_f16_from_f32(g->chan_scale[n]);
			continue;
		}
		for (uint64_t j = 0; j < b->ng; j++)
			mx = fmax(mx, g->scale[n * b->ng + j]);
		b->cs[n] = fmt_f16_from_f64(mx / 255);
		c = fmt_f16_to_f64(b->cs[n]);
		for (uint64_t j = 0; j < b->ng; j++) {
			double s = g->scale[n * b->ng + j], q = 0;
			if (s > 0 && c > 0)
				q = fmin(fmax(floor(s / c + 0.5), 1), 255);
			b->sq[n * b->ng + j] = (uint8_t)q;
		}
	}
	return PS_OK;
}

void bm_gemm_free(struct bm_gemm *b)
{
	free(b->wt);
	free(b->sq);
	free(b->cs);
	memset(b, 0, sizeof *b);
}

unsigned bm_ser_step(struct bm_ser *z, unsigned sb, bool last, uint64_t port)
{
	/* garbage: a bit of the port's garbage byte (the bits a generator
	 * drew for this edge) */
	unsigned bit = (unsigned)(port >> 3) & 1;

	for (int j = 1; j >= 0; j--) {	/* the newer group wins */
		z->d[j]++;
		if (z->any[j] && z->d[j] >= 2 && z->d[j] < 2ull + sb)
			bit = z->scale[j] >> (sb - 1 - (unsigned)(z->d[j] - 2)) & 1;
	}
	if (last) {
		z->scale[1] = z->scale[0];
		z->d[1] = z->d[0];
		z->any[1] = z->any[0];
		z->scale[0] = (uint8_t)port;
		z->d[0] = 0;
		z->any[0] = true;
	}
	return bit;
}

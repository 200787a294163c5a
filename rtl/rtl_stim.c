/* rtl_stim.c - what the families' `pesim verify` stimulus generators
 * share (rtl_verify.h "stimulus helpers"): the random stream, FP16 and
 * INT8 operands, the dot protocol's random dots, a GEMM's dots in order. */
#include <math.h>

#include "fmt.h"
#include "rtl_verify.h"

uint64_t rtl_stim_rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

const uint16_t rtl_stim_f16_special[RTL_STIM_N_F16_SPECIAL] = {
	0x0000, 0x8000, 0x0001, 0x8001, 0x0200, 0x03ff, 0x83ff, 0x0400,
	0x8400, 0x1400, 0x3c00, 0xbc00, 0x3c01, 0x3bff, 0x5bff, 0x5c00,
	0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe00, 0xc500,
};

uint16_t rtl_stim_f16(uint64_t *s, int regime)
{
	uint64_t r = rtl_stim_rnd(s);
	uint16_t sign = (uint16_t)(r & 0x8000);
	uint16_t man = (uint16_t)((r >> 16) & 0x3ff);
	static const unsigned lo[] = { 9, 0, 20, 0 }, span[] = { 13, 10, 11, 1 };

	if (regime == RTL_F16_MIXED)
		regime = (r >> 32) % 8 ? (int)((r >> 40) % 5) : RTL_F16_SPECIAL;
	if (regime == RTL_F16_SPECIAL)
		return rtl_stim_f16_special[(r >> 48) % RTL_STIM_N_F16_SPECIAL];
	if (regime == RTL_F16_RAW)
		return (uint16_t)(r >> 24);
	return (uint16_t)(sign | ((lo[regime] + (r >> 32) % span[regime]) << 10) |
			  man);
}

uint8_t rtl_stim_i8(uint64_t *s)
{
	uint64_t x = rtl_stim_rnd(s);
	if ((x >> 16) % 6 == 0)
		return 0x80;				/* -128 */
	if ((x >> 20) % 8 == 0)
		return (x >> 24) & 1 ? 0x7f : 0x81;	/* 127, -127 */
	return (uint8_t)x;
}

bool rtl_stim_dot_start(struct rtl_stim_dots *d, uint64_t r)
{
	static const unsigned pct[] = { 0, 0, 10, 50 };

	if (r % 20 == 0) {
		d->chaos = 1 + (r >> 8) % 64;
		d->left = 0;
		return false;
	}
	d->left = (r >> 8) % 40 == 0 ? 13 + (r >> 16) % 200 : 1 + (r >> 16) % 12;
	d->bubble_pct = pct[(r >> 32) % 4];
	return true;
}

bool rtl_stim_gemm_next(struct rtl_stim_walk *w, const struct pe_gemm *g,
			uint64_t *ia, uint64_t *iw)
{
	*ia = w->m * g->K + w->k;
	*iw = w->n * g->K + w->k;
	if (++w->k < g->K)
		return false;
	w->k = 0;
	if (++w->m == g->M) {
		w->m = 0;
		w->n = (w->n + 1) % g->N;
	}
	return true;
}

double rtl_stim_f16_amax(const uint16_t *a, uint64_t n)
{
	double mx = 0;

	for (uint64_t i = 0; i < n; i++) {
		double v = fabs(fmt_f16_to_f64(a[i]));
		if (v > mx && isfinite(v))
			mx = v;
	}
	return mx;
}

/* pe_olive_bt.c - bit-true OliVe PE (ISCA 2023; bitmod.md "OliVe";
 * formats/fmt_ovp.c): one 8-bit outlier-victim pair code per beat is
 * decoded into two weights, which multiply two FP16 activations in the
 * same beat (two lanes, K-neighbours: the pair's even and odd elements):
 *   acc = RNE(acc + a0 * v0 + a1 * v1)      one rounding per pair,
 * a two-lane FP16 x INT fused dot-add, BitMoD's FP16xINT8 FMA stand-in
 * widened to the pair. Per-row scales are applied outside the PE.
 *
 * Pair decoder (what the RTL builds; fmt_ovp_decode is the reference the
 * tests hold it to): c0 = w[3:0] (even), c1 = w[7:4] (odd). Neither is the
 * identifier (the normal part's unused code 1000): two normal values.
 * Exactly one is: the other code is an abfloat outlier, the identifier's
 * lane (the victim) is 0. Normal values (flint4 doubled +-{0..32} or int4
 * +-7) are INT8; an outlier (abfloat, up to +-384 for bias 5) is decoded to
 * an INT8 mantissa and a left shift of 0..2, v = m << e, the shift adding
 * to the product's exponent. Reserved pairs (both identifiers, or an
 * abfloat code whose (e,m) = (0,0) slot is unused) decode to (0, 0) and
 * count in act.reserved. Tables come from fmt_decode of the two parts at
 * init (decoder ROMs), selected by w_fmt: 0 = olive4 (flint normals,
 * abfloat bias 5), 1 = olive4i (int4 normals, abfloat bias 3).
 *
 * Pipeline: stage 1 decodes and registers (a0, a1, m0, e0, m1, e1); stage
 * 2 is the fused dot-add, out_acc registered on the last beat. */
#include "pe_baseline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#define BL_NAME olive
#define BL_LANES 2
#define BL_MODE_PORTS(X) X(W_FMT, "w_fmt")
#define BL_A_BITS 32		/* [15:0] even lane, [31:16] odd */
#define BL_W_BITS 8		/* pair code: [3:0] even, [7:4] odd */
#define BL_ACC_BITS 16
#define BL_ACC_T uint16_t
#define BL_ROM

/* One decoder ROM entry: v = m << e; ok = 0 for a reserved code. */
struct olive_rom {
	int8_t m;
	uint8_t e, ok;
};

/* per w_fmt: normal and outlier parts, the identifier code */
struct bl_rom {
	struct olive_rom nrm[2][16], otl[2][16];
	uint8_t id[2];
};

struct bl_s1 {
	uint16_t a[2];
	int8_t m[2];
	uint8_t e[2];
};

static const int olive_fmt_ids[2] = {
	[PE_OLIVE_FLINT] = FMT_OLIVE4, [PE_OLIVE_INT] = FMT_OLIVE4I,
};

/* A ROM entry from one code of a part: the smallest shift that leaves an
 * integer mantissa within INT8. */
static bool olive_rom_entry(int part, uint32_t code, struct olive_rom *r)
{
	double v = fmt_decode(part, code);
	r->m = 0;
	r->e = 0;
	r->ok = 0;
	if (isnan(v))
		return true;		/* reserved: decodes to 0 */
	while (fabs(v) > 127 && r->e < 2 && v == 2 * floor(v / 2)) {
		v /= 2;
		r->e++;
	}
	if (fabs(v) > 127 || v != floor(v))
		return false;
	r->m = (int8_t)v;
	r->ok = 1;
	return true;
}

static enum ps_status bl_rom_init(struct bl_rom *rom, struct ps_err *err)
{
	for (int f = 0; f < 2; f++) {
		const struct fmt_desc *d = fmt_get(olive_fmt_ids[f]);
		rom->id[f] = (uint8_t)d->ovp_id;
		for (uint32_t c = 0; c < 16; c++)
			if (!olive_rom_entry(d->ovp_normal, c, &rom->nrm[f][c]) ||
			    !olive_rom_entry(d->ovp_outlier, c, &rom->otl[f][c]))
				return ps_errf(err, PS_EINPUT,
					       "olive_mac: %s code %u is no "
					       "INT8 << 0..2", d->name,
					       (unsigned)c);
	}
	return PS_OK;
}

/* The pair decoder: two normal values, or the outlier on the lane that
 * is not the identifier and 0 on the victim's; reserved pairs give 0, 0. */
static inline void bl_stage1(struct bl_s1 *s1, struct pe_bl_actions *act,
			     const struct bl_rom *rom, uint64_t a, uint64_t w,
			     unsigned f)
{
	unsigned c[2] = { (unsigned)w & 15, (unsigned)w >> 4 & 15 };
	bool id0 = c[0] == rom->id[f], id1 = c[1] == rom->id[f];
	struct olive_rom r[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	bool ok;

	if (!id0 && !id1) {
		r[0] = rom->nrm[f][c[0]];
		r[1] = rom->nrm[f][c[1]];
		ok = r[0].ok && r[1].ok;
	} else if (id0 != id1) {
		unsigned lane = id0 ? 1 : 0;	/* the outlier's lane */
		r[lane] = rom->otl[f][c[lane]];
		ok = r[lane].ok;
		act->outliers += ok;
	} else {
		ok = false;
	}
	if (!ok) {
		memset(r, 0, sizeof r);
		act->reserved++;
	}
	for (int i = 0; i < 2; i++) {
		s1->a[i] = (uint16_t)(a >> 16 * i);
		s1->m[i] = r[i].m;
		s1->e[i] = r[i].e;
	}
	act->macs += 2;
	act->decodes++;
}

static inline uint16_t bl_add(uint16_t acc, const struct bl_s1 *s1)
{
	return pe_bl_f16_fma_int(acc, 2, s1->a, s1->m, s1->e);
}

struct bl_dot {
	const uint16_t *a;
	const uint8_t *pairs;
	size_t k;
	int fmt;
};

/* Beat b: pair b; an odd k pads the last pair's odd activation with +0. */
static inline void bl_beat(const struct bl_dot *d, size_t b, uint64_t *a,
			   uint64_t *w, unsigned *mode)
{
	size_t i = 2 * b;
	*a = d->a[i] | (i + 1 < d->k ? (uint64_t)d->a[i + 1] << 16 : 0);
	*w = d->pairs[b];
	*mode = d->fmt == PE_OLIVE_INT;
}

#include "pe_bl_mac.inc"

uint64_t pe_olive_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, (k + 1) / 2);
}

uint16_t pe_olive_mac_run_dot(const uint16_t *a, const uint8_t *pairs,
			      size_t k, int fmt, uint64_t *cycles,
			      struct pe_bl_actions *act)
{
	struct bl_dot d = { a, pairs, k, fmt };
	return (uint16_t)bl_run(&d, (k + 1) / 2, cycles, act);
}

/* ---- bit-true GEMM (pe_baseline_gemm.c): the quantizer's OliVe codes,
 * paired per row; the scale outside ---- */

static enum ps_status gemm_prepare(struct pe_bl_gemm *c, struct ps_err *err)
{
	const struct pe_gemm *g = c->g;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	uint64_t N = g->N, K = g->K, np = (K + 1) / 2;

	if (!d || d->kind != FMT_K_OVP || !g->scale)
		return ps_errf(err, PS_EINPUT, "olive PE: needs OliVe pair codes (quant olive4 / olive4i)");
	c->fmt = g->fmt == FMT_OLIVE4I ? PE_OLIVE_INT : PE_OLIVE_FLINT;
	c->pairs = calloc(N * np, 1);
	if (!c->pairs)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t n = 0; n < N; n++)
		for (uint64_t p = 0; p < np; p++) {
			uint8_t lo = g->codes[n * K + 2 * p];
			uint8_t hi = 2 * p + 1 < K ? g->codes[n * K + 2 * p + 1] : 0;
			c->pairs[n * np + p] = (uint8_t)(hi << 4 | lo);
		}
	return PS_OK;
}

static double gemm_dot(const struct pe_bl_gemm *c, uint64_t m, uint64_t n,
		       uint64_t *cyc)
{
	const struct pe_gemm *g = c->g;
	uint64_t k = g->K;
	return fmt_f16_to_f64(pe_olive_mac_run_dot(g->a + m * k, c->pairs + n * ((k + 1) / 2),
						   k, c->fmt, cyc, NULL)) * g->scale[n];
}

static uint64_t gemm_closed(const struct pe_bl_gemm *c, uint64_t dots)
{
	return pe_olive_mac_cycles(dots, 1, c->g->K);
}

PE_BL_GEMM_DEFINE(pe_olive_gemm_bt, gemm_prepare, gemm_dot, gemm_closed)

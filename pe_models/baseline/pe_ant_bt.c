/* pe_ant_bt.c - bit-true ANT PE as BitMoD evaluates it (bitmod.md, "ANT"
 * and "Synthesis figures"): a 4-bit weight code, int4 or flint4 by the
 * w_fmt port, is decoded to an INT8 value on the format's integer grid
 * (flint4 x4: +-{0,1,2,3,4,6,8,16}; int4: +-{0..7}) and fed with an FP16
 * activation to an FP16 x INT8 fused multiply-add:
 *   acc = RNE(acc + a * q)      one rounding per element.
 * The per-channel scale is applied outside the PE. ANT's own PE (an INT
 * fusible MAC with INT activations, MICRO 2022) is the BitFusion model
 * (pe_bitfusion_bt.c) fed with decoded codes; this one mirrors pe_mac.c's
 * ANT timing, which reproduces BitMoD's comparison.
 *
 * Decode: from fmt_decode of each code (formats/fmt.def), built into a
 * 16-entry table per format at init, as the RTL's decoder ROM would be.
 * Int4's reserved code 1000 (never produced by the encoder) decodes to its
 * two's complement value -8 and is counted in act.reserved; flint4's 1000
 * is the -0 alias and decodes to 0.
 *
 * Pipeline: stage 1 decodes and registers (a, q); stage 2 is the FMA into
 * the accumulator, out_acc registered on the last beat. */
#include "pe_baseline.h"

#include <math.h>

#include "fmt.h"

#define BL_NAME ant
#define BL_LANES 1
#define BL_MODE_PORTS(X) X(W_FMT, "w_fmt")
#define BL_A_BITS 16
#define BL_W_BITS 4
#define BL_ACC_BITS 16
#define BL_ACC_T uint16_t
#define BL_ROM

/* decoder ROM per w_fmt: the INT8 value of a code, reserved codes */
struct bl_rom {
	int8_t dec[2][16];
	bool rsv[2][16];
};

struct bl_s1 {
	uint16_t a;
	int8_t q;
};

static const int ant_fmt_ids[2] = {
	[PE_ANT_INT4] = FMT_INT4, [PE_ANT_FLINT4] = FMT_FLINT4,
};

static enum ps_status bl_rom_init(struct bl_rom *rom, struct ps_err *err)
{
	for (int f = 0; f < 2; f++) {
		const struct fmt_desc *d = fmt_get(ant_fmt_ids[f]);
		for (uint32_t c = 0; c < 16; c++) {
			double v = fmt_decode(d->id, c);
			rom->rsv[f][c] = fmt_code_class(d->id, c) == FMT_CODE_RESERVED;
			if (isnan(v) && d->layout == FMT_L_TWOS)
				v = (double)c - 16;	/* reserved -8 */
			if (!(fabs(v) <= 127) || v != floor(v))
				return ps_errf(err, PS_EINPUT,
					       "ant_mac: %s code %u is no INT8",
					       d->name, (unsigned)c);
			rom->dec[f][c] = (int8_t)v;
		}
	}
	return PS_OK;
}

static inline void bl_stage1(struct bl_s1 *s1, struct pe_bl_actions *act,
			     const struct bl_rom *rom, uint64_t a, uint64_t w,
			     unsigned mode)
{
	unsigned c = (unsigned)w & 15;
	s1->a = (uint16_t)a;
	s1->q = rom->dec[mode][c];
	act->reserved += rom->rsv[mode][c];
	act->macs++;
	act->decodes++;
}

static inline uint16_t bl_add(uint16_t acc, const struct bl_s1 *s1)
{
	static const uint8_t e0 = 0;
	return pe_bl_f16_fma_int(acc, 1, &s1->a, &s1->q, &e0);
}

struct bl_dot {
	const uint16_t *a;
	const uint8_t *w;
	int fmt;
};

static inline void bl_beat(const struct bl_dot *d, size_t b, uint64_t *a,
			   uint64_t *w, unsigned *mode)
{
	*a = d->a[b];
	*w = d->w[b] & 15;
	*mode = d->fmt == PE_ANT_FLINT4;
}

#include "pe_bl_mac.inc"

uint64_t pe_ant_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, k);
}

uint16_t pe_ant_mac_run_dot(const uint16_t *a, const uint8_t *w, size_t k,
			    int fmt, uint64_t *cycles,
			    struct pe_bl_actions *act)
{
	struct bl_dot d = { a, w, fmt };
	return (uint16_t)bl_run(&d, k, cycles, act);
}

/* ---- bit-true GEMM (pe_baseline_gemm.c): per-channel int4 / flint4
 * codes, decoded by the PE; the scale outside ---- */

static enum ps_status gemm_prepare(struct pe_bl_gemm *c, struct ps_err *err)
{
	const struct pe_gemm *g = c->g;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	if (!d || g->n_groups != 1 || !g->scale || (g->fmt != FMT_INT4 && g->fmt != FMT_FLINT4))
		return ps_errf(err, PS_EINPUT, "ant PE: decodes per-channel int4 and flint4 codes (quant flint4), not %s",
			       d ? d->name : "per-group data");
	c->fmt = g->fmt == FMT_INT4 ? PE_ANT_INT4 : PE_ANT_FLINT4;
	return PS_OK;
}

static double gemm_dot(const struct pe_bl_gemm *c, uint64_t m, uint64_t n,
		       uint64_t *cyc)
{
	const struct pe_gemm *g = c->g;
	return fmt_f16_to_f64(pe_ant_mac_run_dot(g->a + m * g->K, g->codes + n * g->K,
						 g->K, c->fmt, cyc, NULL)) * g->scale[n];
}

static uint64_t gemm_closed(const struct pe_bl_gemm *c, uint64_t dots)
{
	return pe_ant_mac_cycles(dots, 1, c->g->K);
}

PE_BL_GEMM_DEFINE(pe_ant_gemm_bt, gemm_prepare, gemm_dot, gemm_closed)

/* pe_fp16_mac_bt.c - bit-true FP16 MAC (the FP16 baseline of BitMoD and
 * MixPE): acc = fp16_add(acc, fp16_mul(a, w)), IEEE binary16, each
 * operation rounded once to nearest even with subnormals (pe_fp16.h). It is
 * a non-fused MAC: the product is rounded to FP16 before the add, so a dot
 * product sees two roundings per element. bitmod.md gives only the area and
 * power of its "FP16 MAC", not whether it fuses; pesim's issue specifies
 * this non-fused form, and the tests show a vector where a fused MAC
 * differs.
 *
 * Pipeline (README.md, pe_bl_mac.inc): stage 1 multiplies and registers
 * the rounded product; stage 2 adds it into the accumulator. */
#include <stdlib.h>

#include "pe_baseline.h"

#include "fmt.h"
#include "pe_fp16.h"

#define BL_NAME fp16
#define BL_LANES 1
#define BL_MODE_PORTS(X)
#define BL_A_BITS 16
#define BL_W_BITS 16
#define BL_ACC_BITS 16
#define BL_ACC_T uint16_t

struct bl_rom;
struct bl_s1 {
	uint16_t prod;
};

static inline void bl_stage1(struct bl_s1 *s1, struct pe_bl_actions *act,
			     const struct bl_rom *rom, uint64_t a, uint64_t w,
			     unsigned mode)
{
	(void)rom;
	(void)mode;
	s1->prod = pe_f16_mul((uint16_t)a, (uint16_t)w);
	act->macs++;
}

static inline uint16_t bl_add(uint16_t acc, const struct bl_s1 *s1)
{
	return pe_f16_add(acc, s1->prod);
}

struct bl_dot {
	const uint16_t *a, *w;
};

static inline void bl_beat(const struct bl_dot *d, size_t b, uint64_t *a,
			   uint64_t *w, unsigned *mode)
{
	(void)mode;
	*a = d->a[b];
	*w = d->w[b];
}

#include "pe_bl_mac.inc"

uint64_t pe_fp16_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, k);
}

uint16_t pe_fp16_mac_run_dot(const uint16_t *a, const uint16_t *w, size_t k,
			     uint64_t *cycles, struct pe_bl_actions *act)
{
	struct bl_dot d = { a, w };
	return (uint16_t)bl_run(&d, k, cycles, act);
}

/* ---- bit-true GEMM (pe_baseline_gemm.c): weights stay FP16 ---- */

/* FP16 weights as given, or per-group INT codes dequantized to FP16 (round
 * to nearest even) at the array's edge: (code - zero) x scale. */
static enum ps_status gemm_prepare(struct pe_bl_gemm *c, struct ps_err *err)
{
	const struct pe_gemm *g = c->g;
	if (g->w_f16)
		return PS_OK;
	if (!g->codes || g->fmt < 0 || !g->scale || !g->group)
		return ps_errf(err, PS_EINPUT, "fp16 PE: bit-true weights must be FP16 (quant none) or per-group INT (int4-g128)");
	c->wf16 = malloc(g->N * g->K * sizeof *c->wf16);
	if (!c->wf16)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t n = 0; n < g->N; n++)
		for (uint64_t k = 0; k < g->K; k++) {
			uint64_t gi = n * g->n_groups + k / g->group;
			double v = fmt_decode(g->fmt, g->codes[n * g->K + k]);
			if (g->zero)
				v -= g->zero[gi];
			c->wf16[n * g->K + k] = fmt_f16_from_f64(v * g->scale[gi]);
		}
	return PS_OK;
}

static double gemm_dot(const struct pe_bl_gemm *c, uint64_t m, uint64_t n,
		       uint64_t *cyc)
{
	const struct pe_gemm *g = c->g;
	const uint16_t *w = g->w_f16 ? g->w_f16 : c->wf16;
	return fmt_f16_to_f64(pe_fp16_mac_run_dot(g->a + m * g->K, w + n * g->K,
						  g->K, cyc, NULL));
}

static uint64_t gemm_closed(const struct pe_bl_gemm *c, uint64_t dots)
{
	return pe_fp16_mac_cycles(dots, 1, c->g->K);
}

PE_BL_GEMM_DEFINE(pe_fp16_gemm_bt, gemm_prepare, gemm_dot, gemm_closed)

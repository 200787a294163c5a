/* pe_int8_mac_bt.c - bit-true INT8 MAC (the INT8 baseline of MixPE):
 * signed 8 x 8 -> 16-bit product, 32-bit two's complement accumulator that
 * wraps (no saturation). A 32-bit accumulator holds any dot product of up
 * to 2^17 INT8 products exactly (|a w| <= 2^14, the bound reached only by
 * -128 x -128); a longer one wraps modulo 2^32, as an RTL adder does.
 *
 * Pipeline (README.md, pe_bl_mac.inc): stage 1 multiplies, stage 2
 * accumulates. */
#include "pe_baseline.h"

#define BL_NAME int8
#define BL_LANES 1
#define BL_MODE_PORTS(X)
#define BL_A_BITS 8
#define BL_W_BITS 8
#define BL_ACC_BITS 32
#define BL_ACC_T uint32_t

struct bl_rom;
struct bl_s1 {
	uint32_t prod;		/* 16-bit product, sign-extended */
};

static int32_t sext8(uint64_t x)
{
	return (int32_t)(x & 0xff) - (int32_t)((x & 0x80) << 1);
}

static inline void bl_stage1(struct bl_s1 *s1, struct pe_bl_actions *act,
			     const struct bl_rom *rom, uint64_t a, uint64_t w,
			     unsigned mode)
{
	(void)rom;
	(void)mode;
	s1->prod = (uint32_t)(sext8(a) * sext8(w));
	act->macs++;
}

static inline uint32_t bl_add(uint32_t acc, const struct bl_s1 *s1)
{
	return acc + s1->prod;	/* mod 2^32 */
}

struct bl_dot {
	const int8_t *a, *w;
};

static inline void bl_beat(const struct bl_dot *d, size_t b, uint64_t *a,
			   uint64_t *w, unsigned *mode)
{
	(void)mode;
	*a = (uint8_t)d->a[b];
	*w = (uint8_t)d->w[b];
}

#include "pe_bl_mac.inc"

uint64_t pe_int8_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, k);
}

int32_t pe_int8_mac_run_dot(const int8_t *a, const int8_t *w, size_t k,
			    uint64_t *cycles, struct pe_bl_actions *act)
{
	struct bl_dot d = { a, w };
	return pe_bl_i32((uint32_t)bl_run(&d, k, cycles, act));
}

/* ---- bit-true GEMM (pe_baseline_gemm.c): INT8 activations per tensor,
 * per-channel INT weights ---- */

static enum ps_status gemm_prepare(struct pe_bl_gemm *c, struct ps_err *err)
{
	return pe_bl_gemm_w8(c, "int8", err);
}

static double gemm_dot(const struct pe_bl_gemm *c, uint64_t m, uint64_t n,
		       uint64_t *cyc)
{
	uint64_t k = c->g->K;
	return (double)pe_int8_mac_run_dot(c->a8 + m * k, c->w8 + n * k, k, cyc, NULL) *
	       c->a_scale * c->g->scale[n];
}

static uint64_t gemm_closed(const struct pe_bl_gemm *c, uint64_t dots)
{
	return pe_int8_mac_cycles(dots, 1, c->g->K);
}

PE_BL_GEMM_DEFINE(pe_int8_gemm_bt, gemm_prepare, gemm_dot, gemm_closed)

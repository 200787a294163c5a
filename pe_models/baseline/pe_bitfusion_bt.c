/* pe_bitfusion_bt.c - bit-true BitFusion-style fusible 8/4-bit MAC
 * (Sharma et al., ISCA 2018; the "8/4" PE of MixPE's and ANT's
 * evaluations, mixpe.md; timing in pe_bitfusion.c).
 *
 * The multiplier is BitFusion's Fusion Unit: 16 BitBricks, each a 2-bit x
 * 2-bit multiplier whose operands carry a sign flag (a 3-bit signed x 3-bit
 * signed product). A signed b-bit operand is split into b/2 two-bit digits,
 * the top one signed, the others unsigned:
 *   x = x_top * 4^(b/2-1) + ... + x_1 * 4 + x_0,
 * and a product is the sum of its digit products shifted by 2(i+j). Per
 * operand the width is 8 or 4 (mode port = 1: 4-bit); products per beat
 *   P = (8 / a_bits) * (8 / w_bits) = pf_a * pf_w   (mixpe.md, pmin = 4)
 * each using 16 / P BitBricks, so all 16 work in every mode. BitFusion's
 * 2-bit mode (16 products) is not built: the 8/4 PE the papers evaluate
 * runs 2-bit operands as 4-bit (pmin = 4), and so does pe_bitfusion.c.
 * The P products of a beat are K-neighbours: an adder tree sums them into
 * one accumulator (pe_bitfusion.c's "extra products are extra lanes").
 *
 * Buses: lane j's activation is a[a_bits*j +: a_bits], its weight
 * w[w_bits*j +: w_bits]; bus bits beyond P lanes are ignored. Signed
 * operands only. Accumulator: 32-bit, wrapping (as int8_mac). Modes are
 * sampled with each beat and may change between beats.
 *
 * Pipeline as the other baselines: stage 1 = BitBricks, shift-add and the
 * lane adder tree, registered; stage 2 = accumulate. */
#include "pe_baseline.h"

#include <math.h>

#define BL_NAME bitfusion
#define BL_LANES 1
#define BL_MODE_PORTS(X) X(A_MODE, "a_mode") X(W_MODE, "w_mode")
#define BL_A_BITS 16
#define BL_W_BITS 16
#define BL_ACC_BITS 32
#define BL_ACC_T uint32_t

struct bl_rom;
struct bl_s1 {
	uint32_t sum;		/* the beat's product sum */
};

/* One BitBrick: 2-bit digits, each signed (-2..1) or unsigned (0..3). */
static int32_t bf_brick(unsigned x, bool sx, unsigned y, bool sy)
{
	int32_t xv = (int32_t)x - (sx && (x & 2) ? 4 : 0);
	int32_t yv = (int32_t)y - (sy && (y & 2) ? 4 : 0);
	return xv * yv;
}

/* A fused product of a signed ab-bit x and a signed wb-bit y (raw bits). */
static int32_t bf_fused_mul(unsigned x, unsigned ab, unsigned y, unsigned wb)
{
	int32_t p = 0;
	for (unsigned i = 0; i < ab / 2; i++)
		for (unsigned j = 0; j < wb / 2; j++)
			p += bf_brick((x >> (2 * i)) & 3, i == ab / 2 - 1,
				      (y >> (2 * j)) & 3, j == wb / 2 - 1) *
			     (int32_t)(1u << (2 * (i + j)));
	return p;
}

/* mode bit 0: a_mode, bit 1: w_mode (1 = 4-bit operand) */
static inline void bl_stage1(struct bl_s1 *s1, struct pe_bl_actions *act,
			     const struct bl_rom *rom, uint64_t a, uint64_t w,
			     unsigned mode)
{
	unsigned ab = mode & 1 ? 4 : 8, wb = mode & 2 ? 4 : 8;
	unsigned lanes = (8 / ab) * (8 / wb);
	unsigned amask = (1u << ab) - 1, wmask = (1u << wb) - 1;
	int32_t sum = 0;

	(void)rom;
	for (unsigned j = 0; j < lanes; j++)
		sum += bf_fused_mul((unsigned)(a >> (ab * j)) & amask, ab,
				    (unsigned)(w >> (wb * j)) & wmask, wb);
	s1->sum = (uint32_t)sum;
	act->macs += lanes;
	act->mode_beats[mode]++;
}

static inline uint32_t bl_add(uint32_t acc, const struct bl_s1 *s1)
{
	return acc + s1->sum;	/* mod 2^32 */
}

struct bl_dot {
	const int8_t *a, *w;
	size_t k;
	unsigned ab, wb;	/* 4 or 8 */
};

/* Beat b: elements b*lanes.. of the dot, lanes past k padded with 0. */
static inline void bl_beat(const struct bl_dot *d, size_t b, uint64_t *a,
			   uint64_t *w, unsigned *mode)
{
	unsigned lanes = (8 / d->ab) * (8 / d->wb);
	size_t i = b * lanes;

	*a = *w = 0;
	for (unsigned j = 0; j < lanes && i + j < d->k; j++) {
		*a |= (uint64_t)((uint8_t)d->a[i + j] & ((1u << d->ab) - 1)) << (d->ab * j);
		*w |= (uint64_t)((uint8_t)d->w[i + j] & ((1u << d->wb) - 1)) << (d->wb * j);
	}
	*mode = (d->ab == 4) | (d->wb == 4) << 1;
}

#include "pe_bl_mac.inc"

/* Products per beat along one operand: 2 for <= 4 bits, else 1. */
static unsigned bf_pf(unsigned bits)
{
	return bits <= 4 ? 2 : 1;
}

uint64_t pe_bitfusion_mac_cycles(uint64_t m, uint64_t n, uint64_t k,
				 unsigned a_bits, unsigned w_bits)
{
	uint64_t lanes = bf_pf(a_bits) * bf_pf(w_bits);
	return pe_bl_stream_cycles(m * n, (k + lanes - 1) / lanes);
}

int32_t pe_bitfusion_mac_run_dot(const int8_t *a, const int8_t *w, size_t k,
				 unsigned a_bits, unsigned w_bits,
				 uint64_t *cycles, struct pe_bl_actions *act)
{
	struct bl_dot d = { a, w, k, a_bits <= 4 ? 4 : 8, w_bits <= 4 ? 4 : 8 };
	size_t lanes = (8 / d.ab) * (8 / d.wb);
	return pe_bl_i32((uint32_t)bl_run(&d, (k + lanes - 1) / lanes, cycles, act));
}

/* ---- bit-true GEMM (pe_baseline_gemm.c): INT8 activations per tensor,
 * per-channel INT weights, the weights' mode from the arch's bits ---- */

static unsigned gemm_wbits(const struct pe_bl_gemm *c)
{
	return pe_code_bits(c->p) <= 4 ? 4 : 8;
}

static enum ps_status gemm_prepare(struct pe_bl_gemm *c, struct ps_err *err)
{
	return pe_bl_gemm_w8(c, "bitfusion", err);
}

static double gemm_dot(const struct pe_bl_gemm *c, uint64_t m, uint64_t n,
		       uint64_t *cyc)
{
	uint64_t k = c->g->K;
	return (double)pe_bitfusion_mac_run_dot(c->a8 + m * k, c->w8 + n * k, k, 8,
						gemm_wbits(c), cyc, NULL) *
	       c->a_scale * c->g->scale[n];
}

static uint64_t gemm_closed(const struct pe_bl_gemm *c, uint64_t dots)
{
	return pe_bitfusion_mac_cycles(dots, 1, c->g->K, 8, gemm_wbits(c));
}

PE_BL_GEMM_DEFINE(pe_bitfusion_gemm_bt, gemm_prepare, gemm_dot, gemm_closed)

/* pe_fp16_dp4_bt.c - bit-true FP16 DP4 MAC: the FP16 MAC of BitMoD and
 * MixPE four lanes wide, the FP16 DP4 unit the LUT Tensor Core's density
 * is compared with (lut_tensor_core.md "Figures": 3.39 TFLOPs/mm2):
 *   acc = fp16_add(acc, (p0 + p1) + (p2 + p3)),  p_i = fp16_mul(a_i, w_i)
 * every product and sum rounded once to nearest even with subnormals
 * (pe_fp16.h), as the FP16 MAC (pe_fp16_mac_bt.c) rounds its product and
 * its sum.
 *
 * Pipeline (README.md, pe_bl_mac.inc): stage 1 multiplies the four lanes
 * and adds them in a tree, registered; stage 2 adds that into the
 * accumulator. Ports: in_valid, in_last, a (4 x FP16, lane i at
 * [16i+15:16i]), w (the same); out_valid, out_acc (FP16). RTL:
 * rtl/baseline/pe_fp16_dp4_mac.v (`pesim verify --pe fp16_dp4`). */
#include "pe_baseline.h"

#include "pe_fp16.h"

#define BL_NAME fp16_dp4
#define BL_LANES 4
#define BL_MODE_PORTS(X)
#define BL_A_BITS 64
#define BL_W_BITS 64
#define BL_ACC_BITS 16
#define BL_PACKED_T uint16_t
#define BL_ACC_T uint16_t

struct bl_rom;
struct bl_s1 {
	uint16_t sum;		/* the lanes' rounded products, added in a tree */
};

static inline void bl_stage1(struct bl_s1 *s1, struct pe_bl_actions *act,
			     const struct bl_rom *rom, uint64_t a, uint64_t w,
			     unsigned mode)
{
	uint16_t p[4];
	(void)rom;
	(void)mode;
	for (int i = 0; i < 4; i++)
		p[i] = pe_f16_mul((uint16_t)(a >> 16 * i), (uint16_t)(w >> 16 * i));
	s1->sum = pe_f16_add(pe_f16_add(p[0], p[1]), pe_f16_add(p[2], p[3]));
	act->macs += 4;
}

static inline uint16_t bl_add(uint16_t acc, const struct bl_s1 *s1)
{
	return pe_f16_add(acc, s1->sum);
}

#include "pe_bl_mac.inc"

uint16_t pe_fp16_dp4_run_dot(const uint16_t *a, const uint16_t *w, size_t beats,
			     uint64_t *cycles, struct pe_bl_actions *act)
{
	struct bl_dot d = { a, w };
	return (uint16_t)bl_run(&d, beats, cycles, act);
}

/* pe_int8_dp4_bt.c - bit-true INT8 DP4 MAC: the INT8 MAC of MixPE four
 * lanes wide, the INT8 DP4 unit a LUT Tensor Core with INT8 tables is
 * compared with (README "pesim area", compute density):
 *   acc = acc + (a0 w0 + a1 w1) + (a2 w2 + a3 w3)
 * signed 8 x 8 products summed exactly (18 bits), a 32-bit two's
 * complement accumulator that wraps (no saturation), as pe_int8_mac_bt.c.
 *
 * Pipeline (README.md, pe_bl_mac.inc): stage 1 multiplies the four lanes
 * and adds them in a tree, registered; stage 2 accumulates. Ports:
 * in_valid, in_last, a (4 x INT8, lane i at [8i+7:8i]), w (the same);
 * out_valid, out_acc (INT32). RTL: rtl/baseline/pe_int8_dp4_mac.v (`pesim
 * verify --pe int8_dp4`). */
#include "pe_baseline.h"

#define BL_NAME int8_dp4
#define BL_LANES 4
#define BL_MODE_PORTS(X)
#define BL_A_BITS 32
#define BL_W_BITS 32
#define BL_ACC_BITS 32
#define BL_PACKED_T int8_t
#define BL_ACC_T uint32_t

struct bl_rom;
struct bl_s1 {
	uint32_t sum;		/* the lanes' products, sign-extended */
};

static int32_t lane8(uint64_t x, int i)
{
	uint64_t b = x >> 8 * i & 0xff;
	return (int32_t)b - (int32_t)((b & 0x80) << 1);
}

static inline void bl_stage1(struct bl_s1 *s1, struct pe_bl_actions *act,
			     const struct bl_rom *rom, uint64_t a, uint64_t w,
			     unsigned mode)
{
	int32_t s = 0;
	(void)rom;
	(void)mode;
	for (int i = 0; i < 4; i++)
		s += lane8(a, i) * lane8(w, i);
	s1->sum = (uint32_t)s;
	act->macs += 4;
}

static inline uint32_t bl_add(uint32_t acc, const struct bl_s1 *s1)
{
	return acc + s1->sum;	/* mod 2^32 */
}

#include "pe_bl_mac.inc"

int32_t pe_int8_dp4_run_dot(const int8_t *a, const int8_t *w, size_t beats,
			    uint64_t *cycles, struct pe_bl_actions *act)
{
	struct bl_dot d = { a, w };
	return pe_bl_i32((uint32_t)bl_run(&d, beats, cycles, act));
}

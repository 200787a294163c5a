/* pe_lut_tc.h - LUT Tensor Core (ISCA 2025): the M2N64K4 tile, its table
 * precompute unit, the stepped GEMM helper and the closed-form timing.
 * Ports, pipeline, numerics and timing: pe_models/lut_tc/README.md; facts:
 * shared/reference/lut_tensor_core.md.
 *
 * Weights are W-bit codes whose bits each mean -1 (0) or +1 (1): the
 * reinterpretation q' = 2q - (2^W - 1), s' = s/2, z' = 2z + 1 - 2^W
 * (fmt lut_pm1_w<W>, cc_lut_reinterpret). A K=4 chunk of one weight column
 * in bit plane b is a nibble, bit k for activation 4c+k. Bit 3 selects the
 * sign; the offline fold (pe_lut_tc_fold) inverts bits 2..0 when bit 3 is 0,
 * so the tile only flips the sign of entry T[bits 2..0]. */
#ifndef PE_LUT_TC_H
#define PE_LUT_TC_H

#include <stdbool.h>
#include <stdint.h>

#include "pe_bt.h"
#include "ps_status.h"

#define PE_LUT_TC_M 2			/* tables (activation rows) */
#define PE_LUT_TC_N 64			/* weight columns */
#define PE_LUT_TC_K 4			/* activations per table */
#define PE_LUT_TC_ENTRIES 8		/* 2^(K-1) stored entries */
#define PE_LUT_TC_ACCS (PE_LUT_TC_M * PE_LUT_TC_N)
#define PE_LUT_TC_RD_WORDS (PE_LUT_TC_ACCS / 4)	/* 4 FP16 per read word */
#define PE_LUT_TC_TILE_DEPTH 3		/* select | int sum / reg | accumulate */
#define PE_LUT_TC_PRE_DEPTH 3		/* level-1 adds | level-2 adds | quant */
#define PE_LUT_TC_MAX_W 8		/* bit positions 0..7 (3-bit port) */

/* Deliberately broken variants (tests prove the checks catch them). */
enum pe_lut_tc_fault {
	PE_LUT_TC_FAULT_SIGN = 1u << 0,	/* tile ignores the sign bit */
	PE_LUT_TC_FAULT_EXP = 1u << 1,	/* tile skips the bit-position add */
};

/* Port indices of lut_tc_precompute (inputs, then outputs). */
enum pe_lut_tc_pre_port {
	PE_LUT_TC_PRE_IN_VALID, PE_LUT_TC_PRE_IN_INT8, PE_LUT_TC_PRE_ACT,
	PE_LUT_TC_PRE_OUT_VALID, PE_LUT_TC_PRE_TBL_0, PE_LUT_TC_PRE_TBL_1,
	PE_LUT_TC_PRE_SCALE, PE_LUT_TC_PRE_ASUM,
	PE_LUT_TC_PRE_NPORTS
};
#define PE_LUT_TC_PRE_NIN 3

/* Port indices of lut_tc_tile. */
enum pe_lut_tc_tile_port {
	PE_LUT_TC_IN_VALID, PE_LUT_TC_IN_CLR, PE_LUT_TC_IN_CLAST,
	PE_LUT_TC_IN_LAST, PE_LUT_TC_IN_INT8, PE_LUT_TC_IN_BITPOS,
	PE_LUT_TC_TBL_0, PE_LUT_TC_TBL_1, PE_LUT_TC_TBL_2, PE_LUT_TC_TBL_3,
	PE_LUT_TC_TSCALE,
	PE_LUT_TC_W_0, PE_LUT_TC_W_1, PE_LUT_TC_W_2, PE_LUT_TC_W_3,
	PE_LUT_TC_RD_ADDR,
	PE_LUT_TC_RD_DATA, PE_LUT_TC_SEG_DONE,
	PE_LUT_TC_TILE_NPORTS
};
#define PE_LUT_TC_TILE_NIN 16

extern const struct pe_bt_ops pe_lut_tc_pre_bt;
extern const struct pe_bt_ops pe_lut_tc_tile_bt;

/* What the models count (stepped) and what the closed form predicts. */
struct pe_lut_tc_actions {
	uint64_t tables;	/* tables built by the precompute unit */
	uint64_t pre_adds;	/* its FP16 adds: 12 per table */
	uint64_t pre_quant;	/* tables quantized to INT8 */
	uint64_t planes;	/* bit-plane cycles issued to the tile */
	uint64_t lookups;	/* entry selects: M*N per plane */
	uint64_t acc_adds;	/* accumulator FP16 adds: M*N per plane
				 * (FP16 tables) or per chunk (INT8) */
	uint64_t int_adds;	/* INT8 tables: integer adds, M*N per plane */
	uint64_t dq_muls;	/* INT8 tables: isum x scale, M*N per chunk */
	uint64_t shadow_loads;	/* segments committed to the shadow bank */
	uint64_t rd_words;	/* 64-bit read-port words */
	uint64_t stall_cycles;	/* no plane issued: shadow bank still draining */
};

/* Offline fold of a nibble (bit 3 = sign, bits 2..0 = index). */
static inline uint8_t pe_lut_tc_fold(uint8_t nib)
{
	return (uint8_t)(nib & 8 ? nib & 15 : (nib ^ 7) & 7);
}

/* Set the fault flags of a tile state (after init; reset keeps them). */
void pe_lut_tc_tile_set_faults(void *state, unsigned faults);
/* The action counters of a state. */
const struct pe_lut_tc_actions *pe_lut_tc_pre_actions(const void *state);
const struct pe_lut_tc_actions *pe_lut_tc_tile_actions(const void *state);

/* ---- the GEMM helper (pe_lut_tc_gemm.c) ----
 * out[m][n] = sum_g s'[n][g] (P_g[m][n] - z'[n][g] S_g[m]), where P_g is the
 * tile's bit-serial sum over group g of a[m][k] q'[k][n] and S_g[m] the sum
 * of the group's activations, each in the FP16 order of README "Numerics". */
struct pe_lut_tc_gemm {
	uint64_t m, n, k;
	unsigned w_bits;	/* 1..PE_LUT_TC_MAX_W */
	uint64_t group;		/* K-group of the scales, a multiple of 4; 0: k */
	bool int8_tables;
	const uint16_t *a;	/* [m*k] FP16 activations */
	const uint8_t *codes;	/* [n*k] W-bit codes (lut_pm1_w<W>), row n */
	const uint16_t *scale;	/* [n*groups] FP16 s'; NULL: no scaling */
	const int16_t *zero;	/* [n*groups] z'; NULL: no zero term */
	unsigned faults;	/* enum pe_lut_tc_fault, into the tile */
};

struct pe_lut_tc_run {
	uint64_t pre_cycles;	/* stepped: precompute of all tables */
	uint64_t mm_cycles;	/* stepped: first plane in -> last word out */
	struct pe_lut_tc_actions act;
};

/* Run g through the stepped precompute unit and tile; out[m*n] FP16.
 * PS_EINPUT for bad shapes or codes, PS_ENOMEM. */
enum ps_status pe_lut_tc_run_gemm(const struct pe_lut_tc_gemm *g, uint16_t *out,
				  struct pe_lut_tc_run *r, struct ps_err *err);

/* ---- closed form (pe_lut_tc_timing.c) ---- */
struct pe_lut_tc_shape {
	uint64_t M, N, K;	/* the tile: tables, columns, chunk */
};

struct pe_lut_tc_timing {
	uint64_t cycles;	/* as pe_lut_tc_run.mm_cycles */
	uint64_t passes, segments, planes, fill, drain, stall;
	uint64_t read_words;	/* per segment */
	uint64_t interval;	/* sum of max(P_j, D): the next tile may follow */
};

/* Timing of an m x n x k tile of W-bit weights, groups of `group` along K
 * (0: none), on tile shape s (NULL: M2N64K4). */
void pe_lut_tc_timing(const struct pe_lut_tc_shape *s, uint64_t m, uint64_t n,
		      uint64_t k, unsigned w_bits, uint64_t group,
		      struct pe_lut_tc_timing *out);
/* Cycles of the M2N64K4 tile: equals pe_lut_tc_run_gemm's mm_cycles. */
uint64_t pe_lut_tc_tile_cycles(uint64_t m, uint64_t n, uint64_t k,
			       unsigned w_bits, uint64_t group);
/* Cycles of the precompute unit for the m x k activations: equals
 * pe_lut_tc_run_gemm's pre_cycles. */
uint64_t pe_lut_tc_pre_cycles(uint64_t m, uint64_t k);
/* The actions pe_lut_tc_run_gemm counts, in closed form. */
void pe_lut_tc_gemm_actions(uint64_t m, uint64_t n, uint64_t k,
			    unsigned w_bits, uint64_t group, bool int8_tables,
			    struct pe_lut_tc_actions *out);

/* pe_ops.gemm_bt (pe_lut_tc_bt_gemm.c). */
pe_gemm_bt_fn pe_lut_tc_gemm_bt;

#endif

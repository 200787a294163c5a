/* rpt_lut_tc_area.c - component area models of the LUT tile for the table
 * size sweep and the ablation. Costs are Yosys's generic-gate prices that
 * `pesim area` counts with (`stat -tech cmos`: a 2:1 mux bit and an XOR
 * 12, a full adder 2 XOR + 2 AND + OR = 42, a half adder 18, a flip-flop
 * 16) and our RTL's FP16 adder (rtl/common/fp16_add.v: 4336), converted
 * to um2 by the calibration that makes our FP16 MAC (14558) BitMoD's
 * 1968.7 um2 (README "pesim area"). */
#include "rpt_lut_tc.h"

#define U_MUX 12.0
#define U_XOR 12.0
#define U_FA 42.0
#define U_HA 18.0
#define U_FF 16.0
#define U_FP16_ADD 4336.0
#define UM2_PER_UNIT (1968.7 / 14558.0)

/* FP16 adders of the symmetric table's pairwise tree: 2^(K-1) entries on
 * the last level, each half's table below it (K = 4: 8 + 2 + 2 = 12, the
 * precompute unit of pe_models/lut_tc). */
static double tree(uint32_t K)
{
	if (K <= 1)
		return 0;
	if (K == 2)
		return 2;
	return (double)(1u << (K - 1)) + tree((K + 1) / 2) + tree(K / 2);
}

/* What grows with K, in generic-gate units: per output a 2^(K-1):1 mux of
 * tb bits, per table 2^(K-1) registers of tb bits and the tree's adders. */
static void grows(uint32_t K, uint32_t M, uint32_t N, uint32_t tb, double *per_out,
		  double *per_table)
{
	double e = (double)(1u << (K - 1));
	*per_out = (e - 1) * tb * U_MUX;
	*per_table = e * tb * U_FF + tree(K) * U_FP16_ADD;
	(void)M;
	(void)N;
}

void lt_area_k(double unit_um2, uint32_t K, uint32_t M, uint32_t N, uint32_t tb,
	       struct lt_area_k *out)
{
	double o4, t4, ok, tk, fixed;
	/* the preset's K = 4, M2N64 tile: 128 outputs of unit_um2 */
	grows(4, 2, 64, tb, &o4, &t4);
	fixed = unit_um2 - (o4 + 2 * t4 / 128) * UM2_PER_UNIT;	/* per output */
	grows(K, M, N, tb, &ok, &tk);
	out->fixed = (double)M * N * fixed;
	out->grows = ((double)M * N * ok + (double)M * tk) * UM2_PER_UNIT;
	out->total = out->fixed + out->grows;
}

/* INT8 tables: sums of four INT8 activations, 10 bits; 32-bit
 * accumulators with a plane shift (a mux per bit); M2N64K4. */
#define AB_TB 10.0
#define AB_M 2.0
#define AB_OUTS 128.0

static double tile(double mux_entries, double negation, double entries, double adders)
{
	double common = 32 * U_FA + 32 * U_FF + 32 * U_MUX;
	double per_out = common + (mux_entries - 1) * AB_TB * U_MUX + negation;
	double per_table = entries * AB_TB * U_FF + adders * AB_TB * U_FA;
	return AB_OUTS * per_out + AB_M * per_table;
}

void lt_ablation(struct lt_ablation out[LT_ABL_N])
{
	/* UNPU-style: 16 subset sums of {0,1} bits (11 adders), 16:1 muxes */
	out[0] = (struct lt_ablation){ "UNPU-style LUT", tile(16, 0, 16, 11) };
	/* +-1 reinterpretation: 8 entries (the 12-adder tree), 8:1 muxes,
	 * a conditional two's complement (XOR + incrementer) per output */
	out[1] = (struct lt_ablation){ "+ operator reinterpretation",
				       tile(8, AB_TB * (U_XOR + U_HA), 8, 12) };
	/* the sign flip: XORs only, the +1 into the accumulator's carry-in */
	out[2] = (struct lt_ablation){ "+ sign flip instead of negation",
				       tile(8, AB_TB * U_XOR, 8, 12) };
	/* fused precompute: the tables arrive built, no adders in the tile */
	out[3] = (struct lt_ablation){ "+ fused precompute", tile(8, AB_TB * U_XOR, 8, 0) };
}

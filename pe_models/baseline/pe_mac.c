/* pe_mac.c - timing of the one-weight-per-cycle MAC baselines.
 *
 * FP16 MAC, INT8 MAC, and the FP16xINT8 FMA that BitMoD uses as the stand-in
 * PE of ANT and OliVe (bitmod.md, "Synthesis figures"): each consumes one
 * weight per lane per cycle whatever the weight width, so one array step is
 * one cycle. The decode of flint/OVP codes in front of the FMA is pipelined
 * and costs no throughput. ANT's own PE is a BitFusion-style fusible
 * 4/8-bit MAC (see pe_bitfusion.c); here ANT and OliVe are modelled as
 * BitMoD evaluates them, since that is the comparison pesim reproduces.
 *
 * Tile timing: the generic systolic array (pe_systolic.c) with the PE's
 * lanes along K and one cycle per step. */
#include "pe.h"
#include "pe_baseline.h"

static uint32_t one_cycle(const struct pe_params *p)
{
	(void)p;
	return 1;
}

static void mac_tile_timing(const struct pe_params *p,
			    const struct pe_array *a, const struct pe_tile *t,
			    bool compat, struct pe_tile_timing *out)
{
	pe_systolic_timing(a, t, p->lanes, one_cycle(p), compat, out);
}

const struct pe_ops pe_fp16_mac_ops = {
	.version = PE_OPS_VERSION,
	.name = "fp16",
	.gemm_bt = pe_fp16_gemm_bt,
	.summary = "FP16 MAC, one weight per lane per cycle",
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
};

const struct pe_ops pe_int8_mac_ops = {
	.version = PE_OPS_VERSION,
	.name = "int8",
	.gemm_bt = pe_int8_gemm_bt,
	.summary = "INT8 MAC, one weight per lane per cycle",
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
};

const struct pe_ops pe_ant_ops = {
	.version = PE_OPS_VERSION,
	.name = "ant",
	.gemm_bt = pe_ant_gemm_bt,
	.summary = "ANT: flint/int decode into an FP16xINT8 FMA (BitMoD's stand-in PE)",
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
};

const struct pe_ops pe_olive_ops = {
	.version = PE_OPS_VERSION,
	.name = "olive",
	.gemm_bt = pe_olive_gemm_bt,
	.summary = "OliVe: outlier-victim pair decode into an FP16xINT8 FMA",
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
};

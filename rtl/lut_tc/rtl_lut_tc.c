/* rtl_lut_tc.c - the LUT Tensor Core's RTL descriptor (rtl_family.h):
 * the M2N64K4 tile and its table precompute unit (README.md), for `pesim
 * area` and `pesim verify` (stimulus: stim_lut_tc.c). */
#include "rtl_family.h"

#ifdef PESIM_RTL
#include "lut_tc/pe_lut_tc.h"
#include "rtl_models.h"
#include "stim_lut_tc.h"
#endif

static const struct rtl_design designs[] = {
	/* ~10 min of Yosys each (.slow); the tile's 128 lanes keep resource
	 * sharing from ending (-noshare) */
	{ .name = "lut_tc_tile", .top = "lut_tc_tile", .synth_opts = "-noshare",
	  .files = { "lut_tc/lut_tc_tile.v", "lut_tc/lut_tc_ldexp.v",
		     "lut_tc/lut_tc_dequant.v", "common/fp16_round.v",
		     "common/fp16_add.v" },
	  .what = "LUT Tensor Core M2N64K4 tile: 128 table lookups + accumulators",
	  .slow = 1,
	  /* W1: M x N x K = 512 MACs a cycle, against the FP16 DP4 unit */
	  .macs = 512, .density_vs = "fp16_dp4_mac",
	  .density_paper = "lut_tc_dp4_density" },
	{ .name = "lut_tc_precompute", .top = "lut_tc_precompute",
	  .files = { "lut_tc/lut_tc_precompute.v", "lut_tc/lut_tc_quant8.v",
		     "lut_tc/lut_tc_qcode.v", "common/fp16_round.v",
		     "common/fp16_add.v" },
	  .what = "LUT Tensor Core table precompute: 12 FP16 adds, INT8 option",
	  .slow = 1 },
	{ .name = NULL },
};

#ifdef PESIM_RTL
static const struct rtl_verify_pe verify[] = {
	{ .name = "lut_tc", .family = "lut_tc", .golden = "lut_tc_tile",
	  .what = "LUT Tensor Core M2N64K4 tile (bit-serial table lookup, "
		  "FP16/INT8 tables, 128 FP16 accumulators)",
	  .params = { .lanes = PE_LUT_TC_K },
	  RTL_BUILDS(lut_tc_tile), .stim = &lut_tc_tile_stim },
	{ .name = "lut_tc_pre", .family = "lut_tc", .golden = "lut_tc_precompute",
	  .what = "LUT Tensor Core table precompute (4 FP16 activations -> 8 "
		  "entries, FP16 or INT8)",
	  .params = { .lanes = PE_LUT_TC_K },
	  RTL_BUILDS(lut_tc_pre), .stim = &lut_tc_pre_stim },
	{ .name = NULL },
};
#endif

RTL_SYSTEMC(rtl_sc_lut_tc_arrays);

const struct rtl_family rtl_family_lut_tc = {
	.what = "LUT Tensor Core M2N64K4 tile and table precompute unit",
	.designs = designs,
	.verify = RTL_VERILATED(verify),
	.systemc = rtl_sc_lut_tc_arrays,
};

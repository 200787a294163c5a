/* rtl_baseline.c - the RTL descriptors (rtl_family.h) of the baseline
 * families whose folder is baseline/ (families.def): fp16, int8 (each a
 * MAC and the DP4 unit the LUT Tensor Core is compared with), ant with RTL
 * (README.md), bitfusion and olive without. Each verify entry's
 * params are what its Verilated build (meson.build) was built for. */
#include "rtl_family.h"

#ifdef PESIM_RTL
#include "rtl_models.h"
#include "stim_baseline.h"
#endif

static const struct rtl_design fp16_designs[] = {
	{ .name = "fp16_mac", .top = "pe_fp16_mac", .paper = "bitmod_fp16_mac",
	  .files = { "baseline/pe_fp16_mac.v", "baseline/pe_bl_pipe.v",
		     "common/fp16_mul.v", "common/fp16_add.v" },
	  .what = "FP16 MAC baseline PE: fp16_mul, fp16_add, 2 register stages",
	  .parts = { { "fp16_mul", RTL_C_MULTIPLIER },
		     { "fp16_add", RTL_C_ACCUMULATOR },
		     { "pe_bl_pipe", RTL_C_CONTROL } } },
	/* the LUT Tensor Core's FP16 DP4 comparison unit (no published
	 * area: lut_tc_dp4_density is a ratio of densities, lut_tc_tile's
	 * density_vs) */
	{ .name = "fp16_dp4_mac", .top = "pe_fp16_dp4_mac",
	  .files = { "baseline/pe_fp16_dp4_mac.v", "baseline/pe_bl_pipe.v",
		     "baseline/fp16_tree4.v", "baseline/fp16_accum.v",
		     "common/fp16_mul.v", "common/fp16_add.v" },
	  .what = "FP16 DP4 unit: 4 fp16_mul, a 3-adder tree, an FP16 "
		  "accumulator, 2 register stages",
	  .parts = { { "fp16_mul", RTL_C_MULTIPLIER },
		     { "fp16_tree4", RTL_C_TREE },
		     { "fp16_accum", RTL_C_ACCUMULATOR },
		     { "fp16_add", RTL_C_INHERIT },
		     { "pe_bl_pipe", RTL_C_CONTROL } },
	  .macs = 4 },
	{ .name = NULL },
};

static const struct rtl_design int8_designs[] = {
	{ .name = "int8_mac", .top = "pe_int8_mac",
	  .files = { "baseline/pe_int8_mac.v", "baseline/pe_bl_pipe.v" },
	  .what = "INT8 MAC baseline PE: 8x8 multiply, 32-bit accumulator" },
	{ .name = "int8_dp4_mac", .top = "pe_int8_dp4_mac",
	  .files = { "baseline/pe_int8_dp4_mac.v", "baseline/pe_bl_pipe.v",
		     "baseline/int8_dp4_mul.v", "baseline/int8_dp4_tree.v",
		     "baseline/int32_accum.v" },
	  .what = "INT8 DP4 unit: 4 8x8 multipliers, an 18-bit adder tree, "
		  "a 32-bit accumulator",
	  .parts = { { "int8_dp4_mul", RTL_C_MULTIPLIER },
		     { "int8_dp4_tree", RTL_C_TREE },
		     { "int32_accum", RTL_C_ACCUMULATOR },
		     { "pe_bl_pipe", RTL_C_CONTROL } },
	  .macs = 4 },
	{ .name = NULL },
};

static const struct rtl_design ant_designs[] = {
	{ .name = "ant_mac", .top = "pe_ant_mac", .paper = "bitmod_fp16_int8_fma",
	  .files = { "baseline/pe_ant_mac.v", "baseline/pe_bl_pipe.v",
		     "baseline/ant_fma.v",
		     "baseline/ant_fma_mul.v", "baseline/ant_fma_align.v",
		     "baseline/ant_fma_add.v", "baseline/ant_fma_round.v",
		     "baseline/ant_decode.v" },
	  .what = "ANT baseline PE: int4/flint4 ROM, FP16xINT8 FMA (sticky-bit "
		  "alignment), 2 register stages",
	  .parts = { { "ant_decode", RTL_C_DECODER },
		     { "ant_fma_mul", RTL_C_MULTIPLIER },
		     { "ant_fma_align", RTL_C_ALIGNER },
		     { "ant_fma_add", RTL_C_ACCUMULATOR },
		     { "ant_fma_round", RTL_C_NORMALIZE },
		     /* operand classes, specials, the result's sign */
		     { "ant_fma", RTL_C_CONTROL },
		     { "pe_bl_pipe", RTL_C_CONTROL } } },
	{ .name = NULL },
};

#ifdef PESIM_RTL
static const struct rtl_verify_pe fp16_verify[] = {
	{ .name = "fp16_mac", .family = "fp16", .golden = "fp16_mac",
	  .what = "FP16 MAC (FP16 x FP16 + FP16 accumulator, IEEE RNE)",
	  .params = { .lanes = 1, .a_bits = 16 },
	  RTL_BUILDS(pe_fp16_mac), .stim = &baseline_mac_stim },
	{ .name = "fp16_dp4", .family = "fp16", .golden = "fp16_dp4_mac",
	  .what = "FP16 DP4 unit (4 FP16 products, tree-summed, + FP16 accumulator)",
	  .params = { .lanes = 4, .a_bits = 16 },
	  RTL_BUILDS(pe_fp16_dp4_mac), .stim = &baseline_mac_stim },
	{ .name = NULL },
};

static const struct rtl_verify_pe int8_verify[] = {
	{ .name = "int8_mac", .family = "int8", .golden = "int8_mac",
	  .what = "INT8 MAC (INT8 x INT8 + INT32 accumulator)",
	  .params = { .lanes = 1, .a_bits = 8 },
	  RTL_BUILDS(pe_int8_mac), .stim = &baseline_mac_stim },
	{ .name = "int8_dp4", .family = "int8", .golden = "int8_dp4_mac",
	  .what = "INT8 DP4 unit (4 INT8 products, exact sum, + INT32 accumulator)",
	  .params = { .lanes = 4, .a_bits = 8 },
	  RTL_BUILDS(pe_int8_dp4_mac), .stim = &baseline_mac_stim },
	{ .name = NULL },
};

static const struct rtl_verify_pe ant_verify[] = {
	{ .name = "ant_mac", .family = "ant", .golden = "ant_mac",
	  .what = "ANT as BitMoD's FP16xINT8 FMA PE (int4/flint4 decode, fused RNE)",
	  .params = { .lanes = 1, .act_bits = 16, .a_bits = 16 },
	  RTL_BUILDS(pe_ant_mac), .stim = &ant_mac_stim },
	{ .name = NULL },
};
#endif

const struct rtl_family rtl_family_fp16 = {
	.what = "FP16 MAC PE (pe_fp16_mac.v on common/fp16_mul.v, fp16_add.v) "
		"and its DP4 unit (pe_fp16_dp4_mac.v)",
	.designs = fp16_designs,
	.verify = RTL_VERILATED(fp16_verify),
};

const struct rtl_family rtl_family_int8 = {
	.what = "INT8 MAC PE (pe_int8_mac.v) and its DP4 unit (pe_int8_dp4_mac.v)",
	.designs = int8_designs,
	.verify = RTL_VERILATED(int8_verify),
};

const struct rtl_family rtl_family_ant = {
	.what = "ANT PE as BitMoD models it: int4/flint4 decode, FP16xINT8 FMA "
		"(pe_ant_mac.v)",
	.designs = ant_designs,
	.verify = RTL_VERILATED(ant_verify),
};

const struct rtl_family rtl_family_bitfusion = {
	.what = "no RTL yet: the fusible 8/4-bit MAC is a golden C model only "
		"(pe_models/baseline/pe_bitfusion_bt.c)",
};

const struct rtl_family rtl_family_olive = {
	.what = "no RTL yet: the OliVe pair-decode MAC is a golden C model only "
		"(pe_models/baseline/pe_olive_bt.c)",
};

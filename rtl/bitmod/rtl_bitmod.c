/* rtl_bitmod.c - BitMoD's RTL descriptor (rtl_family.h): the PE and the
 * 4x4 array (README.md), for `pesim area` and `pesim verify` (--pe bitmod,
 * golden model bitmod_pe; --pe bitmod_array, golden model
 * bitmod_array4x4), each in the configuration of
 * configs/arch/bitmod/bitmod-{lossy,lossless}.yaml and in a narrow
 * variant (bitmod_l2_sb2, bitmod_array_l2_sb2), each with a mutant.
 * Stimulus: stim_bitmod_pe.c, stim_bitmod_array.c. */
#include "rtl_family.h"

#ifdef PESIM_RTL
#include "rtl_models.h"
#include "stim_bitmod.h"
#endif

#define BITMOD_PE_FILES "bitmod/bitmod_pe.v", "bitmod/bitmod_exp_match.v", \
	"bitmod/bitmod_bs_mul.v", "bitmod/bitmod_tree.v",                     \
	"bitmod/bitmod_bfp_add.v", "bitmod/bitmod_dequant.v"
#define BITMOD_PE_PARTS { "bitmod_exp_match", RTL_C_ALIGNER },                 \
	{ "bitmod_bs_mul", RTL_C_MULTIPLIER }, { "bitmod_tree", RTL_C_TREE },  \
	{ "bitmod_bfp_add", RTL_C_ACCUMULATOR },                               \
	{ "bitmod_dequant", RTL_C_DEQUANT }

static const struct rtl_design designs[] = {
	{ .name = "bitmod_pe", .top = "bitmod_pe", .paper = "bitmod_pe",
	  .files = { BITMOD_PE_FILES },
	  .chparam = "-set LANES 4 -set SB 8 -set MW 15",
	  .what = "BitMoD PE, 4 lanes, bit-serial terms, group accumulator, "
		  "bit-serial dequantizer",
	  .parts = { BITMOD_PE_PARTS } },
	{ .name = "bitmod_pe_emax_all", .top = "bitmod_pe", .paper = "bitmod_pe",
	  .files = { BITMOD_PE_FILES },
	  .chparam = "-set LANES 4 -set SB 8 -set MW 15 -set EMAX_ALL 1",
	  .what = "BitMoD PE with the paper's exponent match (max over every lane)",
	  .parts = { BITMOD_PE_PARTS } },
	{ .name = "bitmod_array4x4", .top = "bitmod_array4x4",
	  .files = { "bitmod/bitmod_array4x4.v", "bitmod/bitmod_decode.v",
		     "bitmod/bitmod_edge_scale.v", BITMOD_PE_FILES },
	  .chparam = "-set LANES 4 -set SB 8 -set MW 15",
	  .what = "BitMoD 4x4 array: 16 PEs, 4 row decoders, 4 row output "
		  "accumulators and channel-scale units",
	  .parts = { BITMOD_PE_PARTS, { "bitmod_pe", RTL_C_CONTROL },
		     { "bitmod_decode", RTL_C_DECODER },
		     { "bitmod_edge_scale", RTL_C_NORMALIZE } } },
	{ .name = NULL },
};

#ifdef PESIM_RTL
/* pe_params_from_arch of bitmod-lossy / bitmod-lossless: 4 lanes, 8-bit
 * group scales, bit-serial (weight_bits is a runtime matter: the w_type
 * inputs); the builds' -G values (meson.build) are these. */
#define BITMOD_PARAMS { .lanes = 4, .scale_bits = 8, .bit_serial = true }
/* The narrow variant no configuration uses: 2 lanes, 2-bit group scales
 * (lanes switched off, a 2-edge dequantizer, and outputs closer than the
 * shadow chains allow: collisions and channel-scale FIFO overflows
 * without a dequantizer overrun, unreachable with SB >= 7). */
#define BITMOD_PARAMS_L2 { .lanes = 2, .scale_bits = 2, .bit_serial = true }

static const struct rtl_verify_pe verify[] = {
	{ .name = "bitmod", .family = "bitmod", .golden = "bitmod_pe",
	  .what = "BitMoD PE (4 lanes FP16 x weight terms, block-FP group "
		  "accumulator, bit-serial 8-bit dequantizer fed a scale bit "
		  "per edge)",
	  .params = BITMOD_PARAMS,
	  RTL_BUILDS(bitmod_pe), .stim = &bm_pe_stim },
	{ .name = "bitmod_array", .family = "bitmod", .golden = "bitmod_array4x4",
	  .what = "BitMoD 4x4 output-stationary array (edge term decoders, "
		  "shadow chains, row output accumulators, FP16 channel-scale "
		  "units)",
	  .params = BITMOD_PARAMS,
	  RTL_BUILDS(bitmod_array4x4), .stim = &bm_array_stim },
	{ .name = "bitmod_l2_sb2", .family = "bitmod", .golden = "bitmod_pe",
	  .what = "BitMoD PE, narrow variant (2 lanes, 2-bit group scales)",
	  .params = BITMOD_PARAMS_L2,
	  RTL_BUILDS(bitmod_pe_l2_sb2), .stim = &bm_pe_stim },
	{ .name = "bitmod_array_l2_sb2", .family = "bitmod",
	  .golden = "bitmod_array4x4",
	  .what = "BitMoD 4x4 array, narrow variant (2 lanes, 2-bit group "
		  "scales)",
	  .params = BITMOD_PARAMS_L2,
	  RTL_BUILDS(bitmod_array4x4_l2_sb2), .stim = &bm_array_stim },
	{ .name = "bitmod_emax_all", .family = "bitmod", .golden = "bitmod_pe",
	  .what = "BitMoD PE with the paper's exponent match: the maximum over "
		  "every lane (pe.emax_all)",
	  .params = { .lanes = 4, .scale_bits = 8, .bit_serial = true,
		      .emax_all = true },
	  RTL_BUILDS(bitmod_pe_emax_all), .stim = &bm_pe_stim },
	{ .name = NULL },
};
#endif

RTL_SYSTEMC(rtl_sc_bitmod_arrays);

const struct rtl_family rtl_family_bitmod = {
	.what = "BitMoD PE and 4x4 array (4 lanes, 8-bit group scales) and a "
		"narrow variant",
	.designs = designs,
	.verify = RTL_VERILATED(verify),
	.systemc = rtl_sc_bitmod_arrays,
};

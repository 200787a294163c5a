/* rtl_mixpe.c - MixPE's RTL descriptor (rtl_family.h): the PE "mixpe_pe"
 * and the 4x4 array "mixpe_array" (README.md), W4A8 and W4A16, each with
 * its Verilated build (meson.build) and a mutant build; stimulus:
 * stim_mixpe.c.
 *
 * params are those of configs/arch/mixpe/w4a8-64x64.yaml and
 * w4a16-32x32.yaml as pe_params_from_arch gives them, on the fields set
 * here (lanes 2, INT8 or FP16 activations, groups of 128); weight_bits
 * stays 0 (pe_mixpe_cfg_from_params: 4) because the arch's is the
 * average stored bits, 4.15625. The -G parameters of the Verilated builds
 * (meson.build) and the designs' chparam are the same: WBITS 4, FP16 0/1,
 * LANES 2, GROUP 128. Two small PEs (W2A16 with 4 lanes, W3A8 with 3)
 * cover the datapath's other shapes and narrow accumulators; their
 * weight_bits (2, 3) keep them from matching an arch preset. */
#include "rtl_family.h"

#ifdef PESIM_RTL
#include "rtl_models.h"
#include "stim_mixpe.h"
#endif

#define MIXPE_PE_V                                                    \
	{ "mixpe/mixpe_pe.v", "mixpe/mixpe_shadd.v",                  \
	  "mixpe/mixpe_fp_lane.v", "common/fp16_round.v",             \
	  "common/fp16_add.v", "common/fp16_mul.v" }

static const struct rtl_design designs[] = {
	{ .name = "mixpe_pe_w4a8", .top = "mixpe_pe", .files = MIXPE_PE_V,
	  .chparam = "-set WBITS 4 -set FP16 0 -set LANES 2 -set GROUP 128",
	  .what = "MixPE PE, W4A8, 2 lanes (configs/arch/mixpe/w4a8-64x64.yaml)" },
	{ .name = "mixpe_pe_w4a16", .top = "mixpe_pe", .files = MIXPE_PE_V,
	  .chparam = "-set WBITS 4 -set FP16 1 -set LANES 2 -set GROUP 128",
	  .what = "MixPE PE, W4A16, 2 lanes (configs/arch/mixpe/w4a16-32x32.yaml)" },
	{ .name = NULL },
};

#ifdef PESIM_RTL
#define MIXPE_W4A8 { .lanes = 2, .act_bits = 8, .a_bits = 8, .group_size = 128 }
#define MIXPE_W4A16 { .lanes = 2, .act_bits = 16, .a_bits = 16, .group_size = 128 }

/* PEs before arrays: `--pe mixpe --config ...` (rtl_verify_match) picks the
 * first entry whose params fit, the PE. */
static const struct rtl_verify_pe verify[] = {
	RTL_VERIFY_PE("mixpe", "mixpe", mixpe_pe, mixpe_pe,
		      "MixPE PE W4A8: INT4 x INT8 shift&add, 2 lanes, g128 dequant",
		      MIXPE_W4A8),
	RTL_VERIFY_PE("mixpe_w4a16", "mixpe", mixpe_pe, mixpe_pe_w4a16,
		      "MixPE PE W4A16: INT4 x FP16 shift&add, 2 lanes, g128 dequant",
		      MIXPE_W4A16),
	/* the datapath's other shapes (no arch preset uses them) */
	RTL_VERIFY_PE("mixpe_w2a16_l4", "mixpe", mixpe_pe, mixpe_pe_w2a16_l4,
		      "MixPE PE W2A16: INT2 x FP16, 4 lanes (lane tree), groups of 8",
		      { .lanes = 4, .weight_bits = 2, .act_bits = 16, .a_bits = 16,
			.group_size = 8 }),
	RTL_VERIFY_PE("mixpe_w3a8_l3", "mixpe", mixpe_pe, mixpe_pe_w3a8_l3,
		      "MixPE PE W3A8: INT3 x INT8, 3 lanes, groups of 6 (12-bit acc)",
		      { .lanes = 3, .weight_bits = 3, .act_bits = 8, .a_bits = 8,
			.group_size = 6 }),
	RTL_VERIFY_PE("mixpe_array", "mixpe", mixpe_array, mixpe_array,
		      "MixPE 4x4 output-stationary array W4A8 with drain chain",
		      MIXPE_W4A8),
	RTL_VERIFY_PE("mixpe_array_w4a16", "mixpe", mixpe_array, mixpe_array_w4a16,
		      "MixPE 4x4 output-stationary array W4A16 with drain chain",
		      MIXPE_W4A16),
	{ .name = NULL },
};
#endif

RTL_SYSTEMC(rtl_sc_mixpe_arrays);

const struct rtl_family rtl_family_mixpe = {
	.what = "MixPE PE and 4x4 array, W4A8 and W4A16, and two small PEs",
	.designs = designs,
	.verify = RTL_VERILATED(verify),
	.systemc = rtl_sc_mixpe_arrays,
};

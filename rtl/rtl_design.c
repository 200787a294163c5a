/* rtl_design.c - the design table (rtl_design.h). */
#include "rtl_design.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_path.h"

/* FlightLLM's packed INT8 MAC (shared/reference/flightllm_dsp48.md): AREG
 * = 1 via A1, BREG = 2, DREG = ADREG = MREG = PREG = 1, AMULTSEL = "AD",
 * no C register, OPMODE/INMODE/ALUMODE/CARRYIN straight from the fabric.
 * The same settings as pe_dsp48e2_params_packed (pe_models/flightllm/) and
 * the -G flags of the dsp48e2 model in rtl/meson.build: keep them equal. */
#define DSP48E2_PACKED                                                        \
	"-set AREG 1 -set ACASCREG 1 -set BREG 2 -set BCASCREG 2 -set CREG 0 " \
	"-set DREG 1 -set ADREG 1 -set MREG 1 -set PREG 1 -set INMODEREG 0 "   \
	"-set OPMODEREG 0 -set ALUMODEREG 0 -set CARRYINREG 0 "                \
	"-set CARRYINSELREG 0 -set AMULTSEL \"AD\""

const struct rtl_design rtl_designs[] = {
	{
		.name = "fp16_mac",
		.top = "pe_fp16_mac",
		.files = { "baseline/pe_fp16_mac.v", "common/fp16_mul.v",
			   "common/fp16_add.v" },
		.family = "baseline",
		.paper = "bitmod_fp16_mac",
		.what = "FP16 MAC baseline PE: fp16_mul, fp16_add, 2 register stages",
	},
	{
		.name = "int8_mac",
		.top = "pe_int8_mac",
		.files = { "baseline/pe_int8_mac.v" },
		.family = "baseline",
		.what = "INT8 MAC baseline PE: 8x8 multiply, 32-bit accumulator",
	},
	{
		.name = "ant_mac",
		.top = "pe_ant_mac",
		.files = { "baseline/pe_ant_mac.v", "baseline/ant_fma.v",
			   "baseline/ant_decode.v" },
		.family = "baseline",
		.paper = "bitmod_fp16_int8_fma",
		.what = "ANT baseline PE: int4/flint4 ROM, FP16xINT8 FMA, 2 register stages",
	},
	{
		.name = "fp16_add",
		.top = "fp16_add",
		.files = { "common/fp16_add.v" },
		.family = "common",
		.what = "IEEE binary16 adder, RNE, combinational",
	},
	{
		.name = "fp16_mul",
		.top = "fp16_mul",
		.files = { "common/fp16_mul.v" },
		.family = "common",
		.what = "IEEE binary16 multiplier, RNE, combinational",
	},
	{
		.name = "dsp48e2_packed",
		.top = "DSP48E2",
		.files = { "flightllm/DSP48E2.v" },
		.chparam = DSP48E2_PACKED,
		.family = "flightllm",
		.what = "DSP48E2 subset, packed INT8x2 MAC config (an FPGA hard block as logic)",
	},
	{
		.name = "bitmod_pe",
		.top = "bitmod_pe",
		.files = { "bitmod/bitmod_pe.v", "bitmod/bitmod_bfp_add.v" },
		.chparam = "-set LANES 4 -set SB 8 -set MW 15",
		.family = "bitmod",
		.paper = "bitmod_pe",
		.what = "BitMoD PE, 4 lanes, bit-serial terms, group + dequant accumulators",
	},
	{
		.name = "bitmod_array4x4",
		.top = "bitmod_array4x4",
		.files = { "bitmod/bitmod_array4x4.v", "bitmod/bitmod_decode.v",
			   "bitmod/bitmod_edge_scale.v", "bitmod/bitmod_pe.v",
			   "bitmod/bitmod_bfp_add.v" },
		.chparam = "-set LANES 4 -set SB 8 -set MW 15",
		.family = "bitmod",
		.what = "BitMoD 4x4 array: 16 PEs, 4 row decoders, 4 channel-scale units",
	},
	{
		.name = "mixpe_pe_w4a8",
		.top = "mixpe_pe",
		.files = { "mixpe/mixpe_pe.v", "mixpe/mixpe_fp_lane.v",
			   "mixpe/mixpe_round16.v", "common/fp16_add.v",
			   "common/fp16_mul.v" },
		.chparam = "-set WBITS 4 -set FP16 0 -set LANES 2 -set GROUP 128",
		.family = "mixpe",
		.what = "MixPE PE, W4A8, 2 lanes (configs/arch/mixpe/w4a8-64x64.yaml)",
	},
	{
		.name = "mixpe_pe_w4a16",
		.top = "mixpe_pe",
		.files = { "mixpe/mixpe_pe.v", "mixpe/mixpe_fp_lane.v",
			   "mixpe/mixpe_round16.v", "common/fp16_add.v",
			   "common/fp16_mul.v" },
		.chparam = "-set WBITS 4 -set FP16 1 -set LANES 2 -set GROUP 128",
		.family = "mixpe",
		.what = "MixPE PE, W4A16, 2 lanes (configs/arch/mixpe/w4a16-32x32.yaml)",
	},
	{
		.name = "lut_tc_tile",
		.top = "lut_tc_tile",
		.files = { "lut_tc/lut_tc_tile.v", "lut_tc/lut_tc_ldexp.v",
			   "lut_tc/lut_tc_dequant.v", "lut_tc/lut_tc_round16.v",
			   "common/fp16_add.v" },
		.family = "lut_tc",
		.what = "LUT Tensor Core M2N64K4 tile: 128 table lookups + accumulators",
		.synth_opts = "-noshare",	/* 128 lanes: share never ends */
		.slow = 1,			/* ~10 min of Yosys */
	},
	{
		.name = "lut_tc_precompute",
		.top = "lut_tc_precompute",
		.files = { "lut_tc/lut_tc_precompute.v", "lut_tc/lut_tc_quant8.v",
			   "lut_tc/lut_tc_qcode.v", "lut_tc/lut_tc_round16.v",
			   "common/fp16_add.v" },
		.family = "lut_tc",
		.what = "LUT Tensor Core table precompute: 12 FP16 adds, INT8 option",
		.slow = 1,	/* ~10 min of Yosys (resource sharing) */
	},
	{
		.name = "flightllm_chain_d16w4",
		.top = "flightllm_chain",
		.files = { "flightllm/flightllm_chain.v", "flightllm/flightllm_smux.v",
			   "flightllm/flightllm_decode.v", "flightllm/flightllm_rn.v",
			   "flightllm/DSP48E2.v" },
		.chparam = "-set DEPTH 16 -set WBITS 4",
		.family = "flightllm",
		.what = "FlightLLM CSD chain, 16 DSP48E2 (as logic) + sparse MUX + RNs",
	},
	{ .name = NULL },
};

const struct rtl_design *rtl_design_find(const char *name)
{
	for (const struct rtl_design *d = rtl_designs; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

const char *rtl_dir(void)
{
	static char buf[4096];
	return ps_data_dir("PESIM_RTL", "rtl", buf, sizeof buf);
}

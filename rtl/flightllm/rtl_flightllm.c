/* rtl_flightllm.c - FlightLLM's RTL descriptor (rtl_family.h): the CSD
 * chain of DSP48E2s (README.md) and the DSP48E2 in its packed-MAC
 * configuration, for `pesim area` and `pesim verify` (stimulus:
 * stim_flightllm.c). */
#include "rtl_family.h"

#ifdef PESIM_RTL
#include "rtl_models.h"
#include "stim_flightllm.h"
#endif

/* FlightLLM's packed INT8 MAC (shared/reference/flightllm_dsp48.md): AREG
 * = 1 via A1, BREG = 2, DREG = ADREG = MREG = PREG = 1, AMULTSEL = "AD",
 * no C register, OPMODE/INMODE/ALUMODE/CARRYIN straight from the fabric.
 * The same settings as pe_dsp48e2_params_packed (pe_models/flightllm/) and
 * the -G flags of the dsp48e2 model in meson.build: keep them equal. */
#define DSP48E2_PACKED                                                        \
	"-set AREG 1 -set ACASCREG 1 -set BREG 2 -set BCASCREG 2 -set CREG 0 " \
	"-set DREG 1 -set ADREG 1 -set MREG 1 -set PREG 1 -set INMODEREG 0 "   \
	"-set OPMODEREG 0 -set ALUMODEREG 0 -set CARRYINREG 0 "                \
	"-set CARRYINSELREG 0 -set AMULTSEL \"AD\""

static const struct rtl_design designs[] = {
	{ .name = "dsp48e2_packed", .top = "DSP48E2", .chparam = DSP48E2_PACKED,
	  .files = { "flightllm/DSP48E2.v" },
	  .what = "DSP48E2 subset, packed INT8x2 MAC config (an FPGA hard block as logic)" },
	{ .name = "flightllm_chain_d16w4", .top = "flightllm_chain",
	  .files = { "flightllm/flightllm_chain.v", "flightllm/flightllm_smux.v",
		     "flightllm/flightllm_decode.v", "flightllm/flightllm_rn.v",
		     "flightllm/DSP48E2.v" },
	  .chparam = "-set DEPTH 16 -set WBITS 4",
	  .what = "FlightLLM CSD chain, 16 DSP48E2 (as logic) + sparse MUX + RNs" },
	{ .name = NULL },
};

#ifdef PESIM_RTL
/* "flightllm": pe_params_from_arch of configs/arch/flightllm/csd-2of16.yaml
 * (--config picks it by these): nm2of16-int4 weights are 4-bit codes,
 * 1.625 stored bits per weight, groups of 128. */
static const struct rtl_verify_pe verify[] = {
	RTL_VERIFY_PE("flightllm", "flightllm", flightllm_chain, flightllm_chain,
		      "FlightLLM CSD chain: 16 DSP48E2, INT4 codes, sparse MUX, RNs, OAU "
		      "(csd-2of16.yaml)",
		      { .lanes = 16, .weight_bits = 1.625, .code_bits = 4,
			.act_bits = 8, .group_size = 128, .a_bits = 8 }),
	RTL_VERIFY_PE("flightllm_d8w8", "flightllm", flightllm_chain, flightllm_chain_d8,
		      "FlightLLM CSD chain: 8 DSP48E2, INT8 codes, no OAU",
		      { .lanes = 8, .weight_bits = 8, .act_bits = 8, .a_bits = 8 }),
	RTL_VERIFY_PE("flightllm_d32w8", "flightllm", flightllm_chain, flightllm_chain_d32,
		      "FlightLLM CSD chain: 32 DSP48E2, INT8 codes, OAU at DSPs 8, 16, 24",
		      { .lanes = 32, .weight_bits = 8, .act_bits = 8, .a_bits = 8 }),
	{ .name = NULL },
};
#endif

RTL_SYSTEMC(rtl_sc_flightllm_arrays);

const struct rtl_family rtl_family_flightllm = {
	.what = "FlightLLM CSD chain of DSP48E2s (16, 8 and 32 deep) and the "
		"DSP48E2 as a packed INT8 MAC",
	.designs = designs,
	.verify = RTL_VERILATED(verify),
	.systemc = rtl_sc_flightllm_arrays,
};

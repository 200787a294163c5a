/* pe_dsp48e2.h - a bit-true model of the part of Xilinx's DSP48E2 that
 * FlightLLM's CSD chain uses, with Xilinx's port names and widths and
 * Xilinx's parameter names (UG579; behaviour as the unisim simulation
 * model DSP48E2.v computes it), so the RTL DSP48E2 module of rtl/flightllm/
 * can be swapped for Xilinx's own simulation model.
 *
 * Modelled (README.md "DSP48E2"): the A1/A2, B1/B2, C, D, AD, M (U/V
 * partial products), P registers with their clock enables and resets; the
 * pre-adder D +- A (INMODE[3:0], 27 bits, wraps); the signed 27 x 18
 * multiplier on A or AD; the W/X/Y/Z multiplexers (every OPMODE value;
 * MULTSIGNIN is 0) and the 48-bit ALU for every ALUMODE (the unisim's
 * carry-save form, USE_SIMD = ONE48); CARRYIN with CARRYINSEL = 000; the
 * OPMODE/INMODE/ALUMODE/CARRYIN input registers; the IS_*_INVERTED masks
 * of OPMODE, INMODE, ALUMODE and CARRYIN.
 * Not modelled, rejected by pe_dsp48e2_init: ACIN/BCIN cascades
 * (A_INPUT/B_INPUT = "CASCADE"), BMULTSEL = "AD", PREADDINSEL = "B", SIMD,
 * the pattern detector, wide XOR, an inverted clock. Ports not listed
 * (ACIN, BCIN, CARRYCASCIN, CARRYINSEL, MULTSIGNIN, ACOUT, BCOUT, CARRYOUT,
 * CARRYCASCOUT, MULTSIGNOUT, OVERFLOW, UNDERFLOW, PATTERN[B]DETECT,
 * XOROUT) are left unconnected by the chain; Xilinx's model then reads the
 * inputs as 0 (CARRYINSEL = 000). */
#ifndef PE_DSP48E2_H
#define PE_DSP48E2_H

#include <stdbool.h>
#include <stdint.h>

#include "pe_bt.h"
#include "ps_status.h"

/* Input ports in pe_bt order, then the outputs: name, width. The table
 * order defines enum pe_dsp_port. */
#define PE_DSP48E2_INPUTS(X)                                                  \
	X(A, 30) X(B, 18) X(C, 48) X(D, 27) X(PCIN, 48)                       \
	X(OPMODE, 9) X(INMODE, 5) X(ALUMODE, 4) X(CARRYIN, 1)                 \
	X(CEA1, 1) X(CEA2, 1) X(CEB1, 1) X(CEB2, 1) X(CEC, 1) X(CED, 1)       \
	X(CEAD, 1) X(CEM, 1) X(CEP, 1) X(CECTRL, 1) X(CEINMODE, 1)            \
	X(CEALUMODE, 1) X(CECARRYIN, 1)                                       \
	X(RSTA, 1) X(RSTB, 1) X(RSTC, 1) X(RSTD, 1) X(RSTM, 1) X(RSTP, 1)     \
	X(RSTCTRL, 1) X(RSTINMODE, 1) X(RSTALUMODE, 1) X(RSTALLCARRYIN, 1)
#define PE_DSP48E2_OUTPUTS(X) X(P, 48) X(PCOUT, 48)

enum pe_dsp_port {
#define X(n, w) PE_DSP_##n,
	PE_DSP48E2_INPUTS(X)
#undef X
	PE_DSP_N_IN
};
enum pe_dsp_out {
#define X(n, w) PE_DSP_OUT_##n,
	PE_DSP48E2_OUTPUTS(X)
#undef X
	PE_DSP_N_OUT
};

/* OPMODE = {W[8:7], Z[6:4], Y[3:2], X[1:0]} values the chain drives. */
#define PE_DSP_OPM_MUL_RESTART	0x005u	/* W=00 Z=000 Y=01 X=01: P = M */
#define PE_DSP_OPM_MUL_PCIN	0x015u	/* W=00 Z=001 Y=01 X=01: P = M + PCIN */
#define PE_DSP_OPM_MUL_PCIN_C	0x195u	/* W=11 Z=001 Y=01 X=01: P = C + M + PCIN */
#define PE_DSP_OPM_MUL_ACC	0x025u	/* W=00 Z=010 Y=01 X=01: P = M + P */
/* INMODE of the packed MAC: INMODE[0] = 1 takes A1 (AREG = 1 via A1),
 * INMODE[2] = 1 enables D, INMODE[3] = 0 adds: AD = D + A1. */
#define PE_DSP_INMODE_PACKED	0x05u

/* Xilinx's parameters of the modelled subset, by Xilinx's names. A string
 * left NULL takes Xilinx's default; parameters not listed are at Xilinx's
 * defaults. */
struct pe_dsp48e2_params {
	int AREG, BREG, ACASCREG, BCASCREG;	/* 0, 1, 2 */
	int CREG, DREG, ADREG, MREG, PREG;	/* 0, 1 */
	int INMODEREG, OPMODEREG, ALUMODEREG, CARRYINREG, CARRYINSELREG;
	const char *AMULTSEL;		/* "A" (default) | "AD" */
	const char *BMULTSEL;		/* "B" only */
	const char *PREADDINSEL;	/* "A" only */
	const char *A_INPUT, *B_INPUT;	/* "DIRECT" only */
	const char *USE_MULT;		/* "MULTIPLY" (default) | "DYNAMIC" | "NONE" */
	const char *USE_SIMD;		/* "ONE48" only */
	const char *USE_PATTERN_DETECT;	/* "NO_PATDET" only */
	const char *AUTORESET_PATDET;	/* "NO_RESET" only */
	const char *USE_WIDEXOR;	/* "FALSE" only */
	uint64_t RND;			/* 48 bits, the W = 10 constant */
	uint32_t IS_ALUMODE_INVERTED, IS_CARRYIN_INVERTED, IS_CLK_INVERTED,
		 IS_INMODE_INVERTED, IS_OPMODE_INVERTED;
};

/* The model's state: decoded parameters, then the registers. Callers read
 * it (tests, the chain) but change it only through the functions below. */
struct pe_dsp48e2 {
	uint8_t areg, breg, creg, dreg, adreg, mreg, preg;	/* effective */
	uint8_t inmodereg, opmodereg, alumodereg, carryinreg;
	bool amult_ad, mult_none;
	uint16_t inv_opmode;
	uint8_t inv_inmode, inv_alumode, inv_carryin;
	uint64_t rnd;
	/* registers (unsigned, at their port widths) */
	uint32_t a1, a2, b1, b2, d, ad;
	uint64_t c, u, v, p;		/* u, v: 45-bit partial products */
	uint16_t opmode;
	uint8_t inmode, alumode, carryin;
};

/* Xilinx's defaults (every register stage on, AMULTSEL = "A"). */
void pe_dsp48e2_params_default(struct pe_dsp48e2_params *prm);
/* The chain's packed-MAC configuration (flightllm_dsp48.md): AREG = 1 (via
 * A1), BREG = 2, DREG = ADREG = MREG = PREG = 1, AMULTSEL = "AD", CREG = 0
 * and the OPMODE/INMODE/ALUMODE/CARRYIN registers off (driven by fabric). */
void pe_dsp48e2_params_packed(struct pe_dsp48e2_params *prm);

/* Check prm against the modelled subset and set s as after a global reset
 * (every register 0). PS_EINPUT names the first parameter outside it. */
enum ps_status pe_dsp48e2_init(struct pe_dsp48e2 *s,
			       const struct pe_dsp48e2_params *prm,
			       struct ps_err *err);
void pe_dsp48e2_reset(struct pe_dsp48e2 *s);
/* One rising clock edge: in[PE_DSP_N_IN] (port order above, zero-extended
 * words), out[PE_DSP_N_OUT] the P and PCOUT after the edge (with PREG = 0
 * the combinational ALU output for these inputs). */
void pe_dsp48e2_step(struct pe_dsp48e2 *s, const uint64_t *in, uint64_t *out);

/* "dsp48e2": one DSP48E2 with the ports above, configured by init as the
 * chain's packed MAC (pe_dsp48e2_params_packed; pe_params are ignored). */
extern const struct pe_bt_ops pe_dsp48e2_bt;

#endif

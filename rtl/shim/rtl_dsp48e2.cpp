// rtl_dsp48e2.cpp - shim of rtl/flightllm/DSP48E2.v verilated with
// FlightLLM's packed-MAC parameters (rtl/meson.build), the RTL of the
// "dsp48e2" bit-true model (pe_models/flightllm/pe_dsp48e2.h). The port
// table is that model's, in its order (tests/unit/test_rtl_dsp48e2.c
// checks they agree); CARRYINSEL, ACIN and BCIN stay 0, ACOUT and BCOUT
// are not read.
#define RTL_NAME dsp48e2
#define RTL_CLASS Vdsp48e2
#define RTL_HEADER "Vdsp48e2.h"
#define RTL_TOP "DSP48E2"
#define RTL_CLOCK CLK
#define RTL_INPUTS(X)                                                         \
	X(A, 30) X(B, 18) X(C, 48) X(D, 27) X(PCIN, 48)                       \
	X(OPMODE, 9) X(INMODE, 5) X(ALUMODE, 4) X(CARRYIN, 1)                 \
	X(CEA1, 1) X(CEA2, 1) X(CEB1, 1) X(CEB2, 1) X(CEC, 1) X(CED, 1)       \
	X(CEAD, 1) X(CEM, 1) X(CEP, 1) X(CECTRL, 1) X(CEINMODE, 1)            \
	X(CEALUMODE, 1) X(CECARRYIN, 1)                                       \
	X(RSTA, 1) X(RSTB, 1) X(RSTC, 1) X(RSTD, 1) X(RSTM, 1) X(RSTP, 1)     \
	X(RSTCTRL, 1) X(RSTINMODE, 1) X(RSTALUMODE, 1) X(RSTALLCARRYIN, 1)
#define RTL_OUTPUTS(X) X(P, 48) X(PCOUT, 48)
#include "rtl_shim.inc"

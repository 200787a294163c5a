// rtl_flightllm_chain.cpp - shim of FlightLLM's CSD chain (rtl/flightllm/
// flightllm_chain.v, DEPTH = 16, WBITS = 4: configs/arch/flightllm/
// csd-2of16.yaml) with the port table of its golden C model
// "flightllm_chain" (pe_models/flightllm/pe_flightllm_chain.c), in that
// order; rst (synchronous, active high) is the table's set_reset. A build
// variant (other -G parameters, a -D MUTANT_*) is a file that defines
// RTL_NAME, RTL_CLASS and RTL_HEADER and includes this one.
#ifndef RTL_NAME
#define RTL_NAME flightllm_chain
#define RTL_CLASS Vflightllm_chain
#define RTL_HEADER "Vflightllm_chain.h"
#endif
#define RTL_TOP "flightllm_chain"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X)                                                         \
	X(in_valid, 1)                                                        \
	X(act_0, 64) X(act_1, 64) X(act_2, 64) X(act_3, 64)                   \
	X(w_0, 64) X(w_1, 64) X(w_2, 64) X(w_3, 64)                           \
	X(idx_0, 64) X(idx_1, 64)                                             \
	X(rn_brk, 16)
#define RTL_OUTPUTS(X)                                                        \
	X(y_0, 64) X(y_1, 64) X(y_2, 64) X(y_3, 64)                           \
	X(y_4, 64) X(y_5, 64) X(y_6, 64) X(y_7, 64)                           \
	X(y_8, 64) X(y_9, 64) X(y_10, 64) X(y_11, 64)                         \
	X(y_12, 64) X(y_13, 64) X(y_14, 64) X(y_15, 64)                       \
	X(out_valid, 16)
#include "rtl_shim.inc"

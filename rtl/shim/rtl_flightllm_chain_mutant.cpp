// rtl_flightllm_chain_mutant.cpp - flightllm_chain.v (DEPTH = 16,
// WBITS = 4) built with -DMUTANT_NO_P17: the reduction nodes drop the
// + P[17] sign correction of the high lane. Wrong on purpose, `pesim verify
// --mutant` must catch it.
#define RTL_NAME flightllm_chain_mutant
#define RTL_CLASS Vflightllm_chain_mutant
#define RTL_HEADER "Vflightllm_chain_mutant.h"
#include "rtl_flightllm_chain.cpp"

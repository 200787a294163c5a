// rtl_flightllm_chain_d32_mutant.cpp - flightllm_chain.v (DEPTH = 32,
// WBITS = 8) built with -DMUTANT_NO_OAU: no overflow adjust unit, so a
// group's low lane sums up to 32 products and wraps. Wrong on purpose,
// `pesim verify --mutant` must catch it.
#define RTL_NAME flightllm_chain_d32_mutant
#define RTL_CLASS Vflightllm_chain_d32_mutant
#define RTL_HEADER "Vflightllm_chain_d32_mutant.h"
#include "rtl_flightllm_chain.cpp"

// rtl_flightllm_chain_d8_mutant.cpp - flightllm_chain.v (DEPTH = 8,
// WBITS = 8) built with -DMUTANT_SMUX_IDX3: the sparse MUX drops index
// bit 3 (an 8:1 MUX). Wrong on purpose, `pesim verify --mutant` must catch it.
#define RTL_NAME flightllm_chain_d8_mutant
#define RTL_CLASS Vflightllm_chain_d8_mutant
#define RTL_HEADER "Vflightllm_chain_d8_mutant.h"
#include "rtl_flightllm_chain.cpp"

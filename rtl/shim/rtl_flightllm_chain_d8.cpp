// rtl_flightllm_chain_d8.cpp - flightllm_chain.v with DEPTH = 8, WBITS = 8
// (no overflow adjust unit: the paper skips it for chains of <= 8 DSPs).
#define RTL_NAME flightllm_chain_d8
#define RTL_CLASS Vflightllm_chain_d8
#define RTL_HEADER "Vflightllm_chain_d8.h"
#include "rtl_flightllm_chain.cpp"

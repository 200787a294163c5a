// rtl_flightllm_chain_d32.cpp - flightllm_chain.v with DEPTH = 32,
// WBITS = 8: the overflow adjust unit at DSPs 8, 16 and 24, full-range
// INT8 weights, so low lanes reach their 18-bit bound.
#define RTL_NAME flightllm_chain_d32
#define RTL_CLASS Vflightllm_chain_d32
#define RTL_HEADER "Vflightllm_chain_d32.h"
#include "rtl_flightllm_chain.cpp"

// rtl_pe_int8_mac_mutant.cpp - pe_int8_mac built with -DMUTANT_INT8_ACC16
// (a 16-bit accumulator; wrong on purpose, the lockstep check must fail
// on it).
#define RTL_NAME pe_int8_mac_mutant
#define RTL_CLASS Vpe_int8_mac_mutant
#define RTL_HEADER "Vpe_int8_mac_mutant.h"
#include "rtl_pe_int8_mac.cpp"

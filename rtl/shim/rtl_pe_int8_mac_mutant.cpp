// rtl_pe_int8_mac_mutant.cpp - pe_int8_mac.v built with -DMUTANT_INT8_ACC16
// (a 16-bit accumulator, sign-extended onto out_acc): wrong on purpose,
// `pesim verify --mutant` must catch it.
#define RTL_NAME pe_int8_mac_mutant
#define RTL_CLASS Vpe_int8_mac_mutant
#define RTL_HEADER "Vpe_int8_mac_mutant.h"
#include "rtl_pe_int8_mac.cpp"

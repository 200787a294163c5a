// rtl_pe_fp16_mac_mutant.cpp - pe_fp16_mac.v built with -DMUTANT_FP16_FTZ
// (subnormal operands, products and sums flushed to a signed zero):
// wrong on purpose, `pesim verify --mutant` must catch it.
#define RTL_NAME pe_fp16_mac_mutant
#define RTL_CLASS Vpe_fp16_mac_mutant
#define RTL_HEADER "Vpe_fp16_mac_mutant.h"
#include "rtl_pe_fp16_mac.cpp"

// rtl_pe_fp16_mac_mutant.cpp - pe_fp16_mac built with -DMUTANT_FP16_FTZ
// (subnormals flushed to zero; wrong on purpose, the lockstep check must
// fail on it).
#define RTL_NAME pe_fp16_mac_mutant
#define RTL_CLASS Vpe_fp16_mac_mutant
#define RTL_HEADER "Vpe_fp16_mac_mutant.h"
#include "rtl_pe_fp16_mac.cpp"

// rtl_mixpe_array_w4a16_mutant.cpp - mixpe_array.v W4A16 built with
// -DMUTANT_NO_ZERO_TERM (every PE drops z x sum a): wrong on purpose,
// `pesim verify --pe mixpe_array_w4a16 --mutant` must catch it.
#define RTL_NAME mixpe_array_w4a16_mutant
#define RTL_CLASS Vmixpe_array_w4a16_mutant
#define RTL_HEADER "Vmixpe_array_w4a16_mutant.h"
#include "rtl_mixpe_array.cpp"

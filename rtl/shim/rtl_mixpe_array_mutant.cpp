// rtl_mixpe_array_mutant.cpp - mixpe_array.v W4A8 built with
// -DMUTANT_MSB_POS (every PE adds the weight's MSB copy): wrong on
// purpose, `pesim verify --pe mixpe_array --mutant` must catch it.
#define RTL_NAME mixpe_array_mutant
#define RTL_CLASS Vmixpe_array_mutant
#define RTL_HEADER "Vmixpe_array_mutant.h"
#include "rtl_mixpe_array.cpp"

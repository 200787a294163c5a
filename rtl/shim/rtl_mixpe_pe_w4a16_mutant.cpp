// rtl_mixpe_pe_w4a16_mutant.cpp - mixpe_pe.v W4A16 built with
// -DMUTANT_MSB_POS (the weight's MSB copy added, not subtracted): wrong on
// purpose, `pesim verify --pe mixpe_w4a16 --mutant` must catch it.
#define RTL_NAME mixpe_pe_w4a16_mutant
#define RTL_CLASS Vmixpe_pe_w4a16_mutant
#define RTL_HEADER "Vmixpe_pe_w4a16_mutant.h"
#include "rtl_mixpe_pe.cpp"

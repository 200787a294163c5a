// rtl_mixpe_pe_mutant.cpp - mixpe_pe.v W4A8 built with
// -DMUTANT_NO_ZERO_TERM (the dequantizer drops z x sum a): wrong on
// purpose, `pesim verify --pe mixpe --mutant` must catch it.
#define RTL_NAME mixpe_pe_mutant
#define RTL_CLASS Vmixpe_pe_mutant
#define RTL_HEADER "Vmixpe_pe_mutant.h"
#include "rtl_mixpe_pe.cpp"

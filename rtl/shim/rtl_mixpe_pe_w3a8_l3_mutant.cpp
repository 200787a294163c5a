// rtl_mixpe_pe_w3a8_l3_mutant.cpp - the W3A8 3-lane PE built with
// -DMUTANT_MSB_POS: wrong on purpose, --mutant must catch it.
#define RTL_NAME mixpe_pe_w3a8_l3_mutant
#define RTL_CLASS Vmixpe_pe_w3a8_l3_mutant
#define RTL_HEADER "Vmixpe_pe_w3a8_l3_mutant.h"
#include "rtl_mixpe_pe.cpp"

// rtl_mixpe_pe_w2a16_l4_mutant.cpp - the W2A16 4-lane PE built with
// -DMUTANT_NO_ZERO_TERM: wrong on purpose, --mutant must catch it.
#define RTL_NAME mixpe_pe_w2a16_l4_mutant
#define RTL_CLASS Vmixpe_pe_w2a16_l4_mutant
#define RTL_HEADER "Vmixpe_pe_w2a16_l4_mutant.h"
#include "rtl_mixpe_pe.cpp"

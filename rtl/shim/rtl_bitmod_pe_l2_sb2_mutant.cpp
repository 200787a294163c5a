// rtl_bitmod_pe_l2_sb2_mutant.cpp - the narrow PE built with
// -DMUTANT_DQ_NOCLEAR (the dequantizer keeps its accumulator on start: the
// authors' dequant.v bug): wrong on purpose, `pesim verify --mutant` must
// catch it.
#define RTL_NAME bitmod_pe_l2_sb2_mutant
#define RTL_CLASS Vbitmod_pe_l2_sb2_mutant
#define RTL_HEADER "Vbitmod_pe_l2_sb2_mutant.h"
#include "rtl_bitmod_pe.cpp"

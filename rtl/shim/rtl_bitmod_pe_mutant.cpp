// rtl_bitmod_pe_mutant.cpp - bitmod_pe.v built with -DMUTANT_GRP_NOALIGN
// (the group accumulator adds the tree sum unaligned when its own exponent
// is the larger one: the authors' grp_accum.v bug): wrong on purpose,
// `pesim verify --mutant` must catch it.
#define RTL_NAME bitmod_pe_mutant
#define RTL_CLASS Vbitmod_pe_mutant
#define RTL_HEADER "Vbitmod_pe_mutant.h"
#include "rtl_bitmod_pe.cpp"

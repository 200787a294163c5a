// rtl_bitmod_array4x4_l2_sb2_mutant.cpp - the narrow array built with
// -DMUTANT_NO_COLLIDE (a shadow-chain collision, which loses a result, is
// not flagged): wrong on purpose, `pesim verify --mutant` must catch it.
#define RTL_NAME bitmod_array4x4_l2_sb2_mutant
#define RTL_CLASS Vbitmod_array4x4_l2_sb2_mutant
#define RTL_HEADER "Vbitmod_array4x4_l2_sb2_mutant.h"
#include "rtl_bitmod_array4x4.cpp"

// rtl_bitmod_array4x4_mutant.cpp - bitmod_array4x4.v built with
// -DMUTANT_EDGE_RTZ (the rows' channel-scale units truncate instead of
// rounding to nearest-even): wrong on purpose, `pesim verify --mutant`
// must catch it.
#define RTL_NAME bitmod_array4x4_mutant
#define RTL_CLASS Vbitmod_array4x4_mutant
#define RTL_HEADER "Vbitmod_array4x4_mutant.h"
#include "rtl_bitmod_array4x4.cpp"

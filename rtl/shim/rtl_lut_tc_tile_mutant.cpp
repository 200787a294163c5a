// rtl_lut_tc_tile_mutant.cpp - lut_tc_tile.v built with
// -DMUTANT_TILE_EXP_NORENORM (the bit position is added to a subnormal
// table entry's exponent field without renormalizing): wrong on purpose,
// `pesim verify --pe lut_tc --mutant` must catch it.
#define RTL_NAME lut_tc_tile_mutant
#define RTL_CLASS Vlut_tc_tile_mutant
#define RTL_HEADER "Vlut_tc_tile_mutant.h"
#include "rtl_lut_tc_tile.cpp"

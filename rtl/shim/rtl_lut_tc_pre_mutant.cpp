// rtl_lut_tc_pre_mutant.cpp - lut_tc_precompute.v built with
// -DMUTANT_PRE_TIE_AWAY (INT8 table codes round their ties away from zero
// instead of to even): wrong on purpose, `pesim verify --pe lut_tc_pre
// --mutant` must catch it.
#define RTL_NAME lut_tc_pre_mutant
#define RTL_CLASS Vlut_tc_pre_mutant
#define RTL_HEADER "Vlut_tc_pre_mutant.h"
#include "rtl_lut_tc_pre.cpp"

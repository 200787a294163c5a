// rtl_fp16_add_mutant.cpp - shim of fp16_add.v built with MUTANT_TIE_AWAY
// (ties away from zero): the broken model the cross-check must catch.
#define RTL_NAME fp16_add_mutant
#define RTL_CLASS Vfp16_add_mutant
#define RTL_HEADER "Vfp16_add_mutant.h"
#define RTL_TOP "fp16_add"
#define RTL_INPUTS(X) X(a, 16) X(b, 16)
#define RTL_OUTPUTS(X) X(y, 16)
#include "rtl_shim.inc"

// rtl_fp16_mul.cpp - shim of the IEEE binary16 multiplier (rtl/common/fp16_mul.v).
#define RTL_NAME fp16_mul
#define RTL_CLASS Vfp16_mul
#define RTL_HEADER "Vfp16_mul.h"
#define RTL_TOP "fp16_mul"
#define RTL_INPUTS(X) X(a, 16) X(b, 16)
#define RTL_OUTPUTS(X) X(y, 16)
#include "rtl_shim.inc"

// rtl_fp16_add.cpp - shim of the IEEE binary16 adder (rtl/common/fp16_add.v).
#define RTL_NAME fp16_add
#define RTL_CLASS Vfp16_add
#define RTL_HEADER "Vfp16_add.h"
#define RTL_TOP "fp16_add"
#define RTL_INPUTS(X) X(a, 16) X(b, 16)
#define RTL_OUTPUTS(X) X(y, 16)
#include "rtl_shim.inc"

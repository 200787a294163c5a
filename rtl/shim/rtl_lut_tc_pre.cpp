// rtl_lut_tc_pre.cpp - shim of the LUT Tensor Core table precompute unit
// (rtl/lut_tc/lut_tc_precompute.v) with the port table of its golden C
// model "lut_tc_precompute" (pe_models/lut_tc/pe_lut_tc_pre.c), in that
// order; rst (synchronous, active high) is the table's set_reset. A build
// variant (a -D MUTANT_*) is a file that defines RTL_NAME, RTL_CLASS and
// RTL_HEADER and includes this one.
#ifndef RTL_NAME
#define RTL_NAME lut_tc_pre
#define RTL_CLASS Vlut_tc_pre
#define RTL_HEADER "Vlut_tc_pre.h"
#endif
#define RTL_TOP "lut_tc_precompute"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X) X(in_valid, 1) X(in_int8, 1) X(act, 64)
#define RTL_OUTPUTS(X) X(out_valid, 1) X(tbl_0, 64) X(tbl_1, 64) X(scale, 16) \
	X(asum, 16)
#include "rtl_shim.inc"

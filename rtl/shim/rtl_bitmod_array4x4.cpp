// rtl_bitmod_array4x4.cpp - shim of the 4x4 BitMoD array (rtl/bitmod/
// bitmod_array4x4.v) with the port table of its golden C model
// "bitmod_array4x4" (pe_models/bitmod/pe_bitmod_array.c), in that order;
// rst (synchronous, active high) is the table's set_reset. A build variant
// (a -D MUTANT_*) is a file that defines RTL_NAME, RTL_CLASS and
// RTL_HEADER and includes this one.
#ifndef RTL_NAME
#define RTL_NAME bitmod_array4x4
#define RTL_CLASS Vbitmod_array4x4
#define RTL_HEADER "Vbitmod_array4x4.h"
#endif
#define RTL_TOP "bitmod_array4x4"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_ROW(X, r) X(w_ctl_##r, 11) X(w_code_##r, 32) X(w_scale_##r, 8) \
	X(w_cscale_##r, 16)
#define RTL_INPUTS(X) RTL_ROW(X, 0) RTL_ROW(X, 1) RTL_ROW(X, 2) RTL_ROW(X, 3) \
	X(a_0, 64) X(a_1, 64) X(a_2, 64) X(a_3, 64)
#define RTL_YROW(X, r) X(y_valid_##r, 1) X(y_##r, 16) X(y_col_##r, 2)
#define RTL_OUTPUTS(X) RTL_YROW(X, 0) RTL_YROW(X, 1) RTL_YROW(X, 2) \
	RTL_YROW(X, 3) X(err, 1)
#include "rtl_shim.inc"

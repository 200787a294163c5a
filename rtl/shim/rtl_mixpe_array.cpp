// rtl_mixpe_array.cpp - shim of the 4x4 MixPE array (rtl/mixpe/
// mixpe_array.v) with the port table of its golden C model "mixpe_array"
// (pe_models/mixpe/pe_mixpe_array.c), in that order; rst (synchronous,
// active high) is the table's set_reset. This build: W4A8 (-GWBITS=4
// -GFP16=0 -GLANES=2 -GGROUP=128). Variants as in rtl_mixpe_pe.cpp.
#ifndef RTL_NAME
#define RTL_NAME mixpe_array
#define RTL_CLASS Vmixpe_array
#define RTL_HEADER "Vmixpe_array.h"
#endif
#define RTL_TOP "mixpe_array"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X)                                                          \
	X(in_valid, 4) X(in_first, 4) X(in_glast, 4) X(in_last, 4)             \
	X(w_in, 64) X(scale_in, 64) X(zero_in, 32)                             \
	X(a_in_0, 64) X(a_in_1, 64) X(a_in_2, 64) X(a_in_3, 64)
#define RTL_OUTPUTS(X) X(out_valid, 4) X(out_data, 64)
#include "rtl_shim.inc"

// rtl_mixpe_pe.cpp - shim of the MixPE PE (rtl/mixpe/mixpe_pe.v) with the
// port table of its golden C model "mixpe_pe" (pe_models/mixpe/
// pe_mixpe_pe.c), in that order; rst (synchronous, active high) is the
// table's set_reset. This build: W4A8 (-GWBITS=4 -GFP16=0 -GLANES=2
// -GGROUP=128, rtl/mixpe/meson.build). A build variant (other -G, a
// -D MUTANT_*) is a file that defines RTL_NAME, RTL_CLASS and RTL_HEADER
// and includes this one.
#ifndef RTL_NAME
#define RTL_NAME mixpe_pe
#define RTL_CLASS Vmixpe_pe
#define RTL_HEADER "Vmixpe_pe.h"
#endif
#define RTL_TOP "mixpe_pe"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X)                                                          \
	X(in_valid, 1) X(in_first, 1) X(in_glast, 1) X(in_last, 1)             \
	X(a_in, 64) X(w_in, 16) X(scale_in, 16) X(zero_in, 8)                  \
	X(sh_start, 1) X(sh_valid_in, 1) X(sh_drain_in, 1) X(sh_in, 16)
#define RTL_OUTPUTS(X)                                                         \
	X(valid_out, 1) X(first_out, 1) X(glast_out, 1) X(last_out, 1)         \
	X(a_out, 64) X(w_out, 16) X(scale_out, 16) X(zero_out, 8)              \
	X(done, 1) X(res_valid, 1) X(res_drain, 1) X(res, 16)
#include "rtl_shim.inc"

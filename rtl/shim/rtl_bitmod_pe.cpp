// rtl_bitmod_pe.cpp - shim of the BitMoD PE (rtl/bitmod/bitmod_pe.v) with
// the port table of its golden C model "bitmod_pe" (pe_models/bitmod/
// pe_bitmod_pe.c), in that order; rst (synchronous, active high) is the
// table's set_reset. A build variant (a -D MUTANT_*) is a file that
// defines RTL_NAME, RTL_CLASS and RTL_HEADER and includes this one.
#ifndef RTL_NAME
#define RTL_NAME bitmod_pe
#define RTL_CLASS Vbitmod_pe
#define RTL_HEADER "Vbitmod_pe.h"
#endif
#define RTL_TOP "bitmod_pe"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X) X(in_valid, 1) X(in_first, 1) X(in_last, 1) \
	X(in_olast, 1) X(w_bitpos, 3) X(w_term, 16) X(w_scale, 8) X(a, 64)
#define RTL_OUTPUTS(X) X(out_valid, 1) X(out_man, 32) X(out_exp, 8) \
	X(out_nan, 1) X(err, 1)
#include "rtl_shim.inc"

// rtl_pe_int8_mac.cpp - shim of the INT8 MAC baseline PE (rtl/baseline/
// pe_int8_mac.v) with the port table of its golden C model "int8_mac"
// (pe_models/baseline/pe_int8_mac_bt.c), in that order; rst (synchronous,
// active high) is the table's set_reset. A build variant (a -D MUTANT_*)
// is a file that defines RTL_NAME, RTL_CLASS and RTL_HEADER and includes
// this one.
#ifndef RTL_NAME
#define RTL_NAME pe_int8_mac
#define RTL_CLASS Vpe_int8_mac
#define RTL_HEADER "Vpe_int8_mac.h"
#endif
#define RTL_TOP "pe_int8_mac"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X) X(in_valid, 1) X(in_last, 1) X(a, 8) X(w, 8)
#define RTL_OUTPUTS(X) X(out_valid, 1) X(out_acc, 32)
#include "rtl_shim.inc"

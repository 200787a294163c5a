// rtl_pe_ant_mac.cpp - shim of the ANT baseline PE (rtl/baseline/
// pe_ant_mac.v) with the port table of its golden C model "ant_mac"
// (pe_models/baseline/pe_ant_bt.c), in that order; rst (synchronous,
// active high) is the table's set_reset. A build variant (a -D MUTANT_*)
// is a file that defines RTL_NAME, RTL_CLASS and RTL_HEADER and includes
// this one.
#ifndef RTL_NAME
#define RTL_NAME pe_ant_mac
#define RTL_CLASS Vpe_ant_mac
#define RTL_HEADER "Vpe_ant_mac.h"
#endif
#define RTL_TOP "pe_ant_mac"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X) X(in_valid, 1) X(in_last, 1) X(w_fmt, 1) X(a, 16) X(w, 4)
#define RTL_OUTPUTS(X) X(out_valid, 1) X(out_acc, 16)
#include "rtl_shim.inc"

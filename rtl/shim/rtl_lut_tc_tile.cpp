// rtl_lut_tc_tile.cpp - shim of the LUT Tensor Core M2N64K4 tile (rtl/lut_tc/
// lut_tc_tile.v) with the port table of its golden C model "lut_tc_tile"
// (pe_models/lut_tc/pe_lut_tc_tile.c), in that order; rst (synchronous,
// active high) is the table's set_reset. A build variant (a -D MUTANT_*)
// is a file that defines RTL_NAME, RTL_CLASS and RTL_HEADER and includes
// this one.
#ifndef RTL_NAME
#define RTL_NAME lut_tc_tile
#define RTL_CLASS Vlut_tc_tile
#define RTL_HEADER "Vlut_tc_tile.h"
#endif
#define RTL_TOP "lut_tc_tile"
#define RTL_CLOCK clk
#define RTL_RESET rst
#define RTL_INPUTS(X) X(in_valid, 1) X(in_clr, 1) X(in_clast, 1) X(in_last, 1) \
	X(in_int8, 1) X(in_bitpos, 3) \
	X(tbl_0, 64) X(tbl_1, 64) X(tbl_2, 64) X(tbl_3, 64) X(tscale, 32) \
	X(w_0, 64) X(w_1, 64) X(w_2, 64) X(w_3, 64) X(rd_addr, 5)
#define RTL_OUTPUTS(X) X(rd_data, 64) X(seg_done, 1)
#include "rtl_shim.inc"

// rtl_pe_int8_mac.cpp - shim of the INT8 MAC baseline PE (rtl/baseline/
// pe_int8_mac.v), the ports of the C golden model "int8_mac"
// (pe_models/baseline/pe_int8_mac_bt.c) in its order (rtl/shim/
// rtl_model.h). A build variant (a -D MUTANT_*) is a file that defines
// RTL_NAME, RTL_CLASS and RTL_HEADER and includes this one.
#ifndef RTL_NAME
#define RTL_NAME pe_int8_mac
#define RTL_CLASS Vpe_int8_mac
#define RTL_HEADER "Vpe_int8_mac.h"
#endif
#define RTL_TOP "pe_int8_mac"
#define RTL_CLOCK clk
#define RTL_INPUTS(X) X(in_valid, 1) X(in_last, 1) X(a, 8) X(w, 8)
#define RTL_OUTPUTS(X) X(out_valid, 1) X(out_acc, 32)
#include "rtl_shim.inc"

// The synchronous reset: not a port of the C model (whose reset() is a
// function), so outside the port table; the shim otherwise leaves it 0.
extern "C" void RTL_FN(_set_rst)(struct rtl_model *m, int rst)
{
	m->top.rst = rst ? 1 : 0;
}

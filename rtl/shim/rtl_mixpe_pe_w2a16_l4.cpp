// rtl_mixpe_pe_w2a16_l4.cpp - mixpe_pe.v built as W2A16 with 4 lanes and
// groups of 8 (-GWBITS=2 -GFP16=1 -GLANES=4 -GGROUP=8).
#define RTL_NAME mixpe_pe_w2a16_l4
#define RTL_CLASS Vmixpe_pe_w2a16_l4
#define RTL_HEADER "Vmixpe_pe_w2a16_l4.h"
#include "rtl_mixpe_pe.cpp"

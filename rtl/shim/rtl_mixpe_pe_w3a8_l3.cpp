// rtl_mixpe_pe_w3a8_l3.cpp - mixpe_pe.v built as W3A8 with 3 lanes and
// groups of 6 (-GWBITS=3 -GFP16=0 -GLANES=3 -GGROUP=6).
#define RTL_NAME mixpe_pe_w3a8_l3
#define RTL_CLASS Vmixpe_pe_w3a8_l3
#define RTL_HEADER "Vmixpe_pe_w3a8_l3.h"
#include "rtl_mixpe_pe.cpp"

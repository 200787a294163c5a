// rtl_mixpe_pe_w4a16.cpp - mixpe_pe.v built for W4A16 (-GFP16=1: FP16
// activations; WBITS 4, LANES 2, GROUP 128).
#define RTL_NAME mixpe_pe_w4a16
#define RTL_CLASS Vmixpe_pe_w4a16
#define RTL_HEADER "Vmixpe_pe_w4a16.h"
#include "rtl_mixpe_pe.cpp"

// rtl_mixpe_array_w4a16.cpp - mixpe_array.v built for W4A16 (-GFP16=1:
// FP16 activations; WBITS 4, LANES 2, GROUP 128).
#define RTL_NAME mixpe_array_w4a16
#define RTL_CLASS Vmixpe_array_w4a16
#define RTL_HEADER "Vmixpe_array_w4a16.h"
#include "rtl_mixpe_array.cpp"

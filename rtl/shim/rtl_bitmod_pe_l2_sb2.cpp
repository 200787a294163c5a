// rtl_bitmod_pe_l2_sb2.cpp - bitmod_pe built with 2 lanes and 2-bit
// group scales (rtl/bitmod/meson.build: the narrow variant).
#define RTL_NAME bitmod_pe_l2_sb2
#define RTL_CLASS Vbitmod_pe_l2_sb2
#define RTL_HEADER "Vbitmod_pe_l2_sb2.h"
#include "rtl_bitmod_pe.cpp"

// rtl_bitmod_array4x4_l2_sb2.cpp - bitmod_array4x4 built with 2 lanes and
// 2-bit group scales (rtl/bitmod/meson.build: the narrow variant).
#define RTL_NAME bitmod_array4x4_l2_sb2
#define RTL_CLASS Vbitmod_array4x4_l2_sb2
#define RTL_HEADER "Vbitmod_array4x4_l2_sb2.h"
#include "rtl_bitmod_array4x4.cpp"

// rtl_pe_ant_mac_mutant.cpp - pe_ant_mac.v built with -DMUTANT_ANT_FLINT_16
// (flint4's +-16 decodes to 0): wrong on purpose, `pesim verify --mutant`
// must catch it.
#define RTL_NAME pe_ant_mac_mutant
#define RTL_CLASS Vpe_ant_mac_mutant
#define RTL_HEADER "Vpe_ant_mac_mutant.h"
#include "rtl_pe_ant_mac.cpp"

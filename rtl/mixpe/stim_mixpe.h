/* stim_mixpe.h - the MixPE stimulus generators (struct rtl_stim_ops,
 * rtl_verify.h): the PE "mixpe_pe" and the 4x4 array "mixpe_array", any
 * configuration pe_mixpe_cfg_from_params accepts. Used by `pesim verify`
 * (rtl_mixpe.c) and by the SystemC array (rtl/systemc/), which drives
 * the array's ports with mixpe_array_stim. What the corners and random
 * segments are: stim_mixpe.c and README.md "Stimulus". */
#ifndef STIM_MIXPE_H
#define STIM_MIXPE_H

#include "rtl_verify.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const struct rtl_stim_ops mixpe_pe_stim;	/* "mixpe_pe" ports */
extern const struct rtl_stim_ops mixpe_array_stim;	/* "mixpe_array" ports */

#ifdef __cplusplus
}
#endif

#endif

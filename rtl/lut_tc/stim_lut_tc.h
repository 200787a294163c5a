/* stim_lut_tc.h - `pesim verify` stimulus of the LUT Tensor Core RTL
 * (struct rtl_stim_ops, rtl_verify.h; stim_lut_tc.c), for rtl_lut_tc.c's
 * verify table. */
#ifndef STIM_LUT_TC_H
#define STIM_LUT_TC_H

#include "rtl_verify.h"

extern const struct rtl_stim_ops lut_tc_tile_stim;	/* lut_tc_tile ports */
extern const struct rtl_stim_ops lut_tc_pre_stim;	/* lut_tc_precompute ports */

#endif

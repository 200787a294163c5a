/* stim_baseline.h - `pesim verify` stimulus of the baseline PEs
 * (struct rtl_stim_ops, rtl_verify.h), for rtl_baseline.c's verify
 * tables: the FP16 and INT8 MACs (stim_baseline.c, by the params' a_bits)
 * and the ANT PE (stim_ant.c). */
#ifndef STIM_BASELINE_H
#define STIM_BASELINE_H

#include "rtl_verify.h"

extern const struct rtl_stim_ops baseline_mac_stim;	/* fp16_mac, int8_mac ports */
extern const struct rtl_stim_ops ant_mac_stim;		/* ant_mac ports */

#endif

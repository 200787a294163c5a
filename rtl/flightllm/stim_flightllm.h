/* stim_flightllm.h - `pesim verify` stimulus of FlightLLM's CSD chain
 * (struct rtl_stim_ops, rtl_verify.h; stim_flightllm.c), for
 * rtl_flightllm.c's verify table: any depth and weight width the params
 * give (lanes, weight_bits). */
#ifndef STIM_FLIGHTLLM_H
#define STIM_FLIGHTLLM_H

#include "rtl_verify.h"

extern const struct rtl_stim_ops flightllm_chain_stim;	/* flightllm_chain ports */

#endif

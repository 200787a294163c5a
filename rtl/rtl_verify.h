/* rtl_verify.h - a PE's golden C model (pe_bt.h) and its Verilated RTL
 * (rtl/shim/rtl_model.h) in lockstep: `pesim verify`.
 *
 * Both get the same input vector on every rising edge; every output port
 * of both is compared after every edge. Stimulus: edge 0 resets; then
 * directed corners, two beats per dot (FP16: every special as accumulator,
 * then every special pair as a x w, 27,648 edges; INT8: -128 x -128, then
 * every (a, w) pair, 131,072 edges); then `random` edges: dots of random
 * length and operand regime (FP16 subnormal/huge/special operands, INT8
 * -128/127/-127 often), bubbles with garbage on the ignored inputs,
 * stretches of fully random in_valid/in_last/data, rare resets, for INT8
 * one dot of 2^17 products -128 x -128 (wraps to INT32_MIN).
 *
 * The run stops a few edges after the first mismatch; the edges around it
 * go to a VCD written from the recorded ports (inputs, the RTL's outputs,
 * the model's as <port>_expected, a mismatch flag): no traced Verilated
 * build is needed.
 *
 * Built only with the meson feature -Drtl (PESIM_RTL is then defined for
 * users of rtl_verify_dep). */
#ifndef RTL_VERIFY_H
#define RTL_VERIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ps_status.h"
#include "rtl_model.h"

/* A PE with RTL: its golden model (pe_bt_find name) and two Verilated
 * builds, the real one and the mutant (wrong on purpose). */
struct rtl_verify_pe {
	const char *name;			/* "fp16_mac", "int8_mac" */
	const struct rtl_model_ops *rtl;
	const struct rtl_model_ops *mutant;
	const char *mutant_define;		/* "MUTANT_FP16_FTZ", ... */
};

/* NULL-name terminated. */
extern const struct rtl_verify_pe rtl_verify_pes[];
const struct rtl_verify_pe *rtl_verify_find(const char *name);

struct rtl_verify_opts {
	const char *pe;		/* a name of rtl_verify_pes */
	bool mutant;		/* verify the mutant build instead */
	uint64_t random;	/* random edges after the reset and corners */
	uint64_t seed;
	const char *vcd_path;	/* VCD of the edges around the first
				 * mismatch; NULL: none */
	unsigned window;	/* edges before the mismatch in the VCD, and
				 * the run goes on window / 4 + 1 after it;
				 * 0 means 32 */
	FILE *log;		/* the mismatch report; NULL: silent */
};

struct rtl_verify_result {
	uint64_t cycles;	/* rising edges compared */
	uint64_t values;	/* output port values compared */
	uint64_t corner_edges, random_edges;
	uint64_t beats, resets, results;	/* in_valid edges, rst edges,
						 * out_valid pulses */
	/* the first mismatch (mismatch false: none) */
	bool mismatch;
	uint64_t cycle;		/* 0-based rising edge */
	const char *port;
	uint64_t expected, actual;
	/* the VCD: written, and the edges it covers */
	bool vcd_written;
	uint64_t vcd_first, vcd_last;
};

/* PS_OK: no mismatch. PS_ECHECK: a mismatch (err says where; the report
 * with the inputs of the last edges went to opts->log, the VCD to
 * opts->vcd_path). PS_EINPUT: unknown PE or port tables that differ;
 * PS_EIO: the VCD could not be written (the result still holds the
 * mismatch); PS_ENOMEM. */
enum ps_status rtl_verify(const struct rtl_verify_opts *opts,
			  struct rtl_verify_result *res, struct ps_err *err);

#endif

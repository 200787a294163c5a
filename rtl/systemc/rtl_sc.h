/* rtl_sc.h - the SystemC co-simulation of the 4x4 MixPE array
 * (rtl/systemc/, README.md there): a top sc_module wired as
 * rtl/mixpe/mixpe_array.v / pe_models/mixpe/pe_mixpe_array.c whose 16 PEs
 * are each either the Verilated RTL of mixpe_pe (verilator --sc) or an
 * sc_module around the golden C model "mixpe_pe", chosen by a mask; its
 * outputs are compared every cycle with the golden C array "mixpe_array"
 * stepped alongside, on mixpe_array_stim (rtl/mixpe/stim_mixpe.c).
 *
 * One configuration: W4A8 (WBITS 4, INT8 activations, LANES 2, GROUP 128,
 * = `pesim verify --pe mixpe_array`'s). SystemC elaborates once per
 * process: rtl_sc_verify runs once; a second call is PS_EINPUT.
 *
 * C API (extern "C"), built with -Drtl when the systemc pkg-config
 * package is found (meson dependency rtl_sc_dep; PESIM_RTL_SC is then
 * defined for its users). */
#ifndef RTL_SC_H
#define RTL_SC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "ps_status.h"	/* a C header without its own guards */

#define RTL_SC_PES 16		/* PE (r, c) is bit 4 r + c of a mask */

struct rtl_sc_opts {
	uint16_t rtl_pes;	/* bit 4r+c set: PE (r,c) is the Verilated RTL,
				 * else the C model's sc_module */
	bool mutant;		/* the highest-numbered RTL PE is the mutant
				 * build (MUTANT_NO_ZERO_TERM): must mismatch */
	uint64_t random;	/* random edges after the reset and corners */
	uint64_t seed;
	FILE *log;		/* configuration line and the mismatch report;
				 * NULL: silent */
};

struct rtl_sc_result {
	uint64_t cycles;	/* rising edges compared */
	uint64_t values;	/* output port values compared (2 per edge) */
	uint64_t corner_edges, random_edges;
	uint64_t beats;		/* edges with some in_valid bit set */
	uint64_t resets;	/* edges with rst */
	uint64_t results;	/* out_valid bits seen (results leaving) */
	unsigned rtl_count;	/* RTL PEs in the array */
	int mutant_pe;		/* 4r+c of the mutant PE, -1: none */
	/* the first mismatch (mismatch false: none); the run stops there */
	bool mismatch;
	uint64_t cycle;		/* 0-based rising edge */
	const char *port;	/* "out_valid" or "out_data" */
	uint64_t expected, actual;
};

/* Elaborate the array (RTL where o->rtl_pes has a bit), then run one
 * reset edge, mixpe_array_stim's corners and o->random random edges
 * (seed o->seed), comparing out_valid and out_data with the golden
 * "mixpe_array" after every edge. PS_OK: no mismatch. PS_ECHECK: a
 * mismatch (r and err say where; the report went to o->log). PS_EINPUT:
 * a second call in this process (SystemC elaborates once), a mutant
 * without RTL PEs, or port tables that differ; PS_ENOMEM. */
enum ps_status rtl_sc_verify(const struct rtl_sc_opts *o, struct rtl_sc_result *r,
			     struct ps_err *err);

/* Whether rtl_sc_verify has elaborated the array in this process. */
bool rtl_sc_elaborated(void);

#ifdef __cplusplus
}
#endif

#endif

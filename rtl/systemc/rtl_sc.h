/* rtl_sc.h - SystemC co-simulation of the PE families' arrays (rtl/systemc/,
 * README.md there): each family's array as a SystemC top whose PEs are each
 * either the Verilated RTL of the PE (verilator --sc) or the PE's golden C
 * model (pe_bt.h) in an sc_module, chosen PE by PE; the top's outputs are
 * compared after every rising edge with the family's golden C array model
 * stepped alongside on the family's `pesim verify` stimulus.
 *
 * Each family lists its arrays (struct rtl_sc_array) in its RTL
 * descriptor (rtl_family.systemc): MixPE W4A8 and W4A16, BitMoD, LUT-TC,
 * FlightLLM with 16 DSPs (INT4) and 32 DSPs (INT8), each defined in the
 * family's folder (rtl/<folder>/sc_<folder>.cpp) on the harness here;
 * rtl_sc_each and rtl_sc_find walk them. SystemC elaborates once per process:
 * the first run of any descriptor is the only one; a second is PS_EINPUT.
 *
 * C API (extern "C"), built with -Drtl when the systemc pkg-config package
 * is found (meson dependency rtl_sc_dep; PESIM_RTL_SC is then defined for
 * its users). */
#ifndef RTL_SC_H
#define RTL_SC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "ps_status.h"	/* a C header without its own guards */

#define RTL_SC_MAX_PES 64	/* PE i is bit i of a mask */

struct rtl_sc_opts {
	uint64_t rtl_pes;	/* bit i set: PE i is the Verilated RTL, else
				 * the golden C PE model's sc_module */
	bool mutant;		/* the highest-numbered RTL PE is the mutant
				 * build (the array's mutant_define): must
				 * mismatch */
	uint64_t random;	/* random edges after the reset and corners */
	uint64_t seed;
	FILE *log;		/* configuration line, totals and the mismatch
				 * report; NULL: silent */
};

struct rtl_sc_result {
	uint64_t cycles;	/* rising edges compared */
	uint64_t values;	/* output port values compared (all, every edge) */
	uint64_t corner_edges, random_edges;
	uint64_t resets;	/* edges with rst */
	uint64_t changes;	/* edges after which some output changed */
	unsigned rtl_count;	/* RTL PEs in the array */
	int mutant_pe;		/* the mutant PE, -1: none */
	/* the first mismatch (mismatch false: none); the run stops there */
	bool mismatch;
	uint64_t cycle;		/* 0-based rising edge */
	const char *port;	/* the golden array's output port */
	uint64_t expected, actual;
};

struct rtl_sc_impl;	/* the array's PEs and wiring (C++, rtl_sc_top.h) */

/* One family's SystemC array. */
struct rtl_sc_array {
	const char *name;	/* --pe: "mixpe_array", "bitmod_array", ... */
	const char *family;	/* cfg_arch pe.family */
	const char *what;	/* the array and its configuration, one line */
	const char *pe_what;	/* what PE i is (the numbering of --rtl-pes) */
	unsigned n_pes;		/* PEs 0 .. n_pes-1 */
	const char *mutant_define;	/* the mutant PE build(s) */
	const struct rtl_sc_impl *impl;
	/* rtl_sc_run for every array */
	enum ps_status (*run)(const struct rtl_sc_array *a, const struct rtl_sc_opts *o,
			      struct rtl_sc_result *r, struct ps_err *err);
};

/* Elaborate array a with PE i the RTL where bit i of o->rtl_pes is set
 * (bits >= n_pes: PS_EINPUT), run one reset edge, the stimulus's corners
 * and o->random random edges (seed o->seed), compare every output of the
 * golden array after every edge. PS_OK: no mismatch. PS_ECHECK: a
 * mismatch (r and err say where; the report went to o->log). PS_EINPUT:
 * a second elaboration in this process, a mutant without an RTL PE, a PE
 * list beyond n_pes, an RTL whose ports differ from the golden PE's, a
 * SystemC error; PS_ENOMEM. */
enum ps_status rtl_sc_run(const struct rtl_sc_array *a, const struct rtl_sc_opts *o,
			  struct rtl_sc_result *r, struct ps_err *err);

/* Every array, family by family: each family's descriptor lists its own
 * (rtl_family.systemc; the arrays live in rtl/<folder>/sc_<folder>.cpp). */
void rtl_sc_each(void (*fn)(const struct rtl_sc_array *a, void *ctx), void *ctx);

/* By name, or by family (its first array); NULL: none. */
const struct rtl_sc_array *rtl_sc_find(const char *name);

/* Whether a SystemC array has been elaborated in this process. */
bool rtl_sc_elaborated(void);

#ifdef __cplusplus
}
#endif

#endif

/* sim_compat.h - compat mode: a paper's own analytical method, named and
 * pluggable. Each method lives in its own file (sim_compat_<name>.c) and
 * provides one descriptor; sim_run's compat mode runs the request's method
 * (sim_request.compat_method, default "bitmod") phase by phase and prices
 * the actions it counted. sim/ and compiler/ never test which paper a
 * method reproduces: they ask its descriptor.
 *
 *   bitmod  BitMoD (HPCA 2025): tiles x step cycles, per-op max(compute,
 *           DRAM), the paper's re-fetch rule (sim_compat_bitmod.c)
 *   mixpe   MixPE (2024) and ANT/BitFusion before it: the DnnWeaver /
 *           BitFusion loop-tiling model at batch 64 on linears with the
 *           dequantization GEMMs (sim_compat_mixpe.c, sim_compat_loops.c) */
#ifndef SIM_COMPAT_H
#define SIM_COMPAT_H

#include <stdbool.h>

#include "sim.h"

/* What a method's phase runner gets. */
struct sim_compat_run {
	const struct sim_request *req;
	const struct cfg_energy *energy;
	const struct wl_plan *plan;
	struct sim_result *res;
	struct sim_rows *rows;		/* NULL: no per-op rows wanted */
};

struct sim_compat_method {
	const char *name;	/* the request's compat_method */
	const char *paper;	/* whose method, for notes and reports */
	const char *note;	/* one line `pesim run` prints under the table */
	/* every decode step of generate:L+T at context L (the plan's
	 * decode_at_prompt) */
	bool decode_at_prompt;
	/* the compiler has a mapping policy for it (cycle mode under its
	 * assumptions, `--compat-assumptions`) */
	bool cycle_policy;
	/* it models attention and honours sim_request.compat_attn */
	bool attention;
	/* Run phase i of the plan: add its ops (sim_compat_put) and return its
	 * cycles and compute cycles (one execution) in *ps. */
	enum ps_status (*run_phase)(const struct sim_compat_run *r, size_t i,
				    struct sim_phase_stats *ps,
				    struct ps_err *err);
};

/* Every method, NULL-terminated; by name (NULL or "" is "bitmod"), NULL
 * when unknown. */
extern const struct sim_compat_method *const sim_compat_methods[];
const struct sim_compat_method *sim_compat_find(const char *name);
/* "bitmod | mixpe" for messages. */
const char *sim_compat_method_list(void);

/* One op of a phase into the result: its DRAM bytes, MACs (macs of one
 * execution) and actions, times `times`; its row when rows are wanted. */
enum ps_status sim_compat_put(const struct sim_compat_run *r,
			      const struct sim_op_stats *os, uint64_t macs,
			      uint32_t times, struct ps_err *err);

/* The BitMoD method's model of one op (sim_compat_bitmod.c). */
enum ps_status sim_compat_bitmod_op(const struct cfg_arch *a,
				    const struct wl_model *m,
				    const struct wl_op *op, int compat_attn,
				    struct sim_op_stats *st,
				    struct ps_err *err);

extern const struct sim_compat_method sim_compat_bitmod;
extern const struct sim_compat_method sim_compat_mixpe;

#endif

/* pe.h - the interface every PE family implements (struct pe_ops).
 *
 * The engine and the compat model never switch on the family: they ask the
 * family's ops. An ops table carries a version; optional methods may be NULL
 * and callers handle that. Version 1 (this file) holds the timing methods;
 * the bit-true step and action counters join in a later version.
 *
 * Parameters come from the arch config (struct cfg_arch) through
 * pe_params_from_arch, so variants (bit widths, lanes) are parameters, not
 * copies. */
#ifndef PE_H
#define PE_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_arch.h"

#define PE_OPS_VERSION 1

struct pe_params {
	uint32_t lanes;		/* dot-product lanes per PE */
	bool bit_serial;
	double weight_bits;	/* average stored bits per weight (may be fractional) */
	uint32_t act_bits;
	uint32_t group_size;
};

/* An m x n x k tile on one PE array pass: m output rows, n output columns,
 * k reduction depth. */
struct pe_tile {
	uint64_t m, n, k;
};

struct pe_ops {
	unsigned version;
	const char *name;		/* registry key, = cfg family name */
	const char *summary;		/* one line for --help and reports */
	/* Cycles one PE spends on one lane-group of weights (one array step).
	 * Required. */
	uint32_t (*step_cycles)(const struct pe_params *p);
	/* Closed-form cycles of a tile on a rows x cols array with no fill or
	 * drain (the array steps over ceil(k/lanes) lane-groups); NULL: the
	 * caller uses step_cycles x steps. */
	uint64_t (*tile_cycles)(const struct pe_params *p,
				const struct pe_tile *t);
};

/* The ops of a family (enum cfg_family), or NULL if pesim has no model of
 * that family yet. */
const struct pe_ops *pe_family_ops(int family);

void pe_params_from_arch(const struct cfg_arch *a, const char *model,
			 int phase, struct pe_params *p);

#endif

/* energy.h - pricing: action counts x energy table, done once at the end. */
#ifndef ENERGY_H
#define ENERGY_H

#include "cfg_energy.h"
#include "ps_status.h"
#include "sim_actions.h"

struct energy_breakdown {
	double by_action[SIM_ACT_N];	/* pJ */
	double compute, sram, dram;	/* pJ */
	double onchip, total;		/* onchip = compute + sram */
};

/* Price acts with table e. An action with a non-zero count and no entry, or
 * an entry with the wrong unit, is an error naming the table and entry. */
enum ps_status energy_price(const struct cfg_energy *e,
			    const struct sim_actions *acts,
			    struct energy_breakdown *out, struct ps_err *err);

/* The energy of one of each action in a phase (0 prefill, 1 decode), its
 * category factor applied; 0 where the table has no entry (the mapper's
 * energy estimate: compiler/cc_map.h, struct cc_prices). */
void energy_unit_prices(const struct cfg_energy *e, int phase,
			double out[SIM_ACT_N]);

#endif

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

#endif

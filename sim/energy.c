/* energy.c - the only place where energies meet action counts. */
#include "energy.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const sim_action_names[] = {
#define X(id, name, unit, cat, opt) name,
	SIM_ACTIONS(X)
#undef X
	NULL
};

const char *const sim_category_names[] = { "compute", "sram", "dram", NULL };

static const int action_unit[] = {
#define X(id, name, unit, cat, opt) unit,
	SIM_ACTIONS(X)
#undef X
};

static const int action_cat[] = {
#define X(id, name, unit, cat, opt) cat,
	SIM_ACTIONS(X)
#undef X
};

const unsigned char sim_action_optional[] = {
#define X(id, name, unit, cat, opt) opt,
	SIM_ACTIONS(X)
#undef X
};

static enum ps_status factor(const struct cfg_energy *e, int cat, int phase,
			     double *f, struct ps_err *err)
{
	char name[48];
	const struct cfg_energy_entry *x;
	snprintf(name, sizeof name, "%s.factor", sim_category_names[cat]);
	x = cfg_energy_find(e, name, phase);
	*f = 1.0;
	if (!x)
		return PS_OK;
	if (x->unit != CFG_UNIT_FACTOR)
		return ps_errf(err, PS_EINPUT, "%s: entry '%s': unit must be '%s'",
			       e->path, name, cfg_unit_names[CFG_UNIT_FACTOR]);
	*f = x->value;
	return PS_OK;
}

enum ps_status energy_price(const struct cfg_energy *e,
			    const struct sim_actions *acts,
			    struct energy_breakdown *out, struct ps_err *err)
{
	memset(out, 0, sizeof *out);
	for (int ph = 0; ph < 2; ph++) {
		/* each category's factor, looked up when its first action
		 * counts (every row of a run is priced) */
		double fc[SIM_CAT_N];
		bool have[SIM_CAT_N] = { false };
		for (int a = 0; a < SIM_ACT_N; a++) {
			const struct cfg_energy_entry *x;
			double count = acts->n[ph][a], f, pj;
			if (count == 0)
				continue;
			x = cfg_energy_find(e, sim_action_names[a], ph);
			if (!x && sim_action_optional[a])
				continue;
			if (!x)
				return ps_errf(err, PS_EINPUT,
					       "%s: no entry '%s' for %s (energy table '%s')",
					       e->path, sim_action_names[a],
					       ph ? "decode" : "prefill", e->id);
			if (x->unit != action_unit[a])
				return ps_errf(err, PS_EINPUT,
					       "%s: entry '%s': unit must be '%s', not '%s'",
					       e->path, x->name,
					       cfg_unit_names[action_unit[a]],
					       cfg_unit_names[x->unit]);
			if (!have[action_cat[a]] && factor(e, action_cat[a], ph, &fc[action_cat[a]], err))
				return PS_EINPUT;
			have[action_cat[a]] = true;
			f = fc[action_cat[a]];
			pj = count * x->value * f;
			out->by_action[a] += pj;
			switch (action_cat[a]) {
			case SIM_CAT_COMPUTE:
				out->compute += pj;
				break;
			case SIM_CAT_SRAM:
				out->sram += pj;
				break;
			default:
				out->dram += pj;
				break;
			}
		}
	}
	out->onchip = out->compute + out->sram;
	out->total = out->onchip + out->dram;
	return PS_OK;
}

void energy_unit_prices(const struct cfg_energy *e, int phase,
			double out[SIM_ACT_N])
{
	for (int a = 0; a < SIM_ACT_N; a++) {
		const struct cfg_energy_entry *x = cfg_energy_find(e, sim_action_names[a], phase);
		double f = 1.0;
		struct ps_err err;
		out[a] = 0;
		if (!x || x->unit != action_unit[a] || factor(e, action_cat[a], phase, &f, &err))
			continue;
		out[a] = x->value * f;
	}
}

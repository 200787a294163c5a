/* rpt_common.c - the recipe registry and default data locations. */
#include <stdlib.h>
#include <string.h>

#include "ps_path.h"
#include "rpt.h"

const struct rpt_recipe rpt_recipes[] = {
	{ "bitmod", "BitMoD (HPCA 2025): speedup, energy and area of 5 designs on 6 LLMs",
	  rpt_bitmod },
	{ NULL, NULL, NULL },
};

const struct rpt_recipe *rpt_find(const char *name)
{
	for (const struct rpt_recipe *r = rpt_recipes; r->name; r++)
		if (!strcmp(r->name, name))
			return r;
	return NULL;
}

void rpt_default_dirs(struct rpt_options *o)
{
	static char configs[4096], ref[4096];
	o->configs_dir = ps_data_dir("PESIM_CONFIGS", "configs", configs, sizeof configs);
	o->ref_dir = ps_data_dir("PESIM_REFERENCE", "reports/reference", ref, sizeof ref);
}

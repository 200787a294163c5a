/* rpt_common.c - the recipe registry and default data locations. */
#include <stdlib.h>
#include <string.h>

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

#ifndef PESIM_SRCDIR
#define PESIM_SRCDIR "."
#endif

void rpt_default_dirs(struct rpt_options *o)
{
	const char *c = getenv("PESIM_CONFIGS");
	const char *r = getenv("PESIM_REFERENCE");
	o->configs_dir = c && *c ? c : PESIM_SRCDIR "/configs";
	o->ref_dir = r && *r ? r : PESIM_SRCDIR "/reports/reference";
}

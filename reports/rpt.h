/* rpt.h - report recipes: regenerate a published table through the sim API
 * and print our numbers beside the paper's. */
#ifndef RPT_H
#define RPT_H

#include <stdbool.h>
#include <stdio.h>

#include "ps_status.h"

struct rpt_options {
	const char *out_dir;	/* NULL: print only */
	const char *configs_dir;	/* arch presets root (configs/) */
	const char *ref_dir;	/* published figures (reports/reference/) */
	int compat_attn;	/* enum sim_compat_attn */
	FILE *out;		/* the Markdown goes here too (stdout) */
	/* --set overrides of every arch (and model.*: every model) the
	 * recipe loads; NULL: none */
	const struct cfg_sets *sets;
};

struct rpt_recipe {
	const char *name;
	const char *summary;
	enum ps_status (*run)(const struct rpt_options *o, struct ps_err *err);
};

extern const struct rpt_recipe rpt_recipes[];	/* NULL-name terminated */

const struct rpt_recipe *rpt_find(const char *name);
void rpt_default_dirs(struct rpt_options *o);

enum ps_status rpt_bitmod(const struct rpt_options *o, struct ps_err *err);

#endif

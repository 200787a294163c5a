/* rpt.h - report recipes: regenerate a published table through the sim API
 * and print our numbers beside the paper's.
 *
 * A recipe is data: which arch presets (each a design: a preset under
 * configs/arch/ plus overrides), which models, scenarios and modes, which
 * compat method, and which published figures (reports/reference/NAME.yaml,
 * printed only as "paper"); plus the function that turns the runs into the
 * report's tables (rpt_doc.h). Every run goes through sim_run. */
#ifndef RPT_H
#define RPT_H

#include <stdbool.h>
#include <stdio.h>

#include "cfg_arch.h"
#include "cfg_energy.h"
#include "ps_status.h"

struct cfg_arch;
struct cfg_energy;
struct cfg_sets;
struct sim_result;
struct wl_model;
struct rpt_doc;

struct rpt_options {
	const char *out_dir;	/* NULL: print only */
	const char *configs_dir;	/* arch presets root (configs/) */
	const char *ref_dir;	/* published figures (reports/reference/) */
	int compat_attn;	/* enum sim_compat_attn */
	FILE *out;		/* the Markdown goes here too (stdout) */
	/* --set overrides of every arch (and model.*: every model) the
	 * recipe loads; NULL: none */
	const struct cfg_sets *sets;
	/* --models a,b: the recipe's models replaced (NULL: the recipe's) */
	const char *models;
};

#define RPT_MAX_DESIGN_SETS 6

/* One design of a recipe: a preset and overrides ("path=value"). */
struct rpt_design {
	const char *key;	/* short name in tables and files */
	const char *label;	/* as the paper names it */
	const char *arch;	/* under configs/arch/ */
	const char *sets[RPT_MAX_DESIGN_SETS];	/* NULL-ended */
};

struct rpt_recipe {
	const char *name;
	const char *summary;
	const char *reference;		/* reports/reference/<this> */
	const struct rpt_design *designs;	/* key NULL ends */
	const char *const *models;	/* NULL-ended zoo keys */
	const char *const *scenarios;	/* NULL-ended */
	const char *modes;		/* "compat, cycle", for --help */
	const char *compat_method;	/* compat mode's paper method */
	/* relative run time, a scheduling hint: report all starts the
	 * costliest first so the workers finish together */
	unsigned cost;
	/* The report's tables and text into the doc (rpt_doc.h), which
	 * rpt_recipe_run writes as the set; or NULL and run: a report that
	 * writes its own set. */
	enum ps_status (*build)(const struct rpt_recipe *r,
				const struct rpt_options *o, struct rpt_doc *d,
				struct ps_err *err);
	enum ps_status (*run)(const struct rpt_recipe *r,
			      const struct rpt_options *o, struct ps_err *err);
};

extern const struct rpt_recipe rpt_recipes[];	/* NULL-name terminated */

const struct rpt_recipe *rpt_find(const char *name);
void rpt_default_dirs(struct rpt_options *o);

/* The recipe's models, or --models: up to max names into names[] (pointers
 * into buf), *n set. */
enum ps_status rpt_models(const struct rpt_recipe *r, const struct rpt_options *o,
			  char *buf, size_t bufsz, const char **names, size_t max,
			  size_t *n, struct ps_err *err);

/* Load a design (its preset with --set and its own overrides, extra
 * overrides after them: NULL-ended, may be NULL) and its energy table. */
enum ps_status rpt_load_design(const struct rpt_options *o,
			       const struct rpt_design *d,
			       const char *const *extra, struct cfg_arch *a,
			       struct cfg_energy *e, struct ps_err *err);
/* A design and its energy table in one allocation: rpt_design_new loads
 * them as rpt_load_design does into *out (free() it; NULL on error). */
struct rpt_loaded {
	struct cfg_arch arch;
	struct cfg_energy energy;
};
enum ps_status rpt_design_new(const struct rpt_options *o, const struct rpt_design *d,
			      const char *const *extra, struct rpt_loaded **out,
			      struct ps_err *err);
/* A zoo model with the --set model.* overrides. */
enum ps_status rpt_load_model(const struct rpt_options *o, const char *name,
			      struct wl_model *m, struct ps_err *err);

/* One run of a model scenario (mode: enum sim_mode; method: compat's). */
enum ps_status rpt_run(const struct cfg_arch *a, const struct cfg_energy *e,
		       const struct wl_model *m, const char *scenario, int mode,
		       const char *method, struct sim_result *res,
		       struct ps_err *err);

/* Run one recipe: its run, or the shared flow of a report built through
 * rpt_doc: begin the file set (a bad --out fails before any work), build
 * the doc, print its Markdown on o->out, write the set and switch it into
 * place. */
enum ps_status rpt_recipe_run(const struct rpt_recipe *r,
			      const struct rpt_options *o, struct ps_err *err);

/* The recipe's published figures: o->ref_dir/r->reference. */
struct rpt_paper;
enum ps_status rpt_paper_recipe(const struct rpt_recipe *r,
				const struct rpt_options *o, struct rpt_paper *p,
				struct ps_err *err);

/* The reports' builders and runs (the recipe table's). */
enum ps_status rpt_bitmod(const struct rpt_recipe *r, const struct rpt_options *o,
			  struct ps_err *err);
enum ps_status rpt_mixpe_doc(const struct rpt_recipe *r, const struct rpt_options *o,
			     struct rpt_doc *d, struct ps_err *err);
enum ps_status rpt_lut_tc_doc(const struct rpt_recipe *r, const struct rpt_options *o,
			      struct rpt_doc *d, struct ps_err *err);
enum ps_status rpt_flightllm_doc(const struct rpt_recipe *r, const struct rpt_options *o,
				 struct rpt_doc *d, struct ps_err *err);
enum ps_status rpt_shootout_doc(const struct rpt_recipe *r, const struct rpt_options *o,
				struct rpt_doc *d, struct ps_err *err);
/* rpt_recipe_run of the mixpe recipe (test_report.c calls it by name). */
enum ps_status rpt_mixpe(const struct rpt_recipe *r, const struct rpt_options *o,
			 struct ps_err *err);

/* Run every recipe, each in a forked worker (at most jobs at once), each
 * writing its set into o->out_dir; progress on stderr; one line per report
 * on o->out in recipe order. */
enum ps_status rpt_all(const struct rpt_options *o, int jobs, struct ps_err *err);

#endif

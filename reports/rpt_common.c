/* rpt_common.c - what every recipe shares: data locations, loading its
 * designs and models, one run through sim_run, and the report file set. */
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "ps_file.h"
#include "ps_path.h"
#include "rpt.h"
#include "rpt_doc.h"
#include "rpt_paper.h"
#include "sim.h"

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

enum ps_status rpt_models(const struct rpt_recipe *r, const struct rpt_options *o,
			  char *buf, size_t bufsz, const char **names, size_t max,
			  size_t *n, struct ps_err *err)
{
	*n = 0;
	if (!o->models) {
		for (size_t i = 0; r->models && r->models[i]; i++) {
			if (*n == max)
				return ps_errf(err, PS_EINPUT, "report %s: more than %zu models", r->name, max);
			names[(*n)++] = r->models[i];
		}
		return PS_OK;
	}
	if (strlen(o->models) >= bufsz)
		return ps_errf(err, PS_EINPUT, "--models: too long");
	strcpy(buf, o->models);
	for (char *s = buf, *c; s; s = c) {
		c = strchr(s, ',');
		if (c)
			*c++ = '\0';
		if (!*s)
			return ps_errf(err, PS_EINPUT, "--models '%s': an empty name", o->models);
		if (*n == max)
			return ps_errf(err, PS_EINPUT, "--models: more than %zu models", max);
		names[(*n)++] = s;
	}
	return PS_OK;
}

enum ps_status rpt_design_new(const struct rpt_options *o, const struct rpt_design *d,
			      const char *const *extra, struct rpt_loaded **out,
			      struct ps_err *err)
{
	enum ps_status st;
	*out = calloc(1, sizeof **out);
	if (!*out)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	st = rpt_load_design(o, d, extra, &(*out)->arch, &(*out)->energy, err);
	if (st) {
		free(*out);
		*out = NULL;
	}
	return st;
}

enum ps_status rpt_load_design(const struct rpt_options *o,
			       const struct rpt_design *d,
			       const char *const *extra, struct cfg_arch *a,
			       struct cfg_energy *e, struct ps_err *err)
{
	struct cfg_sets *sets = calloc(1, sizeof *sets);
	char path[1024];
	enum ps_status st = PS_OK;
	if (!sets)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	/* the design's own overrides first, --set after them (the user's
	 * word wins), then the report's per-run ones */
	for (size_t i = 0; i < RPT_MAX_DESIGN_SETS && d->sets[i] && !st; i++)
		st = cfg_sets_add(sets, d->sets[i], "report design", err);
	if (!st && o->sets) {
		struct cfg_sets arch;
		sim_sets_split(o->sets, &arch, NULL, NULL);
		for (size_t i = 0; i < arch.n && !st; i++)
			st = cfg_sets_add2(sets, arch.s[i].path, arch.s[i].value, NULL, err);
	}
	for (size_t i = 0; extra && extra[i] && !st; i++)
		st = cfg_sets_add(sets, extra[i], "report run", err);
	snprintf(path, sizeof path, "%s/arch/%s", o->configs_dir, d->arch);
	if (!st)
		st = pe_arch_load_set(path, sets, a, err);
	if (!st && e)
		st = sim_load_energy(a, e, err);
	free(sets);
	return st;
}

enum ps_status rpt_load_model(const struct rpt_options *o, const char *name,
			      struct wl_model *m, struct ps_err *err)
{
	struct cfg_sets model = { 0 };
	if (o->sets)
		sim_sets_split(o->sets, NULL, &model, NULL);
	return wl_model_find_set(name, &model, m, err);
}

enum ps_status rpt_run(const struct cfg_arch *a, const struct cfg_energy *e,
		       const struct wl_model *m, const char *scenario, int mode,
		       const char *method, struct sim_result *res,
		       struct ps_err *err)
{
	struct wl_scenario s;
	enum ps_status st = wl_scenario_parse(scenario, &s, err);
	struct sim_request rq = {
		.arch = a, .energy = e, .model = m, .scenario = &s, .mode = mode,
		.compat_method = method,
	};
	if (st)
		return st;
	st = sim_run(&rq, res, err);
	if (st)
		return ps_err_prefix(err, st, "%s on %s, %s", a->name, m->name, scenario);
	return PS_OK;
}

enum ps_status rpt_paper_recipe(const struct rpt_recipe *r,
				const struct rpt_options *o, struct rpt_paper *p,
				struct ps_err *err)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", o->ref_dir, r->reference);
	return rpt_paper_load(path, p, err);
}

enum ps_status rpt_recipe_run(const struct rpt_recipe *r,
			      const struct rpt_options *o, struct ps_err *err)
{
	char names[4][64];
	const char *files[5], *paths[4];
	struct ps_outset *set = NULL;
	struct rpt_doc *d;
	enum ps_status st;

	if (r->run)
		return r->run(r, o, err);
	if (!(d = calloc(1, sizeof *d)))
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (int i = 0; i < 4; i++) {
		snprintf(names[i], sizeof names[i], "%s.%s", r->name, rpt_doc_suffixes[i]);
		files[i] = names[i];
	}
	files[4] = NULL;
	st = o->out_dir ? ps_outset_begin(&set, o->out_dir, r->name, files, err) : PS_OK;
	if (!st)
		st = rpt_doc_init(d, r->name, err);
	if (!st)
		st = r->build(r, o, d, err);
	if (!st && fflush(d->md))
		st = ps_errf(err, PS_ENOMEM, "out of memory");
	if (!st && o->out && d->md_len && fwrite(d->md_buf, 1, d->md_len, o->out) != d->md_len)
		st = ps_errf(err, PS_EIO, "stdout: write failed");
	if (!st && set) {
		for (int i = 0; i < 4; i++)
			paths[i] = ps_outset_path(set, (size_t)i);
		st = rpt_doc_write(d, paths, err);
	}
	if (set && st)
		ps_outset_abort(set);
	else if (set)
		st = ps_outset_commit(set, err);
	rpt_doc_free(d);
	free(d);
	return st;
}

/* swp_point.c - one point of a sweep: its request walked from the sweep
 * file with its run.* overrides, its arch and model loaded with theirs
 * (pe_arch_load_set, wl_model_find_set: the schema checks every swept
 * value), then the one run path, sim_run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "sim.h"
#include "swp_impl.h"

static int parse_gemm(const char *s, uint64_t *M, uint64_t *K, uint64_t *N)
{
	unsigned long long a, b, c;
	char tail;
	if (sscanf(s, "%llux%llux%llu%c", &a, &b, &c, &tail) != 3 || !a || !b || !c ||
	    a >> 32 || b >> 32 || c >> 32 || s[0] < '0' || s[0] > '9')
		return -1;
	*M = a;
	*K = b;
	*N = c;
	return 0;
}

enum ps_status swp_point_load(const struct swp_sweep *s, uint64_t p,
			      struct swp_config *c, struct ps_err *err)
{
	struct cfg_sets *all = malloc(4 * sizeof *all);
	struct cfg_sets *arch_sets = all + 1, *model_sets = all + 2, *run_sets = all + 3;
	struct cfg_lines *lines = malloc(sizeof *lines);
	struct swp_doc *d = malloc(sizeof *d);
	char path[1024], where[CFG_SET_ORIGIN + 1100];
	enum ps_status st;

	memset(c, 0, sizeof *c);
	if (!all || !lines || !d) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	if ((st = swp_point_sets(s, p, all, err)))
		goto out;
	sim_sets_split(all, arch_sets, model_sets, NULL);
	/* run.* overrides change the sweep file's own run: block */
	run_sets->n = 0;
	for (size_t i = 0; i < all->n; i++)
		if (!strncmp(all->s[i].path, "run.", 4))
			run_sets->s[run_sets->n++] = all->s[i];
	if ((st = swp_doc_walk(s->path, run_sets, d, lines, err)))
		goto out;
	c->run = d->run;
	if (!c->run.model[0] == !c->run.gemm[0] || (c->run.model[0] && !c->run.scenario[0])) {
		cfg_lines_where(lines, s->path, "run.arch", where, sizeof where);
		st = ps_errf(err, PS_EINPUT, "%s: run: give model with scenario, or gemm", where);
		goto out;
	}
	swp_resolve(s, c->run.arch, path, sizeof path);
	if ((st = pe_arch_load_set(path, arch_sets, &c->arch, err)))
		goto out;
	if (c->run.gemm[0]) {
		if (model_sets->n) {
			st = ps_errf(err, PS_EINPUT, "%s: model.*: a gemm point has no model",
				     model_sets->s[0].origin);
			goto out;
		}
		if (parse_gemm(c->run.gemm, &c->M, &c->K, &c->N)) {
			cfg_lines_where(lines, s->path, "run.gemm", where, sizeof where);
			st = ps_errf(err, PS_EINPUT, "%s: run.gemm: expected MxKxN with positive integers, got '%s'",
				     where, c->run.gemm);
		}
		goto out;
	}
	c->has_model = true;
	if (strchr(c->run.model, '/'))
		swp_resolve(s, c->run.model, path, sizeof path);
	else
		snprintf(path, sizeof path, "%s", c->run.model);
	if ((st = wl_model_find_set(path, model_sets, &c->model, err))) {
		cfg_lines_where(lines, s->path, "run.model", where, sizeof where);
		ps_err_prefix(err, st, "%s: run.model", where);
		goto out;
	}
	if ((st = wl_scenario_parse(c->run.scenario, &c->scen, err))) {
		cfg_lines_where(lines, s->path, "run.scenario", where, sizeof where);
		ps_err_prefix(err, st, "%s: run.scenario", where);
	}
out:
	free(all);
	free(lines);
	free(d);
	return st;
}

enum ps_status swp_config_value(const struct swp_config *c, const char *path,
				char *buf, size_t n, struct ps_err *err)
{
	if (!strncmp(path, "run.", 4))
		return cfg_value(swp_run_fields, &c->run, path + 4, buf, n, err);
	if (!strncmp(path, "model.", 6)) {
		if (!c->has_model)
			return ps_errf(err, PS_EINPUT, "%s: a gemm point has no model", path);
		return wl_model_value(&c->model, path + 6, buf, n, err);
	}
	return pe_arch_value(&c->arch, path, buf, n, err);
}

void swp_point_run(const struct swp_sweep *s, uint64_t p,
		   struct swp_result *r)
{
	struct swp_config *c = malloc(sizeof *c);
	struct sim_result res;
	struct ps_err err = { "" };
	enum ps_status st;

	memset(r, 0, sizeof *r);
	r->index = p;
	for (int i = 0; i < SWP_N_METRICS; i++)
		r->m[i] = NAN;
	if (!c) {
		r->status = SWP_FAILED;
		snprintf(r->error, sizeof r->error, "out of memory");
		return;
	}
	st = swp_point_load(s, p, c, &err);
	if (!st) {
		struct sim_request q = {
			.arch = &c->arch,
			.model = c->has_model ? &c->model : NULL,
			.scenario = c->has_model ? &c->scen : NULL,
			.M = c->M, .K = c->K, .N = c->N,
			.gemm_phase = c->run.decode ? WL_DECODE : WL_PREFILL,
			.mode = c->run.mode, .compat_attn = c->run.compat_attn,
			.compat_method = c->run.compat_method,
			.compat_assumptions = c->run.compat_assumptions,
			.seed = (uint64_t)c->run.seed, .layer = c->run.layer,
		};
		st = sim_run(&q, &res, &err);
		if (!st || (st == PS_ECHECK && c->run.mode == SIM_MODE_BITTRUE)) {
			swp_metrics_fill(&res, c, r->m);
			sim_result_free(&res);
		}
	}
	if (st) {
		r->status = SWP_FAILED;
		snprintf(r->error, sizeof r->error, "%.*s", (int)sizeof r->error - 1, err.msg);
	}
	free(c);
}

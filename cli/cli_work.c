/* cli_work.c - the workload options run and compile share (cli_work.h). */
#include "cli_work.h"

#include <string.h>

#include "sim.h"

static const char work_opts[] =
	"arch,a: model,m: scenario,s: gemm,g: decode,D seed,S: set,E: map-objective,O:";

void cli_work_init(struct cli_work *w, struct cli_opts *p)
{
	memset(w, 0, sizeof *w);
	w->objective = -1;
	w->seed = 1;
	cli_opts_add(p, work_opts);
}

static int work_opt(struct cli_work *w, const struct cli_opts *p, int c)
{
	switch (c) {
	case 'a': w->arch_path = optarg; return 1;
	case 'm': w->model = optarg; return 1;
	case 's': w->scen = optarg; return 1;
	case 'g': w->gemm = optarg; return 1;
	case 'D': w->decode = true; return 1;
	case 'S':
		return cli_u64(p, optarg, 0, UINT64_MAX, &w->seed) ? CLI_ERR : 1;
	case 'E':
		return cli_set_add(p->cmd, &w->sets, optarg) ? CLI_ERR : 1;
	case 'O':
		w->objective = cfg_enum_find(cfg_map_objective_names, optarg);
		if (w->objective < 0) {
			cli_usage_error(p->cmd, "unknown --map-objective '%s' (cycles | traffic | energy)",
					optarg);
			return CLI_ERR;
		}
		return 1;
	default:
		return 0;
	}
}

int cli_work_getopt(struct cli_work *w, struct cli_opts *p, int argc, char **argv)
{
	int c, taken = 0;
	while ((c = cli_getopt(p, argc, argv)) >= 0 && (taken = work_opt(w, p, c)) > 0)
		;
	return taken < 0 ? CLI_ERR : c;
}

int cli_work_gemm(struct cli_work *w, const char *cmd)
{
	return w->gemm && cli_gemm(cmd, w->gemm, &w->M, &w->K, &w->N) ? 2 : 0;
}

int cli_work_arch(struct cli_work *w, const char *cmd)
{
	struct ps_err err;
	enum ps_status st;

	sim_sets_split(&w->sets, &w->arch_sets, &w->model_sets, NULL);
	if ((st = pe_arch_load_set(w->arch_path, &w->arch_sets, &w->arch, &err)))
		return cli_fail(cmd, st, &err);
	if (w->objective >= 0)
		w->arch.mapper.objective = w->objective;
	return 0;
}

int cli_work_model(struct cli_work *w, const char *cmd)
{
	struct ps_err err;
	enum ps_status st;

	if (w->model_sets.n && !w->model)
		return cli_usage_error(cmd, "--set model.*: no --model to override");
	if (w->model && ((st = wl_model_find_set(w->model, &w->model_sets, &w->m, &err)) ||
			 (st = wl_scenario_parse(w->scen, &w->s, &err))))
		return cli_fail(cmd, st, &err);
	return 0;
}

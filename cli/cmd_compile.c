/* cmd_compile.c - `pesim compile`: a model scenario or one GEMM -> trace. */
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pe.h"
#include "cc_compile.h"
#include "cfg_yaml.h"
#include "cli.h"
#include "ps_file.h"
#include "sim.h"

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim compile --arch FILE (--model NAME --scenario S | --gemm MxKxN)\n"
		"                     -o FILE [--decode] [--bit-true --seed N]\n\n"
		"Maps every GEMM op of the workload onto the arch (tile sizes, loop order,\n"
		"double buffering under the buffer capacities) and writes the instruction\n"
		"trace (README: Trace format). Prints ops, instructions, MACs and traffic.\n\n"
		"  --gemm MxKxN    one GEMM: out[M,N] = A[M,K] x W[K,N] (prefill array;\n"
		"                  --decode uses the decode array)\n"
		"  --bit-true      also write quantized operand data to FILE.h5\n"
		"  --seed N        tensor generator seed for --bit-true (default 1)\n"
		"  --set PATH=VAL  override an arch field, or model.KEY (as pesim run)\n"
		"  --map-objective O  cycles | traffic | energy: what the mapper\n"
		"                  minimizes first (default: the arch's mapper.objective)\n"
		CLI_HELP_COMMON);
}

int cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "model", required_argument, NULL, 'm' },
		{ "scenario", required_argument, NULL, 's' },
		{ "gemm", required_argument, NULL, 'g' },
		{ "decode", no_argument, NULL, 'd' },
		{ "bit-true", no_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 'S' },
		{ "set", required_argument, NULL, 'E' },
		{ "map-objective", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arch_path = NULL, *model = NULL, *scen = NULL, *gemm = NULL;
	struct cc_compile_req rq;
	struct cc_compile_stats cs;
	struct cfg_arch arch;
	struct wl_model m;
	struct wl_scenario s;
	struct wl_plan plan;
	struct ps_err err;
	struct cli_opts p;
	struct stat sb;
	enum ps_status st;
	char real[PATH_MAX], side[PATH_MAX + 4];
	uint64_t M = 0, K = 0, N = 0;
	int c, phase = WL_PREFILL, objective = -1;
	static struct cfg_sets sets, arch_sets, model_sets;
	struct cfg_energy en;
	struct cc_prices pr[2];

	sets.n = 0;
	memset(&rq, 0, sizeof rq);
	rq.seed = 1;
	cli_opts_init(&p, "compile", opts, "ho:");
	p.help = help;
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'E':
			if (cli_set_add("compile", &sets, optarg))
				return 2;
			break;
		case 'a': arch_path = optarg; break;
		case 'm': model = optarg; break;
		case 's': scen = optarg; break;
		case 'g': gemm = optarg; break;
		case 'd': phase = WL_DECODE; break;
		case 'b': rq.bit_true = true; break;
		case 'S':
			if (cli_u64(&p, optarg, 0, UINT64_MAX, &rq.seed))
				return 2;
			break;
		case 'o': rq.out_path = optarg; break;
		case 'O':
			objective = cfg_enum_find(cfg_map_objective_names, optarg);
			if (objective < 0)
				return cli_usage_error("compile", "unknown --map-objective '%s' (cycles | traffic | energy)", optarg);
			break;
		default: return cli_done(c);
		}
	}
	if (optind < argc)
		return cli_usage_error("compile", "unexpected argument '%s'", argv[optind]);
	if (!arch_path || !rq.out_path || (!gemm == !model) || (model && !scen))
		return cli_usage_error("compile", "--arch, -o and either --model with --scenario or --gemm are required");
	if (gemm && cli_gemm("compile", gemm, &M, &K, &N))
		return 2;
	/* refuse bad targets before the work */
	snprintf(side, sizeof side, "%s.h5", rq.out_path);
	if ((st = ps_out_target(rq.out_path, real, sizeof real, &err)) ||
	    (rq.bit_true && (st = ps_out_target(side, real, sizeof real, &err))))
		return cli_fail("compile", st, &err);
	sim_sets_split(&sets, &arch_sets, &model_sets, NULL);
	if ((st = pe_arch_load_set(arch_path, &arch_sets, &arch, &err)) ||
	    (st = sim_load_energy(&arch, &en, &err)))
		return cli_fail("compile", st, &err);
	if (objective >= 0)
		arch.mapper.objective = objective;
	/* the mapper prices energy as pesim run's does */
	sim_map_prices(&en, pr);
	rq.prices[0] = &pr[0];
	rq.prices[1] = &pr[1];
	rq.arch = &arch;
	if (model_sets.n && !model)
		return cli_usage_error("compile", "--set model.*: no --model to override");
	if (model && ((st = wl_model_find_set(model, &model_sets, &m, &err)) ||
		      (st = wl_scenario_parse(scen, &s, &err))))
		return cli_fail("compile", st, &err);
	st = model ? wl_plan_model(&m, &s, false, &plan, &err) :
		     wl_plan_gemm(M, K, N, phase, &plan, &err);
	rq.plan = &plan;
	if (!st)
		st = cc_compile(&rq, &cs, &err);
	wl_plan_free(&plan);
	if (st)
		return cli_fail("compile", st, &err);
	if (stat(rq.out_path, &sb) != 0)
		sb.st_size = 0;
	printf("%s: %" PRIu64 " ops, %" PRIu64 " instructions, %lld bytes\n",
	       rq.out_path, cs.ops, cs.insns, (long long)sb.st_size);
	printf("MACs %" PRIu64 ", DRAM read %" PRIu64 " B, written %" PRIu64
	       " B (compulsory %" PRIu64 " B), %" PRIu64 " shapes mapped\n",
	       cs.macs, cs.dram_read_bytes, cs.dram_write_bytes, cs.compulsory_bytes,
	       cs.mappings);
	return 0;
}

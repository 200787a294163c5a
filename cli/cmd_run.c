/* cmd_run.c - `pesim run`: one model scenario on one architecture. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cfg_yaml.h"
#include "cli.h"
#include "sim.h"
#include "sim_out.h"

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim run --arch FILE --model NAME|FILE --scenario S [options]\n\n"
		"Simulates the scenario's GEMM ops on the architecture and prints cycles,\n"
		"energy (priced by the arch's energy table) and area.\n\n"
		"  --arch FILE          arch config (configs/arch/...)\n"
		"  --model NAME|FILE    zoo model (see 'pesim models') or a model YAML\n"
		"  --scenario S         prefill:L | decode:C | generate:L+T, optionally\n"
		"                       ',batch:B' (e.g. decode:1024,batch:8)\n"
		"  --mode MODE          compat: the BitMoD paper's analytical method\n"
		"                       (the only mode so far; default)\n"
		"  --compat-attn A      published (default; decode reads no KV cache) |\n"
		"                       kv-read (decode attention streams the KV cache)\n"
		"  --ops                also print one row per op\n"
		"  --json               one JSON object on stdout (with per-op rows)\n"
		"  --h5 FILE            write the result as HDF5 (README: HDF5 layout)\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "model", required_argument, NULL, 'm' },
		{ "scenario", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'M' },
		{ "compat-attn", required_argument, NULL, 'A' },
		{ "ops", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "h5", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arch_path = NULL, *model = NULL, *scen = NULL, *h5 = NULL;
	int mode = SIM_MODE_COMPAT, attn = SIM_ATTN_PUBLISHED, c;
	int json = 0, ops = 0, code = 0;
	struct cfg_arch arch;
	struct wl_model m;
	struct wl_scenario s;
	struct sim_result r;
	struct ps_err err;
	enum ps_status st;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': arch_path = optarg; break;
		case 'm': model = optarg; break;
		case 's': scen = optarg; break;
		case 'M':
			mode = cfg_enum_find(sim_mode_names, optarg);
			if (mode < 0)
				return cli_usage_error("run", "unknown --mode '%s' (available: compat)", optarg);
			break;
		case 'A':
			attn = cfg_enum_find(sim_compat_attn_names, optarg);
			if (attn < 0)
				return cli_usage_error("run", "unknown --compat-attn '%s' (published | kv-read)", optarg);
			break;
		case 'o': ops = 1; break;
		case 'j': json = 1; break;
		case 'H': h5 = optarg; break;
		case 'h': help(stdout); return 0;
		default: return cli_usage_error("run", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if (!arch_path || !model || !scen)
		return cli_usage_error("run", "--arch, --model and --scenario are required");
	if ((st = cfg_arch_load(arch_path, &arch, &err)) ||
	    (st = wl_model_find(model, &m, &err)) ||
	    (st = wl_scenario_parse(scen, &s, &err)))
		return cli_fail("run", st, &err);
	{
		struct sim_request rq = {
			.arch = &arch, .model = &m, .scenario = &s, .mode = mode,
			.compat_attn = attn, .keep_ops = json || ops || h5,
		};
		st = sim_run(&rq, &r, &err);
	}
	if (st)
		return cli_fail("run", st, &err);
	if (json) {
		sim_print_json(stdout, &r);
	} else {
		struct sim_result shown = r;
		if (!ops)
			shown.n_ops = 0;
		sim_print_table(stdout, &shown);
	}
	if (h5 && (st = sim_write_h5(h5, &r, &err)))
		code = cli_fail("run", st, &err);
	sim_result_free(&r);
	return code;
}

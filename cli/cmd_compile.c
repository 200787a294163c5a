/* cmd_compile.c - `pesim compile`: a model scenario or one GEMM -> trace. */
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cc_compile.h"
#include "cli.h"
#include "ps_file.h"

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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arch_path = NULL, *model = NULL, *scen = NULL, *gemm = NULL;
	struct cc_compile_req rq;
	struct cc_compile_stats cs;
	struct cfg_arch arch;
	struct wl_model m;
	struct wl_scenario s;
	struct ps_err err;
	struct cli_opts p;
	struct stat sb;
	enum ps_status st;
	char real[PATH_MAX], side[PATH_MAX + 4];
	int c;

	memset(&rq, 0, sizeof rq);
	rq.seed = 1;
	cli_opts_init(&p, "compile", opts, "ho:");
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'a': arch_path = optarg; break;
		case 'm': model = optarg; break;
		case 's': scen = optarg; break;
		case 'g': gemm = optarg; break;
		case 'd': rq.gemm_phase = WL_DECODE; break;
		case 'b': rq.bit_true = true; break;
		case 'S':
			if (cli_u64(&p, optarg, 0, UINT64_MAX, &rq.seed))
				return 2;
			break;
		case 'o': rq.out_path = optarg; break;
		case 'h': help(stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("compile", "unexpected argument '%s'", argv[optind]);
	if (!arch_path || !rq.out_path || (!gemm == !model) || (model && !scen))
		return cli_usage_error("compile", "--arch, -o and either --model with --scenario or --gemm are required");
	if (gemm && cli_gemm("compile", gemm, &rq.M, &rq.K, &rq.N))
		return 2;
	/* refuse bad targets before the work */
	snprintf(side, sizeof side, "%s.h5", rq.out_path);
	if ((st = ps_out_target(rq.out_path, real, sizeof real, &err)) ||
	    (rq.bit_true && (st = ps_out_target(side, real, sizeof real, &err))))
		return cli_fail("compile", st, &err);
	if ((st = cfg_arch_load(arch_path, &arch, &err)))
		return cli_fail("compile", st, &err);
	rq.arch = &arch;
	if (model) {
		if ((st = wl_model_find(model, &m, &err)) ||
		    (st = wl_scenario_parse(scen, &s, &err)))
			return cli_fail("compile", st, &err);
		rq.model = &m;
		rq.scenario = &s;
	}
	if ((st = cc_compile(&rq, &cs, &err)))
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

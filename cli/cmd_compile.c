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
#include "cli_work.h"
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
	struct cc_compile_req rq;
	struct cc_compile_stats cs;
	struct wl_plan plan;
	struct ps_err err;
	struct cli_opts p;
	struct stat sb;
	enum ps_status st;
	char real[PATH_MAX], side[PATH_MAX + 4];
	int c, rc;
	static struct cli_work w;
	struct cfg_energy en;
	struct cc_prices pr[2];

	memset(&rq, 0, sizeof rq);
	cli_opts_init(&p, "compile", "bit-true,b", "ho:", help);
	cli_work_init(&w, &p);
	while ((c = cli_work_getopt(&w, &p, argc, argv)) != -1) {
		switch (c) {
		case 'b': rq.bit_true = true; break;
		case 'o': rq.out_path = optarg; break;
		default: return cli_done(c);
		}
	}
	if (optind < argc)
		return cli_usage_error("compile", "unexpected argument '%s'", argv[optind]);
	if (!w.arch_path || !rq.out_path || (!w.gemm == !w.model) || (w.model && !w.scen))
		return cli_usage_error("compile", "--arch, -o and either --model with --scenario or --gemm are required");
	if ((rc = cli_work_gemm(&w, "compile")))
		return rc;
	/* refuse bad targets before the work */
	snprintf(side, sizeof side, "%s.h5", rq.out_path);
	if ((st = ps_out_target(rq.out_path, real, sizeof real, &err)) ||
	    (rq.bit_true && (st = ps_out_target(side, real, sizeof real, &err))))
		return cli_fail("compile", st, &err);
	if ((rc = cli_work_arch(&w, "compile")))
		return rc;
	if ((st = sim_load_energy(&w.arch, &en, &err)))
		return cli_fail("compile", st, &err);
	/* the mapper prices energy as pesim run's does */
	sim_map_prices(&en, pr);
	rq.prices[0] = &pr[0];
	rq.prices[1] = &pr[1];
	rq.arch = &w.arch;
	rq.seed = w.seed;
	if ((rc = cli_work_model(&w, "compile")))
		return rc;
	st = w.model ? wl_plan_model(&w.m, &w.s, false, &plan, &err) :
		       wl_plan_gemm(w.M, w.K, w.N, w.decode ? WL_DECODE : WL_PREFILL, &plan, &err);
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

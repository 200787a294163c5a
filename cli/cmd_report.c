/* cmd_report.c - `pesim report NAME|all`: regenerate published tables. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cfg_yaml.h"
#include "cli.h"
#include "ps_progress.h"
#include "rpt.h"
#include "sim.h"

static void help(FILE *fp)
{
	fprintf(fp, "usage: pesim report NAME|all [--out DIR] [--models A,B] [--jobs N]\n"
		    "                   [--compat-attn A] [--quiet] [--set PATH=VALUE ...]\n\n"
		    "Regenerates a published table through the simulator and prints it\n"
		    "(Markdown) with the paper's numbers beside ours. With --out, also\n"
		    "writes NAME.md, NAME.csv, NAME.h5 and NAME.png into DIR, replaced\n"
		    "together. `all` runs every report in forked workers (--out required).\n\n"
		    "  --models A,B      the recipe's models replaced (zoo keys)\n"
		    "  --jobs N          report all: workers (default: the online CPUs)\n"
		    "  --compat-attn A   published (default) | kv-read (the BitMoD method)\n"
		    "  --quiet           print nothing on stdout and no progress\n"
		    "  --progress        progress (rate, ETA) on stderr even when it is not\n"
		    "                    a terminal\n"
		    "  --set PATH=VALUE  override a field of every arch the report loads\n"
		    "                    (model.KEY: of every model); the paper columns stay\n\nreports:\n");
	for (const struct rpt_recipe *r = rpt_recipes; r->name; r++)
		fprintf(fp, "  %-9s %s\n", r->name, r->summary);
}

int cmd_report(int argc, char **argv)
{
	struct rpt_options o = { .out = stdout, .compat_attn = SIM_ATTN_PUBLISHED };
	const struct rpt_recipe *r = NULL;
	struct cli_opts p;
	struct ps_err err;
	enum ps_status st;
	uint64_t jobs = 0;
	int c;
	static struct cfg_sets sets;

	sets.n = 0;
	rpt_default_dirs(&o);
	cli_opts_init(&p, "report",
		      "out,o: compat-attn,A: models,m: jobs,j: set,E:",
		      "ho:qj:", NULL);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'o': o.out_dir = optarg; break;
		case 'q':
			p.quiet = true;
			ps_progress_mode(PS_PROGRESS_OFF);
			break;
		case 'm': o.models = optarg; break;
		case 'j':
			if (cli_u64(&p, optarg, 1, 256, &jobs))
				return 2;
			break;
		case 'E':
			if (cli_set_add("report", &sets, optarg))
				return 2;
			o.sets = &sets;
			break;
		case 'A':
			o.compat_attn = cfg_enum_find(sim_compat_attn_names, optarg);
			if (o.compat_attn < 0)
				return cli_usage_error("report", "unknown --compat-attn '%s'", optarg);
			break;
		case 'h': help(stdout); return 0;
		default: return 2;
		}
	}
	if (p.quiet)
		o.out = NULL;
	if (optind != argc - 1)
		return cli_usage_error("report", "expected one report name (or all)");
	if (strcmp(argv[optind], "all")) {
		r = rpt_find(argv[optind]);
		if (!r)
			return cli_usage_error("report", "unknown report '%s'", argv[optind]);
	} else if (!o.out_dir) {
		return cli_usage_error("report", "report all needs --out DIR");
	}
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (uint64_t)n : 1;
	}
	st = r ? rpt_recipe_run(r, &o, &err) : rpt_all(&o, (int)jobs, &err);
	if (st)
		return cli_fail("report", st, &err);
	if (r && o.out_dir && !p.quiet)
		fprintf(stderr, "pesim report: wrote %s/%s.{md,csv,h5,png}\n",
			o.out_dir, r->name);
	return 0;
}

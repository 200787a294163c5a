/* cmd_sweep.c - `pesim sweep FILE -o OUT.h5`: expand a sweep file and run
 * its points (or one shard of them) in worker processes, resumably. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "swp.h"
#include "swp_exec.h"
#include "swp_progress.h"

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim sweep FILE.yaml -o OUT.h5 [-j N] [--shard I/N | --shard slurm[/N]]\n"
		"                   [--csv FILE] [--progress | --quiet] [--every N] [--list]\n\n"
		"Expands the sweep file (README \"Sweeps\": a base run, fields to vary,\n"
		"constraints) and runs every point through the simulator in N worker\n"
		"processes. Each finished point is committed to OUT.h5.journal first, so\n"
		"a rerun of the same command skips the points already done (also after\n"
		"Ctrl-C or kill -9); OUT.h5 is written whole when every point is in: /points\n"
		"(one row per point: the swept fields, status, error, the metrics) and\n"
		"/metrics/<name> with units. A point that fails is recorded with its error.\n\n"
		"  -o FILE          the HDF5 output (required)\n"
		"  -j N             worker processes (default 1)\n"
		"  --shard I/N      run only the points p with p %% N == I (0 <= I < N), for\n"
		"                   Slurm job arrays or GNU parallel; join with 'pesim merge'\n"
		"  --shard slurm    I and N from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT\n"
		"  --shard slurm/N  I from SLURM_ARRAY_TASK_ID, N given (resubmitted arrays)\n"
		"  --csv FILE       also write the table as CSV\n"
		"  --progress       progress line even when stderr is not a terminal\n"
		"  --quiet          no progress\n"
		"  --every N        without a terminal, a progress line every N points\n"
		"                   (default: every 5%%)\n"
		"  --list           print the points (index and swept values) and exit\n"
		"exit status: 0 all points done (failed points included), 2 bad input,\n"
		"130 interrupted (finished points kept; rerun to resume)\n");
}

static int env_u32(const char *name, uint32_t *v)
{
	const char *s = getenv(name);
	char *e;
	unsigned long x;
	if (!s || !*s)
		return -1;
	x = strtoul(s, &e, 10);
	if (*e || x > 1000000)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* I/N, slurm or slurm/N. */
static int parse_shard(const char *a, uint32_t *i, uint32_t *n)
{
	unsigned long x, y;
	char *e;
	if (!strncmp(a, "slurm", 5)) {
		uint32_t min = 0;
		if (env_u32("SLURM_ARRAY_TASK_ID", i))
			return cli_usage_error("sweep", "--shard %s: SLURM_ARRAY_TASK_ID is not set (not in a Slurm job array?)", a);
		if (a[5] == '/') {
			y = strtoul(a + 6, &e, 10);
			if (*e || !y || y > 1000000)
				return cli_usage_error("sweep", "--shard %s: expected slurm/N with N >= 1", a);
			*n = (uint32_t)y;
		} else if (a[5]) {
			return cli_usage_error("sweep", "--shard %s: expected slurm or slurm/N", a);
		} else {
			if (env_u32("SLURM_ARRAY_TASK_COUNT", n))
				return cli_usage_error("sweep", "--shard slurm: SLURM_ARRAY_TASK_COUNT is not set");
			if (!env_u32("SLURM_ARRAY_TASK_MIN", &min) && min != 0)
				return cli_usage_error("sweep", "--shard slurm: the array starts at %u, not 0: give the shard count, --shard slurm/N", min);
		}
		if (*i >= *n)
			return cli_usage_error("sweep", "--shard %s: task %u is not below the shard count %u", a, *i, *n);
		return 0;
	}
	x = strtoul(a, &e, 10);
	if (e == a || *e != '/')
		return cli_usage_error("sweep", "--shard %s: expected I/N", a);
	y = strtoul(e + 1, &e, 10);
	if (*e || !y || y > 1000000 || x >= y)
		return cli_usage_error("sweep", "--shard %s: expected I/N with 0 <= I < N", a);
	*i = (uint32_t)x;
	*n = (uint32_t)y;
	return 0;
}

static void list_points(const struct swp_sweep *s)
{
	printf("%s: %llu points (%llu expanded, %llu pruned by where:)\n", s->name,
	       (unsigned long long)s->n_points, (unsigned long long)s->n_expanded,
	       (unsigned long long)s->n_pruned);
	printf("index");
	for (size_t f = 0; f < s->n_fields; f++)
		printf("\t%s", s->fields[f].path);
	printf("\n");
	for (uint64_t p = 0; p < s->n_points; p++) {
		printf("%llu", (unsigned long long)p);
		for (size_t f = 0; f < s->n_fields; f++)
			printf("\t%s", swp_value(s, p, f));
		printf("\n");
	}
}

static double loadavg(void)
{
	double l = -1;
	FILE *fp = fopen("/proc/loadavg", "r");
	if (fp) {
		if (fscanf(fp, "%lf", &l) != 1)
			l = -1;
		fclose(fp);
	}
	return l;
}

int cmd_sweep(int argc, char **argv)
{
	struct swp_exec_opts o = { .jobs = 1, .progress = SWP_PROGRESS_AUTO };
	struct swp_exec_stats x;
	static struct swp_sweep s;
	struct ps_err err;
	enum ps_status st;
	int c, list = 0;
	double l0 = loadavg();
	struct cli_opts p;

	/* its own --progress and --quiet (before cli_opts' in the table):
	 * the sweep's progress line, not the points' */
	cli_opts_init(&p, "sweep",
		      "shard,s: csv,c: progress,p quiet,q every,e: list,l",
		      "ho:j:", help);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		char *e;
		switch (c) {
		case 'o': o.out = optarg; break;
		case 'j':
			o.jobs = (unsigned)strtoul(optarg, &e, 10);
			if (*e || !*optarg || o.jobs < 1 || o.jobs > 256)
				return cli_usage_error("sweep", "-j wants 1..256, got '%s'", optarg);
			break;
		case 's':
			if (parse_shard(optarg, &o.shard, &o.shards))
				return 2;
			break;
		case 'c': o.csv = optarg; break;
		case 'p': o.progress = SWP_PROGRESS_ON; break;
		case 'q': o.progress = SWP_PROGRESS_OFF; break;
		case 'e':
			o.every = strtoull(optarg, &e, 10);
			if (*e || !o.every)
				return cli_usage_error("sweep", "--every wants a positive integer, got '%s'", optarg);
			break;
		case 'l': list = 1; break;
		default: return cli_done(c);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("sweep", "expected one sweep file");
	if (!o.out && !list)
		return cli_usage_error("sweep", "-o OUT.h5 is required");
	if ((st = swp_load(argv[optind], &s, &err)))
		return cli_fail("sweep", st, &err);
	if (list) {
		list_points(&s);
		swp_free(&s);
		return 0;
	}
	st = swp_exec(&s, &o, &x, &err);
	swp_free(&s);
	if (st)
		return cli_fail("sweep", st, &err);
	fprintf(stderr, "pesim sweep: %llu points%s (%llu resumed), %llu run in %.2f s "
			"(%.1f points/s), CPU %.2f s, %llu failed; load average %.2f -> %.2f\n",
		(unsigned long long)x.total, o.shards ? " in this shard" : "",
		(unsigned long long)x.resumed, (unsigned long long)x.ran, x.seconds,
		x.seconds > 0 ? (double)x.ran / x.seconds : 0.0, x.cpu_seconds,
		(unsigned long long)(x.interrupted ? x.failed : x.failed_total), l0, loadavg());
	if (x.interrupted) {
		fprintf(stderr, "pesim sweep: interrupted; %llu of %llu points are committed in %s.journal: "
				"rerun the same command to resume\n",
			(unsigned long long)(x.resumed + x.ran), (unsigned long long)x.total, o.out);
		return 130;
	}
	fprintf(stderr, "pesim sweep: wrote %s%s%s\n", o.out, o.csv ? " and " : "",
		o.csv ? o.csv : "");
	return 0;
}

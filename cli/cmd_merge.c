/* cmd_merge.c - `pesim merge SHARD.h5... -o OUT.h5`: join a sweep's shards. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "swp_merge.h"

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim merge SHARD.h5... -o OUT.h5 [--csv FILE] [--resubmit]\n\n"
		"Joins the files of one sweep's shards (pesim sweep --shard I/N) into the\n"
		"file a single run of the sweep writes, byte for byte. The inputs must come\n"
		"from the same sweep file (its digest) and layout. Points missing (a shard\n"
		"that has not finished) are counted with their shards, and nothing is\n"
		"written (exit 1).\n\n"
		"  -o FILE      the merged HDF5 file\n"
		"  --csv FILE   also as CSV\n"
		"  --resubmit   print the missing shards as an sbatch --array value\n"
		"               (e.g. 3,5-7) on stdout\n"
		CLI_HELP_COMMON);
}

int cmd_merge(int argc, char **argv)
{
	const char *out = NULL, *csv = NULL;
	int c, resubmit = 0;
	static struct swp_merge_report rep;
	struct swp_table t;
	struct ps_err err;
	enum ps_status st;
	struct cli_opts p;

	cli_opts_init(&p, "merge", "csv,c: resubmit,r", "ho:", help);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'c': csv = optarg; break;
		case 'r': resubmit = 1; break;
		default: return cli_done(c);
		}
	}
	if (optind >= argc)
		return cli_usage_error("merge", "expected the shard files");
	if (!out && !resubmit)
		return cli_usage_error("merge", "-o OUT.h5 (or --resubmit) is required");
	st = swp_merge((const char *const *)argv + optind, (size_t)(argc - optind), &t, &rep, &err);
	if (st)
		return cli_fail("merge", st, &err);
	if (rep.missing) {
		char arr[8192];
		swp_merge_array(&rep, arr, sizeof arr);
		fprintf(stderr, "pesim merge: %llu of %llu points missing", (unsigned long long)rep.missing,
			(unsigned long long)rep.points);
		if (rep.shards)
			fprintf(stderr, " (shards %s of %u: resubmit with --array=%s)", arr, rep.shards, arr);
		fprintf(stderr, "; nothing written\n");
		if (resubmit)
			printf("%s\n", arr);
		swp_table_free(&t);
		return 1;
	}
	if (out && !(st = swp_table_write_h5(&t, out, &err)) && csv)
		st = swp_table_write_csv(&t, csv, &err);
	swp_table_free(&t);
	if (st)
		return cli_fail("merge", st, &err);
	if (out)
		fprintf(stderr, "pesim merge: %llu points from %d files -> %s\n",
			(unsigned long long)rep.present, argc - optind, out);
	return 0;
}

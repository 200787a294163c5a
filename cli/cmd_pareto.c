/* cmd_pareto.c - `pesim pareto SWEEP.h5 --minimize a,b [--maximize c]`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "swp_pareto.h"

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim pareto SWEEP.h5 [--minimize M,...] [--maximize M,...]\n"
		"                    [--png FILE] [--csv FILE]\n\n"
		"Prints the non-dominated points of a sweep's results for the objectives\n"
		"(metrics such as cycles, energy_pj, area_um2, sqnr_db, tokens_per_s, or\n"
		"numeric swept fields), one row per point with its swept fields. --png\n"
		"plots every point and the front over the first two objectives (gnuplot),\n"
		"the front labelled with its swept fields (the sweep's label: template).\n\n"
		CLI_HELP_COMMON);
}

static int add_objs(const struct swp_table *t, const char *list, bool max,
		    struct swp_objective *o, size_t *n)
{
	char buf[1024], *save = NULL, *tok;
	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int c = swp_table_col(t, tok);
		if (c < 0 || t->cols[c].type == SWP_C_STR)
			return cli_usage_error("pareto", "'%s' is not a numeric column of the sweep (see its /points)", tok);
		if (*n >= SWP_MAX_OBJ)
			return cli_usage_error("pareto", "at most %d objectives", SWP_MAX_OBJ);
		o[*n].col = c;
		o[(*n)++].maximize = max;
	}
	return 0;
}

int cmd_pareto(int argc, char **argv)
{
	const char *mins[SWP_MAX_OBJ], *maxs[SWP_MAX_OBJ], *png = NULL, *csv = NULL;
	size_t nmin = 0, nmax = 0, nobj = 0;
	struct swp_objective obj[SWP_MAX_OBJ];
	struct swp_table t, f;
	struct ps_err err;
	enum ps_status st;
	uint64_t *front, nf;
	struct cli_opts p;
	int c;

	cli_opts_init(&p, "pareto", "minimize,m: maximize,M: png,p: csv,c:", "h", help);
	p.multi = "mM";
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'm':
			if (nmin < SWP_MAX_OBJ)
				mins[nmin++] = optarg;
			break;
		case 'M':
			if (nmax < SWP_MAX_OBJ)
				maxs[nmax++] = optarg;
			break;
		case 'p': png = optarg; break;
		case 'c': csv = optarg; break;
		default: return cli_done(c);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("pareto", "expected one sweep file (.h5)");
	if (!nmin && !nmax)
		return cli_usage_error("pareto", "give the objectives: --minimize and/or --maximize");
	if ((st = swp_table_read_h5(argv[optind], &t, &err)))
		return cli_fail("pareto", st, &err);
	for (size_t i = 0; i < nmin; i++)
		if (add_objs(&t, mins[i], false, obj, &nobj))
			goto usage;
	for (size_t i = 0; i < nmax; i++)
		if (add_objs(&t, maxs[i], true, obj, &nobj))
			goto usage;
	if ((st = swp_pareto(&t, obj, nobj, &front, &nf, &err))) {
		swp_table_free(&t);
		return cli_fail("pareto", st, &err);
	}
	printf("%s: %llu of %llu points on the front\nindex", t.sweep,
	       (unsigned long long)nf, (unsigned long long)t.nrows);
	for (size_t col = 1; col < t.ncols && strcmp(t.cols[col].name, "status"); col++)
		printf("\t%s", t.cols[col].name);
	for (size_t i = 0; i < nobj; i++)
		printf("\t%s", t.cols[obj[i].col].name);
	printf("\n");
	for (uint64_t k = 0; k < nf; k++) {
		char buf[256];
		printf("%lld", (long long)swp_table_i64(&t, front[k], 0));
		for (size_t col = 1; col < t.ncols && strcmp(t.cols[col].name, "status"); col++) {
			swp_table_text(&t, front[k], (int)col, buf, sizeof buf);
			printf("\t%s", buf);
		}
		for (size_t i = 0; i < nobj; i++) {
			swp_table_text(&t, front[k], obj[i].col, buf, sizeof buf);
			printf("\t%s", buf);
		}
		printf("\n");
	}
	st = png ? swp_pareto_png(&t, obj, nobj, front, nf, png, &err) : PS_OK;
	if (!st && csv) {
		f = t;
		f.rows = malloc((nf ? nf : 1) * t.row_size);
		if (!f.rows) {
			st = ps_errf(&err, PS_ENOMEM, "out of memory");
		} else {
			for (uint64_t k = 0; k < nf; k++)
				memcpy(f.rows + k * t.row_size, t.rows + front[k] * t.row_size, t.row_size);
			f.nrows = nf;
			st = swp_table_write_csv(&f, csv, &err);
			free(f.rows);
		}
	}
	free(front);
	swp_table_free(&t);
	if (st)
		return cli_fail("pareto", st, &err);
	return 0;
usage:
	swp_table_free(&t);
	return 2;
}

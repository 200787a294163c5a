/* swp_pareto.c - Pareto fronts of sweep results (swp_pareto.h). */
#include "ps_plot.h"
#include "swp_pareto.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"
#include "ps_table.h"

struct cand {
	uint64_t row;
	double v[SWP_MAX_OBJ];	/* all as "smaller is better" */
};

static size_t sort_nobj;
static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	for (size_t i = 0; i < sort_nobj; i++)
		if (x->v[i] != y->v[i])
			return x->v[i] < y->v[i] ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static bool dominates(const struct cand *a, const struct cand *b, size_t k)
{
	bool better = false;
	for (size_t i = 0; i < k; i++) {
		if (a->v[i] > b->v[i])
			return false;
		if (a->v[i] < b->v[i])
			better = true;
	}
	return better;
}

enum ps_status swp_pareto(const struct swp_table *t,
			  const struct swp_objective *obj, size_t nobj,
			  uint64_t **rows, uint64_t *n, struct ps_err *err)
{
	int stc = swp_table_col(t, "status");
	struct cand *c = malloc((t->nrows ? t->nrows : 1) * sizeof *c);
	uint64_t nc = 0, nf = 0, *front;
	char buf[16];

	*rows = NULL;
	*n = 0;
	if (!nobj || nobj > SWP_MAX_OBJ)
		return ps_errf(err, PS_EINPUT, "give 1..%d objectives", SWP_MAX_OBJ);
	if (!c)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t r = 0; r < t->nrows; r++) {
		bool ok = true;
		swp_table_text(t, r, stc, buf, sizeof buf);
		if (strcmp(buf, "ok"))
			continue;
		for (size_t i = 0; i < nobj && ok; i++) {
			double v = swp_table_f64(t, r, obj[i].col);
			ok = isfinite(v);
			c[nc].v[i] = obj[i].maximize ? -v : v;
		}
		if (ok)
			c[nc++].row = r;
	}
	/* after a lexicographic sort a dominator comes first, and one
	 * dominated by the front is dominated by a front point */
	sort_nobj = nobj;
	qsort(c, nc, sizeof *c, cmp_cand);
	front = malloc((nc ? nc : 1) * sizeof *front);
	if (!front) {
		free(c);
		return ps_errf(err, PS_ENOMEM, "out of memory");
	}
	{
		uint64_t *fi = malloc((nc ? nc : 1) * sizeof *fi);	/* front as indices into c */
		if (!fi) {
			free(c);
			free(front);
			return ps_errf(err, PS_ENOMEM, "out of memory");
		}
		for (uint64_t i = 0; i < nc; i++) {
			bool dom = false;
			for (uint64_t k = 0; k < nf && !dom; k++)
				dom = dominates(&c[fi[k]], &c[i], nobj);
			if (!dom)
				fi[nf++] = i;
		}
		for (uint64_t k = 0; k < nf; k++)
			front[k] = c[fi[k]].row;
		free(fi);
	}
	free(c);
	*rows = front;
	*n = nf;
	return PS_OK;
}

void swp_point_label(const struct swp_table *t, uint64_t row, char *buf,
		     size_t n)
{
	size_t used = 0;
	char v[256];
	buf[0] = '\0';
	if (t->label[0]) {
		const char *p = t->label;
		while (*p && used + 1 < n) {
			const char *e = *p == '{' ? strchr(p, '}') : NULL;
			if (e) {
				char name[CFG_SET_PATH];
				int col;
				snprintf(name, sizeof name, "%.*s", (int)(e - p - 1), p + 1);
				col = swp_table_col(t, name);
				if (col >= 0) {
					swp_table_text(t, row, col, v, sizeof v);
					used += (size_t)snprintf(buf + used, n - used, "%s", v);
					if (used >= n)
						used = n - 1;
					p = e + 1;
					continue;
				}
			}
			buf[used++] = *p++;
			buf[used] = '\0';
		}
		return;
	}
	/* the swept fields lie between index and status */
	for (size_t c = 1; c < t->ncols && strcmp(t->cols[c].name, "status"); c++) {
		const char *key = strrchr(t->cols[c].name, '.');
		swp_table_text(t, row, (int)c, v, sizeof v);
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s=%s",
					 c > 1 ? " " : "", key ? key + 1 : t->cols[c].name, v);
	}
}

static const char *axis_label(const struct swp_table *t, int col)
{
	int m = swp_metric_find(t->cols[col].name);
	return m >= 0 ? swp_metrics[m].label : t->cols[col].name;
}

enum ps_status swp_pareto_png(const struct swp_table *t,
			      const struct swp_objective *obj, size_t nobj,
			      const uint64_t *front, uint64_t nf,
			      const char *path, struct ps_err *err)
{
	int stc = swp_table_col(t, "status");
	int cx = obj[0].col, cy = nobj > 1 ? obj[1].col : -1;
	char lab[512], buf[16];
	struct ps_plot plot;
	FILE *gp = ps_plot_begin(&plot);

	if (!gp)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	/* the PNG goes to gnuplot's stdout: the output module's file */
	fprintf(gp, "set terminal png size 1200,800 noenhanced\n");
	fprintf(gp, "set title ");
	snprintf(lab, sizeof lab, "%s: Pareto front of %llu points (%s %s%s%s)", t->sweep,
		 (unsigned long long)t->nrows, obj[0].maximize ? "max" : "min",
		 t->cols[cx].name, cy >= 0 ? (obj[1].maximize ? ", max " : ", min ") : "",
		 cy >= 0 ? t->cols[cy].name : "");
	ps_put_quoted(gp, lab, '\'');
	fprintf(gp, "\nset xlabel ");
	ps_put_quoted(gp, axis_label(t, cx), '\'');
	fprintf(gp, "\nset ylabel ");
	ps_put_quoted(gp, cy >= 0 ? axis_label(t, cy) : "point", '\'');
	fprintf(gp, "\nset grid\nset key top right\nset datafile separator '\\t'\n$all << EOD\n");
	for (uint64_t r = 0; r < t->nrows; r++) {
		double x = swp_table_f64(t, r, cx), y = cy >= 0 ? swp_table_f64(t, r, cy) : (double)r;
		swp_table_text(t, r, stc, buf, sizeof buf);
		if (!strcmp(buf, "ok") && isfinite(x) && isfinite(y))
			fprintf(gp, "%.17g\t%.17g\n", x, y);
	}
	fprintf(gp, "EOD\n$front << EOD\n");
	for (uint64_t k = 0; k < nf; k++) {
		double x = swp_table_f64(t, front[k], cx);
		double y = cy >= 0 ? swp_table_f64(t, front[k], cy) : (double)front[k];
		swp_point_label(t, front[k], lab, sizeof lab);
		for (char *p = lab; *p; p++)
			if (*p == '\t' || *p == '\n')
				*p = ' ';
		fprintf(gp, "%.17g\t%.17g\t%s\n", x, y, lab);
	}
	fprintf(gp, "EOD\n"
		    "plot $all using 1:2 with points pt 7 ps 0.6 lc rgb '#b0b0b0' title 'all points', \\\n"
		    "     $front using 1:2 with linespoints pt 7 ps 1.2 lw 2 lc rgb '#c03020' title 'Pareto front', \\\n"
		    "     $front using 1:2:3 with labels offset 1,0.6 left font ',9' notitle\n");
	return ps_plot_end(&plot, path, err);
}

/* rpt_doc.c - a report's Markdown, tables and figure, and their four files
 * (rpt_doc.h). */
#include "rpt_doc.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"
#include "ps_h5.h"
#include "ps_plot.h"

const char *const rpt_doc_suffixes[] = { "md", "csv", "h5", "png", NULL };

enum ps_status rpt_doc_init(struct rpt_doc *d, const char *name,
			    struct ps_err *err)
{
	memset(d, 0, sizeof *d);
	snprintf(d->name, sizeof d->name, "%s", name);
	d->md = open_memstream(&d->md_buf, &d->md_len);
	d->gp = open_memstream(&d->gp_buf, &d->gp_len);
	if (!d->md || !d->gp) {
		rpt_doc_free(d);
		return ps_errf(err, PS_ENOMEM, "out of memory");
	}
	return PS_OK;
}

void rpt_doc_free(struct rpt_doc *d)
{
	if (d->md)
		fclose(d->md);
	if (d->gp)
		fclose(d->gp);
	free(d->md_buf);
	free(d->gp_buf);
	for (size_t i = 0; i < d->n_tabs; i++) {
		free(d->tabs[i]->rows);
		free(d->tabs[i]);
	}
	memset(d, 0, sizeof *d);
}

void rpt_doc_attr(struct rpt_doc *d, const char *key, const char *fmt, ...)
{
	va_list ap;
	if (d->n_attrs >= RPT_MAX_ATTRS)
		return;
	snprintf(d->attr_k[d->n_attrs], sizeof d->attr_k[0], "%s", key);
	va_start(ap, fmt);
	vsnprintf(d->attr_v[d->n_attrs], sizeof d->attr_v[0], fmt, ap);
	va_end(ap);
	d->n_attrs++;
}

struct rpt_tab *rpt_doc_table(struct rpt_doc *d, const char *name, bool csv)
{
	struct rpt_tab *t;
	if (d->n_tabs >= RPT_MAX_TABLES || !(t = calloc(1, sizeof *t)))
		return NULL;
	snprintf(t->name, sizeof t->name, "%s", name);
	t->csv = csv;
	d->tabs[d->n_tabs++] = t;
	return t;
}

void rpt_tab_col(struct rpt_tab *t, const char *name, int type,
		 const char *units, int decimals)
{
	size_t i = t->ncols;
	size_t sz = type == PS_COL_STR ? RPT_STR : 8;
	if (!t || i >= RPT_MAX_COLS || t->nrows)
		return;
	snprintf(t->col_names[i], sizeof t->col_names[i], "%s", name);
	snprintf(t->col_units[i], sizeof t->col_units[i], "%s", units ? units : "");
	t->cols[i] = (struct ps_col){ t->col_names[i], type, t->row_size, sz, t->col_units[i] };
	t->decimals[i] = decimals;
	t->row_size += sz;
	t->ncols++;
}

void rpt_tab_cols(struct rpt_tab *t, const char *spec)
{
	while (*spec) {
		char ent[96], *name, *units, *fmt, *save;
		size_t n = strcspn(spec, ",");
		snprintf(ent, sizeof ent, "%.*s", (int)n, spec);
		spec += n + (spec[n] == ',');
		name = strtok_r(ent, " ", &save);
		units = strtok_r(NULL, " ", &save);
		fmt = strtok_r(NULL, " ", &save);
		if (!fmt) {
			fmt = units;
			units = "";
		}
		assert(name && fmt && fmt[0] == '%');
		if (!strcmp(fmt, "%s"))
			rpt_tab_col(t, name, PS_COL_STR, units, 0);
		else if (!strcmp(fmt, "%u"))
			rpt_tab_col(t, name, PS_COL_U64, units, 0);
		else
			rpt_tab_col(t, name, PS_COL_F64, units,
				    !strcmp(fmt, "%.4g") ? -1 : atoi(fmt + 2));
	}
}

void *rpt_tab_row(struct rpt_tab *t)
{
	unsigned char *r;
	if (!t)
		return NULL;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		unsigned char *n = realloc(t->rows, cap * t->row_size);
		if (!n)
			return NULL;
		t->rows = n;
		t->cap = cap;
	}
	r = t->rows + t->nrows++ * t->row_size;
	memset(r, 0, t->row_size);
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cols[c].type == PS_COL_F64) {
			double nan = NAN;
			memcpy(r + t->cols[c].offset, &nan, 8);
		}
	return r;
}

void rpt_tab_str(struct rpt_tab *t, void *row, size_t col, const char *s)
{
	if (row && col < t->ncols && t->cols[col].type == PS_COL_STR)
		snprintf((char *)row + t->cols[col].offset, RPT_STR, "%s", s);
}

void rpt_tab_u64(struct rpt_tab *t, void *row, size_t col, uint64_t v)
{
	if (row && col < t->ncols && t->cols[col].type == PS_COL_U64)
		memcpy((char *)row + t->cols[col].offset, &v, 8);
}

void rpt_tab_f64(struct rpt_tab *t, void *row, size_t col, double v)
{
	if (row && col < t->ncols && t->cols[col].type == PS_COL_F64)
		memcpy((char *)row + t->cols[col].offset, &v, 8);
}

double rpt_tab_get(const struct rpt_tab *t, size_t row, size_t col)
{
	const unsigned char *r = t->rows + row * t->row_size + t->cols[col].offset;
	if (t->cols[col].type == PS_COL_F64) {
		double v;
		memcpy(&v, r, 8);
		return v;
	}
	if (t->cols[col].type == PS_COL_U64) {
		uint64_t v;
		memcpy(&v, r, 8);
		return (double)v;
	}
	return NAN;
}

void rpt_tab_markdown(struct rpt_doc *d, const struct rpt_tab *t)
{
	FILE *fp = d->md;
	fputc('|', fp);
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(fp, " %s |", t->col_names[c]);
	fputs("\n|", fp);
	for (size_t c = 0; c < t->ncols; c++)
		fputs(t->cols[c].type == PS_COL_STR ? "---|" : "---:|", fp);
	fputc('\n', fp);
	for (size_t r = 0; r < t->nrows; r++) {
		const unsigned char *row = t->rows + r * t->row_size;
		fputc('|', fp);
		for (size_t c = 0; c < t->ncols; c++) {
			const unsigned char *at = row + t->cols[c].offset;
			if (t->cols[c].type == PS_COL_STR) {
				fprintf(fp, " %s |", (const char *)at);
			} else if (t->cols[c].type == PS_COL_U64) {
				uint64_t v;
				memcpy(&v, at, 8);
				fprintf(fp, " %" PRIu64 " |", v);
			} else {
				double v;
				memcpy(&v, at, 8);
				if (isnan(v))
					fputs(" — |", fp);
				else if (t->decimals[c] < 0)
					fprintf(fp, " %.4g |", v);
				else
					fprintf(fp, " %.*f |", t->decimals[c], v);
			}
		}
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

double rpt_dev_pct(double ours, double paper)
{
	if (isnan(paper) || paper == 0)
		return NAN;
	return 100.0 * (ours - paper) / paper;
}

static enum ps_status write_text(const char *path, const char *buf, size_t n,
				 struct ps_err *err)
{
	struct ps_out o;
	enum ps_status st = ps_out_open(&o, path, err);
	if (st)
		return st;
	if (n && fwrite(buf, 1, n, o.fp) != n) {
		ps_out_abort(&o);
		return ps_errf(err, PS_EIO, "%s: write failed", path);
	}
	return ps_out_commit(&o, err);
}

static enum ps_status write_csv(struct rpt_doc *d, const char *path,
				struct ps_err *err)
{
	struct ps_out o;
	const struct rpt_tab *t = NULL;
	enum ps_status st;
	for (size_t i = 0; i < d->n_tabs && !t; i++)
		if (d->tabs[i]->csv)
			t = d->tabs[i];
	if (!t && d->n_tabs)
		t = d->tabs[0];
	if ((st = ps_out_open(&o, path, err)))
		return st;
	if (t) {
		ps_csv_header(o.fp, t->cols, t->ncols);
		for (size_t r = 0; r < t->nrows; r++)
			ps_csv_row(o.fp, t->cols, t->ncols, t->rows + r * t->row_size);
	}
	return ps_out_commit(&o, err);
}

static enum ps_status write_h5(struct rpt_doc *d, const char *path,
			       struct ps_err *err)
{
	struct ps_h5_file *f;
	enum ps_status st = ps_h5_create(&f, path, err);
	if (st)
		return st;
	st = ps_h5_stamp(f, err);
	if (!st)
		st = ps_h5_attr_str(f, "report", d->name, err);
	for (size_t i = 0; i < d->n_attrs && !st; i++)
		st = ps_h5_attr_str(f, d->attr_k[i], d->attr_v[i], err);
	for (size_t i = 0; i < d->n_tabs && !st; i++) {
		const struct rpt_tab *t = d->tabs[i];
		st = ps_h5_table(f, t->name, t->cols, t->ncols, t->rows, t->nrows,
				 t->row_size, err);
	}
	if (st) {
		ps_h5_abort(f);
		return st;
	}
	return ps_h5_commit(f, err);
}

enum ps_status rpt_doc_write(struct rpt_doc *d, const char *const paths[4],
			     struct ps_err *err)
{
	enum ps_status st;
	if (fflush(d->md) || fflush(d->gp))
		return ps_errf(err, PS_ENOMEM, "out of memory");
	st = write_text(paths[0], d->md_buf, d->md_len, err);
	if (!st)
		st = write_csv(d, paths[1], err);
	if (!st)
		st = write_h5(d, paths[2], err);
	if (!st)
		st = ps_plot_png(paths[3], d->gp_buf, d->gp_len, err);
	return st;
}

/* rpt_doc.h - what a report writes: Markdown text, column tables and one
 * gnuplot figure, as the four files of its set (NAME.md, NAME.csv,
 * NAME.h5, NAME.png) through the output module's set writer (ps_outset).
 *
 * A table is built row by row with named columns (one name in Markdown
 * headers' place, CSV and HDF5: ps_table.h), so every report shares one
 * writer: the Markdown carries every table where the report put it, the
 * CSV the table marked `csv` (the report's main table), the HDF5 every
 * table as a dataset with the report's root attributes. */
#ifndef RPT_DOC_H
#define RPT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ps_status.h"
#include "ps_table.h"

#define RPT_MAX_COLS 24
#define RPT_MAX_TABLES 24
#define RPT_MAX_ATTRS 12
#define RPT_STR 160		/* bytes of a string cell */

struct rpt_tab {
	char name[32];		/* HDF5 dataset, CSV when csv */
	struct ps_col cols[RPT_MAX_COLS];
	char col_names[RPT_MAX_COLS][40];
	char col_units[RPT_MAX_COLS][16];
	int decimals[RPT_MAX_COLS];	/* Markdown: %.*f, -1 %g */
	size_t ncols, row_size, nrows, cap;
	unsigned char *rows;
	bool csv;
};

struct rpt_doc {
	char name[32];		/* the report: file stem */
	FILE *md;		/* the Markdown so far (memstream) */
	char *md_buf;
	size_t md_len;
	FILE *gp;		/* the gnuplot script so far */
	char *gp_buf;
	size_t gp_len;
	struct rpt_tab *tabs[RPT_MAX_TABLES];
	size_t n_tabs;
	char attr_k[RPT_MAX_ATTRS][32], attr_v[RPT_MAX_ATTRS][256];
	size_t n_attrs;
};

enum ps_status rpt_doc_init(struct rpt_doc *d, const char *name,
			    struct ps_err *err);
void rpt_doc_free(struct rpt_doc *d);
/* A root attribute of the HDF5 file (report, mode, ...). */
void rpt_doc_attr(struct rpt_doc *d, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A new table owned by the doc. */
struct rpt_tab *rpt_doc_table(struct rpt_doc *d, const char *name, bool csv);
/* Columns (before the first row): type PS_COL_STR, PS_COL_U64 or
 * PS_COL_F64; decimals for Markdown (-1: %.4g). */
void rpt_tab_col(struct rpt_tab *t, const char *name, int type,
		 const char *units, int decimals);
/* Columns from a spec: comma-separated "NAME [UNITS] FORMAT", FORMAT %s
 * (string), %u (integer), %.Nf or %.4g (float, as Markdown prints it):
 * "model %s, cycles cycle %u, speedup x %.2f". */
void rpt_tab_cols(struct rpt_tab *t, const char *spec);
/* Append a row (zeroed, NaN in float columns); NULL when out of memory. */
void *rpt_tab_row(struct rpt_tab *t);
void rpt_tab_str(struct rpt_tab *t, void *row, size_t col, const char *s);
void rpt_tab_u64(struct rpt_tab *t, void *row, size_t col, uint64_t v);
void rpt_tab_f64(struct rpt_tab *t, void *row, size_t col, double v);
double rpt_tab_get(const struct rpt_tab *t, size_t row, size_t col);
/* The table as Markdown into the doc's text (header = column names). */
void rpt_tab_markdown(struct rpt_doc *d, const struct rpt_tab *t);

/* Write the set: stdout gets the Markdown too when out != NULL. The set is
 * begun before the work by the caller (rpt_set_begin) so a bad --out fails
 * at once. */
extern const char *const rpt_doc_suffixes[];	/* md, csv, h5, png */
enum ps_status rpt_doc_write(struct rpt_doc *d, const char *const paths[4],
			     struct ps_err *err);

/* 100 * (ours - paper) / paper, NaN without a paper value. */
double rpt_dev_pct(double ours, double paper);

#endif

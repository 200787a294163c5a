/* ps_table.h - one column table per result table, shared by every format
 * that writes it: HDF5 compound datasets (ps_h5_table), CSV (ps_csv_*) and
 * JSON objects (ps_json_row). A column's name is the same in all three;
 * names carry their unit where one applies (energy_total_pj, area_um2,
 * dram_read_bytes) and `units` repeats it for the HDF5 "units" attribute. */
#ifndef PS_TABLE_H
#define PS_TABLE_H

#include <stddef.h>
#include <stdio.h>

enum ps_col_type { PS_COL_STR, PS_COL_U64, PS_COL_F64 };

struct ps_col {
	const char *name;
	int type;		/* enum ps_col_type */
	size_t offset;		/* in the row struct */
	size_t size;		/* PS_COL_STR: char array size */
	const char *units;	/* "" when dimensionless */
};

/* A column of row struct R: PS_COL(R, field, type, units). */
#define PS_COL(R, f, t, u) { #f, t, offsetof(R, f), sizeof(((R *)0)->f), u }

/* CSV: the header line, then one line per row (strings quoted when they
 * hold a comma, quote or newline; numbers as %.17g / integers). */
void ps_csv_header(FILE *fp, const struct ps_col *cols, size_t n);
void ps_csv_row(FILE *fp, const struct ps_col *cols, size_t n, const void *row);
/* One CSV cell: s as is, or quoted as above when it needs to be. */
void ps_csv_str(FILE *fp, const char *s);
/* s between two q characters, each q inside doubled (CSV's "..." and
 * gnuplot's '...' quoting). */
void ps_put_quoted(FILE *fp, const char *s, char q);

struct ps_json;
/* The row's columns as members of the JSON object being written. */
void ps_json_row(struct ps_json *j, const struct ps_col *cols, size_t n,
		 const void *row);

#endif

/* swp_table.h - a sweep's result table: typed columns (index, every swept
 * field, status, error, every metric), one row per point in index order,
 * plus the file's identity (sweep name, digest, shard). Written as HDF5
 * (/points and /metrics/<name>, README "Sweeps") and CSV; read back for
 * resume, merge and pareto. The same table written twice gives the same
 * bytes, which is how a merged sweep equals a one-machine run.
 *
 * This is the sweep's own small table interface; it maps one to one onto
 * base/ps_table (struct ps_col {name, type, offset, size, units}) once
 * that lands, and its writers onto the one output module. */
#ifndef SWP_TABLE_H
#define SWP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"
#include "swp.h"

enum swp_ctype { SWP_C_I64, SWP_C_F64, SWP_C_STR };

#define SWP_MAX_COLS 64

struct swp_col {
	char name[CFG_SET_PATH];
	int type;		/* enum swp_ctype */
	size_t offset, size;	/* in a packed row */
	char units[16];
};

struct swp_table {
	size_t ncols;
	struct swp_col cols[SWP_MAX_COLS];
	size_t row_size;
	uint64_t nrows, cap;
	unsigned char *rows;	/* nrows x row_size, zero-padded strings */
	/* identity, root attributes of the file */
	char sweep[64];
	char digest[24];	/* the sweep file's FNV-1a, hex */
	char label[256];
	uint64_t points, pruned;	/* the whole sweep's, not this file's */
	uint32_t shard, shards;	/* shards 0: the whole sweep */
};

/* Columns of sweep s: index, its fields, status, error, the metrics. */
enum ps_status swp_table_init(struct swp_table *t, const struct swp_sweep *s,
			      uint32_t shard, uint32_t shards,
			      struct ps_err *err);
void swp_table_free(struct swp_table *t);

/* Append the row of point r->index (its field values from s). */
enum ps_status swp_table_add(struct swp_table *t, const struct swp_sweep *s,
			     const struct swp_result *r, struct ps_err *err);
/* Append a raw row (of the same columns). */
enum ps_status swp_table_add_raw(struct swp_table *t, const void *row,
				 struct ps_err *err);
/* Rows by index column, ascending. */
void swp_table_sort(struct swp_table *t);

int swp_table_col(const struct swp_table *t, const char *name);
int64_t swp_table_i64(const struct swp_table *t, uint64_t row, int col);
double swp_table_f64(const struct swp_table *t, uint64_t row, int col);
/* A cell as text (numbers %.17g; NaN ""). */
void swp_table_text(const struct swp_table *t, uint64_t row, int col,
		    char *buf, size_t n);
/* The result of a row of a table of this sweep's columns. */
void swp_table_result(const struct swp_table *t, uint64_t row,
		      struct swp_result *r);

/* Whole-file writers (temporary name, renamed into place). */
enum ps_status swp_table_write_h5(const struct swp_table *t, const char *path,
				  struct ps_err *err);
enum ps_status swp_table_write_csv(const struct swp_table *t, const char *path,
				   struct ps_err *err);
/* Read a file written by swp_table_write_h5. */
enum ps_status swp_table_read_h5(const char *path, struct swp_table *t,
				 struct ps_err *err);
/* Same columns (names, types, sizes) and same sweep (digest). */
bool swp_table_same_layout(const struct swp_table *a, const struct swp_table *b);

#endif

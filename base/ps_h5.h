/* ps_h5.h - HDF5 files of tables and arrays: compound datasets readable by
 * h5py / pandas in one call, each column's unit in a "units" attribute
 * ("col=unit;col=unit"). Strings are UTF-8: attributes variable-length (h5py
 * reads them as str), table columns fixed-length. The file is written
 * through the output module (ps_file.h) under a temporary name and renamed
 * into place by ps_h5_commit; object times are not tracked, so the same
 * inputs give byte-identical files. */
#ifndef PS_H5_H
#define PS_H5_H

#define PS_H5_SCHEMA_VERSION 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"

#include "ps_table.h"

struct ps_h5_file;

enum ps_status ps_h5_create(struct ps_h5_file **f, const char *path,
			     struct ps_err *err);
enum ps_status ps_h5_attr_str(struct ps_h5_file *f, const char *name,
			       const char *value, struct ps_err *err);
enum ps_status ps_h5_attr_u64(struct ps_h5_file *f, const char *name,
			       uint64_t value, struct ps_err *err);
/* Attributes on the object at obj ("/" the root, "op0" a group, ...). */
enum ps_status ps_h5_attr_str_at(struct ps_h5_file *f, const char *obj,
				 const char *name, const char *value,
				 struct ps_err *err);
enum ps_status ps_h5_attr_u64_at(struct ps_h5_file *f, const char *obj,
				 const char *name, uint64_t v,
				 struct ps_err *err);
enum ps_status ps_h5_attr_f64_at(struct ps_h5_file *f, const char *obj,
				 const char *name, double v, struct ps_err *err);
enum ps_status ps_h5_group(struct ps_h5_file *f, const char *path,
			   struct ps_err *err);

/* A plain 1-D (cols 0) or 2-D array; data NULL: nothing written. */
enum ps_h5_atype { PS_H5_A_U8, PS_H5_A_U16, PS_H5_A_F32 };
enum ps_status ps_h5_array(struct ps_h5_file *f, const char *path, int type,
			   uint64_t rows, uint64_t cols, const void *data,
			   struct ps_err *err);

/* A 1-D compound dataset, one field per column (ps_table.h), with the
 * "units" attribute "col=unit;col=unit". */
enum ps_status ps_h5_table(struct ps_h5_file *f, const char *name,
			    const struct ps_col *cols, size_t ncols,
			    const void *rows, size_t nrows, size_t row_size,
			    struct ps_err *err);
/* The same table streamed: begin (an empty extensible dataset), append
 * rows as they come, end (closes the dataset; NULL: nothing; err may be
 * NULL). */
struct ps_h5_stream;
enum ps_status ps_h5_table_begin(struct ps_h5_file *f, const char *name,
				 const struct ps_col *cols, size_t ncols,
				 size_t row_size, struct ps_h5_stream **t,
				 struct ps_err *err);
enum ps_status ps_h5_table_append(struct ps_h5_stream *t, const void *rows,
				  size_t n, struct ps_err *err);
enum ps_status ps_h5_table_end(struct ps_h5_stream *t, struct ps_err *err);

/* Reading: arrays come back malloc'd (NULL and *n = 0 if absent). */
enum ps_status ps_h5_open_read(struct ps_h5_file **f, const char *path,
			       struct ps_err *err);
void ps_h5_close_read(struct ps_h5_file *f);
bool ps_h5_exists(struct ps_h5_file *f, const char *path);
enum ps_status ps_h5_read_array(struct ps_h5_file *f, const char *path,
				int type, void **data, uint64_t *n,
				struct ps_err *err);
enum ps_status ps_h5_attr_read_u64(struct ps_h5_file *f, const char *obj,
				   const char *name, uint64_t *v,
				   struct ps_err *err);
enum ps_status ps_h5_attr_read_str(struct ps_h5_file *f, const char *obj,
				   const char *name, char *buf, size_t n,
				   struct ps_err *err);

enum ps_status ps_h5_commit(struct ps_h5_file *f, struct ps_err *err);
void ps_h5_abort(struct ps_h5_file *f);

/* The HDF5 file id of f, for writers of their own layout (the sweep's
 * /points and /metrics); commit or abort f as any other. */
int64_t ps_h5_id(struct ps_h5_file *f);

/* Root attributes every pesim file carries: schema_version, pesim_version,
 * git_sha. */
enum ps_status ps_h5_stamp(struct ps_h5_file *f, struct ps_err *err);

#endif

/* sim_h5.h - HDF5 files of tables: compound datasets readable by
 * h5py / pandas in one call, each column's unit in a "units" attribute
 * ("col=unit;col=unit"). The file is built under a temporary name and renamed
 * into place by sim_h5_commit; object times are not tracked, so the same
 * inputs give byte-identical files. */
#ifndef SIM_H5_H
#define SIM_H5_H

#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"

enum sim_h5_type { SIM_H5_STR, SIM_H5_U64, SIM_H5_F64 };

struct sim_h5_col {
	const char *name;
	int type;		/* enum sim_h5_type */
	size_t offset;		/* in the row struct */
	size_t size;		/* SIM_H5_STR: char array size */
	const char *units;	/* "" when dimensionless */
};

struct sim_h5_file;

enum ps_status sim_h5_create(struct sim_h5_file **f, const char *path,
			     struct ps_err *err);
enum ps_status sim_h5_attr_str(struct sim_h5_file *f, const char *name,
			       const char *value, struct ps_err *err);
enum ps_status sim_h5_attr_u64(struct sim_h5_file *f, const char *name,
			       uint64_t value, struct ps_err *err);
enum ps_status sim_h5_table(struct sim_h5_file *f, const char *name,
			    const struct sim_h5_col *cols, size_t ncols,
			    const void *rows, size_t nrows, size_t row_size,
			    struct ps_err *err);
enum ps_status sim_h5_commit(struct sim_h5_file *f, struct ps_err *err);
void sim_h5_abort(struct sim_h5_file *f);

/* Root attributes every pesim file carries: schema_version, pesim_version,
 * git_sha. */
enum ps_status sim_h5_stamp(struct sim_h5_file *f, struct ps_err *err);

#endif

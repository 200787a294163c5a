/* sim_h5.c - a run result as HDF5 (layout in sim_out.h), with the column
 * tables JSON uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_h5.h"
#include "sim_out.h"

enum ps_status sim_write_h5(const char *path, const struct sim_result *r,
			    struct ps_err *err)
{
	struct ps_h5_file *f;
	struct sim_summary_row s;
	struct ps_col cols[64];
	struct sim_op_row *rows = calloc(r->n_ops ? r->n_ops : 1, sizeof *rows);
	char digest[32];
	size_t nc = 0;
	enum ps_status st;

	if (!rows)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	sim_summary_row(r, &s);
	for (size_t i = 0; i < sim_n_summary_cols; i++)
		cols[nc++] = sim_summary_cols[i];
	for (size_t i = 0; i < sim_n_cycle_cols; i++)
		cols[nc++] = sim_cycle_cols[i];
	for (size_t i = 0; i < r->n_ops; i++)
		sim_op_row(r, i, &rows[i]);
	snprintf(digest, sizeof digest, "%016llx", (unsigned long long)r->arch_digest);
	st = ps_h5_create(&f, path, err);
	if (st) {
		free(rows);
		return st;
	}
	if (!(st = ps_h5_stamp(f, err)) &&
	    !(st = ps_h5_attr_str(f, "arch_digest", digest, err)) &&
	    !(st = ps_h5_attr_str(f, "energy_table", r->energy_table, err)) &&
	    !(st = ps_h5_attr_str(f, "pe_area_source", r->area_source, err)) &&
	    !(st = ps_h5_attr_str(f, "arch", r->arch, err)) &&
	    !(st = ps_h5_attr_str(f, "model", r->model, err)) &&
	    !(st = ps_h5_attr_str(f, "scenario", r->scenario, err)) &&
	    !(st = ps_h5_attr_str(f, "mode", sim_mode_names[r->mode], err)) &&
	    !(st = ps_h5_table(f, "summary", cols, nc, &s, 1, sizeof s, err)))
		st = ps_h5_table(f, "ops", sim_op_cols, sim_n_op_cols, rows, r->n_ops,
				 sizeof *rows, err);
	free(rows);
	if (st) {
		ps_h5_abort(f);
		return st;
	}
	return ps_h5_commit(f, err);
}

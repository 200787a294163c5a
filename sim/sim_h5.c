/* sim_h5.c - a run result as HDF5 (layout in sim_out.h), streamed row by
 * row, with the column tables JSON uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_h5.h"
#include "sim_out.h"

#define H5_BATCH 256

struct sim_h5 {
	struct ps_h5_file *f;
	struct ps_h5_stream *ops;
	struct sim_op_row rows[H5_BATCH];
	size_t n;
	uint64_t index;
};

enum ps_status sim_h5_begin(const char *path, const struct sim_result *r,
			    struct sim_h5 **out, struct ps_err *err)
{
	struct sim_h5 *h = calloc(1, sizeof *h);
	char digest[32];
	enum ps_status st;

	if (!h)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	snprintf(digest, sizeof digest, "%016llx", (unsigned long long)r->arch_digest);
	st = ps_h5_create(&h->f, path, err);
	if (st) {
		free(h);
		return st;
	}
	if ((st = ps_h5_stamp(h->f, err)) ||
	    (st = ps_h5_attr_str(h->f, "arch_digest", digest, err)) ||
	    (st = ps_h5_attr_str(h->f, "energy_table", r->energy_table, err)) ||
	    (st = ps_h5_attr_str(h->f, "pe_area_source", r->area_source, err)) ||
	    (st = ps_h5_attr_str(h->f, "arch", r->arch, err)) ||
	    (st = ps_h5_attr_str(h->f, "model", r->model, err)) ||
	    (st = ps_h5_attr_str(h->f, "scenario", r->scenario, err)) ||
	    (st = ps_h5_attr_str(h->f, "mode", sim_mode_names[r->mode], err)) ||
	    (st = ps_h5_table_begin(h->f, "ops", sim_op_cols, sim_n_op_cols,
				    sizeof(struct sim_op_row), &h->ops, err))) {
		sim_h5_abort(h);
		return st;
	}
	*out = h;
	return PS_OK;
}

enum ps_status sim_h5_op(struct sim_h5 *h, const struct sim_op_stats *o,
			 struct ps_err *err)
{
	sim_op_row(h->index++, o, &h->rows[h->n++]);
	if (h->n < H5_BATCH)
		return PS_OK;
	h->n = 0;
	return ps_h5_table_append(h->ops, h->rows, H5_BATCH, err);
}

enum ps_status sim_h5_end(struct sim_h5 *h, const struct sim_result *r,
			  struct ps_err *err)
{
	struct sim_summary_row s;
	struct ps_col cols[64];
	size_t nc = 0;
	enum ps_status st = ps_h5_table_append(h->ops, h->rows, h->n, err);

	sim_summary_row(r, &s);
	for (size_t i = 0; i < sim_n_summary_cols; i++)
		cols[nc++] = sim_summary_cols[i];
	for (size_t i = 0; i < sim_n_cycle_cols; i++)
		cols[nc++] = sim_cycle_cols[i];
	if (!st)
		st = ps_h5_table_end(h->ops, err);
	h->ops = NULL;
	if (!st)
		st = ps_h5_table(h->f, "summary", cols, nc, &s, 1, sizeof s, err);
	if (st) {
		sim_h5_abort(h);
		return st;
	}
	st = ps_h5_commit(h->f, err);
	free(h);
	return st;
}

void sim_h5_abort(struct sim_h5 *h)
{
	if (!h)
		return;
	ps_h5_table_end(h->ops, NULL);
	ps_h5_abort(h->f);
	free(h);
}

enum ps_status sim_write_h5(const char *path, const struct sim_result *r,
			    struct ps_err *err)
{
	struct sim_h5 *h;
	enum ps_status st = sim_h5_begin(path, r, &h, err);
	if (st)
		return st;
	for (size_t i = 0; i < r->n_ops && !st; i++)
		st = sim_h5_op(h, &r->ops[i], err);
	if (st) {
		sim_h5_abort(h);
		return st;
	}
	return sim_h5_end(h, r, err);
}

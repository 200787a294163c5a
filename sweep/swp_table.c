/* swp_table.c - the sweep's result table in memory, as HDF5 and as CSV.
 *
 * HDF5: /points is a 1-D compound dataset, one member per column, strings
 * fixed-length UTF-8 (pandas reads them as str; h5py as bytes), with a
 * `units` attribute "col=unit;..."; /metrics/<name> repeats each metric as
 * a float64 array with its own `units`. Object times are off and rows are
 * sorted, so equal tables give equal files. */
#include "swp_table.h"

#include <hdf5.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"
#include "ps_h5.h"
#include "ps_table.h"
#include "ps_version.h"

static enum ps_status add_col(struct swp_table *t, const char *name, int type,
			      size_t size, const char *units, struct ps_err *err)
{
	struct swp_col *c;
	if (t->ncols >= SWP_MAX_COLS)
		return ps_errf(err, PS_EINPUT, "too many columns (at most %d)", SWP_MAX_COLS);
	c = &t->cols[t->ncols++];
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	snprintf(c->units, sizeof c->units, "%s", units ? units : "");
	c->type = type;
	c->size = type == SWP_C_STR ? size : 8;
	c->offset = t->row_size;
	t->row_size += c->size;
	return PS_OK;
}

enum ps_status swp_table_init(struct swp_table *t, const struct swp_sweep *s,
			      uint32_t shard, uint32_t shards,
			      struct ps_err *err)
{
	static const int ctype[] = { SWP_C_I64, SWP_C_F64, SWP_C_STR };
	enum ps_status st;
	memset(t, 0, sizeof *t);
	snprintf(t->sweep, sizeof t->sweep, "%s", s->name);
	snprintf(t->digest, sizeof t->digest, "%016" PRIx64, s->digest);
	snprintf(t->label, sizeof t->label, "%s", s->label);
	t->points = s->n_points;
	t->pruned = s->n_pruned;
	t->shard = shard;
	t->shards = shards;
	st = add_col(t, "index", SWP_C_I64, 8, "", err);
	for (size_t f = 0; !st && f < s->n_fields; f++)
		st = add_col(t, s->fields[f].path, ctype[s->fields[f].type],
			     s->fields[f].width, "", err);
	if (!st)
		st = add_col(t, "status", SWP_C_STR, 8, "", err);
	if (!st)
		st = add_col(t, "error", SWP_C_STR, SWP_ERR_LEN, "", err);
	for (int m = 0; !st && m < SWP_N_METRICS; m++)
		st = add_col(t, swp_metrics[m].name, SWP_C_F64, 8, swp_metrics[m].units, err);
	return st;
}

void swp_table_free(struct swp_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
}

static unsigned char *new_row(struct swp_table *t, struct ps_err *err)
{
	unsigned char *r;
	if (t->nrows == t->cap) {
		uint64_t cap = t->cap ? t->cap * 2 : 256;
		void *p = realloc(t->rows, cap * t->row_size);
		if (!p) {
			ps_errf(err, PS_ENOMEM, "out of memory (%" PRIu64 " rows)", cap);
			return NULL;
		}
		t->rows = p;
		t->cap = cap;
	}
	r = t->rows + t->nrows++ * t->row_size;
	memset(r, 0, t->row_size);
	return r;
}

static void put_i64(unsigned char *row, const struct swp_col *c, int64_t v)
{
	memcpy(row + c->offset, &v, 8);
}

static void put_f64(unsigned char *row, const struct swp_col *c, double v)
{
	memcpy(row + c->offset, &v, 8);
}

static void put_str(unsigned char *row, const struct swp_col *c, const char *v)
{
	size_t n = strlen(v);
	if (n > c->size - 1)
		n = c->size - 1;
	memset(row + c->offset, 0, c->size);
	memcpy(row + c->offset, v, n);
}

enum ps_status swp_table_add(struct swp_table *t, const struct swp_sweep *s,
			     const struct swp_result *r, struct ps_err *err)
{
	unsigned char *row = new_row(t, err);
	size_t c = 0;
	if (!row)
		return PS_ENOMEM;
	put_i64(row, &t->cols[c++], (int64_t)r->index);
	for (size_t f = 0; f < s->n_fields; f++, c++) {
		const char *v = swp_value(s, r->index, f);
		if (t->cols[c].type == SWP_C_I64)
			put_i64(row, &t->cols[c], strtoll(v, NULL, 10));
		else if (t->cols[c].type == SWP_C_F64)
			put_f64(row, &t->cols[c], strtod(v, NULL));
		else
			put_str(row, &t->cols[c], v);
	}
	put_str(row, &t->cols[c++], swp_status_names[r->status]);
	put_str(row, &t->cols[c++], r->status == SWP_OK ? "" : r->error);
	for (int m = 0; m < SWP_N_METRICS; m++)
		put_f64(row, &t->cols[c++], r->m[m]);
	return PS_OK;
}

enum ps_status swp_table_add_raw(struct swp_table *t, const void *src,
				 struct ps_err *err)
{
	unsigned char *row = new_row(t, err);
	if (!row)
		return PS_ENOMEM;
	memcpy(row, src, t->row_size);
	return PS_OK;
}

static int cmp_index(const void *a, const void *b)
{
	int64_t x, y;
	memcpy(&x, a, 8);	/* index is column 0, offset 0 */
	memcpy(&y, b, 8);
	return x < y ? -1 : x > y;
}

void swp_table_sort(struct swp_table *t)
{
	qsort(t->rows, t->nrows, t->row_size, cmp_index);
}

int swp_table_col(const struct swp_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return (int)i;
	return -1;
}

int64_t swp_table_i64(const struct swp_table *t, uint64_t row, int col)
{
	int64_t v;
	memcpy(&v, t->rows + row * t->row_size + t->cols[col].offset, 8);
	return v;
}

double swp_table_f64(const struct swp_table *t, uint64_t row, int col)
{
	double v;
	if (t->cols[col].type == SWP_C_I64)
		return (double)swp_table_i64(t, row, col);
	memcpy(&v, t->rows + row * t->row_size + t->cols[col].offset, 8);
	return v;
}

void swp_table_text(const struct swp_table *t, uint64_t row, int col,
		    char *buf, size_t n)
{
	const struct swp_col *c = &t->cols[col];
	const unsigned char *at = t->rows + row * t->row_size + c->offset;
	if (c->type == SWP_C_I64) {
		snprintf(buf, n, "%" PRId64, swp_table_i64(t, row, col));
	} else if (c->type == SWP_C_F64) {
		double v = swp_table_f64(t, row, col);
		if (isnan(v))
			buf[0] = '\0';
		else
			snprintf(buf, n, "%.17g", v);
	} else {
		snprintf(buf, n, "%.*s", (int)c->size, (const char *)at);
	}
}

void swp_table_result(const struct swp_table *t, uint64_t row,
		      struct swp_result *r)
{
	int st = swp_table_col(t, "status"), er = swp_table_col(t, "error");
	char buf[16];
	memset(r, 0, sizeof *r);
	r->index = (uint64_t)swp_table_i64(t, row, 0);
	swp_table_text(t, row, st, buf, sizeof buf);
	r->status = strcmp(buf, "ok") ? SWP_FAILED : SWP_OK;
	swp_table_text(t, row, er, r->error, sizeof r->error);
	for (int m = 0; m < SWP_N_METRICS; m++) {
		int c = swp_table_col(t, swp_metrics[m].name);
		r->m[m] = c < 0 ? NAN : swp_table_f64(t, row, c);
	}
}

bool swp_table_same_layout(const struct swp_table *a, const struct swp_table *b)
{
	if (a->ncols != b->ncols || a->row_size != b->row_size ||
	    strcmp(a->digest, b->digest))
		return false;
	for (size_t i = 0; i < a->ncols; i++)
		if (strcmp(a->cols[i].name, b->cols[i].name) ||
		    a->cols[i].type != b->cols[i].type ||
		    a->cols[i].size != b->cols[i].size)
			return false;
	return true;
}

/* ---- HDF5 ---- */

static hid_t str_type(size_t n)
{
	hid_t t = H5Tcopy(H5T_C_S1);
	H5Tset_size(t, n);
	H5Tset_strpad(t, H5T_STR_NULLPAD);
	H5Tset_cset(t, H5T_CSET_UTF8);
	return t;
}

static herr_t attr_str(hid_t obj, const char *name, const char *v)
{
	hid_t t = str_type(strlen(v) + 1), s = H5Screate(H5S_SCALAR);
	hid_t a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
	herr_t rc = a < 0 ? -1 : H5Awrite(a, t, v);
	if (a >= 0)
		H5Aclose(a);
	H5Sclose(s);
	H5Tclose(t);
	return rc;
}

static herr_t attr_u64(hid_t obj, const char *name, uint64_t v)
{
	hid_t s = H5Screate(H5S_SCALAR);
	hid_t a = H5Acreate2(obj, name, H5T_NATIVE_UINT64, s, H5P_DEFAULT, H5P_DEFAULT);
	herr_t rc = a < 0 ? -1 : H5Awrite(a, H5T_NATIVE_UINT64, &v);
	if (a >= 0)
		H5Aclose(a);
	H5Sclose(s);
	return rc;
}

static hid_t row_type(const struct swp_table *t)
{
	hid_t ct = H5Tcreate(H5T_COMPOUND, t->row_size);
	for (size_t i = 0; i < t->ncols; i++) {
		const struct swp_col *c = &t->cols[i];
		if (c->type == SWP_C_STR) {
			hid_t s = str_type(c->size);
			H5Tinsert(ct, c->name, c->offset, s);
			H5Tclose(s);
		} else {
			H5Tinsert(ct, c->name, c->offset,
				  c->type == SWP_C_I64 ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE);
		}
	}
	return ct;
}

/* A dataset of n rows of type ty, chunked and deflated when it has rows. */
static hid_t make_dataset(hid_t loc, const char *name, hid_t ty, uint64_t n)
{
	hsize_t dims[1] = { n }, chunk[1] = { n < 1024 ? n : 1024 };
	hid_t sp = H5Screate_simple(1, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), ds;
	H5Pset_obj_track_times(dcpl, 0);
	if (n && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
		H5Pset_chunk(dcpl, 1, chunk);
		H5Pset_deflate(dcpl, 4);
	}
	ds = H5Dcreate2(loc, name, ty, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	H5Pclose(dcpl);
	H5Sclose(sp);
	return ds;
}

static herr_t write_file(hid_t f, const struct swp_table *t)
{
	char units[8192] = "", shard[32];
	size_t ul = 0;
	hid_t ct = row_type(t), ds, g;
	herr_t rc = 0;
	double *col = malloc((t->nrows ? t->nrows : 1) * sizeof *col);

	if (!col)
		return -1;
	rc |= attr_u64(f, "schema_version", PS_H5_SCHEMA_VERSION);
	rc |= attr_str(f, "pesim_version", PESIM_VERSION);
	rc |= attr_str(f, "git_sha", PESIM_GIT_SHA);
	rc |= attr_str(f, "sweep", t->sweep);
	rc |= attr_str(f, "sweep_digest", t->digest);
	rc |= attr_str(f, "label", t->label);
	rc |= attr_u64(f, "points", t->points);
	rc |= attr_u64(f, "pruned", t->pruned);
	if (t->shards) {
		snprintf(shard, sizeof shard, "%u/%u", t->shard, t->shards);
		rc |= attr_str(f, "shard", shard);
		rc |= attr_u64(f, "shard_index", t->shard);
		rc |= attr_u64(f, "shard_count", t->shards);
	}
	ds = make_dataset(f, "points", ct, t->nrows);
	if (ds < 0) {
		free(col);
		H5Tclose(ct);
		return -1;
	}
	if (t->nrows)
		rc |= H5Dwrite(ds, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, t->rows);
	for (size_t i = 0; i < t->ncols; i++)
		ul += (size_t)snprintf(units + ul, ul < sizeof units ? sizeof units - ul : 0,
				       "%s%s=%s", i ? ";" : "", t->cols[i].name, t->cols[i].units);
	rc |= attr_str(ds, "units", units);
	H5Dclose(ds);
	H5Tclose(ct);
	g = H5Gcreate2(f, "metrics", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
	if (g < 0) {
		free(col);
		return -1;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		int m = swp_metric_find(t->cols[i].name);
		if (m < 0 || t->cols[i].type != SWP_C_F64)
			continue;
		for (uint64_t r = 0; r < t->nrows; r++)
			col[r] = swp_table_f64(t, r, (int)i);
		ds = make_dataset(g, t->cols[i].name, H5T_NATIVE_DOUBLE, t->nrows);
		if (ds < 0) {
			rc = -1;
			break;
		}
		if (t->nrows)
			rc |= H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, col);
		rc |= attr_str(ds, "units", t->cols[i].units);
		H5Dclose(ds);
	}
	H5Gclose(g);
	free(col);
	return rc;
}

enum ps_status swp_table_write_h5(const struct swp_table *t, const char *path,
				  struct ps_err *err)
{
	struct ps_h5_file *pf;
	enum ps_status st = ps_h5_create(&pf, path, err);

	if (st)
		return st;
	/* the sweep's own layout into the file ps_h5 builds in memory and
	 * writes through the output module */
	if (write_file((hid_t)ps_h5_id(pf), t) < 0) {
		ps_h5_abort(pf);
		return ps_errf(err, PS_EIO, "%s: cannot write the sweep's HDF5 file", path);
	}
	return ps_h5_commit(pf, err);
}

static enum ps_status read_attr_str(hid_t f, const char *name, char *buf,
				    size_t n, bool required, const char *path,
				    struct ps_err *err)
{
	hid_t a, t, mt;
	size_t sz;
	char *tmp;
	herr_t rc;
	buf[0] = '\0';
	if (H5Aexists(f, name) <= 0)
		return required ? ps_errf(err, PS_EINPUT, "%s: not a pesim sweep file (no attribute %s)",
					  path, name) : PS_OK;
	a = H5Aopen(f, name, H5P_DEFAULT);
	t = H5Aget_type(a);
	sz = H5Tget_size(t);
	tmp = calloc(1, sz + 1);
	mt = str_type(sz);
	rc = tmp ? H5Aread(a, mt, tmp) : -1;
	H5Tclose(mt);
	H5Tclose(t);
	H5Aclose(a);
	if (rc >= 0)
		snprintf(buf, n, "%s", tmp);
	free(tmp);
	if (rc < 0)
		return ps_errf(err, PS_EINPUT, "%s: cannot read attribute %s", path, name);
	return PS_OK;
}

static uint64_t read_attr_u64(hid_t f, const char *name)
{
	uint64_t v = 0;
	hid_t a;
	if (H5Aexists(f, name) <= 0)
		return 0;
	a = H5Aopen(f, name, H5P_DEFAULT);
	if (H5Aread(a, H5T_NATIVE_UINT64, &v) < 0)
		v = 0;
	H5Aclose(a);
	return v;
}

static enum ps_status read_points(hid_t f, const char *path,
				  struct swp_table *t, struct ps_err *err)
{
	hid_t ds = H5Dopen2(f, "points", H5P_DEFAULT), ft, sp, mt;
	hssize_t n;
	int nm;
	enum ps_status st = PS_OK;

	if (ds < 0)
		return ps_errf(err, PS_EINPUT, "%s: no /points dataset", path);
	ft = H5Dget_type(ds);
	nm = H5Tget_class(ft) == H5T_COMPOUND ? H5Tget_nmembers(ft) : -1;
	for (int i = 0; i < nm && !st; i++) {
		char *name = H5Tget_member_name(ft, (unsigned)i);
		hid_t mtp = H5Tget_member_type(ft, (unsigned)i);
		H5T_class_t cl = H5Tget_class(mtp);
		int type = cl == H5T_INTEGER ? SWP_C_I64 : cl == H5T_FLOAT ? SWP_C_F64 :
			   cl == H5T_STRING ? SWP_C_STR : -1;
		if (type < 0 || !name)
			st = ps_errf(err, PS_EINPUT, "%s: /points: column %d has an unknown type", path, i);
		else
			st = add_col(t, name, type, H5Tget_size(mtp), "", err);
		H5Tclose(mtp);
		H5free_memory(name);
	}
	if (!st && (nm < 3 || strcmp(t->cols[0].name, "index") || t->cols[0].type != SWP_C_I64))
		st = ps_errf(err, PS_EINPUT, "%s: /points is not a sweep's table", path);
	sp = H5Dget_space(ds);
	n = H5Sget_simple_extent_npoints(sp);
	H5Sclose(sp);
	if (!st && n > 0) {
		t->rows = calloc((size_t)n, t->row_size);
		if (!t->rows) {
			st = ps_errf(err, PS_ENOMEM, "%s: out of memory", path);
		} else {
			mt = row_type(t);
			if (H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, t->rows) < 0)
				st = ps_errf(err, PS_EINPUT, "%s: cannot read /points", path);
			H5Tclose(mt);
			t->nrows = t->cap = (uint64_t)n;
		}
	}
	H5Tclose(ft);
	H5Dclose(ds);
	for (int m = 0; !st && m < SWP_N_METRICS; m++) {
		int c = swp_table_col(t, swp_metrics[m].name);
		if (c >= 0)
			snprintf(t->cols[c].units, sizeof t->cols[c].units, "%s", swp_metrics[m].units);
	}
	return st;
}

enum ps_status swp_table_read_h5(const char *path, struct swp_table *t,
				 struct ps_err *err)
{
	hid_t f;
	enum ps_status st;
	memset(t, 0, sizeof *t);
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
	if (f < 0)
		return ps_errf(err, PS_EINPUT, "%s: cannot open as HDF5", path);
	st = read_attr_str(f, "sweep", t->sweep, sizeof t->sweep, true, path, err);
	if (!st)
		st = read_attr_str(f, "sweep_digest", t->digest, sizeof t->digest, true, path, err);
	if (!st)
		st = read_attr_str(f, "label", t->label, sizeof t->label, false, path, err);
	if (!st) {
		t->points = read_attr_u64(f, "points");
		t->pruned = read_attr_u64(f, "pruned");
		t->shard = (uint32_t)read_attr_u64(f, "shard_index");
		t->shards = (uint32_t)read_attr_u64(f, "shard_count");
		st = read_points(f, path, t, err);
	}
	H5Fclose(f);
	if (st)
		swp_table_free(t);
	return st;
}

/* ---- CSV ---- */

enum ps_status swp_table_write_csv(const struct swp_table *t, const char *path,
				   struct ps_err *err)
{
	struct ps_out out;
	char buf[SWP_ERR_LEN + 64];
	enum ps_status st = ps_out_open(&out, path, err);
	if (st)
		return st;
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', out.fp);
		ps_csv_str(out.fp, t->cols[c].name);
	}
	fputc('\n', out.fp);
	for (uint64_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out.fp);
			swp_table_text(t, r, (int)c, buf, sizeof buf);
			ps_csv_str(out.fp, buf);
		}
		fputc('\n', out.fp);
	}
	return ps_out_commit(&out, err);
}

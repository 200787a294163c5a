/* ps_h5.c - HDF5 files written whole or not at all: compound tables,
 * attributes and plain arrays. */
#include "ps_h5.h"

#include <errno.h>
#include <hdf5.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"
#include "ps_version.h"

struct ps_h5_file {
	hid_t file;
	char path[PATH_MAX];
	struct ps_out out;	/* writing: the temporary file (ps_file.h) */
};

/* Strings are UTF-8 (h5py returns attributes as str); attributes are
 * variable-length, table columns fixed-length. */
static hid_t str_type(size_t size)
{
	hid_t t = H5Tcopy(H5T_C_S1);
	H5Tset_size(t, size);
	H5Tset_cset(t, H5T_CSET_UTF8);
	H5Tset_strpad(t, H5T_STR_NULLTERM);
	return t;
}

/* The file is built in memory (HDF5's core driver, no backing store) and
 * its image written through the output module at commit: HDF5 itself never
 * meets a full disk (its own close would then fail half-way and crash at
 * exit), and every byte that reaches the disk is a checked write. */
enum ps_status ps_h5_create(struct ps_h5_file **out, const char *path,
			     struct ps_err *err)
{
	struct ps_h5_file *f = calloc(1, sizeof *f);
	hid_t fcpl, fapl;
	enum ps_status st;
	if (!f)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	if ((st = ps_out_open(&f->out, path, err))) {
		free(f);
		return st;
	}
	snprintf(f->path, sizeof f->path, "%s", path);
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	fcpl = H5Pcreate(H5P_FILE_CREATE);
	H5Pset_obj_track_times(fcpl, 0);
	fapl = H5Pcreate(H5P_FILE_ACCESS);
	H5Pset_fapl_core(fapl, 1 << 20, 0);
	f->file = H5Fcreate(f->out.tmp, H5F_ACC_TRUNC, fcpl, fapl);
	H5Pclose(fcpl);
	H5Pclose(fapl);
	if (f->file < 0) {
		ps_out_abort(&f->out);
		free(f);
		return ps_errf(err, PS_EIO, "%s: cannot create the HDF5 file", path);
	}
	*out = f;
	return PS_OK;
}

static hid_t open_obj(struct ps_h5_file *f, const char *obj)
{
	return H5Oopen(f->file, obj && *obj ? obj : "/", H5P_DEFAULT);
}

static enum ps_status attr_write(struct ps_h5_file *f, const char *obj,
				 const char *name, hid_t type, const void *v,
				 struct ps_err *err)
{
	hid_t s = H5Screate(H5S_SCALAR), a, o = open_obj(f, obj);
	herr_t rc = -1;
	a = o < 0 ? -1 : H5Acreate2(o, name, type, s, H5P_DEFAULT, H5P_DEFAULT);
	if (a >= 0) {
		rc = H5Awrite(a, type, v);
		H5Aclose(a);
	}
	H5Sclose(s);
	if (o >= 0)
		H5Oclose(o);
	if (rc < 0)
		return ps_errf(err, PS_EIO, "%s: cannot write attribute %s",
			       f->path, name);
	return PS_OK;
}

enum ps_status ps_h5_attr_str_at(struct ps_h5_file *f, const char *obj,
				 const char *name, const char *value,
				 struct ps_err *err)
{
	hid_t t = str_type(H5T_VARIABLE);
	enum ps_status st = attr_write(f, obj, name, t, &value, err);
	H5Tclose(t);
	return st;
}

enum ps_status ps_h5_attr_u64_at(struct ps_h5_file *f, const char *obj,
				 const char *name, uint64_t v,
				 struct ps_err *err)
{
	return attr_write(f, obj, name, H5T_NATIVE_UINT64, &v, err);
}

enum ps_status ps_h5_attr_f64_at(struct ps_h5_file *f, const char *obj,
				 const char *name, double v, struct ps_err *err)
{
	return attr_write(f, obj, name, H5T_NATIVE_DOUBLE, &v, err);
}

enum ps_status ps_h5_attr_str(struct ps_h5_file *f, const char *name,
			      const char *value, struct ps_err *err)
{
	return ps_h5_attr_str_at(f, "/", name, value, err);
}

enum ps_status ps_h5_attr_u64(struct ps_h5_file *f, const char *name,
			      uint64_t value, struct ps_err *err)
{
	return ps_h5_attr_u64_at(f, "/", name, value, err);
}

enum ps_status ps_h5_group(struct ps_h5_file *f, const char *path,
			   struct ps_err *err)
{
	hid_t g = H5Gcreate2(f->file, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
	if (g < 0)
		return ps_errf(err, PS_EIO, "%s: cannot create group %s", f->path, path);
	H5Gclose(g);
	return PS_OK;
}

enum ps_status ps_h5_array(struct ps_h5_file *f, const char *path, int type,
			   uint64_t rows, uint64_t cols, const void *data,
			   struct ps_err *err)
{
	static const int ntypes = 3;
	hid_t types[3] = { H5T_NATIVE_UINT8, H5T_NATIVE_UINT16, H5T_NATIVE_FLOAT };
	hsize_t dims[2] = { rows, cols };
	hid_t sp, dcpl, ds;
	herr_t rc = -1;
	if (!data)
		return PS_OK;
	if (type < 0 || type >= ntypes)
		return ps_errf(err, PS_EINPUT, "%s: bad array type", path);
	sp = H5Screate_simple(cols ? 2 : 1, dims, NULL);
	dcpl = H5Pcreate(H5P_DATASET_CREATE);
	H5Pset_obj_track_times(dcpl, 0);
	ds = H5Dcreate2(f->file, path, types[type], sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	if (ds >= 0) {
		rc = H5Dwrite(ds, types[type], H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
		H5Dclose(ds);
	}
	H5Pclose(dcpl);
	H5Sclose(sp);
	if (rc < 0)
		return ps_errf(err, PS_EIO, "%s: cannot write dataset %s", f->path, path);
	return PS_OK;
}

enum ps_status ps_h5_stamp(struct ps_h5_file *f, struct ps_err *err)
{
	if (ps_h5_attr_u64(f, "schema_version", PS_H5_SCHEMA_VERSION, err) ||
	    ps_h5_attr_str(f, "pesim_version", PESIM_VERSION, err) ||
	    ps_h5_attr_str(f, "git_sha", PESIM_GIT_SHA, err))	/* git describe */
		return PS_EIO;
	return PS_OK;
}

/* A table's compound row type and its "units" attribute text; strs gets
 * the string types to close after use. */
static hid_t row_type(const struct ps_col *cols, size_t ncols, size_t row_size,
		      hid_t strs[64], size_t *ns, char *units, size_t usize)
{
	hid_t ct = H5Tcreate(H5T_COMPOUND, row_size);
	size_t ul = 0;
	*ns = 0;
	units[0] = 0;
	for (size_t i = 0; i < ncols && *ns < 64; i++) {
		hid_t t;
		switch (cols[i].type) {
		case PS_COL_STR:
			t = strs[(*ns)++] = str_type(cols[i].size);
			break;
		case PS_COL_U64:
			t = H5T_NATIVE_UINT64;
			break;
		default:
			t = H5T_NATIVE_DOUBLE;
			break;
		}
		H5Tinsert(ct, cols[i].name, cols[i].offset, t);
		ul += (size_t)snprintf(units + ul, ul < usize ? usize - ul : 0,
				       "%s%s=%s", i ? ";" : "", cols[i].name,
				       cols[i].units ? cols[i].units : "");
	}
	return ct;
}

static herr_t units_attr(hid_t ds, const char *units)
{
	hid_t st = str_type(H5T_VARIABLE), as, at;
	herr_t rc;
	as = H5Screate(H5S_SCALAR);
	at = H5Acreate2(ds, "units", st, as, H5P_DEFAULT, H5P_DEFAULT);
	rc = at >= 0 ? H5Awrite(at, st, &units) : -1;
	if (at >= 0)
		H5Aclose(at);
	H5Sclose(as);
	H5Tclose(st);
	return rc;
}

int64_t ps_h5_id(struct ps_h5_file *f)
{
	return (int64_t)f->file;
}

enum ps_status ps_h5_table(struct ps_h5_file *f, const char *name,
			    const struct ps_col *cols, size_t ncols,
			    const void *rows, size_t nrows, size_t row_size,
			    struct ps_err *err)
{
	hid_t strs[64], ct;
	hsize_t dims[1] = { nrows };
	hid_t space, dcpl, ds;
	char units[4096];
	size_t ns;
	herr_t rc = -1;

	ct = row_type(cols, ncols, row_size, strs, &ns, units, sizeof units);
	space = H5Screate_simple(1, dims, NULL);
	dcpl = H5Pcreate(H5P_DATASET_CREATE);
	H5Pset_obj_track_times(dcpl, 0);
	ds = H5Dcreate2(f->file, name, ct, space, H5P_DEFAULT, dcpl,
			H5P_DEFAULT);
	if (ds >= 0) {
		rc = nrows ? H5Dwrite(ds, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) : 0;
		if (rc >= 0)
			rc = units_attr(ds, units);
		H5Dclose(ds);
	}
	H5Pclose(dcpl);
	H5Sclose(space);
	for (size_t i = 0; i < ns; i++)
		H5Tclose(strs[i]);
	H5Tclose(ct);
	if (rc < 0)
		return ps_errf(err, PS_EIO, "%s: cannot write dataset %s",
			       f->path, name);
	return PS_OK;
}

struct ps_h5_stream {
	struct ps_h5_file *f;
	char name[64];
	hid_t ds, ct, strs[64];
	size_t ns;
	hsize_t rows;
};

enum ps_status ps_h5_table_begin(struct ps_h5_file *f, const char *name,
				 const struct ps_col *cols, size_t ncols,
				 size_t row_size, struct ps_h5_stream **out,
				 struct ps_err *err)
{
	struct ps_h5_stream *t = calloc(1, sizeof *t);
	hsize_t dims[1] = { 0 }, max[1] = { H5S_UNLIMITED }, chunk[1] = { 1024 };
	char units[4096];
	hid_t space, dcpl;
	if (!t)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	t->f = f;
	snprintf(t->name, sizeof t->name, "%s", name);
	t->ct = row_type(cols, ncols, row_size, t->strs, &t->ns, units, sizeof units);
	space = H5Screate_simple(1, dims, max);
	dcpl = H5Pcreate(H5P_DATASET_CREATE);
	H5Pset_obj_track_times(dcpl, 0);
	H5Pset_chunk(dcpl, 1, chunk);
	t->ds = H5Dcreate2(f->file, name, t->ct, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	H5Pclose(dcpl);
	H5Sclose(space);
	if (t->ds < 0 || units_attr(t->ds, units) < 0) {
		ps_h5_table_end(t, NULL);
		return ps_errf(err, PS_EIO, "%s: cannot create dataset %s", f->path, name);
	}
	*out = t;
	return PS_OK;
}

enum ps_status ps_h5_table_append(struct ps_h5_stream *t, const void *rows,
				  size_t n, struct ps_err *err)
{
	hsize_t size[1] = { t->rows + n }, start[1] = { t->rows }, count[1] = { n };
	hid_t fs, ms;
	herr_t rc;
	if (!n)
		return PS_OK;
	if (H5Dset_extent(t->ds, size) < 0)
		return ps_errf(err, PS_EIO, "%s: cannot extend dataset %s", t->f->path, t->name);
	fs = H5Dget_space(t->ds);
	H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
	ms = H5Screate_simple(1, count, NULL);
	rc = H5Dwrite(t->ds, t->ct, ms, fs, H5P_DEFAULT, rows);
	H5Sclose(ms);
	H5Sclose(fs);
	if (rc < 0)
		return ps_errf(err, PS_EIO, "%s: cannot write dataset %s", t->f->path, t->name);
	t->rows += n;
	return PS_OK;
}

enum ps_status ps_h5_table_end(struct ps_h5_stream *t, struct ps_err *err)
{
	herr_t rc = 0;
	if (!t)
		return PS_OK;
	if (t->ds >= 0)
		rc = H5Dclose(t->ds);
	for (size_t i = 0; i < t->ns; i++)
		H5Tclose(t->strs[i]);
	H5Tclose(t->ct);
	if (rc < 0 && err) {
		ps_errf(err, PS_EIO, "%s: cannot close dataset %s", t->f->path, t->name);
		free(t);
		return PS_EIO;
	}
	free(t);
	return PS_OK;
}

enum ps_status ps_h5_commit(struct ps_h5_file *f, struct ps_err *err)
{
	enum ps_status st = PS_OK;
	ssize_t n = H5Fflush(f->file, H5F_SCOPE_GLOBAL) < 0 ? -1 :
		    H5Fget_file_image(f->file, NULL, 0);
	void *img = n > 0 ? malloc((size_t)n) : NULL;
	if (!img || H5Fget_file_image(f->file, img, (size_t)n) != n)
		st = ps_errf(err, n > 0 && !img ? PS_ENOMEM : PS_EIO,
			     "%s: cannot build the HDF5 file image", f->path);
	H5Fclose(f->file);
	if (!st && fwrite(img, 1, (size_t)n, f->out.fp) != (size_t)n)
		st = ps_errf(err, PS_EIO, "%s: cannot write: %s", f->path, strerror(errno));
	free(img);
	if (st)
		ps_out_abort(&f->out);
	else
		st = ps_out_commit(&f->out, err);
	free(f);
	return st;
}

void ps_h5_abort(struct ps_h5_file *f)
{
	if (!f)
		return;
	H5Fclose(f->file);
	ps_out_abort(&f->out);
	free(f);
}


/* ---- reading (bit-true sidecars) ---- */

enum ps_status ps_h5_open_read(struct ps_h5_file **out, const char *path,
			       struct ps_err *err)
{
	struct ps_h5_file *f = calloc(1, sizeof *f);
	if (!f)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	enum ps_status st = ps_in_check(path, err);
	if (st) {
		free(f);
		return st;
	}
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	snprintf(f->path, sizeof f->path, "%s", path);
	f->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
	if (f->file < 0) {
		free(f);
		return ps_errf(err, PS_EINPUT, "%s: not an HDF5 file (or a damaged one)", path);
	}
	*out = f;
	return PS_OK;
}

void ps_h5_close_read(struct ps_h5_file *f)
{
	if (!f)
		return;
	H5Fclose(f->file);
	free(f);
}

bool ps_h5_exists(struct ps_h5_file *f, const char *path)
{
	return H5Lexists(f->file, path, H5P_DEFAULT) > 0;
}

enum ps_status ps_h5_read_array(struct ps_h5_file *f, const char *path,
				int type, void **data, uint64_t *n,
				struct ps_err *err)
{
	hid_t types[3] = { H5T_NATIVE_UINT8, H5T_NATIVE_UINT16, H5T_NATIVE_FLOAT };
	size_t sizes[3] = { 1, 2, 4 };
	hid_t ds, sp;
	hssize_t count;
	*data = NULL;
	*n = 0;
	if (type < 0 || type > 2)
		return ps_errf(err, PS_EINPUT, "%s: bad array type", path);
	if (!ps_h5_exists(f, path))
		return PS_OK;
	ds = H5Dopen2(f->file, path, H5P_DEFAULT);
	if (ds < 0)
		return ps_errf(err, PS_EINPUT, "%s: %s: not a dataset", f->path, path);
	sp = H5Dget_space(ds);
	count = H5Sget_simple_extent_npoints(sp);
	H5Sclose(sp);
	if (count < 0 || (*data = malloc(count ? (size_t)count * sizes[type] : 1)) == NULL) {
		H5Dclose(ds);
		return ps_errf(err, PS_ENOMEM, "%s: %s: cannot hold %lld elements", f->path,
			       path, (long long)count);
	}
	if (H5Dread(ds, types[type], H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0) {
		H5Dclose(ds);
		free(*data);
		*data = NULL;
		return ps_errf(err, PS_EINPUT, "%s: %s: cannot read", f->path, path);
	}
	H5Dclose(ds);
	*n = (uint64_t)count;
	return PS_OK;
}

enum ps_status ps_h5_attr_read_u64(struct ps_h5_file *f, const char *obj,
				   const char *name, uint64_t *v,
				   struct ps_err *err)
{
	hid_t a = H5Aopen_by_name(f->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
	herr_t rc = a >= 0 ? H5Aread(a, H5T_NATIVE_UINT64, v) : -1;
	if (a >= 0)
		H5Aclose(a);
	if (rc < 0)
		return ps_errf(err, PS_EINPUT, "%s: %s: missing attribute %s", f->path, obj, name);
	return PS_OK;
}

enum ps_status ps_h5_attr_read_str(struct ps_h5_file *f, const char *obj,
				   const char *name, char *buf, size_t n,
				   struct ps_err *err)
{
	hid_t a = H5Aopen_by_name(f->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
	hid_t t = a >= 0 ? H5Aget_type(a) : -1, mt;
	size_t sz = t >= 0 ? H5Tget_size(t) : 0;
	herr_t rc = -1;
	char *tmp = NULL;
	if (t >= 0 && H5Tis_variable_str(t) > 0) {	/* pesim's attributes */
		char *v = NULL;
		mt = str_type(H5T_VARIABLE);
		rc = H5Aread(a, mt, &v);
		H5Tclose(mt);
		if (rc >= 0)
			snprintf(buf, n, "%s", v ? v : "");
		H5free_memory(v);
		H5Tclose(t);
		H5Aclose(a);
		return rc < 0 ? ps_errf(err, PS_EINPUT, "%s: %s: cannot read attribute %s",
					f->path, obj, name) : PS_OK;
	}
	tmp = sz ? calloc(1, sz + 1) : NULL;
	if (a >= 0 && tmp) {
		mt = H5Tcopy(H5T_C_S1);
		H5Tset_size(mt, sz);
		rc = H5Aread(a, mt, tmp);
		H5Tclose(mt);
	}
	if (t >= 0)
		H5Tclose(t);
	if (a >= 0)
		H5Aclose(a);
	if (rc >= 0)
		snprintf(buf, n, "%s", tmp);
	free(tmp);
	if (rc < 0)
		return ps_errf(err, PS_EINPUT, "%s: %s: missing attribute %s", f->path, obj, name);
	return PS_OK;
}

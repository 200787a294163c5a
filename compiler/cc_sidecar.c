/* cc_sidecar.c - operand data of a bit-true trace as HDF5 (cc_sidecar.h). */
#include "cc_sidecar.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_quant.h"
#include "fmt.h"
#include "ps_file.h"
#include "wl_tensor.h"

#define SIDECAR_SCHEMA 1

struct cc_sidecar {
	hid_t file;
	char path[1100], tmp[1200];
	const struct cfg_arch *a;
	uint64_t seed;
};

static herr_t attr_u64(hid_t loc, const char *name, uint64_t v)
{
	hid_t s = H5Screate(H5S_SCALAR);
	hid_t at = H5Acreate2(loc, name, H5T_NATIVE_UINT64, s, H5P_DEFAULT, H5P_DEFAULT);
	herr_t rc = at >= 0 ? H5Awrite(at, H5T_NATIVE_UINT64, &v) : -1;
	if (at >= 0)
		H5Aclose(at);
	H5Sclose(s);
	return rc;
}

static herr_t attr_f64(hid_t loc, const char *name, double v)
{
	hid_t s = H5Screate(H5S_SCALAR);
	hid_t at = H5Acreate2(loc, name, H5T_NATIVE_DOUBLE, s, H5P_DEFAULT, H5P_DEFAULT);
	herr_t rc = at >= 0 ? H5Awrite(at, H5T_NATIVE_DOUBLE, &v) : -1;
	if (at >= 0)
		H5Aclose(at);
	H5Sclose(s);
	return rc;
}

static herr_t attr_str(hid_t loc, const char *name, const char *v)
{
	hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR), at;
	herr_t rc = -1;
	H5Tset_size(t, strlen(v) + 1);
	at = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
	if (at >= 0) {
		rc = H5Awrite(at, t, v);
		H5Aclose(at);
	}
	H5Sclose(s);
	H5Tclose(t);
	return rc;
}

/* A 1-D or 2-D dataset (cols 0: 1-D of rows). NULL data: skipped. */
static herr_t dset(hid_t g, const char *name, hid_t type, uint64_t rows,
		   uint64_t cols, const void *data)
{
	hsize_t dims[2] = { rows, cols };
	hid_t sp, dcpl, ds;
	herr_t rc = -1;
	if (!data)
		return 0;
	sp = H5Screate_simple(cols ? 2 : 1, dims, NULL);
	dcpl = H5Pcreate(H5P_DATASET_CREATE);
	H5Pset_obj_track_times(dcpl, 0);
	ds = H5Dcreate2(g, name, type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	if (ds >= 0) {
		rc = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
		H5Dclose(ds);
	}
	H5Pclose(dcpl);
	H5Sclose(sp);
	return rc;
}

enum ps_status cc_sidecar_open(struct cc_sidecar **out, const char *trace_path,
			       const struct cfg_arch *a, uint64_t seed,
			       struct ps_err *err)
{
	struct cc_sidecar *s = calloc(1, sizeof *s);
	hid_t fcpl;
	char digest[32];
	if (!s)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	snprintf(s->path, sizeof s->path, "%s.h5", trace_path);
	ps_tmp_name(s->tmp, sizeof s->tmp, s->path);
	s->a = a;
	s->seed = seed;
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	fcpl = H5Pcreate(H5P_FILE_CREATE);
	H5Pset_obj_track_times(fcpl, 0);
	s->file = H5Fcreate(s->tmp, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
	H5Pclose(fcpl);
	if (s->file < 0) {
		free(s);
		return ps_errf(err, PS_EIO, "%s: cannot create HDF5 file", trace_path);
	}
	snprintf(digest, sizeof digest, "%016llx", (unsigned long long)a->digest);
	if (attr_u64(s->file, "schema_version", SIDECAR_SCHEMA) < 0 ||
	    attr_str(s->file, "trace", trace_path) < 0 ||
	    attr_str(s->file, "arch_digest", digest) < 0 ||
	    attr_u64(s->file, "seed", seed) < 0) {
		cc_sidecar_abort(s);
		return ps_errf(err, PS_EIO, "%s: cannot write attributes", s->path);
	}
	*out = s;
	return PS_OK;
}

static enum ps_status write_weights(struct cc_sidecar *s, hid_t g, const char *spec,
				    const float *w, uint64_t N, uint64_t K,
				    struct ps_err *err)
{
	struct cc_qspec q;
	struct cc_qtensor t;
	enum ps_status st;
	herr_t rc = 0;
	if (!spec[0] || !strcmp(spec, "none")) {
		uint16_t *h = malloc(N * K * sizeof *h);
		if (!h)
			return ps_errf(err, PS_ENOMEM, "out of memory");
		for (uint64_t i = 0; i < N * K; i++)
			h[i] = fmt_f16_from_f32(w[i]);
		rc |= attr_str(g, "quant", "none");
		rc |= dset(g, "w_f16", H5T_NATIVE_UINT16, N, K, h);
		free(h);
		return rc < 0 ? ps_errf(err, PS_EIO, "%s: write failed", s->path) : PS_OK;
	}
	if ((st = cc_qspec_parse(spec, &q, err)))
		return ps_err_prefix(err, st, "%s: weight_bits quant", s->a->path);
	if ((st = cc_quantize(&q, w, N, K, &t, err)))
		return st;
	rc |= attr_str(g, "quant", q.name);
	rc |= attr_u64(g, "code_bits", (uint64_t)q.bits);
	rc |= attr_f64(g, "sqnr_db", t.st.sqnr_db);
	rc |= attr_f64(g, "stored_bits", t.stored_bits);
	rc |= attr_u64(g, "group", t.group);
	if (t.fmt >= 0)
		rc |= attr_str(g, "format", fmt_get(t.fmt)->name);
	rc |= dset(g, "w_codes", H5T_NATIVE_UINT8, N, K, t.codes);
	rc |= dset(g, "scale", H5T_NATIVE_FLOAT, N, t.n_groups, t.scale);
	rc |= dset(g, "zero", H5T_NATIVE_FLOAT, N, t.n_groups, t.zero);
	rc |= dset(g, "gfmt", H5T_NATIVE_UINT8, N, t.n_groups, t.gfmt);
	rc |= dset(g, "scale_q", H5T_NATIVE_UINT8, N, t.n_groups, t.scale_q);
	rc |= dset(g, "chan_scale", H5T_NATIVE_FLOAT, N, 0, t.chan_scale);
	if (t.nm_meta) {
		rc |= dset(g, "nm_meta", H5T_NATIVE_UINT8, N, t.n_blocks * t.nm_stride, t.nm_meta);
		rc |= dset(g, "nm_vals", H5T_NATIVE_UINT8, N, t.n_blocks * (uint64_t)q.nm_m, t.nm_vals);
	}
	cc_qtensor_free(&t);
	return rc < 0 ? ps_errf(err, PS_EIO, "%s: write failed", s->path) : PS_OK;
}

enum ps_status cc_sidecar_gemm(struct cc_sidecar *s, uint32_t op, uint64_t M,
			       uint64_t K, uint64_t N, int phase,
			       struct ps_err *err)
{
	char name[32];
	float *w = malloc(N * K * sizeof *w), *x = malloc(M * K * sizeof *x);
	uint16_t *xh = malloc(M * K * sizeof *xh);
	enum ps_status st = PS_OK;
	hid_t g;
	const char *spec = phase ? s->a->weight_bits.quant_decode :
				   s->a->weight_bits.quant_prefill;

	if (!w || !x || !xh) {
		st = ps_errf(err, PS_ENOMEM, "bit-true operands of %llux%llux%llu do not fit in memory",
			     (unsigned long long)M, (unsigned long long)K, (unsigned long long)N);
		goto out;
	}
	if ((st = wl_gen_weights(s->seed + 2ull * op, N, K, NULL, w, err)) ||
	    (st = wl_gen_acts(s->seed + 2ull * op + 1, M, K, NULL, x, err)))
		goto out;
	for (uint64_t i = 0; i < M * K; i++)
		xh[i] = fmt_f16_from_f32(x[i]);
	snprintf(name, sizeof name, "op%u", op);
	g = H5Gcreate2(s->file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
	if (g < 0) {
		st = ps_errf(err, PS_EIO, "%s: cannot create group %s", s->path, name);
		goto out;
	}
	if (attr_u64(g, "M", M) < 0 || attr_u64(g, "K", K) < 0 ||
	    attr_u64(g, "N", N) < 0 || attr_u64(g, "phase", (uint64_t)phase) < 0 ||
	    dset(g, "a_f16", H5T_NATIVE_UINT16, M, K, xh) < 0)
		st = ps_errf(err, PS_EIO, "%s: write failed", s->path);
	if (!st)
		st = write_weights(s, g, spec, w, N, K, err);
	H5Gclose(g);
out:
	free(w);
	free(x);
	free(xh);
	return st;
}

enum ps_status cc_sidecar_close(struct cc_sidecar *s, struct ps_err *err)
{
	enum ps_status st;
	if (H5Fclose(s->file) < 0) {
		remove(s->tmp);
		st = ps_errf(err, PS_EIO, "%s: cannot close", s->path);
	} else {
		st = ps_rename(s->tmp, s->path, err);
	}
	free(s);
	return st;
}

void cc_sidecar_abort(struct cc_sidecar *s)
{
	if (!s)
		return;
	H5Fclose(s->file);
	remove(s->tmp);
	free(s);
}

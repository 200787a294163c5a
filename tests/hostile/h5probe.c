/* h5probe.c - what an HDF5 file holds, through HDF5's C API (the tests must
 * not depend on h5py or h5dump): root attributes with their string type,
 * and for every dataset its rows and columns, every value read back.
 *
 *   h5probe FILE     exit 0 when every object reads back whole, else 1
 *
 * Output lines:
 *   attr NAME CSET LEN VALUE      CSET utf8|ascii, LEN vlen|fixed (strings)
 *   attr NAME num VALUE
 *   table PATH ROWS COL,COL,...   a compound dataset
 *   strcol PATH COL CSET          each string column's character set
 *   array PATH ELEMENTS */
#include <hdf5.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad;

static const char *cset(hid_t t)
{
	return H5Tget_cset(t) == H5T_CSET_UTF8 ? "utf8" : "ascii";
}

static herr_t attr_cb(hid_t loc, const char *name, const H5A_info_t *info, void *d)
{
	hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = H5Aget_type(a);
	(void)info;
	(void)d;
	if (H5Tget_class(t) == H5T_STRING) {
		hid_t mt = H5Tcopy(H5T_C_S1);
		if (H5Tis_variable_str(t) > 0) {
			char *v = NULL;
			H5Tset_size(mt, H5T_VARIABLE);
			H5Tset_cset(mt, H5Tget_cset(t));
			if (H5Aread(a, mt, &v) < 0)
				bad = 1;
			printf("attr %s %s vlen %s\n", name, cset(t), v ? v : "");
			H5free_memory(v);
		} else {
			size_t n = H5Tget_size(t);
			char *v = calloc(1, n + 1);
			H5Tset_size(mt, n);
			if (!v || H5Aread(a, mt, v) < 0)
				bad = 1;
			printf("attr %s %s fixed %s\n", name, cset(t), v ? v : "");
			free(v);
		}
		H5Tclose(mt);
	} else {
		double v = 0;
		if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0)
			bad = 1;
		printf("attr %s num %.17g\n", name, v);
	}
	H5Tclose(t);
	H5Aclose(a);
	return 0;
}

static void dataset(hid_t ds, const char *path)
{
	hid_t t = H5Dget_type(ds), sp = H5Dget_space(ds);
	hssize_t n = H5Sget_simple_extent_npoints(sp);
	size_t sz = H5Tget_size(t);
	void *buf = malloc(n > 0 ? (size_t)n * sz : 1);
	if (!buf || H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
		bad = 1;	/* every byte must read back */
	if (H5Tget_class(t) == H5T_COMPOUND) {
		int nm = H5Tget_nmembers(t);
		printf("table %s %lld ", path, (long long)n);
		for (int i = 0; i < nm; i++) {
			char *mn = H5Tget_member_name(t, (unsigned)i);
			printf("%s%s", i ? "," : "", mn);
			H5free_memory(mn);
		}
		printf("\n");
		for (int i = 0; i < nm; i++) {
			hid_t mt = H5Tget_member_type(t, (unsigned)i);
			if (H5Tget_class(mt) == H5T_STRING) {
				char *mn = H5Tget_member_name(t, (unsigned)i);
				printf("strcol %s %s %s\n", path, mn, cset(mt));
				H5free_memory(mn);
			}
			H5Tclose(mt);
		}
	} else {
		printf("array %s %lld\n", path, (long long)n);
	}
	free(buf);
	H5Sclose(sp);
	H5Tclose(t);
}

static herr_t visit_cb(hid_t obj, const char *name, const H5O_info_t *info, void *d)
{
	(void)d;
	if (info->type == H5O_TYPE_DATASET) {
		hid_t ds = H5Dopen2(obj, name, H5P_DEFAULT);
		if (ds < 0) {
			bad = 1;
			return 0;
		}
		dataset(ds, name);
		H5Dclose(ds);
	}
	return 0;
}

int main(int argc, char **argv)
{
	hid_t f;
	if (argc != 2) {
		fprintf(stderr, "usage: h5probe FILE\n");
		return 2;
	}
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	f = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
	if (f < 0) {
		fprintf(stderr, "h5probe: %s: not a readable HDF5 file\n", argv[1]);
		return 1;
	}
	if (H5Aiterate2(f, H5_INDEX_NAME, H5_ITER_INC, NULL, attr_cb, NULL) < 0 ||
	    H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, visit_cb, NULL) < 0)
		bad = 1;
	if (H5Fclose(f) < 0)
		bad = 1;
	return bad;
}

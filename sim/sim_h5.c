/* sim_h5.c - compound-table HDF5 writer. */
#include "sim_h5.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"
#include "ps_version.h"
#include "sim_out.h"

struct sim_h5_file {
	hid_t file;
	char path[1024];
	char tmp[1100];
};

enum ps_status sim_h5_create(struct sim_h5_file **out, const char *path,
			     struct ps_err *err)
{
	struct sim_h5_file *f = calloc(1, sizeof *f);
	hid_t fcpl;
	if (!f)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	snprintf(f->path, sizeof f->path, "%s", path);
	ps_tmp_name(f->tmp, sizeof f->tmp, path);
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	fcpl = H5Pcreate(H5P_FILE_CREATE);
	H5Pset_obj_track_times(fcpl, 0);
	f->file = H5Fcreate(f->tmp, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
	H5Pclose(fcpl);
	if (f->file < 0) {
		free(f);
		return ps_errf(err, PS_EIO, "%s: cannot create HDF5 file", path);
	}
	*out = f;
	return PS_OK;
}

enum ps_status sim_h5_attr_str(struct sim_h5_file *f, const char *name,
			       const char *value, struct ps_err *err)
{
	hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR), a;
	herr_t rc = -1;
	H5Tset_size(t, strlen(value) + 1);
	a = H5Acreate2(f->file, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
	if (a >= 0) {
		rc = H5Awrite(a, t, value);
		H5Aclose(a);
	}
	H5Sclose(s);
	H5Tclose(t);
	if (rc < 0)
		return ps_errf(err, PS_EIO, "%s: cannot write attribute %s",
			       f->path, name);
	return PS_OK;
}

enum ps_status sim_h5_attr_u64(struct sim_h5_file *f, const char *name,
			       uint64_t value, struct ps_err *err)
{
	hid_t s = H5Screate(H5S_SCALAR), a;
	herr_t rc = -1;
	a = H5Acreate2(f->file, name, H5T_NATIVE_UINT64, s, H5P_DEFAULT,
		       H5P_DEFAULT);
	if (a >= 0) {
		rc = H5Awrite(a, H5T_NATIVE_UINT64, &value);
		H5Aclose(a);
	}
	H5Sclose(s);
	if (rc < 0)
		return ps_errf(err, PS_EIO, "%s: cannot write attribute %s",
			       f->path, name);
	return PS_OK;
}

enum ps_status sim_h5_stamp(struct sim_h5_file *f, struct ps_err *err)
{
	if (sim_h5_attr_u64(f, "schema_version", SIM_H5_SCHEMA_VERSION, err) ||
	    sim_h5_attr_str(f, "pesim_version", PESIM_VERSION, err) ||
	    sim_h5_attr_str(f, "git_sha", PESIM_GIT_SHA, err))
		return PS_EIO;
	return PS_OK;
}

enum ps_status sim_h5_table(struct sim_h5_file *f, const char *name,
			    const struct sim_h5_col *cols, size_t ncols,
			    const void *rows, size_t nrows, size_t row_size,
			    struct ps_err *err)
{
	hid_t ct = H5Tcreate(H5T_COMPOUND, row_size), strs[64];
	hsize_t dims[1] = { nrows };
	hid_t space, dcpl, ds, at, as;
	char units[4096] = "";
	size_t ns = 0, ul = 0;
	herr_t rc = -1;

	for (size_t i = 0; i < ncols && ns < 64; i++) {
		hid_t t;
		switch (cols[i].type) {
		case SIM_H5_STR:
			t = strs[ns++] = H5Tcopy(H5T_C_S1);
			H5Tset_size(t, cols[i].size);
			H5Tset_strpad(t, H5T_STR_NULLTERM);
			break;
		case SIM_H5_U64:
			t = H5T_NATIVE_UINT64;
			break;
		default:
			t = H5T_NATIVE_DOUBLE;
			break;
		}
		H5Tinsert(ct, cols[i].name, cols[i].offset, t);
		ul += (size_t)snprintf(units + ul, ul < sizeof units ? sizeof units - ul : 0,
				       "%s%s=%s", i ? ";" : "", cols[i].name,
				       cols[i].units ? cols[i].units : "");
	}
	space = H5Screate_simple(1, dims, NULL);
	dcpl = H5Pcreate(H5P_DATASET_CREATE);
	H5Pset_obj_track_times(dcpl, 0);
	ds = H5Dcreate2(f->file, name, ct, space, H5P_DEFAULT, dcpl,
			H5P_DEFAULT);
	if (ds >= 0) {
		rc = nrows ? H5Dwrite(ds, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) : 0;
		if (rc >= 0) {
			hid_t st = H5Tcopy(H5T_C_S1);
			H5Tset_size(st, strlen(units) + 1);
			as = H5Screate(H5S_SCALAR);
			at = H5Acreate2(ds, "units", st, as, H5P_DEFAULT, H5P_DEFAULT);
			rc = at >= 0 ? H5Awrite(at, st, units) : -1;
			if (at >= 0)
				H5Aclose(at);
			H5Sclose(as);
			H5Tclose(st);
		}
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

enum ps_status sim_h5_commit(struct sim_h5_file *f, struct ps_err *err)
{
	enum ps_status st = PS_OK;
	if (H5Fclose(f->file) < 0) {
		remove(f->tmp);
		st = ps_errf(err, PS_EIO, "%s: cannot close HDF5 file", f->path);
	} else {
		st = ps_rename(f->tmp, f->path, err);
	}
	free(f);
	return st;
}

void sim_h5_abort(struct sim_h5_file *f)
{
	if (!f)
		return;
	H5Fclose(f->file);
	remove(f->tmp);
	free(f);
}

/* --- a run result as HDF5 (layout in sim_out.h) --- */

struct h5_op_row {
	char name[24];
	char phase[8];
	uint64_t layer, M, K, N, repeat, times;
	uint64_t cycles, compute_cycles, dram_cycles;
	uint64_t dram_read_bytes, dram_write_bytes;
	double energy_pj;
	uint64_t load_busy, compute_busy, store_busy;
	uint64_t stall_data, stall_dram, stall_buffer, stall_output, stall_compute, stall_barrier;
};

struct h5_summary_row {
	uint64_t cycles, compute_cycles, macs;
	uint64_t dram_read_bytes, dram_write_bytes, pes;
	double seconds;
	double energy_total_pj, energy_onchip_pj, energy_compute_pj;
	double energy_sram_pj, energy_dram_pj, area_um2;
	double utilization, dram_bw_bits_per_cycle;
};

#define OC(f, t, u) { #f, t, offsetof(struct h5_op_row, f), sizeof(((struct h5_op_row *)0)->f), u }
static const struct sim_h5_col op_cols[] = {
	OC(name, SIM_H5_STR, ""), OC(phase, SIM_H5_STR, ""),
	OC(layer, SIM_H5_U64, ""), OC(M, SIM_H5_U64, ""),
	OC(K, SIM_H5_U64, ""), OC(N, SIM_H5_U64, ""),
	OC(repeat, SIM_H5_U64, ""), OC(times, SIM_H5_U64, ""),
	OC(cycles, SIM_H5_U64, "cycle"), OC(compute_cycles, SIM_H5_U64, "cycle"),
	OC(dram_cycles, SIM_H5_U64, "cycle"),
	OC(dram_read_bytes, SIM_H5_U64, "B"), OC(dram_write_bytes, SIM_H5_U64, "B"),
	OC(energy_pj, SIM_H5_F64, "pJ"),
	OC(load_busy, SIM_H5_U64, "cycle"), OC(compute_busy, SIM_H5_U64, "cycle"),
	OC(store_busy, SIM_H5_U64, "cycle"), OC(stall_data, SIM_H5_U64, "cycle"),
	OC(stall_dram, SIM_H5_U64, "cycle"), OC(stall_buffer, SIM_H5_U64, "cycle"),
	OC(stall_output, SIM_H5_U64, "cycle"), OC(stall_compute, SIM_H5_U64, "cycle"),
	OC(stall_barrier, SIM_H5_U64, "cycle"),
};

#define SC(f, t, u) { #f, t, offsetof(struct h5_summary_row, f), 0, u }
static const struct sim_h5_col summary_cols[] = {
	SC(cycles, SIM_H5_U64, "cycle"), SC(compute_cycles, SIM_H5_U64, "cycle"),
	SC(macs, SIM_H5_U64, "MAC"), SC(dram_read_bytes, SIM_H5_U64, "B"),
	SC(dram_write_bytes, SIM_H5_U64, "B"), SC(pes, SIM_H5_U64, "PE"),
	SC(seconds, SIM_H5_F64, "s"),
	SC(energy_total_pj, SIM_H5_F64, "pJ"), SC(energy_onchip_pj, SIM_H5_F64, "pJ"),
	SC(energy_compute_pj, SIM_H5_F64, "pJ"), SC(energy_sram_pj, SIM_H5_F64, "pJ"),
	SC(energy_dram_pj, SIM_H5_F64, "pJ"), SC(area_um2, SIM_H5_F64, "um2"),
	SC(utilization, SIM_H5_F64, ""), SC(dram_bw_bits_per_cycle, SIM_H5_F64, "bit/cycle"),
};

enum ps_status sim_write_h5(const char *path, const struct sim_result *r,
			    struct ps_err *err)
{
	struct sim_h5_file *f;
	struct h5_summary_row s = {
		.cycles = r->cycles, .compute_cycles = r->compute_cycles,
		.macs = r->macs, .dram_read_bytes = r->dram_read_bytes,
		.dram_write_bytes = r->dram_write_bytes, .pes = r->pes,
		.seconds = r->seconds, .energy_total_pj = r->energy.total,
		.energy_onchip_pj = r->energy.onchip,
		.energy_compute_pj = r->energy.compute,
		.energy_sram_pj = r->energy.sram,
		.energy_dram_pj = r->energy.dram, .area_um2 = r->array_area_um2,
		.utilization = r->utilization,
		.dram_bw_bits_per_cycle = r->dram_bw_bits_per_cycle,
	};
	struct h5_op_row *rows = calloc(r->n_ops ? r->n_ops : 1, sizeof *rows);
	char digest[32];
	enum ps_status st;

	if (!rows)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n_ops; i++) {
		const struct sim_op_stats *o = &r->ops[i];
		struct h5_op_row *w = &rows[i];
		snprintf(w->name, sizeof w->name, "%s", o->op.name);
		snprintf(w->phase, sizeof w->phase, "%s", o->op.phase ? "decode" : "prefill");
		w->layer = o->op.layer;
		w->M = o->op.M;
		w->K = o->op.K;
		w->N = o->op.N;
		w->repeat = o->op.repeat;
		w->times = o->times;
		w->cycles = o->cycles;
		w->compute_cycles = o->compute_cycles;
		w->dram_cycles = o->dram_cycles;
		w->dram_read_bytes = o->dram_read_bytes;
		w->dram_write_bytes = o->dram_write_bytes;
		w->energy_pj = o->energy_pj;
		w->load_busy = o->q[SIM_Q_LOAD].busy;
		w->compute_busy = o->q[SIM_Q_COMPUTE].busy;
		w->store_busy = o->q[SIM_Q_STORE].busy;
		for (int q = 0; q < SIM_Q_N; q++) {
			w->stall_data += o->q[q].stall[SIM_STALL_DATA];
			w->stall_dram += o->q[q].stall[SIM_STALL_DRAM];
			w->stall_buffer += o->q[q].stall[SIM_STALL_BUFFER];
			w->stall_output += o->q[q].stall[SIM_STALL_OUTPUT];
			w->stall_compute += o->q[q].stall[SIM_STALL_COMPUTE];
			w->stall_barrier += o->q[q].stall[SIM_STALL_BARRIER];
		}
	}
	snprintf(digest, sizeof digest, "%016llx", (unsigned long long)r->arch_digest);
	st = sim_h5_create(&f, path, err);
	if (st) {
		free(rows);
		return st;
	}
	if (!(st = sim_h5_stamp(f, err)) &&
	    !(st = sim_h5_attr_str(f, "arch_digest", digest, err)) &&
	    !(st = sim_h5_attr_str(f, "energy_table", r->energy_table, err)) &&
	    !(st = sim_h5_attr_str(f, "arch", r->arch, err)) &&
	    !(st = sim_h5_attr_str(f, "model", r->model, err)) &&
	    !(st = sim_h5_attr_str(f, "scenario", r->scenario, err)) &&
	    !(st = sim_h5_attr_str(f, "mode", sim_mode_names[r->mode], err)) &&
	    !(st = sim_h5_table(f, "summary", summary_cols,
				sizeof summary_cols / sizeof *summary_cols, &s, 1,
				sizeof s, err)))
		st = sim_h5_table(f, "ops", op_cols, sizeof op_cols / sizeof *op_cols,
				  rows, r->n_ops, sizeof *rows, err);
	free(rows);
	if (st) {
		sim_h5_abort(f);
		return st;
	}
	return sim_h5_commit(f, err);
}

/* sim_h5.c - a run result as HDF5 (layout in sim_out.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_h5.h"
#include "sim_out.h"

struct h5_op_row {
	char name[24];
	char phase[8];
	uint64_t layer, layers, M, K, N, repeat, times;
	uint64_t cycles, compute_cycles, dram_cycles;
	uint64_t dram_read_bytes, dram_write_bytes;
	double energy_pj;
	uint64_t load_busy, compute_busy, store_busy;
	uint64_t stall_data, stall_dram, stall_buffer, stall_output, stall_compute, stall_barrier;
	uint64_t bound_compute_cycles, bound_dram_cycles, bound_buffers_cycles;
};

struct h5_summary_row {
	uint64_t cycles, compute_cycles, macs;
	uint64_t dram_read_bytes, dram_write_bytes, pes;
	double seconds;
	double energy_total_pj, energy_onchip_pj, energy_compute_pj;
	double energy_sram_pj, energy_dram_pj, area_um2;
	double utilization, dram_bw_bits_per_cycle;
	uint64_t bound_cycles, bound_hw_cycles;
	double buffer_area_um2;
};

#define OC(f, t, u) { #f, t, offsetof(struct h5_op_row, f), sizeof(((struct h5_op_row *)0)->f), u }
static const struct ps_h5_col op_cols[] = {
	OC(name, PS_H5_STR, ""), OC(phase, PS_H5_STR, ""),
	OC(layer, PS_H5_U64, ""), OC(layers, PS_H5_U64, ""), OC(M, PS_H5_U64, ""),
	OC(K, PS_H5_U64, ""), OC(N, PS_H5_U64, ""),
	OC(repeat, PS_H5_U64, ""), OC(times, PS_H5_U64, ""),
	OC(cycles, PS_H5_U64, "cycle"), OC(compute_cycles, PS_H5_U64, "cycle"),
	OC(dram_cycles, PS_H5_U64, "cycle"),
	OC(dram_read_bytes, PS_H5_U64, "B"), OC(dram_write_bytes, PS_H5_U64, "B"),
	OC(energy_pj, PS_H5_F64, "pJ"),
	OC(load_busy, PS_H5_U64, "cycle"), OC(compute_busy, PS_H5_U64, "cycle"),
	OC(store_busy, PS_H5_U64, "cycle"), OC(stall_data, PS_H5_U64, "cycle"),
	OC(stall_dram, PS_H5_U64, "cycle"), OC(stall_buffer, PS_H5_U64, "cycle"),
	OC(stall_output, PS_H5_U64, "cycle"), OC(stall_compute, PS_H5_U64, "cycle"),
	OC(stall_barrier, PS_H5_U64, "cycle"),
	OC(bound_compute_cycles, PS_H5_U64, "cycle"), OC(bound_dram_cycles, PS_H5_U64, "cycle"),
	OC(bound_buffers_cycles, PS_H5_U64, "cycle"),
};

#define SC(f, t, u) { #f, t, offsetof(struct h5_summary_row, f), 0, u }
static const struct ps_h5_col summary_cols[] = {
	SC(cycles, PS_H5_U64, "cycle"), SC(compute_cycles, PS_H5_U64, "cycle"),
	SC(macs, PS_H5_U64, "MAC"), SC(dram_read_bytes, PS_H5_U64, "B"),
	SC(dram_write_bytes, PS_H5_U64, "B"), SC(pes, PS_H5_U64, "PE"),
	SC(seconds, PS_H5_F64, "s"),
	SC(energy_total_pj, PS_H5_F64, "pJ"), SC(energy_onchip_pj, PS_H5_F64, "pJ"),
	SC(energy_compute_pj, PS_H5_F64, "pJ"), SC(energy_sram_pj, PS_H5_F64, "pJ"),
	SC(energy_dram_pj, PS_H5_F64, "pJ"), SC(area_um2, PS_H5_F64, "um2"),
	SC(utilization, PS_H5_F64, ""), SC(dram_bw_bits_per_cycle, PS_H5_F64, "bit/cycle"),
	SC(bound_cycles, PS_H5_U64, "cycle"), SC(bound_hw_cycles, PS_H5_U64, "cycle"),
	SC(buffer_area_um2, PS_H5_F64, "um2"),
};

static void op_row(const struct sim_op_stats *o, struct h5_op_row *w)
{
	memset(w, 0, sizeof *w);
	snprintf(w->name, sizeof w->name, "%s", o->op.name);
	snprintf(w->phase, sizeof w->phase, "%s", o->op.phase ? "decode" : "prefill");
	w->layer = o->op.layer;
	w->layers = o->layers;
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
	w->bound_compute_cycles = o->bound_compute;
	w->bound_dram_cycles = o->bound_dram;
	w->bound_buffers_cycles = o->bound_buffers;
}

#define H5_BATCH 256

struct sim_h5 {
	struct ps_h5_file *f;
	struct ps_h5_stream *ops;
	struct h5_op_row rows[H5_BATCH];
	size_t n;
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
	    (st = ps_h5_table_begin(h->f, "ops", op_cols, sizeof op_cols / sizeof *op_cols,
				    sizeof(struct h5_op_row), &h->ops, err))) {
		sim_h5_abort(h);
		return st;
	}
	*out = h;
	return PS_OK;
}

enum ps_status sim_h5_op(struct sim_h5 *h, const struct sim_op_stats *o,
			 struct ps_err *err)
{
	op_row(o, &h->rows[h->n++]);
	if (h->n < H5_BATCH)
		return PS_OK;
	h->n = 0;
	return ps_h5_table_append(h->ops, h->rows, H5_BATCH, err);
}

enum ps_status sim_h5_end(struct sim_h5 *h, const struct sim_result *r,
			  struct ps_err *err)
{
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
		.bound_cycles = r->bound_cycles, .bound_hw_cycles = r->bound_hw_cycles,
		.buffer_area_um2 = r->buffer_area_um2,
	};
	enum ps_status st = ps_h5_table_append(h->ops, h->rows, h->n, err);
	if (!st)
		st = ps_h5_table_end(h->ops, err);
	h->ops = NULL;
	if (!st)
		st = ps_h5_table(h->f, "summary", summary_cols,
				 sizeof summary_cols / sizeof *summary_cols, &s, 1,
				 sizeof s, err);
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
	for (size_t i = 0; i < r->n_ops && !st; i++)
		st = sim_h5_op(h, &r->ops[i], err);
	if (st) {
		sim_h5_abort(h);
		return st;
	}
	return sim_h5_end(h, r, err);
}

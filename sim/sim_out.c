/* sim_out.c - a result as a human table and as JSON; the column tables
 * shared with HDF5 (sim_out.h). */
#include "sim_out.h"

#include <inttypes.h>
#include <string.h>

#include "ps_json.h"
#include "sim_compat.h"

/* Bit-true mode: the stepped model against the exact reference. */
static void bittrue_table(FILE *fp, const struct sim_result *r)
{
	const struct sim_bt_result *b = &r->bt;
	fprintf(fp, "arch %s  mode bit-true  %s %s  weights %s\n", r->arch, r->model,
		r->scenario, b->quant);
	fprintf(fp, "%-22s %18" PRIu64 " (stepped)\n", "cycles", b->cycles_stepped);
	fprintf(fp, "%-22s %18" PRIu64 " (closed form)%s\n", "cycles", b->cycles_closed_form,
		b->cycles_stepped == b->cycles_closed_form ? "  equal" : "  DIFFERENT");
	fprintf(fp, "%-22s %18" PRIu64 " in %" PRIu64 " GEMMs\n", "MACs", b->macs, b->gemms);
	fprintf(fp, "%-22s %18.6g\n", "max abs error", b->max_abs_err);
	fprintf(fp, "%-22s %18.6g (|err| / max(|ref|, rms ref))\n", "max rel error", b->max_rel_err);
	fprintf(fp, "%-22s %18.2f dB vs the exact GEMM of the dequantized weights\n", "SQNR", b->sqnr_db);
	fprintf(fp, "%-22s %18.2f dB (quantization alone)\n", "weight SQNR", b->w_sqnr_db);
}

static void bittrue_json(FILE *fp, const struct sim_result *r)
{
	const struct sim_bt_result *b = &r->bt;
	struct ps_json j;
	ps_json_init(&j, fp);
	ps_json_obj_begin(&j, NULL);
	ps_json_provenance(&j);
	ps_json_str(&j, "arch", r->arch);
	ps_json_str(&j, "mode", "bit-true");
	ps_json_str(&j, "quant", b->quant);
	ps_json_u64(&j, "gemms", b->gemms);
	ps_json_u64(&j, "macs", b->macs);
	ps_json_u64(&j, "cycles_stepped", b->cycles_stepped);
	ps_json_u64(&j, "cycles_closed_form", b->cycles_closed_form);
	ps_json_num(&j, "max_abs_err", b->max_abs_err);
	ps_json_num(&j, "max_rel_err", b->max_rel_err);
	ps_json_num(&j, "sqnr_db", b->sqnr_db);
	ps_json_num(&j, "weight_sqnr_db", b->w_sqnr_db);
	ps_json_bool(&j, "cycles_equal", b->cycles_stepped == b->cycles_closed_form);
	ps_json_obj_end(&j);
}

void sim_print_table(FILE *fp, const struct sim_result *r)
{
	const struct energy_breakdown *e = &r->energy;
	if (r->mode == SIM_MODE_BITTRUE) {
		bittrue_table(fp, r);
		return;
	}
	const struct sim_compat_method *m = r->mode == SIM_MODE_COMPAT ?
					     sim_compat_find(r->compat_method) : NULL;
	fprintf(fp, "arch %s  model %s  scenario %s  mode %s", r->arch,
		r->model, r->scenario, sim_mode_names[r->mode]);
	if (m && m != &sim_compat_bitmod)
		fprintf(fp, " (method: %s)", m->name);
	if (m && m->attention)
		fprintf(fp, " (attention: %s)", r->compat_attn == SIM_ATTN_KV_READ ?
						 "kv-read" : "published");
	fputc('\n', fp);
	if (r->mode == SIM_MODE_COMPAT)
		fprintf(fp, "note: %s\n", m ? m->note : r->compat_method);
	else
		fprintf(fp, "note: cycle mode; PE timing is the family's closed form (README "
			    "\"Systolic timing\"), DRAM a bandwidth + latency channel\n");
	fprintf(fp, "%-22s %18" PRIu64 "\n", "cycles", r->cycles);
	fprintf(fp, "%-22s %18" PRIu64 "\n", "compute cycles", r->compute_cycles);
	fprintf(fp, "%-22s %18.6g s at the arch clock\n", "time", r->seconds);
	fprintf(fp, "%-22s %18" PRIu64 "\n", "MACs", r->macs);
	fprintf(fp, "%-22s %18" PRIu64 " read, %" PRIu64 " written\n",
		"DRAM bytes", r->dram_read_bytes, r->dram_write_bytes);
	fprintf(fp, "%-22s %18.6e pJ\n", "energy total", e->total);
	fprintf(fp, "%-22s %18.6e pJ (compute %.6e, SRAM %.6e)\n",
		"energy on-chip", e->onchip, e->compute, e->sram);
	fprintf(fp, "%-22s %18.6e pJ\n", "energy DRAM", e->dram);
	fprintf(fp, "%-22s %18.1f um2 (%" PRIu64 " PEs x %.1f um2)\n",
		"PE-array area", r->array_area_um2, r->pes, r->pe_area_um2);
	if (r->buffer_area_um2 > 0)
		fprintf(fp, "%-22s %18.1f um2\n", "buffer area", r->buffer_area_um2);
	if (r->area_source[0])
		fprintf(fp, "%-22s %18s %s\n", "PE area source", "", r->area_source);
	fprintf(fp, "%-22s %18s\n", "energy table", r->energy_table);
	if (r->mode == SIM_MODE_CYCLE) {
		fprintf(fp, "%-22s %18.4f (busy PE-cycles / PEs x cycles)\n",
			"PE-array utilization", r->utilization);
		fprintf(fp, "%-22s %18" PRIu64 " cycles, achieved %.4f of it (per op the least max(compute, DRAM)\n"
			    "%-22s %18s of a tiling that fits the buffers); max(compute-bound, DRAM-bound) alone %" PRIu64 "\n",
			"lower bound", r->bound_cycles,
			r->cycles ? (double)r->bound_cycles / (double)r->cycles : 0, "", "",
			r->bound_hw_cycles);
		fprintf(fp, "%-22s %18.2f bits/cycle achieved\n", "DRAM bandwidth",
			r->dram_bw_bits_per_cycle);
		fprintf(fp, "%-22s %18" PRIu64 " records, %" PRIu64 " units\n",
			"instructions", r->instructions, r->units);
		for (int b = 0; b < 8; b++)
			if (r->sram_bytes_read[b] || r->sram_bytes_written[b])
				fprintf(fp, "%-22s %18" PRIu64 " B read, %" PRIu64 " B written\n",
					b == 0 ? "SRAM buffer 0" : b == 1 ? "SRAM buffer 1" : "SRAM buffer n",
					r->sram_bytes_read[b], r->sram_bytes_written[b]);
		fprintf(fp, "\n%-8s %14s", "queue", "busy");
		for (int k = 0; k < SIM_STALL_N; k++)
			fprintf(fp, " %14s", sim_stall_names[k]);
		fputc('\n', fp);
		for (int q = 0; q < SIM_Q_N; q++) {
			fprintf(fp, "%-8s %14" PRIu64, sim_queue_names[q], r->q[q].busy);
			for (int k = 0; k < SIM_STALL_N; k++)
				fprintf(fp, " %14" PRIu64, r->q[q].stall[k]);
			fputc('\n', fp);
		}
	}
	if (!r->n_ops)
		return;
	fprintf(fp, "\n%-8s %-7s %-8s %8s %8s %8s %6s %6s %14s %14s %14s",
		"phase", "layers", "op", "M", "K", "N", "rep", "times", "cycles",
		"compute", "energy_pJ");
	if (r->mode == SIM_MODE_CYCLE)
		fprintf(fp, " %14s %6s", "bound", "frac");
	fputc('\n', fp);
	for (size_t i = 0; i < r->n_ops; i++) {
		const struct sim_op_stats *o = &r->ops[i];
		char lyr[24];
		if (o->layers > 1)
			snprintf(lyr, sizeof lyr, "%u-%u", o->op.layer, o->op.layer + o->layers - 1);
		else
			snprintf(lyr, sizeof lyr, "%u", o->op.layer);
		fprintf(fp, "%-8s %-7s %-8s %8" PRIu64 " %8" PRIu64 " %8" PRIu64
			" %6" PRIu64 " %6u %14" PRIu64 " %14" PRIu64 " %14.6e",
			wl_phase_name(o->op.phase), lyr, o->op.name,
			o->op.M, o->op.K, o->op.N, o->op.repeat, o->times,
			o->cycles, o->compute_cycles, o->energy_pj);
		if (r->mode == SIM_MODE_CYCLE)
			fprintf(fp, " %14" PRIu64 " %6.3f", sim_row_bound(o), sim_row_fraction(o));
		fputc('\n', fp);
	}
}

#define SUM(f, t, u) PS_COL(struct sim_summary_row, f, t, u)
const struct ps_col sim_summary_cols[] = {
	SUM(cycles, PS_COL_U64, "cycle"), SUM(compute_cycles, PS_COL_U64, "cycle"),
	SUM(seconds, PS_COL_F64, "s"), SUM(macs, PS_COL_U64, "MAC"),
	SUM(dram_read_bytes, PS_COL_U64, "B"), SUM(dram_write_bytes, PS_COL_U64, "B"),
	SUM(energy_total_pj, PS_COL_F64, "pJ"), SUM(energy_onchip_pj, PS_COL_F64, "pJ"),
	SUM(energy_compute_pj, PS_COL_F64, "pJ"), SUM(energy_sram_pj, PS_COL_F64, "pJ"),
	SUM(energy_dram_pj, PS_COL_F64, "pJ"), SUM(area_um2, PS_COL_F64, "um2"),
	SUM(pes, PS_COL_U64, "PE"), SUM(pe_area_um2, PS_COL_F64, "um2"),
	SUM(buffer_area_um2, PS_COL_F64, "um2"),
};
const size_t sim_n_summary_cols = sizeof sim_summary_cols / sizeof *sim_summary_cols;
const struct ps_col sim_cycle_cols[] = {
	SUM(utilization, PS_COL_F64, ""), SUM(dram_bw_bits_per_cycle, PS_COL_F64, "bit/cycle"),
	SUM(busy_pe_cycles, PS_COL_U64, "PE-cycle"), SUM(instructions, PS_COL_U64, "record"),
	SUM(units, PS_COL_U64, "unit"), SUM(bound_cycles, PS_COL_U64, "cycle"),
	SUM(bound_hw_cycles, PS_COL_U64, "cycle"), SUM(bound_fraction, PS_COL_F64, ""),
};
const size_t sim_n_cycle_cols = sizeof sim_cycle_cols / sizeof *sim_cycle_cols;

#define OPC(f, t, u) PS_COL(struct sim_op_row, f, t, u)
const struct ps_col sim_op_cols[] = {
	OPC(op, PS_COL_U64, ""), OPC(name, PS_COL_STR, ""), OPC(phase, PS_COL_STR, ""),
	OPC(layer, PS_COL_U64, ""), OPC(layers, PS_COL_U64, ""), OPC(M, PS_COL_U64, ""),
	OPC(K, PS_COL_U64, ""), OPC(N, PS_COL_U64, ""), OPC(repeat, PS_COL_U64, ""),
	OPC(times, PS_COL_U64, ""),
	OPC(cycles, PS_COL_U64, "cycle"), OPC(compute_cycles, PS_COL_U64, "cycle"),
	OPC(dram_cycles, PS_COL_U64, "cycle"),
	OPC(dram_read_bytes, PS_COL_U64, "B"), OPC(dram_write_bytes, PS_COL_U64, "B"),
	OPC(energy_pj, PS_COL_F64, "pJ"),
	/* cycle mode */
	OPC(load_busy, PS_COL_U64, "cycle"), OPC(compute_busy, PS_COL_U64, "cycle"),
	OPC(store_busy, PS_COL_U64, "cycle"), OPC(stall_data, PS_COL_U64, "cycle"),
	OPC(stall_dram, PS_COL_U64, "cycle"), OPC(stall_buffer, PS_COL_U64, "cycle"),
	OPC(stall_output, PS_COL_U64, "cycle"), OPC(stall_compute, PS_COL_U64, "cycle"),
	OPC(stall_barrier, PS_COL_U64, "cycle"),
	OPC(bound_compute_cycles, PS_COL_U64, "cycle"), OPC(bound_dram_cycles, PS_COL_U64, "cycle"),
	OPC(bound_buffers_cycles, PS_COL_U64, "cycle"), OPC(bound_fraction, PS_COL_F64, ""),
};
const size_t sim_n_op_cols = sizeof sim_op_cols / sizeof *sim_op_cols;
const size_t sim_n_op_cols_all_modes = 16;

void sim_summary_row(const struct sim_result *r, struct sim_summary_row *s)
{
	*s = (struct sim_summary_row){
		.cycles = r->cycles, .compute_cycles = r->compute_cycles,
		.macs = r->macs, .dram_read_bytes = r->dram_read_bytes,
		.dram_write_bytes = r->dram_write_bytes, .pes = r->pes,
		.seconds = r->seconds, .energy_total_pj = r->energy.total,
		.energy_onchip_pj = r->energy.onchip,
		.energy_compute_pj = r->energy.compute,
		.energy_sram_pj = r->energy.sram,
		.energy_dram_pj = r->energy.dram, .area_um2 = r->array_area_um2,
		.pe_area_um2 = r->pe_area_um2, .buffer_area_um2 = r->buffer_area_um2,
		.utilization = r->utilization,
		.dram_bw_bits_per_cycle = r->dram_bw_bits_per_cycle,
		.busy_pe_cycles = r->busy_pe_cycles,
		.instructions = r->instructions, .units = r->units,
		.bound_cycles = r->bound_cycles, .bound_hw_cycles = r->bound_hw_cycles,
		.bound_fraction = r->cycles ? (double)r->bound_cycles / (double)r->cycles : 0,
	};
}

void sim_op_row(uint64_t index, const struct sim_op_stats *o, struct sim_op_row *w)
{
	memset(w, 0, sizeof *w);
	w->op = index;
	snprintf(w->name, sizeof w->name, "%s", o->op.name);
	snprintf(w->phase, sizeof w->phase, "%s", wl_phase_name(o->op.phase));
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
	w->bound_fraction = sim_row_fraction(o);
}

static void json_queues(struct ps_json *j, const struct sim_queue_stats *q)
{
	ps_json_obj_begin(j, "queues");
	for (int i = 0; i < SIM_Q_N; i++) {
		ps_json_obj_begin(j, sim_queue_names[i]);
		ps_json_u64(j, "busy", q[i].busy);
		ps_json_obj_begin(j, "stall");
		for (int k = 0; k < SIM_STALL_N; k++)
			ps_json_u64(j, sim_stall_names[k], q[i].stall[k]);
		ps_json_obj_end(j);
		ps_json_obj_end(j);
	}
	ps_json_obj_end(j);
}

/* The fields known before a run: what it is. */
void sim_json_begin(struct ps_json *j, FILE *fp, const struct sim_result *r)
{
	ps_json_init(j, fp);
	ps_json_obj_begin(j, NULL);
	ps_json_provenance(j);
	ps_json_str(j, "arch", r->arch);
	ps_json_str(j, "model", r->model);
	ps_json_str(j, "scenario", r->scenario);
	ps_json_str(j, "mode", sim_mode_names[r->mode]);
	if (r->mode == SIM_MODE_COMPAT) {
		ps_json_str(j, "compat_method", r->compat_method);
		ps_json_str(j, "compat_attention",
			    sim_compat_attn_names[r->compat_attn]);
	}
	ps_json_str(j, "energy_table", r->energy_table);
	ps_json_str(j, "pe_area_source", r->area_source);
	ps_json_arr_begin(j, "ops");
}

/* One row, as it completes. */
void sim_json_op(struct ps_json *j, const struct sim_result *r, uint64_t index,
		 const struct sim_op_stats *o)
{
	bool cyc = r->mode == SIM_MODE_CYCLE;
	struct sim_op_row w;
	sim_op_row(index, o, &w);
	ps_json_obj_begin(j, NULL);
	ps_json_row(j, sim_op_cols, cyc ? sim_n_op_cols : sim_n_op_cols_all_modes, &w);
	if (cyc)
		json_queues(j, o->q);
	ps_json_obj_end(j);
}

/* The totals, after the rows. */
void sim_json_end(struct ps_json *j, const struct sim_result *r)
{
	struct sim_summary_row s;
	bool cyc = r->mode == SIM_MODE_CYCLE;
	sim_summary_row(r, &s);
	ps_json_arr_end(j);
	ps_json_row(j, sim_summary_cols, sim_n_summary_cols, &s);
	if (cyc)
		ps_json_row(j, sim_cycle_cols, sim_n_cycle_cols, &s);
	ps_json_obj_begin(j, "energy_by_action_pj");
	for (int a = 0; a < SIM_ACT_N; a++)
		if (!sim_action_optional[a] || r->energy.by_action[a] != 0)
			ps_json_num(j, sim_action_names[a], r->energy.by_action[a]);
	ps_json_obj_end(j);
	if (cyc) {
		json_queues(j, r->q);
		ps_json_arr_begin(j, "sram_bytes");
		for (int b = 0; b < 8; b++) {
			if (!r->sram_bytes_read[b] && !r->sram_bytes_written[b])
				continue;
			ps_json_obj_begin(j, NULL);
			ps_json_u64(j, "buffer", (uint64_t)b);
			ps_json_u64(j, "read", r->sram_bytes_read[b]);
			ps_json_u64(j, "written", r->sram_bytes_written[b]);
			ps_json_obj_end(j);
		}
		ps_json_arr_end(j);
	}
	ps_json_obj_end(j);
}

void sim_print_json(FILE *fp, const struct sim_result *r)
{
	struct ps_json j;
	if (r->mode == SIM_MODE_BITTRUE) {
		bittrue_json(fp, r);
		return;
	}
	sim_json_begin(&j, fp, r);
	for (size_t i = 0; i < r->n_ops; i++)
		sim_json_op(&j, r, i, &r->ops[i]);
	sim_json_end(&j, r);
}

/* sim_out.h - a result as a human table, as JSON, and as HDF5.
 *
 * One column table per result table, shared by JSON and HDF5 (ps_table.h),
 * so a column has one name (with its unit) in both:
 *   summary: the totals (sim_summary_cols; sim_cycle_cols only in cycle mode)
 *   ops:     one row per op row of the result (sim_op_cols; the columns
 *            after sim_n_op_cols_all_modes only in cycle mode)
 * HDF5 layout (README "HDF5 layout"): root attributes schema_version,
 * pesim_version, git_sha, arch_digest, energy_table, pe_area_source, arch,
 * model, scenario, mode; /summary (one row: both summary tables); /ops.
 *
 * JSON and HDF5 stream: begin (what the run is, as sim_result_header fills
 * it), a row per op row as the run makes it, end (the totals). The held
 * forms (sim_print_json, sim_write_h5) are the three over a whole result.
 * Every file goes through the output module (ps_file.h). */
#ifndef SIM_OUT_H
#define SIM_OUT_H

#include <stdio.h>

#include "ps_table.h"
#include "sim.h"

struct sim_summary_row {
	uint64_t cycles, compute_cycles, macs;
	uint64_t dram_read_bytes, dram_write_bytes, pes;
	double seconds;
	double energy_total_pj, energy_onchip_pj, energy_compute_pj;
	double energy_sram_pj, energy_dram_pj, area_um2, pe_area_um2;
	double buffer_area_um2;
	/* cycle mode */
	double utilization, dram_bw_bits_per_cycle;
	uint64_t busy_pe_cycles, instructions, units;
	uint64_t bound_cycles, bound_hw_cycles;
	double bound_fraction;
};

struct sim_op_row {
	uint64_t op;		/* row index: the order rows were made */
	char name[24];
	char phase[8];
	uint64_t layer, layers, M, K, N, repeat, times;
	uint64_t cycles, compute_cycles, dram_cycles;
	uint64_t dram_read_bytes, dram_write_bytes;
	double energy_pj;
	/* cycle mode: busy cycles per queue, stall cycles summed over them,
	 * and the row's lower bound (README "Mapper quality") */
	uint64_t load_busy, compute_busy, store_busy;
	uint64_t stall_data, stall_dram, stall_buffer, stall_output, stall_compute, stall_barrier;
	uint64_t bound_compute_cycles, bound_dram_cycles, bound_buffers_cycles;
	double bound_fraction;
};

extern const struct ps_col sim_summary_cols[], sim_cycle_cols[], sim_op_cols[];
extern const size_t sim_n_summary_cols, sim_n_cycle_cols, sim_n_op_cols;
/* how many of sim_op_cols every mode fills (the rest: cycle mode) */
extern const size_t sim_n_op_cols_all_modes;

void sim_summary_row(const struct sim_result *r, struct sim_summary_row *row);
/* Row `index` of a run in r's mode. */
void sim_op_row(uint64_t index, const struct sim_op_stats *o,
		struct sim_op_row *row);

void sim_print_table(FILE *fp, const struct sim_result *r);
void sim_print_json(FILE *fp, const struct sim_result *r);
enum ps_status sim_write_h5(const char *path, const struct sim_result *r,
			    struct ps_err *err);

/* JSON streamed: begin (r's names and mode), one sim_json_op per row as
 * it completes, end (the totals). */
struct ps_json;
void sim_json_begin(struct ps_json *j, FILE *fp, const struct sim_result *r);
void sim_json_op(struct ps_json *j, const struct sim_result *r,
		 uint64_t index, const struct sim_op_stats *o);
void sim_json_end(struct ps_json *j, const struct sim_result *r);

/* HDF5 streamed: begin (the file and its root attributes from r's names),
 * sim_h5_op per row as it completes, end (the summary; the file is renamed
 * into place) or abort (nothing left behind; NULL: nothing). */
struct sim_h5;
enum ps_status sim_h5_begin(const char *path, const struct sim_result *r,
			    struct sim_h5 **h, struct ps_err *err);
enum ps_status sim_h5_op(struct sim_h5 *h, const struct sim_op_stats *o,
			 struct ps_err *err);
enum ps_status sim_h5_end(struct sim_h5 *h, const struct sim_result *r,
			  struct ps_err *err);
void sim_h5_abort(struct sim_h5 *h);

#endif

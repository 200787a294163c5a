/* sim_out.h - a result as a human table, as JSON, and as HDF5.
 *
 * One column table per result table, shared by JSON and HDF5 (ps_table.h):
 *   summary: the totals (sim_summary_cols; sim_cycle_cols only in cycle mode)
 *   ops:     one row per op row of the result (sim_op_cols)
 * HDF5 layout (README "HDF5 layout"): root attributes schema_version,
 * pesim_version, git_sha, arch_digest, energy_table, pe_area_source, arch,
 * model, scenario, mode; /summary (one row: both summary tables); /ops. */
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
	/* cycle mode */
	double utilization, dram_bw_bits_per_cycle;
	uint64_t busy_pe_cycles, instructions, units;
};

struct sim_op_row {
	uint64_t op;		/* row index: the trace's op number in cycle mode */
	char name[24];
	char phase[8];
	uint64_t layer, M, K, N, repeat, times;
	uint64_t cycles, compute_cycles, dram_cycles;
	uint64_t dram_read_bytes, dram_write_bytes;
	double energy_pj;
	/* cycle mode: busy cycles per queue, stall cycles summed over them */
	uint64_t load_busy, compute_busy, store_busy;
	uint64_t stall_data, stall_dram, stall_buffer, stall_output, stall_compute, stall_barrier;
};

extern const struct ps_col sim_summary_cols[], sim_cycle_cols[], sim_op_cols[];
extern const size_t sim_n_summary_cols, sim_n_cycle_cols, sim_n_op_cols;
/* how many of sim_op_cols every mode fills (the rest: cycle mode) */
extern const size_t sim_n_op_cols_all_modes;

void sim_summary_row(const struct sim_result *r, struct sim_summary_row *row);
void sim_op_row(const struct sim_result *r, size_t i, struct sim_op_row *row);

void sim_print_table(FILE *fp, const struct sim_result *r);
void sim_print_json(FILE *fp, const struct sim_result *r);
enum ps_status sim_write_h5(const char *path, const struct sim_result *r,
			    struct ps_err *err);

#endif

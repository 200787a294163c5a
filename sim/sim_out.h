/* sim_out.h - a result as a human table, as JSON, and as HDF5.
 * HDF5 layout (README "HDF5 layout"): root attributes schema_version,
 * pesim_version, git_sha, arch_digest, energy_table, arch, model, scenario,
 * mode; /summary (one-row compound table); /ops (one row per op per phase).
 * Every file is written under a temporary name and renamed into place. */
#ifndef SIM_OUT_H
#define SIM_OUT_H

#include <stdio.h>

#include "sim.h"


void sim_print_table(FILE *fp, const struct sim_result *r);
void sim_print_json(FILE *fp, const struct sim_result *r);

/* JSON streamed: begin (what the run is: r's names and mode, as
 * sim_result_header fills them), one sim_json_op per row as it completes,
 * end (the totals). sim_print_json is the three over a held result. */
struct ps_json;
void sim_json_begin(struct ps_json *j, FILE *fp, const struct sim_result *r);
void sim_json_op(struct ps_json *j, const struct sim_result *r,
		 const struct sim_op_stats *o);
void sim_json_end(struct ps_json *j, const struct sim_result *r);
enum ps_status sim_write_h5(const char *path, const struct sim_result *r,
			    struct ps_err *err);

/* HDF5 streamed: begin (the file and its root attributes from r's names),
 * sim_h5_op per row as it completes, end (the summary; the file is renamed
 * into place) or abort (nothing left behind). */
struct sim_h5;
enum ps_status sim_h5_begin(const char *path, const struct sim_result *r,
			    struct sim_h5 **h, struct ps_err *err);
enum ps_status sim_h5_op(struct sim_h5 *h, const struct sim_op_stats *o,
			 struct ps_err *err);
enum ps_status sim_h5_end(struct sim_h5 *h, const struct sim_result *r,
			  struct ps_err *err);
void sim_h5_abort(struct sim_h5 *h);

#endif

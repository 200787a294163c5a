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
enum ps_status sim_write_h5(const char *path, const struct sim_result *r,
			    struct ps_err *err);

#endif

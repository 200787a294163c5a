/* cli_work.h - the options `pesim run` and `pesim compile` share: which
 * architecture (--arch, --set, --map-objective) runs which workload
 * (--model with --scenario, or --gemm MxKxN with --decode), and the data
 * seed (--seed). One parser and one loader, so the two commands accept the
 * same spellings and report the same errors. */
#ifndef CLI_WORK_H
#define CLI_WORK_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_yaml.h"
#include "cli.h"
#include "pe.h"
#include "wl_model.h"
#include "wl_scenario.h"

struct cli_work {
	const char *arch_path, *model, *scen, *gemm;
	int objective;			/* --map-objective; -1: the arch's */
	bool decode;			/* --decode: the GEMM on the decode array */
	uint64_t seed;			/* --seed, default 1 */
	uint64_t M, K, N;		/* --gemm, after cli_work_gemm */
	struct cfg_sets sets, arch_sets, model_sets;
	struct cfg_arch arch;		/* after cli_work_arch */
	struct wl_model m;		/* after cli_work_model, with --model */
	struct wl_scenario s;
};

/* Clear w to the defaults and add the shared options to p (after
 * cli_opts_init). */
void cli_work_init(struct cli_work *w, struct cli_opts *p);

/* cli_getopt that takes the shared options itself: returns the next
 * option that is not a shared one, or what cli_getopt returns (-1 at the
 * end); CLI_ERR after printing a bad value of a shared option. */
int cli_work_getopt(struct cli_work *w, struct cli_opts *p, int argc, char **argv);

/* The loading steps, in the order a command needs them; each returns 0
 * or the exit code after printing "pesim CMD: ...". cli_work_gemm parses
 * --gemm (if given); cli_work_arch splits --set and loads the arch with
 * its overrides and --map-objective; cli_work_model loads --model (with
 * its model.* overrides) and parses --scenario. */
int cli_work_gemm(struct cli_work *w, const char *cmd);
int cli_work_arch(struct cli_work *w, const char *cmd);
int cli_work_model(struct cli_work *w, const char *cmd);

#endif

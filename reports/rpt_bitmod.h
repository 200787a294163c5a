/* rpt_bitmod.h - internal: the BitMoD recipe's grid of results. */
#ifndef RPT_BITMOD_H
#define RPT_BITMOD_H

#include <stdint.h>
#include <stdio.h>

#include "rpt.h"
#include "rpt_paper.h"
#include "wl_scenario.h"

enum { BM_FP16, BM_ANT, BM_OLIVE, BM_LOSSY, BM_LOSSLESS, BM_DESIGNS };
enum { BM_MODELS = 6, BM_SCEN = 2 };

extern const char *const bm_designs[BM_DESIGNS];
extern const char *const bm_design_labels[BM_DESIGNS];
extern const char *const bm_models[BM_MODELS];
extern const char *const bm_scenarios[BM_SCEN];	/* "prefill:256", ... */
extern const char *const bm_scen_keys[BM_SCEN];	/* "prefill", "generate" */

struct bm_cell {
	uint64_t cycles, compute_cycles;
	double e_total, e_onchip, e_compute, e_sram, e_dram;	/* pJ */
};

/* One comparison row: design vs baseline on a metric, per model and mean. */
struct bm_cmp {
	const char *metric;	/* "speedup", "energy_efficiency" */
	int design, baseline;
};

/* Compat vs cycle mode for one op class in one phase (the explanation). */
struct bm_gap {
	uint64_t compat_cycles, cycle_cycles;
	uint64_t compat_compute, cycle_compute;
	uint64_t compat_bytes, cycle_bytes;
	uint64_t stall_data, stall_buffer, stall_output, stall_barrier;
};

/* Where a design's cycles go, compat to cycle mode, summed over the six
 * models and every op (times included): [0] attention, [1] the rest. */
struct bm_split {
	uint64_t compat[2];	/* the paper's method */
	uint64_t hw[2];		/* pesim's ops at max(compute-bound, DRAM-bound) */
	uint64_t buf[2];	/* ... at their bound under the buffer capacities */
	uint64_t cycle[2];	/* achieved */
};

struct bm_grid {
	struct bm_cell c[BM_SCEN][BM_MODELS][BM_DESIGNS];	/* compat mode */
	struct bm_cell y[BM_SCEN][BM_MODELS][BM_DESIGNS];	/* cycle mode */
	/* Llama-2-7B on BitMoD-lossy, generate:256+20: per phase and op class */
	struct bm_gap gap[WL_PHASE_N][WL_OP_CLASS_N];
	struct bm_split split[BM_SCEN][BM_DESIGNS];
	char model_display[BM_MODELS][64];
	/* compat: the paper's PE areas (its method); cyc: the presets' own
	 * (our RTL's where there is one), with their source */
	double area_um2[BM_DESIGNS], pe_area_um2[BM_DESIGNS];
	double area_cyc_um2[BM_DESIGNS], pe_area_cyc_um2[BM_DESIGNS];
	char area_source[BM_DESIGNS][160];
	uint64_t pes[BM_DESIGNS][2];
	struct rpt_paper paper;
	int compat_attn;
};

extern const struct bm_cmp bm_cmps[];
extern const size_t bm_n_cmps;

/* Load the paper's figures and run the 60 simulations. */
enum ps_status bm_build(const struct rpt_options *o, struct bm_grid *g,
			struct ps_err *err);

/* baseline / design of the metric for one model; cyc: cycle-mode cells. */
double bm_ratio(const struct bm_grid *g, const struct bm_cmp *c, int s, int m);
double bm_mean(const struct bm_grid *g, const struct bm_cmp *c, int s);
double bm_ratio_cyc(const struct bm_grid *g, const struct bm_cmp *c, int s, int m);
double bm_mean_cyc(const struct bm_grid *g, const struct bm_cmp *c, int s);
/* The paper's mean of comparison c in scenario s, NULL if not printed. */
const struct rpt_figure *bm_paper(const struct bm_grid *g, const struct bm_cmp *c, int s);

void bm_markdown(FILE *fp, const struct bm_grid *g);
enum ps_status bm_write_csv(const char *path, const struct bm_grid *g,
			    struct ps_err *err);
enum ps_status bm_write_h5(const char *path, const struct bm_grid *g,
			   struct ps_err *err);
enum ps_status bm_write_png(const char *path, const struct bm_grid *g,
			    struct ps_err *err);

#endif

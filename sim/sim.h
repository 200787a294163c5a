/* sim.h - the simulation API: a request (arch, model, scenario, mode) in, a
 * result (cycles, actions, priced energy, area, per-op rows) out.
 *
 * One run path for every mode: sim_run expands the workload once (a
 * wl_plan: the scenario's phases, or one GEMM), then the mode walks it.
 *   cycle    - the compiler maps and emits the trace straight into the
 *              cycle-level engine (sim_engine.c), or a trace file is
 *              replayed; actions are priced once at the end (energy.c).
 *   compat   - a paper's own analytical method, exactly (sim_compat.h:
 *              the request's compat_method; BitMoD's by default).
 *   bit-true - generated (or given) operand data through the PE family's
 *              stepped model against an exact reference GEMM
 *              (sim_bittrue.c): the linears of one layer of the plan's first
 *              phase, the GEMM, or a bit-true trace's GEMMs. */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cc_compat.h"
#include "cfg_arch.h"
#include "cfg_energy.h"
#include "energy.h"
#include "ps_status.h"
#include "sim_actions.h"
#include "wl_model.h"
#include "wl_scenario.h"

enum sim_mode { SIM_MODE_CYCLE, SIM_MODE_COMPAT, SIM_MODE_BITTRUE, SIM_MODE_N };

/* Queues of the engine and why a queue waited. */
enum sim_queue { SIM_Q_LOAD, SIM_Q_COMPUTE, SIM_Q_STORE, SIM_Q_N };
enum sim_stall {
	SIM_STALL_DATA,		/* compute waits for loads (DRAM) */
	SIM_STALL_DRAM,		/* a load or store waits for the DRAM channel */
	SIM_STALL_BUFFER,	/* a load waits for a free buffer slot */
	SIM_STALL_OUTPUT,	/* compute waits for an output slot (stores) */
	SIM_STALL_COMPUTE,	/* a store waits for results */
	SIM_STALL_BARRIER,	/* an op waits for the previous op's compute */
	SIM_STALL_N
};
extern const char *const sim_queue_names[];
extern const char *const sim_stall_names[];

struct sim_queue_stats {
	uint64_t busy;
	uint64_t stall[SIM_STALL_N];
};
extern const char *const sim_mode_names[];

/* How the compat model treats attention (bitmod.md, "evaluation method"). */
#define SIM_ATTN_PUBLISHED CC_ATTN_PUBLISHED
#define SIM_ATTN_KV_READ CC_ATTN_KV_READ
extern const char *const sim_compat_attn_names[];

struct sim_op_stats;
typedef enum ps_status (*sim_row_fn)(void *ctx, const struct sim_op_stats *row,
				     struct ps_err *err);

struct sim_request {
	const struct cfg_arch *arch;
	const struct cfg_energy *energy;	/* NULL: loaded from arch->energy_table */
	const struct wl_model *model;		/* NULL: one GEMM (M, K, N) */
	const struct wl_scenario *scenario;
	uint64_t M, K, N;			/* the GEMM when model is NULL */
	int gemm_phase;			/* enum wl_phase_kind of that GEMM */
	int mode;			/* enum sim_mode */
	int compat_attn;		/* enum sim_compat_attn */
	/* compat mode: the paper method by name (sim_compat.h); NULL or ""
	 * the BitMoD paper's */
	const char *compat_method;
	bool keep_ops;			/* fill result->ops */
	/* or: rows go here as they complete (keep_ops ignored; res->ops
	 * stays empty) */
	sim_row_fn on_row;
	void *row_ctx;
	/* cycle mode: impose the compat method's assumptions (compat mapping
	 * policy + the engine's compat timing) */
	bool compat_assumptions;
	const char *trace_path;		/* cycle / bit-true: this trace */
	bool no_replay;			/* cycle: step every unit (benches) */
	/* bit-true */
	uint64_t seed;			/* data generator seed */
	uint32_t layer;			/* the layer whose linears run */
	const float *weights;		/* [N, K] given weights (with M, K, N
					 * and no model), or NULL: generated */
};

/* Bit-true results (sim_bittrue.c). */
struct sim_bt_result {
	uint64_t gemms, macs;
	uint64_t cycles_stepped, cycles_closed_form;
	double max_abs_err;	/* max |out - ref| */
	double max_rel_err;	/* max |out - ref| / max(|ref|, rms(ref)) */
	double sqnr_db;		/* 10 log10(sum ref^2 / sum (out - ref)^2) */
	double sum_ref2, sum_err2, ref_rms_max;
	double w_sqnr_db;	/* of the quantized weights alone (last GEMM) */
	char quant[48];		/* quantizer of the last GEMM */
};

/* One op of one phase. Counts are per execution; `times` says how many
 * times the phase (hence the op) runs, totals include it. */
struct sim_op_stats {
	struct wl_op op;
	uint32_t times;
	uint64_t cycles;		/* per execution */
	uint64_t compute_cycles;
	uint64_t dram_cycles;
	uint64_t tiles;			/* array steps */
	uint64_t dram_read_bytes, dram_write_bytes;
	uint32_t weight_fetches, input_fetches;	/* re-fetch factors */
	struct sim_actions acts;	/* per execution */
	double energy_pj;		/* per execution, priced */
	/* cycle mode: per queue busy and stalls; cycles is the op's increment
	 * to the total (end of this op minus end of the previous one) */
	struct sim_queue_stats q[SIM_Q_N];
	uint64_t busy_pe_cycles;
	/* consecutive layers this row stands for (equal rows but for the
	 * layer index fold: `layer` is the first, `times` includes them) */
	uint32_t layers;
	/* cycle mode: the bound no mapping beats (cc_gemm_bound, per
	 * execution); the achieved fraction is max of them / cycles */
	uint64_t bound_compute, bound_dram;
	/* cycle mode, compiled runs: the bound under the buffer capacities -
	 * the least max(compute issue, DRAM transfer) of any tiling that fits
	 * them (the mapper's search space), never below the two bounds above;
	 * a replayed trace has none (0) */
	uint64_t bound_buffers;
};

/* The rows of a run as they complete (sim_rows.c): equal consecutive
 * layers folded, priced, bounded, handed to emit. */
#define SIM_ROWS_CACHE 64
struct sim_bound_key {
	uint64_t M, K, N, repeat;
	int kind, phase;
};
struct sim_bound_cache {
	bool valid;
	struct sim_bound_key key;
	uint64_t compute, dram;
};
struct sim_rows {
	const struct cfg_arch *a;
	const struct cfg_energy *energy;
	const char *model;
	bool bounds;
	double w_bits[2];	/* stored bits per weight per phase (bounds) */
	sim_row_fn emit;
	void *ctx;
	struct sim_op_stats *grp, *cur;	/* the pending group's first layer, the current layer */
	size_t n_grp, n_cur, cap_grp, cap_cur;
	uint32_t grp_layers, grp_last, cur_layer;
	int grp_phase, cur_phase;
	struct sim_bound_cache cache[SIM_ROWS_CACHE];
};
void sim_rows_init(struct sim_rows *r, const struct cfg_arch *a,
		   const struct cfg_energy *energy, const char *model,
		   bool bounds, sim_row_fn emit, void *ctx);
enum ps_status sim_rows_put(struct sim_rows *r, const struct sim_op_stats *s,
			    struct ps_err *err);
enum ps_status sim_rows_finish(struct sim_rows *r, struct ps_err *err);
void sim_rows_free(struct sim_rows *r);

/* A row's lower bound - under the buffer capacities when the mapper gave
 * it, else max(compute-bound, DRAM-bound) - and the achieved fraction of
 * it (0 without a bound). */
uint64_t sim_row_bound(const struct sim_op_stats *s);
double sim_row_fraction(const struct sim_op_stats *s);

struct sim_phase_stats {
	struct wl_phase phase;
	uint64_t cycles, compute_cycles;	/* one execution of the phase */
};

struct sim_result {
	char arch[64], model[64], scenario[128], energy_table[64];
	char area_source[160];		/* the PE area's source (cfg_area_describe) */
	int mode, compat_attn;
	char compat_method[16];		/* compat mode: the method run */
	uint64_t arch_digest;
	uint64_t cycles;		/* totals over all phases and times */
	uint64_t compute_cycles;
	uint64_t dram_read_bytes, dram_write_bytes;
	uint64_t macs;			/* Σ M*K*N*repeat */
	double seconds;			/* cycles / clock */
	struct sim_actions acts;
	struct energy_breakdown energy;
	double pe_area_um2;		/* one PE */
	uint64_t pes;			/* max over phases */
	double array_area_um2;		/* PE area x PEs */
	double buffer_area_um2;		/* the buffers' area_um2 */
	struct sim_phase_stats *phases;
	size_t n_phases;
	struct sim_op_stats *ops;	/* keep_ops: one row per op per phase
					 * (equal consecutive layers folded) */
	size_t n_ops;
	/* cycle mode: sum over rows of their bound x times (sim_row_bound),
	 * and of max(compute-bound, DRAM-bound) x times (no buffer limit) */
	uint64_t bound_cycles, bound_hw_cycles;
	/* cycle mode */
	struct sim_queue_stats q[SIM_Q_N];
	uint64_t busy_pe_cycles;	/* Σ PEs x cycles doing MACs */
	double utilization;		/* busy_pe_cycles / (PEs x cycles) */
	double dram_bw_bits_per_cycle;	/* achieved */
	uint64_t sram_bytes_written[8], sram_bytes_read[8];	/* per arch buffer */
	uint64_t instructions, units;	/* records and unrolled iterations */
	/* the mapper's DRAM traffic over the compulsory traffic (every operand
	 * once): 1 is perfect reuse; 0 when not compiled here (trace replay) */
	double dram_vs_compulsory;
	/* bit-true mode (cycles = bt.cycles_stepped, macs = bt.macs) */
	struct sim_bt_result bt;
};

/* What a request's result will be named (arch, model, scenario, mode,
 * energy table): the header of a streamed output. */
void sim_result_header(const struct sim_request *req, struct sim_result *res);

/* Run a request. Bit-true mode returns PS_ECHECK (with the result filled)
 * when stepping and the closed form disagree. */
enum ps_status sim_run(const struct sim_request *req, struct sim_result *res,
		       struct ps_err *err);
void sim_result_free(struct sim_result *res);

/* Overrides (--set, sweep points) by the document they change: "model.*"
 * the model's YAML (prefix stripped), "run.*" the request (a sweep file's
 * run: block), every other path the arch. NULL outputs are skipped. */
void sim_sets_split(const struct cfg_sets *all, struct cfg_sets *arch,
		    struct cfg_sets *model, struct cfg_sets *run);

/* The mapper's prices (compiler/cc_map.h) of both phases, pr[0..1], from
 * an energy table. */
struct cc_prices;
void sim_map_prices(const struct cfg_energy *e, struct cc_prices *pr);

/* Load the energy table an arch names. */
enum ps_status sim_load_energy(const struct cfg_arch *a, struct cfg_energy *e,
			       struct ps_err *err);

#endif

/* cc_compile.h - the compiler driver: a model scenario (or one GEMM) on an
 * arch -> mapped, emitted trace. */
#ifndef CC_COMPILE_H
#define CC_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "cc_emit.h"
#include "cc_map.h"
#include "trace.h"
#include "wl_model.h"
#include "wl_scenario.h"

struct cc_compile_req {
	const struct cfg_arch *arch;
	/* the workload, expanded once by the caller (wl_plan_model with
	 * decode_at_prompt = compat, or wl_plan_gemm) */
	const struct wl_plan *plan;
	const char *out_path;
	const struct cc_sink *sink;		/* instead of out_path: records go here */
	bool bit_true;				/* one-GEMM plans only */
	uint64_t seed;
	bool no_shortcut;			/* tests: emit every outer tile */
	/* The compat mapping policy: every op is one tile with the BitMoD
	 * method's shapes and re-fetched bytes (cc_compat.h), decode steps at
	 * the prompt's context; traces for the engine's compat assumptions. */
	bool compat;
	int compat_attn;			/* enum cc_compat_attn */
	/* energy per action per phase for the mapper's energy estimate
	 * (NULL: not estimated) */
	const struct cc_prices *prices[2];
};

struct cc_compile_stats {
	uint64_t ops;			/* GEMM ops compiled */
	uint64_t insns;			/* records written (END included) */
	uint64_t macs;			/* Σ M K N repeat of the ops */
	uint64_t dram_read_bytes, dram_write_bytes;	/* the mappings' totals */
	uint64_t compulsory_bytes;	/* every operand once */
	uint64_t mappings;		/* distinct shapes searched */
};

enum ps_status cc_compile(const struct cc_compile_req *r,
			  struct cc_compile_stats *s, struct ps_err *err);

/* Totals read back from a trace, with LOOP bodies and OP repeats expanded
 * arithmetically (no unrolling). */
struct trace_summary {
	uint64_t records, ops;
	uint64_t macs;			/* Σ over MM: m n k x repeats */
	uint64_t load_bytes[3];		/* LD_W, LD_S, LD_A */
	uint64_t store_bytes;
	uint64_t mm_iterations;
	/* per buffer and load kind (W, S, A): the most bytes held, slots x
	 * tile; their sum bounds what the buffer must hold */
	uint64_t max_held[8][3];
	uint64_t pushes[3][2], pops[3][2];	/* per queue: [prev, next] */
};

enum ps_status trace_summarize(const char *path, struct trace_summary *s,
			       struct ps_err *err);

#endif

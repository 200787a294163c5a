/* cc_emit.h - one GEMM op's instruction block from its mapping. */
#ifndef CC_EMIT_H
#define CC_EMIT_H

#include <stdbool.h>

#include "cc_map.h"
#include "trace.h"

/* Where records go: a trace writer, the engine, or a test's array. */
struct cc_sink {
	enum ps_status (*put)(void *ctx, const struct trace_insn *in,
			      struct ps_err *err);
	void *ctx;
	/* Optional: a whole op block at once - its OP record, then n body
	 * records whose op index and addresses may be those of an earlier op
	 * with the same block (`key`, > 0, names the body: equal keys, equal
	 * bodies within a run). NULL: records go one by one through put. */
	enum ps_status (*put_block)(void *ctx, const struct trace_insn *hdr,
				    const struct trace_insn *body, size_t n,
				    uint64_t key, struct ps_err *err);
	/* Optional: before each op, what its mapping search found (its bound
	 * under the buffer capacities, cc_mapping.bound_buffers_cycles). */
	enum ps_status (*op_note)(void *ctx, uint64_t bound_buffers_cycles,
				  struct ps_err *err);
};

struct cc_emit_opts {
	bool no_shortcut;	/* generate every outer tile (tests) */
	uint64_t w_base;	/* DRAM byte address of this op's B operand */
	uint64_t act_base;	/* DRAM byte address of A and the output */
	uint8_t fmt;		/* weight format id for MM / LD_W */
	uint8_t a_fmt;		/* activation format id */
};

/* The OP record that opens a GEMM's block (an error if the mapping is
 * infeasible or the dims exceed the record's fields). */
enum ps_status cc_emit_op_record(const struct wl_op *op, uint32_t op_index,
				 const struct cc_gemm *g, const struct cc_mapping *m,
				 struct trace_insn *hdr, struct ps_err *err);

enum ps_status cc_emit_gemm(const struct cfg_arch *a, const struct wl_op *op,
			    uint32_t op_index, const struct cc_gemm *g,
			    const struct cc_mapping *m,
			    const struct cc_emit_opts *o,
			    const struct cc_sink *sink, struct ps_err *err);

#endif

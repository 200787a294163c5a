/* sim_engine.h - the cycle-level engine: consumes a trace (from a file or
 * straight from the compiler) and advances time unit by unit with the three
 * decoupled queues of isa.def, a DMA engine over a DRAM channel, the
 * buffers' slot tokens and the PE array's closed-form tile timing. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stdbool.h>

#include "sim.h"
#include "trace.h"

struct sim_engine;

/* compat: impose the BitMoD method's assumptions: no fill or drain, each op
 * takes max(compute, DRAM) of its own work, ops never overlap. Fed a trace of
 * the compat mapping policy, the cycles equal the compat model's. */
enum ps_status sim_engine_create(struct sim_engine **e,
				 const struct cfg_arch *a,
				 const struct cfg_energy *energy, bool compat,
				 bool keep_ops, struct ps_err *err);

/* A cc_sink: feed records in trace order, END last. */
enum ps_status sim_engine_put(void *ctx, const struct trace_insn *in,
			      struct ps_err *err);

/* A cc_sink's put_block: a whole op block (compiler/cc_emit.h). A key
 * seen before names the same body: its buffer check and hash are reused. */
enum ps_status sim_engine_put_block(void *ctx, const struct trace_insn *hdr,
				    const struct trace_insn *body, size_t n,
				    uint64_t key, struct ps_err *err);

/* A cc_sink's op_note: the next op's mapping facts (its rows' DRAM-bound
 * under the buffer capacities). */
enum ps_status sim_engine_op_note(void *ctx, uint64_t bound_buffers_cycles,
				  struct ps_err *err);

/* Totals, priced; fills res (whose arch/model/scenario names the caller
 * sets). The engine can be destroyed afterwards. */
enum ps_status sim_engine_finish(struct sim_engine *e, struct sim_result *res,
				 struct ps_err *err);

/* Rows go to a row stream (sim_rows.c) as each op completes, instead of
 * the keep_ops array. */
void sim_engine_set_rows(struct sim_engine *e, struct sim_rows *rows);

/* Block replay (on by default): identical op blocks entered in the same
 * relative state reuse the recorded timing. Off: every unit is stepped. */
void sim_engine_set_memo(struct sim_engine *e, bool on);
uint64_t sim_engine_memo_hits(const struct sim_engine *e);

void sim_engine_destroy(struct sim_engine *e);

#endif

/* cc_map_memo.h - the mapper's choices already searched in this process.
 *
 * A search is a pure function of the arch, the GEMM (its dims, phase,
 * kind, stored weight bits, model, prices and copies) and the layout they
 * give; what it chose - the tiling, order and slots, and the least ideal
 * cycles over the candidates it weighed (bound_buffers_cycles) - rebuilds
 * the whole mapping by one cc_map_eval. Runs in one process meet the same
 * GEMMs again: a report's scenarios share decode steps' KV lengths and
 * every linear, each run a compile of its own. Keys hold the arch's bytes
 * (every field before its file path: a changed field is another key,
 * never a stale hit), the model's name and the prices by value.
 * Bounded (a few thousand choices, a few archs; the least recently used
 * go); one thread per process, as the searches run. */
#ifndef CC_MAP_MEMO_H
#define CC_MAP_MEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "cc_map.h"

struct cc_map_choice {
	uint64_t Mt, Kt, Nt;
	int order;
	uint32_t slots_w, slots_a, slots_o;
	uint64_t bound_buffers_cycles;
};

/* The choice for (a, g) if one was put, else false. */
bool cc_map_memo_get(const struct cfg_arch *a, const struct cc_gemm *g,
		     struct cc_map_choice *c);
void cc_map_memo_put(const struct cfg_arch *a, const struct cc_gemm *g,
		     const struct cc_map_choice *c);

/* Forget every choice; hits and misses so far (for tests and benches). */
void cc_map_memo_clear(void);
void cc_map_memo_counts(uint64_t *hits, uint64_t *misses);

#endif

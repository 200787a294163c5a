/* swp_exec.h - run a sweep (or one shard of it) into an output file. */
#ifndef SWP_EXEC_H
#define SWP_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "swp.h"

struct swp_exec_opts {
	unsigned jobs;		/* worker processes (>= 1) */
	uint32_t shard, shards;	/* run points p % shards == shard; shards 0: all */
	const char *out;	/* HDF5 output (its journal: out.journal) */
	const char *csv;	/* also CSV, or NULL */
	int progress;		/* enum swp_progress_mode */
	uint64_t every;		/* plain progress line every N points (0: auto) */
};

struct swp_exec_stats {
	uint64_t total;		/* points of this shard */
	uint64_t resumed;	/* done before this run (output or journal) */
	uint64_t ran, failed;	/* run now; of them failed */
	uint64_t failed_total;	/* failed points in the output */
	double seconds, cpu_seconds;	/* wall, and CPU of all processes */
	bool interrupted;	/* SIGINT/SIGTERM/SIGHUP: journal kept, no output */
};

enum ps_status swp_exec(const struct swp_sweep *s, const struct swp_exec_opts *o,
			struct swp_exec_stats *x, struct ps_err *err);

#endif

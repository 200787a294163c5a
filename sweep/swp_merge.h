/* swp_merge.h - join the shard files of one sweep into the file a single
 * run of it writes: the same sweep (digest) and column layout required,
 * rows sorted by point index, points missing counted and their shards
 * named (for `sbatch --array=` resubmission). */
#ifndef SWP_MERGE_H
#define SWP_MERGE_H

#include "swp_table.h"

#define SWP_MAX_MISSING 4096

struct swp_merge_report {
	uint64_t points, present, missing;
	uint32_t shards;	/* the inputs' shard count (0: whole files) */
	uint32_t missing_shards[SWP_MAX_MISSING];	/* ascending */
	size_t n_missing_shards;
	char first[1024];
};

enum ps_status swp_merge(const char *const *in, size_t n, struct swp_table *out,
			 struct swp_merge_report *rep, struct ps_err *err);

/* The missing shards as a Slurm --array value: "3,5-7". */
void swp_merge_array(const struct swp_merge_report *rep, char *buf, size_t n);

#endif

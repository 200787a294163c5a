/* swp_journal.h - the durable record of a sweep's finished points.
 *
 * OUT.journal next to the output: a header naming the sweep (digest,
 * shard) and one fixed-size, checksummed record per finished point, each
 * written and fdatasync'ed before the point counts as done. A rerun reads
 * the records back (a torn last record, from a crash, is cut off) and
 * skips those points, even after kill -9; the output file replaces the
 * journal once it is complete. An flock keeps two runs off one journal. */
#ifndef SWP_JOURNAL_H
#define SWP_JOURNAL_H

#include "swp.h"

struct swp_journal {
	int fd;
	char path[1100];
};

/* Open (or create) the journal of out for sweep digest and shard i/N
 * (N 0: whole); each committed result goes to done(ctx, r). */
enum ps_status swp_journal_open(struct swp_journal *j, const char *out,
				uint64_t digest, uint32_t shard, uint32_t shards,
				void (*done)(void *ctx, const struct swp_result *r),
				void *ctx, struct ps_err *err);
enum ps_status swp_journal_append(struct swp_journal *j,
				  const struct swp_result *r, struct ps_err *err);
void swp_journal_close(struct swp_journal *j);
/* Close and delete it (the output holds everything now). */
void swp_journal_remove(struct swp_journal *j);

#endif

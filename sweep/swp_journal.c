/* swp_journal.c - append-only, fdatasync'ed, checksummed point records. */
#include "swp_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ps_file.h"

#define J_MAGIC "PESIMSWJ"
#define J_VERSION 1

struct jhead {
	char magic[8];
	uint32_t version, record_size;
	uint64_t digest;
	uint32_t shard, shards, n_metrics, pad;
	char reserved[24];
};

struct jrec {
	struct swp_result r;
	uint64_t sum;		/* FNV-1a of r */
};

static uint64_t sum_of(const struct swp_result *r)
{
	return cfg_fnv1a(r, sizeof *r, CFG_FNV_INIT);
}

enum ps_status swp_journal_open(struct swp_journal *j, const char *out,
				uint64_t digest, uint32_t shard, uint32_t shards,
				void (*done)(void *ctx, const struct swp_result *r),
				void *ctx, struct ps_err *err)
{
	struct jhead h, want;
	struct jrec rec;
	off_t good;

	memset(&want, 0, sizeof want);
	memcpy(want.magic, J_MAGIC, 8);
	want.version = J_VERSION;
	want.record_size = sizeof(struct jrec);
	want.digest = digest;
	want.shard = shard;
	want.shards = shards;
	want.n_metrics = SWP_N_METRICS;
	snprintf(j->path, sizeof j->path, "%s.journal", out);
	j->fd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (j->fd < 0)
		return ps_errf(err, PS_EIO, "%s: cannot open: %s", j->path, strerror(errno));
	if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
		close(j->fd);
		j->fd = -1;
		return ps_errf(err, PS_EINPUT, "%s: another pesim sweep is writing this output", j->path);
	}
	if (ps_read_full(j->fd, &h, sizeof h) != sizeof h) {
		/* new (or cut before its header was whole): start it */
		if (ftruncate(j->fd, 0) || lseek(j->fd, 0, SEEK_SET) ||
		    ps_write_full(j->fd, &want, sizeof want) != sizeof want || fdatasync(j->fd))
			goto io;
		return PS_OK;
	}
	if (memcmp(h.magic, J_MAGIC, 8) || h.version != J_VERSION ||
	    h.record_size != want.record_size || h.n_metrics != SWP_N_METRICS) {
		close(j->fd);
		j->fd = -1;
		return ps_errf(err, PS_EINPUT, "%s: not a journal of this pesim; remove it to start over",
			       j->path);
	}
	if (h.digest != digest || h.shard != shard || h.shards != shards) {
		close(j->fd);
		j->fd = -1;
		return ps_errf(err, PS_EINPUT,
			       "%s: the journal of another sweep (digest %016llx, shard %u/%u; this one %016llx, %u/%u): remove it or choose another -o",
			       j->path, (unsigned long long)h.digest, h.shard, h.shards,
			       (unsigned long long)digest, shard, shards);
	}
	good = sizeof h;
	while (ps_read_full(j->fd, &rec, sizeof rec) == sizeof rec &&
	       rec.sum == sum_of(&rec.r)) {
		done(ctx, &rec.r);
		good += (off_t)sizeof rec;
	}
	/* a torn record (the writer died in it) is dropped */
	if (ftruncate(j->fd, good) || lseek(j->fd, good, SEEK_SET) < 0)
		goto io;
	return PS_OK;
io:
	close(j->fd);
	j->fd = -1;
	return ps_errf(err, PS_EIO, "%s: cannot write: %s", j->path, strerror(errno));
}

enum ps_status swp_journal_append(struct swp_journal *j,
				  const struct swp_result *r, struct ps_err *err)
{
	struct jrec rec;
	memset(&rec, 0, sizeof rec);
	rec.r = *r;
	rec.sum = sum_of(&rec.r);
	if (ps_write_full(j->fd, &rec, sizeof rec) != sizeof rec || fdatasync(j->fd))
		return ps_errf(err, PS_EIO, "%s: cannot commit point %llu: %s", j->path,
			       (unsigned long long)r->index, strerror(errno));
	return PS_OK;
}

void swp_journal_close(struct swp_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
}

void swp_journal_remove(struct swp_journal *j)
{
	unlink(j->path);
	swp_journal_close(j);
}

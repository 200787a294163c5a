/* swp_merge.c - join the shard files of one sweep (swp_merge.h). */
#include "swp_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

enum ps_status swp_merge(const char *const *in, size_t n, struct swp_table *out,
			 struct swp_merge_report *rep, struct ps_err *err)
{
	unsigned char *seen = NULL;
	enum ps_status st = PS_OK;

	memset(rep, 0, sizeof *rep);
	memset(out, 0, sizeof *out);
	if (!n)
		return ps_errf(err, PS_EINPUT, "no input files");
	for (size_t i = 0; i < n && !st; i++) {
		struct swp_table t;
		if ((st = swp_table_read_h5(in[i], &t, err)))
			break;
		if (i == 0) {
			*out = t;
			out->rows = NULL;
			out->nrows = out->cap = 0;
			seen = calloc(t.points ? t.points : 1, 1);
			if (!seen)
				st = ps_errf(err, PS_ENOMEM, "out of memory");
			rep->shards = t.shards;
			snprintf(rep->first, sizeof rep->first, "%s", in[0]);
		} else if (!swp_table_same_layout(out, &t) || t.points != out->points) {
			st = ps_errf(err, PS_EINPUT, "%s: from another sweep (sweep %s, digest %s; %s has %s, %s)",
				     in[i], t.sweep, t.digest, in[0], out->sweep, out->digest);
		} else if (t.shards != rep->shards) {
			st = ps_errf(err, PS_EINPUT, "%s: shard %u/%u, but %s is of %u shards",
				     in[i], t.shard, t.shards, in[0], rep->shards);
		}
		for (uint64_t r = 0; !st && r < t.nrows; r++) {
			const unsigned char *row = t.rows + r * t.row_size;
			int64_t p = swp_table_i64(&t, r, 0);
			if (p < 0 || (uint64_t)p >= out->points) {
				st = ps_errf(err, PS_EINPUT, "%s: point %lld is not one of the sweep's %llu",
					     in[i], (long long)p, (unsigned long long)out->points);
				break;
			}
			if (seen[p]) {
				/* the same point in two files: it must be the same row */
				for (uint64_t k = 0; k < out->nrows; k++)
					if (swp_table_i64(out, k, 0) == p &&
					    memcmp(out->rows + k * out->row_size, row, t.row_size))
						st = ps_errf(err, PS_EINPUT, "%s: point %lld differs from the same point in an earlier file",
							     in[i], (long long)p);
				continue;
			}
			seen[p] = 1;
			st = swp_table_add_raw(out, row, err);
		}
		swp_table_free(&t);
	}
	if (!st) {
		swp_table_sort(out);
		rep->points = out->points;
		rep->present = out->nrows;
		rep->missing = out->points - out->nrows;
		for (uint64_t p = 0; p < out->points && rep->shards; p++) {
			uint32_t sh = (uint32_t)(p % rep->shards);
			bool have = false;
			if (seen[p])
				continue;
			for (size_t k = 0; k < rep->n_missing_shards; k++)
				have |= rep->missing_shards[k] == sh;
			if (!have && rep->n_missing_shards < SWP_MAX_MISSING)
				rep->missing_shards[rep->n_missing_shards++] = sh;
		}
		qsort(rep->missing_shards, rep->n_missing_shards, sizeof *rep->missing_shards, cmp_u32);
		/* the merged file is the whole sweep's: no shard of its own */
		out->shard = out->shards = 0;
	} else {
		swp_table_free(out);
	}
	free(seen);
	return st;
}

void swp_merge_array(const struct swp_merge_report *rep, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < rep->n_missing_shards; i++) {
		uint32_t a = rep->missing_shards[i], b = a;
		while (i + 1 < rep->n_missing_shards && rep->missing_shards[i + 1] == b + 1)
			b = rep->missing_shards[++i];
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%u", used ? "," : "", a);
		if (b > a)
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "-%u", b);
	}
}

/* ps_file.h - output files that appear whole or not at all.
 *
 * ps_out_open writes to "<path>.tmp.<pid>"; ps_out_commit flushes, closes and
 * renames it into place; ps_out_abort removes it. An interrupted run never
 * leaves a truncated result under the final name. */
#ifndef PS_FILE_H
#define PS_FILE_H

#include <stdio.h>

#include "ps_status.h"

struct ps_out {
	FILE *fp;
	char path[1024];
	char tmp[1100];
};

enum ps_status ps_out_open(struct ps_out *out, const char *path,
			   struct ps_err *err);
enum ps_status ps_out_commit(struct ps_out *out, struct ps_err *err);
void ps_out_abort(struct ps_out *out);

/* A temporary name next to path, for writers (HDF5) that open files by name. */
void ps_tmp_name(char *buf, size_t n, const char *path);
enum ps_status ps_rename(const char *tmp, const char *path,
			 struct ps_err *err);

/* mkdir -p */
enum ps_status ps_mkdirs(const char *dir, struct ps_err *err);

#endif

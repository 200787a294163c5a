/* ps_file.h - the one output module: every file pesim writes goes through it
 * (traces, sidecars, HDF5, CSV, Markdown, PNG, waveforms).
 *
 * A target is resolved first: symbolic links are followed (the file they
 * name is the one replaced: written through), and a target that exists and
 * is not a regular file (a device, a directory, a FIFO) is refused with
 * PS_EINPUT. The content goes to a temporary file in the target's directory
 * (".<name>.<pid>.pesim-tmp"); every write, the flush, fsync and the close
 * are checked, and the temporary file is renamed over the target only when
 * complete, so the target holds the old content or the new, never a part.
 * On any error the temporary file is removed; on SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT or SIGPIPE a handler removes every temporary file of the process
 * and re-raises the signal. A temporary file left by a killed process
 * (kill -9) is removed by the next ps_out_open of the same target.
 *
 * A set (ps_outset: a report's .md, .csv, .h5, .png) is written into a
 * staging directory and switched into place as a whole: each visible name
 * is a symbolic link "<dir>/<file> -> .<set>.pesim-set/<file>" and the one
 * link ".<set>.pesim-set" names the generation directory, so a single
 * rename makes the whole new set visible. A kill at any point leaves the
 * old set or the new set. */
#ifndef PS_FILE_H
#define PS_FILE_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "ps_status.h"

struct ps_out {
	FILE *fp;		/* ps_out_open: the temporary file; NULL by name */
	char path[PATH_MAX];	/* the target, symbolic links resolved */
	char tmp[PATH_MAX];	/* the temporary file next to it */
	int slot;		/* cleanup registry slot, -1 none */
	bool finished;		/* complete, closed, not yet renamed */
};

/* Create the temporary file of path and open it for writing (out->fp). */
enum ps_status ps_out_open(struct ps_out *out, const char *path,
			   struct ps_err *err);
/* The same for writers that open files by name (HDF5, Verilator's FST): the
 * temporary file exists, empty; write out->tmp, close it, then commit. */
enum ps_status ps_out_open_name(struct ps_out *out, const char *path,
				struct ps_err *err);
/* Flush, fsync and close the temporary file, checking each step; the file
 * stays under its temporary name. On error it is removed. */
enum ps_status ps_out_finish(struct ps_out *out, struct ps_err *err);
/* Finish (if not yet) and rename into place. On error nothing is left. */
enum ps_status ps_out_commit(struct ps_out *out, struct ps_err *err);
/* Run argv (PATH lookup) with stdin the n bytes at in, stdout the
 * temporary file of out (ps_out_open), stderr /dev/null; a program that
 * cannot start or exits non-zero is an error. */
enum ps_status ps_out_run(struct ps_out *out, char *const argv[],
			  const char *in, size_t n, struct ps_err *err);
/* Remove the temporary file (any state; safe twice). */
void ps_out_abort(struct ps_out *out);

/* Resolve path's symbolic links into buf and check that it is absent or a
 * regular file (what ps_out_open does first). */
enum ps_status ps_out_target(const char *path, char *buf, size_t n,
			     struct ps_err *err);

/* An input file: exists and is not a directory ("cannot open: ...",
 * "is a directory"), so readers fail with the real reason. */
enum ps_status ps_in_check(const char *path, struct ps_err *err);

/* mkdir -p */
enum ps_status ps_mkdirs(const char *dir, struct ps_err *err);

/* All n bytes of buf from or to fd, across short transfers and EINTR:
 * returns the count moved, n unless end of file or an error (errno) came
 * first. */
size_t ps_read_full(int fd, void *buf, size_t n);
size_t ps_write_full(int fd, const void *buf, size_t n);

/* Flush and close stdout; a write error anywhere on it is an error. */
enum ps_status ps_stdout_close(struct ps_err *err);

/* A set of files replaced together. files: NULL-terminated names without
 * '/', all in dir. ps_outset_path(s, i) is where files[i] is written (with
 * ps_out_open or any writer that uses it) before ps_outset_commit. */
struct ps_outset;
enum ps_status ps_outset_begin(struct ps_outset **s, const char *dir,
			       const char *name, const char *const *files,
			       struct ps_err *err);
const char *ps_outset_path(const struct ps_outset *s, size_t i);
enum ps_status ps_outset_commit(struct ps_outset *s, struct ps_err *err);
void ps_outset_abort(struct ps_outset *s);

/* The signal-time cleanup registry (what ps_out and ps_outset use): paths
 * removed when the process is interrupted. dir: rmdir after the files. */
int ps_cleanup_add(const char *path, bool dir);
void ps_cleanup_del(int slot);
/* Hold the signals the cleanup handles (their delivery waits) across a
 * step that must finish once begun, e.g. switching a set and removing the
 * old generation; release restores the mask hold saved in *saved. */
void ps_cleanup_hold(sigset_t *saved);
void ps_cleanup_release(const sigset_t *saved);

#endif

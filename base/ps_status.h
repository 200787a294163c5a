/* ps_status.h - statuses and error messages shared by every pesim library.
 *
 * Library code never exits: it returns a status and fills a struct ps_err
 * with a one-line message ("file:line: field: problem"). Only main() turns a
 * status into an exit code (ps_exit_code). */
#ifndef PS_STATUS_H
#define PS_STATUS_H

#include <stddef.h>

enum ps_status {
	PS_OK = 0,
	PS_ECHECK,	/* a check ran and failed (exit 1) */
	PS_EINPUT,	/* bad input, usage, config or file content (exit 2) */
	PS_EIO,		/* the system refused a read or write (exit 2) */
	PS_ENOMEM,	/* out of memory (exit 2) */
};

struct ps_err {
	char msg[1024];
};

/* Format a message into err (may be NULL) and return status. */
enum ps_status ps_errf(struct ps_err *err, enum ps_status status,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix an existing message: "prefix: old message". */
enum ps_status ps_err_prefix(struct ps_err *err, enum ps_status status,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int ps_exit_code(enum ps_status status);

/* Make room for one more element in a growing array: if n == *cap, double
 * *cap (from `first`) and realloc *v (elements of `size` bytes). */
enum ps_status ps_grow(void *v, size_t *cap, size_t n, size_t size,
		       size_t first, struct ps_err *err);

#endif

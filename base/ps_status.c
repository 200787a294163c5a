/* ps_status.c - error formatting, the status to exit-code map and ps_grow. */
#include "ps_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ps_status ps_errf(struct ps_err *err, enum ps_status status,
		       const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return status;
}

enum ps_status ps_err_prefix(struct ps_err *err, enum ps_status status,
			     const char *fmt, ...)
{
	if (err) {
		char old[sizeof err->msg];
		size_t n, m;
		va_list ap;
		memcpy(old, err->msg, sizeof old);
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg - 2, fmt, ap);
		va_end(ap);
		n = strlen(err->msg);
		err->msg[n++] = ':';
		err->msg[n++] = ' ';
		m = strnlen(old, sizeof err->msg - n - 1);
		memcpy(err->msg + n, old, m);
		err->msg[n + m] = '\0';
	}
	return status;
}

int ps_exit_code(enum ps_status status)
{
	switch (status) {
	case PS_OK:
		return 0;
	case PS_ECHECK:
		return 1;
	case PS_EINPUT:
	case PS_EIO:
	case PS_ENOMEM:
		break;
	}
	return 2;
}

enum ps_status ps_grow(void *v, size_t *cap, size_t n, size_t size,
		       size_t first, struct ps_err *err)
{
	void **pv = v, *p;
	size_t c;
	if (n < *cap)
		return PS_OK;
	c = *cap ? 2 * *cap : first;
	p = realloc(*pv, c * size);
	if (!p)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	*pv = p;
	*cap = c;
	return PS_OK;
}

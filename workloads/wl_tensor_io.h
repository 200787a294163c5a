/* wl_tensor_io.h - private helpers shared by the .npy and .safetensors
 * readers (not part of the workloads API; include only from wl_*.c).
 *
 * Both readers take a file as one untrusted byte buffer. These helpers hold
 * the parts they share so that the bounds checks live in one place. */
#ifndef WL_TENSOR_IO_H
#define WL_TENSOR_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"
#include "wl_tensor.h"

/* Read a whole file into a malloc'd buffer (*buf is never NULL on success,
 * even for an empty file). Errors are PS_EIO / PS_ENOMEM naming the path. */
enum ps_status wl_io_read_file(const char *path, unsigned char **buf,
			       size_t *n, struct ps_err *err);

/* Size in bytes of one element of a file dtype. */
size_t wl_io_itemsize(enum wl_dtype dt);

/* Decode numel little-endian elements of dtype dt at src into a new float
 * array in t->data (at least one element is allocated so data is never NULL
 * on success). The caller has checked that numel * itemsize bytes exist. */
enum ps_status wl_io_decode(struct wl_tensor *t, const unsigned char *src,
			    enum wl_dtype dt, uint64_t numel,
			    const char *file, struct ps_err *err);

/* Copy the last path component of name into t->name (truncated). */
void wl_io_set_name(struct wl_tensor *t, const char *name);

/* Multiply with overflow detection: false if a * b does not fit. */
static inline bool wl_io_mul_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	if (a != 0 && b > UINT64_MAX / a)
		return false;
	*r = a * b;
	return true;
}

#endif

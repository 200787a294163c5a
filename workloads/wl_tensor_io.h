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

/* A reader's parse of a whole file's bytes: file names it in messages,
 * tensor picks one tensor of a file that holds several (or NULL). */
typedef enum ps_status (*wl_io_parse_fn)(const void *buf, size_t n, const char *file,
					 const char *tensor, struct wl_tensor *t,
					 struct ps_err *err);

/* Every reader's *_load: read path whole (until EOF, so a file that
 * changes underneath or a pipe still gives consistent bytes) and parse it.
 * Read errors are PS_EIO / PS_ENOMEM naming the path. */
enum ps_status wl_io_load(const char *path, const char *tensor, wl_io_parse_fn parse,
			  struct wl_tensor *t, struct ps_err *err);

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

/* A cursor over the header of an untrusted file: b is the whole file, the
 * header runs from pos to end, and no read passes end. Errors name the
 * file and the byte offset. */
struct wl_cur {
	const unsigned char *b;
	size_t pos, end;
	const char *file;
	struct ps_err *err;
};

/* PS_EINPUT "file: offset at: <message>". */
enum ps_status wl_cur_bad(const struct wl_cur *c, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Skip spaces, tabs, CR and LF. */
void wl_cur_ws(struct wl_cur *c);

/* Consume ch after optional whitespace; false (nothing consumed but the
 * whitespace) if it is not there. */
bool wl_cur_eat(struct wl_cur *c, char ch);

/* A non-negative decimal integer at the cursor (no whitespace skipped),
 * as both headers write sizes: digits only, no leading zero, 64 bits. An
 * error is reported at the cursor's offset with the caller's wording of
 * why[]: a minus sign, no digit, overflow, a leading zero. */
enum ps_status wl_cur_uint(struct wl_cur *c, const char *const why[4], uint64_t *v);

/* Multiply with overflow detection: false if a * b does not fit. */
static inline bool wl_io_mul_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	if (a != 0 && b > UINT64_MAX / a)
		return false;
	*r = a * b;
	return true;
}

#endif

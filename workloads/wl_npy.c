/* wl_npy.c - .npy reader (format versions 1.0, 2.0 and 3.0).
 *
 * Layout (numpy/lib/format.py): "\x93NUMPY", major, minor, header length
 * (u16 LE for 1.0, u32 LE for 2.0/3.0), then a Python dict literal such as
 * {'descr': '<f4', 'fortran_order': False, 'shape': (4096, 11008), }
 * padded with spaces and a newline, then the raw array bytes.
 *
 * The input is untrusted: every read is bounds-checked against the header
 * end, the dict grammar is the strict subset numpy writes, and the array
 * bytes must match shape x itemsize exactly (no trailing data), so a
 * truncated or padded file is an error instead of a silently shifted
 * tensor. Every error is PS_EINPUT "file: offset N: problem". */
#include "wl_tensor.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl_tensor_io.h"

/* A quoted Python string without escapes (numpy never writes any). */
static enum ps_status str(struct wl_cur *h, char *out, size_t cap)
{
	size_t start, len;
	unsigned char q;

	wl_cur_ws(h);
	start = h->pos;
	if (h->pos >= h->end || (h->b[h->pos] != '\'' && h->b[h->pos] != '"'))
		return wl_cur_bad(h, start, "expected a quoted string");
	q = h->b[h->pos++];
	while (h->pos < h->end && h->b[h->pos] != q) {
		unsigned char c = h->b[h->pos];
		if (c == '\\' || c < 0x20 || c > 0x7e)
			return wl_cur_bad(h, h->pos, "unsupported character in header string");
		h->pos++;
	}
	if (h->pos >= h->end)
		return wl_cur_bad(h, start, "unterminated string in header");
	len = h->pos - start - 1;
	if (len >= cap)
		return wl_cur_bad(h, start, "header string too long");
	memcpy(out, h->b + start + 1, len);
	out[len] = '\0';
	h->pos++;
	return PS_OK;
}

static enum ps_status descr(struct wl_cur *h, enum wl_dtype *dt)
{
	char s[32];
	size_t at;
	enum ps_status st;

	wl_cur_ws(h);
	at = h->pos;
	if (h->pos < h->end && h->b[h->pos] == '[')
		return wl_cur_bad(h, at, "structured dtypes not supported");
	if ((st = str(h, s, sizeof s)) != PS_OK)
		return st;
	if (!strcmp(s, "<f4") || !strcmp(s, "<f2") || !strcmp(s, "<u2")) {
		*dt = s[1] == 'f' ? (s[2] == '4' ? WL_F32 : WL_F16) : WL_BF16;
		return PS_OK;
	}
	if (s[0] == '>' && (!strcmp(s + 1, "f4") || !strcmp(s + 1, "f2") ||
			    !strcmp(s + 1, "u2")))
		return wl_cur_bad(h, at, "big-endian dtype '%s' not supported", s);
	/* '=' is the writer's native order and '|' means "not applicable":
	 * for a multi-byte type neither says which byte comes first. */
	if ((s[0] == '=' || s[0] == '|') && (!strcmp(s + 1, "f4") ||
					     !strcmp(s + 1, "f2") || !strcmp(s + 1, "u2")))
		return wl_cur_bad(h, at, "byte order '%c' is ambiguous in dtype '%s'; expected '<%s'",
			   s[0], s, s + 1);
	return wl_cur_bad(h, at, "dtype '%s' not supported (expected '<f4', '<f2' or '<u2' as bfloat16)", s);
}

static enum ps_status fortran(struct wl_cur *h, bool *fo)
{
	size_t at;

	wl_cur_ws(h);
	at = h->pos;
	if (h->end - h->pos >= 5 && !memcmp(h->b + h->pos, "False", 5)) {
		h->pos += 5;
		*fo = false;
		return PS_OK;
	}
	if (h->end - h->pos >= 4 && !memcmp(h->b + h->pos, "True", 4)) {
		h->pos += 4;
		*fo = true;
		return PS_OK;
	}
	return wl_cur_bad(h, at, "fortran_order must be True or False");
}

/* A Python tuple of non-negative ints: (), (n,), (a, b), (a, b,). */
static enum ps_status shape(struct wl_cur *h, struct wl_tensor *t)
{
	static const char *const why[4] = { "negative dimension in shape",
		"expected a dimension in shape", "dimension overflows 64 bits",
		"leading zero in dimension" };
	enum ps_status st;
	uint64_t v;
	size_t at;
	int nd = 0;
	bool comma = false;

	wl_cur_ws(h);
	at = h->pos;
	if (!wl_cur_eat(h, '('))
		return wl_cur_bad(h, at, "shape must be a tuple");
	for (;;) {
		wl_cur_ws(h);
		size_t d0 = h->pos;
		if (wl_cur_eat(h, ')'))
			break;
		if (nd > 0 && !comma)
			return wl_cur_bad(h, d0, "expected ',' or ')' in shape");
		if ((st = wl_cur_uint(h, why, &v)) != PS_OK)
			return st;
		if (nd == WL_TENSOR_MAX_DIMS)
			return wl_cur_bad(h, d0, "more than 4 dimensions");
		t->shape[nd++] = v;
		comma = wl_cur_eat(h, ',');
	}
	/* Python reads "(3)" as the int 3, not a tuple. */
	if (nd == 1 && !comma)
		return wl_cur_bad(h, at, "shape (n) is not a tuple; expected (n,)");
	t->ndim = nd;
	return PS_OK;
}

static enum ps_status parse(const void *buf, size_t n, const char *name,
			    struct wl_tensor *t, struct ps_err *err)
{
	struct wl_cur h = { .b = buf, .file = name ? name : "<npy>", .err = err };
	enum { K_DESCR = 1, K_FORTRAN = 2, K_SHAPE = 4 };
	unsigned seen = 0;
	enum wl_dtype dt = WL_F32;
	bool fo = false;
	size_t hstart, data;
	uint64_t hlen, numel = 1, bytes;
	enum ps_status st;

	if (n < 6 || memcmp(buf, "\x93NUMPY", 6))
		return wl_cur_bad(&h, 0, "bad magic (not a .npy file)");
	if (n < 8)
		return wl_cur_bad(&h, 6, "truncated before the version");
	if (h.b[6] < 1 || h.b[6] > 3 || h.b[7] != 0)
		return wl_cur_bad(&h, 6, "unsupported .npy version %u.%u", h.b[6], h.b[7]);
	hstart = h.b[6] == 1 ? 10 : 12;
	if (n < hstart)
		return wl_cur_bad(&h, 8, "truncated in the header length");
	hlen = (uint64_t)h.b[8] | (uint64_t)h.b[9] << 8;
	if (hstart == 12)
		hlen |= (uint64_t)h.b[10] << 16 | (uint64_t)h.b[11] << 24;
	if (hlen > n - hstart)
		return wl_cur_bad(&h, 8, "header length %llu beyond end of file (%zu bytes)",
			   (unsigned long long)hlen, n);
	h.pos = hstart;
	h.end = hstart + (size_t)hlen;
	data = h.end;

	if (!wl_cur_eat(&h, '{'))
		return wl_cur_bad(&h, h.pos, "header is not a dict");
	while (!wl_cur_eat(&h, '}')) {
		char key[32];
		size_t at;
		unsigned bit;

		wl_cur_ws(&h);
		at = h.pos;
		if ((st = str(&h, key, sizeof key)) != PS_OK)
			return st;
		bit = !strcmp(key, "descr") ? K_DESCR :
		      !strcmp(key, "fortran_order") ? K_FORTRAN :
		      !strcmp(key, "shape") ? K_SHAPE : 0;
		if (!bit)
			return wl_cur_bad(&h, at, "unknown header key '%s'", key);
		if (seen & bit)
			return wl_cur_bad(&h, at, "duplicate header key '%s'", key);
		seen |= bit;
		if (!wl_cur_eat(&h, ':'))
			return wl_cur_bad(&h, h.pos, "expected ':' after header key");
		st = bit == K_DESCR ? descr(&h, &dt) :
		     bit == K_FORTRAN ? fortran(&h, &fo) : shape(&h, t);
		if (st != PS_OK)
			return st;
		if (fo)
			return wl_cur_bad(&h, at, "fortran_order True not supported (write a C-order array)");
		if (!wl_cur_eat(&h, ',')) {
			if (wl_cur_eat(&h, '}'))
				break;
			return wl_cur_bad(&h, h.pos, "expected ',' or '}' in header");
		}
	}
	wl_cur_ws(&h);
	if (h.pos != h.end)
		return wl_cur_bad(&h, h.pos, "junk after the header dict");
	if (seen != (K_DESCR | K_FORTRAN | K_SHAPE))
		return wl_cur_bad(&h, hstart, "header lacks key '%s'",
			   !(seen & K_DESCR) ? "descr" : !(seen & K_FORTRAN) ?
			   "fortran_order" : "shape");

	for (int i = 0; i < t->ndim; i++)
		if (!wl_io_mul_ok(numel, t->shape[i], &numel))
			return wl_cur_bad(&h, hstart, "shape product overflows 64 bits");
	if (!wl_io_mul_ok(numel, wl_io_itemsize(dt), &bytes))
		return wl_cur_bad(&h, hstart, "shape x itemsize overflows 64 bits");
	if (bytes != n - data)
		return wl_cur_bad(&h, data, "shape needs %llu data bytes but the file has %zu",
			   (unsigned long long)bytes, n - data);
	if ((st = wl_io_decode(t, h.b + data, dt, numel, h.file, err)) != PS_OK)
		return st;
	wl_io_set_name(t, name);
	return PS_OK;
}

enum ps_status wl_npy_parse(const void *buf, size_t n, const char *name,
			    struct wl_tensor *t, struct ps_err *err)
{
	enum ps_status st;

	memset(t, 0, sizeof *t);
	if (!buf && n)
		return ps_errf(err, PS_EINPUT, "%s: no buffer", name ? name : "<npy>");
	st = parse(buf ? buf : "", n, name, t, err);
	if (st != PS_OK)		/* callers may free a failed tensor */
		wl_tensor_free(t);
	return st;
}

/* wl_npy_parse as a wl_io_parse_fn: a .npy file holds one tensor. */
static enum ps_status parse_file(const void *buf, size_t n, const char *file,
				 const char *tensor, struct wl_tensor *t, struct ps_err *err)
{
	(void)tensor;
	return wl_npy_parse(buf, n, file, t, err);
}

enum ps_status wl_npy_load(const char *path, struct wl_tensor *t,
			   struct ps_err *err)
{
	return wl_io_load(path, NULL, parse_file, t, err);
}

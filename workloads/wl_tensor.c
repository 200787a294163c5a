/* wl_tensor.c - tensor lifetime, exact half/bfloat16 widening, and the
 * byte-level helpers the file readers share (wl_tensor_io.h).
 *
 * Widening works on bit patterns, not on arithmetic, so the result is exact
 * for every one of the 65536 inputs: binary16 and bfloat16 values are all
 * representable in binary32, NaN payloads and signs survive, and nothing
 * depends on the host's rounding mode or on flush-to-zero settings. */
#include "wl_tensor.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"
#include "wl_tensor_io.h"

void wl_tensor_free(struct wl_tensor *t)
{
	if (!t)
		return;
	free(t->data);
	memset(t, 0, sizeof *t);
}

static float bits_to_f32(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

float wl_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t exp = (h >> 10) & 0x1fu;
	uint32_t man = h & 0x3ffu;

	if (exp == 0x1f)		/* inf, or NaN keeping its payload */
		return bits_to_f32(sign | 0x7f800000u | (man << 13));
	if (exp != 0)			/* normal: rebias 15 -> 127 */
		return bits_to_f32(sign | ((exp + 112u) << 23) | (man << 13));
	if (man == 0)
		return bits_to_f32(sign);
	/* Subnormal man * 2^-24: every one is a normal binary32, so shift the
	 * leading one up to the implicit-bit position and lower the exponent
	 * by the same count. */
	uint32_t shift = 0;
	while (!(man & 0x400u)) {
		man <<= 1;
		shift++;
	}
	return bits_to_f32(sign | ((113u - shift) << 23) | ((man & 0x3ffu) << 13));
}

/* bfloat16 is the top half of binary32 by definition. */
float wl_bf16_to_f32(uint16_t b)
{
	return bits_to_f32((uint32_t)b << 16);
}

size_t wl_io_itemsize(enum wl_dtype dt)
{
	return dt == WL_F32 ? 4 : 2;
}

enum ps_status wl_io_decode(struct wl_tensor *t, const unsigned char *src,
			    enum wl_dtype dt, uint64_t numel,
			    const char *file, struct ps_err *err)
{
	uint64_t bytes;

	if (!wl_io_mul_ok(numel, sizeof(float), &bytes) || bytes > SIZE_MAX)
		return ps_errf(err, PS_EINPUT, "%s: %llu elements do not fit in memory",
			       file, (unsigned long long)numel);
	t->data = malloc(numel ? (size_t)bytes : sizeof(float));
	if (!t->data)
		return ps_errf(err, PS_ENOMEM, "%s: out of memory for %llu elements",
			       file, (unsigned long long)numel);
	t->src_dtype = dt;
	/* Bytes are assembled explicitly so the reader is correct on a
	 * big-endian host too. */
	for (uint64_t i = 0; i < numel; i++) {
		if (dt == WL_F32) {
			const unsigned char *p = src + 4 * i;
			uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
				     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
			t->data[i] = bits_to_f32(u);
		} else {
			const unsigned char *p = src + 2 * i;
			uint16_t u = (uint16_t)(p[0] | p[1] << 8);
			t->data[i] = dt == WL_F16 ? wl_f16_to_f32(u)
						  : wl_bf16_to_f32(u);
		}
	}
	return PS_OK;
}

void wl_io_set_name(struct wl_tensor *t, const char *name)
{
	const char *base = name ? strrchr(name, '/') : NULL;

	base = base ? base + 1 : (name ? name : "");
	snprintf(t->name, sizeof t->name, "%s", base);
}

/* A whole file in a malloc'd buffer (*buf is never NULL on success, even
 * for an empty file). */
static enum ps_status read_file(const char *path, unsigned char **buf,
				size_t *n, struct ps_err *err)
{
	FILE *fp;
	size_t cap = 1 << 16, len = 0;
	unsigned char *b;
	enum ps_status st = ps_in_check(path, err);

	*buf = NULL;
	*n = 0;
	if (st)
		return st;
	fp = fopen(path, "rb");
	if (!fp)
		return ps_errf(err, PS_EIO, "%s: %s", path, strerror(errno));
	b = malloc(cap);
	if (!b) {
		fclose(fp);
		return ps_errf(err, PS_ENOMEM, "%s: out of memory", path);
	}
	/* Read until EOF rather than trusting a size from fstat, so a file
	 * that changes underneath or a pipe still gives consistent bytes. */
	for (;;) {
		size_t got = fread(b + len, 1, cap - len, fp);
		len += got;
		if (len < cap) {
			if (ferror(fp)) {
				int e = errno;
				free(b);
				fclose(fp);
				return ps_errf(err, PS_EIO, "%s: read failed: %s",
					       path, strerror(e));
			}
			break;
		}
		unsigned char *nb = cap <= SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
		if (!nb) {
			free(b);
			fclose(fp);
			return ps_errf(err, PS_ENOMEM, "%s: out of memory", path);
		}
		b = nb;
		cap *= 2;
	}
	fclose(fp);
	*buf = b;
	*n = len;
	return PS_OK;
}

enum ps_status wl_io_load(const char *path, const char *tensor, wl_io_parse_fn parse,
			  struct wl_tensor *t, struct ps_err *err)
{
	unsigned char *buf;
	size_t n;
	enum ps_status st;

	memset(t, 0, sizeof *t);
	if ((st = read_file(path, &buf, &n, err)) != PS_OK)
		return st;
	st = parse(buf, n, path, tensor, t, err);
	free(buf);
	return st;
}

/* ---- the header cursor (wl_tensor_io.h) ---- */

enum ps_status wl_cur_bad(const struct wl_cur *c, size_t at, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return ps_errf(c->err, PS_EINPUT, "%s: offset %zu: %s", c->file, at, what);
}

void wl_cur_ws(struct wl_cur *c)
{
	while (c->pos < c->end && (c->b[c->pos] == ' ' || c->b[c->pos] == '\t' ||
				   c->b[c->pos] == '\n' || c->b[c->pos] == '\r'))
		c->pos++;
}

bool wl_cur_eat(struct wl_cur *c, char ch)
{
	wl_cur_ws(c);
	if (c->pos < c->end && c->b[c->pos] == ch) {
		c->pos++;
		return true;
	}
	return false;
}

enum ps_status wl_cur_uint(struct wl_cur *c, const char *const why[4], uint64_t *v)
{
	size_t at = c->pos;

	*v = 0;
	if (c->pos < c->end && c->b[c->pos] == '-')
		return wl_cur_bad(c, at, "%s", why[0]);
	if (c->pos >= c->end || c->b[c->pos] < '0' || c->b[c->pos] > '9')
		return wl_cur_bad(c, at, "%s", why[1]);
	while (c->pos < c->end && c->b[c->pos] >= '0' && c->b[c->pos] <= '9') {
		unsigned d = c->b[c->pos] - '0';
		if (*v > (UINT64_MAX - d) / 10)
			return wl_cur_bad(c, at, "%s", why[2]);
		*v = *v * 10 + d;
		c->pos++;
	}
	if (c->pos - at > 1 && c->b[at] == '0')
		return wl_cur_bad(c, at, "%s", why[3]);
	return PS_OK;
}

/* wl_safetensors.c - .safetensors reader.
 *
 * Layout (huggingface/safetensors docs): u64 LE header length N, N bytes of
 * UTF-8 JSON, then the data region. The JSON is one object: each key is a
 * tensor name mapped to {"dtype", "shape", "data_offsets": [begin, end]}
 * (offsets relative to the data region), plus an optional "__metadata__"
 * object of strings. The header may be padded with spaces.
 *
 * The parser is schema-directed, not a general JSON DOM: it accepts exactly
 * the JSON grammar (RFC 8259 strings with escapes and UTF-8 checks, integer
 * numbers, no trailing commas) in the places the schema allows, so no input
 * can make it recurse or buffer without bound. Every tensor in the file is
 * checked (offsets in range, size = shape x itemsize, no overlap), not only
 * the one asked for, because a file that lies about one tensor cannot be
 * trusted about the others. Errors are PS_EINPUT "file: offset N: problem"
 * with N a byte offset in the file. */
#include "wl_tensor.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl_tensor_io.h"

/* safetensors' own MAX_HEADER_SIZE: a larger header is a corrupt length. */
#define MAX_HEADER 100000000ull

/* Every dtype of the format with a whole-byte size, so that tensors we do
 * not decode are still checked; only the first three are decoded. */
static const struct { const char *name; unsigned size; int wl; } dtypes[] = {
	{ "F32", 4, WL_F32 }, { "F16", 2, WL_F16 }, { "BF16", 2, WL_BF16 },
	{ "F64", 8, -1 }, { "I64", 8, -1 }, { "U64", 8, -1 },
	{ "I32", 4, -1 }, { "U32", 4, -1 }, { "I16", 2, -1 }, { "U16", 2, -1 },
	{ "I8", 1, -1 }, { "U8", 1, -1 }, { "BOOL", 1, -1 },
	{ "F8_E4M3", 1, -1 }, { "F8_E5M2", 1, -1 }, { "F8_E8M0", 1, -1 },
};
#define N_DTYPES (sizeof dtypes / sizeof dtypes[0])

struct ent {
	char *name;
	size_t name_at, dtype_at, offs_at;	/* file offsets for messages */
	int dtype;				/* index in dtypes[], -1 unknown */
	char dtype_name[16];
	uint64_t shape[WL_TENSOR_MAX_DIMS], numel, begin, end;
	int ndim;				/* may exceed 4; shape[] keeps 4 */
};

struct js {
	struct wl_cur c;	/* the header */
	struct ent *ents;
	size_t n_ents, cap_ents;
};

static enum ps_status expect(struct js *j, char c)
{
	return wl_cur_eat(&j->c, c) ? PS_OK : wl_cur_bad(&j->c, j->c.pos, "bad JSON: expected '%c'", c);
}

static int hex4(const unsigned char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i], d = c >= '0' && c <= '9' ? c - '0' :
				  c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				  c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Length of the valid UTF-8 sequence at p (max n bytes), 0 if invalid:
 * no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	uint32_t cp;

	if (p[0] < 0xc2 || p[0] > 0xf4 || n < len)
		return 0;
	cp = p[0] & (0x3f >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A JSON string, decoded into a malloc'd NUL-terminated *out. The decoded
 * form is never longer than the quoted source, which bounds the buffer. */
static enum ps_status jstr(struct js *j, char **out)
{
	size_t q, i, o = 0;
	char *s;

	*out = NULL;
	wl_cur_ws(&j->c);
	if (j->c.pos >= j->c.end || j->c.b[j->c.pos] != '"')
		return wl_cur_bad(&j->c, j->c.pos, "bad JSON: expected a string");
	for (q = j->c.pos + 1; q < j->c.end && j->c.b[q] != '"'; q++)
		if (j->c.b[q] == '\\')
			q++;
	if (q >= j->c.end)
		return wl_cur_bad(&j->c, j->c.pos, "bad JSON: unterminated string");
	if (!(s = malloc(q - j->c.pos)))
		return ps_errf(j->c.err, PS_ENOMEM, "%s: out of memory", j->c.file);
	for (i = j->c.pos + 1; i < q;) {
		unsigned char c = j->c.b[i];
		uint32_t cp;
		size_t l;

		if (c < 0x20) {
			free(s);
			return wl_cur_bad(&j->c, i, "bad JSON: control character in string");
		}
		if (c >= 0x80) {
			if (!(l = utf8_len(j->c.b + i, q - i))) {
				free(s);
				return wl_cur_bad(&j->c, i, "bad JSON: invalid UTF-8 in string");
			}
			memcpy(s + o, j->c.b + i, l);
			o += l;
			i += l;
			continue;
		}
		if (c != '\\') {
			s[o++] = (char)c;
			i++;
			continue;
		}
		/* i + 1 < q holds: the scan above skipped the escaped char. */
		c = j->c.b[i + 1];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *e = c ? strchr(from, c) : NULL;
		if (e) {
			s[o++] = to[e - from];
			i += 2;
			continue;
		}
		int h = c == 'u' && q - i >= 6 ? hex4(j->c.b + i + 2) : -1;
		if (h >= 0xd800 && h <= 0xdbff) {	/* needs a low surrogate */
			int lo = q - i >= 12 && j->c.b[i + 6] == '\\' && j->c.b[i + 7] == 'u' ?
				 hex4(j->c.b + i + 8) : -1;
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((uint32_t)(h - 0xd800) << 10) + (uint32_t)(lo - 0xdc00);
				o += put_utf8(s + o, cp);
				i += 12;
				continue;
			}
			h = -1;
		}
		/* \u0000 would cut a C string short, so it is refused too. */
		if (h <= 0 || (h >= 0xdc00 && h <= 0xdfff)) {
			free(s);
			return wl_cur_bad(&j->c, i, "bad JSON: invalid escape in string");
		}
		o += put_utf8(s + o, (uint32_t)h);
		i += 6;
	}
	s[o] = '\0';
	j->c.pos = q + 1;
	*out = s;
	return PS_OK;
}

/* A non-negative JSON integer that fits in 64 bits. */
static enum ps_status juint(struct js *j, uint64_t *v)
{
	static const char *const why[4] = { "negative number where a size is expected",
		"bad JSON: expected an integer", "integer overflows 64 bits",
		"bad JSON: leading zero in number" };
	enum ps_status st;
	size_t at;

	wl_cur_ws(&j->c);
	at = j->c.pos;
	if ((st = wl_cur_uint(&j->c, why, v)) != PS_OK)
		return st;
	if (j->c.pos < j->c.end && (j->c.b[j->c.pos] == '.' || j->c.b[j->c.pos] == 'e' ||
				    j->c.b[j->c.pos] == 'E'))
		return wl_cur_bad(&j->c, at, "expected an integer, not a fraction");
	return PS_OK;
}

static enum ps_status metadata(struct js *j)
{
	enum ps_status st;
	char *s;

	if ((st = expect(j, '{')) != PS_OK || wl_cur_eat(&j->c, '}'))
		return st;
	do {
		if ((st = jstr(j, &s)) != PS_OK)
			return st;
		free(s);
		if ((st = expect(j, ':')) != PS_OK)
			return st;
		wl_cur_ws(&j->c);
		if (j->c.pos < j->c.end && j->c.b[j->c.pos] != '"')
			return wl_cur_bad(&j->c, j->c.pos, "__metadata__ values must be strings");
		if ((st = jstr(j, &s)) != PS_OK)
			return st;
		free(s);
	} while (wl_cur_eat(&j->c, ','));
	return expect(j, '}');
}

static enum ps_status entry(struct js *j, struct ent *e)
{
	enum { F_DTYPE = 1, F_SHAPE = 2, F_OFFS = 4 };
	unsigned seen = 0;
	size_t obj_at;
	enum ps_status st;
	char *k = NULL;

	wl_cur_ws(&j->c);
	obj_at = j->c.pos;
	if ((st = expect(j, '{')) != PS_OK)
		return st;
	e->numel = 1;
	do {
		size_t key_at, val_at;
		unsigned bit;

		wl_cur_ws(&j->c);
		key_at = j->c.pos;
		if ((st = jstr(j, &k)) != PS_OK)
			return st;
		bit = !strcmp(k, "dtype") ? F_DTYPE : !strcmp(k, "shape") ? F_SHAPE :
		      !strcmp(k, "data_offsets") ? F_OFFS : 0;
		if (!bit || (seen & bit)) {
			st = wl_cur_bad(&j->c, key_at, bit ? "duplicate tensor field '%s'" :
				 "unknown tensor field '%s'", k);
			free(k);
			return st;
		}
		free(k);
		seen |= bit;
		if ((st = expect(j, ':')) != PS_OK)
			return st;
		wl_cur_ws(&j->c);
		val_at = j->c.pos;
		if (bit == F_DTYPE) {
			e->dtype_at = val_at;
			if ((st = jstr(j, &k)) != PS_OK)
				return st;
			e->dtype = -1;
			for (size_t i = 0; i < N_DTYPES; i++)
				if (!strcmp(k, dtypes[i].name))
					e->dtype = (int)i;
			snprintf(e->dtype_name, sizeof e->dtype_name, "%s", k);
			free(k);
		} else if (bit == F_SHAPE) {
			if ((st = expect(j, '[')) != PS_OK)
				return st;
			if (!wl_cur_eat(&j->c, ']')) {
				do {
					uint64_t d;
					if ((st = juint(j, &d)) != PS_OK)
						return st;
					if (e->ndim < WL_TENSOR_MAX_DIMS)
						e->shape[e->ndim] = d;
					if (e->ndim == 1000)
						return wl_cur_bad(&j->c, val_at, "shape has too many dimensions");
					e->ndim++;
					if (!wl_io_mul_ok(e->numel, d, &e->numel))
						return wl_cur_bad(&j->c, val_at, "shape product overflows 64 bits");
				} while (wl_cur_eat(&j->c, ','));
				if ((st = expect(j, ']')) != PS_OK)
					return st;
			}
		} else {
			e->offs_at = val_at;
			if ((st = expect(j, '[')) != PS_OK ||
			    (st = juint(j, &e->begin)) != PS_OK ||
			    (st = expect(j, ',')) != PS_OK ||
			    (st = juint(j, &e->end)) != PS_OK)
				return st;
			if (!wl_cur_eat(&j->c, ']'))
				return wl_cur_bad(&j->c, val_at, "data_offsets must be [begin, end]");
		}
	} while (wl_cur_eat(&j->c, ','));
	if ((st = expect(j, '}')) != PS_OK)
		return st;
	if (seen != (F_DTYPE | F_SHAPE | F_OFFS))
		return wl_cur_bad(&j->c, obj_at, "tensor lacks field '%s'", !(seen & F_DTYPE) ? "dtype" :
			   !(seen & F_SHAPE) ? "shape" : "data_offsets");
	return PS_OK;
}

static enum ps_status header(struct js *j)
{
	enum ps_status st;
	bool meta = false;

	wl_cur_ws(&j->c);
	if (j->c.pos >= j->c.end || j->c.b[j->c.pos] != '{')
		return wl_cur_bad(&j->c, j->c.pos, "bad JSON: header is not an object");
	j->c.pos++;
	if (wl_cur_eat(&j->c, '}'))
		goto done;
	do {
		size_t at;
		char *k;

		wl_cur_ws(&j->c);
		at = j->c.pos;
		if ((st = jstr(j, &k)) != PS_OK)
			return st;
		if (!strcmp(k, "__metadata__")) {
			free(k);
			if (meta)
				return wl_cur_bad(&j->c, at, "duplicate __metadata__");
			meta = true;
			if ((st = expect(j, ':')) != PS_OK || (st = metadata(j)) != PS_OK)
				return st;
			continue;
		}
		if (j->n_ents == j->cap_ents) {
			size_t cap = j->cap_ents ? 2 * j->cap_ents : 16;
			struct ent *ne = realloc(j->ents, cap * sizeof *ne);
			if (!ne) {
				free(k);
				return ps_errf(j->c.err, PS_ENOMEM, "%s: out of memory", j->c.file);
			}
			j->ents = ne;
			j->cap_ents = cap;
		}
		struct ent *e = &j->ents[j->n_ents++];
		memset(e, 0, sizeof *e);
		e->name = k;
		e->name_at = at;
		if ((st = expect(j, ':')) != PS_OK || (st = entry(j, e)) != PS_OK)
			return st;
	} while (wl_cur_eat(&j->c, ','));
	if ((st = expect(j, '}')) != PS_OK)
		return st;
done:
	wl_cur_ws(&j->c);
	if (j->c.pos != j->c.end)
		return wl_cur_bad(&j->c, j->c.pos, "bad JSON: junk after the header object");
	return PS_OK;
}

static int by_name(const void *a, const void *b)
{
	const struct ent *x = *(const struct ent *const *)a;
	const struct ent *y = *(const struct ent *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->name_at > y->name_at) - (x->name_at < y->name_at);
}

static int by_begin(const void *a, const void *b)
{
	const struct ent *x = *(const struct ent *const *)a;
	const struct ent *y = *(const struct ent *const *)b;
	return x->begin < y->begin ? -1 : x->begin > y->begin ? 1 :
	       x->end < y->end ? -1 : x->end > y->end;
}

/* Names unique; offsets in range and consistent with the shapes; no two
 * tensors share a byte (zero-size tensors hold none, so cannot overlap). */
static enum ps_status check_layout(struct js *j, uint64_t data_len)
{
	struct ent **v;
	size_t nv = 0;

	for (size_t i = 0; i < j->n_ents; i++) {
		struct ent *e = &j->ents[i];
		uint64_t bytes;

		if (e->begin > e->end)
			return wl_cur_bad(&j->c, e->offs_at, "data_offsets [%llu, %llu] run backwards",
				   (unsigned long long)e->begin, (unsigned long long)e->end);
		if (e->end > data_len)
			return wl_cur_bad(&j->c, e->offs_at, "data_offsets [%llu, %llu] outside the %llu-byte data region",
				   (unsigned long long)e->begin, (unsigned long long)e->end,
				   (unsigned long long)data_len);
		if (e->dtype < 0)	/* a dtype newer than this reader */
			continue;
		if (!wl_io_mul_ok(e->numel, dtypes[e->dtype].size, &bytes))
			return wl_cur_bad(&j->c, e->offs_at, "shape x itemsize overflows 64 bits");
		if (bytes != e->end - e->begin)
			return wl_cur_bad(&j->c, e->offs_at, "data_offsets span %llu bytes but shape x itemsize is %llu",
				   (unsigned long long)(e->end - e->begin), (unsigned long long)bytes);
	}
	if (!(v = malloc((j->n_ents ? j->n_ents : 1) * sizeof *v)))
		return ps_errf(j->c.err, PS_ENOMEM, "%s: out of memory", j->c.file);
	/* Duplicate names by sorting, not pairwise: a hostile 100 MB header
	 * can hold millions of entries. */
	for (size_t i = 0; i < j->n_ents; i++)
		v[i] = &j->ents[i];
	qsort(v, j->n_ents, sizeof *v, by_name);
	for (size_t i = 1; i < j->n_ents; i++)
		if (!strcmp(v[i]->name, v[i - 1]->name)) {
			enum ps_status st = wl_cur_bad(&j->c, v[i]->name_at, "duplicate tensor '%.100s'",
						v[i]->name);
			free(v);
			return st;
		}
	for (size_t i = 0; i < j->n_ents; i++)
		if (j->ents[i].end > j->ents[i].begin)
			v[nv++] = &j->ents[i];
	qsort(v, nv, sizeof *v, by_begin);
	for (size_t i = 1; i < nv; i++)
		if (v[i]->begin < v[i - 1]->end) {
			enum ps_status st = wl_cur_bad(&j->c, v[i]->offs_at,
				"data_offsets of '%.60s' overlap those of '%.60s'",
				v[i]->name, v[i - 1]->name);
			free(v);
			return st;
		}
	free(v);
	return PS_OK;
}

static enum ps_status parse(struct js *j, size_t n, const char *name,
			    struct wl_tensor *t)
{
	uint64_t hlen = 0;
	struct ent *e = NULL;
	enum ps_status st;

	if (n < 8)
		return wl_cur_bad(&j->c, 0, "file too short for the 8-byte header length");
	for (int i = 7; i >= 0; i--)
		hlen = hlen << 8 | j->c.b[i];
	if (hlen >= MAX_HEADER)
		return wl_cur_bad(&j->c, 0, "header length %llu over the 100 MB limit",
			   (unsigned long long)hlen);
	if (hlen > n - 8)
		return wl_cur_bad(&j->c, 0, "header length %llu beyond end of file (%zu bytes)",
			   (unsigned long long)hlen, n);
	j->c.pos = 8;
	j->c.end = 8 + (size_t)hlen;
	if ((st = header(j)) != PS_OK ||
	    (st = check_layout(j, n - j->c.end)) != PS_OK)
		return st;

	if (!name) {
		if (j->n_ents != 1)
			return wl_cur_bad(&j->c, 8, "file holds %zu tensors; name the one to load",
				   j->n_ents);
		e = &j->ents[0];
	}
	for (size_t i = 0; name && i < j->n_ents; i++)
		if (!strcmp(j->ents[i].name, name))
			e = &j->ents[i];
	if (!e)
		return wl_cur_bad(&j->c, 8, "no tensor named '%.100s'", name);
	if (e->dtype < 0 || dtypes[e->dtype].wl < 0)
		return wl_cur_bad(&j->c, e->dtype_at, "dtype %s not supported (expected F16, BF16 or F32)",
			   e->dtype_name);
	if (e->ndim > WL_TENSOR_MAX_DIMS)
		return wl_cur_bad(&j->c, e->name_at, "tensor has more than 4 dimensions");
	t->ndim = e->ndim;
	memcpy(t->shape, e->shape, sizeof t->shape);
	if ((st = wl_io_decode(t, j->c.b + j->c.end + e->begin, dtypes[e->dtype].wl,
			       e->numel, j->c.file, j->c.err)) != PS_OK)
		return st;
	snprintf(t->name, sizeof t->name, "%s", e->name);
	return PS_OK;
}

enum ps_status wl_safetensors_parse(const void *buf, size_t n,
				    const char *file, const char *name,
				    struct wl_tensor *t, struct ps_err *err)
{
	struct js j = { .c = { .b = buf ? buf : (const void *)"",
			       .file = file ? file : "<safetensors>", .err = err } };
	enum ps_status st;

	memset(t, 0, sizeof *t);
	if (!buf && n)
		return ps_errf(err, PS_EINPUT, "%s: no buffer", j.c.file);
	st = parse(&j, n, name, t);
	for (size_t i = 0; i < j.n_ents; i++)
		free(j.ents[i].name);
	free(j.ents);
	if (st != PS_OK)		/* callers may free a failed tensor */
		wl_tensor_free(t);
	return st;
}

enum ps_status wl_safetensors_load(const char *path, const char *name,
				   struct wl_tensor *t, struct ps_err *err)
{
	return wl_io_load(path, name, wl_safetensors_parse, t, err);
}

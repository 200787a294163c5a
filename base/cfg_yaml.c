/* cfg_yaml.c - schema walker over a libfyaml document.
 *
 * Why not libcyaml: libcyaml 1.3 accepts "3x" as the integer 3 and has no
 * range checks, so wrong types slip through and post-load checks lose the line
 * number. Walking libfyaml's node tree keeps every scalar's mark, so each error
 * names file, line and the dotted field path. */
#include "cfg_yaml.h"

#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"

struct walk {
	const char *file;
	struct ps_err *err;
};

int cfg_enum_find(const char *const *names, const char *name)
{
	for (int i = 0; names && names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static int node_line(struct fy_node *n, int fallback)
{
	struct fy_token *t;
	const struct fy_mark *m;
	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return fallback;
	t = fy_node_get_scalar_token(n);
	m = t ? fy_token_start_mark(t) : NULL;
	return m ? m->line + 1 : fallback;
}

/* First line inside a collection: the line of its first scalar. */
static int first_line(struct fy_node *n, int fallback)
{
	void *it = NULL;
	if (!n)
		return fallback;
	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR:
		return node_line(n, fallback);
	case FYNT_MAPPING: {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
		return p ? node_line(fy_node_pair_key(p), fallback) : fallback;
	}
	case FYNT_SEQUENCE: {
		struct fy_node *c = fy_node_sequence_iterate(n, &it);
		return c ? first_line(c, fallback) : fallback;
	}
	}
	return fallback;
}

static enum ps_status bad(struct walk *w, int line, const char *path,
			  const char *fmt, const char *a, const char *b)
{
	char what[512];
	snprintf(what, sizeof what, fmt, a, b);
	return ps_errf(w->err, PS_EINPUT, "%s:%d: %s: %s", w->file, line,
		       path[0] ? path : "(top)", what);
}

static const char *type_name(enum cfg_type t)
{
	switch (t) {
	case CFG_INT:
	case CFG_UINT:
		return "an integer";
	case CFG_DOUBLE:
		return "a number";
	case CFG_BOOL:
		return "true or false";
	case CFG_STR:
		return "a string";
	case CFG_ENUM:
		return "one of the names listed";
	case CFG_MAP:
		return "a mapping";
	case CFG_SEQ:
		return "a sequence";
	case CFG_END:
		break;
	}
	return "?";
}

static enum ps_status load_map(struct walk *w, struct fy_node *n, int line,
			       const char *path,
			       const struct cfg_field *fields, char *dst);

static enum ps_status check_range(struct walk *w, int line, const char *path,
				  const struct cfg_field *f, double v)
{
	char r[128];
	if (f->min < f->max && (v < f->min || v > f->max)) {
		snprintf(r, sizeof r, "%.17g..%.17g", f->min, f->max);
		return bad(w, line, path, "value out of range (allowed %s)", r, "");
	}
	return PS_OK;
}

static enum ps_status load_value(struct walk *w, struct fy_node *n, int line,
				 const char *path, const struct cfg_field *f,
				 enum cfg_type type, char *at)
{
	const char *s;
	size_t len;
	char buf[256], *end;

	if (type == CFG_MAP) {
		if (!n || fy_node_get_type(n) != FYNT_MAPPING)
			return bad(w, line, path, "expected %s", type_name(type), "");
		return load_map(w, n, line, path, f->fields, at);
	}
	if (type == CFG_SEQ) {
		void *it = NULL;
		struct fy_node *c;
		size_t i = 0;
		if (!n || fy_node_get_type(n) != FYNT_SEQUENCE)
			return bad(w, line, path, "expected %s", type_name(type), "");
		while ((c = fy_node_sequence_iterate(n, &it))) {
			char sub[512];
			int cl = first_line(c, line);
			enum ps_status st;
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			if (i >= f->max_items) {
				snprintf(buf, sizeof buf, "%zu", f->max_items);
				return bad(w, cl, sub, "too many items (at most %s)", buf, "");
			}
			st = load_value(w, c, cl, sub, f, f->item, at + i * f->size);
			if (st)
				return st;
			i++;
		}
		*(size_t *)((char *)at - f->offset + f->count_offset) = i;
		return PS_OK;
	}
	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return bad(w, first_line(n, line), path, "expected %s",
			   type_name(type), "");
	line = node_line(n, line);
	s = fy_node_get_scalar(n, &len);
	if (!s || len >= sizeof buf)
		return bad(w, line, path, "value too long", "", "");
	if (memchr(s, '\0', len))
		return bad(w, line, path, "a NUL character in the value", "", "");
	memcpy(buf, s, len);
	buf[len] = '\0';

	switch (type) {
	case CFG_INT:
	case CFG_UINT: {
		long long v;
		errno = 0;
		v = strtoll(buf, &end, 10);
		if (len == 0 || *end || errno)
			return bad(w, line, path, "expected an integer, got '%s'", buf, "");
		if (check_range(w, line, path, f, (double)v))
			return PS_EINPUT;
		if (type == CFG_UINT && (v < 0 || v > UINT32_MAX))
			return bad(w, line, path, "value out of range (allowed 0..4294967295)", "", "");
		if (type == CFG_INT)
			*(int64_t *)at = v;
		else
			*(uint32_t *)at = (uint32_t)v;
		return PS_OK;
	}
	case CFG_DOUBLE: {
		double v;
		errno = 0;
		v = strtod(buf, &end);
		if (len == 0 || *end || errno || !isfinite(v))
			return bad(w, line, path, "expected a number, got '%s'", buf, "");
		if (check_range(w, line, path, f, v))
			return PS_EINPUT;
		*(double *)at = v;
		return PS_OK;
	}
	case CFG_BOOL:
		if (!strcmp(buf, "true"))
			*(bool *)at = true;
		else if (!strcmp(buf, "false"))
			*(bool *)at = false;
		else
			return bad(w, line, path, "expected true or false, got '%s'", buf, "");
		return PS_OK;
	case CFG_STR:
		if (len + 1 > f->size) {
			snprintf(end = buf + 200, 40, "%zu", f->size - 1);
			return bad(w, line, path, "string longer than %s characters", end, "");
		}
		memcpy(at, s, len);
		at[len] = '\0';
		return PS_OK;
	case CFG_ENUM: {
		int i = cfg_enum_find(f->names, buf);
		if (i < 0) {
			char list[400] = "";
			for (int k = 0; f->names[k]; k++) {
				if (k)
					strncat(list, ", ", sizeof list - strlen(list) - 1);
				strncat(list, f->names[k], sizeof list - strlen(list) - 1);
			}
			return bad(w, line, path, "unknown value '%s' (expected one of: %s)", buf, list);
		}
		*(int *)at = i;
		return PS_OK;
	}
	case CFG_MAP:
	case CFG_SEQ:
	case CFG_END:
		break;
	}
	return bad(w, line, path, "internal: bad schema type", "", "");
}

static enum ps_status load_map(struct walk *w, struct fy_node *n, int line,
			       const char *path,
			       const struct cfg_field *fields, char *dst)
{
	unsigned long long seen = 0;
	void *it = NULL;
	struct fy_node_pair *p;
	size_t nf = 0;

	while (fields[nf].type != CFG_END)
		nf++;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *ks;
		size_t kl;
		char key[128], sub[512];
		int kline = node_line(k, line);
		size_t i;

		ks = k && fy_node_get_type(k) == FYNT_SCALAR ?
			     fy_node_get_scalar(k, &kl) : NULL;
		if (!ks || kl >= sizeof key || memchr(ks, '\0', kl))
			return bad(w, kline, path, "bad key", "", "");
		memcpy(key, ks, kl);
		key[kl] = '\0';
		snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
		for (i = 0; i < nf; i++)
			if (!strcmp(fields[i].key, key))
				break;
		if (i == nf)
			return bad(w, kline, sub, "unknown key", "", "");
		if (seen & (1ull << i))
			return bad(w, kline, sub, "duplicate key", "", "");
		seen |= 1ull << i;
		if (load_value(w, fy_node_pair_value(p), kline, sub, &fields[i],
			       fields[i].type, dst + fields[i].offset))
			return PS_EINPUT;
	}
	for (size_t i = 0; i < nf; i++) {
		if (fields[i].required && !(seen & (1ull << i))) {
			char sub[512];
			snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "",
				 fields[i].key);
			return bad(w, line, sub, "missing required field", "", "");
		}
	}
	return PS_OK;
}

static enum ps_status load_doc(const char *name, struct fy_document *doc,
			       struct fy_diag *diag,
			       const struct cfg_field *fields, void *dst,
			       struct ps_err *err)
{
	struct walk w = { .file = name, .err = err };
	struct fy_node *root;

	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *de = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
		if (de)
			return ps_errf(err, PS_EINPUT, "%s:%d: syntax error: %s",
				       name, de->line + 1, de->msg);
		return ps_errf(err, PS_EINPUT, "%s: YAML syntax error", name);
	}
	root = fy_document_root(doc);
	if (!root || fy_node_get_type(root) != FYNT_MAPPING)
		return ps_errf(err, PS_EINPUT, "%s:%d: top level must be a mapping",
			       name, first_line(root, 1));
	return load_map(&w, root, 1, "", fields, dst);
}

static struct fy_diag *quiet_diag(void)
{
	struct fy_diag_cfg dc;
	struct fy_diag *d;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.level = FYET_ERROR;
	d = fy_diag_create(&dc);
	if (d)
		fy_diag_set_collect_errors(d, true);
	return d;
}

/* The document of a config, and nothing after it: a second document (or a
 * broken one) is an error, not ignored. */
static enum ps_status load_stream(const char *name, struct fy_parser *fyp,
				  struct fy_diag *diag, const struct cfg_field *fields,
				  void *dst, struct ps_err *err)
{
	struct fy_document *doc = fyp ? fy_parse_load_document(fyp) : NULL, *next;
	enum ps_status st;
	if (!doc && fyp && !fy_parser_get_stream_error(fyp))
		return ps_errf(err, PS_EINPUT, "%s:1: empty: no YAML document", name);
	st = load_doc(name, doc, diag, fields, dst, err);
	if (doc)
		fy_parse_document_destroy(fyp, doc);
	if (st)
		return st;
	next = fy_parse_load_document(fyp);
	if (next) {
		int line = first_line(fy_document_root(next), 0);
		fy_parse_document_destroy(fyp, next);
		if (line)
			return ps_errf(err, PS_EINPUT, "%s:%d: a second YAML document "
				       "(a config file holds one)", name, line);
		return ps_errf(err, PS_EINPUT, "%s: a second YAML document "
			       "(a config file holds one)", name);
	}
	if (fy_parser_get_stream_error(fyp))
		return load_doc(name, NULL, diag, fields, dst, err);
	return PS_OK;
}

/* A config is UTF-8 text: anything else is refused before libfyaml sees it
 * (libfyaml 0.7.12 loops forever on some invalid bytes, e.g. "%\xff",
 * found by tests/fuzz/fuzz_yaml.c). Returns the offset of the first bad
 * byte, or n. */
static size_t utf8_end(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i], len, min, v;
		if (c < 0x80) {
			if (!c)
				return i;	/* NUL */
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, min = 0x80, v = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, min = 0x800, v = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, min = 0x10000, v = c & 0x07;
		else
			return i;
		if (n - i < len)
			return i;
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			v = v << 6 | (s[i + k] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

static enum ps_status load_text(const char *name, const char *text, size_t n,
				const struct cfg_field *fields, void *dst,
				struct ps_err *err)
{
	struct fy_diag *diag;
	struct fy_parse_cfg pc = { .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG };
	struct fy_parser *fyp;
	size_t bad = utf8_end((const unsigned char *)text, n);
	enum ps_status st;

	if (bad < n) {
		int line = 1;
		for (size_t i = 0; i < bad; i++)
			line += text[i] == '\n';
		return ps_errf(err, PS_EINPUT, "%s:%d: not UTF-8 text (byte 0x%02x at offset %zu)",
			       name, line, (unsigned char)text[bad], bad);
	}
	diag = quiet_diag();
	pc.diag = diag;
	fyp = fy_parser_create(&pc);
	if (fyp && fy_parser_set_string(fyp, text, n) != 0) {
		fy_parser_destroy(fyp);
		fyp = NULL;
	}
	st = load_stream(name, fyp, diag, fields, dst, err);
	if (fyp)
		fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return st;
}

enum ps_status cfg_load_file(const char *path, const struct cfg_field *fields,
			     void *dst, struct ps_err *err)
{
	enum { MAX_CONFIG = 16 << 20 };
	enum ps_status st = ps_in_check(path, err);
	FILE *fp;
	char *text = NULL;
	size_t n = 0, cap = 0;

	if (st)
		return st;
	fp = fopen(path, "rb");
	if (!fp)
		return ps_errf(err, PS_EINPUT, "%s: cannot open: %s", path,
			       strerror(errno));
	while (!st && !feof(fp) && n <= MAX_CONFIG) {
		if (n == cap) {
			char *t = realloc(text, cap = cap ? 2 * cap : 1 << 14);
			if (!t) {
				st = ps_errf(err, PS_ENOMEM, "%s: out of memory", path);
				break;
			}
			text = t;
		}
		n += fread(text + n, 1, cap - n, fp);
		if (ferror(fp))
			st = ps_errf(err, PS_EINPUT, "%s: cannot read: %s", path, strerror(errno));
	}
	if (!st && n > MAX_CONFIG)
		st = ps_errf(err, PS_EINPUT, "%s: larger than %d MiB: not a config", path,
			     MAX_CONFIG >> 20);
	fclose(fp);
	if (!st)
		st = load_text(path, text ? text : "", n, fields, dst, err);
	free(text);
	return st;
}

enum ps_status cfg_load_string(const char *name, const char *text,
			       const struct cfg_field *fields, void *dst,
			       struct ps_err *err)
{
	return load_text(name, text, strlen(text), fields, dst, err);
}

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

/* The overrides applied to a document: each by the walker's path of the
 * node it set ("buffers[1].size_kib"), for errors and cfg_lines. */
struct doc_sets {
	size_t n;
	struct {
		char path[CFG_SET_PATH + 32];
		char origin[CFG_SET_ORIGIN];
	} s[CFG_MAX_SETS];
};

struct walk {
	const char *file;
	struct ps_err *err;
	struct cfg_lines *lines;	/* may be NULL */
	const struct doc_sets *sets;	/* may be NULL */
};

/* The override that set path or one of its parents, -1 if none. */
static int set_of(const struct doc_sets *ds, const char *path)
{
	for (size_t k = 0; ds && k < ds->n; k++) {
		size_t n = strlen(ds->s[k].path);
		if (!strncmp(path, ds->s[k].path, n) &&
		    (!path[n] || path[n] == '.' || path[n] == '['))
			return (int)k;
	}
	return -1;
}

static void record(struct walk *w, const char *path, int line)
{
	struct cfg_lines *l = w->lines;
	int k = set_of(w->sets, path);
	if (!l || l->n >= CFG_MAX_LINES || strlen(path) >= sizeof l->e[0].path)
		return;
	snprintf(l->e[l->n].path, sizeof l->e[0].path, "%s", path);
	l->e[l->n].line = k < 0 ? (uint32_t)line : 0;
	l->e[l->n].set = 0;
	if (k >= 0) {
		size_t j;
		for (j = 0; j < l->n_sets; j++)
			if (!strcmp(l->sets[j], w->sets->s[k].origin))
				break;
		if (j == l->n_sets && j < CFG_MAX_SETS)
			snprintf(l->sets[l->n_sets++], CFG_SET_ORIGIN, "%s",
				 w->sets->s[k].origin);
		if (j < CFG_MAX_SETS)
			l->e[l->n].set = (uint8_t)(j + 1);
	}
	l->n++;
}

uint32_t cfg_lines_find(const struct cfg_lines *l, const char *path)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (!strcmp(l->e[i].path, path))
			return l->e[i].line;
	return 0;
}

void cfg_lines_where(const struct cfg_lines *l, const char *file,
		     const char *path, char *buf, size_t n)
{
	for (size_t i = 0; l && i < l->n; i++) {
		if (strcmp(l->e[i].path, path))
			continue;
		if (l->e[i].set)
			snprintf(buf, n, "%s", l->sets[l->e[i].set - 1]);
		else
			snprintf(buf, n, "%s:%u", file, l->e[i].line);
		return;
	}
	snprintf(buf, n, "%s", file);
}

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
	int k = set_of(w->sets, path);
	snprintf(what, sizeof what, fmt, a, b);
	if (k >= 0)
		return ps_errf(w->err, PS_EINPUT, "%s: %s: %s",
			       w->sets->s[k].origin, path, what);
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
	case CFG_SKIP:
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

	if (type == CFG_SKIP)
		return PS_OK;
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
	case CFG_SKIP:
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
		record(w, sub, kline);
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

static enum ps_status doc_error(const char *name, struct fy_diag *diag,
			       struct ps_err *err)
{
	void *it = NULL;
	struct fy_diag_error *de = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
	if (de)
		return ps_errf(err, PS_EINPUT, "%s:%d: syntax error: %s",
			       name, de->line + 1, de->msg);
	return ps_errf(err, PS_EINPUT, "%s: YAML syntax error", name);
}

static enum ps_status load_doc(const char *name, struct fy_document *doc,
			       struct fy_diag *diag,
			       const struct cfg_field *fields, void *dst,
			       struct cfg_lines *lines,
			       const struct doc_sets *sets, struct ps_err *err)
{
	struct walk w = { .file = name, .err = err, .lines = lines,
			  .sets = sets };
	struct fy_node *root;

	if (!doc)
		return doc_error(name, diag, err);
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

enum ps_status cfg_load_file_lines(const char *path, const struct cfg_sets *ss,
				   const struct cfg_field *fields, void *dst,
				   struct cfg_lines *lines, struct ps_err *err)
{
	struct cfg_doc *d;
	enum ps_status st = cfg_doc_open(path, &d, err);
	if (st)
		return st;
	st = cfg_doc_apply(d, ss, err);
	if (!st)
		st = cfg_doc_walk(d, fields, dst, lines, err);
	cfg_doc_close(d);
	return st;
}

enum ps_status cfg_load_file_set(const char *path, const struct cfg_sets *ss,
				 const struct cfg_field *fields, void *dst,
				 struct ps_err *err)
{
	return cfg_load_file_lines(path, ss, fields, dst, NULL, err);
}

enum ps_status cfg_load_file(const char *path, const struct cfg_field *fields,
			     void *dst, struct ps_err *err)
{
	return cfg_load_file_set(path, NULL, fields, dst, err);
}

static enum ps_status doc_parse(const char *name, char *text, size_t n,
				struct cfg_doc **dp, struct ps_err *err);

enum ps_status cfg_load_string(const char *name, const char *text,
			       const struct cfg_field *fields, void *dst,
			       struct ps_err *err)
{
	struct cfg_doc *d;
	char *copy = strdup(text);
	enum ps_status st;
	if (!copy)
		return ps_errf(err, PS_ENOMEM, "%s: out of memory", name);
	st = doc_parse(name, copy, strlen(copy), &d, err);
	if (st)
		return st;
	st = cfg_doc_walk(d, fields, dst, NULL, err);
	cfg_doc_close(d);
	return st;
}

/* ---- documents walked in steps ---- */

struct cfg_doc {
	char name[1024];
	struct fy_diag *diag;
	struct fy_parser *fyp;
	struct fy_document *doc;	/* the parser's */
	char *text;			/* what the parser reads */
	struct doc_sets sets;
};

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

/* The one document of a config's text (owned by the cfg_doc, freed by
 * cfg_doc_close, also on error): UTF-8 text, and nothing after its
 * document: a second document (or a broken one) is an error, not
 * ignored. */
static enum ps_status doc_parse(const char *name, char *text, size_t n,
				struct cfg_doc **dp, struct ps_err *err)
{
	struct fy_parse_cfg pc = { .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG };
	struct fy_document *next;
	struct cfg_doc *d = calloc(1, sizeof *d);
	size_t bad = utf8_end((const unsigned char *)text, n);
	enum ps_status st = PS_OK;

	*dp = NULL;
	if (!d) {
		free(text);
		return ps_errf(err, PS_ENOMEM, "%s: out of memory", name);
	}
	snprintf(d->name, sizeof d->name, "%s", name);
	d->text = text;
	if (bad < n) {
		int line = 1;
		for (size_t i = 0; i < bad; i++)
			line += text[i] == '\n';
		st = ps_errf(err, PS_EINPUT, "%s:%d: not UTF-8 text (byte 0x%02x at offset %zu)",
			     name, line, (unsigned char)text[bad], bad);
		cfg_doc_close(d);
		return st;
	}
	d->diag = quiet_diag();
	pc.diag = d->diag;
	d->fyp = fy_parser_create(&pc);
	if (d->fyp && fy_parser_set_string(d->fyp, text, n) != 0) {
		fy_parser_destroy(d->fyp);
		d->fyp = NULL;
	}
	d->doc = d->fyp ? fy_parse_load_document(d->fyp) : NULL;
	if (!d->doc && d->fyp && !fy_parser_get_stream_error(d->fyp))
		st = ps_errf(err, PS_EINPUT, "%s:1: empty: no YAML document", name);
	else if (!d->doc)
		st = doc_error(name, d->diag, err);
	else if ((next = fy_parse_load_document(d->fyp))) {
		int line = first_line(fy_document_root(next), 0);
		fy_parse_document_destroy(d->fyp, next);
		if (line)
			st = ps_errf(err, PS_EINPUT, "%s:%d: a second YAML document "
				     "(a config file holds one)", name, line);
		else
			st = ps_errf(err, PS_EINPUT, "%s: a second YAML document "
				     "(a config file holds one)", name);
	} else if (fy_parser_get_stream_error(d->fyp)) {
		st = doc_error(name, d->diag, err);
	}
	if (st) {
		cfg_doc_close(d);
		return st;
	}
	*dp = d;
	return PS_OK;
}

enum ps_status cfg_doc_open(const char *path, struct cfg_doc **dp,
			    struct ps_err *err)
{
	enum { MAX_CONFIG = 16 << 20 };
	enum ps_status st = ps_in_check(path, err);
	FILE *fp;
	char *text = NULL;
	size_t n = 0, cap = 0;

	*dp = NULL;
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
	if (st) {
		free(text);
		return st;
	}
	if (!text && !(text = malloc(1)))
		return ps_errf(err, PS_ENOMEM, "%s: out of memory", path);
	return doc_parse(path, text, n, dp, err);
}

const char *cfg_doc_name(const struct cfg_doc *d)
{
	return d->name;
}

struct fy_node *cfg_doc_root(struct cfg_doc *d)
{
	return fy_document_root(d->doc);
}

int cfg_node_line(struct fy_node *n)
{
	return first_line(n, 0);
}

char *cfg_node_text(struct fy_node *n)
{
	const char *s;
	size_t len;
	char *out;
	if (n && fy_node_get_type(n) == FYNT_SCALAR) {
		s = fy_node_get_scalar(n, &len);
		out = malloc(len + 1);
		if (out) {
			memcpy(out, s ? s : "", len);
			out[len] = '\0';
		}
		return out;
	}
	return fy_emit_node_to_string(n, FYECF_MODE_FLOW_ONELINE | FYECF_WIDTH_INF);
}

enum ps_status cfg_doc_scalar(struct cfg_doc *d, const char *path, char *buf,
			      size_t n, int *line, struct ps_err *err)
{
	char ypath[256];
	struct fy_node *root = fy_document_root(d->doc), *node;
	const char *s;
	size_t len, j = 0;

	buf[0] = '\0';
	*line = 0;
	/* "pe.family" -> "/pe/family" */
	ypath[j++] = '/';
	for (size_t i = 0; path[i] && j + 1 < sizeof ypath; i++)
		ypath[j++] = path[i] == '.' ? '/' : path[i];
	ypath[j] = '\0';
	if (!root || fy_node_get_type(root) != FYNT_MAPPING)
		return PS_OK;	/* the walk reports it */
	node = fy_node_by_path(root, ypath, FY_NT, FYNWF_DONT_FOLLOW);
	if (!node)
		return PS_OK;
	if (fy_node_get_type(node) != FYNT_SCALAR)
		return ps_errf(err, PS_EINPUT, "%s:%d: %s: expected a string",
			       d->name, first_line(node, 1), path);
	*line = node_line(node, 1);
	s = fy_node_get_scalar(node, &len);
	if (!s || len >= n)
		return ps_errf(err, PS_EINPUT, "%s:%d: %s: value too long", d->name,
			       *line, path);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return PS_OK;
}

static bool is_null(const char *v)
{
	return !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/* The item of a sequence whose `name` is key, or NULL. */
static struct fy_node *item_by_name(struct fy_node *seq, const char *key)
{
	void *it = NULL;
	struct fy_node *c;
	while ((c = fy_node_sequence_iterate(seq, &it))) {
		struct fy_node *nm;
		const char *s;
		size_t len;
		if (fy_node_get_type(c) != FYNT_MAPPING)
			continue;
		nm = fy_node_mapping_lookup_by_string(c, "name", FY_NT);
		s = nm && fy_node_get_type(nm) == FYNT_SCALAR ?
			    fy_node_get_scalar(nm, &len) : NULL;
		if (s && len == strlen(key) && !memcmp(s, key, len))
			return c;
	}
	return NULL;
}

/* One override: find (or make) its place in the tree, then set or remove
 * the value there. The walker's path of that place is kept for errors. */
static enum ps_status apply_one(struct cfg_doc *d, const struct cfg_set *s,
				struct ps_err *err)
{
	struct fy_node *cur = fy_document_root(d->doc), *val = NULL;
	const char *p = s->path;
	char key[CFG_SET_PATH], wpath[CFG_SET_PATH + 32] = "";
	size_t wl = 0;
	long idx;
	int k;

	if (!cur || fy_node_get_type(cur) != FYNT_MAPPING)
		return ps_errf(err, PS_EINPUT, "%s: %s: top level must be a mapping",
			       s->origin, d->name);
	if (d->sets.n >= CFG_MAX_SETS)
		return ps_errf(err, PS_EINPUT, "%s: too many overrides", s->origin);
	if (!is_null(s->value)) {
		val = s->value[0] ?
			      fy_node_build_from_string(d->doc, s->value, FY_NT) :
			      fy_node_create_scalar_copy(d->doc, "", 0);
		if (!val)
			return ps_errf(err, PS_EINPUT, "%s: %s: not a YAML value: '%s'",
				       s->origin, s->path, s->value);
	}
	while ((k = cfg_path_next(&p, key, sizeof key, &idx)) > 0) {
		bool last = !*p;
		enum fy_node_type t = fy_node_get_type(cur);
		if (t == FYNT_SEQUENCE) {
			struct fy_node *item = k == 2 ?
				fy_node_sequence_get_by_index(cur, (int)idx) :
				item_by_name(cur, key);
			if (!item || (k == 2 && idx >= fy_node_sequence_item_count(cur)))
				goto no_item;
			if (k == 2)
				wl += (size_t)snprintf(wpath + wl, sizeof wpath - wl, "[%ld]", idx);
			else
				for (int i = 0; i < fy_node_sequence_item_count(cur); i++)
					if (fy_node_sequence_get_by_index(cur, i) == item)
						wl += (size_t)snprintf(wpath + wl, sizeof wpath - wl, "[%d]", i);
			if (last) {
				if (val)
					fy_node_sequence_insert_before(cur, item, val);
				fy_node_free(fy_node_sequence_remove(cur, item));
				val = NULL;
				break;
			}
			cur = item;
			continue;
		}
		if (k != 1 || t != FYNT_MAPPING) {
			fy_node_free(val);
			return ps_errf(err, PS_EINPUT, "%s: %s: %s is not a mapping",
				       s->origin, s->path, wpath[0] ? wpath : "(top)");
		}
		wl += (size_t)snprintf(wpath + wl, sizeof wpath - wl, "%s%s",
				       wl ? "." : "", key);
		{
			struct fy_node_pair *pr =
				fy_node_mapping_lookup_pair_by_string(cur, key, FY_NT);
			if (last) {
				if (pr && val)
					fy_node_pair_set_value(pr, val);
				else if (pr)
					fy_node_free(fy_node_mapping_remove_by_key(
						cur, fy_node_pair_key(pr)));
				else if (val)
					fy_node_mapping_append(cur,
						fy_node_create_scalar_copy(d->doc, key, strlen(key)), val);
				val = NULL;
				break;
			}
			if (!pr) {	/* a mapping the file leaves out */
				struct fy_node *m = fy_node_create_mapping(d->doc);
				fy_node_mapping_append(cur,
					fy_node_create_scalar_copy(d->doc, key, strlen(key)), m);
				cur = m;
			} else {
				cur = fy_node_pair_value(pr);
			}
		}
	}
	if (k < 0) {
		fy_node_free(val);
		return ps_errf(err, PS_EINPUT, "%s: '%s' is not a field path",
			       s->origin, s->path);
	}
	snprintf(d->sets.s[d->sets.n].path, sizeof d->sets.s[0].path, "%s", wpath);
	snprintf(d->sets.s[d->sets.n].origin, sizeof d->sets.s[0].origin, "%s",
		 s->origin);
	d->sets.n++;
	return PS_OK;
no_item:
	fy_node_free(val);
	if (k == 2)
		return ps_errf(err, PS_EINPUT, "%s: %s: no item [%ld] (the list has %d)",
			       s->origin, s->path, idx, fy_node_sequence_item_count(cur));
	return ps_errf(err, PS_EINPUT, "%s: %s: no item named '%s' in %s",
		       s->origin, s->path, key, wpath[0] ? wpath : "(top)");
}

enum ps_status cfg_doc_apply(struct cfg_doc *d, const struct cfg_sets *ss,
			     struct ps_err *err)
{
	for (size_t i = 0; ss && i < ss->n; i++) {
		enum ps_status st = apply_one(d, &ss->s[i], err);
		if (st)
			return st;
	}
	return PS_OK;
}

enum ps_status cfg_doc_walk(struct cfg_doc *d, const struct cfg_field *fields,
			    void *dst, struct cfg_lines *lines,
			    struct ps_err *err)
{
	if (lines)
		lines->n = lines->n_sets = 0;
	return load_doc(d->name, d->doc, d->diag, fields, dst, lines, &d->sets,
			err);
}

void cfg_doc_close(struct cfg_doc *d)
{
	if (!d)
		return;
	if (d->doc)
		fy_parse_document_destroy(d->fyp, d->doc);
	if (d->fyp)
		fy_parser_destroy(d->fyp);
	if (d->diag)
		fy_diag_destroy(d->diag);
	free(d->text);
	free(d);
}

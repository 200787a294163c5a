/* swp_file.c - a sweep file: its schema, the vary: tree expanded into
 * points (lists, linear and power-of-two ranges, products, zips), the
 * where: constraints that prune them, and the check that every swept value
 * loads in some point. */
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim.h"
#include "swp_impl.h"

#define R(f) offsetof(struct swp_run, f)
#define RSTR(k, f) { .key = k, .type = CFG_STR, .offset = R(f), .size = sizeof(((struct swp_run *)0)->f) }
const struct cfg_field swp_run_fields[] = {
	{ .key = "arch", .type = CFG_STR, .offset = R(arch), .size = sizeof(((struct swp_run *)0)->arch), .required = true },
	RSTR("model", model),
	RSTR("scenario", scenario),
	RSTR("gemm", gemm),
	{ .key = "mode", .type = CFG_ENUM, .offset = R(mode), .names = sim_mode_names },
	{ .key = "decode", .type = CFG_BOOL, .offset = R(decode) },
	{ .key = "seed", .type = CFG_INT, .offset = R(seed), .min = 0, .max = 4e18 },
	{ .key = "layer", .type = CFG_UINT, .offset = R(layer), .min = 0, .max = 100000 },
	{ .key = "compat_attn", .type = CFG_ENUM, .offset = R(compat_attn), .names = sim_compat_attn_names },
	{ .key = "compat_assumptions", .type = CFG_BOOL, .offset = R(compat_assumptions) },
	RSTR("compat_method", compat_method),
	{ 0 }
};

#define D(f) offsetof(struct swp_doc, f)
const struct cfg_field swp_doc_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = D(name), .size = sizeof(((struct swp_doc *)0)->name), .required = true },
	{ .key = "description", .type = CFG_STR, .offset = D(description), .size = sizeof(((struct swp_doc *)0)->description) },
	{ .key = "label", .type = CFG_STR, .offset = D(label), .size = sizeof(((struct swp_doc *)0)->label) },
	{ .key = "run", .type = CFG_MAP, .offset = D(run), .required = true, .fields = swp_run_fields },
	{ .key = "set", .type = CFG_SKIP },
	{ .key = "vary", .type = CFG_SKIP, .required = true },
	{ .key = "where", .type = CFG_SEQ, .offset = D(where), .size = SWP_WHERE_LEN,
	  .item = CFG_STR, .count_offset = D(n_where), .max_items = SWP_MAX_WHERE },
	{ 0 }
};

enum ps_status swp_doc_walk(const char *path, const struct cfg_sets *sets,
			    struct swp_doc *d, struct cfg_lines *lines,
			    struct ps_err *err)
{
	memset(d, 0, sizeof *d);
	d->run.seed = 1;
	return cfg_load_file_lines(path, sets, swp_doc_fields, d, lines, err);
}

void swp_resolve(const struct swp_sweep *s, const char *rel, char *buf,
		 size_t n)
{
	if (rel[0] != '/' && s->dir[0]) {
		snprintf(buf, n, "%s/%s", s->dir, rel);
		if (access(buf, F_OK) == 0)
			return;
	}
	snprintf(buf, n, "%s", rel);
}

const char *swp_value(const struct swp_sweep *s, uint64_t p, size_t f)
{
	return s->fields[f].vals[s->vi[p * s->n_fields + f]];
}

void swp_origin(const struct swp_sweep *s, unsigned line, const char *path,
		const char *value, char *buf, size_t n)
{
	if (snprintf(buf, n, "%s:%u: %s=%s", s->path, line, path, value) >= (int)n)
		buf[n - 1] = '\0';	/* cut, the same way wherever it is made */
}

enum ps_status swp_point_sets(const struct swp_sweep *s, uint64_t p,
			      struct cfg_sets *out, struct ps_err *err)
{
	*out = s->fixed;
	for (size_t f = 0; f < s->n_fields; f++) {
		const struct swp_field *fd = &s->fields[f];
		uint32_t v = s->vi[p * s->n_fields + f];
		char origin[CFG_SET_ORIGIN];
		swp_origin(s, fd->val_line[v], fd->path, fd->vals[v], origin, sizeof origin);
		if (cfg_sets_add2(out, fd->path, fd->vals[v], origin, err))
			return PS_EINPUT;
	}
	return PS_OK;
}

/* ---- the vary: tree ---- */

enum { VN_FIELD, VN_PRODUCT, VN_ZIP, VN_VARY /* the top product */ };

struct vnode {
	int kind;
	size_t field;		/* VN_FIELD */
	struct vnode *kids;	/* first child */
	struct vnode *next;	/* sibling */
	uint32_t line;
	uint64_t count;		/* points it expands into */
};

struct loader {
	struct swp_sweep *s;
	struct ps_err *err;
};

static void vnode_free(struct vnode *n)
{
	while (n) {
		struct vnode *nx = n->next;
		vnode_free(n->kids);
		free(n);
		n = nx;
	}
}

static enum ps_status bad(struct loader *L, int line, const char *what,
			  const char *fmt, const char *a)
{
	char m[400];
	snprintf(m, sizeof m, fmt, a);
	return ps_errf(L->err, PS_EINPUT, "%s:%d: %s: %s", L->s->path, line, what, m);
}

static enum ps_status add_value(struct loader *L, struct swp_field *f,
				const char *text, int line)
{
	char **v = realloc(f->vals, (f->n_vals + 1) * sizeof *v);
	uint32_t *l;
	if (v)
		f->vals = v;
	l = v ? realloc(f->val_line, (f->n_vals + 1) * sizeof *l) : NULL;
	if (l)
		f->val_line = l;
	if (!v || !l || !(f->vals[f->n_vals] = strdup(text)))
		return ps_errf(L->err, PS_ENOMEM, "out of memory");
	if (strlen(text) >= CFG_SET_VALUE)
		return bad(L, line, f->path, "value '%.40s...' too long", text);
	f->val_line[f->n_vals++] = (uint32_t)line;
	return PS_OK;
}

static enum ps_status num_list(struct loader *L, struct fy_node *n,
			       const char *what, double *v, size_t *cnt)
{
	void *it = NULL;
	struct fy_node *c;
	*cnt = 0;
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return bad(L, cfg_node_line(n), what, "expected a list [lo, hi%s]",
			   strstr(what, "range") ? ", step" : "");
	while ((c = fy_node_sequence_iterate(n, &it))) {
		char *t = cfg_node_text(c), *e;
		double x = t ? strtod(t, &e) : 0;
		bool ok = t && *t && !*e && isfinite(x);
		free(t);
		if (!ok || *cnt >= 3)
			return bad(L, cfg_node_line(c), what, "expected %s", *cnt >= 3 ? "at most 3 numbers" : "a number");
		v[(*cnt)++] = x;
	}
	return PS_OK;
}

static enum ps_status range_values(struct loader *L, struct swp_field *f,
				   const char *kind, struct fy_node *n)
{
	double v[3];
	size_t cnt;
	char what[CFG_SET_PATH + 16], buf[64];
	int line = cfg_node_line(n);
	enum ps_status st;

	snprintf(what, sizeof what, "%s: %s", f->path, kind);
	if ((st = num_list(L, n, what, v, &cnt)))
		return st;
	if (!strcmp(kind, "pow2")) {
		if (cnt != 2)
			return bad(L, line, what, "expected [lo, hi]%s", "");
		for (int i = 0; i < 2; i++) {
			double x = v[i];
			if (x < 1 || x > 9.007199254740992e15 || x != floor(x) ||
			    ((uint64_t)x & ((uint64_t)x - 1))) {
				snprintf(buf, sizeof buf, "%.17g", x);
				return bad(L, line, what, "%s is not a power of two", buf);
			}
		}
		if (v[0] > v[1])
			return bad(L, line, what, "lo > hi%s", "");
		for (uint64_t x = (uint64_t)v[0]; x <= (uint64_t)v[1]; x *= 2) {
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)x);
			if ((st = add_value(L, f, buf, line)))
				return st;
		}
		return PS_OK;
	}
	/* range: [lo, hi] or [lo, hi, step], hi included */
	if (cnt < 2)
		return bad(L, line, what, "expected [lo, hi] or [lo, hi, step]%s", "");
	if (cnt == 2)
		v[2] = 1;
	if (v[2] <= 0 || v[0] > v[1])
		return bad(L, line, what, "needs lo <= hi and step > 0%s", "");
	if ((v[1] - v[0]) / v[2] > 1e6)
		return bad(L, line, what, "more than a million values%s", "");
	{
		bool ints = v[0] == floor(v[0]) && v[2] == floor(v[2]) &&
			    fabs(v[0]) < 9e15 && fabs(v[1]) < 9e15;
		uint64_t k = (uint64_t)floor((v[1] - v[0]) / v[2] + 1e-9);
		for (uint64_t i = 0; i <= k; i++) {
			double x = v[0] + (double)i * v[2];
			if (ints)
				snprintf(buf, sizeof buf, "%lld", (long long)x);
			else
				snprintf(buf, sizeof buf, "%.15g", x);
			if ((st = add_value(L, f, buf, line)))
				return st;
		}
	}
	return PS_OK;
}

static bool is_run_key(const char *k)
{
	for (const struct cfg_field *f = swp_run_fields; f->type != CFG_END; f++)
		if (!strcmp(f->key, k))
			return true;
	return false;
}

/* A field to vary: its path checked, its values read. */
static enum ps_status field_node(struct loader *L, struct fy_node *key,
				 struct fy_node *val, struct vnode **out)
{
	struct swp_sweep *s = L->s;
	char *path = cfg_node_text(key), k[CFG_SET_PATH];
	const char *p;
	int line = cfg_node_line(key), t;
	long idx;
	struct swp_field *f;
	struct vnode *n;
	enum ps_status st = PS_OK;

	if (!path)
		return ps_errf(L->err, PS_ENOMEM, "out of memory");
	p = path;
	while ((t = cfg_path_next(&p, k, sizeof k, &idx)) > 0)
		;
	if (t < 0 || strlen(path) >= CFG_SET_PATH || path[0] == '[')
		st = bad(L, line, "vary", "'%s' is not a field path (keys joined by '.', items as [i] or by name)", path);
	else if (!strncmp(path, "run.", 4) && !is_run_key(path + 4))
		st = bad(L, line, path, "unknown key (run: takes arch, model, scenario, gemm, mode, decode, seed, layer, compat_attn, compat_assumptions, compat_method)%s", "");
	for (size_t i = 0; !st && i < s->n_fields; i++)
		if (!strcmp(s->fields[i].path, path)) {
			char first[32];
			snprintf(first, sizeof first, "%u", s->fields[i].line);
			st = bad(L, line, path, "varied twice (first at line %s)", first);
		}
	if (!st && s->n_fields >= SWP_MAX_FIELDS)
		st = bad(L, line, path, "too many fields varied (at most 32)%s", "");
	if (st) {
		free(path);
		return st;
	}
	f = &s->fields[s->n_fields++];
	memset(f, 0, sizeof *f);
	snprintf(f->path, sizeof f->path, "%s", path);
	f->line = (uint32_t)line;
	free(path);

	switch (fy_node_get_type(val)) {
	case FYNT_SCALAR: {
		char *v = cfg_node_text(val);
		st = v ? add_value(L, f, v, cfg_node_line(val)) : PS_ENOMEM;
		free(v);
		break;
	}
	case FYNT_SEQUENCE: {
		void *it = NULL;
		struct fy_node *c;
		while (!st && (c = fy_node_sequence_iterate(val, &it))) {
			char *v = cfg_node_text(c);
			st = v ? add_value(L, f, v, cfg_node_line(c) ? cfg_node_line(c) : line) : PS_ENOMEM;
			free(v);
		}
		if (!st && !f->n_vals)
			st = bad(L, line, f->path, "empty list%s", "");
		break;
	}
	case FYNT_MAPPING: {
		struct fy_node_pair *pr;
		void *it = NULL;
		char *kind;
		if (fy_node_mapping_item_count(val) != 1)
			return bad(L, line, f->path, "expected a list, {range: [lo, hi, step]} or {pow2: [lo, hi]}%s", "");
		pr = fy_node_mapping_iterate(val, &it);
		kind = cfg_node_text(fy_node_pair_key(pr));
		if (!kind)
			return ps_errf(L->err, PS_ENOMEM, "out of memory");
		if (!strcmp(kind, "range") || !strcmp(kind, "pow2"))
			st = range_values(L, f, kind, fy_node_pair_value(pr));
		else
			st = bad(L, line, f->path, "unknown '%s' (expected range or pow2)", kind);
		free(kind);
		break;
	}
	}
	if (st)
		return st;
	n = calloc(1, sizeof *n);
	if (!n)
		return ps_errf(L->err, PS_ENOMEM, "out of memory");
	n->kind = VN_FIELD;
	n->field = s->n_fields - 1;
	n->line = (uint32_t)line;
	n->count = f->n_vals;
	*out = n;
	return PS_OK;
}

static enum ps_status group_node(struct loader *L, struct fy_node *n, int kind,
				 int line, struct vnode **out);

/* One entry: a field, or product:/zip: of entries. */
static enum ps_status pair_node(struct loader *L, struct fy_node_pair *pr,
				struct vnode **out)
{
	struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
	char *key = cfg_node_text(k);
	enum ps_status st;
	if (!key)
		return ps_errf(L->err, PS_ENOMEM, "out of memory");
	if (!strcmp(key, "product"))
		st = group_node(L, v, VN_PRODUCT, cfg_node_line(k), out);
	else if (!strcmp(key, "zip"))
		st = group_node(L, v, VN_ZIP, cfg_node_line(k), out);
	else
		st = field_node(L, k, v, out);
	free(key);
	return st;
}

static void append(struct vnode *parent, struct vnode **tail, struct vnode *c)
{
	if (*tail)
		(*tail)->next = c;
	else
		parent->kids = c;
	*tail = c;
}

/* A mapping (its pairs) or a sequence of mappings (all their pairs) as the
 * children of one product or zip. */
static enum ps_status group_node(struct loader *L, struct fy_node *n, int kind,
				 int line, struct vnode **out)
{
	struct vnode *g = calloc(1, sizeof *g), *tail = NULL, *c;
	enum ps_status st = PS_OK;
	void *it = NULL;
	const char *what = kind == VN_ZIP ? "zip" : kind == VN_PRODUCT ? "product" : "vary";

	if (!g)
		return ps_errf(L->err, PS_ENOMEM, "out of memory");
	if (kind == VN_VARY)
		kind = VN_PRODUCT;
	g->kind = kind;
	g->line = (uint32_t)line;
	*out = g;
	if (!n || fy_node_get_type(n) == FYNT_SCALAR)
		return bad(L, cfg_node_line(n) ? cfg_node_line(n) : line, what,
			   "expected a mapping of fields to values or a list of them%s", "");
	if (fy_node_get_type(n) == FYNT_MAPPING) {
		struct fy_node_pair *pr;
		while (!st && (pr = fy_node_mapping_iterate(n, &it))) {
			c = NULL;
			st = pair_node(L, pr, &c);
			if (c)	/* kept also on an error, to be freed with g */
				append(g, &tail, c);
		}
	} else {
		struct fy_node *item;
		while (!st && (item = fy_node_sequence_iterate(n, &it))) {
			void *it2 = NULL;
			struct fy_node_pair *pr;
			if (fy_node_get_type(item) != FYNT_MAPPING)
				return bad(L, cfg_node_line(item), what,
					   "expected a mapping (field: values, product: or zip:)%s", "");
			while (!st && (pr = fy_node_mapping_iterate(item, &it2))) {
				c = NULL;
				st = pair_node(L, pr, &c);
				if (c)
					append(g, &tail, c);
			}
		}
	}
	if (st)
		return st;
	if (!g->kids)
		return bad(L, line, what, "nothing to vary%s", "");
	g->count = kind == VN_ZIP ? g->kids->count : 1;
	for (c = g->kids; c; c = c->next) {
		if (kind == VN_ZIP && c->count != g->count) {
			char m[80];
			snprintf(m, sizeof m, "%llu vs %llu", (unsigned long long)g->count,
				 (unsigned long long)c->count);
			return bad(L, c->line, "zip", "entries of different lengths (%s)", m);
		}
		if (kind != VN_ZIP) {
			if (c->count && g->count > SWP_MAX_POINTS / c->count)
				return bad(L, line, what, "more than 4194304 points%s", "");
			g->count *= c->count;
		}
	}
	return PS_OK;
}

/* Rows [count][nf] of value indices (UINT32_MAX: not this subtree's). */
static uint32_t *expand(const struct vnode *n, size_t nf)
{
	uint32_t *out = malloc((n->count ? n->count : 1) * nf * sizeof *out);
	if (!out)
		return NULL;
	memset(out, 0xff, n->count * nf * sizeof *out);
	if (n->kind == VN_FIELD) {
		for (uint64_t i = 0; i < n->count; i++)
			out[i * nf + n->field] = (uint32_t)i;
		return out;
	}
	for (const struct vnode *c = n->kids; c; c = c->next) {
		uint32_t *k = expand(c, nf);
		uint64_t inner = 1;
		if (!k) {
			free(out);
			return NULL;
		}
		/* product: this child varies faster than those before it */
		for (const struct vnode *d = c->next; n->kind == VN_PRODUCT && d; d = d->next)
			inner *= d->count;
		for (uint64_t i = 0; i < n->count; i++) {
			uint64_t j = n->kind == VN_ZIP ? i : (i / inner) % c->count;
			for (size_t f = 0; f < nf; f++)
				if (k[j * nf + f] != UINT32_MAX)
					out[i * nf + f] = k[j * nf + f];
		}
		free(k);
	}
	return out;
}

static void field_types(struct swp_field *f)
{
	bool ints = true, nums = true;
	f->width = 1;
	for (uint32_t i = 0; i < f->n_vals; i++) {
		char *e;
		const char *v = f->vals[i];
		size_t l = strlen(v);
		if (l + 1 > f->width)
			f->width = l + 1;
		errno = 0;
		(void)strtoll(v, &e, 10);
		if (!*v || *e || errno)
			ints = false;
		errno = 0;
		double d = strtod(v, &e);
		if (!*v || *e || errno || !isfinite(d))
			nums = false;
	}
	f->type = ints ? SWP_V_INT : nums ? SWP_V_F64 : SWP_V_STR;
}

/* ---- constraints and the value check ---- */

struct point_ctx {
	const struct swp_sweep *s;
	uint64_t p;
	struct swp_config *c;	/* loaded on first need */
	bool loaded;
	enum ps_status load_st;
	struct ps_err load_err;
};

static enum ps_status lookup(void *vctx, const char *name, char *buf, size_t n,
			     struct ps_err *err)
{
	struct point_ctx *x = vctx;
	const struct swp_sweep *s = x->s;
	for (size_t f = 0; f < s->n_fields; f++)
		if (!strcmp(s->fields[f].path, name)) {
			snprintf(buf, n, "%s", swp_value(s, x->p, f));
			return PS_OK;
		}
	for (size_t i = s->fixed.n; i-- > 0;)
		if (!strcmp(s->fixed.s[i].path, name)) {
			snprintf(buf, n, "%s", s->fixed.s[i].value);
			return PS_OK;
		}
	if (!x->loaded) {
		x->loaded = true;
		x->load_st = swp_point_load(s, x->p, x->c, &x->load_err);
	}
	if (x->load_st) {
		*err = x->load_err;
		return x->load_st;
	}
	return swp_config_value(x->c, name, buf, n, err);
}

/* Drop the points a constraint rules out. A point whose configuration
 * does not load is kept: it fails when it runs, with that error. */
static enum ps_status prune(struct swp_sweep *s, struct ps_err *err)
{
	struct point_ctx x = { .s = s };
	uint64_t kept = 0;
	enum ps_status st = PS_OK;
	if (!s->n_where)
		return PS_OK;
	x.c = malloc(sizeof *x.c);
	if (!x.c)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t p = 0; p < s->n_points && !st; p++) {
		bool keep = true;
		x.p = p;
		x.loaded = false;
		for (size_t w = 0; w < s->n_where && keep && !st; w++) {
			struct ps_err e;
			st = swp_expr_eval(s->where[w], lookup, &x, &keep, &e);
			if (st && x.loaded && x.load_st) {
				st = PS_OK;	/* runs, and fails with its error */
				keep = true;
				break;
			}
			if (st)
				ps_errf(err, st, "%s:%u: where[%zu]: %s", s->path,
					s->where_line[w], w, e.msg);
		}
		if (!st && keep) {
			memmove(&s->vi[kept * s->n_fields], &s->vi[p * s->n_fields],
				s->n_fields * sizeof *s->vi);
			kept++;
		}
	}
	free(x.c);
	s->n_pruned = s->n_points - kept;
	s->n_points = kept;
	return st;
}

/* Every swept value must load in some point; one whose own override fails
 * in every point that has it is a mistake of the file (a misspelt field,
 * a value out of range), reported as the override's error. */
static enum ps_status check_values(struct swp_sweep *s, struct ps_err *err)
{
	struct swp_config *c = malloc(sizeof *c);
	enum ps_status st = PS_OK;
	if (!c)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (size_t f = 0; f < s->n_fields && !st; f++)
		for (uint32_t v = 0; v < s->fields[f].n_vals && !st; v++) {
			char origin[CFG_SET_ORIGIN + 2];
			struct ps_err first = { "" };
			bool any = false, ok = false;
			swp_origin(s, s->fields[f].val_line[v], s->fields[f].path,
				   s->fields[f].vals[v], origin, CFG_SET_ORIGIN);
			strcat(origin, ": ");
			for (uint64_t p = 0; p < s->n_points && !ok; p++) {
				struct ps_err e;
				if (s->vi[p * s->n_fields + f] != v)
					continue;
				if (!swp_point_load(s, p, c, &e) ||
				    strncmp(e.msg, origin, strlen(origin)))
					ok = true;	/* loads, or fails for another reason */
				else if (!any)
					first = e;
				any = true;
			}
			if (any && !ok)
				st = ps_errf(err, PS_EINPUT, "%s", first.msg);
		}
	free(c);
	return st;
}

/* ---- loading ---- */

static enum ps_status read_set(struct loader *L, struct fy_node *n)
{
	struct fy_node_pair *pr;
	void *it = NULL;
	if (!n)
		return PS_OK;
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return bad(L, cfg_node_line(n), "set", "expected a mapping of field paths to values%s", "");
	while ((pr = fy_node_mapping_iterate(n, &it))) {
		char *k = cfg_node_text(fy_node_pair_key(pr));
		char *v = cfg_node_text(fy_node_pair_value(pr));
		char origin[CFG_SET_ORIGIN];
		enum ps_status st;
		if (!k || !v) {
			free(k);
			free(v);
			return ps_errf(L->err, PS_ENOMEM, "out of memory");
		}
		swp_origin(L->s, (unsigned)cfg_node_line(fy_node_pair_key(pr)), k, v,
			   origin, sizeof origin);
		st = cfg_sets_add2(&L->s->fixed, k, v, origin, L->err);
		if (!st && !strncmp(k, "run.", 4) && !is_run_key(k + 4))
			st = ps_errf(L->err, PS_EINPUT, "%s: %s: unknown key", origin, k);
		free(k);
		free(v);
		if (st)
			return st;
	}
	return PS_OK;
}

/* A sweep none of whose points loads (a missing arch, a bad run: block)
 * is a mistake of the file: the first point's error. */
static enum ps_status check_run(const struct swp_sweep *s, struct ps_err *err)
{
	struct swp_config *c = malloc(sizeof *c);
	struct ps_err first = { "" };
	enum ps_status st = PS_OK, fst = PS_OK;
	if (!c)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t p = 0; p < s->n_points; p++) {
		struct ps_err e;
		enum ps_status r = swp_point_load(s, p, c, &e);
		if (!r)
			break;
		if (!p) {
			first = e;
			fst = r;
		}
		if (p == s->n_points - 1)
			st = ps_errf(err, fst, "%s", first.msg);
	}
	free(c);
	return st;
}

enum ps_status swp_load(const char *path, struct swp_sweep *s,
			struct ps_err *err)
{
	struct loader L = { s, err };
	struct swp_doc *d = malloc(sizeof *d);
	struct cfg_doc *doc = NULL;
	struct vnode *tree = NULL;
	enum ps_status st;
	const char *slash;

	memset(s, 0, sizeof *s);
	if (!d)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	snprintf(s->path, sizeof s->path, "%s", path);
	slash = strrchr(path, '/');
	if (slash)
		snprintf(s->dir, sizeof s->dir, "%.*s", (int)(slash - path), path);
	st = swp_doc_walk(path, NULL, d, NULL, err);
	if (!st) {
		snprintf(s->name, sizeof s->name, "%s", d->name);
		snprintf(s->description, sizeof s->description, "%s", d->description);
		snprintf(s->label, sizeof s->label, "%s", d->label);
		s->digest = cfg_fnv1a_file(path);
		st = cfg_doc_open(path, &doc, err);
	}
	if (!st) {
		struct fy_node *root = cfg_doc_root(doc);
		st = read_set(&L, fy_node_by_path(root, "/set", FY_NT, FYNWF_DONT_FOLLOW));
		if (!st) {
			struct fy_node *v = fy_node_by_path(root, "/vary", FY_NT, FYNWF_DONT_FOLLOW);
			st = group_node(&L, v, VN_VARY, cfg_node_line(v), &tree);
		}
	}
	for (size_t w = 0; !st && w < d->n_where; w++) {
		struct ps_err e;
		snprintf(s->where_text[w], SWP_WHERE_LEN, "%s", d->where[w]);
		s->where_line[w] = 0;
		if (doc) {
			char yp[32];
			snprintf(yp, sizeof yp, "/where/%zu", w);
			s->where_line[w] = (uint32_t)cfg_node_line(
				fy_node_by_path(cfg_doc_root(doc), yp, FY_NT, FYNWF_DONT_FOLLOW));
		}
		if (swp_expr_parse(d->where[w], &s->where[w], &e))
			st = ps_errf(err, PS_EINPUT, "%s:%u: where[%zu]: %s", path,
				     s->where_line[w], w, e.msg);
		s->n_where = w + 1;
	}
	cfg_doc_close(doc);
	free(d);
	if (!st) {
		for (size_t f = 0; f < s->n_fields; f++)
			field_types(&s->fields[f]);
		s->n_expanded = s->n_points = tree->count;
		s->vi = expand(tree, s->n_fields ? s->n_fields : 1);
		if (!s->vi)
			st = ps_errf(err, PS_ENOMEM, "out of memory expanding %llu points",
				     (unsigned long long)tree->count);
	}
	vnode_free(tree);
	if (!st)
		st = prune(s, err);
	if (!st)
		st = check_run(s, err);
	if (!st)
		st = check_values(s, err);
	if (st)
		swp_free(s);
	return st;
}

void swp_free(struct swp_sweep *s)
{
	for (size_t f = 0; f < s->n_fields; f++) {
		for (uint32_t v = 0; v < s->fields[f].n_vals; v++)
			free(s->fields[f].vals[v]);
		free(s->fields[f].vals);
		free(s->fields[f].val_line);
	}
	for (size_t w = 0; w < s->n_where; w++)
		swp_expr_free(s->where[w]);
	free(s->vi);
	memset(s, 0, sizeof *s);
}

/* cfg_set.c - overrides (--set path=value) and reading a field by its path.
 * Both speak the walker's paths: keys joined by '.', sequence items by
 * index "[i]" or by their `name`. The overrides are applied to the parsed
 * document (cfg_doc_apply in cfg_yaml.c), so the schema checks them. */
#include "cfg_yaml.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cfg_path_next(const char **pp, char *key, size_t n, long *index)
{
	const char *p = *pp;
	size_t len = 0;
	if (!*p)
		return 0;
	if (*p == '[') {
		char *e;
		if (!isdigit((unsigned char)p[1]))
			return -1;
		*index = strtol(p + 1, &e, 10);
		if (*e != ']')
			return -1;
		p = e + 1;
		if (*p == '.')
			p++;
		else if (*p && *p != '[')
			return -1;
		*pp = p;
		return 2;
	}
	while (p[len] && p[len] != '.' && p[len] != '[')
		len++;
	if (!len || len >= n)
		return -1;
	memcpy(key, p, len);
	key[len] = '\0';
	p += len;
	if (*p == '.') {
		p++;
		if (!*p)
			return -1;
	}
	*pp = p;
	return 1;
}

enum ps_status cfg_sets_add2(struct cfg_sets *ss, const char *path,
			     const char *value, const char *origin,
			     struct ps_err *err)
{
	struct cfg_set *s;
	const char *p = path;
	char key[CFG_SET_PATH];
	long idx;
	int t;

	if (ss->n >= CFG_MAX_SETS)
		return ps_errf(err, PS_EINPUT, "%s: too many overrides (at most %d)",
			       origin ? origin : path, CFG_MAX_SETS);
	if (strlen(path) >= CFG_SET_PATH || strlen(value) >= CFG_SET_VALUE)
		return ps_errf(err, PS_EINPUT, "--set %s=%s: too long", path, value);
	while ((t = cfg_path_next(&p, key, sizeof key, &idx)) > 0)
		;
	if (t < 0 || !path[0] || path[0] == '[')
		return ps_errf(err, PS_EINPUT, "%s%s%s: '%s' is not a field path (keys joined by '.', items as [i])",
			       origin ? origin : "--set ", origin ? "" : path,
			       origin ? "" : "", path);
	s = &ss->s[ss->n];
	snprintf(s->path, sizeof s->path, "%s", path);
	snprintf(s->value, sizeof s->value, "%s", value);
	if (origin)
		snprintf(s->origin, sizeof s->origin, "%s", origin);
	else
		snprintf(s->origin, sizeof s->origin, "--set %s=%s", path, value);
	ss->n++;
	return PS_OK;
}

enum ps_status cfg_sets_add(struct cfg_sets *ss, const char *arg,
			    const char *origin, struct ps_err *err)
{
	const char *eq = strchr(arg, '=');
	char path[CFG_SET_PATH];
	if (!eq || eq == arg)
		return ps_errf(err, PS_EINPUT, "--set %s: expected path=value (e.g. array.prefill.rows=64)",
			       arg);
	if ((size_t)(eq - arg) >= sizeof path)
		return ps_errf(err, PS_EINPUT, "--set %s: path too long", arg);
	memcpy(path, arg, (size_t)(eq - arg));
	path[eq - arg] = '\0';
	return cfg_sets_add2(ss, path, eq + 1, origin, err);
}

void cfg_sets_select(const struct cfg_sets *all, const char *prefix,
		     const char *const *skip, struct cfg_sets *out)
{
	out->n = 0;
	for (size_t i = 0; all && i < all->n; i++) {
		const struct cfg_set *s = &all->s[i];
		size_t pl = prefix ? strlen(prefix) : 0;
		if (prefix) {
			if (strncmp(s->path, prefix, pl) || s->path[pl] != '.')
				continue;
			out->s[out->n] = *s;
			memmove(out->s[out->n].path, s->path + pl + 1,
				strlen(s->path + pl + 1) + 1);
		} else {
			bool skipped = false;
			for (size_t k = 0; skip && skip[k]; k++) {
				size_t kl = strlen(skip[k]);
				if (!strncmp(s->path, skip[k], kl) &&
				    (s->path[kl] == '.' || s->path[kl] == '[' ||
				     !s->path[kl]))
					skipped = true;
			}
			if (skipped)
				continue;
			out->s[out->n] = *s;
		}
		out->n++;
	}
}

/* ---- reading a field by path ---- */

static enum ps_status fmt_value(const struct cfg_field *f, enum cfg_type t,
				const char *at, char *buf, size_t n,
				const char *path, struct ps_err *err)
{
	switch (t) {
	case CFG_INT:
		snprintf(buf, n, "%" PRId64, *(const int64_t *)at);
		return PS_OK;
	case CFG_UINT:
		snprintf(buf, n, "%" PRIu32, *(const uint32_t *)at);
		return PS_OK;
	case CFG_DOUBLE:
		snprintf(buf, n, "%.17g", *(const double *)at);
		return PS_OK;
	case CFG_BOOL:
		snprintf(buf, n, "%s", *(const bool *)at ? "true" : "false");
		return PS_OK;
	case CFG_STR:
		snprintf(buf, n, "%.*s", (int)f->size, at);
		return PS_OK;
	case CFG_ENUM: {
		int v = *(const int *)at, k;
		for (k = 0; f->names[k] && k < v; k++)
			;
		snprintf(buf, n, "%s", f->names[k] ? f->names[k] : "?");
		return PS_OK;
	}
	default:
		return ps_errf(err, PS_EINPUT, "%s: not a single value", path);
	}
}

enum ps_status cfg_value(const struct cfg_field *fields, const void *src,
			 const char *path, char *buf, size_t n,
			 struct ps_err *err)
{
	const char *p = path, *at = src;
	const struct cfg_field *f = NULL;
	enum cfg_type t = CFG_MAP;
	char key[128];
	long idx;
	int k;

	while ((k = cfg_path_next(&p, key, sizeof key, &idx)) > 0) {
		if (t == CFG_SEQ) {
			size_t cnt = *(const size_t *)((const char *)at - f->offset +
						       f->count_offset);
			const char *item = at;
			if (k == 1) {	/* by name: the item whose `name` is key */
				const struct cfg_field *nf = f->fields;
				while (nf && nf->type != CFG_END && strcmp(nf->key, "name"))
					nf++;
				idx = -1;
				for (size_t i = 0; nf && nf->type == CFG_STR && i < cnt; i++)
					if (!strcmp(item + i * f->size + nf->offset, key))
						idx = (long)i;
			}
			if (idx < 0 || (size_t)idx >= cnt)
				return ps_errf(err, PS_EINPUT, "%s: no such item", path);
			at = item + (size_t)idx * f->size;
			t = f->item;
			continue;
		}
		if (k != 1 || t != CFG_MAP)
			return ps_errf(err, PS_EINPUT, "%s: no such field", path);
		{
			const struct cfg_field *g = f ? f->fields : fields;
			const char *base = at;
			for (; g && g->type != CFG_END; g++)
				if (!strcmp(g->key, key))
					break;
			if (!g || g->type == CFG_END || g->type == CFG_SKIP)
				return ps_errf(err, PS_EINPUT, "%s: no such field", path);
			f = g;
			t = g->type;
			at = base + g->offset;
		}
	}
	if (k < 0 || !f)
		return ps_errf(err, PS_EINPUT, "%s: no such field", path);
	return fmt_value(f, t, at, buf, n, path, err);
}

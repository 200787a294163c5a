/* rtl_area_hier.c - the hierarchical Yosys run's `stat` reports: one
 * section per module (rtl_area.h, rtl_area_parse_hier).
 *
 * Without -flatten `stat` prints, per module, its own cells (a submodule
 * instance is one cell named after the submodule, without a transistor
 * cost: Yosys appends '+' to the count) and then a "design hierarchy"
 * summary. Parametrized modules are named "$paramod$<digest>\name" or
 * "$paramod\name\P=v..."; the breakdown goes by the plain name. */
#include "rtl_area.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct section {
	const char *name, *body;	/* name up to " ===" */
	size_t name_len, body_len;
};

#define MAX_SECTIONS RTL_AREA_MAX_MODS

/* The module sections of a report (the hierarchy summary excluded). */
static size_t sections(const char *text, struct section *s, size_t max)
{
	size_t n = 0;
	const char *p = text;

	while ((p = strstr(p, "=== ")) != NULL) {
		const char *name = p + 4, *end = strstr(name, " ===");
		const char *paren;
		if (!end)
			break;
		p = end + 4;
		if (!strncmp(name, "design hierarchy", 16))
			break;
		/* "name (partially selected)" */
		paren = memchr(name, '(', (size_t)(end - name));
		if (paren && paren > name)
			end = paren - 1;
		if (n == max)
			return max + 1;
		s[n].name = name;
		s[n].name_len = (size_t)(end - name);
		s[n].body = p;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		const char *next = strstr(s[i].body, "=== ");
		s[i].body_len = next ? (size_t)(next - s[i].body) : strlen(s[i].body);
	}
	return n;
}

static const struct section *find(const struct section *s, size_t n,
				  const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].name_len == len && !memcmp(s[i].name, name, len))
			return &s[i];
	return NULL;
}

/* The number after `key` inside a section's body; 0 when absent (Yosys
 * leaves out the transistor line of a module without costed cells). */
static uint64_t count_in(const struct section *s, const char *key)
{
	char buf[64];
	const char *p = s->body, *end = s->body + s->body_len;
	size_t k = strlen(key);

	for (; p + k <= end; p++)
		if (!memcmp(p, key, k)) {
			size_t n = 0;
			p += k;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			while (p < end && n + 1 < sizeof buf && *p >= '0' && *p <= '9')
				buf[n++] = *p++;
			buf[n] = '\0';
			return strtoull(buf, NULL, 10);
		}
	return 0;
}

/* The plain module name of a section ("$paramod$abc\foo" -> "foo",
 * "$paramod\foo\W=3" -> "foo"). */
static void plain_name(const struct section *s, char *out, size_t n)
{
	const char *p = s->name, *end = s->name + s->name_len;

	if (s->name_len > 9 && !memcmp(p, "$paramod", 8)) {
		const char *bs = memchr(p, '\\', s->name_len);
		if (bs) {
			const char *bs2;
			p = bs + 1;
			bs2 = memchr(p, '\\', (size_t)(end - p));
			if (bs2)
				end = bs2;
		}
	}
	snprintf(out, n, "%.*s", (int)(end - p), p);
}

/* Instances of module `child` among `parent`'s cells: its cell line
 * "     <child name>   <count>". */
static uint64_t instances_in(const struct section *parent,
			     const struct section *child)
{
	const char *p = parent->body, *end = parent->body + parent->body_len;
	size_t len = child->name_len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		if (!eol)
			eol = end;
		while (q < eol && *q == ' ')
			q++;
		if ((size_t)(eol - q) > len && !memcmp(q, child->name, len) &&
		    (q[len] == ' ' || q[len] == '\t'))
			return strtoull(q + len, NULL, 10);
		p = eol + 1;
	}
	return 0;
}

enum ps_status rtl_area_parse_hier(const char *stat_comb, const char *stat_regs,
				   const char *top, struct rtl_area *a,
				   struct ps_err *err)
{
	struct section c[MAX_SECTIONS + 1], r[MAX_SECTIONS + 1];
	size_t nc, nr;
	uint64_t mult[MAX_SECTIONS];
	const struct section *t;

	a->n_mods = 0;
	a->hier_transistors_all = 0;
	if (!strstr(stat_comb, "Printing statistics") ||
	    !strstr(stat_regs, "Printing statistics"))
		return ps_errf(err, PS_EINPUT,
			       "yosys hierarchical report: no 'Printing statistics'");
	nc = sections(stat_comb, c, MAX_SECTIONS);
	nr = sections(stat_regs, r, MAX_SECTIONS);
	if (nc > MAX_SECTIONS || nr > MAX_SECTIONS)
		return ps_errf(err, PS_EINPUT,
			       "yosys hierarchical report: more than %d modules",
			       MAX_SECTIONS);
	t = find(c, nc, top, strlen(top));
	if (!t)
		return ps_errf(err, PS_EINPUT,
			       "yosys hierarchical report: no module '%s'", top);
	/* instances from the top down: a module's count is the sum over its
	 * parents (a DAG: nc passes settle it) */
	for (size_t i = 0; i < nc; i++)
		mult[i] = &c[i] == t;
	for (size_t pass = 0; pass < nc; pass++)
		for (size_t i = 0; i < nc; i++) {
			uint64_t m = &c[i] == t;
			for (size_t j = 0; j < nc; j++)
				if (j != i)
					m += mult[j] * instances_in(&c[j], &c[i]);
			mult[i] = m;
		}
	for (size_t i = 0; i < nc; i++) {
		struct rtl_area_mod *m = &a->mods[a->n_mods];
		const struct section *rs = find(r, nr, c[i].name, c[i].name_len);
		if (!mult[i])
			continue;	/* not below the top */
		plain_name(&c[i], m->name, sizeof m->name);
		m->instances = mult[i];
		m->transistors = count_in(&c[i], "Estimated number of transistors:");
		m->reg_bits = rs ? count_in(rs, "Number of cells:") : 0;
		m->top = &c[i] == t;
		a->hier_transistors_all += m->instances * (m->transistors + 16 * m->reg_bits);
		a->n_mods++;
	}
	return PS_OK;
}

static void add_module(struct rtl_area_comp *c, const struct rtl_area_mod *m)
{
	size_t len = strlen(c->modules);
	snprintf(c->modules + len, sizeof c->modules - len, "%s%s x%" PRIu64,
		 len ? ", " : "", m->name, m->instances);
}

const char *rtl_area_breakdown(const struct rtl_design *d,
			       const struct rtl_area *a,
			       struct rtl_area_comp *out)
{
	const char *unmapped = NULL;

	memset(out, 0, RTL_C_COUNT * sizeof *out);
	for (size_t i = 0; i < a->n_mods; i++) {
		const struct rtl_area_mod *m = &a->mods[i];
		int comp = RTL_C_CONTROL;
		if (!m->top) {
			size_t k = 0;
			while (k < RTL_MAX_PARTS && d->parts[k].module &&
			       strcmp(d->parts[k].module, m->name))
				k++;
			if (k < RTL_MAX_PARTS && d->parts[k].module)
				comp = d->parts[k].component;
			else if (!unmapped)
				unmapped = m->name;
		}
		out[comp].transistors += m->instances * m->transistors;
		add_module(&out[comp], m);
		if (m->reg_bits) {
			out[RTL_C_REGISTERS].reg_bits += m->instances * m->reg_bits;
			out[RTL_C_REGISTERS].transistors += m->instances * m->reg_bits * 16;
			add_module(&out[RTL_C_REGISTERS], m);
		}
	}
	return unmapped;
}

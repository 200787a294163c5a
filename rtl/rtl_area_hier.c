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
	int idx[MAX_SECTIONS];		/* section -> mods index */
	a->n_edges = 0;
	for (size_t i = 0; i < nc; i++) {
		struct rtl_area_mod *m = &a->mods[a->n_mods];
		const struct section *rs = find(r, nr, c[i].name, c[i].name_len);
		idx[i] = -1;
		if (!mult[i])
			continue;	/* not below the top */
		idx[i] = (int)a->n_mods;
		plain_name(&c[i], m->name, sizeof m->name);
		m->instances = mult[i];
		m->transistors = count_in(&c[i], "Estimated number of transistors:");
		m->reg_bits = rs ? count_in(rs, "Number of cells:") : 0;
		m->top = &c[i] == t;
		a->hier_transistors_all += m->instances * (m->transistors + 16 * m->reg_bits);
		a->n_mods++;
	}
	for (size_t j = 0; j < nc; j++)
		for (size_t i = 0; i < nc; i++) {
			uint64_t k = i != j && idx[j] >= 0 && idx[i] >= 0 ?
				     instances_in(&c[j], &c[i]) : 0;
			if (!k)
				continue;
			if (a->n_edges == RTL_AREA_MAX_EDGES)
				return ps_errf(err, PS_EINPUT,
					       "yosys hierarchical report: more than "
					       "%d module instantiations",
					       RTL_AREA_MAX_EDGES);
			a->edges[a->n_edges++] = (struct rtl_area_edge){
				.parent = (uint8_t)idx[j], .child = (uint8_t)idx[i],
				.count = k };
		}
	return PS_OK;
}

struct walk {
	const struct rtl_design *d;
	const struct rtl_area *a;
	struct rtl_area_comp *out;
	const char *unmapped;
};

/* Instance(s) of module m, `mult` of them, counted as component comp;
 * then what they instantiate. */
static void visit(struct walk *w, size_t m, int comp, uint64_t mult,
		  unsigned depth)
{
	const struct rtl_area_mod *mod = &w->a->mods[m];

	w->out[comp].transistors += mult * mod->transistors;
	w->out[comp].inst[m] += mult;
	if (mod->reg_bits) {
		w->out[RTL_C_REGISTERS].reg_bits += mult * mod->reg_bits;
		w->out[RTL_C_REGISTERS].transistors += mult * mod->reg_bits * 16;
		w->out[RTL_C_REGISTERS].inst[m] += mult;
	}
	if (depth > RTL_AREA_MAX_MODS)
		return;		/* not a DAG: a broken report */
	for (size_t e = 0; e < w->a->n_edges; e++) {
		const struct rtl_area_edge *x = &w->a->edges[e];
		const char *name = w->a->mods[x->child].name;
		int cc = comp;
		size_t k = 0;
		if (x->parent != m)
			continue;
		while (k < RTL_MAX_PARTS && w->d->parts[k].module &&
		       strcmp(w->d->parts[k].module, name))
			k++;
		if (k < RTL_MAX_PARTS && w->d->parts[k].module) {
			if (w->d->parts[k].component != RTL_C_INHERIT)
				cc = w->d->parts[k].component;
		} else if (!w->unmapped) {
			w->unmapped = name;
		}
		visit(w, x->child, cc, mult * x->count, depth + 1);
	}
}

const char *rtl_area_breakdown(const struct rtl_design *d,
			       const struct rtl_area *a,
			       struct rtl_area_comp *out)
{
	struct walk w = { .d = d, .a = a, .out = out };

	memset(out, 0, RTL_C_COUNT * sizeof *out);
	for (size_t i = 0; i < a->n_mods; i++)
		if (a->mods[i].top)
			visit(&w, i, RTL_C_CONTROL, 1, 0);
	for (int c = 0; c < RTL_C_COUNT; c++)
		for (size_t i = 0; i < a->n_mods; i++) {
			size_t len = strlen(out[c].modules);
			if (out[c].inst[i])
				snprintf(out[c].modules + len, sizeof out[c].modules - len,
					 "%s%s x%" PRIu64, len ? ", " : "",
					 a->mods[i].name, out[c].inst[i]);
		}
	return w.unmapped;
}

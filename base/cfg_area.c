/* cfg_area.c - a PE's area from its source (cfg_area.h). */
#include "cfg_area.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_arch.h"
#include "cfg_yaml.h"

#define E(f) offsetof(struct cfg_area_entry, f)
#define ES(f) sizeof(((struct cfg_area_entry *)0)->f)
static const struct cfg_field entry_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = E(name), .size = ES(name), .required = true },
	{ .key = "transistors", .type = CFG_INT, .offset = E(transistors), .required = true, .min = 1, .max = 1e15 },
	{ .key = "reg_bits", .type = CFG_INT, .offset = E(reg_bits), .required = true, .min = 0, .max = 1e15 },
	{ .key = "um2", .type = CFG_DOUBLE, .offset = E(um2), .required = true, .min = 0, .max = 1e15 },
	{ .key = "digest", .type = CFG_STR, .offset = E(digest), .size = ES(digest), .required = true },
	{ .key = "yosys", .type = CFG_STR, .offset = E(yosys), .size = ES(yosys), .required = true },
	{ 0 }
};

#define T(f) offsetof(struct cfg_area_table, f)
#define C(f) (T(cal.f) - T(cal))
#define CS(f) sizeof(((struct cfg_area_table *)0)->cal.f)
static const struct cfg_field cal_fields[] = {
	{ .key = "design", .type = CFG_STR, .offset = C(design), .size = CS(design), .required = true },
	{ .key = "entry", .type = CFG_STR, .offset = C(entry), .size = CS(entry), .required = true },
	{ .key = "paper_um2", .type = CFG_DOUBLE, .offset = C(paper_um2), .required = true, .min = 1e-6, .max = 1e12 },
	{ 0 }
};

static const struct cfg_field table_fields[] = {
	{ .key = "calibration", .type = CFG_MAP, .offset = T(cal), .fields = cal_fields, .required = true },
	{ .key = "designs", .type = CFG_SEQ, .offset = T(e), .size = sizeof(struct cfg_area_entry),
	  .required = true, .item = CFG_MAP, .fields = entry_fields, .count_offset = T(n),
	  .max_items = CFG_AREA_MAX },
	{ 0 }
};

const struct cfg_area_entry *cfg_area_find(const struct cfg_area_table *t,
					   const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].name, name))
			return &t->e[i];
	return NULL;
}

double cfg_area_scale(const struct cfg_area_table *t)
{
	const struct cfg_area_entry *c = cfg_area_find(t, t->cal.design);
	return c ? t->cal.paper_um2 / (double)c->transistors : NAN;
}

enum ps_status cfg_area_table_load(const char *path, struct cfg_area_table *t,
				   struct ps_err *err)
{
	enum ps_status st;

	memset(t, 0, sizeof *t);
	if ((st = cfg_load_file(path, table_fields, t, err)))
		return st;
	for (size_t i = 0; i < t->n; i++)
		if (cfg_area_find(t, t->e[i].name) != &t->e[i])
			return ps_errf(err, PS_EINPUT, "%s: designs[%zu].name: duplicate '%s'",
				       path, i, t->e[i].name);
	if (!cfg_area_find(t, t->cal.design))
		return ps_errf(err, PS_EINPUT,
			       "%s: calibration.design: '%s' is not in designs", path,
			       t->cal.design);
	snprintf(t->path, sizeof t->path, "%s", path);
	return PS_OK;
}

/* A count: digits, at least 1. */
static bool count(const char **p, double *v)
{
	char *end;
	unsigned long long n;
	if (!isdigit((unsigned char)**p))
		return false;
	n = strtoull(*p, &end, 10);
	*p = end;
	*v = (double)n;
	return n > 0;
}

/* [K*]design: its transistors x K into *sum. */
static enum ps_status term(const struct cfg_area_table *t, const char **p,
			   double *sum, struct ps_err *err)
{
	double k = 1;
	char name[64];
	size_t n = 0;
	const struct cfg_area_entry *e;

	if (isdigit((unsigned char)**p)) {
		if (!count(p, &k) || **p != '*')
			return ps_errf(err, PS_EINPUT, "expected COUNT*design at '%s'", *p);
		(*p)++;
	}
	while (isalnum((unsigned char)**p) || **p == '_') {
		if (n + 1 < sizeof name)
			name[n++] = **p;
		(*p)++;
	}
	name[n] = '\0';
	if (!n)
		return ps_errf(err, PS_EINPUT, "expected a design name at '%s'", *p);
	if (!(e = cfg_area_find(t, name)))
		return ps_errf(err, PS_EINPUT,
			       "no design '%s' in %s (`pesim area --help` lists the designs; "
			       "`pesim area --pe %s --table FILE` adds one)",
			       name, t->path, name);
	*sum += k * (double)e->transistors;
	return PS_OK;
}

enum ps_status cfg_area_rtl(const struct cfg_area_table *t, const char *expr,
			    double *um2, struct ps_err *err)
{
	const char *p = expr;
	double sum = 0, div = 1;
	bool paren = *p == '(';
	enum ps_status st;

	p += paren;
	for (;;) {
		if ((st = term(t, &p, &sum, err)))
			return st;
		if (*p != '+')
			break;
		p++;
	}
	if (paren && *p++ != ')')
		return ps_errf(err, PS_EINPUT, "'%s': expected ')'", expr);
	if (*p == '/') {
		p++;
		if (!count(&p, &div))
			return ps_errf(err, PS_EINPUT, "'%s': expected a PE count after '/'", expr);
	}
	if (*p)
		return ps_errf(err, PS_EINPUT,
			       "'%s': unexpected '%s' (rtl:DESIGN, or rtl:(K*DESIGN+...)/PES)",
			       expr, p);
	if (!paren && div != 1 && strchr(expr, '+'))
		return ps_errf(err, PS_EINPUT, "'%s': a sum divided needs parentheses", expr);
	/* multiplied first: the calibration design comes out as the paper's
	 * figure exactly */
	*um2 = sum * t->cal.paper_um2 /
	       (double)cfg_area_find(t, t->cal.design)->transistors / div;
	return PS_OK;
}

enum ps_status cfg_arch_area(const struct cfg_arch *a, double *um2,
			     struct ps_err *err)
{
	const char *src = a->pe.area_source;
	struct cfg_area_table *t;
	char path[1200];
	enum ps_status st;

	if (!src[0] || !strcmp(src, "estimate")) {
		*um2 = a->pe.area_um2;
		if (!(*um2 > 0) && src[0])
			return cfg_arch_errf(a, "pe.area_source", err,
					     "estimate: needs pe.area_um2, the figure");
		if (!(*um2 > 0))
			return cfg_arch_errf(a, "pe.area_um2", err,
					     "missing required field (the area: area_source "
					     "estimate, the default)");
		return PS_OK;
	}
	if (!strcmp(src, "paper")) {
		*um2 = a->pe.area_paper_um2;
		if (!(*um2 > 0))
			return cfg_arch_errf(a, "pe.area_source", err,
					     "paper: needs pe.area_paper_um2, the paper's figure");
		return PS_OK;
	}
	if (strncmp(src, "rtl:", 4))
		return cfg_arch_errf(a, "pe.area_source", err,
				     "'%s': expected rtl:DESIGN (our RTL), paper or estimate", src);
	if (!(t = malloc(sizeof *t)))
		return ps_errf(err, PS_ENOMEM, "out of memory");
	/* configs/area/rtl.yaml beside the arch's tree, else the installed one */
	cfg_arch_data_path(a, "area", "rtl.yaml", path, sizeof path);
	st = cfg_area_table_load(path, t, err);
	if (!st)
		st = cfg_area_rtl(t, src + 4, um2, err);
	free(t);
	if (st) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return cfg_arch_errf(a, "pe.area_source", err, "%s", msg);
	}
	return PS_OK;
}

void cfg_area_describe(const struct cfg_arch *a, char *buf, size_t n)
{
	const char *src = a->pe.area_source;
	double paper = a->pe.area_paper_um2;

	if (!strncmp(src, "rtl:", 4) && paper > 0)
		snprintf(buf, n, "%s (our RTL); paper: %.1f um2", src, paper);
	else if (!strncmp(src, "rtl:", 4))
		snprintf(buf, n, "%s (our RTL)", src);
	else if (!strcmp(src, "paper"))
		snprintf(buf, n, "paper: %.1f um2", paper);
	else if (paper > 0)
		snprintf(buf, n, "estimate; paper: %.1f um2", paper);
	else
		snprintf(buf, n, "estimate");
}

/* cfg_energy.c - energy reference table schema and loader. */
#include "cfg_energy.h"

#include <stdio.h>
#include <string.h>

#include "cfg_yaml.h"

const char *const cfg_source_names[] = { "paper", "datasheet", "synthesis",
					 "fit", NULL };
const char *const cfg_unit_names[] = {
#define X(id, s) s,
	CFG_UNITS(X)
#undef X
	NULL
};
const char *const cfg_ephase_names[] = { "any", "prefill", "decode", NULL };

#define EN(f) offsetof(struct cfg_energy_entry, f)
static const struct cfg_field entry_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = EN(name), .size = sizeof(((struct cfg_energy_entry *)0)->name), .required = true },
	{ .key = "phase", .type = CFG_ENUM, .offset = EN(phase), .names = cfg_ephase_names },
	{ .key = "value", .type = CFG_DOUBLE, .offset = EN(value), .required = true, .min = 0, .max = 1e12 },
	{ .key = "unit", .type = CFG_ENUM, .offset = EN(unit), .required = true, .names = cfg_unit_names },
	{ .key = "source", .type = CFG_ENUM, .offset = EN(source), .required = true, .names = cfg_source_names },
	{ .key = "ref", .type = CFG_STR, .offset = EN(ref), .size = sizeof(((struct cfg_energy_entry *)0)->ref), .required = true },
	{ 0 }
};

#define E(f) offsetof(struct cfg_energy, f)
static const struct cfg_field energy_fields[] = {
	{ .key = "id", .type = CFG_STR, .offset = E(id), .size = sizeof(((struct cfg_energy *)0)->id), .required = true },
	{ .key = "description", .type = CFG_STR, .offset = E(description), .size = sizeof(((struct cfg_energy *)0)->description) },
	{ .key = "technology", .type = CFG_STR, .offset = E(technology), .size = sizeof(((struct cfg_energy *)0)->technology) },
	{ .key = "entries", .type = CFG_SEQ, .offset = E(entries), .size = sizeof(struct cfg_energy_entry), .required = true,
	  .item = CFG_MAP, .fields = entry_fields,
	  .count_offset = E(n_entries), .max_items = CFG_MAX_ENTRIES },
	{ 0 }
};

enum ps_status cfg_energy_load(const char *path, struct cfg_energy *e,
			       struct ps_err *err)
{
	enum ps_status st;
	memset(e, 0, sizeof *e);
	st = cfg_load_file(path, energy_fields, e, err);
	if (st)
		return st;
	for (size_t i = 0; i < e->n_entries; i++)
		for (size_t k = 0; k < i; k++)
			if (!strcmp(e->entries[i].name, e->entries[k].name) &&
			    e->entries[i].phase == e->entries[k].phase)
				return ps_errf(err, PS_EINPUT,
					       "%s: entries[%zu].name: duplicate entry '%s' (phase %s)",
					       path, i, e->entries[i].name,
					       cfg_ephase_names[e->entries[i].phase]);
	snprintf(e->path, sizeof e->path, "%s", path);
	return PS_OK;
}

const struct cfg_energy_entry *cfg_energy_find(const struct cfg_energy *e,
					       const char *name, int phase)
{
	const struct cfg_energy_entry *any = NULL;
	int want = phase ? CFG_EPH_DECODE : CFG_EPH_PREFILL;
	for (size_t i = 0; i < e->n_entries; i++) {
		const struct cfg_energy_entry *x = &e->entries[i];
		if (strcmp(x->name, name))
			continue;
		if (x->phase == want)
			return x;
		if (x->phase == CFG_EPH_ANY)
			any = x;
	}
	return any;
}

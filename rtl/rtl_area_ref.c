/* rtl_area_ref.c - the published figures of area-reference.yaml. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cfg_yaml.h"
#include "rtl_area.h"
#include "rtl_design.h"

static const char *const kind_names[] = { "area", "ratio", NULL };

#define RP(f) offsetof(struct rtl_ref_comp, f)
#define RPS(f) sizeof(((struct rtl_ref_comp *)0)->f)
static const struct cfg_field comp_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = RP(name), .size = RPS(name), .required = true },
	{ .key = "ours", .type = CFG_ENUM, .offset = RP(ours), .names = rtl_component_names, .required = true },
	{ .key = "um2", .type = CFG_DOUBLE, .offset = RP(um2), .min = 0, .max = 1e12 },
	{ .key = "note", .type = CFG_STR, .offset = RP(note), .size = RPS(note) },
	{ 0 }
};

#define RE(f) offsetof(struct rtl_ref_entry, f)
#define RS(f) sizeof(((struct rtl_ref_entry *)0)->f)
static const struct cfg_field entry_fields[] = {
	{ .key = "id", .type = CFG_STR, .offset = RE(id), .size = RS(id), .required = true },
	{ .key = "label", .type = CFG_STR, .offset = RE(label), .size = RS(label), .required = true },
	{ .key = "kind", .type = CFG_ENUM, .offset = RE(kind), .names = kind_names, .required = true },
	{ .key = "um2", .type = CFG_DOUBLE, .offset = RE(um2), .min = 0, .max = 1e12 },
	{ .key = "um2_no_regs", .type = CFG_DOUBLE, .offset = RE(um2_no_regs), .min = 0, .max = 1e12 },
	{ .key = "power_mw", .type = CFG_DOUBLE, .offset = RE(power_mw), .min = 0, .max = 1e9 },
	{ .key = "ratio", .type = CFG_DOUBLE, .offset = RE(ratio), .min = 0, .max = 1e9 },
	{ .key = "source", .type = CFG_STR, .offset = RE(source), .size = RS(source), .required = true },
	{ .key = "components", .type = CFG_SEQ, .offset = RE(comps), .size = sizeof(struct rtl_ref_comp),
	  .item = CFG_MAP, .fields = comp_fields, .count_offset = RE(n_comps),
	  .max_items = RTL_REF_MAX_COMPS },
	{ 0 }
};

#define RC(f) offsetof(struct rtl_area_cal, f)
#define RCS(f) sizeof(((struct rtl_area_cal *)0)->f)
static const struct cfg_field cal_fields[] = {
	{ .key = "design", .type = CFG_STR, .offset = RC(design), .size = RCS(design), .required = true },
	{ .key = "entry", .type = CFG_STR, .offset = RC(entry), .size = RCS(entry), .required = true },
	{ 0 }
};

#define RF(f) offsetof(struct rtl_area_ref, f)

static const struct cfg_field ref_fields[] = {
	{ .key = "calibration", .type = CFG_MAP, .offset = RF(cal), .fields = cal_fields, .required = true },
	{ .key = "entries", .type = CFG_SEQ, .offset = RF(entries), .size = sizeof(struct rtl_ref_entry), .required = true,
	  .item = CFG_MAP, .fields = entry_fields,
	  .count_offset = RF(n_entries), .max_items = RTL_REF_MAX },
	{ 0 }
};

const struct rtl_ref_entry *rtl_area_ref_find(const struct rtl_area_ref *r,
					      const char *id)
{
	for (size_t i = 0; i < r->n_entries; i++)
		if (!strcmp(r->entries[i].id, id))
			return &r->entries[i];
	return NULL;
}

enum ps_status rtl_area_ref_load(const char *path, struct rtl_area_ref *r,
				 struct ps_err *err)
{
	const struct rtl_ref_entry *cal;
	enum ps_status st;

	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < RTL_REF_MAX; i++) {
		struct rtl_ref_entry *e = &r->entries[i];
		e->um2 = e->um2_no_regs = e->power_mw = e->ratio = NAN;
		for (size_t k = 0; k < RTL_REF_MAX_COMPS; k++)
			e->comps[k].um2 = NAN;
	}
	st = cfg_load_file(path, ref_fields, r, err);
	if (st)
		return st;
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct rtl_ref_entry *e = &r->entries[i];
		if (rtl_area_ref_find(r, e->id) != e)
			return ps_errf(err, PS_EINPUT, "%s: entries[%zu].id: duplicate '%s'",
				       path, i, e->id);
		if (e->kind == RTL_REF_AREA && isnan(e->um2))
			return ps_errf(err, PS_EINPUT, "%s: entries[%zu] (%s): an area entry needs um2",
				       path, i, e->id);
		if (e->kind == RTL_REF_RATIO && isnan(e->ratio))
			return ps_errf(err, PS_EINPUT, "%s: entries[%zu] (%s): a ratio entry needs ratio",
				       path, i, e->id);
	}
	cal = rtl_area_ref_find(r, r->cal.entry);
	if (!cal || cal->kind != RTL_REF_AREA)
		return ps_errf(err, PS_EINPUT,
			       "%s: calibration.entry: '%s' is not an area entry", path,
			       r->cal.entry);
	snprintf(r->path, sizeof r->path, "%s", path);
	return PS_OK;
}

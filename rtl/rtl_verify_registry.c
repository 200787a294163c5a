/* rtl_verify_registry.c - the PEs `pesim verify` knows: each family's
 * verify table (rtl_family.h), in families.def order. */
#include <string.h>

#include "rtl_family.h"
#include "rtl_verify.h"

void rtl_verify_each(void (*f)(const struct rtl_verify_pe *pe, void *ctx),
		     void *ctx)
{
	for (const struct rtl_family_entry *fam = rtl_families; fam->name; fam++)
		for (const struct rtl_verify_pe *p = fam->rtl->verify; p && p->name; p++)
			f(p, ctx);
}

struct find {
	const char *name;
	const struct pe_params *p;
	const struct rtl_verify_pe *by_name, *by_family;
};

/* Every field the PE sets (nonzero) equals p's; BitMoD's exponent match
 * (emax_all) either way. */
static bool params_match(const struct pe_params *pe, const struct pe_params *p)
{
#define F(x) (!pe->x || pe->x == p->x)
	return F(lanes) && F(weight_bits) && F(code_bits) && F(act_bits) && F(group_size) &&
	       F(a_bits) && F(scale_bits) && F(table_bits) &&
	       (!pe->bit_serial || p->bit_serial) && pe->emax_all == p->emax_all;
#undef F
}

static void find_one(const struct rtl_verify_pe *pe, void *ctx)
{
	struct find *f = ctx;

	if (f->p) {
		if (!f->by_family && !strcmp(pe->family, f->name) &&
		    params_match(&pe->params, f->p))
			f->by_family = pe;
		return;
	}
	if (!f->by_name && !strcmp(pe->name, f->name))
		f->by_name = pe;
	if (!f->by_family && !strcmp(pe->family, f->name))
		f->by_family = pe;
}

const struct rtl_verify_pe *rtl_verify_find(const char *name)
{
	struct find f = { .name = name };
	if (!name)
		return NULL;
	rtl_verify_each(find_one, &f);
	return f.by_name ? f.by_name : f.by_family;
}

const struct rtl_verify_pe *rtl_verify_match(const char *family,
					     const struct pe_params *p)
{
	struct find f = { .name = family, .p = p };
	if (!family || !p)
		return NULL;
	rtl_verify_each(find_one, &f);
	return f.by_family;
}

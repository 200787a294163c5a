/* rtl_verify_registry.c - the PEs `pesim verify` knows: each family's
 * array (rtl/<family>/verify_<family>.c; one extern line, one entry). */
#include <string.h>

#include "rtl_verify.h"

/* extern declarations: one per family */
extern const struct rtl_verify_pe rtl_verify_baseline[];
extern const struct rtl_verify_pe rtl_verify_mixpe[];
extern const struct rtl_verify_pe rtl_verify_ant[];
extern const struct rtl_verify_pe rtl_verify_flightllm[];
extern const struct rtl_verify_pe rtl_verify_lut_tc[];
extern const struct rtl_verify_pe rtl_verify_bitmod[];

const struct rtl_verify_pe *const rtl_verify_families[] = {
	/* entries: one per family */
	rtl_verify_baseline,
	rtl_verify_mixpe,
	rtl_verify_ant,
	rtl_verify_flightllm,
	rtl_verify_lut_tc,
	rtl_verify_bitmod,
	NULL,
};

void rtl_verify_each(void (*f)(const struct rtl_verify_pe *pe, void *ctx),
		     void *ctx)
{
	for (size_t i = 0; rtl_verify_families[i]; i++)
		for (const struct rtl_verify_pe *p = rtl_verify_families[i];
		     p->name; p++)
			f(p, ctx);
}

struct find {
	const char *name;
	const struct pe_params *p;
	const struct rtl_verify_pe *by_name, *by_family;
};

/* Every field the PE sets (nonzero) equals p's. */
static bool params_match(const struct pe_params *pe, const struct pe_params *p)
{
#define F(x) (!pe->x || pe->x == p->x)
	return F(lanes) && F(weight_bits) && F(code_bits) && F(act_bits) && F(group_size) &&
	       F(a_bits) && F(scale_bits) && F(table_bits) &&
	       (!pe->bit_serial || p->bit_serial);
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

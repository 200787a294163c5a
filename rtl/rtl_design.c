/* rtl_design.c - the designs of every family and rtl/common/, in order
 * (rtl_design.h), and where the Verilog is. */
#include "rtl_design.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_path.h"
#include "rtl_family.h"

/* Table i: family i's designs (NULL: none), then after the last family
 * the common ones; false past those. */
static bool table(size_t i, const struct rtl_design **t, const char **family)
{
	for (const struct rtl_family_entry *f = rtl_families; f->name; f++, i--)
		if (!i) {
			*t = f->rtl->designs;
			*family = f->name;
			return true;
		}
	*t = rtl_common_designs;
	*family = "common";
	return i == 0;
}

const struct rtl_design *rtl_design_next(const struct rtl_design *d)
{
	const struct rtl_design *t;
	const char *family;
	bool seen = !d;

	for (size_t i = 0; table(i, &t, &family); i++)
		for (; t && t->name; t++) {
			if (seen)
				return t;
			seen = t == d;
		}
	return NULL;
}

const char *rtl_design_family(const struct rtl_design *d)
{
	const struct rtl_design *t;
	const char *family;

	for (size_t i = 0; table(i, &t, &family); i++)
		for (; t && t->name; t++)
			if (t == d)
				return family;
	return NULL;
}

const struct rtl_design *rtl_design_find(const char *name)
{
	for (const struct rtl_design *d = rtl_design_next(NULL); d;
	     d = rtl_design_next(d))
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

const char *const rtl_component_names[RTL_C_COUNT + 1] = {
	[RTL_C_DECODER] = "decoder",
	[RTL_C_ALIGNER] = "aligner",
	[RTL_C_MULTIPLIER] = "multiplier/shifter",
	[RTL_C_TREE] = "adder tree",
	[RTL_C_ACCUMULATOR] = "accumulator",
	[RTL_C_DEQUANT] = "dequantizer",
	[RTL_C_NORMALIZE] = "normalize/round",
	[RTL_C_SELECT] = "select/forward",
	[RTL_C_CONTROL] = "control",
	[RTL_C_REGISTERS] = "registers",
	[RTL_C_COUNT] = NULL,
};

int rtl_component_find(const char *name)
{
	for (int i = 0; i < RTL_C_COUNT; i++)
		if (!strcmp(rtl_component_names[i], name))
			return i;
	return -1;
}

const char *rtl_dir(void)
{
	static char buf[4096];
	return ps_data_dir("PESIM_RTL", "rtl", buf, sizeof buf);
}

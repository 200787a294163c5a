/* rtl_family.c - every family's RTL descriptor (rtl_family.h), generated
 * from pe_models/families.def. */
#include "rtl_family.h"

#include <string.h>

#define PE_FAMILY(name, folder) extern const struct rtl_family rtl_family_##name;
#include "families.def"
#undef PE_FAMILY

const struct rtl_family_entry rtl_families[] = {
#define PE_FAMILY(name, folder) { #name, #folder, &rtl_family_##name },
#include "families.def"
#undef PE_FAMILY
	{ NULL, NULL, NULL },
};

const struct rtl_family_entry *rtl_family_find(const char *name)
{
	for (const struct rtl_family_entry *f = rtl_families; name && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

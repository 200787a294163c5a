/* pe_bt_registry.c - the bit-true models, by name: every family's
 * descriptor lists its own (pe_family.bt_models). */
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "pe_bt.h"

void *pe_bt_state_new(const struct pe_bt_ops *ops)
{
	size_t n = (ops->state_size + PE_BT_STATE_ALIGN - 1) / PE_BT_STATE_ALIGN *
		   PE_BT_STATE_ALIGN;
	void *s = aligned_alloc(PE_BT_STATE_ALIGN, n ? n : PE_BT_STATE_ALIGN);
	if (s)
		memset(s, 0, n);
	return s;
}

const struct pe_bt_ops *pe_bt_find(const char *name)
{
	for (size_t f = 0; name && pe_families[f]; f++)
		for (const struct pe_bt_ops *const *m = pe_families[f]->bt_models;
		     m && *m; m++)
			if (!strcmp((*m)->name, name))
				return *m;
	return NULL;
}

void pe_bt_each(void (*fn)(const struct pe_bt_ops *m, void *ctx), void *ctx)
{
	for (size_t f = 0; pe_families[f]; f++)
		for (const struct pe_bt_ops *const *m = pe_families[f]->bt_models;
		     m && *m; m++)
			fn(*m, ctx);
}

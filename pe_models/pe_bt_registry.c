/* pe_bt_registry.c - the bit-true models, by name. Each family adds its
 * ops table to the list (one extern line, one entry). */
#include <string.h>

#include "pe_bt.h"

/* extern declarations: one per model */

const struct pe_bt_ops *const pe_bt_models[] = {
	/* entries: one per model */
	NULL,
};

const struct pe_bt_ops *pe_bt_find(const char *name)
{
	for (size_t i = 0; pe_bt_models[i]; i++)
		if (!strcmp(pe_bt_models[i]->name, name))
			return pe_bt_models[i];
	return NULL;
}

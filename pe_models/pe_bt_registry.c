/* pe_bt_registry.c - the bit-true models, by name. Each family adds its
 * ops table to the list (one extern line, one entry). */
#include <string.h>

#include "pe_bt.h"

/* extern declarations: one per model */
extern const struct pe_bt_ops pe_bitmod_pe_bt, pe_bitmod_array4x4_bt;
extern const struct pe_bt_ops pe_mixpe_pe_bt, pe_mixpe_array_bt;
extern const struct pe_bt_ops pe_fp16_mac_bt;
extern const struct pe_bt_ops pe_int8_mac_bt;
extern const struct pe_bt_ops pe_bitfusion_mac_bt;
extern const struct pe_bt_ops pe_ant_mac_bt;
extern const struct pe_bt_ops pe_olive_mac_bt;
extern const struct pe_bt_ops pe_lut_tc_pre_bt, pe_lut_tc_tile_bt;
extern const struct pe_bt_ops pe_dsp48e2_bt, pe_flightllm_chain_bt;

const struct pe_bt_ops *const pe_bt_models[] = {
	/* entries: one per model */
	&pe_bitmod_pe_bt, &pe_bitmod_array4x4_bt,
	&pe_mixpe_pe_bt, &pe_mixpe_array_bt,
	&pe_fp16_mac_bt,
	&pe_int8_mac_bt,
	&pe_bitfusion_mac_bt,
	&pe_ant_mac_bt,
	&pe_olive_mac_bt,
	&pe_lut_tc_pre_bt, &pe_lut_tc_tile_bt,
	&pe_dsp48e2_bt, &pe_flightllm_chain_bt,
	NULL,
};

const struct pe_bt_ops *pe_bt_find(const char *name)
{
	for (size_t i = 0; pe_bt_models[i]; i++)
		if (!strcmp(pe_bt_models[i]->name, name))
			return pe_bt_models[i];
	return NULL;
}

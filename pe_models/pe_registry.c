/* pe_registry.c - family name -> ops table. */
#include "pe.h"

#include <stddef.h>

extern const struct pe_ops pe_fp16_mac_ops;
extern const struct pe_ops pe_int8_mac_ops;
extern const struct pe_ops pe_bitfusion_ops;
extern const struct pe_ops pe_ant_ops;
extern const struct pe_ops pe_olive_ops;
extern const struct pe_ops pe_bitmod_ops;
extern const struct pe_ops pe_mixpe_ops;
extern const struct pe_ops pe_lut_tc_ops;
extern const struct pe_ops pe_flightllm_ops;

const struct pe_ops *pe_family_ops(int family)
{
	switch (family) {
	case CFG_FAM_FP16:
		return &pe_fp16_mac_ops;
	case CFG_FAM_INT8:
		return &pe_int8_mac_ops;
	case CFG_FAM_BITFUSION:
		return &pe_bitfusion_ops;
	case CFG_FAM_ANT:
		return &pe_ant_ops;
	case CFG_FAM_OLIVE:
		return &pe_olive_ops;
	case CFG_FAM_BITMOD:
		return &pe_bitmod_ops;
	case CFG_FAM_MIXPE:
		return &pe_mixpe_ops;
	case CFG_FAM_LUT_TC:
		return &pe_lut_tc_ops;
	case CFG_FAM_FLIGHTLLM:
		return &pe_flightllm_ops;
	default:
		return NULL;
	}
}

void pe_params_from_arch(const struct cfg_arch *a, const char *model,
			 int phase, struct pe_params *p)
{
	p->lanes = a->pe.lanes;
	p->bit_serial = a->pe.bit_serial;
	p->weight_bits = cfg_arch_weight_bits(a, model, phase);
	p->act_bits = a->pe.act_bits;
	p->group_size = a->pe.group_size;
	p->table_bits = a->pe.table_bits;
	p->a_bits = a->pe.act_bits;
	p->scale_bits = 8;	/* BitMoD's integer group scale (bitmod.md) */
}

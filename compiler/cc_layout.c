/* cc_layout.c - how each PE family lays its operands out in memory, as the
 * mapper needs it: bits per element of codes and side data, table storage,
 * alignment of K tiles. Facts: shared/reference/ (per family). */
#include <math.h>
#include <string.h>

#include "cc_map.h"

uint64_t cc_bits_to_bytes(double elems, double bits)
{
	return (uint64_t)ceil(elems * bits / 8.0);
}

void cc_layout_for(const struct cfg_arch *a, const struct cc_gemm *g,
		   struct cc_layout *l)
{
	double wb = g->w_bits;
	memset(l, 0, sizeof *l);
	l->a_bits = a->pe.act_bits;
	l->out_bits = a->pe.act_bits;
	l->acc_bits = a->pe.acc_bits;
	l->k_align = 1;

	if (g->kind != WL_LINEAR) {
		/* attention: B is the KV cache, activations at kv_bits, no groups */
		l->code_bits = a->pe.kv_bits;
		l->wbits = a->pe.kv_bits;
		return;
	}
	/* The arch's stored bits per weight split into codes (integer part)
	 * and side data (the fraction: group scales, selectors, zeros), e.g.
	 * BitMoD 4.0625 = 4-bit codes + 8-bit scale per 128 weights. */
	l->code_bits = floor(wb);
	l->side_bits = wb - l->code_bits;
	l->wbits = (uint32_t)l->code_bits;
	l->group = a->pe.group_size;
	l->k_align = a->pe.group_size;

	switch (a->pe.family) {
	case CFG_FAM_BITMOD:
		/* codes are fed term by term (bit planes for INT via Booth); the
		 * bit-serial dequantizer runs once per group */
		l->dequant = true;
		break;
	case CFG_FAM_MIXPE:
		/* dequantize after the group: scale x (sum a.q - zero x sum a) */
		l->dequant = true;
		break;
	case CFG_FAM_LUT_TC: {
		/* symmetrized tables: 2^(k-1) entries per lut_k activations,
		 * held beside the activations in the input buffer */
		uint32_t entries = 1u << (a->pe.lut_k - 1);
		l->precompute = true;
		l->table_entries = entries;
		l->table_bits_per_a = (double)entries * a->pe.table_bits / a->pe.lut_k;
		l->tables_per_k = a->pe.lut_k;
		break;
	}
	case CFG_FAM_FLIGHTLLM:
		/* N:M (M = 16): only the kept values are stored, plus per
		 * 16-block a count byte and a 4-bit index per kept value */
		if (a->pe.nm_n) {
			double kept = a->pe.nm_n / 16.0;
			l->code_bits *= kept;
			l->side_bits += (8.0 + 4.0 * a->pe.nm_n) / 16.0;
			l->k_align = l->group > 16 ? l->group : 16;
		}
		break;
	default:
		break;
	}
}

/* cc_layout.c - how a GEMM's operands lie in memory, as the mapper needs
 * it: bits per element of codes and side data, K-tile alignment; the
 * family's layout hook (pe_family.layout) adds what only it has
 * (dequantization, tables, sparse storage). */
#include <math.h>
#include <string.h>

#include "cc_map.h"

void cc_layout_for(const struct cfg_arch *a, const struct cc_gemm *g,
		   struct pe_layout *l)
{
	const struct pe_family *f = pe_family_of(a);
	struct pe_params p;
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
	/* The stored bits per weight split into codes (integer part) and side
	 * data (the fraction: group scales, selectors, zeros), e.g. bitmod4:
	 * 4.0625 = 4-bit codes + an 8-bit scale per 128 weights. */
	pe_params_from_arch(a, g->model, g->phase, &p);
	l->code_bits = floor(wb);
	l->side_bits = wb - l->code_bits;
	l->wbits = (uint32_t)l->code_bits;
	l->group = p.group_size;
	l->k_align = p.group_size ? p.group_size : CC_K_UNIT;
	if (f->layout)
		f->layout(a, &p, l);
}

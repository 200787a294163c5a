/* pe_bitmod.c - timing of BitMoD's term-serial PE (bitmod.md, "PE
 * micro-architecture").
 *
 * Each lane consumes one weight term per cycle. INT weights are radix-4 Booth
 * encoded, 2 bits per term: ceil(b/2) cycles for b-bit INT (INT8 4, INT6 3,
 * INT4 2). FP3/FP4 weights, special values included, have at most two terms:
 * 2 cycles. The stored average bits (b + 0.0625 for the 8-bit group scale per
 * 128 weights) are floored to the integer datatype width first, as the
 * paper's model does: 4.0625 -> 4 -> 2 cycles, 6.0625 -> 6 -> 3 cycles,
 * 3.0625 (FP3) -> 3 -> 2 cycles. A PE that is not bit-serial takes 1 cycle.
 *
 * Tile timing: the generic systolic array (pe_systolic.c) with the PE's
 * lanes (4 in the paper) along K and the step cycles above.
 * Dequantization: the group sum is multiplied by the integer group scale one
 * scale bit per cycle (bit-serial, MSB first), so a group costs scale_bits
 * cycles (8 in the paper); the unit pipelines behind the accumulators, so
 * only the last group of an output tile is exposed: dq_cycles = scale_bits
 * per output tile.
 *
 * The bit-true model (pe_bitmod_pe.c, pe_bitmod_array.c, README.md) has its
 * own closed form, pe_bitmod_tile_cycles, which gemm_bt reports.
 */
#include "pe.h"

#include <math.h>

#include "pe_bitmod_bt.h"

static uint32_t bitmod_step_cycles(const struct pe_params *p)
{
	uint32_t b;
	if (!p->bit_serial)
		return 1;
	b = (uint32_t)floor(p->weight_bits);
	return (b + 1) / 2;
}

static void bitmod_tile_timing(const struct pe_params *p,
			       const struct pe_array *a,
			       const struct pe_tile *t, bool compat,
			       struct pe_tile_timing *out)
{
	/* steps, busy PE-cycles and compat cycles from the shared systolic
	 * model; cycle-mode cycles from the bit-true array's closed form
	 * (pe_bitmod_gemm.c), which its tests prove equal to stepping and
	 * which already holds the per-group dequantizer */
	pe_systolic_timing(a, t, p->lanes, bitmod_step_cycles(p), compat, out);
	if (!compat && p->lanes >= 1 && p->lanes <= 4 && t->m && t->n && t->k) {
		uint64_t c = pe_bitmod_tile_cycles(p, a, t);
		out->fill = out->drain = 0;
		if (c > out->steps * bitmod_step_cycles(p))
			out->fill = c - out->steps * bitmod_step_cycles(p);
		out->cycles = c;
	}
}

/* The dequantizer's cycles are inside tile_timing's closed form. */
static uint32_t bitmod_dq_cycles(const struct pe_params *p)
{
	(void)p;
	return 0;
}

const struct pe_ops pe_bitmod_ops = {
	.version = PE_OPS_VERSION,
	.name = "bitmod",
	.summary = "BitMoD term-serial PE: 4 lanes, one Booth/FP term per lane per cycle",
	.step_cycles = bitmod_step_cycles,
	.tile_timing = bitmod_tile_timing,
	.dq_cycles = bitmod_dq_cycles,
	.gemm_bt = pe_bitmod_gemm_bt,
};

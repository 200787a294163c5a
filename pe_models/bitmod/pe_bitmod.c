/* pe_bitmod.c - timing of BitMoD's term-serial PE (bitmod.md, "PE
 * micro-architecture").
 *
 * Each lane consumes one weight term per cycle. INT weights are radix-4 Booth
 * encoded, 2 bits per term: ceil(b/2) cycles for b-bit INT (INT8 4, INT6 3,
 * INT4 2). FP3/FP4 weights, special values included, have at most two terms:
 * 2 cycles. The stored average bits (b + 0.0625 for the 8-bit group scale per
 * 128 weights) are floored to the integer datatype width first, as the
 * paper's model does: 4.0625 -> 4 -> 2 cycles, 6.0625 -> 6 -> 3 cycles,
 * 3.0625 (FP3) -> 3 -> 2 cycles. A PE that is not bit-serial takes 1 cycle. */
#include "pe.h"

#include <math.h>

static uint32_t bitmod_step_cycles(const struct pe_params *p)
{
	uint32_t b;
	if (!p->bit_serial)
		return 1;
	b = (uint32_t)floor(p->weight_bits);
	return (b + 1) / 2;
}

const struct pe_ops pe_bitmod_ops = {
	.version = PE_OPS_VERSION,
	.name = "bitmod",
	.summary = "BitMoD term-serial PE: 4 lanes, one Booth/FP term per lane per cycle",
	.step_cycles = bitmod_step_cycles,
};

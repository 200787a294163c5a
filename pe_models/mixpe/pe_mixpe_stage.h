/* pe_mixpe_stage.h - private to pe_models/mixpe/ (and its tests): the
 * pieces of a MixPE PE that the single PE (pe_mixpe_pe.c) and the array's
 * rows of PEs (pe_mixpe_array.c) share, so the PE logic exists once.
 *
 * The lane products are computed as plain products: a x w for INT8 (exact
 * integers), RNE16(a x w) for FP16 (one binary32 product of two halves is
 * exact, then one rounding). They are the numbers the shift&add datapath
 * forms (pe_mixpe_int_lanes, pe_mixpe_fp_product: README "Numerics");
 * test_pe_mixpe holds the two forms equal on every INT8 and FP16 operand
 * and every weight code, broken variants included. */
#ifndef PE_MIXPE_STAGE_H
#define PE_MIXPE_STAGE_H

#include "pe_fp16.h"
#include "pe_mixpe.h"

/* Lane i's weight code of w_in (its low b bits) and the signed value the
 * PE multiplies by (PE_MIXPE_BUG_MSB_POS: read as unsigned). */
static inline unsigned pe_mixpe_wcode(const struct pe_mixpe_cfg *c,
				      uint16_t w, unsigned i)
{
	return (w >> (4 * i)) & ((1u << c->wbits) - 1);
}

static inline int pe_mixpe_wval(const struct pe_mixpe_cfg *c, unsigned code)
{
	if (c->bugs & PE_MIXPE_BUG_MSB_POS)
		return (int)code;
	return (int)code - (int)((code >> (c->wbits - 1)) << c->wbits);
}

/* Set bits of a weight code (the shifted copies the lane adds), or of a
 * 4-bit lane set (a table: no popcount instruction needed). */
static inline unsigned pe_mixpe_terms(unsigned code)
{
	static const uint8_t pop4[16] = { 0, 1, 1, 2, 1, 2, 2, 3,
					  1, 2, 2, 3, 2, 3, 3, 4 };
	return pop4[code & 15];
}

/* x as a two's complement number of `bits` (<= 32) bits: the INT8
 * accumulators wrap as an RTL adder does. */
static inline int32_t pe_mixpe_wrap(int32_t x, unsigned bits)
{
	unsigned sh = 32 - bits;
	return (int32_t)((uint32_t)x << sh) >> sh;
}

/* RNE16(a x w) of an FP16 activation and a small integer weight (NaN:
 * the default NaN; inf x 0 is NaN; a zero product's sign is sign(a) XOR
 * (w < 0)). */
static inline uint16_t pe_mixpe_f16_product(uint16_t a, int w)
{
	float p = pe_f16_widen(a) * (float)w;
	return pe_f32_is_nan(p) ? 0x7e00 : pe_f16_narrow(p);
}

/* RNE16(s x D) for the INT8 path's integer D: s has 11 significant bits
 * and |D| < 2^42, so the product is exact in double and rounds once. */
static inline uint16_t pe_mixpe_f16_scale_int(uint16_t s, int64_t d)
{
	unsigned sign = (s >> 15) ^ (d < 0);
	if ((s & 0x7c00) == 0x7c00) {
		if ((s & 0x3ff) || d == 0)
			return 0x7e00;
		return (uint16_t)((sign << 15) | 0x7c00);
	}
	return pe_f16_from_f64(pe_f16_to_f64(s) * (double)d);
}

/* The dequantizer of one finished group (README "Pipeline": D1 at the
 * edge after A hands it over, D2, then D3 at the third edge), evaluated
 * when A hands it over. D1..D3 have no ports and a PE's groups pass them
 * in order, one per edge at most, so evaluating a group's three stages at
 * once, in the order of the handovers, gives D3 the same output
 * accumulator; the PE delays the events: D1's count by 1 edge, D3's load
 * of the result register by PE_MIXPE_DQ_LATENCY - 1. Returns whether the
 * group is its output's last (D3 loads *fin). */
static inline __attribute__((always_inline)) bool pe_mixpe_dq_group(
	const struct pe_mixpe_cfg *c, uint16_t *oacc, int32_t acc, int32_t sa,
	uint16_t scale, uint8_t zero, bool ofirst, bool last, uint16_t *fin)
{
	bool nz = c->bugs & PE_MIXPE_BUG_NO_ZERO;
	int32_t z = (int32_t)zero - (int32_t)((zero & 0x80) << 1);
	uint16_t y;

	if (!c->fp16) {
		/* D1 exact, D2 rounds once */
		int64_t d = nz ? acc : (int64_t)acc - (int64_t)z * sa;
		y = pe_mixpe_f16_scale_int(scale, d);
	} else {
		/* z (8-bit integer) is exact in FP16; z x sum a rounds
		 * once, then acc - that, then s x D */
		uint16_t zm = pe_f16_mul(pe_f16_from_f64((double)z), (uint16_t)sa);
		uint16_t d = nz ? (uint16_t)acc
				: pe_f16_add((uint16_t)acc, pe_f16_neg(zm));
		y = pe_f16_mul(scale, d);
	}
	/* D3, without a branch on the output's first group (random in a
	 * stimulus: a mispredicted branch costs more than the add) */
	uint16_t sum = pe_f16_add(*oacc, y), mf = (uint16_t)-(uint16_t)ofirst;
	*fin = (uint16_t)((y & mf) | (sum & ~mf));
	*oacc = *fin;
	return last;
}

/* One edge of the result register / drain-chain slot (README "Array"),
 * given as its four registers: load (D3 finished an output, fin) wins;
 * else it takes the value above (sh_*: the slot above's pre-edge
 * registers) iff sh_valid && (sh_drain || start); its own value leaves iff
 * valid && (drain || start). load and the sh_* bits are 0 or 1. Returns
 * whether it took the value above.
 * Without branches: the neighbours' ports change from edge to edge, and
 * the array steps a row of slots in a loop GCC vectorises. */
static inline unsigned pe_mixpe_slot_next(unsigned load, uint16_t fin,
					  unsigned sh_valid, unsigned sh_drain,
					  uint16_t sh, unsigned start,
					  uint8_t *valid, uint8_t *drain,
					  uint8_t *done, uint16_t *res)
{
	unsigned nl = load ^ 1u, mv_in = sh_valid & (sh_drain | start) & nl;
	unsigned mv_out = *valid & (*drain | start) & nl & (mv_in ^ 1u);
	uint16_t ml = (uint16_t)-load, mi = (uint16_t)-mv_in;
	*done = (uint8_t)load;
	*res = (uint16_t)((fin & ml) | (~ml & ((sh & mi) | (*res & ~mi))));
	*valid = (uint8_t)((*valid & (mv_out ^ 1u)) | load | mv_in);
	*drain = (uint8_t)((*drain & (mv_out ^ 1u) & nl) | mv_in);
	return mv_in;
}

#endif

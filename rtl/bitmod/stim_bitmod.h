/* stim_bitmod.h - `pesim verify` stimulus of the BitMoD PE and 4x4 array
 * (rtl/bitmod/, golden models bitmod_pe and bitmod_array4x4): what the
 * two generators (stim_bitmod_pe.c, stim_bitmod_array.c) share, and their
 * ops tables for rtl_bitmod.c. */
#ifndef STIM_BITMOD_H
#define STIM_BITMOD_H

#include <stdbool.h>
#include <stdint.h>

#include "bitmod/pe_bitmod_bt.h"
#include "rtl_verify.h"

/* The PE's lanes and group-scale bits from its params
 * (pe_bitmod_cfg_default, checked); PS_EINPUT when they do not fit. */
enum ps_status bm_stim_cfg(const struct pe_params *p, unsigned *lanes,
			   unsigned *scale_bits, struct ps_err *err);

/* An FP16 activation: regime 0 body (2^-6..2^7), 1 tiny (2^-24..2^-6),
 * 2 huge (2^5..65504), 3 subnormal, 4 raw bits (Inf/NaN included),
 * 5 mixed with 1/32 specials (rtl_stim_f16_special), 6 special, 7
 * zero-heavy body (half zeros). */
uint16_t bm_rand_f16(uint64_t *s, int regime);
/* A regime for a new dot (mostly body). */
int bm_rand_regime(uint64_t *s);

/* The 15 w_type encodings of pe_bitmod_term.c; bm_rand_wtype picks one
 * needing at most t_max term cycles (any if t_max >= 4), and now and then
 * one needing more (its last terms are cut: legal, just a different
 * weight). */
extern const uint8_t bm_wtypes[];
extern const unsigned bm_n_wtypes;
unsigned bm_rand_wtype(uint64_t *s, unsigned t_max);
/* A weight code, biased to each type's extremes (the -0 code, -128,
 * the largest magnitudes); bits above the type's width are garbage. */
uint8_t bm_rand_code(uint64_t *s, unsigned wtype);
/* An integer group scale, biased to 0, 1, 2^k and 255. */
uint8_t bm_rand_scale(uint64_t *s);

/* The group scale's serial stream (the PE's and the array rows' w_sbit):
 * a group whose last term enters at edge x gives scale bit SB-1-k at edge
 * x + 2 + k, k < SB; other edges carry garbage. The generators write a
 * group's 8-bit scale on the w_sbit port with its last term (garbage on
 * the other edges); bm_ser_step turns that into the edge's bit. Groups SB
 * apart have windows back to back, so the last two groups are kept; where
 * windows overlap (an overrun) the newer group's stream wins. */
struct bm_ser {
	uint8_t scale[2];	/* [0] the latest group, [1] the one before */
	bool any[2];
	uint64_t d[2];		/* edges since its last term */
};
unsigned bm_ser_step(struct bm_ser *z, unsigned sb, bool last,
		     uint64_t port);

/* A trace GEMM as the PE reads it (pe_bitmod_bt_gemm.c): a w_type, an
 * integer scale per (row, group) and an FP16 channel scale per row.
 * BitMoD data (scale_q, chan_scale) is taken as is; per-group-scaled INT
 * data gets the two-level scales by the quantizer's rule (c = fp16(max_g
 * s_g / 255), s_q = clamp(round(s_g / c), 1, 255)), its codes kept. */
struct bm_gemm {
	const struct pe_gemm *g;
	uint64_t G, ng;		/* K per group, groups per row */
	unsigned T;		/* term cycles per weight: the most any group needs */
	uint8_t *wt, *sq;	/* [N * ng] */
	uint16_t *cs;		/* [N] */
};
enum ps_status bm_gemm_init(struct bm_gemm *b, const struct pe_gemm *g,
			    struct ps_err *err);
void bm_gemm_free(struct bm_gemm *b);

extern const struct rtl_stim_ops bm_pe_stim;
extern const struct rtl_stim_ops bm_array_stim;

#endif

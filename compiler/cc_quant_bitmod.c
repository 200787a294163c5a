/* cc_quant_bitmod.c - BitMoD (HPCA 2025): a mixture of datatypes, one per
 * group, with two-level integer group scales (bitmod.md "Selection",
 * "Scales are two-level").
 *
 * Per group of K the four special-value types of the bit width compete:
 * each encodes the group at scale max|w| / max|grid| (no clipping) and the
 * least MSE wins, ties to the earlier candidate. The 2-bit selector tells
 * the PE which value the -0 code holds. The group scales are then stored as
 * 8-bit unsigned integers times one FP16 scale per output channel:
 *   c   = fp16(max over the row's groups of s_g / 255)
 *   s_q = clamp(floor(s_g / c + 1/2), 1, 255)   (0 for an all-zero group)
 * and each group is re-encoded with its type at s_q * c, the scale the
 * bit-serial dequantizer actually applies. Selection uses the real-valued
 * s_g, as the paper's quantizer does before the scales are packed.
 *
 * bitmod-int<b> (the lossless configuration) is the same with one candidate:
 * symmetric INT-b in every group, so only the two-level scales differ from
 * int<b>-g<G>. */
#include "cc_quant_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const int cand3[4] = { FMT_FP3_ER_POS, FMT_FP3_ER_NEG, FMT_FP3_EA_POS,
			      FMT_FP3_EA_NEG };
static const int cand4[4] = { FMT_FP4_ER_POS, FMT_FP4_ER_NEG, FMT_FP4_EA_POS,
			      FMT_FP4_EA_NEG };

enum ps_status cc_quant_bitmod(const struct fmt_qspec *q, const float *w,
			       uint64_t n, uint64_t k, struct cc_qtensor *t,
			       struct ps_err *err)
{
	const bool is_int = fmt_get(q->fmt)->kind == FMT_K_INT;
	const int *cand = is_int ? &q->fmt : q->bits == 3 ? cand3 : cand4;
	const int nc = is_int ? 1 : 4;
	const struct fmt_desc *cd[4];
	uint64_t hist[4] = { 0 };
	float *sg;
	enum ps_status st;

	for (int i = 0; i < nc; i++)
		cd[i] = fmt_get(cand[i]);
	st = cc_qt_alloc(t, q, n, k, q->group,
			 CC_A_CODES | CC_A_SCALE | CC_A_GFMT | CC_A_SCALEQ | CC_A_CHAN, err);
	if (st)
		return st;
	t->fmt = -1;
	sg = malloc((t->n_groups ? t->n_groups : 1) * sizeof *sg);
	if (!sg)
		return ps_errf(err, PS_ENOMEM, "%s: out of memory", q->name);

	for (uint64_t r = 0; r < n; r++) {
		float smax = 0, c;
		/* pass 1: the type of each group, at its real-valued scale */
		for (uint64_t g = 0; g < t->n_groups; g++) {
			uint64_t off = r * k + g * t->group, len = cc_glen(t, g);
			float m = cc_max_abs(w + off, len);
			double best = INFINITY;
			int pick = 0;
			for (int i = 0; i < nc; i++) {
				float s = (float)(m / cd[i]->max_abs);
				double e = cc_sym_err(cd[i], w + off, len, s);
				if (e < best) {
					best = e;
					pick = i;
				}
			}
			sg[g] = (float)(m / cd[pick]->max_abs);
			t->gfmt[r * t->n_groups + g] = (uint8_t)cand[pick];
			hist[pick]++;
			smax = sg[g] > smax ? sg[g] : smax;
		}
		/* pass 2: two-level scales, then the final encode */
		c = smax > 0 ? cc_scale16(smax / 255.0) : 0;
		t->chan_scale[r] = c;
		for (uint64_t g = 0; g < t->n_groups; g++) {
			uint64_t off = r * k + g * t->group, len = cc_glen(t, g);
			uint64_t gi = r * t->n_groups + g;
			double sq = 0;
			if (sg[g] > 0) {
				sq = floor(sg[g] / (double)c + 0.5);
				sq = sq < 1 ? 1 : sq > 255 ? 255 : sq;
			}
			t->scale_q[gi] = (uint8_t)sq;
			t->scale[gi] = (float)(sq * c);
			cc_sym_encode(fmt_get(t->gfmt[gi]), w + off, len, t->scale[gi],
				      t->codes + off, t->deq + off);
		}
	}
	free(sg);
	/* the paper's accounting: b bits + an 8-bit group scale */
	t->stored_bits = n && k ? q->bits + 8.0 * (double)(n * t->n_groups) / (double)(n * k)
			       : q->bits;
	uint64_t tot = hist[0] + hist[1] + hist[2] + hist[3];
	if (tot && !is_int)
		snprintf(t->note, sizeof t->note,
			 "er+ %.0f%% er- %.0f%% ea+ %.0f%% ea- %.0f%%",
			 100.0 * hist[0] / tot, 100.0 * hist[1] / tot,
			 100.0 * hist[2] / tot, 100.0 * hist[3] / tot);
	return PS_OK;
}

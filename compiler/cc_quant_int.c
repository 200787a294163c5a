/* cc_quant_int.c - per-group quantizers with one format per group:
 * symmetric grids, asymmetric INT (scale + zero) and its two users, MixPE
 * (which applies s and z once per group, after the integer sums) and LUT
 * Tensor Core (which reinterprets the codes as +-1 bits). */
#include "cc_quant_impl.h"

#include <math.h>
#include <stdio.h>

/* Asymmetric encode of one group on an unsigned grid {0..qmax}. The range
 * includes 0 (GPTQ's rule) and the zero point is the integer round(-min/s)
 * (ties up, clamped to the grid), so 0 is exactly representable: a
 * real-valued FP16 zero (min and max exact instead) measured about 0.6 dB
 * worse on the generated Llama-like weights, the many near-zero weights
 * losing their exact 0. */
static void asym_group(const struct fmt_desc *d, const float *w, uint64_t len,
		       float *ps, float *pz, uint8_t *codes, float *deq)
{
	float mn = 0, mx = 0, s, z;
	for (uint64_t i = 0; i < len; i++) {
		mn = w[i] < mn ? w[i] : mn;
		mx = w[i] > mx ? w[i] : mx;
	}
	s = cc_scale16(((double)mx - mn) / d->vmax);
	if (s == 0) {
		z = 0;
	} else {
		double zz = floor(-(double)mn / s + 0.5);
		z = (float)(zz < 0 ? 0 : zz > d->vmax ? d->vmax : zz);
	}
	for (uint64_t i = 0; i < len; i++) {
		int j = s == 0 ? 0 : fmt_nearest(d, (double)w[i] / s + z);
		codes[i] = (uint8_t)d->code_of[j];
		deq[i] = (float)((double)s * (d->values[j] - z));
	}
	*ps = s;
	*pz = z;
}

static enum ps_status group_common(const struct fmt_qspec *q, const float *w,
				   uint64_t n, uint64_t k, struct cc_qtensor *t,
				   int mode, struct ps_err *err)
{
	const struct fmt_desc *d = fmt_get(q->fmt);
	bool asym = d->kind == FMT_K_UINT;
	enum ps_status st;
	double meta_bits;

	st = cc_qt_alloc(t, q, n, k, q->group,
			 CC_A_CODES | CC_A_SCALE | (asym ? CC_A_ZERO : 0), err);
	if (st)
		return st;
	for (uint64_t r = 0; r < n; r++)
		for (uint64_t g = 0; g < t->n_groups; g++) {
			uint64_t off = r * k + g * t->group, len = cc_glen(t, g);
			uint64_t gi = r * t->n_groups + g;
			if (asym) {
				asym_group(d, w + off, len, &t->scale[gi], &t->zero[gi],
					   t->codes + off, t->deq + off);
			} else {
				float s = cc_scale16(cc_max_abs(w + off, len) / d->max_abs);
				t->scale[gi] = s;
				cc_sym_encode(d, w + off, len, s, t->codes + off,
					      t->deq + off);
			}
		}
	/* scale FP16, zero a b-bit integer */
	meta_bits = 16 + (asym ? d->bits : 0);
	if (mode == FMT_QM_MIXPE)
		snprintf(t->note, sizeof t->note, "= %s-g%llu numerics", d->name,
			 (unsigned long long)t->group);
	t->stored_bits = n && k ? d->bits + meta_bits * (double)(n * t->n_groups) / (double)(n * k)
			       : d->bits;
	return PS_OK;
}

enum ps_status cc_quant_group(const struct fmt_qspec *q, const float *w,
			      uint64_t n, uint64_t k, struct cc_qtensor *t,
			      struct ps_err *err)
{
	return group_common(q, w, n, k, t, FMT_QM_GROUP, err);
}

enum ps_status cc_quant_mixpe(const struct fmt_qspec *q, const float *w,
			      uint64_t n, uint64_t k, struct cc_qtensor *t,
			      struct ps_err *err)
{
	return group_common(q, w, n, k, t, FMT_QM_MIXPE, err);
}

enum ps_status cc_lut_reinterpret(struct cc_qtensor *t, struct ps_err *err)
{
	const struct fmt_desc *d = fmt_get(t->fmt);
	int pm1;
	double top;

	if (!d || d->kind != FMT_K_UINT || d->bits > 4 || !t->zero || !t->codes)
		return ps_errf(err, PS_EINPUT,
			       "LUT-TC reinterpretation needs an asymmetric INT1..4 tensor");
	/* z must be an integer for z' = 2z + 1 - 2^W to be one */
	for (uint64_t i = 0; i < t->n * t->n_groups; i++)
		if (t->zero[i] != floor(t->zero[i]))
			return ps_errf(err, PS_EINPUT,
				       "LUT-TC reinterpretation needs integer zero points");
	pm1 = FMT_PM1_W1 + d->bits - 1;
	top = (double)((1u << d->bits) - 1);
	double qp[16];	/* q' of each code: its bits read as -1/+1 */
	for (uint32_t c = 0; c < (1u << d->bits); c++)
		qp[c] = fmt_decode(pm1, c);
	for (uint64_t r = 0; r < t->n; r++)
		for (uint64_t g = 0; g < t->n_groups; g++) {
			uint64_t gi = r * t->n_groups + g;
			uint64_t off = r * t->k + g * t->group, len = cc_glen(t, g);
			/* s/2 is exact in float; so is the integer z' */
			float s = t->scale[gi] / 2, z = (float)(2.0 * t->zero[gi] + 1 - (top + 1));
			t->scale[gi] = s;
			t->zero[gi] = z;
			for (uint64_t i = off; i < off + len; i++)
				t->deq[i] = (float)((double)s * (qp[t->codes[i]] - z));
		}
	t->fmt = pm1;
	return PS_OK;
}

enum ps_status cc_quant_lut(const struct fmt_qspec *q, const float *w,
			    uint64_t n, uint64_t k, struct cc_qtensor *t,
			    struct ps_err *err)
{
	enum ps_status st = group_common(q, w, n, k, t, FMT_QM_GROUP, err);
	if (st)
		return st;
	st = cc_lut_reinterpret(t, err);
	if (st)
		return st;
	snprintf(t->note, sizeof t->note, "codes as %s", fmt_get(t->fmt)->name);
	return PS_OK;
}

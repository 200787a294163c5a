/* cc_quant.c - the dispatcher and what every quantizer shares: allocation,
 * FP16 scales, the symmetric encode loop, error stats. The specs
 * themselves (grammar, stored bits) are pe_models/formats/fmt_qspec.c. */
#include "cc_quant_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"

/* ---- shared pieces ---- */

float cc_scale16(double s)
{
	float f;
	if (!(s > 0))
		return 0;
	f = fmt_f16_round(s);
	if (f == 0)
		return 0x1p-24f;
	if (isinf(f))
		return 65504.0f;
	return f;
}

double cc_sym_encode(const struct fmt_desc *d, const float *w, uint64_t len,
		     float s, uint8_t *codes, float *deq)
{
	double e2 = 0;
	if (s == 0) {
		for (uint64_t i = 0; i < len; i++) {
			if (codes)
				codes[i] = (uint8_t)d->code_of[d->zero_idx];
			if (deq)
				deq[i] = 0;
			e2 += (double)w[i] * w[i];
		}
		return e2;
	}
	const double inv = 1.0 / s;
	for (uint64_t i = 0; i < len; i++) {
		int j = fmt_nearest(d, w[i] * inv);
		float v = (float)(d->values[j] * s);
		double e = (double)w[i] - v;
		e2 += e * e;
		if (codes)
			codes[i] = (uint8_t)d->code_of[j];
		if (deq)
			deq[i] = v;
	}
	return e2;
}

double cc_sym_err(const struct fmt_desc *d, const float *w, uint64_t len,
		  float s)
{
	double e2 = 0;
	if (s == 0) {
		for (uint64_t i = 0; i < len; i++)
			e2 += (double)w[i] * w[i];
		return e2;
	}
	const double inv = 1.0 / s;
	double e2b = 0;
	uint64_t i = 0;
	for (; i + 1 < len; i += 2) {	/* two chains: the adds overlap */
		double ea = (double)w[i] - (float)(d->values[fmt_nearest(d, w[i] * inv)] * s);
		double eb = (double)w[i + 1] -
			    (float)(d->values[fmt_nearest(d, w[i + 1] * inv)] * s);
		e2 += ea * ea;
		e2b += eb * eb;
	}
	for (; i < len; i++) {
		double e = (double)w[i] - (float)(d->values[fmt_nearest(d, w[i] * inv)] * s);
		e2 += e * e;
	}
	return e2 + e2b;
}

enum ps_status cc_qt_alloc(struct cc_qtensor *t, const struct fmt_qspec *q,
			   uint64_t n, uint64_t k, uint64_t group,
			   unsigned what, struct ps_err *err)
{
	uint64_t ng;
	memset(t, 0, sizeof *t);
	t->spec = *q;
	t->n = n;
	t->k = k;
	t->group = group ? group : k;
	t->n_groups = ng = k ? (k + t->group - 1) / t->group : 0;
	t->fmt = q->fmt;
	t->deq = malloc((n && k ? n * k : 1) * sizeof *t->deq);
	if (what & CC_A_CODES)
		t->codes = malloc(n && k ? n * k : 1);
	if (what & CC_A_SCALE)
		t->scale = calloc(n * ng + 1, sizeof *t->scale);
	if (what & CC_A_ZERO)
		t->zero = calloc(n * ng + 1, sizeof *t->zero);
	if (what & CC_A_GFMT)
		t->gfmt = calloc(n * ng + 1, 1);
	if (what & CC_A_SCALEQ)
		t->scale_q = calloc(n * ng + 1, 1);
	if (what & CC_A_CHAN)
		t->chan_scale = calloc(n + 1, sizeof *t->chan_scale);
	if (!t->deq || ((what & CC_A_CODES) && !t->codes) ||
	    ((what & CC_A_SCALE) && !t->scale) || ((what & CC_A_ZERO) && !t->zero) ||
	    ((what & CC_A_GFMT) && !t->gfmt) || ((what & CC_A_SCALEQ) && !t->scale_q) ||
	    ((what & CC_A_CHAN) && !t->chan_scale)) {
		cc_qtensor_free(t);
		return ps_errf(err, PS_ENOMEM, "%s: out of memory for [%llu, %llu]",
			       q->name, (unsigned long long)n, (unsigned long long)k);
	}
	return PS_OK;
}

void cc_qtensor_free(struct cc_qtensor *t)
{
	if (!t)
		return;
	free(t->deq);
	free(t->codes);
	free(t->gfmt);
	free(t->scale);
	free(t->zero);
	free(t->scale_q);
	free(t->chan_scale);
	free(t->nm_meta);
	free(t->nm_vals);
	memset(t, 0, sizeof *t);
}

void cc_qtensor_weights(const struct cc_qtensor *t, const struct fmt_qspec *q,
			struct pe_gemm *g)
{
	g->codes = t->codes;
	g->fmt = t->fmt;
	g->gfmt = t->gfmt;
	g->group = (uint32_t)t->group;
	g->n_groups = t->n_groups;
	g->scale = t->scale;
	g->zero = t->zero;
	g->scale_q = t->scale_q;
	g->chan_scale = t->chan_scale;
	g->nm_meta = t->nm_meta;
	g->nm_vals = t->nm_vals;
	g->n_blocks = t->n_blocks;
	g->nm_stride = t->nm_stride;
	g->nm_m = (uint32_t)q->nm_m;
}

double cc_sqnr_db(double sum_w2, double sum_e2)
{
	if (sum_e2 == 0)
		return INFINITY;
	if (sum_w2 == 0)
		return -INFINITY;
	return 10.0 * log10(sum_w2 / sum_e2);
}

static void finish_stats(struct cc_qstats *st)
{
	st->mse = st->n ? st->sum_e2 / (double)st->n : 0;
	st->sqnr_db = cc_sqnr_db(st->sum_w2, st->sum_e2);
}

void cc_qstats_compute(const float *w, const float *deq, uint64_t count,
		       struct cc_qstats *st)
{
	double w2 = 0, e2 = 0;
	for (uint64_t i = 0; i < count; i++) {
		double e = (double)w[i] - deq[i];
		w2 += (double)w[i] * w[i];
		e2 += e * e;
	}
	st->n = count;
	st->sum_w2 = w2;
	st->sum_e2 = e2;
	finish_stats(st);
}

void cc_qstats_add(struct cc_qstats *a, const struct cc_qstats *b)
{
	a->n += b->n;
	a->sum_w2 += b->sum_w2;
	a->sum_e2 += b->sum_e2;
	finish_stats(a);
}

void cc_qnote_add(struct cc_qnote *a, const struct cc_qtensor *t,
		  const char *mat)
{
	uint64_t tot;
	snprintf(a->text, sizeof a->text, "%s", t->note);
	switch (t->spec.method) {
	case FMT_QM_BITMOD:
		if (fmt_get(t->spec.fmt)->kind == FMT_K_INT)
			break;	/* bitmod-int<b>: one type */
		for (uint64_t i = 0; i < t->n * t->n_groups; i++)
			a->hist[(t->gfmt[i] - t->spec.fmt) & 3]++;
		tot = a->hist[0] + a->hist[1] + a->hist[2] + a->hist[3];
		if (tot)
			snprintf(a->text, sizeof a->text,
				 "er+ %.0f%% er- %.0f%% ea+ %.0f%% ea- %.0f%%",
				 100.0 * a->hist[0] / tot, 100.0 * a->hist[1] / tot,
				 100.0 * a->hist[2] / tot, 100.0 * a->hist[3] / tot);
		break;
	case FMT_QM_OLIVE: {
		uint64_t p = t->n * ((t->k + 1) / 2);
		a->pairs += p;
		a->outl_pairs += (uint64_t)llround(t->outlier_pairs * (double)p);
		if (a->pairs)
			snprintf(a->text, sizeof a->text, "outlier pairs %.3f%%",
				 100.0 * (double)a->outl_pairs / (double)a->pairs);
		break;
	}
	case FMT_QM_ANT: {
		size_t l = strlen(a->types);
		snprintf(a->types + l, sizeof a->types - l, "%s%s:%s", l ? " " : "",
			 mat, fmt_get(t->fmt)->name);
		snprintf(a->text, sizeof a->text, "%s", a->types);
		break;
	}
	default:
		break;
	}
}

static cc_quantizer *const quantizers[FMT_QM_NONE] = {
	[FMT_QM_GROUP] = cc_quant_group, [FMT_QM_CHANNEL] = cc_quant_channel,
	[FMT_QM_ANT] = cc_quant_channel, [FMT_QM_BITMOD] = cc_quant_bitmod,
	[FMT_QM_OLIVE] = cc_quant_olive, [FMT_QM_NM] = cc_quant_nm,
	[FMT_QM_LUT] = cc_quant_lut, [FMT_QM_MIXPE] = cc_quant_mixpe,
};

enum ps_status cc_quantize(const struct fmt_qspec *q, const float *w,
			   uint64_t n, uint64_t k, struct cc_qtensor *out,
			   struct ps_err *err)
{
	enum ps_status st;
	memset(out, 0, sizeof *out);
	if (k && n > UINT64_MAX / k)
		return ps_errf(err, PS_EINPUT, "%s: tensor too large", q->name);
	for (uint64_t i = 0; i < n * k; i++)
		if (!isfinite(w[i]))
			return ps_errf(err, PS_EINPUT, "%s: weight [%llu, %llu] is not finite",
				       q->name, (unsigned long long)(i / k),
				       (unsigned long long)(i % k));
	if (q->method == FMT_QM_NONE)
		return ps_errf(err, PS_EINPUT, "none: FP16 weights are not quantized");
	if (q->method < 0 || q->method >= FMT_QM_NONE || !quantizers[q->method])
		return ps_errf(err, PS_EINPUT, "%s: unknown method %d", q->name, q->method);
	st = quantizers[q->method](q, w, n, k, out, err);
	if (st != PS_OK) {
		cc_qtensor_free(out);
		return st;
	}
	cc_qstats_compute(w, out->deq, n * k, &out->st);
	return PS_OK;
}

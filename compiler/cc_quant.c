/* cc_quant.c - quantizer specs, the dispatcher, and what every quantizer
 * shares: allocation, FP16 scales, the symmetric encode loop, error stats. */
#include "cc_quant_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- specs ---- */

static bool take_uint(const char **p, unsigned *v)
{
	unsigned x = 0;
	const char *s = *p;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		if (x > 100000000u)
			return false;
		x = x * 10 + (unsigned)(*s++ - '0');
	}
	*p = s;
	*v = x;
	return true;
}

static bool take(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n))
		return false;
	*p += n;
	return true;
}

/* "" or "-g<G>" (G >= 1) to the end of the string. */
static bool take_group(const char *p, uint32_t *g, bool *given)
{
	unsigned v;
	*given = false;
	*g = CC_GROUP_DEFAULT;
	if (!*p)
		return true;
	if (!take(&p, "-g") || !take_uint(&p, &v) || *p || v < 1)
		return false;
	*g = v;
	*given = true;
	return true;
}

static int int_fmt(unsigned bits, bool asym)
{
	char nm[16];
	snprintf(nm, sizeof nm, "int%u%s", bits, asym ? "a" : "");
	return fmt_find(nm);
}

static bool weight_grid(const struct fmt_desc *d)
{
	return d->grid && !d->activation && d->layout != FMT_L_OVP &&
	       d->kind != FMT_K_ABFLOAT && d->layout != FMT_L_IEEE;
}

static enum ps_status parse(const char *s, struct cc_qspec *q)
{
	const char *p = s;
	unsigned b, nn, mm;
	bool given;
	uint32_t g;

	memset(q, 0, sizeof *q);
	if (take(&p, "bitmod")) {
		if (!take_uint(&p, &b) || (b != 3 && b != 4) || !take_group(p, &g, &given))
			return PS_EINPUT;
		q->method = CC_QM_BITMOD;
		q->fmt = b == 3 ? FMT_FP3_ER_POS : FMT_FP4_ER_POS;
		q->bits = (int)b;
		q->group = g;
		snprintf(q->name, sizeof q->name, given ? "bitmod%u-g%u" : "bitmod%u", b, g);
		return PS_OK;
	}
	if (!strcmp(s, "ant4")) {
		q->method = CC_QM_ANT;
		q->fmt = cc_ant_types[0];
		q->bits = 4;
		snprintf(q->name, sizeof q->name, "ant4");
		return PS_OK;
	}
	if (take(&p, "nm")) {
		if (!take_uint(&p, &nn) || !take(&p, "of") || !take_uint(&p, &mm) ||
		    !take(&p, "-int") || !take_uint(&p, &b) || !take_group(p, &g, &given))
			return PS_EINPUT;
		if (mm != 16 || (nn != 2 && nn != 4 && nn != 8 && nn != 16) ||
		    int_fmt(b, false) < 0)
			return PS_EINPUT;
		q->method = CC_QM_NM;
		q->fmt = int_fmt(b, false);
		q->bits = (int)b;
		q->group = g;
		q->nm_n = (int)nn;
		q->nm_m = (int)mm;
		snprintf(q->name, sizeof q->name, given ? "nm%uof%u-int%u-g%u" : "nm%uof%u-int%u",
			 nn, mm, b, g);
		return PS_OK;
	}
	if (take(&p, "lut-int") || take(&p, "mixpe-int")) {
		bool lut = s[0] == 'l';
		if (!take_uint(&p, &b) || !take_group(p, &g, &given) || int_fmt(b, true) < 0 ||
		    (lut && b > 4))
			return PS_EINPUT;
		q->method = lut ? CC_QM_LUT : CC_QM_MIXPE;
		q->fmt = int_fmt(b, true);
		q->bits = (int)b;
		q->group = g;
		if (lut)
			snprintf(q->name, sizeof q->name, given ? "lut-int%u-g%u" : "lut-int%u", b, g);
		else
			snprintf(q->name, sizeof q->name, "mixpe-int%u-g%u", b, g);
		return PS_OK;
	}

	/* <fmt>-g<G> or <fmt> */
	char nm[40];
	const char *dash = strstr(s, "-g");
	size_t len = dash ? (size_t)(dash - s) : strlen(s);
	if (len >= sizeof nm)
		return PS_EINPUT;
	memcpy(nm, s, len);
	nm[len] = 0;
	int id = fmt_find(nm);
	const struct fmt_desc *d = fmt_get(id);
	if (!d || !take_group(s + len, &g, &given))
		return PS_EINPUT;
	q->fmt = id;
	q->bits = d->bits;
	if (d->layout == FMT_L_OVP && !given) {
		q->method = CC_QM_OLIVE;
		snprintf(q->name, sizeof q->name, "%s", d->name);
		return PS_OK;
	}
	if (!weight_grid(d))
		return PS_EINPUT;
	if (given) {
		q->method = CC_QM_GROUP;
		q->group = g;
		snprintf(q->name, sizeof q->name, "%s-g%u", d->name, g);
		return PS_OK;
	}
	if (d->kind == FMT_K_UINT)
		return PS_EINPUT;	/* asymmetric needs a group: int4a-g128 */
	q->method = CC_QM_CHANNEL;
	snprintf(q->name, sizeof q->name, "%s", d->name);
	return PS_OK;
}

enum ps_status cc_qspec_parse(const char *s, struct cc_qspec *q,
			      struct ps_err *err)
{
	if (!s || parse(s, q) != PS_OK)
		return ps_errf(err, PS_EINPUT,
			       "unknown quantizer '%s' (expected <fmt>-g<G>, <fmt>, "
			       "ant4, bitmod3|4[-g<G>], olive4|olive4i, "
			       "nm<N>of16-int<b>[-g<G>], lut-int<W>[-g<G>], "
			       "mixpe-int<b>[-g<G>])", s ? s : "(null)");
	return PS_OK;
}

static const char *const defaults_by_bits[9][16] = {
	[1] = { "lut-int1" },
	[2] = { "int2-g128", "int2a-g128", "lut-int2", "mixpe-int2-g128",
		"nm8of16-int2" },
	[3] = { "int3-g128", "int3a-g128", "fp3-g128", "bitmod3", "int3",
		"lut-int3", "mixpe-int3-g128", "nm8of16-int3" },
	[4] = { "int4-g128", "int4a-g128", "fp4-g128", "flint4-g128",
		"bitmod4", "int4", "flint4", "ant4", "olive4", "olive4i",
		"lut-int4", "mixpe-int4-g128", "nm8of16-int4" },
	[6] = { "int6-g128", "int6a-g128", "fp6_e2m3-g128", "fp6_e3m2-g128",
		"int6" },
	[8] = { "int8-g128", "int8a-g128", "int8", "mixpe-int8-g128",
		"nm8of16-int8" },
};

int cc_qspec_defaults(int bits, struct cc_qspec *out, int max)
{
	int n = 0;
	if (bits < 1 || bits > 8)
		return 0;
	for (int i = 0; i < 16 && defaults_by_bits[bits][i] && n < max; i++)
		if (parse(defaults_by_bits[bits][i], &out[n]) == PS_OK)
			n++;
	return n;
}

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

enum ps_status cc_qt_alloc(struct cc_qtensor *t, const struct cc_qspec *q,
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

enum ps_status cc_quantize(const struct cc_qspec *q, const float *w,
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
	switch (q->method) {
	case CC_QM_GROUP:
		st = cc_quant_group(q, w, n, k, out, err);
		break;
	case CC_QM_CHANNEL:
	case CC_QM_ANT:
		st = cc_quant_channel(q, w, n, k, out, err);
		break;
	case CC_QM_BITMOD:
		st = cc_quant_bitmod(q, w, n, k, out, err);
		break;
	case CC_QM_OLIVE:
		st = cc_quant_olive(q, w, n, k, out, err);
		break;
	case CC_QM_NM:
		st = cc_quant_nm(q, w, n, k, out, err);
		break;
	case CC_QM_LUT:
		st = cc_quant_lut(q, w, n, k, out, err);
		break;
	case CC_QM_MIXPE:
		st = cc_quant_mixpe(q, w, n, k, out, err);
		break;
	default:
		return ps_errf(err, PS_EINPUT, "%s: unknown method %d", q->name, q->method);
	}
	if (st != PS_OK) {
		cc_qtensor_free(out);
		return st;
	}
	cc_qstats_compute(w, out->deq, n * k, &out->st);
	return PS_OK;
}

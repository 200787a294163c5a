/* cc_quant_search.c - per-output-channel quantizers with a clipping search:
 * ANT (MICRO 2022: one type per tensor among int, flint, PoT and float,
 * chosen by MSE after clipping) and OliVe (ISCA 2023: outlier-victim pairs,
 * clipping searched from mean +- 3 sigma). Both keep one FP16 scale per
 * row, the per-channel scaling ANT uses for weights. */
#include "cc_quant_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The clipping search needs the error of a row at many scales. For a
 * symmetric value set the error of w depends on |w| only, so with the row's
 * magnitudes sorted and prefix sums of a and a^2, the error at scale s is a
 * sum over the set's intervals: elements in (s m_{j-1,j}, s m_{j,j+1}] (the
 * midpoints; a tie goes to the smaller magnitude, as in encode) all become
 * v = m_j s, costing S2 - 2 v S1 + cnt v^2. That is O(values log k) per
 * scale instead of O(k). It agrees with the element loop up to rounding
 * (and at exact midpoints); the error reported is always the final
 * encode's. Asymmetric sets use the element loop. */
struct srow {
	float *a, *tmp;		/* sorted |w|, scratch */
	double *s1, *s2;	/* prefix sums, k + 1 */
};

static void srow_fill(struct srow *r, const float *w, uint64_t k)
{
	uint32_t *a = (uint32_t *)r->a, *b = (uint32_t *)r->tmp;
	/* |w| as IEEE bits sorts like the values: LSD radix, 3 x 11 bits */
	for (uint64_t i = 0; i < k; i++) {
		float x = w[i] < 0 ? -w[i] : w[i];
		memcpy(&a[i], &x, sizeof x);
	}
	for (int sh = 0; sh < 33; sh += 11) {
		uint64_t cnt[2049] = { 0 };
		for (uint64_t i = 0; i < k; i++)
			cnt[((a[i] >> sh) & 2047) + 1]++;
		for (int j = 0; j < 2048; j++)
			cnt[j + 1] += cnt[j];
		for (uint64_t i = 0; i < k; i++)
			b[cnt[(a[i] >> sh) & 2047]++] = a[i];
		uint32_t *t = a;
		a = b;
		b = t;
	}
	/* three passes: the sorted data ended in r->tmp */
	float *sorted = (float *)a;
	r->s1[0] = r->s2[0] = 0;
	for (uint64_t i = 0; i < k; i++) {
		r->s1[i + 1] = r->s1[i] + sorted[i];
		r->s2[i + 1] = r->s2[i] + (double)sorted[i] * sorted[i];
	}
	if (sorted != r->a)
		memcpy(r->a, sorted, k * sizeof *r->a);
}

/* Number of sorted elements <= x. */
static uint64_t upper(const float *a, uint64_t k, double x)
{
	uint64_t lo = 0, hi = k;
	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		if (a[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double srow_err(const struct fmt_desc *d, const struct srow *r,
		       uint64_t k, float s)
{
	int z = d->zero_idx, last = d->n_values - 1;
	uint64_t prev = 0;
	double e2 = 0;
	for (int j = z; j <= last; j++) {
		uint64_t c = j == last ? k :
			     upper(r->a, k, s * ((d->values[j] + d->values[j + 1]) / 2));
		double v = (float)(d->values[j] * s);
		double n = (double)(c - prev), s1 = r->s1[c] - r->s1[prev];
		double s2 = r->s2[c] - r->s2[prev];
		e2 += s2 - 2 * v * s1 + n * v * v;
		prev = c;
	}
	return e2 > 0 ? e2 : 0;
}

static bool symmetric(const struct fmt_desc *d)
{
	for (int i = 0; i < d->n_values; i++)
		if (d->values[i] != -d->values[d->n_values - 1 - i])
			return false;
	return true;
}

/* Best clipped scale of one row for format d (CC_CLIP_* grid); returns its
 * squared error. An all-zero row gets scale 0 and error 0. */
static double clip_search(const struct fmt_desc *d, const float *w,
			  uint64_t k, const struct srow *r, float *best_s)
{
	float m = cc_max_abs(w, k);
	double best = INFINITY;
	*best_s = 0;
	if (m == 0)
		return 0;
	for (int i = 0; i < CC_CLIP_STEPS; i++) {
		double ratio = 1.0 - i * CC_CLIP_STEP;
		float s = cc_scale16(ratio * m / d->max_abs);
		double e = symmetric(d) ? srow_err(d, r, k, s) : cc_sym_err(d, w, k, s);
		if (e < best) {
			best = e;
			*best_s = s;
		}
	}
	return best;
}

enum ps_status cc_quant_channel(const struct fmt_qspec *q, const float *w,
				uint64_t n, uint64_t k, struct cc_qtensor *t,
				struct ps_err *err)
{
	int types[4], nt = 0, pick = 0;
	double total[4] = { 0 };
	float *sc[4] = { 0 };
	struct srow sr = { 0 };
	enum ps_status st;

	if (q->method == FMT_QM_ANT)
		for (nt = 0; nt < 4; nt++)
			types[nt] = fmt_ant_types[nt];
	else
		types[nt++] = q->fmt;
	st = cc_qt_alloc(t, q, n, k, 0, CC_A_CODES | CC_A_SCALE, err);
	if (st)
		return st;
	sr.a = malloc((k + 1) * sizeof *sr.a);
	sr.tmp = malloc((k + 1) * sizeof *sr.tmp);
	sr.s1 = malloc((k + 1) * sizeof *sr.s1);
	sr.s2 = malloc((k + 1) * sizeof *sr.s2);
	for (int i = 0; i < nt; i++)
		sc[i] = malloc((n ? n : 1) * sizeof *sc[i]);
	for (int i = 0; i < nt; i++)
		if (!sc[i] || !sr.a || !sr.tmp || !sr.s1 || !sr.s2) {
			st = ps_errf(err, PS_ENOMEM, "%s: out of memory", q->name);
			goto out;
		}
	for (uint64_t r = 0; r < n; r++) {
		srow_fill(&sr, w + r * k, k);
		for (int i = 0; i < nt; i++)
			total[i] += clip_search(fmt_get(types[i]), w + r * k, k,
						&sr, &sc[i][r]);
	}
	for (int i = 1; i < nt; i++)
		if (total[i] < total[pick])
			pick = i;
	t->fmt = types[pick];
	for (uint64_t r = 0; r < n; r++) {
		t->scale[r] = sc[pick][r];
		cc_sym_encode(fmt_get(t->fmt), w + r * k, k, sc[pick][r],
			      t->codes + r * k, t->deq + r * k);
	}
	t->stored_bits = fmt_get(t->fmt)->bits + (k ? 16.0 / (double)k : 0);
	if (q->method == FMT_QM_ANT)
		snprintf(t->note, sizeof t->note, "type %s", fmt_get(t->fmt)->name);
out:
	for (int i = 0; i < nt; i++)
		free(sc[i]);
	free(sr.a);
	free(sr.tmp);
	free(sr.s1);
	free(sr.s2);
	return st;
}

/* Encode one row as OliVe pairs at scale s; codes/deq may be NULL. Returns
 * the squared error; *outl counts pairs holding an outlier. An odd last
 * element pairs with an implicit 0. */
static double olive_row(const struct fmt_desc *d, const float *w, uint64_t k,
			float s, uint8_t *codes, float *deq, uint64_t *outl);

/* olive_row's error alone, for the search: the same arithmetic, no stores. */
static double olive_err(const struct fmt_desc *d, const struct fmt_desc *nd,
			const struct fmt_desc *od, const float *w, uint64_t k,
			float s)
{
	double e2 = 0, inv = s ? 1.0 / s : 0;
	uint64_t p = 0;
	for (; p + 1 < k; p += 2) {
		double v[2];
		fmt_ovp_encode_fast(d, nd, od, w[p] * inv, w[p + 1] * inv, v);
		double e0 = (double)w[p] - (float)(v[0] * s);
		double e1 = (double)w[p + 1] - (float)(v[1] * s);
		e2 += e0 * e0 + e1 * e1;
	}
	if (p < k)
		e2 += olive_row(d, w + p, k - p, s, NULL, NULL, NULL);
	return e2;
}

static double olive_row(const struct fmt_desc *d, const float *w, uint64_t k,
			float s, uint8_t *codes, float *deq, uint64_t *outl)
{
	const struct fmt_desc *nd = fmt_get(d->ovp_normal), *od = fmt_get(d->ovp_outlier);
	double e2 = 0, inv = s ? 1.0 / s : 0;
	uint32_t mask = (1u << d->bits) - 1;
	for (uint64_t p = 0; p < k; p += 2) {
		bool two = p + 1 < k;
		double v[2];
		uint32_t pc = fmt_ovp_encode_fast(d, nd, od, w[p] * inv,
						  two ? w[p + 1] * inv : 0, v);
		for (int j = 0; j < 1 + two; j++) {
			float dq = (float)(v[j] * s);
			double e = (double)w[p + j] - dq;
			e2 += e * e;
			if (codes)
				codes[p + j] = (uint8_t)((pc >> (j * d->bits)) & mask);
			if (deq)
				deq[p + j] = dq;
		}
		if (outl && ((pc & mask) == d->ovp_id || (pc >> d->bits) == d->ovp_id))
			(*outl)++;
	}
	return e2;
}

enum ps_status cc_quant_olive(const struct fmt_qspec *q, const float *w,
			      uint64_t n, uint64_t k, struct cc_qtensor *t,
			      struct ps_err *err)
{
	const struct fmt_desc *d = fmt_get(q->fmt);
	const struct fmt_desc *nd = fmt_get(d->ovp_normal), *od = fmt_get(d->ovp_outlier);
	double nmax = nd->max_abs;
	uint64_t outl = 0, pairs = 0;
	enum ps_status st;

	st = cc_qt_alloc(t, q, n, k, 0, CC_A_CODES | CC_A_SCALE, err);
	if (st)
		return st;
	for (uint64_t r = 0; r < n; r++) {
		const float *row = w + r * k;
		double mean = 0, var = 0, t0, best = INFINITY;
		float best_s = 0;
		for (uint64_t i = 0; i < k; i++)
			mean += row[i];
		mean = k ? mean / (double)k : 0;
		for (uint64_t i = 0; i < k; i++)
			var += (row[i] - mean) * (row[i] - mean);
		var = k ? var / (double)k : 0;
		t0 = fabs(mean) + 3 * sqrt(var);
		if (t0 == 0)
			t0 = cc_max_abs(row, k);
		for (int i = 0; t0 > 0 && i < CC_OLIVE_CLIP_STEPS; i++) {
			double ratio = CC_OLIVE_CLIP_LO + i * CC_OLIVE_CLIP_STEP;
			float s = cc_scale16(ratio * t0 / nmax);
			double e = olive_err(d, nd, od, row, k, s);
			if (e < best) {
				best = e;
				best_s = s;
			}
		}
		t->scale[r] = best_s;
		olive_row(d, row, k, best_s, t->codes + r * k, t->deq + r * k, &outl);
		pairs += (k + 1) / 2;
	}
	t->outlier_pairs = pairs ? (double)outl / (double)pairs : 0;
	t->stored_bits = d->bits + (k ? 16.0 / (double)k : 0);
	snprintf(t->note, sizeof t->note, "outlier pairs %.3f%%", 100 * t->outlier_pairs);
	return PS_OK;
}

/* cc_quant_nm.c - FlightLLM's N:M magnitude pruning (M = 16) with the
 * artifact's index metadata, then symmetric INT-b over the kept values.
 *
 * FlightLLM's sparse MUX picks, for each DSP, one of M = 16 activations by
 * the stored index of a non-zero weight (flightllm_dsp48.md). Storage per
 * 16-element block of K: one count byte and a 4-bit index per kept weight;
 * here the indices are ascending, two per byte, low nibble first, and each
 * block's record has a fixed stride of 1 + N/2 bytes in memory (the bit
 * count uses the actual count). N = 16 is the dense mode: no metadata. */
#include "cc_quant_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NM_M 16

/* Indices of the (up to) n largest |w| of a block, ascending; ties go to
 * the lower index; exact zeros are never kept. Returns the count. */
static int top_n(const float *w, int len, int n, uint8_t *idx)
{
	float a[NM_M];
	uint8_t ord[NM_M];
	bool keep[NM_M] = { false };
	int cnt = 0;
	/* stable insertion sort by |w| descending: equal keys keep index order */
	for (int i = 0; i < len; i++) {
		float x = w[i] < 0 ? -w[i] : w[i];
		int j = i;
		while (j > 0 && a[j - 1] < x) {
			a[j] = a[j - 1];
			ord[j] = ord[j - 1];
			j--;
		}
		a[j] = x;
		ord[j] = (uint8_t)i;
	}
	for (int j = 0; j < len && j < n && a[j] > 0; j++)
		keep[ord[j]] = true;
	for (int i = 0; i < len; i++)
		if (keep[i])
			idx[cnt++] = (uint8_t)i;
	return cnt;
}

enum ps_status cc_quant_nm(const struct fmt_qspec *q, const float *w,
			   uint64_t n, uint64_t k, struct cc_qtensor *t,
			   struct ps_err *err)
{
	const struct fmt_desc *d = fmt_get(q->fmt);
	int N = q->nm_n;
	bool dense = N >= NM_M;
	uint64_t kept = 0, meta_bits = 0;
	float *buf;
	enum ps_status st;

	st = cc_qt_alloc(t, q, n, k, q->group, CC_A_CODES | CC_A_SCALE, err);
	if (st)
		return st;
	t->n_blocks = (k + NM_M - 1) / NM_M;
	buf = malloc((k ? k : 1) * sizeof *buf);
	if (!dense) {
		t->nm_stride = 1 + (uint64_t)N / 2;
		t->nm_meta = calloc(n * t->n_blocks * t->nm_stride + 1, 1);
		t->nm_vals = calloc(n * t->n_blocks * (uint64_t)N + 1, 1);
	}
	if (!buf || (!dense && (!t->nm_meta || !t->nm_vals))) {
		free(buf);
		return ps_errf(err, PS_ENOMEM, "%s: out of memory", q->name);
	}
	for (uint64_t r = 0; r < n; r++) {
		const float *row = w + r * k;
		uint8_t idx[NM_M];
		if (dense) {
			memcpy(buf, row, k * sizeof *buf);
		} else {
			memset(buf, 0, k * sizeof *buf);
			for (uint64_t b = 0; b < t->n_blocks; b++) {
				uint64_t b0 = b * NM_M;
				int len = (int)(k - b0 < NM_M ? k - b0 : NM_M);
				uint8_t *m = t->nm_meta + (r * t->n_blocks + b) * t->nm_stride;
				int cnt = top_n(row + b0, len, N, idx);
				m[0] = (uint8_t)cnt;
				for (int i = 0; i < cnt; i++) {
					buf[b0 + idx[i]] = row[b0 + idx[i]];
					m[1 + i / 2] |= (uint8_t)(idx[i] << (4 * (i & 1)));
				}
				kept += (uint64_t)cnt;
				meta_bits += 8;
			}
		}
		for (uint64_t g = 0; g < t->n_groups; g++) {
			uint64_t off = g * t->group, len = cc_glen(t, g);
			float s = cc_scale16(cc_max_abs(buf + off, len) / d->max_abs);
			t->scale[r * t->n_groups + g] = s;
			cc_sym_encode(d, buf + off, len, s, t->codes + r * k + off,
				      t->deq + r * k + off);
		}
		for (uint64_t b = 0; !dense && b < t->n_blocks; b++) {
			const uint8_t *m = t->nm_meta + (r * t->n_blocks + b) * t->nm_stride;
			uint8_t *v = t->nm_vals + (r * t->n_blocks + b) * (uint64_t)N;
			for (int i = 0; i < m[0]; i++) {
				int ix = (m[1 + i / 2] >> (4 * (i & 1))) & 15;
				v[i] = t->codes[r * k + b * NM_M + (uint64_t)ix];
			}
		}
	}
	free(buf);
	if (dense)
		kept = n * k;
	if (n && k)
		t->stored_bits = ((double)kept * (d->bits + (dense ? 0 : 4)) + (double)meta_bits +
				  16.0 * (double)(n * t->n_groups)) / (double)(n * k);
	snprintf(t->note, sizeof t->note, "kept %.1f%%",
		 n && k ? 100.0 * (double)kept / (double)(n * k) : 0.0);
	return PS_OK;
}

enum ps_status cc_nm_expand(const struct cc_qtensor *t, float *out,
			    struct ps_err *err)
{
	int N = t->spec.nm_n;
	if (t->spec.method != FMT_QM_NM)
		return ps_errf(err, PS_EINPUT, "%s: not an N:M tensor", t->spec.name);
	for (uint64_t r = 0; r < t->n; r++) {
		float *o = out + r * t->k;
		const float *sc = t->scale + r * t->n_groups;
		if (!t->nm_meta) {	/* dense */
			for (uint64_t i = 0; i < t->k; i++)
				o[i] = (float)(fmt_decode(t->fmt, t->codes[r * t->k + i]) *
					       sc[i / t->group]);
			continue;
		}
		memset(o, 0, t->k * sizeof *o);
		for (uint64_t b = 0; b < t->n_blocks; b++) {
			const uint8_t *m = t->nm_meta + (r * t->n_blocks + b) * t->nm_stride;
			const uint8_t *v = t->nm_vals + (r * t->n_blocks + b) * (uint64_t)N;
			uint64_t b0 = b * NM_M;
			int prev = -1;
			if (m[0] > N)
				return ps_errf(err, PS_EINPUT, "row %llu block %llu: count %u > N = %d",
					       (unsigned long long)r, (unsigned long long)b, m[0], N);
			for (int i = 0; i < m[0]; i++) {
				int ix = (m[1 + i / 2] >> (4 * (i & 1))) & 15;
				if (ix <= prev || b0 + (uint64_t)ix >= t->k)
					return ps_errf(err, PS_EINPUT,
						       "row %llu block %llu: bad index %d",
						       (unsigned long long)r,
						       (unsigned long long)b, ix);
				prev = ix;
				uint64_t pos = b0 + (uint64_t)ix;
				o[pos] = (float)(fmt_decode(t->fmt, v[i]) * sc[pos / t->group]);
			}
		}
	}
	return PS_OK;
}

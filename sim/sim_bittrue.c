/* sim_bittrue.c - bit-true mode (see sim_bittrue.h). */
#include "sim_bittrue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_quant.h"
#include "fmt.h"
#include "pe.h"
#include "wl_tensor.h"

static void compare(const double *out, const double *ref, uint64_t n,
		    struct sim_bt_result *r)
{
	double s2 = 0, rms;
	for (uint64_t i = 0; i < n; i++)
		s2 += ref[i] * ref[i];
	rms = n ? sqrt(s2 / (double)n) : 0;
	for (uint64_t i = 0; i < n; i++) {
		double e = fabs(out[i] - ref[i]);
		double d = fabs(ref[i]) > rms ? fabs(ref[i]) : rms;
		if (!(e <= r->max_abs_err))
			r->max_abs_err = e;
		if (d > 0 && e / d > r->max_rel_err)
			r->max_rel_err = e / d;
		r->sum_err2 += e * e;
	}
	r->sum_ref2 += s2;
	r->sqnr_db = r->sum_err2 > 0 ? 10 * log10(r->sum_ref2 / r->sum_err2) : INFINITY;
}

enum ps_status sim_bittrue_gemm(const struct cfg_arch *a, int phase,
				uint64_t M, uint64_t K, uint64_t N,
				uint64_t seed, uint32_t op,
				struct sim_bt_result *r, struct ps_err *err)
{
	const struct pe_ops *pe = pe_family_ops(a->pe.family);
	const struct cfg_shape *sh = cfg_arch_shape(a, phase);
	struct pe_array arr = { sh->rows, sh->cols, a->array.dataflow };
	const char *spec = phase ? a->weight_bits.quant_decode : a->weight_bits.quant_prefill;
	float *w = malloc(N * K * sizeof *w), *x = malloc(M * K * sizeof *x);
	uint16_t *ah = malloc(M * K * sizeof *ah), *wh = NULL;
	double *out = calloc(M * N, sizeof *out), *ref = calloc(M * N, sizeof *ref);
	const float *wdeq = NULL;
	struct cc_qtensor t;
	struct pe_params pp;
	struct pe_gemm g;
	uint64_t stepped = 0, closed = 0;
	bool quantized = false;
	enum ps_status st = PS_OK;

	memset(&g, 0, sizeof g);
	if (!pe || !pe->gemm_bt) {
		st = ps_errf(err, PS_EINPUT, "%s: pe.family '%s' has no bit-true model yet",
			     a->path, cfg_family_names[a->pe.family]);
		goto out;
	}
	if (!w || !x || !ah || !out || !ref) {
		st = ps_errf(err, PS_ENOMEM, "bit-true GEMM %llux%llux%llu does not fit in memory",
			     (unsigned long long)M, (unsigned long long)K, (unsigned long long)N);
		goto out;
	}
	if ((st = wl_gen_weights(seed + 2ull * op, N, K, NULL, w, err)) ||
	    (st = wl_gen_acts(seed + 2ull * op + 1, M, K, NULL, x, err)))
		goto out;
	for (uint64_t i = 0; i < M * K; i++)
		ah[i] = fmt_f16_from_f32(x[i]);
	g.M = M;
	g.K = K;
	g.N = N;
	g.a = ah;
	if (!spec[0] || !strcmp(spec, "none")) {
		float *wr = malloc(N * K * sizeof *wr);
		wh = malloc(N * K * sizeof *wh);
		if (!wh || !wr) {
			free(wr);
			st = ps_errf(err, PS_ENOMEM, "out of memory");
			goto out;
		}
		for (uint64_t i = 0; i < N * K; i++) {
			wh[i] = fmt_f16_from_f32(w[i]);
			wr[i] = fmt_f16_to_f32(wh[i]);
		}
		memcpy(w, wr, N * K * sizeof *w);
		free(wr);
		g.w_f16 = wh;
		g.fmt = FMT_FP16;
		wdeq = w;
		snprintf(r->quant, sizeof r->quant, "none (FP16)");
		r->w_sqnr_db = INFINITY;
	} else {
		struct cc_qspec q;
		if ((st = cc_qspec_parse(spec, &q, err)) ||
		    (st = cc_quantize(&q, w, N, K, &t, err)))
			goto out;
		quantized = true;
		g.codes = t.codes;
		g.fmt = t.fmt;
		g.gfmt = t.gfmt;
		g.group = (uint32_t)t.group;
		g.n_groups = t.n_groups;
		g.scale = t.scale;
		g.zero = t.zero;
		g.scale_q = t.scale_q;
		g.chan_scale = t.chan_scale;
		g.nm_meta = t.nm_meta;
		g.nm_vals = t.nm_vals;
		g.n_blocks = t.n_blocks;
		g.nm_stride = t.nm_stride;
		g.nm_m = (uint32_t)q.nm_m;
		wdeq = t.deq;
		snprintf(r->quant, sizeof r->quant, "%s", q.name);
		r->w_sqnr_db = t.st.sqnr_db;
	}
	/* the exact reference: FP16 activations x dequantized weights */
	for (uint64_t m = 0; m < M; m++)
		for (uint64_t n = 0; n < N; n++) {
			double s = 0;
			for (uint64_t k = 0; k < K; k++)
				s += fmt_f16_to_f64(ah[m * K + k]) * (double)wdeq[n * K + k];
			ref[m * N + n] = s;
		}
	pe_params_from_arch(a, NULL, phase, &pp);
	st = pe->gemm_bt(&pp, &arr, &g, out, &stepped, &closed, err);
	if (st)
		goto out;
	r->gemms++;
	r->macs += M * K * N;
	r->cycles_stepped += stepped;
	r->cycles_closed_form += closed;
	compare(out, ref, M * N, r);
	if (stepped != closed)
		st = ps_errf(err, PS_ECHECK,
			     "GEMM %llux%llux%llu: stepping took %llu cycles, the closed form says %llu",
			     (unsigned long long)M, (unsigned long long)K, (unsigned long long)N,
			     (unsigned long long)stepped, (unsigned long long)closed);
out:
	if (quantized)
		cc_qtensor_free(&t);
	free(w);
	free(x);
	free(ah);
	free(wh);
	free(out);
	free(ref);
	return st;
}

enum ps_status sim_bittrue_layer(const struct cfg_arch *a,
				 const struct wl_model *m,
				 const struct wl_scenario *s, uint32_t layer,
				 uint64_t seed, struct sim_bt_result *r,
				 struct ps_err *err)
{
	struct wl_phase ph[2];
	struct wl_op *ops = NULL;
	size_t np = 0, n = 0;
	enum ps_status st;
	if (layer >= m->layers)
		return ps_errf(err, PS_EINPUT, "--layer %u: %s has %u layers", layer,
			       m->name, m->layers);
	st = wl_scenario_phases(s, m, true, ph, 2, &np, err);
	if (!st)
		st = wl_phase_ops(m, &ph[0], &ops, &n, err);
	for (size_t i = 0; i < n && !st; i++) {
		if (ops[i].kind != WL_LINEAR || ops[i].layer != layer)
			continue;
		st = sim_bittrue_gemm(a, ph[0].kind, ops[i].M, ops[i].K, ops[i].N,
				      seed, (uint32_t)i, r, err);
	}
	free(ops);
	return st;
}

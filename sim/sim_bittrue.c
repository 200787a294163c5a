/* sim_bittrue.c - bit-true mode (see sim_bittrue.h). */
#include "sim_bittrue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_quant.h"
#include "fmt.h"
#include "pe.h"
#include "ps_h5.h"
#include "ps_progress.h"
#include "trace.h"
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

/* The exact reference GEMM: ref[m, n] = sum over k = 0, 1, ... K-1 of
 * a[m, k] x wdeq[n, k] in double, added in k order. Each operand is
 * converted to double once (A as it is, W into panels of RB columns laid
 * out k-major), and a block of MB rows x RB columns is summed at once,
 * one independent accumulator per output (GCC vectors of 4 doubles: the
 * IEEE operations of the plain loop, lane by lane, so the same bits). */
#define RB 8
#define MB 4
typedef double ref_v4 __attribute__((vector_size(32)));

static void ref_block(const double *ad, uint64_t K, const double *panel,
		      uint64_t m0, uint64_t mb, double *acc /* [MB][RB] */)
{
	ref_v4 s[MB][RB / 4];
	memset(s, 0, sizeof s);
	for (uint64_t k = 0; k < K; k++) {
		ref_v4 w0, w1;
		memcpy(&w0, panel + k * RB, sizeof w0);
		memcpy(&w1, panel + k * RB + 4, sizeof w1);
		for (uint64_t i = 0; i < MB; i++) {
			double a = ad[(m0 + (i < mb ? i : 0)) * K + k];
			ref_v4 av = { a, a, a, a };
			s[i][0] += av * w0;
			s[i][1] += av * w1;
		}
	}
	memcpy(acc, s, sizeof s);
}

static enum ps_status ref_gemm(const struct pe_gemm *g, const float *wdeq,
			       double *ref, struct ps_err *err)
{
	uint64_t M = g->M, K = g->K, N = g->N;
	double *ad = malloc(M * K * sizeof *ad), *panel = malloc(K * RB * sizeof *panel);
	double acc[MB * RB];

	if (!ad || !panel) {
		free(ad);
		free(panel);
		return ps_errf(err, PS_ENOMEM, "out of memory");
	}
	for (uint64_t i = 0; i < M * K; i++)
		ad[i] = fmt_f16_to_f64(g->a[i]);
	for (uint64_t n0 = 0; n0 < N; n0 += RB) {
		uint64_t nb = N - n0 < RB ? N - n0 : RB;
		for (uint64_t k = 0; k < K; k++)	/* missing columns: 0 */
			for (uint64_t j = 0; j < RB; j++)
				panel[k * RB + j] = j < nb ? (double)wdeq[(n0 + j) * K + k] : 0;
		for (uint64_t m0 = 0; m0 < M; m0 += MB) {
			uint64_t mb = M - m0 < MB ? M - m0 : MB;
			ref_block(ad, K, panel, m0, mb, acc);
			for (uint64_t i = 0; i < mb; i++)
				for (uint64_t j = 0; j < nb; j++)
					ref[(m0 + i) * N + n0 + j] = acc[i * RB + j];
		}
	}
	free(ad);
	free(panel);
	return PS_OK;
}

/* Run g through the family's stepped model and compare with the exact GEMM
 * of its FP16 activations and wdeq [N, K]. */
static enum ps_status run_compare(const struct cfg_arch *a, int phase,
				  const struct pe_gemm *g, const float *wdeq,
				  struct sim_bt_result *r, struct ps_err *err)
{
	const struct pe_family *pe = pe_family_of(a);
	const struct cfg_shape *sh = cfg_arch_shape(a, phase);
	struct pe_array arr = { sh->rows, sh->cols, a->array.dataflow, CFG_FOLDS_OVERLAPPED };
	uint64_t M = g->M, K = g->K, N = g->N, stepped = 0, closed = 0;
	double *out = calloc(M * N, sizeof *out), *ref = calloc(M * N, sizeof *ref);
	struct pe_params pp;
	enum ps_status st;

	if (!out || !ref) {
		free(out);
		free(ref);
		return ps_errf(err, PS_ENOMEM, "out of memory");
	}
	if ((st = ref_gemm(g, wdeq, ref, err))) {
		free(out);
		free(ref);
		return st;
	}
	pe_params_from_arch(a, NULL, phase, &pp);
	st = pe->gemm_bt(&pp, &arr, g, out, &stepped, &closed, err);
	ps_progress_work("MACs", M * K * N);
	if (!st) {
		r->gemms++;
		r->macs += M * K * N;
		r->cycles_stepped += stepped;
		r->cycles_closed_form += closed;
		compare(out, ref, M * N, r);
		if (stepped != closed)
			st = ps_errf(err, PS_ECHECK,
				     "GEMM %llux%llux%llu: stepping took %llu cycles, the closed form says %llu",
				     (unsigned long long)M, (unsigned long long)K,
				     (unsigned long long)N, (unsigned long long)stepped,
				     (unsigned long long)closed);
	}
	free(out);
	free(ref);
	return st;
}

enum ps_status sim_bittrue_gemm(const struct cfg_arch *a, int phase,
				uint64_t M, uint64_t K, uint64_t N,
				uint64_t seed, uint32_t op,
				struct sim_bt_result *r, struct ps_err *err)
{
	return sim_bittrue_gemm_w(a, phase, M, K, N, seed, op, NULL, r, err);
}

enum ps_status sim_bittrue_gemm_w(const struct cfg_arch *a, int phase,
				  uint64_t M, uint64_t K, uint64_t N,
				  uint64_t seed, uint32_t op, const float *weights,
				  struct sim_bt_result *r, struct ps_err *err)
{
	const struct pe_family *pe = pe_family_of(a);
	struct fmt_qspec q;
	float *w = malloc(N * K * sizeof *w), *x = malloc(M * K * sizeof *x);
	uint16_t *ah = malloc(M * K * sizeof *ah), *wh = NULL;
	const float *wdeq = NULL;
	struct cc_qtensor t;
	struct pe_gemm g;
	bool quantized = false;
	enum ps_status st = PS_OK;

	memset(&g, 0, sizeof g);
	if (!pe->gemm_bt) {
		st = ps_errf(err, PS_EINPUT, "%s: pe.family '%s' has no bit-true model yet",
			     a->path, pe->name);
		goto out;
	}
	pe_weight_format(a, NULL, phase, &q);
	if (!w || !x || !ah) {
		st = ps_errf(err, PS_ENOMEM, "bit-true GEMM %llux%llux%llu does not fit in memory",
			     (unsigned long long)M, (unsigned long long)K, (unsigned long long)N);
		goto out;
	}
	if (weights)
		memcpy(w, weights, N * K * sizeof *w);
	else if ((st = wl_gen_weights(seed + 2ull * op, N, K, NULL, w, err)))
		goto out;
	if ((st = wl_gen_acts(seed + 2ull * op + 1, M, K, NULL, x, err)))
		goto out;
	for (uint64_t i = 0; i < M * K; i++)
		ah[i] = fmt_f16_from_f32(x[i]);
	g.M = M;
	g.K = K;
	g.N = N;
	g.a = ah;
	if (!fmt_qspec_quantized(&q)) {
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
		if ((st = cc_quantize(&q, w, N, K, &t, err)))
			goto out;
		quantized = true;
		cc_qtensor_weights(&t, &q, &g);
		wdeq = t.deq;
		snprintf(r->quant, sizeof r->quant, "%s", q.name);
		r->w_sqnr_db = t.st.sqnr_db;
	}
	st = run_compare(a, phase, &g, wdeq, r, err);
out:
	if (quantized)
		cc_qtensor_free(&t);
	free(w);
	free(x);
	free(ah);
	free(wh);
	return st;
}

enum ps_status sim_bittrue_layer(const struct cfg_arch *a,
				 const struct wl_plan *p, uint32_t layer,
				 uint64_t seed, struct sim_bt_result *r,
				 struct ps_err *err)
{
	const struct wl_model *m = p->model;
	struct wl_op *ops = NULL;
	size_t n = 0;
	enum ps_status st;
	if (!m || !p->n_phases)
		return ps_errf(err, PS_EINPUT, "bit-true layers need a model scenario");
	if (layer >= m->layers)
		return ps_errf(err, PS_EINPUT, "--layer %u: %s has %u layers", layer,
			       m->name, m->layers);
	st = wl_plan_ops(p, 0, &ops, &n, err);
	uint64_t total = 0;	/* progress: MACs of the layer's linears */
	for (size_t i = 0; i < n; i++)
		if (ops[i].kind == WL_LINEAR && ops[i].layer == layer)
			total += ops[i].M * ops[i].K * ops[i].N;
	struct ps_progress *bar = ps_progress_begin("bit-true", "MACs", total);
	for (size_t i = 0; i < n && !st; i++) {
		if (ops[i].kind != WL_LINEAR || ops[i].layer != layer)
			continue;
		st = sim_bittrue_gemm(a, p->phases[0].kind, ops[i].M, ops[i].K,
				      ops[i].N, seed, (uint32_t)i, r, err);
	}
	ps_progress_end(bar);
	free(ops);
	return st;
}

/* ---- operand data from a bit-true trace's sidecar ---- */

void sim_trace_gemm_free(struct sim_trace_gemm *t)
{
	if (t->w_deq_owned)
		free(t->w_deq);
	for (size_t i = 0; i < sizeof t->arrays / sizeof *t->arrays; i++)
		free(t->arrays[i]);
	memset(t, 0, sizeof *t);
}

/* Group grp of an open sidecar into t (zeroed; free it on any status). */
static enum ps_status side_load(struct ps_h5_file *f, const char *grp,
				struct sim_trace_gemm *t, struct ps_err *err)
{
	struct pe_gemm *g = &t->g;
	uint64_t M, K, N, phase, n, group = 0, w16n = 0, nscale = 0;
	char path[96], fmtname[48] = "";
	enum ps_status st;
	enum { A, W16, CODES, DEQ, SCALE, ZERO, GFMT, SCALE_Q, CHAN, NM_META, NM_VALS };
	void **v = t->arrays;
	const struct { const char *name; int type; } arr[] = {
		{ "a_f16", PS_H5_A_U16 }, { "w_f16", PS_H5_A_U16 },
		{ "w_codes", PS_H5_A_U8 }, { "w_deq", PS_H5_A_F32 },
		{ "scale", PS_H5_A_F32 }, { "zero", PS_H5_A_F32 },
		{ "gfmt", PS_H5_A_U8 }, { "scale_q", PS_H5_A_U8 },
		{ "chan_scale", PS_H5_A_F32 }, { "nm_meta", PS_H5_A_U8 },
		{ "nm_vals", PS_H5_A_U8 },
	};
	_Static_assert(sizeof arr / sizeof *arr == sizeof t->arrays / sizeof *t->arrays,
		       "one slot per sidecar array");
	if ((st = ps_h5_attr_read_u64(f, grp, "M", &M, err)) ||
	    (st = ps_h5_attr_read_u64(f, grp, "K", &K, err)) ||
	    (st = ps_h5_attr_read_u64(f, grp, "N", &N, err)) ||
	    (st = ps_h5_attr_read_u64(f, grp, "phase", &phase, err)) ||
	    (st = ps_h5_attr_read_str(f, grp, "quant", t->quant, sizeof t->quant, err)))
		return st;
	t->phase = (int)phase;
	for (size_t i = 0; i < sizeof arr / sizeof *arr && !st; i++) {
		snprintf(path, sizeof path, "%s/%s", grp, arr[i].name);
		st = ps_h5_read_array(f, path, arr[i].type, &v[i], &n, err);
		if (!st && i == W16)
			w16n = n;
		if (!st && i == SCALE)
			nscale = n;
	}
	if (!st && !v[A])
		st = ps_errf(err, PS_EINPUT, "%s: no a_f16", grp);
	if (!st && strcmp(t->quant, "none")) {
		if ((st = ps_h5_attr_read_u64(f, grp, "group", &group, err)))
			return st;
		if (ps_h5_attr_read_str(f, grp, "format", fmtname, sizeof fmtname, err) == PS_OK)
			g->fmt = fmt_find(fmtname);
		else
			g->fmt = -1;
		if (!v[CODES] || !v[DEQ])
			st = ps_errf(err, PS_EINPUT, "%s: quantized weights need w_codes and w_deq", grp);
		t->w_deq = v[DEQ];
	} else if (!st) {
		if (!v[W16] || w16n != N * K)
			st = ps_errf(err, PS_EINPUT, "%s: no w_f16 of %llux%llu", grp,
				     (unsigned long long)N, (unsigned long long)K);
		else if (!(t->w_deq = malloc(N * K * sizeof *t->w_deq)))
			st = ps_errf(err, PS_ENOMEM, "out of memory");
		else {
			t->w_deq_owned = true;
			for (uint64_t i = 0; i < N * K; i++)
				t->w_deq[i] = fmt_f16_to_f32(((uint16_t *)v[W16])[i]);
		}
		g->fmt = FMT_FP16;
	}
	if (st)
		return st;
	g->M = M;
	g->K = K;
	g->N = N;
	g->a = v[A];
	g->w_f16 = v[W16];
	g->codes = v[CODES];
	g->gfmt = v[GFMT];
	g->group = (uint32_t)group;
	g->n_groups = nscale && N ? nscale / N : 1;
	g->scale = v[SCALE];
	g->zero = v[ZERO];
	g->scale_q = v[SCALE_Q];
	g->chan_scale = v[CHAN];
	g->nm_meta = v[NM_META];
	g->nm_vals = v[NM_VALS];
	if (v[NM_META]) {
		uint64_t x;
		if ((st = ps_h5_attr_read_u64(f, grp, "nm_m", &x, err)))
			return st;
		g->nm_m = (uint32_t)x;
		if ((st = ps_h5_attr_read_u64(f, grp, "nm_blocks", &g->n_blocks, err)) ||
		    (st = ps_h5_attr_read_u64(f, grp, "nm_stride", &g->nm_stride, err)))
			return st;
	}
	return PS_OK;
}

static enum ps_status side_op(struct ps_h5_file *f, const struct cfg_arch *a,
			      const char *grp, struct sim_bt_result *r,
			      struct ps_err *err)
{
	struct sim_trace_gemm t = { 0 };
	enum ps_status st = side_load(f, grp, &t, err);

	if (!st) {
		snprintf(r->quant, sizeof r->quant, "%s", t.quant);
		r->w_sqnr_db = NAN;	/* the sidecar keeps codes, not the originals */
		st = run_compare(a, t.phase, &t.g, t.w_deq, r, err);
	}
	sim_trace_gemm_free(&t);
	return st;
}

/* The trace's header: a bit-true trace (and of arch a, when given). */
static enum ps_status check_trace(const struct cfg_arch *a, const char *trace,
				  struct ps_err *err)
{
	struct trace_reader *tr;
	enum ps_status st = trace_reader_open(&tr, trace, err);
	if (st)
		return st;
	uint32_t flags = trace_reader_header(tr)->flags;
	if (a && trace_reader_header(tr)->arch_digest != a->digest)
		st = ps_errf(err, PS_EINPUT, "%s: offset 16: compiled for another arch than %s",
			     trace, a->path);
	else if (!(flags & TRACE_FLAG_BIT_TRUE))
		st = ps_errf(err, PS_EINPUT, "%s: offset 44: not a bit-true trace (compile with --bit-true)",
			     trace);
	trace_reader_close(tr);
	return st;
}

enum ps_status sim_bittrue_trace_gemm(const char *trace, uint32_t op,
				      struct sim_trace_gemm *t, struct ps_err *err)
{
	struct ps_h5_file *f;
	char side[1100], grp[32];
	enum ps_status st;

	memset(t, 0, sizeof *t);
	if ((st = check_trace(NULL, trace, err)))
		return st;
	snprintf(side, sizeof side, "%s.h5", trace);
	if ((st = ps_h5_open_read(&f, side, err)))
		return st;
	snprintf(grp, sizeof grp, "op%u", op);
	if (!ps_h5_exists(f, grp))
		st = ps_errf(err, PS_EINPUT, "%s: no /%s", side, grp);
	else
		st = side_load(f, grp, t, err);
	ps_h5_close_read(f);
	if (st)
		sim_trace_gemm_free(t);
	return st;
}

enum ps_status sim_bittrue_trace(const struct cfg_arch *a, const char *trace,
				 struct sim_bt_result *r, struct ps_err *err)
{
	struct ps_h5_file *f;
	char side[1100];
	enum ps_status st = check_trace(a, trace, err);
	if (st)
		return st;
	snprintf(side, sizeof side, "%s.h5", trace);
	if ((st = ps_h5_open_read(&f, side, err)))
		return st;
	for (uint32_t op = 0; !st; op++) {
		char grp[32];
		snprintf(grp, sizeof grp, "op%u", op);
		if (!ps_h5_exists(f, grp)) {
			if (op == 0)
				st = ps_errf(err, PS_EINPUT, "%s: no /op0", side);
			break;
		}
		st = side_op(f, a, grp, r, err);
	}
	ps_h5_close_read(f);
	return st;
}

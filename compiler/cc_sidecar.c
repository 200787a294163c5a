/* cc_sidecar.c - operand data of a bit-true trace as HDF5 (cc_sidecar.h). */
#include "cc_sidecar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_quant.h"
#include "fmt.h"
#include "ps_h5.h"
#include "wl_tensor.h"

struct cc_sidecar {
	struct ps_h5_file *f;
	char path[1100];
	const struct cfg_arch *a;
	uint64_t seed;
};

enum ps_status cc_sidecar_open(struct cc_sidecar **out, const char *trace_path,
			       const struct cfg_arch *a, uint64_t seed,
			       struct ps_err *err)
{
	struct cc_sidecar *s = calloc(1, sizeof *s);
	char digest[32];
	enum ps_status st;
	if (!s)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	snprintf(s->path, sizeof s->path, "%s.h5", trace_path);
	s->a = a;
	s->seed = seed;
	st = ps_h5_create(&s->f, s->path, err);
	if (st) {
		free(s);
		return st;
	}
	snprintf(digest, sizeof digest, "%016llx", (unsigned long long)a->digest);
	if ((st = ps_h5_stamp(s->f, err)) ||
	    (st = ps_h5_attr_str(s->f, "trace", trace_path, err)) ||
	    (st = ps_h5_attr_str(s->f, "arch_digest", digest, err)) ||
	    (st = ps_h5_attr_u64(s->f, "seed", seed, err))) {
		cc_sidecar_abort(s);
		return st;
	}
	*out = s;
	return PS_OK;
}

static enum ps_status write_weights(struct cc_sidecar *s, const char *g,
				    const char *spec, const float *w,
				    uint64_t N, uint64_t K, struct ps_err *err)
{
	struct ps_h5_file *f = s->f;
	struct fmt_qspec q;
	struct cc_qtensor t;
	char p[64];
	enum ps_status st;
	if ((st = fmt_qspec_parse(spec, &q, err)))
		return ps_err_prefix(err, st, "%s: weights", s->a->path);
	if (!fmt_qspec_quantized(&q)) {
		uint16_t *h = malloc(N * K * sizeof *h);
		if (!h)
			return ps_errf(err, PS_ENOMEM, "out of memory");
		for (uint64_t i = 0; i < N * K; i++)
			h[i] = fmt_f16_from_f32(w[i]);
		snprintf(p, sizeof p, "%s/w_f16", g);
		if (!(st = ps_h5_attr_str_at(f, g, "quant", "none", err)))
			st = ps_h5_array(f, p, PS_H5_A_U16, N, K, h, err);
		free(h);
		return st;
	}
	if ((st = cc_quantize(&q, w, N, K, &t, err)))
		return st;
	st = ps_h5_attr_str_at(f, g, "quant", q.name, err);
	if (!st)
		st = ps_h5_attr_u64_at(f, g, "code_bits", (uint64_t)q.bits, err);
	if (!st)
		st = ps_h5_attr_f64_at(f, g, "sqnr_db", t.st.sqnr_db, err);
	if (!st)
		st = ps_h5_attr_f64_at(f, g, "stored_bits", t.stored_bits, err);
	if (!st)
		st = ps_h5_attr_u64_at(f, g, "group", t.group, err);
	if (!st && t.fmt >= 0)
		st = ps_h5_attr_str_at(f, g, "format", fmt_get(t.fmt)->name, err);
	if (!st && t.nm_meta) {
		st = ps_h5_attr_u64_at(f, g, "nm_m", (uint64_t)q.nm_m, err);
		if (!st)
			st = ps_h5_attr_u64_at(f, g, "nm_blocks", t.n_blocks, err);
		if (!st)
			st = ps_h5_attr_u64_at(f, g, "nm_stride", t.nm_stride, err);
	}
	{
		const struct { const char *name; int type; uint64_t cols; const void *d; } arr[] = {
			{ "w_codes", PS_H5_A_U8, K, t.codes },
			{ "w_deq", PS_H5_A_F32, K, t.deq },
			{ "scale", PS_H5_A_F32, t.n_groups, t.scale },
			{ "zero", PS_H5_A_F32, t.n_groups, t.zero },
			{ "gfmt", PS_H5_A_U8, t.n_groups, t.gfmt },
			{ "scale_q", PS_H5_A_U8, t.n_groups, t.scale_q },
			{ "chan_scale", PS_H5_A_F32, 0, t.chan_scale },
			{ "nm_meta", PS_H5_A_U8, t.n_blocks * t.nm_stride, t.nm_meta },
			{ "nm_vals", PS_H5_A_U8, t.n_blocks * (uint64_t)q.nm_n, t.nm_vals },
		};
		for (size_t i = 0; i < sizeof arr / sizeof *arr && !st; i++) {
			snprintf(p, sizeof p, "%s/%s", g, arr[i].name);
			st = ps_h5_array(f, p, arr[i].type, N, arr[i].cols, arr[i].d, err);
		}
	}
	cc_qtensor_free(&t);
	return st;
}

enum ps_status cc_sidecar_gemm(struct cc_sidecar *s, uint32_t op, uint64_t M,
			       uint64_t K, uint64_t N, int phase,
			       struct ps_err *err)
{
	char g[32], p[64];
	float *w = malloc(N * K * sizeof *w), *x = malloc(M * K * sizeof *x);
	uint16_t *xh = malloc(M * K * sizeof *xh);
	enum ps_status st = PS_OK;
	const char *spec = cfg_arch_weight_spec(s->a, NULL, phase);

	if (!w || !x || !xh) {
		st = ps_errf(err, PS_ENOMEM, "bit-true operands of %llux%llux%llu do not fit in memory",
			     (unsigned long long)M, (unsigned long long)K, (unsigned long long)N);
		goto out;
	}
	if ((st = wl_gen_weights(s->seed + 2ull * op, N, K, NULL, w, err)) ||
	    (st = wl_gen_acts(s->seed + 2ull * op + 1, M, K, NULL, x, err)))
		goto out;
	for (uint64_t i = 0; i < M * K; i++)
		xh[i] = fmt_f16_from_f32(x[i]);
	snprintf(g, sizeof g, "op%u", op);
	snprintf(p, sizeof p, "%s/a_f16", g);
	if ((st = ps_h5_group(s->f, g, err)) ||
	    (st = ps_h5_attr_u64_at(s->f, g, "M", M, err)) ||
	    (st = ps_h5_attr_u64_at(s->f, g, "K", K, err)) ||
	    (st = ps_h5_attr_u64_at(s->f, g, "N", N, err)) ||
	    (st = ps_h5_attr_u64_at(s->f, g, "phase", (uint64_t)phase, err)) ||
	    (st = ps_h5_array(s->f, p, PS_H5_A_U16, M, K, xh, err)))
		goto out;
	st = write_weights(s, g, spec, w, N, K, err);
out:
	free(w);
	free(x);
	free(xh);
	return st;
}

enum ps_status cc_sidecar_close(struct cc_sidecar *s, struct ps_err *err)
{
	enum ps_status st = ps_h5_commit(s->f, err);
	free(s);
	return st;
}

void cc_sidecar_abort(struct cc_sidecar *s)
{
	if (!s)
		return;
	ps_h5_abort(s->f);
	free(s);
}

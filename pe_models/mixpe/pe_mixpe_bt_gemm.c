/* pe_mixpe_bt_gemm.c - pe_ops.gemm_bt of MixPE: the quantizer's mixpe-int<b>
 * data (unsigned codes q, integer zero, float scale per group) as the PE
 * reads it (w = q - 2^(b-1), z = zero - 2^(b-1), FP16 scale), through
 * pe_mixpe_run_gemm. W4A8 needs INT8 activations: they are quantized per
 * tensor (symmetric, round half to even) and the FP16 results scaled back
 * in double. */
#include <math.h>
#include <stdlib.h>

#include "fmt.h"
#include "pe_mixpe.h"

enum ps_status pe_mixpe_gemm_bt(const struct pe_params *p,
				const struct pe_array *arr,
				const struct pe_gemm *g, double *out,
				uint64_t *stepped, uint64_t *closed,
				struct ps_err *err)
{
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	uint64_t M = g->M, K = g->K, N = g->N, G = g->n_groups;
	int8_t *w = malloc(N * K), *z = malloc(N * (G ? G : 1));
	uint16_t *s = malloc(N * (G ? G : 1) * sizeof *s), *a = NULL, *o = malloc(M * N * sizeof *o);
	struct pe_mixpe_gemm mg = { M, N, K, g->a, NULL, NULL, NULL, NULL };
	double a_scale = 1;
	enum ps_status st = PS_OK;
	int bits;

	if (!w || !z || !s || !o) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	if (!d || !g->zero || !g->group || (d->bits != 2 && d->bits != 4 && d->bits != 3)) {
		st = ps_errf(err, PS_EINPUT, "mixpe PE: bit-true weights must be per-group asymmetric INT2/3/4 (quant mixpe-int4)");
		goto out;
	}
	bits = d->bits;
	for (uint64_t i = 0; i < N * K; i++)
		w[i] = (int8_t)(g->codes[i] - (1 << (bits - 1)));
	for (uint64_t i = 0; i < N * G; i++) {
		z[i] = (int8_t)lrint(g->zero[i] - (1 << (bits - 1)));
		s[i] = fmt_f16_from_f32(g->scale[i]);
	}
	if (p->a_bits <= 8) {
		double mx = 0;
		a = malloc(M * K * sizeof *a);
		if (!a) {
			st = ps_errf(err, PS_ENOMEM, "out of memory");
			goto out;
		}
		for (uint64_t i = 0; i < M * K; i++) {
			double v = fabs(fmt_f16_to_f64(g->a[i]));
			if (v > mx && isfinite(v))
				mx = v;
		}
		a_scale = mx > 0 ? mx / 127.0 : 1.0;
		for (uint64_t i = 0; i < M * K; i++) {
			double v = nearbyint(fmt_f16_to_f64(g->a[i]) / a_scale);
			a[i] = (uint16_t)(uint8_t)(int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
		}
		mg.a = a;
	}
	mg.w = w;
	mg.scale = s;
	mg.zero = z;
	mg.out = o;
	{
		struct pe_params q = *p;
		q.weight_bits = bits;
		q.group_size = g->group;
		if ((st = pe_mixpe_run_gemm(&q, arr, &mg, 0, stepped, NULL, err)))
			goto out;
		*closed = pe_mixpe_tile_cycles(&q, arr, M, N, K);
	}
	for (uint64_t i = 0; i < M * N; i++)
		out[i] = fmt_f16_to_f64(o[i]) * a_scale;
out:
	free(w);
	free(z);
	free(s);
	free(a);
	free(o);
	return st;
}

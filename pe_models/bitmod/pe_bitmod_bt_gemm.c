/* pe_bitmod_bt_gemm.c - pe_ops.gemm_bt of BitMoD: the compiler's quantized
 * weights through pe_bitmod_run_gemm on the arch's array.
 *
 * bitmod3 / bitmod4 data (cc_quant.h) is what the PE reads as is: codes, a
 * type per group, 8-bit integer group scales and FP16 channel scales.
 * Symmetric INT data with one FP16 scale per group (int6-g128, the lossless
 * configuration's quantizer) is given BitMoD's two-level scales first, by
 * the quantizer's own rule: c = fp16(max_g s_g / 255) per row, s_q =
 * clamp(round_half_up(s_g / c), 1, 255) (0 for a zero scale), and each
 * weight re-encoded at s_q * c from its dequantized value q * s_g. That is
 * the precision the hardware has; the bit-true run's error against the
 * int6 reference includes it. */
#include "pe_bitmod_bt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

/* Two-level scales and re-encoded codes for per-group-scaled INT data. */
static void two_level(const struct pe_gemm *g, uint64_t G, uint64_t ng,
		      uint8_t *codes, uint8_t *sq, uint16_t *cs)
{
	for (uint64_t n = 0; n < g->N; n++) {
		double mx = 0, c;
		for (uint64_t j = 0; j < ng; j++)
			mx = fmax(mx, g->scale[n * ng + j]);
		cs[n] = fmt_f16_from_f64(mx / 255);
		c = fmt_f16_to_f64(cs[n]);
		for (uint64_t j = 0; j < ng; j++) {
			double s = g->scale[n * ng + j], eff, q = 0;
			if (s > 0 && c > 0)
				q = fmin(fmax(floor(s / c + 0.5), 1), 255);
			sq[n * ng + j] = (uint8_t)q;
			eff = q * c;
			for (uint64_t k = j * G; k < g->K && k < (j + 1) * G; k++) {
				double v = fmt_decode(g->fmt, g->codes[n * g->K + k]) * s;
				codes[n * g->K + k] = (uint8_t)fmt_encode(g->fmt,
									  eff > 0 ? v / eff : 0);
			}
		}
	}
}

enum ps_status pe_bitmod_gemm_bt(const struct pe_params *p,
				 const struct pe_array *arr,
				 const struct pe_gemm *g, double *out,
				 uint64_t *stepped, uint64_t *closed,
				 struct ps_err *err)
{
	uint64_t M = g->M, K = g->K, N = g->N;
	uint64_t G = g->group ? g->group : K, ng = (K + G - 1) / G;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	bool native = g->scale_q && g->chan_scale && g->codes;
	uint8_t *codes = NULL, *sq = NULL, *wf = NULL;
	uint16_t *cs = malloc(N * sizeof *cs), *o = malloc(M * N * sizeof *o);
	struct pe_params q = *p;
	struct pe_tile t = { M, N, K };
	struct pe_bitmod_gemm bg = { .M = M, .N = N, .K = K, .a = g->a };
	enum ps_status st = PS_OK;

	*stepped = *closed = 0;
	if (!cs || !o) {
		st = ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
		goto out;
	}
	if (!native && !(g->codes && g->scale && !g->zero && d &&
			 d->layout == FMT_L_TWOS &&
			 pe_bitmod_wtype_of_fmt(g->fmt) >= 0)) {
		st = ps_errf(err, PS_EINPUT, "bitmod PE: bit-true weights must be "
			     "BitMoD-quantized (quant bitmod3, bitmod4) or symmetric "
			     "INT per group (int4-g128, int6-g128, int8-g128)");
		goto out;
	}
	if (!g->gfmt) {
		wf = malloc(N * ng);
		if (!wf) {
			st = ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
			goto out;
		}
		memset(wf, g->fmt, N * ng);
	}
	if (native) {
		for (uint64_t n = 0; n < N; n++)
			cs[n] = fmt_f16_from_f32(g->chan_scale[n]);
	} else {
		codes = malloc(N * K);
		sq = malloc(N * ng);
		if (!codes || !sq) {
			st = ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
			goto out;
		}
		two_level(g, G, ng, codes, sq, cs);
	}
	bg.w = native ? g->codes : codes;
	bg.wfmt = g->gfmt ? g->gfmt : wf;
	bg.scale_q = native ? g->scale_q : sq;
	bg.cscale = cs;
	bg.out = o;
	q.group_size = (uint32_t)G;
	st = pe_bitmod_run_gemm(&q, arr, &bg, stepped, NULL, err);
	if (st)
		goto out;
	*closed = pe_bitmod_tile_cycles(&q, arr, &t);
	for (uint64_t i = 0; i < M * N; i++)
		out[i] = fmt_f16_to_f64(o[i]);
out:
	free(codes);
	free(sq);
	free(wf);
	free(cs);
	free(o);
	return st;
}

/* pe_baseline_gemm.c - bit-true GEMMs on arrays of the baseline PEs
 * (pe_family.gemm_bt for fp16, int8, bitfusion, ant, olive).
 *
 * Arrangement: rows x cols independent PEs, output-stationary. Output
 * (m, n) belongs to PE (n % rows, m % cols); each PE streams its dot
 * products back to back (the accumulator restarts on in_last), all PEs in
 * lockstep. Each dot is stepped through the PE's bit-true model
 * (pe_*_run_dot); a PE's stepped stream takes sum(cycles_i - 1) + 1 edges
 * (the last stage of dot i overlaps the first beat of dot i+1), and the
 * array takes its busiest PE's count. The closed form is the PE's
 * pe_*_cycles(dots, 1, k) for the busiest PE.
 *
 * Scaling the PEs' integer or FP16 results is outside the PE (per output
 * channel scales at the array edge, in double here): ANT and OliVe codes
 * are on their grids times a per-row scale; INT8 and BitFusion activations
 * are quantized per tensor to INT8 (symmetric, round half to even) and
 * weights per row. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "pe_baseline.h"

/* The baseline PE of a GEMM (one per family of this folder). */
enum bl_kind { BL_FP16, BL_INT8, BL_BITFUSION, BL_ANT, BL_OLIVE };

struct bl_ctx {
	const struct pe_gemm *g;
	const struct pe_params *p;
	int family;
	const int8_t *a8;	/* INT8 activations (int8, bitfusion) */
	double a_scale;
	int8_t *w8;		/* INT8 / INT4 weights per row */
	uint8_t *pairs;		/* OliVe pair codes per row */
	int olive_fmt, ant_fmt;
};

/* One output through the PE; its cycles in *cyc. */
static double dot(const struct bl_ctx *c, uint64_t m, uint64_t n, uint64_t *cyc)
{
	const struct pe_gemm *g = c->g;
	const uint16_t *a = g->a + m * g->K;
	size_t k = g->K;
	switch (c->family) {
	case BL_FP16:
		return fmt_f16_to_f64(pe_fp16_mac_run_dot(a, g->w_f16 + n * k, k, cyc, NULL));
	case BL_INT8:
		return (double)pe_int8_mac_run_dot(c->a8 + m * k, c->w8 + n * k, k, cyc, NULL) *
		       c->a_scale * g->scale[n];
	case BL_BITFUSION:
		return (double)pe_bitfusion_mac_run_dot(c->a8 + m * k, c->w8 + n * k, k, 8,
							c->p->code_bits <= 4 ? 4 : 8,
							cyc, NULL) * c->a_scale * g->scale[n];
	case BL_ANT:
		return fmt_f16_to_f64(pe_ant_mac_run_dot(a, g->codes + n * k, k, c->ant_fmt,
							 cyc, NULL)) * g->scale[n];
	default: /* OliVe */
		return fmt_f16_to_f64(pe_olive_mac_run_dot(a, c->pairs + n * ((k + 1) / 2), k,
							   c->olive_fmt, cyc, NULL)) * g->scale[n];
	}
}

static uint64_t one_pe_closed(const struct bl_ctx *c, uint64_t dots)
{
	uint64_t k = c->g->K;
	switch (c->family) {
	case BL_FP16:
		return pe_fp16_mac_cycles(dots, 1, k);
	case BL_INT8:
		return pe_int8_mac_cycles(dots, 1, k);
	case BL_BITFUSION:
		return pe_bitfusion_mac_cycles(dots, 1, k, 8,
					       c->p->code_bits <= 4 ? 4 : 8);
	case BL_ANT:
		return pe_ant_mac_cycles(dots, 1, k);
	default:
		return pe_olive_mac_cycles(dots, 1, k);
	}
}

/* Weights as the PE reads them. */
static enum ps_status prepare(struct bl_ctx *c, struct ps_err *err)
{
	const struct pe_gemm *g = c->g;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	uint64_t N = g->N, K = g->K;
	switch (c->family) {
	case BL_FP16:
		if (!g->w_f16)
			return ps_errf(err, PS_EINPUT, "fp16 PE: bit-true weights must stay FP16 (quant none)");
		return PS_OK;
	case BL_INT8:
	case BL_BITFUSION:
		if (!d || d->kind != FMT_K_INT || g->n_groups != 1 || !g->scale)
			return ps_errf(err, PS_EINPUT, "%s PE: bit-true weights must be per-channel INT (quant int8 / int4)",
				       c->family == BL_INT8 ? "int8" : "bitfusion");
		c->w8 = malloc(N * K);
		if (!c->w8)
			return ps_errf(err, PS_ENOMEM, "out of memory");
		for (uint64_t i = 0; i < N * K; i++)
			c->w8[i] = (int8_t)lrint(fmt_decode(g->fmt, g->codes[i]));
		return PS_OK;
	case BL_ANT:
		if (!d || g->n_groups != 1 || !g->scale || (g->fmt != FMT_INT4 && g->fmt != FMT_FLINT4))
			return ps_errf(err, PS_EINPUT, "ant PE: decodes per-channel int4 and flint4 codes (quant flint4), not %s",
				       d ? d->name : "per-group data");
		c->ant_fmt = g->fmt == FMT_INT4 ? PE_ANT_INT4 : PE_ANT_FLINT4;
		return PS_OK;
	default:
		if (!d || d->kind != FMT_K_OVP || !g->scale)
			return ps_errf(err, PS_EINPUT, "olive PE: needs OliVe pair codes (quant olive4 / olive4i)");
		c->olive_fmt = g->fmt == FMT_OLIVE4I ? PE_OLIVE_INT : PE_OLIVE_FLINT;
		c->pairs = calloc(N * ((K + 1) / 2), 1);
		if (!c->pairs)
			return ps_errf(err, PS_ENOMEM, "out of memory");
		for (uint64_t n = 0; n < N; n++)
			for (uint64_t p = 0; p < (K + 1) / 2; p++) {
				uint8_t lo = g->codes[n * K + 2 * p];
				uint8_t hi = 2 * p + 1 < K ? g->codes[n * K + 2 * p + 1] : 0;
				c->pairs[n * ((K + 1) / 2) + p] = (uint8_t)(hi << 4 | lo);
			}
		return PS_OK;
	}
}

static int8_t *quantize_acts(const struct pe_gemm *g, double *scale)
{
	int8_t *q = malloc(g->M * g->K);
	double mx = 0;
	if (!q)
		return NULL;
	for (uint64_t i = 0; i < g->M * g->K; i++) {
		double v = fabs(fmt_f16_to_f64(g->a[i]));
		if (v > mx && isfinite(v))
			mx = v;
	}
	*scale = mx > 0 ? mx / 127.0 : 1.0;
	for (uint64_t i = 0; i < g->M * g->K; i++) {
		double v = nearbyint(fmt_f16_to_f64(g->a[i]) / *scale);
		q[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
	}
	return q;
}

static enum ps_status gemm_bt(int family, const struct pe_params *p,
			      const struct pe_array *arr,
			      const struct pe_gemm *g, double *out,
			      uint64_t *stepped, uint64_t *closed,
			      struct ps_err *err)
{
	struct bl_ctx c = { .g = g, .p = p };
	uint64_t rows = arr->rows, cols = arr->cols, busiest = 0, dots_max = 0;
	int8_t *a8 = NULL;
	enum ps_status st;

	c.family = family;
	if ((st = prepare(&c, err)))
		goto out;
	if (c.family == BL_INT8 || c.family == BL_BITFUSION) {
		a8 = quantize_acts(g, &c.a_scale);
		if (!a8) {
			st = ps_errf(err, PS_ENOMEM, "out of memory");
			goto out;
		}
		c.a8 = a8;
	}
	for (uint64_t r = 0; r < rows && r < g->N; r++)
		for (uint64_t cc = 0; cc < cols && cc < g->M; cc++) {
			uint64_t edges = 0, dots = 0;
			for (uint64_t n = r; n < g->N; n += rows)
				for (uint64_t m = cc; m < g->M; m += cols) {
					uint64_t cyc = 0;
					out[m * g->N + n] = dot(&c, m, n, &cyc);
					edges += cyc - 1;
					dots++;
				}
			if (dots && edges + 1 > busiest)
				busiest = edges + 1;
			if (dots > dots_max)
				dots_max = dots;
		}
	*stepped = busiest;
	*closed = one_pe_closed(&c, dots_max);
out:
	free(a8);
	free(c.w8);
	free(c.pairs);
	return st;
}

#define WRAP(fn, fam)                                                         \
	enum ps_status fn(const struct pe_params *p, const struct pe_array *arr, \
			  const struct pe_gemm *g, double *out,                   \
			  uint64_t *stepped, uint64_t *closed,                    \
			  struct ps_err *err)                                     \
	{                                                                     \
		return gemm_bt(fam, p, arr, g, out, stepped, closed, err);    \
	}
WRAP(pe_fp16_gemm_bt, BL_FP16)
WRAP(pe_int8_gemm_bt, BL_INT8)
WRAP(pe_bitfusion_gemm_bt, BL_BITFUSION)
WRAP(pe_ant_gemm_bt, BL_ANT)
WRAP(pe_olive_gemm_bt, BL_OLIVE)

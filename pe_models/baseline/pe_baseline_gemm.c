/* pe_baseline_gemm.c - bit-true GEMMs on arrays of the baseline PEs: the
 * driver of pe_family.gemm_bt for fp16, int8, bitfusion, ant and olive, whose
 * PE files give its hooks (pe_baseline.h, struct pe_bl_gemm_pe).
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

enum ps_status pe_bl_gemm_w8(struct pe_bl_gemm *c, const char *pe,
			     struct ps_err *err)
{
	const struct pe_gemm *g = c->g;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	uint64_t N = g->N, K = g->K;

	if (!d || d->kind != FMT_K_INT || g->n_groups != 1 || !g->scale)
		return ps_errf(err, PS_EINPUT, "%s PE: bit-true weights must be per-channel INT (quant int8 / int4)",
			       pe);
	c->w8 = malloc(N * K);
	c->a8 = quantize_acts(g, &c->a_scale);
	if (!c->w8 || !c->a8)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t i = 0; i < N * K; i++)
		c->w8[i] = (int8_t)lrint(fmt_decode(g->fmt, g->codes[i]));
	return PS_OK;
}

enum ps_status pe_bl_gemm_run(const struct pe_bl_gemm_pe *pe,
			      const struct pe_params *p,
			      const struct pe_array *arr,
			      const struct pe_gemm *g, double *out,
			      uint64_t *stepped, uint64_t *closed,
			      struct ps_err *err)
{
	struct pe_bl_gemm c = { .g = g, .p = p };
	uint64_t rows = arr->rows, cols = arr->cols, busiest = 0, dots_max = 0;
	enum ps_status st;

	if ((st = pe->prepare(&c, err)))
		goto out;
	for (uint64_t r = 0; r < rows && r < g->N; r++)
		for (uint64_t cc = 0; cc < cols && cc < g->M; cc++) {
			uint64_t edges = 0, dots = 0;
			for (uint64_t n = r; n < g->N; n += rows)
				for (uint64_t m = cc; m < g->M; m += cols) {
					uint64_t cyc = 0;
					out[m * g->N + n] = pe->dot(&c, m, n, &cyc);
					edges += cyc - 1;
					dots++;
				}
			if (dots && edges + 1 > busiest)
				busiest = edges + 1;
			if (dots > dots_max)
				dots_max = dots;
		}
	*stepped = busiest;
	*closed = pe->closed(&c, dots_max);
out:
	free(c.a8);
	free(c.w8);
	free(c.pairs);
	free(c.wf16);
	return st;
}

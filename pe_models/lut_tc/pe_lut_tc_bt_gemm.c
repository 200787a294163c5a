/* pe_lut_tc_bt_gemm.c - pe_ops.gemm_bt of the LUT Tensor Core: the
 * quantizer's lut-int<W> data (codes of lut_pm1_w<W>, s', z' per group) as
 * the tile reads it, through pe_lut_tc_run_gemm. Stepped cycles are the
 * precompute unit's plus the tile's (the precompute runs first, as a
 * separate operator); the closed form is pe_lut_tc_pre_cycles +
 * pe_lut_tc_tile_cycles. FP16 tables (the arch's table_bits 16; 8 selects
 * the INT8 option). */
#include <math.h>
#include <stdlib.h>

#include "fmt.h"
#include "pe_lut_tc.h"

enum ps_status pe_lut_tc_gemm_bt(const struct pe_params *p,
				 const struct pe_array *arr,
				 const struct pe_gemm *g, double *out,
				 uint64_t *stepped, uint64_t *closed,
				 struct ps_err *err)
{
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	uint64_t NG = g->N * (g->n_groups ? g->n_groups : 1);
	uint16_t *s = malloc(NG * sizeof *s), *o = malloc(g->M * g->N * sizeof *o);
	int16_t *z = malloc(NG * sizeof *z);
	struct pe_lut_tc_gemm lg;
	struct pe_lut_tc_run run;
	enum ps_status st = PS_OK;
	(void)arr;

	if (!s || !o || !z) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	if (!d || !g->zero || !g->group) {
		st = ps_errf(err, PS_EINPUT, "lut_tc tile: bit-true weights must be per-group lut-int<W> data (quant lut-int2)");
		goto out;
	}
	for (uint64_t i = 0; i < NG; i++) {
		s[i] = fmt_f16_from_f32(g->scale[i]);
		z[i] = (int16_t)lrint(g->zero[i]);
	}
	lg = (struct pe_lut_tc_gemm){
		.m = g->M, .n = g->N, .k = g->K, .w_bits = d->bits,
		.group = g->group, .int8_tables = p->table_bits == 8,
		.a = g->a, .codes = g->codes, .scale = s, .zero = z,
	};
	if ((st = pe_lut_tc_run_gemm(&lg, o, &run, err)))
		goto out;
	*stepped = run.pre_cycles + run.mm_cycles;
	*closed = pe_lut_tc_pre_cycles(g->M, g->K) +
		  pe_lut_tc_tile_cycles(g->M, g->N, g->K, d->bits, g->group);
	for (uint64_t i = 0; i < g->M * g->N; i++)
		out[i] = fmt_f16_to_f64(o[i]);
out:
	free(s);
	free(o);
	free(z);
	return st;
}

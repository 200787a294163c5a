/* pe_flightllm_ops.c - the family's pe_ops: closed-form tile timing for the
 * engine and the bit-true GEMM (gemm_bt) through the stepped chains.
 *
 * Array (README.md "Array"): a PE is one DSP48E2. pe_params.lanes is the
 * chain depth D (DSPs per chain, as for the bit-true chain); the array's
 * cols are N of N:16 (the DSPs of one output-channel slot) and its rows the
 * slots, chains x D / N, so rows x cols counts the DSPs and the generic
 * mapper (rows along the GEMM's N, cols along M, lanes... ) tiles output
 * channels by what one wavefront covers. The chains are rows x cols / D.
 * Each DSP handles one kept weight per cycle for two activations (the
 * INT8x2 packed pair of two tokens): 2 INT8 MACs per DSP-cycle on kept
 * weights, 2 x 16/N dense-equivalent. The U280 preset (rows 1024, cols 2,
 * lanes 16) is the artifact's MM mode (N,K,M) = (2,16,128): 128 chains of
 * 16 DSPs, 4096 MACs per cycle on kept weights. */
#include "pe_flightllm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* Chain depth, chains and N of an array (see the header). */
static void fl_shape(const struct pe_params *p, const struct pe_array *a,
		     uint32_t *D, uint32_t *C, uint32_t *N)
{
	uint64_t dsps = (uint64_t)a->rows * a->cols;
	*D = p->lanes >= 2 ? p->lanes & ~1u : 2;
	*N = a->cols ? a->cols : PE_FL_M;
	*C = dsps >= *D ? (uint32_t)(dsps / *D) : 1;
}

static uint32_t fl_step_cycles(const struct pe_params *p)
{
	(void)p;
	return 1;	/* one wavefront per cycle */
}

static void fl_tile_timing(const struct pe_params *p, const struct pe_array *a,
			   const struct pe_tile *t, bool compat,
			   struct pe_tile_timing *out)
{
	uint32_t D, C, N;
	fl_shape(p, a, &D, &C, &N);
	memset(out, 0, sizeof *out);
	out->steps = pe_flightllm_tile_waves(D, C, N, t->m, t->n, t->k);
	if (!out->steps)
		return;
	/* DSP-cycles on kept-weight slots (empty slots of a block included) */
	out->busy_pe_cycles = cdiv(t->m, 2) * cdiv(t->k, PE_FL_M) * t->n * N;
	if (compat) {
		out->cycles = out->interval = out->steps;
		return;
	}
	/* one wavefront enters per cycle; the next tile's follow them */
	out->cycles = pe_flightllm_tile_cycles(D, C, N, t->m, t->n, t->k);
	out->interval = out->steps;
	out->drain = out->cycles - out->steps;
}

/* Per wavefront every DSP takes one kept weight (rows x cols of them) and
 * each of the cols slots' chains the 16 activations of the two packed
 * tokens of its K block (the generic lanes-per-PE reads would count a
 * chain's depth of weights per DSP). */
static void fl_read_bits(const struct cfg_arch *a, const struct pe_array *arr,
			 const struct pe_tile *t, const struct pe_tile_timing *tt,
			 uint32_t wbits, uint32_t abits, uint64_t *w, uint64_t *x)
{
	(void)a;
	(void)t;
	*w = tt->steps * arr->rows * arr->cols * wbits;
	*x = tt->steps * 2 * PE_FL_M * abits;
}

/* ---- bit-true GEMM ---- */

/* Per (token, channel): the integer sum of the current quantization group,
 * dequantized into out when the next group's first block arrives (blocks
 * arrive in order) and at the end: out += sum x s_w x s_a. */
struct dq_sink {
	const struct pe_gemm *g;
	const double *sa;
	double *out;
	int64_t *acc;
	uint32_t *grp;		/* group + 1, 0: none yet */
	uint64_t ng, bpg;
};

static void dq_flush(struct dq_sink *s, uint64_t i)
{
	uint64_t tok = i / s->g->N, ch = i % s->g->N;
	if (s->grp[i])
		s->out[i] += (double)s->acc[i] *
			     ((double)s->g->scale[ch * s->ng + s->grp[i] - 1] * s->sa[tok]);
	s->acc[i] = 0;
	s->grp[i] = 0;
}

static void dq_put(void *ctx, uint64_t tok, uint64_t ch, uint64_t blk, int64_t v)
{
	struct dq_sink *s = ctx;
	uint64_t i = tok * s->g->N + ch;
	uint32_t gi = (uint32_t)(blk / s->bpg) + 1;
	if (s->grp[i] != gi) {
		dq_flush(s, i);
		s->grp[i] = gi;
	}
	s->acc[i] += v;
}

enum ps_status pe_flightllm_quant_acts(const struct pe_gemm *g, int8_t *q,
				       double *sa, struct ps_err *err)
{
	const struct fmt_desc *da = fmt_get(FMT_INT8_ACT);
	for (uint64_t m = 0; m < g->M; m++) {
		const uint16_t *row = g->a + m * g->K;
		double amax = 0, s;
		for (uint64_t k = 0; k < g->K; k++) {
			double x = fabs(fmt_f16_to_f64(row[k]));
			if (!isfinite(x))
				return ps_errf(err, PS_EINPUT, "flightllm: activation [%llu,%llu] is not finite",
					       (unsigned long long)m, (unsigned long long)k);
			if (x > amax)
				amax = x;
		}
		s = amax > 0 ? (double)fmt_f16_round(amax / 127.0) : 1.0;
		if (sa)
			sa[m] = s;
		for (uint64_t k = 0; k < g->K; k++)
			q[m * g->K + k] = (int8_t)da->values[fmt_nearest(da, fmt_f16_to_f64(row[k]) / s)];
	}
	return PS_OK;
}

static enum ps_status fl_gemm_bt(const struct pe_params *p,
				 const struct pe_array *arr,
				 const struct pe_gemm *g, double *out,
				 uint64_t *stepped, uint64_t *closed,
				 struct ps_err *err)
{
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	struct pe_flightllm_cfg cfg = { .oau = PE_FL_OAU_AUTO };
	struct pe_flightllm_weights wt = { .n = g->N, .k = g->K };
	struct pe_flightllm_run run;
	struct dq_sink s = { .g = g };
	struct pe_fl_sink sk = { dq_put, &s };
	uint64_t G = g->group && g->group < g->K ? g->group : g->K, MN = g->M * g->N;
	int8_t *q = NULL;
	double *sa = NULL;
	uint32_t C, N;
	enum ps_status st;

	if (p->lanes < 2 || p->lanes % 2)
		return ps_errf(err, PS_EINPUT, "flightllm: pe.lanes %u: the chain depth must be even",
			       p->lanes);
	fl_shape(p, arr, &cfg.depth, &C, &N);
	if (!d || d->kind != FMT_K_INT || d->layout != FMT_L_TWOS || d->activation ||
	    d->bits < 2 || d->bits > 8 || !g->scale || g->zero)
		return ps_errf(err, PS_EINPUT,
			       "flightllm: weights must be symmetric INT-2..8 codes with group scales "
			       "(quantizer nm<N>of16-int<b> or int<b>-g<G>), not %s",
			       d ? d->name : g->fmt == -1 ? "per-group formats" : "FP16");
	if (g->nm_meta && (g->nm_m != PE_FL_M || g->nm_stride < 2))
		return ps_errf(err, PS_EINPUT, "flightllm: N:M with M = %u; the sparse MUX takes M = 16",
			       g->nm_m);
	if (G % PE_FL_M && G != g->K)
		return ps_errf(err, PS_EINPUT,
			       "flightllm: group %llu is not a multiple of the 16-block of the sparse MUX",
			       (unsigned long long)G);
	cfg.wbits = (uint32_t)d->bits;
	wt.nm_n = g->nm_meta ? (uint32_t)(2 * (g->nm_stride - 1)) : PE_FL_M;
	wt.codes = g->codes;
	wt.meta = g->nm_meta;
	wt.vals = g->nm_vals;
	s.ng = g->n_groups ? g->n_groups : 1;
	s.bpg = G % PE_FL_M ? cdiv(G, PE_FL_M) : G / PE_FL_M;
	s.out = out;
	q = malloc(g->M * g->K + 1);
	sa = malloc((g->M + 1) * sizeof *sa);
	s.acc = calloc(MN + 1, sizeof *s.acc);
	s.grp = calloc(MN + 1, sizeof *s.grp);
	if (!q || !sa || !s.acc || !s.grp) {
		st = ps_errf(err, PS_ENOMEM, "flightllm: GEMM %llux%llux%llu does not fit in memory",
			     (unsigned long long)g->M, (unsigned long long)g->K,
			     (unsigned long long)g->N);
		goto out;
	}
	s.sa = sa;
	if ((st = pe_flightllm_quant_acts(g, q, sa, err)))
		goto out;
	memset(out, 0, MN * sizeof *out);
	st = pe_flightllm_run_gemm_to(&cfg, C, &wt, q, g->M, &sk, &run, err);
	if (st)
		goto out;
	for (uint64_t i = 0; i < MN; i++)
		dq_flush(&s, i);
	*stepped = run.cycles;
	*closed = pe_flightllm_tile_cycles(cfg.depth, C, wt.nm_n, g->M, g->N, g->K);
out:
	free(q);
	free(sa);
	free(s.acc);
	free(s.grp);
	return st;
}

/* ---- the family descriptor ---- */

static bool fl_runs(const struct fmt_qspec *q, char *why, size_t n)
{
	if (q->method == FMT_QM_NM && q->bits >= 2 && q->bits <= 8)
		return true;
	snprintf(why, n, "the sparse MUX and decode units take N:16 pruned INT2..INT8 codes (nm2of16-int4)");
	return false;
}

/* The array's cols are the N of N:16 (the DSPs of one output-channel slot,
 * README "Array"): they must agree with the weight format. */
static enum ps_status fl_check(const struct cfg_arch *a, struct ps_err *err)
{
	for (int ph = 0; ph < 2; ph++) {
		struct fmt_qspec q;
		const struct cfg_shape *sh = cfg_arch_shape(a, ph);
		pe_weight_format(a, NULL, ph, &q);
		if (sh->cols != (uint32_t)q.nm_n)
			return cfg_arch_errf(a, ph ? "array.decode.cols" : "array.prefill.cols", err,
					     "%u, but a FlightLLM slot has one DSP per kept weight: "
					     "the %s weights keep N = %d of 16",
					     sh->cols, q.name, q.nm_n);
	}
	return PS_OK;
}

/* N:M (M = 16): only the kept values are stored, plus per 16-block a count
 * byte and a 4-bit index per kept value (fmt_qspec.h); K tiles align to
 * the blocks and the groups. */
static void fl_layout(const struct cfg_arch *a, const struct pe_params *p,
		      struct pe_layout *l)
{
	(void)a;
	if (!p->wq.nm_n || p->wq.nm_n == p->wq.nm_m)
		return;
	l->wbits = (uint32_t)p->wq.bits;	/* a kept code's width */
	l->code_bits = (double)p->wq.bits * p->wq.nm_n / p->wq.nm_m;
	l->side_bits = p->wq.stored_bits - l->code_bits;
	l->k_align = l->group > (uint32_t)p->wq.nm_m ? l->group : (uint32_t)p->wq.nm_m;
}

static const struct pe_bt_ops *const fl_bt[] = {
	&pe_dsp48e2_bt, &pe_flightllm_chain_bt, NULL
};

const struct pe_family pe_family_flightllm = {
	.name = "flightllm",
	.folder = "flightllm",
	.summary = "FlightLLM CSD chain: DSP48E2 INT8x2 packed MACs, N:16 sparse MUX, reduction nodes",
	.default_weights = "nm2of16-int4",
	/* chains of DSPs, each output's sum in its chain: no systolic folds */
	.array_modes = PE_DF(CFG_DF_OS) | PE_FOLDS(CFG_FOLDS_OVERLAPPED),
	.runs = fl_runs,
	.check = fl_check,
	.layout = fl_layout,
	.step_cycles = fl_step_cycles,
	.tile_timing = fl_tile_timing,
	.read_bits = fl_read_bits,
	.gemm_bt = fl_gemm_bt,
	.bt_models = fl_bt,
};

/* pe_mixpe_timing.c - timing-level ops of MixPE (its pe_family descriptor) and the
 * closed form of the stepped array (README.md "Timing").
 *
 * The PE takes every bit of a weight in one cycle (a shift&add tree, not
 * bit-serial), `lanes` weight/activation pairs per cycle along K. MixPE's
 * evaluation runs the 8/4-bit (W4A8) and 16/8-bit (W4A16) PEs at the
 * fusion factor pf = floor(pmax / max(bits, pmin)) per operand (mixpe.md):
 * 4-bit weights at 2x, so the presets have lanes = 2. A weight wider than
 * the PE's slot (pmin: 4 bits beside INT8 activations, 8 beside FP16; the
 * INT8/FP16 KV cache of attention GEMMs) takes ceil(bits / slot) lanes, or
 * ceil(slots / lanes) cycles when that exceeds the lanes:
 *   slots = ceil(wbits / slot)
 *   lanes_eff = lanes / slots, step = 1        (slots <= lanes)
 *   lanes_eff = 1, step = ceil(slots / lanes)  (otherwise)
 * which reproduces pf_w for every operand width of the paper's runs
 * (W4/W2: 2, W8 on the 8/4 PE: 1, W8 on the 16/8 PE: 2, W16 on it: 1).
 * The bit-true PE covers wbits <= 4 (one slot per lane); wider weights are
 * timing only. The paper spreads pf_w over the array's columns, we over K:
 * the same MACs per cycle, different edge rounding.
 *
 * Tile timing: pe_systolic_timing, output-stationary as the paper's array.
 * Dequantization sits inside each PE behind the accumulators (stages A,
 * D1, D2, D3 after the product stage), so it costs throughput nothing and
 * only the last group of an output tile is exposed: dq_cycles =
 * PE_MIXPE_DQ_LATENCY. The stepped array then takes exactly
 *   pe_systolic_timing(...).cycles + PE_MIXPE_DQ_LATENCY
 * cycles (pe_mixpe_tile_cycles; test_pe_mixpe proves it). */
#include "pe_mixpe.h"

#include <math.h>
#include <stdio.h>

static uint32_t mixpe_wbits(const struct pe_params *p)
{
	uint32_t b = pe_code_bits(p);
	return b ? b : 4;
}

static uint32_t mixpe_abits(const struct pe_params *p)
{
	if (p->a_bits)
		return p->a_bits;
	return p->act_bits ? p->act_bits : 8;
}

void pe_mixpe_lanes_step(const struct pe_params *p, uint32_t *lanes,
			 uint32_t *step)
{
	uint32_t L = p->lanes ? p->lanes : 2;
	uint32_t slot = mixpe_abits(p) > 8 ? 8 : 4;
	uint32_t slots = (mixpe_wbits(p) + slot - 1) / slot;

	if (slots <= L) {
		*lanes = L / slots;
		*step = 1;
	} else {
		*lanes = 1;
		*step = (slots + L - 1) / L;
	}
}

static uint32_t mixpe_step_cycles(const struct pe_params *p)
{
	uint32_t lanes, step;
	pe_mixpe_lanes_step(p, &lanes, &step);
	return step;
}

static void mixpe_tile_timing(const struct pe_params *p,
			      const struct pe_array *a,
			      const struct pe_tile *t, bool compat,
			      struct pe_tile_timing *out)
{
	uint32_t lanes, step;
	pe_mixpe_lanes_step(p, &lanes, &step);
	pe_systolic_timing(a, t, lanes, step, compat, out);
}

static uint32_t mixpe_dq_cycles(const struct pe_params *p)
{
	(void)p;
	return PE_MIXPE_DQ_LATENCY;
}

/* The 8/4-bit PE beside INT8 activations, the 16/8-bit one beside FP16
 * (mixpe.md: pmax the activation width, pmin half of it). */
static void mixpe_fusion(const struct pe_params *p, uint32_t *pmax,
			 uint32_t *pmin)
{
	*pmax = mixpe_abits(p) > 8 ? 16 : 8;
	*pmin = *pmax / 2;
}

uint64_t pe_mixpe_tile_cycles(const struct pe_params *p,
			      const struct pe_array *arr, uint64_t m,
			      uint64_t n, uint64_t k)
{
	struct pe_tile t = { .m = m, .n = n, .k = k };
	struct pe_tile_timing tt;
	if (!m || !n || !k)
		return 0;
	mixpe_tile_timing(p, arr, &t, false, &tt);
	return tt.cycles + mixpe_dq_cycles(p);
}

/* Asymmetric INT2..4 per group: the zero point and scale applied once per
 * group after the shift&add sums (mixpe-int<b>, or int<b>a-g<G>). */
static bool mixpe_runs(const struct fmt_qspec *q, char *why, size_t n)
{
	const struct fmt_desc *d = fmt_get(q->fmt);
	if ((q->method == FMT_QM_MIXPE || q->method == FMT_QM_GROUP) &&
	    d->kind == FMT_K_UINT && q->bits >= 2 && q->bits <= 4)
		return true;
	snprintf(why, n, "the shift&add PE takes per-group asymmetric INT2..INT4 (mixpe-int4)");
	return false;
}

static const struct pe_bt_ops *const mixpe_bt[] = {
	&pe_mixpe_pe_bt, &pe_mixpe_array_bt, NULL
};

const struct pe_family pe_family_mixpe = {
	.name = "mixpe",
	.folder = "mixpe",
	.summary = "MixPE shift&add PE: INT2/4 weights x INT8/FP16, all weight bits per cycle, dequantize after the group",
	.default_weights = "mixpe-int4",
	/* the bit-true array is output-stationary (pe_mixpe_array.c) */
	.array_modes = PE_DF(CFG_DF_OS) | PE_FOLDS(CFG_FOLDS_OVERLAPPED) |
		       PE_FOLDS(CFG_FOLDS_SCALESIM),
	.runs = mixpe_runs,
	/* dequantize after the group: scale x (sum a.q - zero x sum a) */
	.layout = pe_layout_dequant,
	.step_cycles = mixpe_step_cycles,
	.tile_timing = mixpe_tile_timing,
	.dq_cycles = mixpe_dq_cycles,
	.fusion = mixpe_fusion,
	.gemm_bt = pe_mixpe_gemm_bt,
	.bt_models = mixpe_bt,
};

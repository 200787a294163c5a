/* pe_mac.c - timing of the one-weight-per-cycle MAC baselines.
 *
 * FP16 MAC, INT8 MAC, and the FP16xINT8 FMA that BitMoD uses as the stand-in
 * PE of ANT and OliVe (bitmod.md, "Synthesis figures"): each consumes one
 * weight per lane per cycle whatever the weight width, so one array step is
 * one cycle. The decode of flint/OVP codes in front of the FMA is pipelined
 * and costs no throughput. ANT's own PE is a BitFusion-style fusible
 * 4/8-bit MAC (see pe_bitfusion.c); here ANT and OliVe are modelled as
 * BitMoD evaluates them, since that is the comparison pesim reproduces.
 *
 * Tile timing: the generic systolic array (pe_systolic.c) with the PE's
 * lanes along K and one cycle per step. */
#include <stdio.h>

#include "pe.h"
#include "pe_baseline.h"

static uint32_t one_cycle(const struct pe_params *p)
{
	(void)p;
	return 1;
}

static void mac_tile_timing(const struct pe_params *p,
			    const struct pe_array *a, const struct pe_tile *t,
			    bool compat, struct pe_tile_timing *out)
{
	pe_systolic_timing(a, t, p->lanes, one_cycle(p), compat, out);
}

/* FP16 weights, or per-group INT codes that the array's edge dequantizes
 * to FP16 before the MACs (how a MAC tensor core runs mpGEMM: the LUT
 * Tensor Core paper's baseline); stored bits are the format's. */
static bool runs_fp16(const struct fmt_qspec *q, char *why, size_t n)
{
	if (!fmt_qspec_quantized(q) || (q->method == FMT_QM_GROUP && !q->avg_bits))
		return true;
	snprintf(why, n, "the FP16 MAC multiplies FP16 weights (none) or per-group INT codes dequantized to FP16 (int4-g128, int2a-g128)");
	return false;
}

/* Per-channel INT codes of at most `max` bits. */
static bool channel_int(const struct fmt_qspec *q, unsigned max, char *why,
			size_t n)
{
	const struct fmt_desc *d = fmt_get(q->fmt);
	if (q->method == FMT_QM_CHANNEL && d->kind == FMT_K_INT &&
	    (unsigned)q->bits <= max)
		return true;
	snprintf(why, n, "its multipliers take per-channel INT%u (or narrower) codes, e.g. int%u",
		 max, max);
	return false;
}

static bool runs_int8(const struct fmt_qspec *q, char *why, size_t n)
{
	return channel_int(q, 8, why, n);
}

static bool runs_ant(const struct fmt_qspec *q, char *why, size_t n)
{
	if (q->method == FMT_QM_CHANNEL && (q->fmt == FMT_INT4 || q->fmt == FMT_FLINT4))
		return true;
	snprintf(why, n, "the ANT PE decodes per-channel int4 and flint4 codes");
	return false;
}

static bool runs_olive(const struct fmt_qspec *q, char *why, size_t n)
{
	if (q->method == FMT_QM_OLIVE)
		return true;
	snprintf(why, n, "the OliVe PE decodes outlier-victim pairs (olive4, olive4i)");
	return false;
}

/* the MACs, and the DP4 units built from them that the LUT Tensor Core's
 * density is compared with (verify and area only: gemm_bt runs the MACs) */
static const struct pe_bt_ops *const fp16_bt[] = { &pe_fp16_mac_bt, &pe_fp16_dp4_mac_bt, NULL };
static const struct pe_bt_ops *const int8_bt[] = { &pe_int8_mac_bt, &pe_int8_dp4_mac_bt, NULL };
static const struct pe_bt_ops *const ant_bt[] = { &pe_ant_mac_bt, NULL };
static const struct pe_bt_ops *const olive_bt[] = { &pe_olive_mac_bt, NULL };

const struct pe_family pe_family_fp16 = {
	.name = "fp16",
	.folder = "baseline",
	.summary = "FP16 MAC, one weight per lane per cycle",
	.default_weights = "none",
	.runs = runs_fp16,
	.array_modes = PE_SYSTOLIC_MODES,
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
	.gemm_bt = pe_fp16_gemm_bt,
	.bt_models = fp16_bt,
};

const struct pe_family pe_family_int8 = {
	.name = "int8",
	.folder = "baseline",
	.summary = "INT8 MAC, one weight per lane per cycle",
	.default_weights = "int8",
	.runs = runs_int8,
	.array_modes = PE_SYSTOLIC_MODES,
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
	.gemm_bt = pe_int8_gemm_bt,
	.bt_models = int8_bt,
};

const struct pe_family pe_family_ant = {
	.name = "ant",
	.folder = "baseline",
	.summary = "ANT: flint/int decode into an FP16xINT8 FMA (BitMoD's stand-in PE)",
	.default_weights = "flint4",
	.runs = runs_ant,
	.array_modes = PE_SYSTOLIC_MODES,
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
	.gemm_bt = pe_ant_gemm_bt,
	.bt_models = ant_bt,
};

const struct pe_family pe_family_olive = {
	.name = "olive",
	.folder = "baseline",
	.summary = "OliVe: outlier-victim pair decode into an FP16xINT8 FMA",
	.default_weights = "olive4",
	.runs = runs_olive,
	.array_modes = PE_SYSTOLIC_MODES,
	.step_cycles = one_cycle,
	.tile_timing = mac_tile_timing,
	.gemm_bt = pe_olive_gemm_bt,
	.bt_models = olive_bt,
};

/* BitFusion's PE (pe_bitfusion.c) runs what the INT8 MAC runs. */
bool pe_baseline_runs_int8(const struct fmt_qspec *q, char *why, size_t n)
{
	return channel_int(q, 8, why, n);
}

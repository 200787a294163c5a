/* pe_bitfusion.c - timing of a BitFusion-style fusible 8/4-bit MAC (Sharma
 * et al., ISCA 2018; the "8/4" PE of MixPE's and ANT's evaluations,
 * mixpe.md).
 *
 * The PE is built from small multipliers that fuse into one 8x8 product or
 * split into several narrower ones. Per operand the fusion factor is
 *   pf = floor(pmax / max(bits, pmin)),  pmax = 8, pmin = 4
 * (mixpe.md, "Their evaluation method"): an 8-bit operand runs at 1x, a
 * 4-bit (or narrower) one at 2x, so W4A8 does 2 products per lane per
 * cycle and W4A4 does 4. The products of one PE are summed by its adder
 * tree, so the extra products are extra lanes along K:
 *   effective lanes = lanes * pf_w * pf_a.
 * MixPE's model spreads pf_a over the array rows and pf_w over the columns
 * instead; the MAC throughput is the same, only the edge rounding differs.
 *
 * Operands wider than pmax (FP16/INT16 activations, 16-bit weights) are
 * split into ceil(bits/8) 8-bit slices that run one after the other, as
 * BitFusion's temporal mode does: pf = 1 and the step takes
 *   step = ceil(w_bits/8) * ceil(a_bits/8) cycles (1 for <= 8-bit operands).
 * An FP16 activation is treated as a 16-bit integer (the exponent alignment
 * BitFusion does not have is not modelled).
 *
 * Weight bits are the code width of the weight format (int4: 4). Activation bits are p->a_bits (the op's
 * activation operand), else p->act_bits, else 8.
 *
 * step_cycles cannot express fusion (a step is a whole number of cycles), so
 * a caller that multiplies step_cycles by its own ceil(k/lanes) (the compat
 * model of sim_compat.c) runs this PE at INT8 speed; tile_timing carries the
 * fusion. */
#include "pe.h"
#include "pe_baseline.h"

#include <math.h>

#define BF_PMAX 8u
#define BF_PMIN 4u

static uint32_t bf_weight_bits(const struct pe_params *p)
{
	uint32_t b = pe_code_bits(p);
	return b ? b : BF_PMAX;
}

static uint32_t bf_act_bits(const struct pe_params *p)
{
	if (p->a_bits)
		return p->a_bits;
	return p->act_bits ? p->act_bits : BF_PMAX;
}

/* Fusion factor of one operand: products per lane per cycle along it. */
static uint32_t bf_pf(uint32_t bits)
{
	if (bits > BF_PMAX)
		return 1;
	return BF_PMAX / (bits > BF_PMIN ? bits : BF_PMIN);
}

/* Temporal slices of one operand wider than the PE. */
static uint32_t bf_slices(uint32_t bits)
{
	return (bits + BF_PMAX - 1) / BF_PMAX;
}

static uint32_t bitfusion_step_cycles(const struct pe_params *p)
{
	return bf_slices(bf_weight_bits(p)) * bf_slices(bf_act_bits(p));
}

static void bitfusion_tile_timing(const struct pe_params *p,
				  const struct pe_array *a,
				  const struct pe_tile *t, bool compat,
				  struct pe_tile_timing *out)
{
	uint32_t lanes = (p->lanes ? p->lanes : 1) *
			 bf_pf(bf_weight_bits(p)) * bf_pf(bf_act_bits(p));
	pe_systolic_timing(a, t, lanes, bitfusion_step_cycles(p), compat, out);
}

static void bitfusion_fusion(const struct pe_params *p, uint32_t *pmax,
			     uint32_t *pmin)
{
	(void)p;
	*pmax = BF_PMAX;
	*pmin = BF_PMIN;
}

static const struct pe_bt_ops *const bitfusion_bt[] = { &pe_bitfusion_mac_bt, NULL };

const struct pe_family pe_family_bitfusion = {
	.name = "bitfusion",
	.folder = "baseline",
	.summary = "BitFusion-style fusible 8/4-bit MAC: 4-bit operands at 2x per dimension",
	.default_weights = "int4",
	.runs = pe_baseline_runs_int8,
	.array_modes = PE_SYSTOLIC_MODES,
	.step_cycles = bitfusion_step_cycles,
	.tile_timing = bitfusion_tile_timing,
	.fusion = bitfusion_fusion,
	.gemm_bt = pe_bitfusion_gemm_bt,
	.bt_models = bitfusion_bt,
};

/* pe_bitmod.c - timing of BitMoD's term-serial PE (bitmod.md, "PE
 * micro-architecture").
 *
 * Each lane consumes one weight term per cycle. INT weights are radix-4 Booth
 * encoded, 2 bits per term: ceil(b/2) cycles for b-bit INT (INT8 4, INT6 3,
 * INT4 2). FP3/FP4 weights, special values included, have at most two terms:
 * 2 cycles. The width is the weight format's code width (bitmod4 -> 4 -> 2
 * cycles, bitmod-int6 -> 3 cycles, bitmod3 -> 2 cycles), as the paper's
 * model has it. A PE that is not bit-serial (pe.bit_serial: false, this
 * family's own key) takes 1 cycle.
 *
 * Tile timing: the generic systolic array (pe_systolic.c) with the PE's
 * lanes (4 in the paper) along K and the step cycles above.
 * Dequantization: the group sum is multiplied by the integer group scale one
 * scale bit per cycle (bit-serial, MSB first), so a group costs scale_bits
 * cycles (8 in the paper); the unit pipelines behind the accumulators, so
 * only the last group of an output tile is exposed: dq_cycles = scale_bits
 * per output tile.
 *
 * The bit-true model (pe_bitmod_pe.c, pe_bitmod_array.c, README.md) has its
 * own closed form, pe_bitmod_tile_cycles, which gemm_bt reports.
 */
#include "pe.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "cfg_yaml.h"

#include "pe_bitmod_bt.h"

static uint32_t bitmod_step_cycles(const struct pe_params *p)
{
	uint32_t b;
	if (!p->bit_serial)
		return 1;
	b = pe_code_bits(p);
	return (b + 1) / 2;
}

static void bitmod_tile_timing(const struct pe_params *p,
			       const struct pe_array *a,
			       const struct pe_tile *t, bool compat,
			       struct pe_tile_timing *out)
{
	/* steps, busy PE-cycles, compat cycles and SCALE-Sim's folds from the
	 * shared systolic model; cycle-mode cycles from the bit-true array's
	 * closed form (pe_bitmod_gemm.c), which its tests prove equal to
	 * stepping and which already holds the per-group dequantizer: the
	 * passes enter row 0 over `stream` edges (the next tile's follow
	 * them), the last term reaches PE (R-1, C-1) R+C-2 edges later
	 * (fill), and its result leaves through the PE pipeline, the
	 * dequantizer and the shadow chain (drain). */
	pe_systolic_timing(a, t, p->lanes, bitmod_step_cycles(p), compat, out);
	/* (the bit-true array is the term-serial PE: a PE that takes a whole
	 * weight per cycle is the systolic model's with one cycle per step) */
	if (!compat && a->folds == CFG_FOLDS_OVERLAPPED && p->bit_serial &&
	    p->lanes >= 1 && p->lanes <= 4 && t->m && t->n && t->k) {
		uint64_t c = pe_bitmod_tile_cycles(p, a, t);
		uint64_t stream = pe_bitmod_tile_stream(p, a, t);
		out->fill = (a->rows ? a->rows - 1 : 0) + (a->cols ? a->cols - 1 : 0);
		out->drain = c - stream - out->fill;
		out->cycles = c;
		out->interval = stream;
	}
}

/* The dequantizer's cycles are inside tile_timing's closed form. */
static uint32_t bitmod_dq_cycles(const struct pe_params *p)
{
	(void)p;
	return 0;
}

/* The keys BitMoD adds to the arch's pe: block. */
struct pe_bitmod_arch {
	bool bit_serial;	/* weights a term per lane per cycle */
	bool emax_all;		/* exponent max over every lane (the paper's) */
};

static const struct pe_bitmod_arch bitmod_defaults = { .bit_serial = true };

static const struct cfg_field bitmod_fields[] = {
	{ .key = "bit_serial", .type = CFG_BOOL, .offset = offsetof(struct pe_bitmod_arch, bit_serial),
	  .help = "weights enter a term (2 bits, Booth) per lane per cycle; false: a whole weight per cycle" },
	{ .key = "emax_all", .type = CFG_BOOL, .offset = offsetof(struct pe_bitmod_arch, emax_all),
	  .help = "bit-true: the exponent match takes the maximum over every lane, as the paper and its RTL; "
		  "false (default): over the lanes with a nonzero product" },
	{ 0 }
};

/* BitMoD's own formats, or symmetric INT per group (given two-level scales
 * by the PE's adapter, pe_bitmod_bt_gemm.c). */
static bool bitmod_runs(const struct fmt_qspec *q, char *why, size_t n)
{
	const struct fmt_desc *d = fmt_get(q->fmt);
	if (q->method == FMT_QM_BITMOD ||
	    (q->method == FMT_QM_GROUP && d->kind == FMT_K_INT && q->bits <= 8))
		return true;
	snprintf(why, n, "its term decoders take BitMoD's FP3/FP4 mixtures (bitmod3, bitmod4) or "
		 "INT per group with 8-bit group scales (bitmod-int6, int4-g128, ...)");
	return false;
}

static void bitmod_params(const struct cfg_arch *a, struct pe_params *p)
{
	const struct pe_bitmod_arch *c = pe_family_cfg(a);
	p->bit_serial = c->bit_serial;
	p->emax_all = c->emax_all;
	p->scale_bits = 8;	/* the integer group scale (bitmod.md) */
}

static const struct pe_bt_ops *const bitmod_bt[] = {
	&pe_bitmod_pe_bt, &pe_bitmod_array4x4_bt, NULL
};

const struct pe_family pe_family_bitmod = {
	.name = "bitmod",
	.folder = "bitmod",
	.summary = "BitMoD term-serial PE: 4 lanes, one Booth/FP term per lane per cycle",
	.cfg_fields = bitmod_fields,
	.cfg_defaults = &bitmod_defaults,
	.cfg_size = sizeof(struct pe_bitmod_arch),
	.default_weights = "bitmod4",
	/* the bit-true array is output-stationary (pe_bitmod_array.c) */
	.array_modes = PE_DF(CFG_DF_OS) | PE_FOLDS(CFG_FOLDS_OVERLAPPED) |
		       PE_FOLDS(CFG_FOLDS_SCALESIM),
	.runs = bitmod_runs,
	.params = bitmod_params,
	/* codes are fed term by term (bit planes for INT via Booth); the
	 * bit-serial dequantizer runs once per group */
	.layout = pe_layout_dequant,
	.step_cycles = bitmod_step_cycles,
	.tile_timing = bitmod_tile_timing,
	.dq_cycles = bitmod_dq_cycles,
	.gemm_bt = pe_bitmod_gemm_bt,
	.bt_models = bitmod_bt,
};

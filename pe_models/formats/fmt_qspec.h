/* fmt_qspec.h - a weight format as the hardware stores it: a quantizer spec
 * string (the grammar below), what it stores per weight, and the element
 * format of its codes. This is the one source of a design's weight format:
 * an arch names the spec (`weights.prefill` / `weights.decode`), and the
 * stored bits per weight (DRAM and SRAM bytes), the code width the PE's
 * datapath is timed and built for, and the bit-true quantizer
 * (compiler/cc_quant.h) all derive from it.
 *
 * Grammar (G: the group along K, default 128):
 *   <fmt>-g<G>        per-group: one grid format, groups of G along K, FP16
 *                     scale per group (+ a b-bit zero point for the
 *                     asymmetric INT formats, int4a). Stored: b + 16/G
 *                     (+ b/G).
 *   <fmt>             per output channel (one FP16 scale per row) with ANT's
 *                     clipping search; e.g. int8, flint4. Stored: b.
 *   ant4              ANT: one type per tensor among int4, flint4, pot4, fp4.
 *                     Stored: 4.
 *   bitmod3, bitmod4  BitMoD mixture of FP3 / FP4 special-value types per
 *                     group [-g<G>], two-level scales (8-bit integer per
 *                     group x FP16 per channel). Stored: b + 8/G.
 *   bitmod-int<b>     BitMoD's lossless mode: symmetric INT-b per group
 *                     [-g<G>] with the same two-level scales. Stored: b + 8/G.
 *   olive4, olive4i   OliVe outlier-victim pairs (flint4 or int4 normals),
 *                     one scale per row. Stored: 4.
 *   nm<N>of16-int<b>  FlightLLM N:M pruning [-g<G>]: N of every 16 weights
 *                     kept, symmetric INT-b per group. Stored per weight:
 *                     (8 + N (4 + b)) / 16 + 16/G (a count byte and a 4-bit
 *                     index per kept value per 16-block); N = 16 is dense:
 *                     b + 16/G.
 *   lut-int<W>        LUT Tensor Core [-g<G>], W in 1..4: asymmetric INT-W
 *                     reinterpreted as +-1 bit planes. Stored: W + (16 + W)/G.
 *   mixpe-int<b>      MixPE [-g<G>]: asymmetric INT-b, dequantized once per
 *                     group. Stored: b + (16 + b)/G.
 *   <spec>@<B>        a layer-wise mixed-precision profile: the model's
 *                     weights average B stored bits (e.g. the per-model bit
 *                     widths the BitMoD authors profiled for ANT and OliVe);
 *                     the numerics of the bit-true data are <spec>'s. Stored:
 *                     B (1..16).
 *   none              FP16 weights, not quantized. Stored: 16.
 * Per-output-channel FP16 scales (16 bits per row) are left out of "stored",
 * as the papers account for them; the quantizers' own stored_bits include
 * them. */
#ifndef FMT_QSPEC_H
#define FMT_QSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"
#include "ps_status.h"

#define FMT_GROUP_DEFAULT 128

enum fmt_qmethod {
	FMT_QM_GROUP, FMT_QM_CHANNEL, FMT_QM_ANT, FMT_QM_BITMOD, FMT_QM_OLIVE,
	FMT_QM_NM, FMT_QM_LUT, FMT_QM_MIXPE, FMT_QM_NONE,
};

struct fmt_qspec {
	int method;		/* enum fmt_qmethod */
	int fmt;		/* element format (enum fmt_id); NM: int<b>,
				 * LUT: int<W>a, MIXPE: int<b>a, ANT/BITMOD:
				 * the first candidate, NONE: FMT_FP16 */
	int bits;		/* element code width */
	uint32_t group;		/* K-group; 0 for per-channel methods */
	int nm_n, nm_m;
	double avg_bits;	/* <spec>@<B>: B; else 0 */
	double stored_bits;	/* per weight, as above */
	char name[48];		/* canonical spelling */
};

/* Parse a spec (grammar above). PS_EINPUT with a message naming s. */
enum ps_status fmt_qspec_parse(const char *s, struct fmt_qspec *q,
			       struct ps_err *err);

/* Whether q quantizes at all (not "none"). */
static inline bool fmt_qspec_quantized(const struct fmt_qspec *q)
{
	return q->method != FMT_QM_NONE;
}

/* The default specs at a bit width (what `pesim quant --bits B` runs);
 * returns how many were written (at most max), 0 if none at that width. */
int fmt_qspec_defaults(int bits, struct fmt_qspec *out, int max);

/* ANT's candidate types, in selection order. */
extern const int fmt_ant_types[4];

#endif

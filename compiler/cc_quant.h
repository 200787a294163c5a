/* cc_quant.h - weight quantizers over a tensor [N, K] (float32, row-major,
 * PyTorch's [out_features, in_features]); groups run along K.
 *
 * Every quantizer encodes with the formats of pe_models/formats (fmt.h) and
 * returns the dequantized tensor, the codes and whatever metadata the
 * hardware would store (scales, zero points, per-group types, sparse
 * indices), the stored bits per weight, and the error against the input:
 * MSE and SQNR(dB) = 10 log10(sum w^2 / sum (w - w_hat)^2).
 *
 * A quantizer is named by a spec string (fmt_qspec_parse):
 *   <fmt>-g<G>        per-group: one grid format, groups of G along K.
 *                     Symmetric formats: scale = max|w| / max|grid| (a
 *                     format with one extra value, e.g. fp4_ea_pos, uses its
 *                     largest magnitude, as BitMoD does). Asymmetric (int4a):
 *                     GPTQ's min/max with 0 included, scale = (max-min) /
 *                     (2^b - 1), integer zero point round(-min/scale).
 *                     Scale stored as FP16, no clipping. Bits: b + 16/G
 *                     (+ b/G for the zero).
 *   <fmt>             per output channel (one scale per row, FP16) with
 *                     ANT's clipping search (CC_CLIP_* below); e.g. flint4.
 *                     Bits: b + 16/K.
 *   ant4              ANT: one type per tensor among int4, flint4, pot4, fp4
 *                     (this order; ties to the earlier), each with its own
 *                     per-channel clipping search; the type of least total
 *                     squared error wins.
 *   bitmod3, bitmod4  BitMoD mixture [-g<G>]: per group the candidate of least
 *                     MSE among the four FP3 / FP4 special-value types
 *                     (order ER_POS, ER_NEG, EA_POS, EA_NEG; ties to the
 *                     earlier), each at scale max|w| / max|grid|, selection
 *                     with the real-valued scale (no clipping). Then two-level
 *                     scales: per output channel c = fp16(max_g s_g / 255) and
 *                     per group s_q = clamp(round_half_up(s_g / c), 1, 255)
 *                     (0 for an all-zero group); the group is re-encoded with
 *                     its chosen type at s_q * c. Bits: b + 8/G, the paper's
 *                     accounting; it leaves out the 2-bit type selector
 *                     (2/G) and the channel scale (16/K).
 *   olive4, olive4i   OliVe pairs with flint4 (olive4) or int4 (olive4i)
 *                     normals; one scale per row so that T maps to the
 *                     normal max, T = r (|mean| + 3 sigma) of the row, r on
 *                     CC_OLIVE_CLIP (the search starts from mean +- 3 sigma).
 *                     Bits: 4 + 16/K.
 *   nm<N>of16-int<b>  FlightLLM N:M pruning (N in 2, 4, 8, 16) [-g<G>]: per
 *                     16-block of K the N largest |w| are kept (ties: lower
 *                     index; zeros are not kept), then symmetric INT-b per
 *                     group over the kept values. Metadata per block: a count
 *                     byte and a 4-bit index per kept value. Bits: (8 +
 *                     count (4 + b)) / 16 per weight + 16/G (N = 16: dense,
 *                     no metadata).
 *   lut-int<W>        LUT Tensor Core [-g<G>], W in 1..4: asymmetric INT-W
 *                     (as int<W>a-g<G>) reinterpreted so each bit is +-1:
 *                     q' = 2q - (2^W - 1), s' = s/2, z' = 2z + 1 - 2^W. The
 *                     dequantized values are bit-identical to int<W>a's.
 *   mixpe-int<b>      MixPE [-g<G>]: per-group scale and integer zero, the
 *                     numerics of int<b>a-g<G>; MixPE's PE applies them once
 *                     per group: O = sum_G s (sum A q - z sum A). (A signed
 *                     INT4 PE reads q - 2^(b-1) with z - 2^(b-1): the same
 *                     values.) [uncertain: MixPE's paper body was not
 *                     available.] Bits: b + (16 + b)/G.
 * G defaults to 128. */
#ifndef CC_QUANT_H
#define CC_QUANT_H

#include <stdint.h>

#include "fmt.h"
#include "fmt_qspec.h"
#include "ps_status.h"

/* ANT clipping search: the channel's scale is r * max|w| / max|grid| for r
 * = 1.00, 0.95, ..., 0.50 (11 points); the first of equal errors wins. For
 * symmetric value sets the error at each r comes in closed form from the
 * row's sorted magnitudes (cc_quant_search.c), equal to the element loop up
 * to rounding; the error reported is always that of the final encode. */
#define CC_CLIP_STEPS 11
#define CC_CLIP_STEP 0.05
/* OliVe clipping search: r = 0.5, 0.6, ..., 2.0 of |mean| + 3 sigma. */
#define CC_OLIVE_CLIP_STEPS 16
#define CC_OLIVE_CLIP_LO 0.5
#define CC_OLIVE_CLIP_STEP 0.1

struct cc_qstats {
	uint64_t n;
	double sum_w2, sum_e2;	/* sum w^2, sum (w - w_hat)^2 */
	double mse;		/* sum_e2 / n */
	double sqnr_db;		/* +inf if exact; -inf if w = 0 and not exact */
};

/* A quantized tensor. Groups: n_groups per row of `group` along K (the
 * last may be shorter); per-channel methods have group = k, n_groups = 1.
 * Arrays not used by a method are NULL. */
struct cc_qtensor {
	struct fmt_qspec spec;
	uint64_t n, k;
	uint64_t group, n_groups;
	float *deq;		/* [n*k] dequantized */
	uint8_t *codes;		/* [n*k] element codes (format: gfmt or fmt).
				 * OliVe: pair p of a row is (codes[2p+1] << 4)
				 * | codes[2p]. N:M: code at kept positions,
				 * the code of 0 elsewhere */
	int fmt;		/* element format of the whole tensor (ANT: the
				 * chosen type), -1 if per group (BitMoD) */
	uint8_t *gfmt;		/* [n*n_groups] BitMoD: fmt id per group */
	float *scale;		/* [n*n_groups] effective scale */
	float *zero;		/* [n*n_groups] zero point (asymmetric) */
	uint8_t *scale_q;	/* [n*n_groups] BitMoD integer group scale */
	float *chan_scale;	/* [n] BitMoD channel scale (FP16 value) */
	/* N:M: per row, per 16-block (n_blocks per row), nm_stride bytes of
	 * metadata: the count byte, then the 4-bit indices of the kept
	 * values, two per byte, low nibble first; and nm_m codes of the kept
	 * values in index order (first `count` used). */
	uint64_t n_blocks, nm_stride;
	uint8_t *nm_meta, *nm_vals;
	double stored_bits;	/* per weight, scales and metadata included */
	double outlier_pairs;	/* OliVe: fraction of pairs with an outlier */
	char note[96];		/* one line for reports (types chosen, ...) */
	struct cc_qstats st;
};

/* Quantize w[n*k]. Non-finite inputs are PS_EINPUT. out is owned by the
 * caller afterwards (cc_qtensor_free), also on error (then empty). */
enum ps_status cc_quantize(const struct fmt_qspec *q, const float *w,
			   uint64_t n, uint64_t k, struct cc_qtensor *out,
			   struct ps_err *err);
void cc_qtensor_free(struct cc_qtensor *t);

/* t (quantized with q) as the weight operand of a bit-true GEMM: codes,
 * formats, group scales and zeros, BitMoD's scales, the N:M arrays. The
 * other fields of g are left as they are. */
struct pe_gemm;
void cc_qtensor_weights(const struct cc_qtensor *t, const struct fmt_qspec *q,
			struct pe_gemm *g);

/* A one-line note of what a quantizer chose, over several tensors (a
 * layer's matrices): BitMoD's type shares, OliVe's outlier pairs, ANT's
 * type per matrix, else the last tensor's own note. Zero it, add every
 * tensor, read text. */
struct cc_qnote {
	uint64_t hist[4], outl_pairs, pairs;
	char types[160];
	char text[160];
};
void cc_qnote_add(struct cc_qnote *n, const struct cc_qtensor *t,
		  const char *matrix);

/* Error of deq against w over count elements. */
void cc_qstats_compute(const float *w, const float *deq, uint64_t count,
		       struct cc_qstats *st);
/* a += b (then mse and sqnr_db recomputed). */
void cc_qstats_add(struct cc_qstats *a, const struct cc_qstats *b);
double cc_sqnr_db(double sum_w2, double sum_e2);

/* LUT Tensor Core reinterpretation of an asymmetric INT tensor (fmt
 * int<W>a, W <= 4) in place: codes keep their bits (now read as fmt
 * lut_pm1_w<W>), scale /= 2, zero = 2 zero + 1 - 2^W, deq recomputed from
 * them. PS_EINPUT if t is not asymmetric INT-W. */
enum ps_status cc_lut_reinterpret(struct cc_qtensor *t, struct ps_err *err);

/* Rebuild the dense dequantized tensor of an N:M result from its metadata,
 * kept-value codes and scales only (what FlightLLM's sparse MUX sees). */
enum ps_status cc_nm_expand(const struct cc_qtensor *t, float *out,
			    struct ps_err *err);

#endif

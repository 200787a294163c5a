/* fmt.h - hardware number formats: code width, value set, encode, decode.
 *
 * Every format is one row of fmt.def; this header and fmt_table.c are
 * generated from it. Grid formats (all weight formats) have a finite value
 * set on an integer grid; a quantizer maps real numbers onto it with a scale
 * (and a zero point for the asymmetric INT formats). FP16 and BF16 are the
 * activation formats, with exact conversions in fmt_ieee16.c.
 *
 * Rounding (encode): the nearest value of the set. Tie rule, for every grid
 * format: a point exactly halfway between two values goes to the value of
 * smaller magnitude; the only tie between equal magnitudes (0 halfway
 * between -v and +v, e.g. the PM1 formats) goes to +v. Values beyond the
 * set's range saturate to its end. NaN encodes as the code of 0 (or of the
 * value nearest 0 when 0 is not in the set). FP16/BF16 round to nearest,
 * ties to even, overflow to infinity, as IEEE 754 does.
 *
 * Codes: each code of a format is a value (its canonical code: encode of
 * its value returns it), an alias (decodes to a value whose canonical code
 * is another one: the "-0" of a sign-magnitude FP3/FP4, which BitMoD reuses
 * for its special value), or reserved (never produced; decode returns NaN).
 * OliVe pairs (FMT_K_OVP) are coded per pair: fmt_ovp_*. */
#ifndef FMT_H
#define FMT_H

#include <stdbool.h>
#include <stdint.h>

enum fmt_kind {
	FMT_K_INT,	/* two's complement integer */
	FMT_K_UINT,	/* unsigned integer (asymmetric quantization) */
	FMT_K_TERNARY,
	FMT_K_FP,	/* sign-magnitude minifloat */
	FMT_K_FP_SV,	/* BitMoD: minifloat + one special value in the -0 code */
	FMT_K_FLINT,	/* ANT flint */
	FMT_K_POT,	/* ANT power of two */
	FMT_K_ABFLOAT,	/* OliVe adaptive-bias float (outliers) */
	FMT_K_OVP,	/* OliVe outlier-victim pair */
	FMT_K_PM1,	/* LUT Tensor Core: each bit is -1/+1 */
	FMT_K_IEEE,	/* FP16, BF16 */
};

enum fmt_layout {
	FMT_L_TWOS, FMT_L_UINT, FMT_L_OFFSET, FMT_L_SM, FMT_L_PM1, FMT_L_IEEE,
	FMT_L_OVP,
};

enum fmt_neg0 { FMT_N0_NA, FMT_N0_ALIAS, FMT_N0_VALUE, FMT_N0_RESERVED };

#define FMT_RSV (-1.0)		/* an unused magnitude slot in MAGS() */

enum fmt_id {
#define FMT(id, ...) FMT_##id,
#include "fmt.def"
#undef FMT
	FMT_COUNT
};

enum fmt_code_class { FMT_CODE_VALUE, FMT_CODE_ALIAS, FMT_CODE_RESERVED };

#define FMT_MAX_VALUES 256

struct fmt_desc {
	int id;
	const char *name;
	const char *summary;
	int bits;			/* element code width */
	int kind;			/* enum fmt_kind */
	int layout;			/* enum fmt_layout */
	int neg0;			/* enum fmt_neg0 */
	uint32_t n_codes;		/* 2^bits; OVP: 2^(2 bits) pair codes */
	/* Grid formats: the canonical values, ascending, and their codes.
	 * OVP: the union of its normal and outlier values (codes unset).
	 * IEEE: n_values = 0. */
	int n_values;
	double values[FMT_MAX_VALUES];
	uint16_t code_of[FMT_MAX_VALUES];
	int zero_idx;			/* index of 0 (or of the value nearest 0) */
	double vmin, vmax, max_abs;
	bool grid;			/* finite value set on an integer grid */
	bool activation;		/* int8_act, fp16, bf16 */
	/* OVP: parts, identifier code (in the victim's slot) and the largest
	 * magnitude a normal value may have before it is an outlier. */
	int ovp_normal, ovp_outlier;
	uint32_t ovp_id;
	double ovp_threshold;
	/* IEEE: exponent and mantissa widths. */
	int ieee_e, ieee_m;
	/* Encode fast path for grid formats: value index for x with
	 * k = floor(2x): lut_bin[k - lut_lo] if 2x is not an integer,
	 * lut_edge[k - lut_lo] if it is (all midpoints of an integer grid are
	 * multiples of 1/2, so a bin holds no tie). NULL: use binary search. */
	int lut_lo;
	const uint8_t *lut_bin, *lut_edge;
};

/* The format with enum value id, or NULL if out of range. Thread-safe (the
 * tables are built once, on first use). */
const struct fmt_desc *fmt_get(int id);

/* Id of a format by name ("fp4_ea_neg"), or -1. */
int fmt_find(const char *name);

/* Class of a code (enum fmt_code_class); RESERVED for code >= n_codes. */
int fmt_code_class(int id, uint32_t code);

/* Value of a code: exact. Reserved codes and OVP formats give NaN (pairs:
 * fmt_ovp_decode). IEEE formats: the float value (NaN payloads are not
 * visible in a double; use fmt_f16_to_f32 for bits). */
double fmt_decode(int id, uint32_t code);

/* Canonical code of the value nearest x (tie rule above). IEEE formats:
 * round to nearest even. OVP formats: not applicable, returns 0. */
uint32_t fmt_encode(int id, double x);

/* Index into d->values of the value nearest x (tie rule above); grid
 * formats only. The inline fast path of fmt_encode for quantizer loops. */
int fmt_nearest_slow(const struct fmt_desc *d, double x);

static inline int fmt_nearest(const struct fmt_desc *d, double x)
{
	if (!(x > d->vmin))
		return x != x ? d->zero_idx : 0;
	if (x >= d->vmax)
		return d->n_values - 1;
	if (!d->lut_bin)
		return fmt_nearest_slow(d, x);
	double t = 2.0 * x;
	int k = (int)t;		/* truncates toward 0: fix up to floor */
	k -= (int)((double)k > t);	/* branch-free: the sign is random */
	return (double)k == t ? d->lut_edge[k - d->lut_lo]
			      : d->lut_bin[k - d->lut_lo];
}

/* ---- OliVe pairs (fmt_ovp.c) ----
 * A pair (x0, x1) (even, odd element) on the normalized grid: if neither
 * rounds to an outlier (|x| <= ovp_threshold, the midpoint between the
 * normal max and the smallest outlier, ties to normal by the tie rule) both
 * take normal codes. Otherwise the element of larger magnitude (the even
 * one if equal) is the outlier, coded in the outlier part; its neighbour,
 * the victim, is set to 0 and carries the identifier code. A pair code is
 * (code1 << bits) | code0. */
uint32_t fmt_ovp_encode(int id, double x0, double x1);

/* The same for quantizer loops: d an OVP format, n and o its parts
 * (fmt_get(d->ovp_normal), fmt_get(d->ovp_outlier)); also returns the
 * pair's values in v (what fmt_ovp_decode gives for the code). */
static inline uint32_t fmt_ovp_encode_fast(const struct fmt_desc *d,
					   const struct fmt_desc *n,
					   const struct fmt_desc *o,
					   double x0, double x1, double v[2])
{
	double a0 = x0 < 0 ? -x0 : x0, a1 = x1 < 0 ? -x1 : x1;
	int j0, j1;

	/* NaN compares false: it takes the normal path and encodes as 0. */
	if (!(a0 > d->ovp_threshold) && !(a1 > d->ovp_threshold)) {
		j0 = fmt_nearest(n, x0);
		j1 = fmt_nearest(n, x1);
		v[0] = n->values[j0];
		v[1] = n->values[j1];
		return ((uint32_t)n->code_of[j1] << d->bits) | n->code_of[j0];
	}
	if (a0 >= a1 || a1 != a1) {	/* equal: the even element wins */
		j0 = fmt_nearest(o, x0);
		v[0] = o->values[j0];
		v[1] = 0;
		return (d->ovp_id << d->bits) | o->code_of[j0];
	}
	j1 = fmt_nearest(o, x1);
	v[0] = 0;
	v[1] = o->values[j1];
	return ((uint32_t)o->code_of[j1] << d->bits) | d->ovp_id;
}
/* v[0], v[1]; returns FMT_CODE_VALUE or FMT_CODE_RESERVED (v = NaN). */
int fmt_ovp_decode(int id, uint32_t pair, double v[2]);

/* ---- IEEE binary16 and bfloat16 (fmt_ieee16.c) ----
 * Exact widening; narrowing rounds to nearest, ties to even, once (from a
 * double directly, no double rounding), with subnormals and overflow to
 * inf. NaN payloads: the top mantissa bits are kept and a NaN stays a NaN
 * (if the kept bits are 0 the quiet bit is set); signalling NaNs are not
 * quieted, so every 16-bit pattern round-trips through float bit-exactly. */
float fmt_f16_to_f32(uint16_t h);
double fmt_f16_to_f64(uint16_t h);
uint16_t fmt_f16_from_f32(float x);
uint16_t fmt_f16_from_f64(double x);
float fmt_bf16_to_f32(uint16_t b);
double fmt_bf16_to_f64(uint16_t b);
uint16_t fmt_bf16_from_f32(float x);
uint16_t fmt_bf16_from_f64(double x);

/* x rounded to the nearest FP16 value (as a float): what a stored FP16
 * scale is. */
float fmt_f16_round(double x);

#endif

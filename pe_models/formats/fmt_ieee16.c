/* fmt_ieee16.c - IEEE binary16 (FP16) and bfloat16 (BF16) conversions.
 *
 * Both are "1 sign, E exponent, M mantissa" binary floats with IEEE rules
 * (bias 2^(E-1)-1, subnormals, inf, NaN); one narrowing routine serves both.
 * It rounds a double to nearest-even in one step, so float -> half goes
 * through an exact widening to double first and never rounds twice. NaNs are
 * handled on the bits (a float sNaN widened to double by the FPU would be
 * quieted), which keeps every 16-bit pattern's round trip bit-exact. */
#include "fmt.h"
#include "pe_fp16.h"

/* Narrow a finite or infinite double (not NaN) to a 1-E-M float. */
static uint16_t narrow(double x, int E, int M)
{
	uint64_t b = pe_f64_bits(x);
	uint16_t sign = (uint16_t)((b >> 63) << (E + M));
	int dexp = (int)((b >> 52) & 0x7ff);
	uint64_t sig = b & ((1ull << 52) - 1);
	int bias = (1 << (E - 1)) - 1, emin = 1 - bias;
	uint16_t inf = (uint16_t)(((1u << E) - 1) << M);

	if (dexp == 0x7ff)
		return sign | inf;
	if (dexp == 0)		/* zero or double subnormal: far below half the
				 * smallest 16-bit subnormal */
		return sign;
	int e = dexp - 1023;	/* x = sig53 * 2^(e - 52) */
	sig |= 1ull << 52;
	if (e > bias)
		return sign | inf;

	/* Keep M fraction bits for a normal result, fewer for a subnormal;
	 * the carry of a round-up moves into the exponent field by itself
	 * (subnormal max -> min normal, normal max -> inf). */
	int shift = 52 - M + (e < emin ? emin - e : 0);
	uint64_t q, rem, half;
	if (shift > 54)
		return sign;	/* below half the smallest subnormal */
	q = sig >> shift;
	rem = sig & ((1ull << shift) - 1);
	half = 1ull << (shift - 1);
	if (rem > half || (rem == half && (q & 1)))
		q++;
	if (e < emin)
		return sign | (uint16_t)q;
	return sign | (uint16_t)((((uint64_t)(e + bias)) << M) + (q - (1ull << M)));
}

/* Widen a 1-E-M pattern (not NaN) to double, exactly. */
static double widen(uint16_t h, int E, int M)
{
	int bias = (1 << (E - 1)) - 1;
	int ef = (h >> M) & ((1 << E) - 1);
	uint64_t m = h & ((1u << M) - 1);
	uint64_t s = (uint64_t)(h >> (E + M)) << 63;
	if (ef == (1 << E) - 1)		/* inf (NaN handled by the caller) */
		return pe_f64_of(s | (0x7ffull << 52));
	if (ef == 0) {
		if (!m)
			return pe_f64_of(s);
		/* subnormal: m * 2^(1 - bias - M), normalize into a double */
		int sh = 0;
		while (!(m & (1ull << M))) {
			m <<= 1;
			sh++;
		}
		int e = 1 - bias - sh;
		return pe_f64_of(s | ((uint64_t)(e + 1023) << 52) |
			     ((m & ((1ull << M) - 1)) << (52 - M)));
	}
	return pe_f64_of(s | ((uint64_t)(ef - bias + 1023) << 52) | (m << (52 - M)));
}

static bool is_nan16(uint16_t h, int E, int M)
{
	return ((h >> M) & ((1u << E) - 1)) == (1u << E) - 1 &&
	       (h & ((1u << M) - 1));
}

/* NaN payloads: keep the top M bits of the float's 23-bit fraction. */
static uint16_t nan_from_f32(uint32_t fb, int E, int M)
{
	uint16_t sign = (uint16_t)((fb >> 31) << (E + M));
	uint16_t m = (uint16_t)((fb & 0x7fffff) >> (23 - M));
	if (!m)
		m = (uint16_t)(1u << (M - 1));	/* quiet bit */
	return sign | (uint16_t)(((1u << E) - 1) << M) | m;
}

static float nan_to_f32(uint16_t h, int E, int M)
{
	uint32_t sign = (uint32_t)(h >> (E + M)) << 31;
	uint32_t m = (uint32_t)(h & ((1u << M) - 1)) << (23 - M);
	return pe_f32_of(sign | 0x7f800000u | m);
}

static double nan_to_f64(uint16_t h, int E, int M)
{
	uint64_t sign = (uint64_t)(h >> (E + M)) << 63;
	uint64_t m = (uint64_t)(h & ((1u << M) - 1)) << (52 - M);
	return pe_f64_of(sign | (0x7ffull << 52) | m);
}

static uint16_t nan_from_f64(uint64_t db, int E, int M)
{
	uint16_t sign = (uint16_t)((db >> 63) << (E + M));
	uint16_t m = (uint16_t)((db & ((1ull << 52) - 1)) >> (52 - M));
	if (!m)
		m = (uint16_t)(1u << (M - 1));
	return sign | (uint16_t)(((1u << E) - 1) << M) | m;
}

#define GEN(pfx, E, M)							\
float pfx##_to_f32(uint16_t h)						\
{									\
	if (is_nan16(h, E, M))						\
		return nan_to_f32(h, E, M);				\
	return (float)widen(h, E, M);	/* exact: fits in a float */	\
}									\
double pfx##_to_f64(uint16_t h)						\
{									\
	return is_nan16(h, E, M) ? nan_to_f64(h, E, M) : widen(h, E, M); \
}									\
uint16_t pfx##_from_f32(float x)					\
{									\
	uint32_t fb = pe_f32_bits(x);					\
	if ((fb & 0x7f800000u) == 0x7f800000u && (fb & 0x7fffff))	\
		return nan_from_f32(fb, E, M);				\
	return narrow((double)x, E, M);					\
}									\
uint16_t pfx##_from_f64(double x)					\
{									\
	uint64_t db = pe_f64_bits(x);					\
	if (((db >> 52) & 0x7ff) == 0x7ff && (db & ((1ull << 52) - 1)))	\
		return nan_from_f64(db, E, M);				\
	return narrow(x, E, M);						\
}

GEN(fmt_f16, 5, 10)
GEN(fmt_bf16, 8, 7)

float fmt_f16_round(double x)
{
	return fmt_f16_to_f32(fmt_f16_from_f64(x));
}

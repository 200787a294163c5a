/* pe_fp16.h - IEEE binary16 arithmetic for the bit-true PE models: each
 * operation rounds once to nearest, ties to even, with subnormals, infinities
 * and NaN (the result of an invalid operation, and of any NaN operand, is the
 * default quiet NaN 0x7e00). Operands and results are bit patterns.
 *
 * Two implementations of the same functions:
 *  - the reference, pe_f16_*_ref (pe_fp16.c): the exact intermediate formed
 *    in double (which holds the exact sum or product of two halves) and
 *    narrowed by fmt_f16_from_f64, one rounding. Slow and plainly right: the
 *    oracle the tests hold the fast path to.
 *  - the fast path, inline below, which the models call: both operands
 *    widened to binary32 exactly, one binary32 operation, narrowed to
 *    binary16. A product of two halves (22 significant bits) is exact in
 *    binary32, so it is rounded once. A sum is rounded twice (to binary32,
 *    then to binary16), which gives the once-rounded result because
 *    binary32's 24 bits are >= 2 * 11 + 2 (S. A. Figueroa, "When is double
 *    rounding innocuous?", SIGNUM Newsletter 30(3), 1995), and binary32's
 *    exponent range holds every half subnormal exactly. test_fp16 checks it
 *    on 10^7 random pairs and every special pair in CI; bench_fp16 --all
 *    checks all 2^32 pairs of add and mul.
 * The widening and narrowing are F16C's vcvtph2ps / vcvtps2ph when the
 * build enables F16C (meson option simd: auto uses it when the compiler
 * takes -mf16c and the building machine has it), else the bit manipulation
 * of the *_soft functions; both are exact, so results do not depend on it.
 * pe_f16_impl() says which one this build uses. */
#ifndef PE_FP16_H
#define PE_FP16_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __F16C__
#include <immintrin.h>
#endif

/* ---- reference (pe_fp16.c) ---- */
uint16_t pe_f16_add_ref(uint16_t a, uint16_t b);
uint16_t pe_f16_mul_ref(uint16_t a, uint16_t b);
/* x * 2^e, rounded once (LUT-TC's bit position added to the exponent). */
uint16_t pe_f16_ldexp_ref(uint16_t x, int e);

/* "F16C" or "portable C": the conversions this build's fast path uses. */
const char *pe_f16_impl(void);

/* ---- bit casts ---- */
#define PE_BIT_CAST(name, from, to)                                      \
	static inline to name(from v)                                    \
	{                                                                \
		to r;                                                    \
		memcpy(&r, &v, sizeof r);                                \
		return r;                                                \
	}
PE_BIT_CAST(pe_f32_bits, float, uint32_t)
PE_BIT_CAST(pe_f32_of, uint32_t, float)
PE_BIT_CAST(pe_f64_bits, double, uint64_t)
PE_BIT_CAST(pe_f64_of, uint64_t, double)
#undef PE_BIT_CAST

static inline int pe_f32_is_nan(float f)
{
	return (pe_f32_bits(f) & 0x7fffffffu) > 0x7f800000u;
}

/* ---- portable widening and narrowing (F. Giesen's half <-> float) ---- */

/* Exact; a NaN widens to a NaN. */
static inline float pe_f16_widen_soft(uint16_t h)
{
	uint32_t o = (uint32_t)(h & 0x7fff) << 13, e = o & 0x0f800000u;
	if (e == 0x0f800000u)			/* inf, NaN: exponent 255 */
		o += (255u - 31u) << 23;
	else if (e == 0)			/* zero, subnormal: m * 2^-24 */
		o = pe_f32_bits(pe_f32_of(o + (113u << 23)) - pe_f32_of(113u << 23));
	else
		o += (127u - 15u) << 23;
	return pe_f32_of(o | (uint32_t)(h & 0x8000) << 16);
}

/* Round a binary32 (not NaN) to binary16, to nearest, ties to even. */
static inline uint16_t pe_f16_narrow_soft(float f)
{
	uint32_t x = pe_f32_bits(f), a = x & 0x7fffffffu;
	uint16_t sign = (uint16_t)(x >> 16 & 0x8000);

	if (a >= 0x477ff000u)			/* >= 65520: inf */
		return sign | 0x7c00;
	if (a < 0x38800000u) {
		/* below 2^-14: adding 0.5 puts the half subnormal's lsb
		 * (2^-24) at the binary32 lsb; the FPU rounds to even */
		return sign | (uint16_t)(pe_f32_bits(pe_f32_of(a) + 0.5f) -
					 0x3f000000u);
	}
	/* rebias, round the 13 dropped bits to nearest even */
	a += 0xc8000fffu + (a >> 13 & 1);
	return sign | (uint16_t)(a >> 13);
}

/* ---- this build's widening and narrowing ---- */
static inline float pe_f16_widen(uint16_t h)
{
#ifdef __F16C__
	return _cvtsh_ss(h);
#else
	return pe_f16_widen_soft(h);
#endif
}

static inline uint16_t pe_f16_narrow(float f)
{
#ifdef __F16C__
	return (uint16_t)_cvtss_sh(f, 0);	/* imm 0: nearest even */
#else
	return pe_f16_narrow_soft(f);
#endif
}

/* Round a double to binary16 in one step, to nearest, ties to even (the
 * models' exact double sums and products; binary32 in between could round
 * twice). The same bits as fmt_f16_from_f64 for every double: a NaN keeps
 * its sign and the top 10 bits of its payload (quiet bit if they are 0). */
static inline uint16_t pe_f16_from_f64(double d)
{
	uint64_t x, a;
	memcpy(&x, &d, sizeof x);
	a = x & 0x7fffffffffffffffull;
	uint16_t sign = (uint16_t)(x >> 48 & 0x8000);
	if (a >= 0x40effe0000000000ull) {	/* >= 65520: inf; or NaN */
		uint16_t m = (uint16_t)(a >> 42 & 0x3ff);
		if (a <= 0x7ff0000000000000ull)
			return sign | 0x7c00;
		return sign | 0x7c00 | (m ? m : 0x200);
	}
	if (a < 0x3f10000000000000ull) {	/* below 2^-14 */
		/* + 2^28 puts 2^-24 at the double's lsb */
		double t;
		uint64_t tb;
		memcpy(&t, &a, sizeof t);
		t += 268435456.0;
		memcpy(&tb, &t, sizeof tb);
		return sign | (uint16_t)(tb - 0x41b0000000000000ull);
	}
	a += ((uint64_t)(15 - 1023) << 52) + 0x1ffffffffffull + (a >> 42 & 1);
	return sign | (uint16_t)(a >> 42);
}

/* A half that is not NaN, exactly as a double. */
static inline double pe_f16_to_f64(uint16_t h)
{
	return (double)pe_f16_widen(h);
}

/* 2^e as a double, exactly, for -1022 <= e <= 1023. */
static inline double pe_pow2(int e)
{
	uint64_t b = (uint64_t)(e + 1023) << 52;
	double d;
	memcpy(&d, &b, sizeof d);
	return d;
}

/* ---- the operations ---- */
static inline uint16_t pe_f16_neg(uint16_t a)
{
	return a ^ 0x8000;
}

static inline uint16_t pe_f16_add(uint16_t a, uint16_t b)
{
	/* NaN operands and inf - inf give a NaN sum. x + (-x) is +0 and
	 * -0 + -0 is -0 in binary32 as in binary16. */
	float s = pe_f16_widen(a) + pe_f16_widen(b);
	return pe_f32_is_nan(s) ? 0x7e00 : pe_f16_narrow(s);
}

static inline uint16_t pe_f16_mul(uint16_t a, uint16_t b)
{
	float p = pe_f16_widen(a) * pe_f16_widen(b);	/* exact */
	return pe_f32_is_nan(p) ? 0x7e00 : pe_f16_narrow(p);
}

/* x * 2^e: exact in binary32 for |e| <= 64, then rounded once. */
static inline uint16_t pe_f16_ldexp(uint16_t x, int e)
{
	if (e < -64 || e > 64)
		return pe_f16_ldexp_ref(x, e);
	float p = pe_f16_widen(x) * pe_f32_of((uint32_t)(127 + e) << 23);
	return pe_f32_is_nan(p) ? 0x7e00 : pe_f16_narrow(p);
}

/* The same through the portable conversions, whatever the build (tests). */
static inline uint16_t pe_f16_add_soft(uint16_t a, uint16_t b)
{
	float s = pe_f16_widen_soft(a) + pe_f16_widen_soft(b);
	return pe_f32_is_nan(s) ? 0x7e00 : pe_f16_narrow_soft(s);
}

static inline uint16_t pe_f16_mul_soft(uint16_t a, uint16_t b)
{
	float p = pe_f16_widen_soft(a) * pe_f16_widen_soft(b);
	return pe_f32_is_nan(p) ? 0x7e00 : pe_f16_narrow_soft(p);
}

#ifdef __F16C__
/* 8 binary32 results rounded to binary16, a NaN to the default NaN. */
static inline __m128i pe_f16_narrow8(__m256 s)
{
	__m128i r = _mm256_cvtps_ph(s, 0);
	__m256i un = _mm256_castps_si256(_mm256_cmp_ps(s, s, _CMP_UNORD_Q));
	__m128i m = _mm_packs_epi32(_mm256_castsi256_si128(un),
				    _mm256_extractf128_si256(un, 1));
	return _mm_blendv_epi8(r, _mm_set1_epi16(0x7e00), m);
}

static inline __m256 pe_f16_widen8(const uint16_t *a)
{
	return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)a));
}
#endif

/* dst[i] = a[i] + b[i] (mul: a[i] * b[i]) for a row of n (an array
 * model's accumulators): 8 at a time with F16C, one at a time otherwise.
 * dst may be a. */
static inline __attribute__((always_inline)) void pe_f16_op_n(
	uint16_t *dst, const uint16_t *a, const uint16_t *b, size_t n, int mul)
{
	size_t i = 0;
#ifdef __F16C__
	for (; i < n / 8 * 8; i += 8) {
		__m256 x = pe_f16_widen8(a + i), y = pe_f16_widen8(b + i);
		_mm_storeu_si128((__m128i *)(dst + i),
				 pe_f16_narrow8(mul ? _mm256_mul_ps(x, y)
						    : _mm256_add_ps(x, y)));
	}
#endif
	for (; i < n; i++)
		dst[i] = mul ? pe_f16_mul(a[i], b[i]) : pe_f16_add(a[i], b[i]);
}

static inline void pe_f16_add_n(uint16_t *dst, const uint16_t *a,
				const uint16_t *b, size_t n)
{
	pe_f16_op_n(dst, a, b, n, 0);
}

static inline void pe_f16_mul_n(uint16_t *dst, const uint16_t *a,
				const uint16_t *b, size_t n)
{
	pe_f16_op_n(dst, a, b, n, 1);
}

#endif

/* pe_bitmod_regs.h - private to pe_models/bitmod/: the registers of n
 * BitMoD PEs as a structure of arrays, and the stages that step them (in
 * pe_bitmod_pe.c). The single PE (struct pe_bitmod_pe, n = 1), the flat
 * 4x4 array state and the heap array each store the arrays themselves and
 * hand the stages a view; the PE logic exists once.
 *
 * Why arrays: a row of PEs steps in loops over the PEs that the compiler
 * vectorises (README "Performance"). The S1 register holds the adder
 * tree's sum: the tree is logic between S1 and S2 that only S1 feeds, so
 * evaluating it when S1 loads and registering the sum is the same machine
 * (no port shows S1 or S2). */
#ifndef PE_BITMOD_REGS_H
#define PE_BITMOD_REGS_H

#include <stdint.h>
#ifdef __AVX2__
#include <immintrin.h>
#endif

#include "pe_bitmod_bt.h"

/* floor(x / 2^n), an arithmetic shifter (sign fill). */
static inline int64_t bm_asr64(int64_t x, unsigned n)
{
	if (n > 63)
		n = 63;
	return x < 0 ? ~(~x >> n) : x >> n;
}

/* pe_bitmod_bfp_add, inline for the array's rows (one call an output
 * group otherwise). */
static inline void bm_bfp_add(int64_t *m, unsigned *e, int64_t x,
			      unsigned ex, unsigned w, bool *renorm)
{
	unsigned en = *e > ex ? *e : ex, r = 0, bl;
	int64_t s = bm_asr64(*m, en - *e) + bm_asr64(x, en - ex);
	uint64_t u = (uint64_t)(s < 0 ? ~s : s);

	bl = u ? 64u - (unsigned)__builtin_clzll(u) : 0;
	if (bl > w - 1)
		r = bl - (w - 1);
	*m = bm_asr64(s, r);
	*e = en + r;
	if (renorm)
		*renorm = r != 0;
}

/* One array per register (PE_BITMOD_REG_FIELDS), n PEs each. */
struct bm_regs {
#define BM_PTR(type, name) type *name;
	PE_BITMOD_REG_FIELDS(BM_PTR)
#undef BM_PTR
};

/* A view of storage that declares every field as an array. */
#define BM_VIEW_FIELD(type, name) .name = bm_src_->name,
#define BM_VIEW(s) __extension__({                                            \
	__typeof__(s) bm_src_ = (s);                                          \
	(struct bm_regs){ PE_BITMOD_REG_FIELDS(BM_VIEW_FIELD) };              \
})

/* Per PE and per edge the inputs of S1, packed for the loops:
 *   word   ctl[3:0] | w_sbit[4] | bitpos[7:5] | w_term[31:16]
 *   act[l] (rows of PEs) lane l's FP16 activation, decoded once where it
 *          enters the array, in the places S1 uses them (s1_lanes):
 *          sig << GUARD [13:0] (0 for Inf/NaN), ea = max(Ea, 1) [20:16],
 *          Inf/NaN [24], sign [31]; 0 for lanes beyond the PE's lanes. */
static inline uint32_t bm_word(unsigned ctl, unsigned bitpos, unsigned sbit,
			       unsigned term)
{
	return (ctl & 15u) | (sbit & 1u) << 4 | (bitpos & 7u) << 5 |
	       (term & 0xffffu) << 16;
}

/* S1's control register: the word's control bits and w_sbit at bit 4
 * (the dequantizer's scale bit of the next edge). */
#define BM_CTL1(w) ((int32_t)((w) & 31u))

static inline uint32_t bm_act_lane(uint16_t a, bool live)
{
	uint32_t ef = a >> 10 & 31, nan = ef == 31;
	uint32_t sig = (a & 0x3ffu) | (ef ? 0x400u : 0);
	return ((nan ? 0 : sig << PE_BITMOD_GUARD) | (ef ? ef : 1) << 16 |
		nan << 24 | (uint32_t)(a >> 15) << 31) & -(uint32_t)live;
}

#ifdef __AVX2__
/* bm_act_lane of the four lanes of an activation word in one SSE
 * register; live: -1 in the PE's lanes. */
static inline __m128i bm_act_sse(uint64_t a, __m128i live)
{
	const __m128i one = _mm_set1_epi32(1);
	__m128i av = _mm_cvtepu16_epi32(_mm_cvtsi64_si128((long long)a));
	__m128i ef = _mm_and_si128(_mm_srli_epi32(av, 10), _mm_set1_epi32(31));
	__m128i nan = _mm_cmpeq_epi32(ef, _mm_set1_epi32(31));
	__m128i sig = _mm_or_si128(_mm_and_si128(av, _mm_set1_epi32(0x3ff)),
				   _mm_slli_epi32(_mm_min_epu32(ef, one), 10));
	__m128i v = _mm_or_si128(_mm_andnot_si128(nan, _mm_slli_epi32(sig, PE_BITMOD_GUARD)),
				 _mm_slli_epi32(_mm_max_epi32(ef, one), 16));
	v = _mm_or_si128(v, _mm_and_si128(nan, _mm_set1_epi32(1 << 24)));
	v = _mm_or_si128(v, _mm_and_si128(_mm_slli_epi32(av, 16),
					  _mm_set1_epi32(INT32_MIN)));
	return _mm_and_si128(v, live);
}

/* The same of eight FP16 in 32-bit elements. */
static inline __m256i bm_act_avx(__m256i av, __m256i live)
{
	const __m256i one = _mm256_set1_epi32(1);
	__m256i ef = _mm256_and_si256(_mm256_srli_epi32(av, 10), _mm256_set1_epi32(31));
	__m256i nan = _mm256_cmpeq_epi32(ef, _mm256_set1_epi32(31));
	__m256i sig = _mm256_or_si256(_mm256_slli_epi32(_mm256_and_si256(av, _mm256_set1_epi32(0x3ff)),
							PE_BITMOD_GUARD),
				      _mm256_slli_epi32(_mm256_min_epu32(ef, one),
							10 + PE_BITMOD_GUARD));
	__m256i v = _mm256_or_si256(_mm256_andnot_si256(nan, sig),
				    _mm256_slli_epi32(_mm256_max_epi32(ef, one), 16));
	v = _mm256_or_si256(v, _mm256_and_si256(nan, _mm256_set1_epi32(1 << 24)));
	v = _mm256_or_si256(v, _mm256_and_si256(_mm256_slli_epi32(av, 16),
						_mm256_set1_epi32(INT32_MIN)));
	return _mm256_and_si256(v, live);
}
#endif

/* Columns c0.. of the activation delay line (pe_bitmod_array.c): column
 * c's lanes decoded (bm_act_lane, lanes >= `lanes` not live) to
 * row[l * stride + c] and row[l * stride + off + c]. With AVX2 four
 * columns' 16 activations in one register, shuffled lane-major (lanes 0
 * and 1 of the four columns, then lanes 2 and 3) and decoded in two;
 * a column left over in one SSE register. */
static inline __attribute__((always_inline)) void bm_act_cols(const uint64_t *act, uint32_t cols,
			       unsigned lanes, uint32_t *row, size_t stride,
			       size_t off)
{
	uint32_t c = 0;
#ifdef __AVX2__
	__m128i live = _mm_cmpgt_epi32(_mm_set1_epi32((int)lanes),
				       _mm_setr_epi32(0, 1, 2, 3));
	__m256i nl = _mm256_set1_epi32((int)lanes);
	__m256i live01 = _mm256_cmpgt_epi32(nl, _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1));
	__m256i live23 = _mm256_cmpgt_epi32(nl, _mm256_setr_epi32(2, 2, 2, 2, 3, 3, 3, 3));
	/* in each half (two columns): lane l of both columns in dword l */
	const __m256i pair = _mm256_setr_epi8(0, 1, 8, 9, 2, 3, 10, 11, 4, 5,
					      12, 13, 6, 7, 14, 15, 0, 1, 8,
					      9, 2, 3, 10, 11, 4, 5, 12, 13,
					      6, 7, 14, 15);
	const __m256i quad = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
	for (; c + 4 <= cols; c += 4) {
		__m256i a = _mm256_loadu_si256((const void *)(act + c));
		a = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(a, pair), quad);
		__m256i d01 = bm_act_avx(_mm256_cvtepu16_epi32(_mm256_castsi256_si128(a)), live01);
		__m256i d23 = bm_act_avx(_mm256_cvtepu16_epi32(_mm256_extracti128_si256(a, 1)), live23);
		__m128i d[4] = { _mm256_castsi256_si128(d01), _mm256_extracti128_si256(d01, 1),
				 _mm256_castsi256_si128(d23), _mm256_extracti128_si256(d23, 1) };
		for (int l = 0; l < 4; l++) {
			_mm_storeu_si128((void *)(row + l * stride + c), d[l]);
			_mm_storeu_si128((void *)(row + l * stride + off + c), d[l]);
		}
	}
	for (; c < cols; c++) {
		uint32_t d[4];
		_mm_storeu_si128((__m128i *)(void *)d, bm_act_sse(act[c], live));
		for (int l = 0; l < 4; l++)
			row[l * stride + c] = row[l * stride + off + c] = d[l];
	}
#else
	for (; c < cols; c++)
		for (unsigned l = 0; l < 4; l++)
			row[l * stride + c] = row[l * stride + off + c] =
				bm_act_lane((uint16_t)(act[c] >> 16 * l), l < lanes);
#endif
}

/* What the stages share per call: the configuration and the counters the
 * PEs add to (summed over the PEs). */
struct bm_ctx {
	unsigned lanes, mw, sb;
	bool bug, emax_all;
	struct pe_bitmod_actions *act;
	uint32_t *busy;		/* PEs whose dequantizer or output stage may
				 * work at the next edge (0 after reset) */
	uint8_t *err;		/* an array's sticky err: the row form of
				 * the dequantizer (bm_step_back) sets it
				 * with a PE's err; NULL for one PE */
};

/* S1 and S2 are two banks of arrays that swap roles every edge (S2 <- S1
 * without a copy): with bank 0 the *1 arrays are S1 and the *2 arrays S2,
 * with bank 1 the other way round. An edge runs bm_step_back with bank b,
 * then S1 with bank b ^ 1, which it keeps for the next edge. */
struct bm_bank {
	int32_t *ctl, *t, *e, *nan;
};

static inline struct bm_bank bm_s1(const struct bm_regs *r, unsigned bank)
{
	return bank & 1 ? (struct bm_bank){ r->ctl2, r->t2, r->e2, r->nan2 }
			: (struct bm_bank){ r->ctl1, r->t1, r->e1, r->nan1 };
}

static inline struct bm_bank bm_s2(const struct bm_regs *r, unsigned bank)
{
	return bm_s1(r, bank ^ 1);
}

/* Every stage but S1 for PEs 0..n-1, output end first: the dequantizer
 * (its scale bit from S1 of `bank`: the w_sbit of the edge before), the
 * group accumulator (reading S2 of `bank`). Returns how many PEs show
 * out_valid after it. */
uint32_t bm_step_back(const struct bm_ctx *x, const struct bm_regs *r,
		      unsigned bank, uint32_t n);
/* S1 (exponent match and adder tree) of PEs i0..i0+n-1 (in S1 of `bank`)
 * from word[0..n-1] and act[l][0..n-1]; returns how many of the words
 * were valid. */
uint32_t bm_step_s1(const struct bm_ctx *x, const struct bm_regs *r,
		    unsigned bank, uint32_t i0, uint32_t n,
		    const uint32_t *word, const uint32_t *const act[4]);
/* Zero the registers of n PEs. */
void bm_regs_clear(const struct bm_regs *r, uint32_t n);

#endif

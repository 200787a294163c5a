/* pe_flightllm_chain.c - the CSD chain, one rising edge per clock call.
 *
 * Wavefront i enters at edge i. Its front end (decode + sparse MUX, pure
 * logic on the input ports) is kept in a history ring; DSP k reads its
 * operands from wave t - k at edge t, which is the cascade skew of k
 * fabric registers. AD = x1 2^18 + x0 fits 27 bits and the product 45, so
 * only P can wrap (at 48 bits, never for depth <= 32). The packed MAC of DSP k then runs the pipeline of the
 * chain's DSP48E2 configuration (pe_dsp48e2_params_packed):
 *   edge i+k    A1 <- x0, D <- x1 << 18, B1 <- w
 *   edge i+k+1  AD <- D + A1, B2 <- B1
 *   edge i+k+2  M  <- AD * B2
 *   edge i+k+3  P  <- M + (start ? 0 : PCIN) (+ C at an OAU stage)
 * so P of DSP k holds wave t - k - 3 after edge t, and PCIN (the P of
 * DSP k-1 before the edge) holds the same wave. The OPMODE that selects
 * the Z-mux is therefore taken from wave t - k - 3 (fabric delays the
 * reduction-node configuration along with the data).
 *
 * OAU (stages k = 8, 16, 24 that do not start a group): C = -lo(P[k-1]),
 * W-mux = C, so the cascade continues with the low lane cleared and the
 * lane value moves into a fabric side register that travels with the
 * cascade (side[k] = side[k-1] + lo) and is added back at the RN. A lane
 * thus sums at most 8 products between clearings.
 *
 * Two datapaths compute the same thing: the inlined one (signed integers,
 * the default) and the structural one (cfg.structural), which steps one
 * pe_dsp48e2 per stage through its Xilinx ports; tests prove them equal
 * edge by edge. Stages are stepped from the last to the first so each
 * reads its predecessor's P before that changes.
 *
 * Speed (the inlined path): P of DSP k after edge t is wave t-k-3's
 * partial sum at DSP k, and a wave's sums depend on nothing but its own
 * products and RN configuration, so each wave runs down the chain once,
 * at the edge after it enters (wave_pass, pass_last: its first results
 * show after edge t+3, and its pass then overlaps the next wave's front
 * end): its products, its sums segmented at the DGs
 * that start a group, the OAU moves, into the rows of what DSP k's P and
 * side will hold and into the rows of the edges at which RN g shows it.
 * An edge then reads one row of y ports, and for out_valid the RN words
 * of the waves its RNs show. P never wraps in this path: |M| <= (2^25 +
 * 2^7) 2^7 < 2^33, so 32 stages stay below 2^38 (the OAU subtracts less
 * than 2^17 a stage), far from 2^47; the structural path wraps at 48 bits
 * as the slice does and the tests prove the two equal. */
#include "pe_flightllm.h"
#include "pe_unroll.h"

#include <string.h>
#ifdef __AVX2__
#include <immintrin.h>
#endif

#define RMASK (PE_FL_RING - 1)

static void step_pick(struct pe_flightllm_chain *c);

static inline int64_t wrap(int64_t v, unsigned bits)
{
	uint64_t m = 1ull << (bits - 1);
	uint64_t u = (uint64_t)v & ((m << 1) - 1);
	return (int64_t)(u ^ m) - (int64_t)m;
}

static inline int32_t lo18(int64_t p)
{
	return (int32_t)wrap(p, 18);
}

/* Does DSP k start a group for a wave with this RN configuration? DG
 * boundaries only: inside a DG the cascade is fixed. */
static inline bool starts(uint16_t rn_brk, uint32_t k)
{
	return k == 0 || (!(k & 1) && ((rn_brk >> (k / 2 - 1)) & 1));
}

static inline bool closes(uint16_t rn_brk, uint32_t g, uint32_t ndg)
{
	return g == ndg - 1 || ((rn_brk >> g) & 1);
}

enum ps_status pe_flightllm_chain_init(struct pe_flightllm_chain *c,
				       const struct pe_flightllm_cfg *cfg,
				       struct ps_err *err)
{
	struct pe_dsp48e2_params prm;
	enum ps_status st;

	memset(c, 0, sizeof *c);
	if (cfg->depth < 2 || cfg->depth > PE_FL_MAX_DEPTH || cfg->depth % 2)
		return ps_errf(err, PS_EINPUT,
			       "flightllm chain: depth %u: must be even, 2..%d (DSP groups of 2)",
			       cfg->depth, PE_FL_MAX_DEPTH);
	if (cfg->wbits < 2 || cfg->wbits > 8)
		return ps_errf(err, PS_EINPUT,
			       "flightllm chain: weight code bits %u: the decode unit widens 2..8-bit INT codes",
			       cfg->wbits);
	if (cfg->oau != PE_FL_OAU_AUTO && cfg->oau != PE_FL_OAU_ON &&
	    cfg->oau != PE_FL_OAU_OFF)
		return ps_errf(err, PS_EINPUT, "flightllm chain: oau mode %d unknown", cfg->oau);
	c->cfg = *cfg;
	c->oau = cfg->oau == PE_FL_OAU_ON ||
		 (cfg->oau == PE_FL_OAU_AUTO && cfg->depth > PE_FL_OAU_SPAN);
	for (uint32_t k = 0; k < PE_FL_MAX_DEPTH; k++) {
		c->start_bit[k] = k == 0 || k >= cfg->depth ? 1u << 31 :
				  k % 2 ? 0 : 1u << (k / 2 - 1);
		c->oau_lane[k] = -(int64_t)(c->oau && k % PE_FL_OAU_SPAN == 0 && k);
	}
	pe_dsp48e2_params_packed(&prm);
	for (uint32_t k = 0; k < cfg->depth; k++)
		if ((st = pe_dsp48e2_init(&c->dsp[k], &prm, err)))
			return st;
	step_pick(c);
	pe_flightllm_chain_reset(c);
	return PS_OK;
}

void pe_flightllm_chain_reset(struct pe_flightllm_chain *c)
{
	static const int ce[] = {
		PE_DSP_CEA1, PE_DSP_CEA2, PE_DSP_CEB1, PE_DSP_CEB2, PE_DSP_CEC,
		PE_DSP_CED, PE_DSP_CEAD, PE_DSP_CEM, PE_DSP_CEP, PE_DSP_CECTRL,
		PE_DSP_CEINMODE, PE_DSP_CEALUMODE, PE_DSP_CECARRYIN,
	};
	c->t = 0;
	memset(c->ring, 0, sizeof c->ring);
	memset(c->pw, 0, sizeof c->pw);
	memset(c->sw, 0, sizeof c->sw);
	memset(c->yo, 0, sizeof c->yo);
	memset(c->rn, 0, sizeof c->rn);
	memset(c->mk, 0, sizeof c->mk);
	memset(c->vq, 0, sizeof c->vq);
	memset(c->p, 0, sizeof c->p);
	memset(c->side, 0, sizeof c->side);
	memset(c->din, 0, sizeof c->din);
	memset(c->dout, 0, sizeof c->dout);
	memset(c->y, 0, sizeof c->y);
	memset(c->y_lo, 0, sizeof c->y_lo);
	memset(c->y_hi, 0, sizeof c->y_hi);
	c->y_vld = 0;
	memset(&c->cnt, 0, sizeof c->cnt);
	for (uint32_t k = 0; k < c->cfg.depth; k++) {
		pe_dsp48e2_reset(&c->dsp[k]);
		for (size_t i = 0; i < sizeof ce / sizeof ce[0]; i++)
			c->din[k][ce[i]] = 1;
		c->din[k][PE_DSP_INMODE] = PE_DSP_INMODE_PACKED;
	}
}

/* The y port word of an RN: lo = sext18(P[17:0]) + side, hi =
 * sext30(P[47:18]) (+ P[17] with fx = 1), {hi, lo}. */
static inline uint64_t y_word(int64_t p, int64_t side, uint64_t fx)
{
	uint64_t u = (uint64_t)p & ((1ull << 48) - 1);
	int64_t lo = (int64_t)((u & 0x3ffff) ^ 0x20000) - 0x20000 + side;
	int64_t hi = (int64_t)((u >> 18) ^ (1ull << 29)) - (1ll << 29) +
		     (int64_t)((u >> 17) & fx);
	return (uint64_t)hi << 32 | (uint32_t)lo;
}

/* The RN word of the wave entering now (bit g: RN g closes, bit 31:
 * valid), and its counters. */
static inline __attribute__((always_inline)) void wave_word(
	struct pe_flightllm_chain *c, uint16_t rn_brk, bool vld, uint32_t nz,
	uint32_t D)
{
	uint32_t ndg = D / 2;
	uint64_t v = vld;	/* branch-free: valid waves come at random */
	c->rn[c->t & RMASK] = (rn_brk & ((1u << ndg) - 1)) | 1u << (ndg - 1) |
			      (uint32_t)vld << 31;
	c->cnt.waves += v;
	c->cnt.dsp_slots += D * v;
	c->cnt.mux_selects += D * v;
	c->cnt.nz_slots += nz * v;
}

/* Wave wv's pass down the inlined chain, from its products
 * mk[k]: P_k = M_k + (DSP k starts ? 0 : P_{k-1}) (- lo18(P_{k-1}) at an
 * OAU stage, into side), into the wave's row of pw/sw (what DSP k's P and
 * side hold after edge t+k+3), and what RN g shows after edge t+2g+4 into
 * that edge's row of yo, column g (offset 33 g past row t+4's start, as a
 * row has 16 words). DSP k starts iff (rn word | 1 << 31) & start_bit[k]. */
#define YO_AT(t) ((uint32_t)((t) + 4) * PE_FL_MAX_DG)
#define YO_MASK (PE_FL_RING * PE_FL_MAX_DG - 1)
#ifndef __AVX2__
static void wave_pass(struct pe_flightllm_chain *c, const int64_t *mk,
		      uint64_t wv)
{
	uint32_t D = c->cfg.depth, row = (uint32_t)(wv & RMASK);
	uint32_t sw = c->rn[row] | 1u << 31;
	int64_t *pw = c->pw + row * PE_FL_MAX_DEPTH, *sd = c->sw + row * PE_FL_MAX_DEPTH;
	uint64_t fx = !c->cfg.no_sign_fix;
	int64_t p = 0, side = 0;

	for (uint32_t k = 0; k < D; k++) {
		int64_t cont = -(int64_t)!(sw & c->start_bit[k]);
		int64_t pc = p & cont;
		int64_t moved = lo18(pc) & c->oau_lane[k];	/* W-mux = C = -lo */
		p = mk[k] + pc - moved;
		side = (side & cont) + moved;
		pw[k] = p;
		sd[k] = side;
	}
	for (uint32_t g = 0, o = YO_AT(wv); g < D / 2; g++, o += 2 * PE_FL_MAX_DG + 1)
		c->yo[o & YO_MASK] = y_word(pw[2 * g + 1], sd[2 * g + 1], fx);
}
#else
/* In AVX2, 4 DSPs (two DGs) a vector: the sums inside the block (DSP
 * 4j+1 adds 4j, 4j+2..3 add 4j+1 unless 4j+2 starts), then P of DSP 4j-1
 * (the carry) where no start lies between. DSPs past the chain have no
 * product and always start: their P stays 0. */
static inline __attribute__((always_inline)) void wave_pass(
	struct pe_flightllm_chain *c, const __m256i *mv, uint32_t D, uint64_t wv)
{
	uint32_t row = (uint32_t)(wv & RMASK);
	int nb = (int)(D + 7) / 8 * 2;	/* blocks of 4, even */
	int64_t *pw = c->pw + row * PE_FL_MAX_DEPTH, *sd = c->sw + row * PE_FL_MAX_DEPTH;
	/* bit m: DSP 2m starts a group (DSP 0, after a closing RN, past
	 * the chain); a block's two bits pick its lane masks */
	uint32_t st = (c->rn[row] << 1 | 1) | ~0u << (D / 2);
	static const int64_t lane[4][3][4] = {
		/* [c0 c2]: within-block carry into lanes 2, 3; carry from
		 * the last block's P reaches the lane; DSP 4j continues */
		{ { 0, 0, -1, -1 }, { -1, -1, -1, -1 }, { -1, -1, -1, -1 } },
		{ { 0, 0, -1, -1 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
		{ { 0, 0, 0, 0 }, { -1, -1, 0, 0 }, { -1, -1, -1, -1 } },
		{ { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	};
	__m256i pv[PE_FL_MAX_DEPTH / 4] = { 0 }, sv[PE_FL_MAX_DEPTH / 4] = { 0 };
	int64_t carry = 0, scar = 0;
	int64_t cin[PE_FL_MAX_DEPTH / 4] = { 0 }, sin[PE_FL_MAX_DEPTH / 4] = { 0 };

	/* the sums inside each block (independent), then the carries from
	 * block to block in scalar registers (the one serial chain: 2
	 * operations a block, 6 more at an OAU stage) */
	PE_UNROLL(8)
	for (int j = 0; j < PE_FL_MAX_DEPTH / 4 && j < nb; j++) {
		const int64_t (*lm)[4] = lane[st >> 2 * j & 3];
		__m256i s = _mm256_add_epi64(mv[j], _mm256_slli_si256(mv[j], 8));
		pv[j] = _mm256_add_epi64(s, _mm256_and_si256(
			_mm256_loadu_si256((const __m256i *)lm[0]),
			_mm256_permute4x64_epi64(s, _MM_SHUFFLE(1, 1, 1, 1))));
		if (c->oau && j % 2 == 0 && j) {	/* DSP 4j: W-mux = C = -lo */
			int64_t lo = lo18(carry) & lm[2][0];
			carry -= lo;
			scar += lo;
		}
		cin[j] = carry;
		sin[j] = scar;
		carry = _mm256_extract_epi64(pv[j], 3) + (carry & lm[1][3]);
		scar &= lm[1][3];
	}
	PE_UNROLL(8)
	for (int j = 0; j < PE_FL_MAX_DEPTH / 4 && j < nb; j++) {
		__m256i reach = _mm256_loadu_si256((const __m256i *)lane[st >> 2 * j & 3][1]);
		pv[j] = _mm256_add_epi64(pv[j], _mm256_and_si256(
			_mm256_set1_epi64x(cin[j]), reach));
		_mm256_storeu_si256((__m256i *)(pw + 4 * j), pv[j]);
		if (!c->oau || j < 2)
			continue;	/* side is 0 before the first OAU stage */
		sv[j] = _mm256_and_si256(_mm256_set1_epi64x(sin[j]), reach);
		_mm256_storeu_si256((__m256i *)(sd + 4 * j), sv[j]);
	}
	/* the RNs read the odd DSPs: blocks j, j+1 give groups 2j, 2j+2,
	 * 2j+1, 2j+3 (unpacked, not put in order: the stores pick). P does
	 * not wrap here, so the y word's high half, sext30(P[47:18]) +
	 * P[17], is (P << 14) + (P << 15 & fix << 32) in the high dword,
	 * and its low half sext18(P[17:0]) + side in the low dword. */
	const __m256i fxv = _mm256_set1_epi64x((long long)((uint64_t)!c->cfg.no_sign_fix << 32));
	uint64_t yv[PE_FL_MAX_DG];
	PE_UNROLL(4)
	for (int j = 0; j < PE_FL_MAX_DEPTH / 4 && j < nb; j += 2) {
		__m256i po = _mm256_unpackhi_epi64(pv[j], pv[j + 1]);
		__m256i so = _mm256_unpackhi_epi64(sv[j], sv[j + 1]);
		__m256i lo = _mm256_add_epi32(_mm256_srai_epi32(_mm256_slli_epi32(po, 14), 14), so);
		__m256i hi = _mm256_add_epi64(_mm256_slli_epi64(po, 14),
					      _mm256_and_si256(_mm256_slli_epi64(po, 15), fxv));
		_mm256_storeu_si256((__m256i *)(yv + 2 * j), _mm256_blend_epi32(lo, hi, 0xaa));
	}
	uint32_t o = YO_AT(wv);
	PE_UNROLL(16)
	for (uint32_t g = 0; g < D / 2; g++)
		c->yo[(o + (2 * PE_FL_MAX_DG + 1) * g) & YO_MASK] =
			yv[(g & ~3u) | (g & 1) << 1 | (g >> 1 & 1)];
}
#endif

/* The pass of the wave that entered at the last edge, from its products
 * in c->mk (the entering wave's go there after it): a wave's first
 * results are DSP 0's P after edge t+3 and RN 0's y after edge t+4, so
 * its pass can wait an edge, and then does not wait for the front end of
 * the wave entering now (the two overlap in the CPU). */
static inline __attribute__((always_inline)) void pass_last(
	struct pe_flightllm_chain *c, uint32_t D)
{
#ifdef __AVX2__
	__m256i mv[PE_FL_MAX_DEPTH / 4];
	PE_UNROLL(8)
	for (uint32_t j = 0; j < PE_FL_MAX_DEPTH / 4; j++)
		mv[j] = _mm256_loadu_si256((const __m256i *)(c->mk + 4 * j));
	wave_pass(c, mv, D, c->t - 1);
#else
	(void)D;
	wave_pass(c, c->mk, c->t - 1);
#endif
}

/* Decode unit (the code sign-extended) and sparse MUX (the pair at the
 * index) of DSP 0..depth-1 for the wave entering now: pair[16] the wave's
 * activation pairs, code[k] and idx[k] DSP k's inputs. The structural
 * datapath keeps the operands in the wave's ring entry, the inlined one
 * runs the wave down the chain. */
static void front_fill(struct pe_flightllm_chain *c, const uint16_t *pair,
		       const uint8_t *code, const uint8_t *idx,
		       uint16_t rn_brk, bool vld)
{
	uint32_t D = c->cfg.depth, nz = 0, sh = 8 - c->cfg.wbits;

	if (c->cfg.structural) {
		struct pe_fl_front *f = &c->ring[c->t & RMASK];
		for (uint32_t k = 0; k < D; k++) {
			uint16_t x = pair[idx[k] & (PE_FL_M - 1)];
			f->w[k] = (int8_t)((uint8_t)(code[k] << sh)) >> sh;
			f->ad[k] = (int8_t)(x >> 8) * (1 << 18) + (int8_t)(x & 0xff);
			nz += f->w[k] != 0;
		}
		f->rn_brk = rn_brk;
		f->vld = vld;
		if (vld) {
			c->cnt.waves++;
			c->cnt.dsp_slots += D;
			c->cnt.mux_selects += D;
			c->cnt.nz_slots += nz;
		}
	} else {
		int64_t mk[PE_FL_MAX_DEPTH] = { 0 };
		for (uint32_t k = 0; k < D; k++) {
			uint16_t x = pair[idx[k] & (PE_FL_M - 1)];
			int8_t w = (int8_t)((uint8_t)(code[k] << sh)) >> sh;
			int32_t ad = (int8_t)(x >> 8) * (1 << 18) + (int8_t)(x & 0xff);
			mk[k] = (int64_t)ad * w;
			nz += w != 0;
		}
		wave_word(c, rn_brk, vld, nz, D);
		pass_last(c, D);
		memcpy(c->mk, mk, sizeof mk);
	}
}

/* The front end from the port words: act_0..3 are the 16 pairs, w_0..3
 * the 32 codes and idx_0..1 the 32 indices, lowest first. */
static void front_ports(struct pe_flightllm_chain *c, const uint64_t *in)
{
	uint16_t pair[PE_FL_M];
	uint8_t code[PE_FL_MAX_DEPTH], idx[PE_FL_MAX_DEPTH];

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(pair, in + PE_FL_ACT0, sizeof pair);
	memcpy(code, in + PE_FL_W0, sizeof code);
#else
	for (int j = 0; j < PE_FL_M; j++)
		pair[j] = (uint16_t)(in[PE_FL_ACT0 + j / 4] >> (16 * (j % 4)));
	for (uint32_t k = 0; k < PE_FL_MAX_DEPTH; k++)
		code[k] = (uint8_t)(in[PE_FL_W0 + k / 8] >> (8 * (k % 8)));
#endif
	for (uint32_t k = 0; k < PE_FL_MAX_DEPTH; k += 16) {
		uint64_t x = in[PE_FL_IDX0 + k / 16];
		for (uint32_t j = 0; j < 16; j++, x >>= 4)
			idx[k + j] = (uint8_t)(x & 15);
	}
	front_fill(c, pair, code, idx, (uint16_t)in[PE_FL_RN_BRK],
		   in[PE_FL_IN_VALID] & 1);
}

#ifdef __AVX2__
/* M = x0 w + x1 w 2^18 of 4 DSPs, from their int16 lane products. */
static inline __m256i prod4(__m128i p0, __m128i p1)
{
	return _mm256_add_epi64(_mm256_cvtepi16_epi64(p0),
				_mm256_slli_epi64(_mm256_cvtepi16_epi64(p1), 18));
}

/* The inlined datapath's front end straight from the port words, 16
 * DSPs a vector: the sparse MUX is a byte shuffle of the 16 x0 and of
 * the 16 x1 by the indices, the decode unit sign-extends the codes, and
 * x0 w, x1 w are exact in 16 bits (|x w| <= 2^14). */
static inline __attribute__((always_inline)) void front_ports_inline(
	struct pe_flightllm_chain *c, const uint64_t *in, uint32_t D)
{
	uint32_t wb = c->cfg.wbits, nz = 0;
	const __m128i ev = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14,
					 1, 3, 5, 7, 9, 11, 13, 15);
	const __m128i nib = _mm_set1_epi8(15), z = _mm_setzero_si128();
	const __m128i kix = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7,
					  8, 9, 10, 11, 12, 13, 14, 15);
	const __m128i wm = _mm_set1_epi8((char)((1u << wb) - 1));
	const __m128i sb = _mm_set1_epi8((char)(1u << (wb - 1)));
	__m128i a = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(in + PE_FL_ACT0)), ev);
	__m128i b = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(in + PE_FL_ACT0 + 2)), ev);
	__m128i x0t = _mm_unpacklo_epi64(a, b), x1t = _mm_unpackhi_epi64(a, b);
	__m256i mv[PE_FL_MAX_DEPTH / 4];

	PE_UNROLL(2)
	for (uint32_t h = 0; h < D; h += 16) {
		__m128i v = _mm_cvtsi64_si128((long long)in[PE_FL_IDX0 + h / 16]);
		__m128i ix = _mm_unpacklo_epi8(_mm_and_si128(v, nib),
					       _mm_and_si128(_mm_srli_epi16(v, 4), nib));
		__m128i cd = _mm_loadu_si128((const __m128i *)(in + PE_FL_W0 + h / 8));
		__m128i w = _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(cd, wm), sb), sb);
		/* no product past the chain */
		w = _mm_and_si128(w, _mm_cmpgt_epi8(_mm_set1_epi8((char)(D - h)), kix));
		__m256i w16 = _mm256_cvtepi8_epi16(w);
		__m256i p0 = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm_shuffle_epi8(x0t, ix)), w16);
		__m256i p1 = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm_shuffle_epi8(x1t, ix)), w16);
		__m128i l0 = _mm256_castsi256_si128(p0), h0 = _mm256_extracti128_si256(p0, 1);
		__m128i l1 = _mm256_castsi256_si128(p1), h1 = _mm256_extracti128_si256(p1, 1);
		nz += (uint32_t)__builtin_popcount(~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(w, z)) & 0xffff);
		mv[h / 4] = prod4(l0, l1);
		mv[h / 4 + 1] = prod4(_mm_srli_si128(l0, 8), _mm_srli_si128(l1, 8));
		mv[h / 4 + 2] = prod4(h0, h1);
		mv[h / 4 + 3] = prod4(_mm_srli_si128(h0, 8), _mm_srli_si128(h1, 8));
	}
	wave_word(c, (uint16_t)in[PE_FL_RN_BRK], in[PE_FL_IN_VALID] & 1, nz, D);
	/* its pass at the next edge (pass_last) */
	PE_UNROLL(8)
	for (uint32_t j = 0; j < (D + 15) / 16 * 4; j++)
		_mm256_storeu_si256((__m256i *)(c->mk + 4 * j), mv[j]);
}
#endif

/* The edge for the inlined datapath: RN g shows wave t-2g-4's result
 * in y[g] (its valid bit and close bit g from the wave's RN word); the
 * OAU stages count the valid waves they adjust. */
static inline __attribute__((always_inline)) uint16_t stages_inline(
	struct pe_flightllm_chain *c, uint32_t D, uint64_t *y)
{
	uint32_t ndg = D / 2, cl = 0, vm = 0;

	if (c->oau) {
		PE_UNROLL(4)
		for (uint32_t k = PE_FL_OAU_SPAN; k < D; k += PE_FL_OAU_SPAN) {
			uint32_t r = c->rn[(c->t - k - 3) & RMASK];
			c->cnt.oau_moves += (~r >> (k / 2 - 1) & 1) & r >> 31;
		}
	}
	if (ndg <= 8) {
		/* a delay line of out_valid bytes, byte d for the edge d
		 * later: wave t-4 adds its close&valid bit g to byte 2g
		 * (bit g moved to bit 17 g by one multiply: bit g of the
		 * product's copy k is at g + 16 k, copies 8 bits wide do
		 * not carry into each other) */
		uint32_t r = c->rn[(c->t - 4) & RMASK];
		uint64_t cv = r & ((1u << ndg) - 1) & -(uint64_t)(r >> 31);
		uint64_t m = cv * 0x0001000100010001ull;
		c->vq[0] |= m & 0x0008000400020001ull;	/* bits 17g, g < 4 */
		c->vq[1] |= m & 0x0080004000200010ull;	/* 17g - 64, g >= 4 */
		vm = (uint32_t)(c->vq[0] & 0xff);
		cl = vm;
		c->vq[0] = c->vq[0] >> 8 | c->vq[1] << 56;
		c->vq[1] >>= 8;
	}
#ifdef __AVX2__
	const uint64_t *yr = c->yo + (c->t & RMASK) * PE_FL_MAX_DG;
	if (ndg % 4 == 0) {
		PE_UNROLL(4)
		for (uint32_t g = 0; g < PE_FL_MAX_DG && g < ndg; g += 4)
			_mm256_storeu_si256((__m256i *)(y + g),
					    _mm256_loadu_si256((const __m256i *)(yr + g)));
	} else {
		memcpy(y, yr, ndg * sizeof *y);
	}
	/* 8 RNs a gather of RN words: bit 31 of each is its valid bit, and
	 * bit g of RN g's shifted there its close bit */
	PE_UNROLL(2)
	for (uint32_t g = 0; g < ndg && ndg > 8; g += 8) {
		const __m256i gi = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
		__m256i gv = _mm256_add_epi32(gi, _mm256_set1_epi32((int)g));
		__m256i ix = _mm256_and_si256(
			_mm256_sub_epi32(_mm256_set1_epi32((int)(uint32_t)c->t - 4),
					 _mm256_add_epi32(gv, gv)),
			_mm256_set1_epi32(RMASK));
		__m256i r = _mm256_i32gather_epi32((const int *)c->rn, ix, 4);
		__m256i cb = _mm256_sllv_epi32(r, _mm256_sub_epi32(_mm256_set1_epi32(31), gv));
		vm |= (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(r)) << g;
		cl |= (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(cb)) << g;
	}
#else
	memcpy(y, c->yo + (c->t & RMASK) * PE_FL_MAX_DG, ndg * sizeof *y);
	for (uint32_t g = 0; g < ndg && ndg > 8; g++) {
		uint32_t r = c->rn[(c->t - 2 * g - 4) & RMASK];
		cl |= (r >> g & 1) << g;
		vm |= (r >> 31) << g;
	}
#endif
	return (uint16_t)(cl & vm & ((1u << ndg) - 1));
}

static void stages_structural(struct pe_flightllm_chain *c)
{
	uint64_t t = c->t;
	for (int k = (int)c->cfg.depth - 1; k >= 0; k--) {
		const struct pe_fl_front *pf = &c->ring[(t - (uint64_t)k - 3) & RMASK];
		const struct pe_fl_front *fa = &c->ring[(t - (uint64_t)k) & RMASK];
		uint64_t *in = c->din[k];
		bool st = starts(pf->rn_brk, (uint32_t)k);
		bool adj = !st && c->oau && k % PE_FL_OAU_SPAN == 0;
		int32_t moved = 0;
		int32_t x0 = lo18(fa->ad[k]), x1d = fa->ad[k] - x0;	/* x1 2^18 */
		in[PE_DSP_A] = (uint64_t)(int64_t)x0 & ((1u << 30) - 1);
		in[PE_DSP_D] = (uint64_t)(int64_t)x1d & ((1u << 27) - 1);
		in[PE_DSP_B] = (uint64_t)(int64_t)fa->w[k] & ((1u << 18) - 1);
		in[PE_DSP_PCIN] = k ? c->dout[k - 1][PE_DSP_OUT_PCOUT] : 0;
		if (adj) {
			moved = lo18((int64_t)c->dout[k - 1][PE_DSP_OUT_P]);
			c->cnt.oau_moves += pf->vld;
		}
		in[PE_DSP_C] = (uint64_t)(-(int64_t)moved) & ((1ull << 48) - 1);
		in[PE_DSP_OPMODE] = st ? PE_DSP_OPM_MUL_RESTART :
				    adj ? PE_DSP_OPM_MUL_PCIN_C : PE_DSP_OPM_MUL_PCIN;
		c->side[k] = st ? 0 : c->side[k - 1] + moved;
		pe_dsp48e2_step(&c->dsp[k], in, c->dout[k]);
		c->p[k] = wrap((int64_t)c->dout[k][PE_DSP_OUT_P], 48);
	}
}

static inline void edge_end(struct pe_flightllm_chain *c, uint16_t vld)
{
	c->y_vld = vld;
	c->cnt.rn_results += (uint64_t)__builtin_popcount(vld);
	c->cnt.cycles++;
	c->t++;
}

/* The edge after the front end: the stages and the reduction nodes. */
static inline __attribute__((always_inline)) void clock_stages(
	struct pe_flightllm_chain *c)
{
	uint32_t ndg = c->cfg.depth / 2;
	bool fix = !c->cfg.no_sign_fix;
	uint16_t vld = 0;

	if (!c->cfg.structural) {
		vld = stages_inline(c, c->cfg.depth, c->y);
	} else {
		stages_structural(c);
		/* reduction nodes: logic on the P registers after the edge */
		for (uint32_t g = 0; g < ndg; g++) {
			uint32_t e = 2 * g + 1;
			const struct pe_fl_front *pf = &c->ring[(c->t - e - 3) & RMASK];
			int32_t lo, hi;
			pe_fl_extract(c->p[e], fix, &lo, &hi);
			lo += (int32_t)c->side[e];
			c->y[g] = (uint64_t)(uint32_t)hi << 32 | (uint32_t)lo;
			if (pf->vld && closes(pf->rn_brk, g, ndg))
				vld |= (uint16_t)(1u << g);
		}
	}
	edge_end(c, vld);
}

void pe_flightllm_chain_clock(struct pe_flightllm_chain *c,
			      const struct pe_flightllm_wave *w)
{
	front_fill(c, w->act, w->w, w->idx, w->rn_brk, w->vld);
	clock_stages(c);
	if (!c->cfg.structural) {
		/* the P and side registers after the edge: DSP k holds wave
		 * t-k-3 (t the edge just taken) */
		uint64_t t = c->t - 1;
		for (uint32_t k = 0; k < c->cfg.depth; k++) {
			uint64_t o = ((t - k - 3) & RMASK) * PE_FL_MAX_DEPTH + k;
			c->p[k] = c->pw[o];
			c->side[k] = c->sw[o];
		}
	}
	for (uint32_t g = 0; g < PE_FL_MAX_DG; g++) {
		c->y_lo[g] = (int32_t)(uint32_t)c->y[g];
		c->y_hi[g] = (int32_t)(uint32_t)(c->y[g] >> 32);
	}
}

void pe_flightllm_wave_pack(const struct pe_flightllm_wave *w, uint64_t *in)
{
	memset(in, 0, PE_FL_N_IN * sizeof *in);
	in[PE_FL_IN_VALID] = w->vld;
	for (int j = 0; j < PE_FL_M; j++)
		in[PE_FL_ACT0 + j / 4] |= (uint64_t)w->act[j] << (16 * (j % 4));
	for (int k = 0; k < PE_FL_MAX_DEPTH; k++) {
		in[PE_FL_W0 + k / 8] |= (uint64_t)w->w[k] << (8 * (k % 8));
		in[PE_FL_IDX0 + k / 16] |= (uint64_t)(w->idx[k] & 15) << (4 * (k % 16));
	}
	in[PE_FL_RN_BRK] = w->rn_brk;
}

#ifdef __AVX2__
/* An edge of the inlined datapath from the port words, for depth D. */
static inline __attribute__((always_inline)) void step_inline(
	struct pe_flightllm_chain *c, const uint64_t *in, uint64_t *out,
	uint32_t D)
{
	pass_last(c, D);
	front_ports_inline(c, in, D);
	edge_end(c, stages_inline(c, D, out + PE_FL_OUT_Y0));
	memset(out + PE_FL_OUT_Y0 + D / 2, 0, (PE_FL_MAX_DG - D / 2) * sizeof *out);
	out[PE_FL_OUT_VALID] = c->y_vld;
}

#define STEP_D(d)                                                             \
static __attribute__((noinline)) void step_d##d(                              \
	struct pe_flightllm_chain *c, const uint64_t *in, uint64_t *out)      \
{                                                                             \
	step_inline(c, in, out, d);                                           \
}
STEP_D(8)
STEP_D(16)
STEP_D(32)
#endif

static void step_any(struct pe_flightllm_chain *c, const uint64_t *in,
		     uint64_t *out)
{
#ifdef __AVX2__
	if (!c->cfg.structural) {
		step_inline(c, in, out, c->cfg.depth);
		return;
	}
#endif
	front_ports(c, in);
	clock_stages(c);
	memcpy(out + PE_FL_OUT_Y0, c->y, sizeof c->y);
	out[PE_FL_OUT_VALID] = c->y_vld;
}

/* The step of this configuration, chosen once (no switch an edge): the
 * depths of the presets and of the RTL rows with their loops unrolled,
 * any other through the same code, or the structural datapath. */
static void step_pick(struct pe_flightllm_chain *c)
{
	c->step = step_any;
#ifdef __AVX2__
	if (!c->cfg.structural) {
		switch (c->cfg.depth) {
		case 8: c->step = step_d8; break;
		case 16: c->step = step_d16; break;
		case 32: c->step = step_d32; break;
		default: break;
		}
	}
#endif
}

void pe_flightllm_chain_step(struct pe_flightllm_chain *c, const uint64_t *in,
			     uint64_t *out)
{
	c->step(c, in, out);
}

/* ---- the "flightllm_chain" bit-true model ---- */

static const struct pe_port chain_ports[] = {
	{ "in_valid", 1 },
	{ "act_0", 64 }, { "act_1", 64 }, { "act_2", 64 }, { "act_3", 64 },
	{ "w_0", 64 }, { "w_1", 64 }, { "w_2", 64 }, { "w_3", 64 },
	{ "idx_0", 64 }, { "idx_1", 64 },
	{ "rn_brk", 16 },
	{ "y_0", 64 }, { "y_1", 64 }, { "y_2", 64 }, { "y_3", 64 },
	{ "y_4", 64 }, { "y_5", 64 }, { "y_6", 64 }, { "y_7", 64 },
	{ "y_8", 64 }, { "y_9", 64 }, { "y_10", 64 }, { "y_11", 64 },
	{ "y_12", 64 }, { "y_13", 64 }, { "y_14", 64 }, { "y_15", 64 },
	{ "out_valid", 16 },
};

/* The decode unit widens codes of pe_code_bits (pe.h): csd-2of16.yaml's
 * nm2of16-int4 weights are 4-bit codes. */
static enum ps_status bt_init(void *state, const struct pe_params *p,
			      struct ps_err *err)
{
	struct pe_flightllm_cfg cfg = { .depth = p->lanes,
					.oau = PE_FL_OAU_AUTO };
	uint32_t b = pe_code_bits(p);
	if (!(b >= 2 && b <= 8))
		return ps_errf(err, PS_EINPUT,
			       "flightllm chain: %u-bit weight codes: the decode unit widens 2..8-bit codes",
			       b);
	cfg.wbits = b;
	return pe_flightllm_chain_init(state, &cfg, err);
}

static void bt_reset(void *state)
{
	pe_flightllm_chain_reset(state);
}

/* The configuration's step straight (one call less an edge). */
static void bt_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_flightllm_chain *c = state;
	c->step(c, in, out);
}

const struct pe_bt_ops pe_flightllm_chain_bt = {
	.name = "flightllm_chain",
	.rtl_top = "flightllm_chain",
	.ports = chain_ports,
	.n_in = PE_FL_N_IN,
	.n_out = PE_FL_N_OUT,
	.state_size = sizeof(struct pe_flightllm_chain),
	.init = bt_init,
	.reset = bt_reset,
	.step = bt_step,
};

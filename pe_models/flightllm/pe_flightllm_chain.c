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
 * Speed (the inlined path): a wave's front end is computed once, when it
 * enters, down to DSP k's product M, which is stored where the edge that
 * adds it reads it (row (i + k + 3) % RING, column k, for wave i), so an edge reads
 * one row in DSP order; the RN configuration of a wave is one word of
 * close bits, and DSP 2g+2 starts a group iff RN g closed one the edge
 * before (the wave it carries did). The stage and RN loops are then
 * branch-free over the DSPs, which the compiler vectorises. P never wraps
 * in this path: |M| <= (2^25 + 2^7) 2^7 < 2^33, so 32 stages stay below
 * 2^38 (the OAU subtracts less than 2^17 a stage), far from 2^47; the
 * structural path wraps at 48 bits as the slice does and the tests prove
 * the two equal. */
#include "pe_flightllm.h"

#include <string.h>
#ifdef __AVX2__
#include <immintrin.h>
#endif

#define RMASK (PE_FL_RING - 1)

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
	memset(c->m, 0, sizeof c->m);
	memset(c->rn, 0, sizeof c->rn);
	c->close = 0;
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

/* Decode unit (the code sign-extended) and sparse MUX (the pair at the
 * index) of DSP 0..depth-1 for the wave entering now: pair[16] the wave's
 * activation pairs, code[k] and idx[k] DSP k's inputs. The inlined
 * datapath gets its products in the rows that add them and the wave's
 * RN word, the structural one the operands in the wave's ring entry. */
static void front_fill(struct pe_flightllm_chain *c, const uint16_t *pair,
		       const uint8_t *code, const uint8_t *idx,
		       uint16_t rn_brk, bool vld)
{
	uint32_t D = c->cfg.depth, ndg = D / 2, nz = 0, sh = 8 - c->cfg.wbits;

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
	} else {
		for (uint32_t k = 0; k < D; k++) {
			uint16_t x = pair[idx[k] & (PE_FL_M - 1)];
			int8_t w = (int8_t)((uint8_t)(code[k] << sh)) >> sh;
			int32_t ad = (int8_t)(x >> 8) * (1 << 18) + (int8_t)(x & 0xff);
			c->m[((c->t + k + 3) & RMASK) * PE_FL_MAX_DEPTH + k] = (int64_t)ad * w;
			nz += w != 0;
		}
		c->rn[c->t & RMASK] = (rn_brk & ((1u << ndg) - 1)) |
				      1u << (ndg - 1) | (uint32_t)vld << 31;
	}
	if (vld) {
		c->cnt.waves++;
		c->cnt.dsp_slots += D;
		c->cnt.mux_selects += D;
		c->cnt.nz_slots += nz;
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
static inline void prod4(int64_t *m, __m128i p0, __m128i p1)
{
	_mm256_storeu_si256((__m256i *)m,
		_mm256_add_epi64(_mm256_cvtepi16_epi64(p0),
				 _mm256_slli_epi64(_mm256_cvtepi16_epi64(p1), 18)));
}

/* The inlined datapath's front end straight from the port words, 16
 * DSPs a vector: the sparse MUX is a byte shuffle of the 16 x0 and of
 * the 16 x1 by the indices, the decode unit sign-extends the codes, and
 * x0 w, x1 w are exact in 16 bits (|x w| <= 2^14). */
static void front_ports_inline(struct pe_flightllm_chain *c, const uint64_t *in)
{
	uint32_t D = c->cfg.depth, ndg = D / 2, wb = c->cfg.wbits, nz = 0;
	const __m128i ev = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14,
					 1, 3, 5, 7, 9, 11, 13, 15);
	const __m128i nib = _mm_set1_epi8(15), z = _mm_setzero_si128();
	const __m128i wm = _mm_set1_epi8((char)((1u << wb) - 1));
	const __m128i sb = _mm_set1_epi8((char)(1u << (wb - 1)));
	__m128i a = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(in + PE_FL_ACT0)), ev);
	__m128i b = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(in + PE_FL_ACT0 + 2)), ev);
	__m128i x0t = _mm_unpacklo_epi64(a, b), x1t = _mm_unpackhi_epi64(a, b);
	int64_t mk[PE_FL_MAX_DEPTH];
	bool vld = in[PE_FL_IN_VALID] & 1;

	for (uint32_t h = 0; h < D; h += 16) {
		__m128i v = _mm_cvtsi64_si128((long long)in[PE_FL_IDX0 + h / 16]);
		__m128i ix = _mm_unpacklo_epi8(_mm_and_si128(v, nib),
					       _mm_and_si128(_mm_srli_epi16(v, 4), nib));
		__m128i cd = _mm_loadu_si128((const __m128i *)(in + PE_FL_W0 + h / 8));
		__m128i w = _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(cd, wm), sb), sb);
		__m256i w16 = _mm256_cvtepi8_epi16(w);
		__m256i p0 = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm_shuffle_epi8(x0t, ix)), w16);
		__m256i p1 = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm_shuffle_epi8(x1t, ix)), w16);
		__m128i l0 = _mm256_castsi256_si128(p0), h0 = _mm256_extracti128_si256(p0, 1);
		__m128i l1 = _mm256_castsi256_si128(p1), h1 = _mm256_extracti128_si256(p1, 1);
		uint32_t live = D - h >= 16 ? 0xffff : (1u << (D - h)) - 1;
		nz += (uint32_t)__builtin_popcount(~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(w, z)) & live);
		prod4(mk + h, l0, l1);
		prod4(mk + h + 4, _mm_srli_si128(l0, 8), _mm_srli_si128(l1, 8));
		prod4(mk + h + 8, h0, h1);
		prod4(mk + h + 12, _mm_srli_si128(h0, 8), _mm_srli_si128(h1, 8));
	}
	/* DSP k's product to row t+k+3, column k: offset 33 k past row
	 * t+3's start, modulo the ring */
	for (uint32_t k = 0, o = (uint32_t)(c->t + 3) * PE_FL_MAX_DEPTH; k < D;
	     k++, o += PE_FL_MAX_DEPTH + 1)
		c->m[o & (PE_FL_RING * PE_FL_MAX_DEPTH - 1)] = mk[k];
	c->rn[c->t & RMASK] = ((uint32_t)in[PE_FL_RN_BRK] & ((1u << ndg) - 1)) |
			      1u << (ndg - 1) | (uint32_t)vld << 31;
	if (vld) {
		c->cnt.waves++;
		c->cnt.dsp_slots += D;
		c->cnt.mux_selects += D;
		c->cnt.nz_slots += nz;
	}
}
#endif

/* Each stage: P <- M + Z (+ C), M being wave t-k-3's product (the
 * register chain A1/D/B1 -> AD/B2 -> M of the DSP, read from the row
 * instead of copied along); Z = PCIN = the P of DSP k-1 before the edge
 * unless DSP k starts a group. Then the reduction nodes: logic on the P
 * registers after the edge, into the y ports. sw = close | 1 << 31. */
#ifndef __AVX2__
static void stages_p(struct pe_flightllm_chain *c, uint64_t sw, uint64_t fx)
{
	const int64_t *m = c->m + (c->t & RMASK) * PE_FL_MAX_DEPTH;
	uint32_t D = c->cfg.depth;
	int64_t pin[PE_FL_MAX_DEPTH], sin[PE_FL_MAX_DEPTH];

	pin[0] = sin[0] = 0;
	memcpy(pin + 1, c->p, (D - 1) * sizeof *pin);
	memcpy(sin + 1, c->side, (D - 1) * sizeof *sin);
	for (uint32_t k = 0; k < D; k++) {
		int64_t cont = -(int64_t)!(sw & c->start_bit[k]);
		int64_t pc = pin[k] & cont;
		int64_t moved = lo18(pc) & c->oau_lane[k];	/* W-mux = C = -lo */
		c->p[k] = m[k] + pc - moved;
		c->side[k] = (sin[k] + moved) & cont;
	}
	for (uint32_t g = 0; g < D / 2; g++) {
		uint64_t u = (uint64_t)c->p[2 * g + 1] & ((1ull << 48) - 1);
		int64_t lo = (int64_t)((u & 0x3ffff) ^ 0x20000) - 0x20000;
		int64_t hi = (int64_t)((u >> 18) ^ (1ull << 29)) - (1ll << 29);
		lo += c->side[2 * g + 1];
		hi += (int64_t)((u >> 17) & fx);
		c->y[g] = (uint64_t)hi << 32 | (uint32_t)lo;
	}
}
#else
/* The same in AVX2, 4 DSPs a vector, from the last block to the first
 * (each reads the P of its predecessor's last DSP before that changes);
 * DSPs past the chain always start, so their P stays 0. */
static inline __m256i lo18v(__m256i x)
{
	const __m256i m = _mm256_set1_epi64x(0x3ffff), s = _mm256_set1_epi64x(0x20000);
	return _mm256_sub_epi64(_mm256_xor_si256(_mm256_and_si256(x, m), s), s);
}

static inline __attribute__((always_inline)) void stages_p(
	struct pe_flightllm_chain *c, uint64_t sw, uint64_t fx)
{
	const int64_t *m = c->m + (c->t & RMASK) * PE_FL_MAX_DEPTH;
	int nb = (int)(c->cfg.depth + 7) / 8 * 2;	/* blocks of 4, even */
	__m256i swv = _mm256_set1_epi64x((long long)sw), z = _mm256_setzero_si256();
	__m256i pn[PE_FL_MAX_DEPTH / 4], sn[PE_FL_MAX_DEPTH / 4];
	int64_t *p = c->p, *side = c->side;

	for (int j = nb - 1; j >= 0; j--) {
		__m256i sb = _mm256_loadu_si256((const __m256i *)(c->start_bit + 4 * j));
		__m256i cont = _mm256_cmpeq_epi64(_mm256_and_si256(swv, sb), z);
		__m256i pin, sin, pv, sv;
		if (j) {
			pin = _mm256_loadu_si256((const __m256i *)(p + 4 * j - 1));
			sin = _mm256_loadu_si256((const __m256i *)(side + 4 * j - 1));
		} else {	/* DSP 0 starts: lane 0 is masked */
			pin = _mm256_permute4x64_epi64(_mm256_loadu_si256((const __m256i *)p),
						       _MM_SHUFFLE(2, 1, 0, 0));
			sin = _mm256_permute4x64_epi64(_mm256_loadu_si256((const __m256i *)side),
						       _MM_SHUFFLE(2, 1, 0, 0));
		}
		pin = _mm256_and_si256(pin, cont);
		pv = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(m + 4 * j)), pin);
		_mm256_storeu_si256((__m256i *)(p + 4 * j), pv);
		pn[j] = pv;
		sn[j] = z;
		if (!c->oau || j < 2)
			continue;	/* no OAU stage before DSP 8: side stays 0 */
		sv = _mm256_and_si256(sin, cont);
		if (j % 2 == 0) {	/* W-mux = C = -lo */
			__m256i mv = _mm256_and_si256(lo18v(pin),
				_mm256_loadu_si256((const __m256i *)(c->oau_lane + 4 * j)));
			pv = _mm256_sub_epi64(pv, mv);
			sv = _mm256_add_epi64(sv, mv);
			_mm256_storeu_si256((__m256i *)(p + 4 * j), pv);
			pn[j] = pv;
		}
		_mm256_storeu_si256((__m256i *)(side + 4 * j), sv);
		sn[j] = sv;
	}
	/* the RNs read the odd DSPs: blocks j, j+1 give groups 2j..2j+3 */
	const __m256i m48 = _mm256_set1_epi64x((long long)((1ull << 48) - 1));
	const __m256i m18 = _mm256_set1_epi64x(0x3ffff), s18 = _mm256_set1_epi64x(0x20000);
	const __m256i s30 = _mm256_set1_epi64x(1ll << 29), m32 = _mm256_set1_epi64x(0xffffffff);
	const __m256i fxv = _mm256_set1_epi64x((long long)fx);
	for (int j = 0; j < nb; j += 2) {
		__m256i po = _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(pn[j], pn[j + 1]),
						      _MM_SHUFFLE(3, 1, 2, 0));
		__m256i so = _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(sn[j], sn[j + 1]),
						      _MM_SHUFFLE(3, 1, 2, 0));
		__m256i u = _mm256_and_si256(po, m48);
		__m256i lo = _mm256_sub_epi64(_mm256_xor_si256(_mm256_and_si256(u, m18), s18), s18);
		__m256i hi = _mm256_sub_epi64(_mm256_xor_si256(_mm256_srli_epi64(u, 18), s30), s30);
		lo = _mm256_add_epi64(lo, so);
		hi = _mm256_add_epi64(hi, _mm256_and_si256(_mm256_srli_epi64(u, 17), fxv));
		_mm256_storeu_si256((__m256i *)(c->y + 2 * j),
				    _mm256_or_si256(_mm256_slli_epi64(hi, 32),
						    _mm256_and_si256(lo, m32)));
	}
}
#endif

static uint16_t stages_inline(struct pe_flightllm_chain *c, bool fix)
{
	uint32_t D = c->cfg.depth, ndg = D / 2;
	uint32_t sw = c->close | 1u << 31, cl = 0, vm = 0;

	stages_p(c, sw, fix);
	for (uint32_t k = PE_FL_OAU_SPAN; c->oau && k < D; k += PE_FL_OAU_SPAN)
		c->cnt.oau_moves += !(sw & c->start_bit[k]) &&
				    c->rn[(c->t - k - 3) & RMASK] >> 31;
	/* RN g shows wave t-2g-4 */
#ifdef __AVX2__
	/* 8 RNs a gather: bit 31 of each word is its valid bit, and bit g
	 * of RN g's shifted there its close bit */
	for (uint32_t g = 0; g < ndg; g += 8) {
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
	cl &= (1u << ndg) - 1;
#else
	for (uint32_t g = 0; g < ndg; g++) {
		uint32_t r = c->rn[(c->t - 2 * g - 4) & RMASK];
		cl |= (r >> g & 1) << g;
		vm |= (r >> 31) << g;
	}
#endif
	c->close = cl;
	return (uint16_t)(cl & vm);
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

/* The edge after the front end: the stages and the reduction nodes. */
static inline __attribute__((always_inline)) void clock_stages(
	struct pe_flightllm_chain *c)
{
	uint32_t ndg = c->cfg.depth / 2;
	bool fix = !c->cfg.no_sign_fix;
	uint16_t vld = 0;

	if (!c->cfg.structural) {
		vld = stages_inline(c, fix);
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
	c->y_vld = vld;
	c->cnt.rn_results += (uint64_t)__builtin_popcount(vld);
	c->cnt.cycles++;
	c->t++;
}

void pe_flightllm_chain_clock(struct pe_flightllm_chain *c,
			      const struct pe_flightllm_wave *w)
{
	front_fill(c, w->act, w->w, w->idx, w->rn_brk, w->vld);
	clock_stages(c);
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

void pe_flightllm_chain_step(struct pe_flightllm_chain *c, const uint64_t *in,
			     uint64_t *out)
{
#ifdef __AVX2__
	if (!c->cfg.structural)
		front_ports_inline(c, in);
	else
#endif
		front_ports(c, in);
	clock_stages(c);
	memcpy(out + PE_FL_OUT_Y0, c->y, sizeof c->y);
	out[PE_FL_OUT_VALID] = c->y_vld;
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

static void bt_step(void *state, const uint64_t *in, uint64_t *out)
{
	pe_flightllm_chain_step(state, in, out);
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

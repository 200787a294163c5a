/* pe_bitmod_pe.c - one bit-true BitMoD PE, a clock edge per step (README
 * "PE pipeline"; bitmod.md "PE micro-architecture").
 *
 *   in --> S1 exponent match --> S2 AND, align, negate, adder tree -->
 *   group accumulator (block FP, MW bits) --> group result register -->
 *   bit-serial dequantizer (scale_bits edges, a scale bit per edge from
 *   w_sbit, MSB first) --> out (a group's dequantized sum)
 *
 * The sum over an output's groups is the array's (one output accumulator
 * per row, pe_bitmod_array.c), as the paper's PE has none.
 *
 * step() updates the stages from the output end backwards, so every stage
 * reads its predecessor's registers as they were before the edge, as
 * flip-flops do. Unlike the public RTL, the dequantizer clears its
 * accumulator on start and the group accumulator aligns the incoming sum
 * when its own exponent is the larger one. */
#include "pe_bitmod_bt.h"
#include "pe_bitmod_regs.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "pe_fp16.h"
#include "pe_unroll.h"
#ifdef __AVX2__
#include <immintrin.h>
#endif

void pe_bitmod_cfg_default(const struct pe_params *p, struct pe_bitmod_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->lanes = p && p->lanes ? p->lanes : PE_BITMOD_MAX_LANES;
	c->scale_bits = p && p->scale_bits ? p->scale_bits : PE_BITMOD_SB_DEFAULT;
	c->mant_bits = PE_BITMOD_MW_DEFAULT;
	c->emax_all = p && p->emax_all;
}

enum ps_status pe_bitmod_cfg_check(const struct pe_bitmod_cfg *c,
				   struct ps_err *err)
{
	if (c->lanes < 1 || c->lanes > PE_BITMOD_MAX_LANES)
		return ps_errf(err, PS_EINPUT,
			       "bitmod: lanes %u: the bit-true PE has 1..%d",
			       c->lanes, PE_BITMOD_MAX_LANES);
	if (c->mant_bits < PE_BITMOD_MW_MIN || c->mant_bits > PE_BITMOD_MW_MAX)
		return ps_errf(err, PS_EINPUT,
			       "bitmod: group accumulator mantissa %u bits: "
			       "must be %d..%d", c->mant_bits, PE_BITMOD_MW_MIN,
			       PE_BITMOD_MW_MAX);
	if (c->scale_bits < 1 || c->scale_bits > 8)
		return ps_errf(err, PS_EINPUT,
			       "bitmod: group scale %u bits: must be 1..8",
			       c->scale_bits);
	return PS_OK;
}

/* x as a w-bit two's complement register holds it. */
static inline int64_t wrap(int64_t x, unsigned w)
{
	uint64_t top = 1ull << (w - 1);
	uint64_t u = (uint64_t)x & ((top << 1) - 1);
	return (int64_t)(u ^ top) - (int64_t)top;
}

void pe_bitmod_bfp_add(int64_t *m, unsigned *e, int64_t x, unsigned ex,
		       unsigned w, bool *renorm)
{
	bm_bfp_add(m, e, x, ex, w, renorm);
}

uint16_t pe_bitmod_edge_scale(int64_t m, unsigned e, bool nan, uint16_t cs)
{
	double c, v;
	if (nan || ((cs & 0x7c00) == 0x7c00 && (cs & 0x03ff)))
		return 0x7e00;
	c = pe_f16_to_f64(cs);
	if (isinf(c) && m == 0)
		return 0x7e00;
	/* |m| < 2^32 and an 11-bit significand: the product is exact */
	v = (double)m * pe_pow2((int)e - PE_BITMOD_BIAS);
	return pe_f16_from_f64(v * c);
}

enum ps_status pe_bitmod_pe_init(struct pe_bitmod_pe *pe,
				 const struct pe_bitmod_cfg *c,
				 struct ps_err *err)
{
	enum ps_status st = pe_bitmod_cfg_check(c, err);
	if (st)
		return st;
	memset(pe, 0, sizeof *pe);
	pe->lanes = (uint8_t)c->lanes;
	pe->mw = (uint8_t)c->mant_bits;
	pe->sb = (uint8_t)c->scale_bits;
	pe->bug = c->bug_dq_noclear;
	pe->emax_all = c->emax_all;
	return PS_OK;
}

void pe_bitmod_pe_reset(struct pe_bitmod_pe *pe)
{
	uint8_t lanes = pe->lanes, mw = pe->mw, sb = pe->sb, bug = pe->bug;
	uint8_t emax_all = pe->emax_all;
	memset(pe, 0, sizeof *pe);
	pe->lanes = lanes;
	pe->mw = mw;
	pe->sb = sb;
	pe->bug = bug;
	pe->emax_all = emax_all;
}

/* floor(x / 2^n) of a 32-bit register, n <= 31 */
static inline int32_t asr32(int32_t x, int32_t n)
{
	return x < 0 ? ~(~x >> n) : x >> n;
}

/* ---- the stages, over n PEs (pe_bitmod_regs.h) ---- */

/* acc = (acc << 1) + (bit ? M : 0), scale bits MSB first, the bit from
 * S1's w_sbit (sbit: the w_sbit of the edge before); start (the edge
 * after the group result register loads) clears acc. The last bit's edge
 * raises out_valid: the accumulator is out_man. w = MW + SB, sb = SB
 * and bug as the context's (read once by the caller: the register
 * stores could alias them). Returns whether it stepped (a
 * dq_cycles count; it is then busy at the next edge too, as its count
 * or out_valid is set). */
static inline __attribute__((always_inline)) unsigned stage_dq(
	const struct bm_regs *r, uint32_t i, unsigned bit, unsigned w,
	unsigned sb, bool bug)
{
	if (r->gr_valid[i]) {
		int64_t acc = bug ? (int64_t)r->dq_acc[i] * 2 : 0;
		if (r->dq_cnt[i])
			r->err[i] = 1;	/* overrun: groups too short */
		r->dq_acc[i] = (int32_t)wrap(acc + (bit ? r->gr_m[i] : 0), w);
		r->dq_cnt[i] = (uint8_t)(sb - 1);
		r->out_e[i] = (uint8_t)r->gr_e[i];
		r->out_olast[i] = (uint8_t)r->gr_olast[i];
		r->out_nan[i] = (uint8_t)r->gr_nan[i];
		r->gr_valid[i] = 0;
		r->out_valid[i] = r->dq_cnt[i] == 0;
	} else if (r->dq_cnt[i]) {
		r->dq_acc[i] = (int32_t)wrap((int64_t)r->dq_acc[i] * 2 +
					     (bit ? r->gr_m[i] : 0), w);
		r->out_valid[i] = --r->dq_cnt[i] == 0;
	} else {
		r->out_valid[i] = 0;
		return 0;
	}
	return 1;
}

/* c ? a : b for c in {0, 1}, as a mask: a register that loads only
 * with c is written back either way, so the vectorised loops store
 * whole vectors (GCC makes a conditional assignment a masked store,
 * vpmaskmovd, slow on AMD). */
static inline int32_t sel(int32_t c, int32_t a, int32_t b)
{
	return (a & -c) | (b & (c - 1));
}

/* stage_dq over n PEs without branches, in 32-bit lanes (the
 * accumulator's w = MW + SB <= 31 bits: the w-bit register's wrap is a
 * shift left and an arithmetic shift right of the sum mod 2^32), so the
 * compiler vectorises it (a row of PEs: a dequantizer is busy SB edges of
 * each group, and the PEs' groups are staggered, so nearly every edge has
 * one busy). Every PE's registers are written, an idle PE's with what
 * they held (out_valid 0). Returns the PEs with out_valid; *cyc, *adds the
 * dequantizer steps and those that added. */
static inline __attribute__((always_inline)) uint32_t dq_n(uint32_t n,
	const int32_t *restrict ctl1, unsigned w, int32_t sb1, int32_t keep,
	int32_t *restrict gr_valid, const int32_t *restrict gr_m,
	const int32_t *restrict gr_e, const int32_t *restrict gr_olast,
	const int32_t *restrict gr_nan, int32_t *restrict dq_cnt,
	int32_t *restrict dq_acc, int32_t *restrict out_valid,
	int32_t *restrict out_e, int32_t *restrict out_olast,
	int32_t *restrict out_nan, int32_t *restrict err,
	uint32_t *restrict cyc, uint32_t *restrict adds,
	uint32_t *restrict errs)
{
	uint32_t outs = 0, nc = 0, na = 0, ne = 0;
	const unsigned up = 32 - w;
	for (uint32_t i = 0; i < n; i++) {
		int32_t gv = gr_valid[i], cnt = dq_cnt[i], acc = dq_acc[i];
		int32_t bit = ctl1[i] >> 4 & 1, busy = cnt != 0, on = gv | busy;
		/* start clears (keep: the bug keeps it), else acc << 1 */
		uint32_t base = (uint32_t)acc << 1 & (uint32_t)-(int32_t)((gv ^ 1) | keep);
		uint32_t sum = base + ((uint32_t)gr_m[i] & (uint32_t)-bit);
		int32_t nacc = asr32((int32_t)(sum << up), (int32_t)up);
		int32_t ncnt = gv ? sb1 : cnt - busy;
		int32_t ov = on & (ncnt == 0);
		err[i] |= gv & busy;	/* overrun: groups too short */
		ne |= (uint32_t)(gv & busy);
		dq_acc[i] = sel(on, nacc, acc);
		dq_cnt[i] = ncnt;
		out_valid[i] = ov;
		out_e[i] = sel(gv, gr_e[i], out_e[i]);
		out_olast[i] = sel(gv, gr_olast[i], out_olast[i]);
		out_nan[i] = sel(gv, gr_nan[i], out_nan[i]);
		gr_valid[i] = 0;
		outs += (uint32_t)ov;
		nc += (uint32_t)on;
		na += (uint32_t)(on & bit);
	}
	*cyc = nc;
	*adds = na;
	*errs = ne;
	return outs;
}

/* acc_vec below says why not inlined; nn: n, or 16 for the 4x4 array
 * (its loops without a remainder) */
#define DQ_VEC(name, nn)                                                      \
static __attribute__((noinline)) uint32_t name(uint32_t n,                    \
	const int32_t *restrict ctl1, unsigned w, int32_t sb1, int32_t keep,  \
	int32_t *restrict gr_valid, const int32_t *restrict gr_m,             \
	const int32_t *restrict gr_e, const int32_t *restrict gr_olast,       \
	const int32_t *restrict gr_nan, int32_t *restrict dq_cnt,             \
	int32_t *restrict dq_acc, int32_t *restrict out_valid,                \
	int32_t *restrict out_e, int32_t *restrict out_olast,                 \
	int32_t *restrict out_nan, int32_t *restrict err,                     \
	uint32_t *restrict cyc, uint32_t *restrict adds,                      \
	uint32_t *restrict errs)                                              \
{                                                                             \
	(void)n;                                                              \
	return dq_n(nn, ctl1, w, sb1, keep, gr_valid, gr_m, gr_e, gr_olast,   \
		    gr_nan, dq_cnt, dq_acc, out_valid, out_e, out_olast,      \
		    out_nan, err, cyc, adds, errs);                           \
}
DQ_VEC(dq_vec, n)
DQ_VEC(dq_vec16, 16)

/* Group accumulator (bfp_add with MW bits, in 32-bit lanes: the sum of an
 * MW <= 23 bit accumulator and a 17-bit tree sum stays below 2^23, so its
 * bit length is read off its exact binary32 exponent); with LAST the sum
 * goes to the group result register. One loop over the PEs, without
 * branches and with restrict pointers, so the compiler vectorises it
 * (acc_vec; the single PE inlines it for n = 1, vec false: its registers
 * then written as branches or cmov choose, fewer instructions than the
 * selects). Returns the renormalising adds; *loads gets the groups handed
 * to the result register. */
static inline __attribute__((always_inline)) uint32_t acc_n(const bool vec,
			 uint32_t n, int32_t mw1, const int32_t *restrict ctl2,
			 const int32_t *restrict t2, const int32_t *restrict e2,
			 const int32_t *restrict nan2,
			 int32_t *restrict gm, int32_t *restrict ge,
			 int32_t *restrict gnan, int32_t *restrict gr_valid,
			 int32_t *restrict gr_olast, int32_t *restrict gr_nan,
			 int32_t *restrict gr_e,
			 int32_t *restrict gr_m, uint32_t *restrict loads)
{
	uint32_t norm = 0, lds = 0;
	for (uint32_t i = 0; i < n; i++) {
		int32_t c = ctl2[i], valid = c & 1, first = c >> 1 & 1;
		int32_t last = c >> 2 & 1, ld = valid & last;
		int32_t keep = valid & (last ^ 1);
		int32_t m0 = first ? 0 : gm[i], e0 = first ? 0 : ge[i];
		int32_t nan = (first ? 0 : gnan[i]) | nan2[i];
		int32_t ex = e2[i], en = e0 > ex ? e0 : ex;
		int32_t d0 = en - e0, d1 = en - ex;
		int32_t s = asr32(m0, d0 < 31 ? d0 : 31) + asr32(t2[i], d1 < 31 ? d1 : 31);
		float f = (float)(s ^ asr32(s, 31));	/* |s| or ~s: < 2^23 */
		uint32_t fb;
		memcpy(&fb, &f, sizeof fb);
		int32_t rn = (int32_t)(fb >> 23) - 126 - mw1;	/* bit length - (MW-1) */
		rn = rn > 0 ? rn : 0;
		int32_t m = asr32(s, rn), e = (en + rn) & 255;
		norm += (uint32_t)(valid & (rn != 0));
		lds += (uint32_t)ld;
		if (!vec) {
			gr_m[i] = ld ? m : gr_m[i];
			gr_e[i] = ld ? e : gr_e[i];
			gr_olast[i] = ld ? c >> 3 & 1 : gr_olast[i];
			gr_nan[i] = ld ? nan : gr_nan[i];
			gr_valid[i] = ld ? 1 : gr_valid[i];
			gm[i] = ld ? 0 : keep ? m : gm[i];
			ge[i] = ld ? 0 : keep ? e : ge[i];
			gnan[i] = ld ? 0 : keep ? nan : gnan[i];
			continue;
		}
		gr_m[i] = sel(ld, m, gr_m[i]);
		gr_e[i] = sel(ld, e, gr_e[i]);
		gr_olast[i] = sel(ld, c >> 3 & 1, gr_olast[i]);
		gr_nan[i] = sel(ld, nan, gr_nan[i]);
		gr_valid[i] |= ld;
		/* ld and keep exclude each other: ld clears */
		gm[i] = sel(keep, m, gm[i]) & (ld - 1);
		ge[i] = sel(keep, e, ge[i]) & (ld - 1);
		gnan[i] = sel(keep, nan, gnan[i]) & (ld - 1);
	}
	*loads = lds;
	return norm;
}

/* Not inlined: GCC 12 forgets that restrict parameters do not alias once
 * it inlines them into a caller whose pointers come from a struct. nn:
 * n, or 16 (the 4x4 array). */
#define ACC_VEC(name, nn)                                                     \
static __attribute__((noinline)) uint32_t name(uint32_t n, int32_t mw1,       \
	const int32_t *restrict ctl2, const int32_t *restrict t2,             \
	const int32_t *restrict e2, const int32_t *restrict nan2,             \
	int32_t *restrict gm, int32_t *restrict ge,                           \
	int32_t *restrict gnan, int32_t *restrict gr_valid,                   \
	int32_t *restrict gr_olast, int32_t *restrict gr_nan,                 \
	int32_t *restrict gr_e,                                               \
	int32_t *restrict gr_m, uint32_t *restrict loads)                     \
{                                                                             \
	(void)n;                                                              \
	return acc_n(true, nn, mw1, ctl2, t2, e2, nan2, gm, ge, gnan, gr_valid, \
		     gr_olast, gr_nan, gr_e, gr_m, loads);                    \
}
ACC_VEC(acc_vec, n)
ACC_VEC(acc_vec16, 16)

/* Every stage but S1; vec: through the vectorised loop (a row of PEs),
 * else inlined (one PE). */
static inline __attribute__((always_inline)) uint32_t step_back(
	const struct bm_ctx *x, const struct bm_regs *r, unsigned bank,
	uint32_t n, bool vec)
{
	struct bm_bank s1 = bm_s1(r, bank), s2 = bm_s2(r, bank);
	uint32_t outs = 0, busy = 0, lds = 0;
	/* the dequantizer: busy a few edges per group, and only after a group
	 * result was loaded (*x->busy counts the PEs that may be); the
	 * counters in locals, not a chain of stores from PE to PE */
	if (*x->busy && vec) {
		uint32_t cyc, adds, errs;
		outs = (n == 16 ? dq_vec16 : dq_vec)(n, s1.ctl, x->mw + x->sb, (int32_t)x->sb - 1,
			      x->bug, r->gr_valid, r->gr_m, r->gr_e,
			      r->gr_olast, r->gr_nan, r->dq_cnt, r->dq_acc,
			      r->out_valid, r->out_e, r->out_olast, r->out_nan,
			      r->err, &cyc, &adds, &errs);
		busy = cyc;
		*x->err |= (uint8_t)errs;
		x->act->dq_cycles += cyc;
		x->act->dq_adds += adds;
	} else if (*x->busy) {
		unsigned w = x->mw + x->sb, sb = x->sb, cyc = 0, adds = 0;
		bool bug = x->bug;
		for (uint32_t i = 0; i < n; i++) {
			unsigned bit = (unsigned)s1.ctl[i] >> 4 & 1, on;
			if (!(r->gr_valid[i] | r->dq_cnt[i] | r->out_valid[i]))
				continue;	/* it would keep every register */
			on = stage_dq(r, i, bit, w, sb, bug);
			cyc += on;
			adds += on & bit;
			outs += r->out_valid[i];
			busy += on;
		}
		x->act->dq_cycles += cyc;
		x->act->dq_adds += adds;
	}
	if (vec)
		x->act->acc_norm += (n == 16 ? acc_vec16 : acc_vec)(
					    n, (int32_t)x->mw - 1, s2.ctl, s2.t,
					    s2.e, s2.nan, r->gm, r->ge,
					    r->gnan, r->gr_valid, r->gr_olast,
					    r->gr_nan, r->gr_e,
					    r->gr_m, &lds);
	else if (s2.ctl[0] & PE_BITMOD_C_VALID)	/* one PE: skip a bubble */
		x->act->acc_norm += acc_n(false, n, (int32_t)x->mw - 1, s2.ctl, s2.t,
					  s2.e, s2.nan, r->gm, r->ge,
					  r->gnan, r->gr_valid, r->gr_olast,
					  r->gr_nan, r->gr_e,
					  r->gr_m, &lds);
	*x->busy = busy + lds;
	x->act->cycles += n;
	return outs;
}

uint32_t bm_step_back(const struct bm_ctx *x, const struct bm_regs *r,
		      unsigned bank, uint32_t n)
{
	/* the 4x4 array's 16 PEs: the dequantizer's loop of fixed length */
	return n == 16 ? step_back(x, r, bank, 16, true)
		       : step_back(x, r, bank, n, true);
}

/* x in each of the four 16-bit lanes of a word. */
#define L16(x) ((uint64_t)(x) * 0x0001000100010001ull)

/* S1: exponent match, AND-multiply, right-align keeping GUARD bits (lower
 * bits drop: magnitude truncation), two's complement by sign, 4-input
 * adder tree (17 bits signed). Lane exponent x = max(Ea, 1) + e, emax
 * over the lanes whose AND product is nonzero, or with emax_all over every
 * lane in use (the paper's); the shared bit position joins the sum's
 * exponent (0 when no lane takes part). An Inf/NaN activation (Ea = 31)
 * contributes no product and marks the output NaN.
 *
 * Three forms of the same logic, each the fastest where it runs (all
 * are held to the RTL edge by edge by pesim verify, and to the tests' own
 * reference):
 *  - s1_sse, one PE with AVX2: its four lanes as the 32-bit elements of
 *    one SSE register;
 *  - s1_swar, one PE without: its four lanes worked on together, 16 bits
 *    each in one 64-bit word (no field ever carries into the next);
 *  - s1_lanes, a row of PEs: one 32-bit element per lane and PE (the
 *    activations decoded once per column by bm_act_lane), a loop without
 *    branches that the compiler vectorises (8 PEs per AVX2 register; the
 *    SWAR form vectorised runs 3x slower, 4 PEs per register). */
static inline __attribute__((always_inline)) void s1_swar(uint32_t n,
	uint64_t lmask, bool emax_all, const uint32_t *restrict word,
	const uint64_t *restrict act, int32_t *restrict ctl1,
	int32_t *restrict t1, int32_t *restrict e1, int32_t *restrict nan1,
	uint32_t *restrict valid, uint32_t *restrict terms)
{
	uint32_t tc = 0, lt = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t w = word[i], a = act[i], t = w >> 16;
		/* term nibble l to the low bits of lane l */
		uint64_t tw = (t & 0xf) | (t & 0xf0) << 12 | (t & 0xf00) << 24 |
			      (t & 0xf000) << 36;
		uint64_t ef = a >> 10 & L16(0x1f);
		uint64_t hid = (ef + L16(0x1f)) & L16(0x20);		/* Ea != 0 */
		uint64_t nanw = (ef + L16(1)) & L16(0x20) & lmask;	/* Ea == 31 */
		uint64_t on = tw & ~(nanw >> 5) & L16(1);	/* m = 1, not Inf/NaN */
		uint64_t mag = ((a & L16(0x3ff)) | hid << 5) & ((on << 11) - on) & lmask;
		uint64_t x = (ef | ((hid ^ L16(0x20)) >> 5)) + (tw >> 1 & L16(3));
		uint64_t nzb = ((mag + L16(0x7fff)) & L16(0x8000)) >> 15;	/* product != 0 */
		/* the lanes that take part in the maximum */
		uint64_t pb = emax_all ? lmask & L16(1) : nzb;
		uint64_t pmask = (pb << 16) - pb;
		uint64_t xz = x & pmask;
		uint64_t x0 = xz & 0xffff, x1 = xz >> 16 & 0xffff;
		uint64_t x2 = xz >> 32 & 0xffff, x3 = xz >> 48;
		uint64_t e01 = x0 > x1 ? x0 : x1, e23 = x2 > x3 ? x2 : x3;
		uint64_t emax = e01 > e23 ? e01 : e23;
		uint64_t nz = (nzb + (nzb >> 16) + (nzb >> 32) + (nzb >> 48)) & 7;
		uint64_t sh = ((emax | emax << 16 | emax << 32 | emax << 48) - xz) & pmask;
		uint64_t neg = ((a >> 15) ^ (tw >> 3)) & L16(1);
		int64_t sum = 0;
		PE_UNROLL(4)
		for (int l = 0; l < 4; l++) {
			uint64_t sl = sh >> 16 * l & 0xffff;
			int64_t ng = (int64_t)(neg >> 16 * l & 1);
			int64_t v = (int64_t)(((mag >> 16 * l & 0xffff) << PE_BITMOD_GUARD) >>
					      (sl < 15 ? sl : 15));
			sum += (v ^ -ng) + ng;
		}
		ctl1[i] = BM_CTL1(w);
		t1[i] = (int32_t)sum;
		e1[i] = pb ? (int32_t)emax + (int32_t)(w >> 5 & 7) : 0;
		nan1[i] = nanw != 0;
		tc += (uint32_t)(w & 1);
		lt += (w & 1) ? (uint32_t)nz : 0;
	}
	*valid = tc;
	*terms = lt;
}

#ifdef __AVX2__
/* One PE's S1 with its four lanes as 32-bit elements of one SSE register
 * (variable shifts: AVX2), the form s1_lanes has per lane: fewer
 * instructions than the SWAR word for a valid edge. a: the lanes beyond
 * the PE's zeroed (no product, not NaN); all: -1 in the PE's lanes with
 * emax_all, else 0. ctl: S1's control bits (BM_CTL1). */
static inline __attribute__((always_inline)) void s1_sse(uint32_t ctl,
	uint32_t bitpos, uint32_t term, uint64_t a, __m128i all,
	int32_t *ctl1, int32_t *t1, int32_t *e1, int32_t *nan1,
	uint32_t *valid, uint32_t *terms)
{
	const __m128i one = _mm_set1_epi32(1), z = _mm_setzero_si128();
	__m128i av = _mm_cvtepu16_epi32(_mm_cvtsi64_si128((long long)a));
	/* lane l's term nibble {s, e[1:0], m} in bits 31:28 */
	__m128i th = _mm_sllv_epi32(_mm_set1_epi32((int)term),
				    _mm_setr_epi32(28, 24, 20, 16));
	__m128i ef = _mm_and_si128(_mm_srli_epi32(av, 10), _mm_set1_epi32(31));
	__m128i nan = _mm_cmpeq_epi32(ef, _mm_set1_epi32(31));
	/* the significand of a finite activation where m = 1 */
	__m128i on = _mm_andnot_si128(nan, _mm_srai_epi32(_mm_slli_epi32(th, 3), 31));
	__m128i mag = _mm_and_si128(_mm_or_si128(_mm_and_si128(av, _mm_set1_epi32(0x3ff)),
						 _mm_slli_epi32(_mm_min_epu32(ef, one), 10)),
				    on);
	__m128i x = _mm_add_epi32(_mm_max_epi32(ef, one),
				  _mm_and_si128(_mm_srli_epi32(th, 29), _mm_set1_epi32(3)));
	__m128i nz = _mm_cmpgt_epi32(mag, z);
	__m128i pt = _mm_or_si128(nz, all);	/* takes part in the maximum */
	__m128i xz = _mm_and_si128(x, pt);
	__m128i em = _mm_max_epi32(xz, _mm_shuffle_epi32(xz, _MM_SHUFFLE(1, 0, 3, 2)));
	em = _mm_max_epi32(em, _mm_shuffle_epi32(em, _MM_SHUFFLE(2, 3, 0, 1)));
	/* (mag << GUARD) < 2^14: a shift past 14 leaves 0, as the clamp at 15 */
	__m128i v = _mm_srlv_epi32(_mm_slli_epi32(mag, PE_BITMOD_GUARD),
				   _mm_and_si128(_mm_sub_epi32(em, x), pt));
	/* the term's sign (bit 31) XOR the activation's (bit 15) */
	__m128i neg = _mm_srai_epi32(_mm_xor_si128(th, _mm_slli_epi32(av, 16)), 31);
	v = _mm_sub_epi32(_mm_xor_si128(v, neg), neg);
	v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
	v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 3, 0, 1)));
	*ctl1 = (int32_t)ctl;
	*t1 = _mm_cvtsi128_si32(v);
	*e1 = _mm_movemask_ps(_mm_castsi128_ps(pt)) ?
	      _mm_cvtsi128_si32(em) + (int32_t)bitpos : 0;
	*nan1 = _mm_movemask_ps(_mm_castsi128_ps(nan)) != 0;
	*valid = ctl & 1;
	*terms = (ctl & 1) ? (uint32_t)__builtin_popcount(
		(unsigned)_mm_movemask_ps(_mm_castsi128_ps(nz))) : 0;
}
#endif

/* nl: the lanes worked on, 4 or 2 (PEs of at most 2 lanes: the others
 * hold no activation, bm_act_lane, so they take no part). Lane l of the
 * word shifted left by 12 - 4l has its term's sign at bit 31, e at 30:29
 * and m at 28, so that the activation's fields (bm_act_lane) meet it
 * with one operation each: the product's magnitude an AND with m's
 * mask, the negation the sign bit of an XOR. */
static inline __attribute__((always_inline)) void s1_lanes(const int nl,
	uint32_t n, uint32_t allmask,
	const uint32_t *restrict word, const uint32_t *restrict a0,
	const uint32_t *restrict a1, const uint32_t *restrict a2,
	const uint32_t *restrict a3, int32_t *restrict ctl1,
	int32_t *restrict t1, int32_t *restrict e1, int32_t *restrict nan1,
	uint32_t *restrict valid, uint32_t *restrict terms)
{
	uint32_t tc = 0, lt = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t w = word[i], av[4] = { a0[i], a1[i], nl > 2 ? a2[i] : 0,
						nl > 2 ? a3[i] : 0 };
		uint32_t mag[4], xl[4], pt[4], nans = 0, emax = 0;
		int32_t neg[4], nzc = 0, t = 0;
		PE_UNROLL(4)
		for (int l = 0; l < nl; l++) {
			uint32_t sl = w << (12 - 4 * l);
			uint32_t mm = (uint32_t)asr32((int32_t)(sl << 3), 31) >> 18;
			uint32_t nz;
			mag[l] = av[l] & mm;	/* sig << GUARD, or 0 */
			xl[l] = (av[l] >> 16 & 63) + (sl >> 29 & 3);
			nz = mag[l] != 0;
			/* takes part in the maximum: a product, or (emax_all)
			 * a lane in use */
			pt[l] = nz | (allmask >> l & 1);
			emax = emax > (pt[l] ? xl[l] : 0) ? emax : (pt[l] ? xl[l] : 0);
			nzc += (int32_t)nz;
			nans |= av[l];
			neg[l] = asr32((int32_t)(av[l] ^ sl), 31);
		}
		PE_UNROLL(4)
		for (int l = 0; l < nl; l++) {
			/* a lane out of the maximum has no product: any shift */
			uint32_t sh = emax - xl[l];
			int32_t v = (int32_t)(mag[l] >> (sh < 31 ? sh : 31));
			t += (v ^ neg[l]) - neg[l];
		}
		ctl1[i] = BM_CTL1(w);
		t1[i] = t;
		/* a lane in the maximum has ea >= 1: emax is 0 only
		 * without one */
		e1[i] = emax ? (int32_t)emax + (int32_t)(w >> 5 & 7) : 0;
		nan1[i] = (int32_t)(nans >> 24 & 1);
		tc += w & 1;
		lt += (w & 1) ? (uint32_t)nzc : 0;
	}
	*valid = tc;
	*terms = lt;
}

/* nn: n, or 16 for the 4x4 array (its loop without a remainder) */
#define S1_LANES(name, nl, nn)                                                \
static __attribute__((noinline)) void name(uint32_t n,                        \
	uint32_t allmask, const uint32_t *restrict word,                      \
	const uint32_t *restrict a0, const uint32_t *restrict a1,             \
	const uint32_t *restrict a2, const uint32_t *restrict a3,             \
	int32_t *restrict ctl1, int32_t *restrict t1, int32_t *restrict e1,   \
	int32_t *restrict nan1, uint32_t *restrict valid,                     \
	uint32_t *restrict terms)                                             \
{                                                                             \
	(void)n;                                                              \
	s1_lanes(nl, nn, allmask, word, a0, a1, a2, a3, ctl1, t1, e1, nan1,   \
		 valid, terms);                                               \
}
S1_LANES(s1_lanes4, 4, n)
S1_LANES(s1_lanes2, 2, n)
S1_LANES(s1_lanes4_16, 4, 16)
S1_LANES(s1_lanes2_16, 2, 16)

static void count_s1(const struct bm_ctx *x, uint32_t tc, uint32_t lt)
{
	x->act->term_cycles += tc;
	x->act->lane_terms += lt;
	x->act->lane_zero += (uint64_t)tc * x->lanes - lt;
}

uint32_t bm_step_s1(const struct bm_ctx *x, const struct bm_regs *r,
		    unsigned bank, uint32_t i0, uint32_t n,
		    const uint32_t *word, const uint32_t *const act[4])
{
	struct bm_bank s1 = bm_s1(r, bank);
	uint32_t tc, lt;
	uint32_t allmask = x->emax_all ? (1u << x->lanes) - 1 : 0;
	(n == 16 ? (x->lanes > 2 ? s1_lanes4_16 : s1_lanes2_16)
		 : (x->lanes > 2 ? s1_lanes4 : s1_lanes2))(n, allmask, word,
		act[0], act[1], act[2], act[3], s1.ctl + i0, s1.t + i0, s1.e + i0, s1.nan + i0,
		&tc, &lt);
	count_s1(x, tc, lt);
	return tc;
}

void bm_regs_clear(const struct bm_regs *r, uint32_t n)
{
#define BM_CLR(type, name) memset(r->name, 0, n * sizeof(type));
	PE_BITMOD_REG_FIELDS(BM_CLR)
#undef BM_CLR
}

/* ---- one PE ---- */

static struct bm_ctx pe_ctx(struct pe_bitmod_pe *pe)
{
	return (struct bm_ctx){ .lanes = pe->lanes, .mw = pe->mw, .sb = pe->sb,
				.bug = pe->bug, .emax_all = pe->emax_all,
				.act = &pe->act, .busy = &pe->busy };
}

/* One edge from S1's inputs: ctl the control bits with w_sbit at bit 4
 * (BM_CTL1), bitpos, the term word and the activations: the struct and
 * the port words both come here. */
static inline __attribute__((always_inline)) void pe_step_bank(
	struct pe_bitmod_pe *pe, const unsigned bank, uint32_t ctl,
	uint32_t bitpos, uint32_t term, uint64_t a)
{
	struct bm_ctx x = pe_ctx(pe);
	struct bm_regs r = BM_VIEW(&pe->r);
	struct bm_bank s1;
	uint32_t tc = 0, lt = 0;
	uint64_t lmask = pe->lanes >= 4 ? ~0ull : (1ull << 16 * pe->lanes) - 1;

	/* the output registers are the public fields (no copy after the
	 * edge: copying five byte registers just stored cost a
	 * store-forwarding stall) */
	r.out_valid = &pe->out_valid;
	r.out_nan = &pe->out_nan;
	r.out_e = &pe->out_e;
	r.out_olast = &pe->out_olast;
	r.err = &pe->err;
	r.dq_acc = &pe->out_m;

	step_back(&x, &r, bank, 1, false);
	s1 = bm_s1(&r, bank ^ 1);
	pe->bank = (uint8_t)(bank ^ 1);
	if (ctl & PE_BITMOD_C_VALID) {
#ifdef __AVX2__
		__m128i all = _mm_cmpgt_epi32(_mm_set1_epi32(pe->emax_all ? pe->lanes : 0),
					      _mm_setr_epi32(0, 1, 2, 3));
		s1_sse(ctl, bitpos, term, a & lmask, all, s1.ctl, s1.t, s1.e,
		       s1.nan, &tc, &lt);
#else
		uint32_t word = bm_word(ctl, bitpos, ctl >> 4, term);
		s1_swar(1, lmask, pe->emax_all, &word, &a, s1.ctl, s1.t,
			s1.e, s1.nan, &tc, &lt);
#endif
	} else	/* a bubble: S1's other registers are not read */
		s1.ctl[0] = (int32_t)ctl;
	count_s1(&x, tc, lt);
	pe->act.outputs += pe->out_valid;
}

/* One form per bank: the registers then at fixed places (the bank
 * alternates, a branch the predictor follows). */
static inline __attribute__((always_inline)) void pe_step(
	struct pe_bitmod_pe *pe, uint32_t ctl, uint32_t bitpos, uint32_t term,
	uint64_t a)
{
	if (pe->bank)
		pe_step_bank(pe, 1, ctl, bitpos, term, a);
	else
		pe_step_bank(pe, 0, ctl, bitpos, term, a);
}

void pe_bitmod_pe_step(struct pe_bitmod_pe *pe, const struct pe_bitmod_in *in)
{
	pe_step(pe, BM_CTL1(in->ctl | (in->sbit & 1u) << 4), in->bitpos & 7u,
		in->term, in->a);
}

/* ---- the registered model "bitmod_pe" ---- */
static const struct pe_port pe_ports[] = {
	{ "in_valid", 1 }, { "in_first", 1 }, { "in_last", 1 },
	{ "in_olast", 1 }, { "w_bitpos", 3 }, { "w_term", 16 },
	{ "w_sbit", 1 }, { "a", 64 },
	{ "out_valid", 1 }, { "out_man", 32 }, { "out_exp", 8 },
	{ "out_nan", 1 }, { "out_olast", 1 }, { "err", 1 },
};

static enum ps_status bt_pe_init(void *state, const struct pe_params *p,
				 struct ps_err *err)
{
	struct pe_bitmod_cfg c;
	pe_bitmod_cfg_default(p, &c);
	return pe_bitmod_pe_init(state, &c, err);
}

static void bt_pe_reset(void *state)
{
	pe_bitmod_pe_reset(state);
}

static void bt_pe_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_bitmod_pe *pe = state;
#ifdef __AVX2__
	/* bit 0 of the four 1-bit control ports, by their sign bits */
	unsigned ctl = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(
		_mm256_slli_epi64(_mm256_loadu_si256((const void *)in), 63)));
#else
	unsigned ctl = (in[0] & 1) | (in[1] & 1) << 1 | (in[2] & 1) << 2 |
		       (in[3] & 1) << 3;
#endif
	pe_step(pe, ctl | ((unsigned)in[6] & 1u) << 4, (unsigned)in[4] & 7u,
		(unsigned)in[5] & 0xffffu, in[7]);
	out[0] = pe->out_valid;
	out[1] = (uint32_t)pe->out_m;
	out[2] = pe->out_e;
	out[3] = pe->out_nan;
	out[4] = pe->out_olast;
	out[5] = pe->err;
}

const struct pe_bt_ops pe_bitmod_pe_bt = {
	.name = "bitmod_pe",
	.rtl_top = "bitmod_pe",
	.ports = pe_ports,
	.n_in = 8,
	.n_out = 6,
	.state_size = sizeof(struct pe_bitmod_pe),
	.init = bt_pe_init,
	.reset = bt_pe_reset,
	.step = bt_pe_step,
};

/* pe_bitmod_pe.c - one bit-true BitMoD PE, a clock edge per step (README
 * "PE pipeline"; bitmod.md "PE micro-architecture").
 *
 *   in --> S1 exponent match --> S2 AND, align, negate, adder tree -->
 *   group accumulator (block FP, MW bits) --> group result register -->
 *   bit-serial dequantizer (scale_bits edges, MSB first) -->
 *   output accumulator (block FP, MW + scale_bits + 1 bits) --> out
 *
 * step() updates the stages from the output end backwards, so every stage
 * reads its predecessor's registers as they were before the edge, as
 * flip-flops do. Unlike the public RTL, the dequantizer clears its
 * accumulator on start and the group accumulator aligns the incoming sum
 * when its own exponent is the larger one. */
#include "pe_bitmod_bt.h"

#include <math.h>
#include <string.h>

#include "pe_fp16.h"

void pe_bitmod_cfg_default(const struct pe_params *p, struct pe_bitmod_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->lanes = p && p->lanes ? p->lanes : PE_BITMOD_MAX_LANES;
	c->scale_bits = p && p->scale_bits ? p->scale_bits : PE_BITMOD_SB_DEFAULT;
	c->mant_bits = PE_BITMOD_MW_DEFAULT;
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

/* floor(x / 2^n), an arithmetic shifter (sign fill). */
static inline int64_t asr64(int64_t x, unsigned n)
{
	if (n > 63)
		n = 63;
	return x < 0 ? ~(~x >> n) : x >> n;
}

/* x as a w-bit two's complement register holds it. */
static inline int64_t wrap(int64_t x, unsigned w)
{
	uint64_t top = 1ull << (w - 1);
	uint64_t u = (uint64_t)x & ((top << 1) - 1);
	return (int64_t)(u ^ top) - (int64_t)top;
}

static inline void bfp_add(int64_t *m, unsigned *e, int64_t x, unsigned ex,
			   unsigned w, bool *renorm)
{
	unsigned en = *e > ex ? *e : ex, r = 0, bl;
	int64_t s = asr64(*m, en - *e) + asr64(x, en - ex);
	uint64_t u = (uint64_t)(s < 0 ? ~s : s);

	bl = u ? 64u - (unsigned)__builtin_clzll(u) : 0;
	if (bl > w - 1)
		r = bl - (w - 1);
	*m = asr64(s, r);
	*e = en + r;
	if (renorm)
		*renorm = r != 0;
}

void pe_bitmod_bfp_add(int64_t *m, unsigned *e, int64_t x, unsigned ex,
		       unsigned w, bool *renorm)
{
	bfp_add(m, e, x, ex, w, renorm);
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
	pe->lmask = c->lanes >= 4 ? ~0ull : (1ull << 16 * c->lanes) - 1;
	return PS_OK;
}

void pe_bitmod_pe_reset(struct pe_bitmod_pe *pe)
{
	uint8_t lanes = pe->lanes, mw = pe->mw, sb = pe->sb, bug = pe->bug;
	uint64_t lmask = pe->lmask;
	memset(pe, 0, sizeof *pe);
	pe->lmask = lmask;
	pe->lanes = lanes;
	pe->mw = mw;
	pe->sb = sb;
	pe->bug = bug;
}

/* Output accumulator and output register: one edge after the dequantizer's
 * last bit. */
static inline void stage_out(struct pe_bitmod_pe *pe)
{
	int64_t m = pe->om;
	unsigned e = pe->oe;

	pe->out_valid = 0;
	if (!pe->dq_done)
		return;
	bfp_add(&m, &e, pe->dq_acc, pe->dq_e, pe->mw + pe->sb + 1u, NULL);
	if (e > 255)
		pe->err = 1;
	pe->act.out_adds++;
	if (pe->dq_olast) {
		pe->out_m = m;
		pe->out_e = (uint8_t)e;
		pe->out_nan = pe->onan | pe->dq_nan;
		pe->out_valid = 1;
		pe->om = 0;
		pe->oe = 0;
		pe->onan = 0;
		pe->act.outputs++;
	} else {
		pe->om = m;
		pe->oe = (uint8_t)e;
		pe->onan |= pe->dq_nan;
	}
}

/* acc = (acc << 1) + (bit ? M : 0), scale bits MSB first; start (the edge
 * after the group result register loads) clears acc. */
static inline void stage_dq(struct pe_bitmod_pe *pe)
{
	unsigned w = pe->mw + pe->sb, bit;
	uint8_t done = 0;

	if (pe->gr_valid) {
		int64_t acc = pe->bug ? pe->dq_acc * 2 : 0;
		if (pe->dq_cnt)
			pe->err = 1;	/* overrun: groups too short */
		bit = pe->gr_scale >> (pe->sb - 1) & 1;
		pe->dq_acc = wrap(acc + (bit ? pe->gr_m : 0), w);
		pe->dq_cnt = pe->sb - 1;
		pe->dq_e = pe->gr_e;
		pe->dq_olast = pe->gr_olast;
		pe->dq_nan = pe->gr_nan;
		pe->gr_valid = 0;
		done = pe->dq_cnt == 0;
	} else if (pe->dq_cnt) {
		bit = pe->gr_scale >> (pe->dq_cnt - 1) & 1;
		pe->dq_acc = wrap(pe->dq_acc * 2 + (bit ? pe->gr_m : 0), w);
		done = --pe->dq_cnt == 0;
	} else {
		pe->dq_done = 0;
		return;
	}
	pe->act.dq_cycles++;
	pe->act.dq_adds += bit;
	pe->dq_done = done;
}

/* Group accumulator; with LAST its sum goes to the group result register. */
static inline void stage_acc(struct pe_bitmod_pe *pe)
{
	uint8_t ctl = pe->s2_ctl, first = ctl & PE_BITMOD_C_FIRST, nan;
	int64_t m = first ? 0 : pe->gm;
	unsigned e = first ? 0 : pe->ge;
	bool rn;

	if (!(ctl & PE_BITMOD_C_VALID))
		return;
	nan = (first ? 0 : pe->gnan) | pe->s2_nan;
	bfp_add(&m, &e, pe->s2_t, pe->s2_e, pe->mw, &rn);
	pe->act.acc_norm += rn;
	if (ctl & PE_BITMOD_C_LAST) {
		pe->gr_m = (int32_t)m;
		pe->gr_e = (uint8_t)e;
		pe->gr_scale = pe->s2_scale;
		pe->gr_olast = !!(ctl & PE_BITMOD_C_OLAST);
		pe->gr_nan = nan;
		pe->gr_valid = 1;
		pe->gm = 0;
		pe->ge = 0;
		pe->gnan = 0;
	} else {
		pe->gm = (int32_t)m;
		pe->ge = (uint8_t)e;
		pe->gnan = nan;
	}
}

/* AND-multiply (done in S1: s1_mag), right-align by delta keeping GUARD
 * bits (lower bits drop: magnitude truncation), two's complement by sign,
 * 4-input adder tree (17 bits signed). */
static inline void stage_tree(struct pe_bitmod_pe *pe)
{
	int32_t t = 0;

	pe->s2_ctl = pe->s1_ctl;
	if (!(pe->s1_ctl & PE_BITMOD_C_VALID))
		return;
	/* 16-bit lanes: magnitude (11 bits) << GUARD fits, shifts >= 14
	 * leave nothing */
#define LANE(i) do {							\
		unsigned mag = (unsigned)(pe->s1_mag >> 16 * (i)) & 0xffff;	\
		unsigned sh = (unsigned)(pe->s1_sh >> 16 * (i)) & 0xffff;	\
		int32_t n = (int32_t)(pe->s1_neg >> 16 * (i) & 1);		\
		int32_t v = (int32_t)(mag << PE_BITMOD_GUARD >>		\
				      (sh > 15 ? 15 : sh));			\
		t += (v ^ -n) + n;						\
	} while (0)
	LANE(0);
	LANE(1);
	LANE(2);
	LANE(3);
#undef LANE
	pe->s2_t = t;
	pe->s2_e = pe->s1_e;
	pe->s2_scale = pe->s1_scale;
	pe->s2_nan = pe->s1_nan;
}

/* x in each of the four 16-bit lanes of a word. */
#define L16(x) ((uint64_t)(x) * 0x0001000100010001ull)

/* Exponent match: lane exponent x = max(Ea, 1) + e, emax over the lanes
 * whose AND product is nonzero; the shared bit position joins the sum's
 * exponent. An Inf/NaN activation (Ea = 31) contributes no product and
 * marks the output NaN. The four lanes are worked on together, 16 bits
 * each in one 64-bit word (no field ever carries into the next). */
static inline void stage_match(struct pe_bitmod_pe *pe,
			       const struct pe_bitmod_in *in)
{
	uint64_t a = in->a, t = in->term, tw, ef, hid, nanw, mmask, mag, x;
	uint64_t nzw, nzmask, xz;
	unsigned e0, e1, emax, nz;

	pe->s1_ctl = in->ctl;
	if (!(in->ctl & PE_BITMOD_C_VALID))
		return;
	/* term nibble i to the low bits of lane i */
	tw = (t & 0xf) | (t & 0xf0) << 12 | (t & 0xf00) << 24 | (t & 0xf000) << 36;
	ef = a >> 10 & L16(0x1f);
	hid = (ef + L16(0x1f)) & L16(0x20);		/* Ea != 0 */
	nanw = (ef + L16(1)) & L16(0x20) & pe->lmask;	/* Ea == 31 */
	mmask = ((tw & L16(1)) - ((nanw >> 5) & tw)) * 0x7ff & pe->lmask;
	mag = ((a & L16(0x3ff)) | hid << 5) & mmask;
	x = (ef | ((hid ^ L16(0x20)) >> 5)) + (tw >> 1 & L16(3));
	nzw = (mag + L16(0x7fff)) & L16(0x8000);	/* product != 0 */
	nzmask = (nzw >> 15) * 0xffff;
	xz = x & nzmask;
	e0 = (unsigned)(xz & 0xffff) > (unsigned)(xz >> 16 & 0xffff) ?
	     (unsigned)(xz & 0xffff) : (unsigned)(xz >> 16 & 0xffff);
	e1 = (unsigned)(xz >> 32 & 0xffff) > (unsigned)(xz >> 48) ?
	     (unsigned)(xz >> 32 & 0xffff) : (unsigned)(xz >> 48);
	emax = e0 > e1 ? e0 : e1;
	nz = (unsigned)(((nzw >> 15) * L16(1)) >> 48);	/* sum of the lanes */
	pe->s1_mag = mag;
	pe->s1_sh = (L16(emax) - xz) & nzmask;
	pe->s1_neg = ((a >> 15) ^ (tw >> 3)) & L16(1);
	pe->s1_e = (uint8_t)(nz ? emax + (in->bitpos & 7u) : 0);
	pe->s1_nan = nanw != 0;
	pe->s1_scale = in->scale;
	pe->act.term_cycles++;
	pe->act.lane_terms += nz;
	pe->act.lane_zero += pe->lanes - nz;
}

void pe_bitmod_pe_step(struct pe_bitmod_pe *pe, const struct pe_bitmod_in *in)
{
	pe->act.cycles++;
	stage_out(pe);
	stage_dq(pe);
	stage_acc(pe);
	stage_tree(pe);
	stage_match(pe, in);
}

/* ---- the registered model "bitmod_pe" ---- */
static const struct pe_port pe_ports[] = {
	{ "in_valid", 1 }, { "in_first", 1 }, { "in_last", 1 },
	{ "in_olast", 1 }, { "w_bitpos", 3 }, { "w_term", 16 },
	{ "w_scale", 8 }, { "a", 64 },
	{ "out_valid", 1 }, { "out_man", 32 }, { "out_exp", 8 },
	{ "out_nan", 1 }, { "err", 1 },
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
	struct pe_bitmod_in x = {
		.ctl = (uint8_t)((in[0] & 1) | (in[1] & 1) << 1 |
				 (in[2] & 1) << 2 | (in[3] & 1) << 3),
		.bitpos = (uint8_t)(in[4] & 7),
		.term = (uint16_t)in[5],
		.scale = (uint8_t)in[6],
		.a = in[7],
	};
	pe_bitmod_pe_step(pe, &x);
	out[0] = pe->out_valid;
	out[1] = (uint32_t)pe->out_m;
	out[2] = pe->out_e;
	out[3] = pe->out_nan;
	out[4] = pe->err;
}

const struct pe_bt_ops pe_bitmod_pe_bt = {
	.version = PE_BT_VERSION,
	.name = "bitmod_pe",
	.rtl_top = "bitmod_pe",
	.ports = pe_ports,
	.n_in = 8,
	.n_out = 5,
	.state_size = sizeof(struct pe_bitmod_pe),
	.init = bt_pe_init,
	.reset = bt_pe_reset,
	.step = bt_pe_step,
};

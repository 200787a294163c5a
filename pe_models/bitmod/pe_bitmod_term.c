/* pe_bitmod_term.c - the array-edge weight decoder: a weight code and its
 * group's type become one term per lane per cycle (bitmod.md, "PE
 * micro-architecture"; README "Terms").
 *
 * A term is (-1)^s * m * 2^(e + bitpos): sign, 2-bit exponent, 1-bit
 * mantissa per lane, and a 3-bit bit position shared by every lane of the
 * cycle (all lanes run the same term index in lockstep, so the position is
 * a property of the cycle; it moves the binary point after the adder tree).
 *
 * INT-b: radix-4 Booth over the code sign-extended to 2*ceil(b/2) bits with
 * a zero below bit 0; term t is the digit of window w[2t+1:2t-1], bitpos 2t,
 * |digit| 2 -> e = 1. The code is read as plain two's complement, so INT8's
 * -128 (a code fmt.def reserves) runs as -2 * 4^3.
 * FP3/FP4 and their special values: the value on fmt.def's integer grid
 * (E2M1 x2, i.e. the fixed-point form with one fraction bit read as an
 * integer) has at most two one-bits, at positions <= 4. Term 1 (bitpos 1)
 * carries the highest one-bit if it is above bit 0 (e = pos - 1); term 0
 * (bitpos 0) carries the remaining one-bit (e = pos). Magnitudes and the
 * special values come from fmt_decode, the single source of truth. */
#include "pe_bitmod_bt.h"

#include <math.h>
#include <threads.h>

#include "fmt.h"

static const struct {
	int fmt;
	uint8_t wt;
} wt_map[] = {
	{ FMT_INT2, 2 }, { FMT_INT3, 3 }, { FMT_INT4, 4 }, { FMT_INT6, 6 },
	{ FMT_INT8, 8 },
	{ FMT_FP3, 0x10 }, { FMT_FP3_ER_POS, 0x11 }, { FMT_FP3_ER_NEG, 0x12 },
	{ FMT_FP3_EA_POS, 0x13 }, { FMT_FP3_EA_NEG, 0x14 },
	{ FMT_FP4, 0x18 }, { FMT_FP4_ER_POS, 0x19 }, { FMT_FP4_ER_NEG, 0x1a },
	{ FMT_FP4_EA_POS, 0x1b }, { FMT_FP4_EA_NEG, 0x1c },
};
#define N_WT (sizeof wt_map / sizeof wt_map[0])
/* The w_type encodings of wt_map, as a bit set. */
#define WT_USED (0x15cu | 0x1fu << 16 | 0x1fu << 24)

/* Booth digit of window w[2:0] as a term field {s, e, m}:
 * 000 0, 001 +1, 010 +1, 011 +2, 100 -2, 101 -1, 110 -1, 111 0. */
static const uint8_t booth_term[8] = {
	0x0, 0x1, 0x1, 0x3, 0xb, 0x9, 0x9, 0x0,
};

/* FP types: per (w_type & 15) and code, term 0 in bits 3:0, term 1 in bits
 * 7:4. Built from fmt_decode on first use. fp_ok marks usable types. */
static uint8_t fp_terms[16][16];
static bool fp_ok[16];
static once_flag fp_once = ONCE_FLAG_INIT;

static bool split_fp(double v, uint8_t *out)
{
	unsigned g, s = v < 0, hi = 0, t0 = 0, t1 = 0;
	double av = fabs(v);

	*out = 0;
	if (av != av || av > 31 || av != floor(av))
		return false;
	g = (unsigned)av;
	if (!g)
		return true;
	for (unsigned b = 0; b < 5; b++)
		if (g >> b & 1)
			hi = b;
	if (hi >= 1) {
		t1 = 1u | (hi - 1) << 1 | s << 3;
		g &= ~(1u << hi);
	}
	if (g) {
		if (g & (g - 1))	/* a third one-bit */
			return false;
		unsigned lo = 0;
		while (!(g >> lo & 1))
			lo++;
		t0 = 1u | lo << 1 | s << 3;
	}
	*out = (uint8_t)(t0 | t1 << 4);
	return true;
}

static void build_fp(void)
{
	for (size_t i = 0; i < N_WT; i++) {
		unsigned wt = wt_map[i].wt, n;
		const struct fmt_desc *d = fmt_get(wt_map[i].fmt);
		if (!(wt & PE_BITMOD_WT_FP) || !d)
			continue;
		n = 1u << d->bits;
		fp_ok[wt & 15] = true;
		for (unsigned code = 0; code < n; code++)
			if (!split_fp(fmt_decode(wt_map[i].fmt, code),
				      &fp_terms[wt & 15][code]))
				fp_ok[wt & 15] = false;
	}
}

int pe_bitmod_wtype_of_fmt(int fmt_id)
{
	for (size_t i = 0; i < N_WT; i++)
		if (wt_map[i].fmt == fmt_id)
			return wt_map[i].wt;
	return -1;
}

int pe_bitmod_fmt_of_wtype(unsigned wtype)
{
	for (size_t i = 0; i < N_WT; i++)
		if (wt_map[i].wt == wtype)
			return wt_map[i].fmt;
	return -1;
}

unsigned pe_bitmod_wtype_terms(unsigned wtype)
{
	if (pe_bitmod_fmt_of_wtype(wtype) < 0)
		return 0;
	if (wtype & PE_BITMOD_WT_FP) {
		call_once(&fp_once, build_fp);
		return fp_ok[wtype & 15] ? 2 : 0;
	}
	return (wtype + 1) / 2;
}

unsigned pe_bitmod_term(unsigned wtype, unsigned code, unsigned t)
{
	if (wtype > 31 || !(WT_USED >> wtype & 1))
		return 0;
	if (wtype & PE_BITMOD_WT_FP) {
		unsigned bits = wtype & PE_BITMOD_WT_FP4 ? 4 : 3;
		call_once(&fp_once, build_fp);
		if (t > 1 || !fp_ok[wtype & 15])
			return 0;
		return fp_terms[wtype & 15][code & ((1u << bits) - 1)] >> 4 * t & 15;
	}
	/* sign-extend the b-bit code; window t of (x << 1) */
	int32_t x = (int32_t)(code & ((1u << wtype) - 1));
	if (x >> (wtype - 1) & 1)
		x -= 1 << wtype;
	return booth_term[(uint32_t)(x * 2) >> (2 * t) & 7];
}

unsigned pe_bitmod_bitpos(unsigned wtype, unsigned t)
{
	if (wtype & PE_BITMOD_WT_FP)
		return t <= 1 ? t : 0;
	return 2 * (t & 3);
}

unsigned pe_bitmod_term_cycles(double weight_bits)
{
	double b = floor(weight_bits);
	if (!(b >= 1))
		return 1;
	if (b > 8)
		b = 8;
	return ((unsigned)b + 1) / 2;
}

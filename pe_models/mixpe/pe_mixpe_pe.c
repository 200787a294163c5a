/* pe_mixpe_pe.c - one MixPE PE, bit-true, one rising edge per step
 * (README.md: "PE ports", "Pipeline", "Numerics").
 *
 * Stages, each one register rank: P (shift&add products of the lanes and
 * their sum, and the lane sum of the activations), A (group accumulators;
 * a finished group is handed to the dequantizer), D1 (acc - zero x sum a),
 * D2 (scale x D1, to FP16), D3 (add into the output accumulator; on the
 * output's last group, load the result register). The result register is
 * also the PE's slot in its column's drain chain. step() evaluates the
 * stages back to front so every stage reads the previous edge's registers.
 *
 * INT8 lanes are computed SWAR, the way the hardware is wired: one shifter
 * per weight bit plane j, all lanes at once. The activations are biased to
 * u = a + 128 in [0, 255] so the 16-bit lane fields never go negative; the
 * plane-j term of the lanes is (U << j) & M_j (M_j: the lanes whose weight
 * bit j is set), the MSB plane is subtracted, and the bias comes back out
 * as 128 x sum(w): sum a w = sum u w - 128 sum w. The step computes the
 * same numbers as plain products (pe_mixpe_stage.h); pe_mixpe_int_lanes
 * and pe_mixpe_fp_product keep the shift&add forms, which the tests hold
 * equal to them. The dequantizer and the result slot are shared with the
 * array (pe_mixpe_stage.h); D1..D3, which no port shows, run at once when
 * A hands a group over, and their events come out at the edges the
 * pipeline has them (pe_mixpe_dq_group). */
#include "pe_mixpe_stage.h"

#include <math.h>
#include <string.h>

#include "fmt.h"
#include "pe_fp16.h"

#define SP(i)                                                                  \
	(((i) & 1 ? 0xffffull : 0) | ((i) & 2 ? 0xffffull << 16 : 0) |         \
	 ((i) & 4 ? 0xffffull << 32 : 0) | ((i) & 8 ? 0xffffull << 48 : 0))
/* 4-bit lane set -> 16-bit lane fields */
static const uint64_t spread[16] = {
	SP(0), SP(1), SP(2), SP(3), SP(4), SP(5), SP(6), SP(7),
	SP(8), SP(9), SP(10), SP(11), SP(12), SP(13), SP(14), SP(15),
};


static unsigned bitlen(uint64_t x)
{
	unsigned n = 0;
	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

static unsigned ceil_log2(uint64_t x)
{
	return x <= 1 ? 0 : bitlen(x - 1);
}

enum ps_status pe_mixpe_cfg_from_params(const struct pe_params *p,
					struct pe_mixpe_cfg *c,
					struct ps_err *err)
{
	double wb = p && pe_code_bits(p) ? pe_code_bits(p) : 4;
	unsigned ab = p ? (p->a_bits ? p->a_bits : p->act_bits) : 8;
	unsigned lanes = p && p->lanes ? p->lanes : 2;
	uint32_t g = p && p->group_size ? p->group_size : 128;

	memset(c, 0, sizeof *c);
	if (!ab)
		ab = 8;
	if (!(wb >= 2 && wb <= 4))
		return ps_errf(err, PS_EINPUT,
			       "mixpe: weight bits %g: the shift&add PE takes INT2..INT4 weights",
			       wb);
	if (ab != 8 && ab != 16)
		return ps_errf(err, PS_EINPUT,
			       "mixpe: activation bits %u: INT8 (8) or FP16 (16) only", ab);
	if (lanes > PE_MIXPE_MAX_LANES)
		return ps_errf(err, PS_EINPUT, "mixpe: %u lanes, at most %d",
			       lanes, PE_MIXPE_MAX_LANES);
	if (g > PE_MIXPE_GROUP_MAX || g % lanes)
		return ps_errf(err, PS_EINPUT,
			       "mixpe: group size %u must be a multiple of the %u lanes and <= %d",
			       g, lanes, PE_MIXPE_GROUP_MAX);
	c->wbits = (uint8_t)wb;
	c->lanes = (uint8_t)lanes;
	c->fp16 = ab == 16;
	c->group_max = g;
	/* largest |group sum|: g x (-128) x (-2^(b-1)) = g 2^(b+6), positive;
	 * the most negative, -g 127 2^(b-1), is smaller in magnitude */
	c->acc_bits = (uint8_t)(bitlen((uint64_t)g << (c->wbits + 6)) + 1);
	/* sum a in [-128 g, 127 g] */
	c->sa_bits = (uint8_t)(ceil_log2(128ull * g) + 1);
	return PS_OK;
}

void pe_mixpe_pe_reset(struct pe_mixpe_pe *pe, const struct pe_mixpe_cfg *cfg)
{
	struct pe_mixpe_cfg c = *cfg;
	memset(pe, 0, sizeof *pe);
	pe->cfg = c;
}

static uint32_t hsum16(uint64_t x)
{
	return (uint32_t)((x * 0x0001000100010001ull) >> 48);
}

int32_t pe_mixpe_int_lanes(const struct pe_mixpe_cfg *cfg, uint64_t a,
			   uint16_t w, int32_t *asum, uint32_t *terms)
{
	unsigned b = cfg->wbits, L = cfg->lanes, msb = b - 1;
	unsigned lanes = (1u << L) - 1;
	uint64_t U = ((a & 0x00ff00ff00ff00ffull) ^ 0x0080008000800080ull) &
		     spread[lanes];
	uint64_t pos = 0, neg;
	int32_t sw = 0, uw;
	unsigned idx, n = 0;

	for (unsigned j = 0; j < msb; j++) {
		idx = ((((uint32_t)w >> j) & 0x1111u) * 0x1248u >> 12) & lanes;
		pos += (U << j) & spread[idx];
		sw += pe_mixpe_terms(idx) << j;
		n += pe_mixpe_terms(idx);
	}
	idx = ((((uint32_t)w >> msb) & 0x1111u) * 0x1248u >> 12) & lanes;
	neg = (U << msb) & spread[idx];
	n += pe_mixpe_terms(idx);
	if (cfg->bugs & PE_MIXPE_BUG_MSB_POS) {
		uw = (int32_t)(hsum16(pos) + hsum16(neg));
		sw += pe_mixpe_terms(idx) << msb;
	} else {
		uw = (int32_t)hsum16(pos) - (int32_t)hsum16(neg);
		sw -= pe_mixpe_terms(idx) << msb;
	}
	if (asum)
		*asum = (int32_t)hsum16(U) - 128 * (int32_t)L;
	if (terms)
		*terms = n;
	return uw - 128 * sw;
}

/* a x w: each set weight bit j contributes a copy of a with j added to its
 * exponent; the copies share a's significand m, so their signed sum is the
 * integer P = -w_{b-1} (m << (b-1)) + sum_j w_j (m << j), exact (15 bits),
 * normalized and rounded once (to nearest, ties to even). The internal
 * exponent has room for the shift: -8a may exceed 65504 while a w
 * (w = -1 = -8+4+2+1) does not. */
uint16_t pe_mixpe_fp_product(uint16_t a, int w, unsigned wbits, uint32_t bugs)
{
	unsigned sa = a >> 15, ex = (a >> 10) & 31, fr = a & 0x3ff;
	unsigned u = (unsigned)w & ((1u << wbits) - 1), msb = wbits - 1;
	unsigned sw = (u >> msb) & 1, sign, n, s, e, q, bits;
	int32_t m, P = 0;

	if (bugs & PE_MIXPE_BUG_MSB_POS)
		sw = 0;
	if (ex == 31) {		/* inf x 0 and NaN: the default NaN */
		if (fr || u == 0)
			return 0x7e00;
		return (uint16_t)(((sa ^ sw) << 15) | 0x7c00);
	}
	m = (int32_t)(ex ? (fr | 0x400) : fr);
	for (unsigned j = 0; j < msb; j++)
		if ((u >> j) & 1)
			P += m << j;
	if ((u >> msb) & 1)
		P += (bugs & PE_MIXPE_BUG_MSB_POS) ? m << msb : -(m << msb);
	if (P == 0)		/* the sign of an IEEE product of zeros */
		return (uint16_t)((sa ^ sw) << 15);
	/* |a w| = |P| 2^(e - 25), e = max(ex, 1): keep 11 significant bits.
	 * A normal a has |P| >= m >= 1024, so its product is normal; a
	 * subnormal a (e = 1) keeps its bits below 2^11 as they are. */
	sign = (unsigned)(P < 0) ^ sa;
	q = (unsigned)(P < 0 ? -P : P);
	e = ex ? ex : 1;
	n = 32 - (unsigned)__builtin_clz(q);	/* q != 0 */
	s = n > 11 ? n - 11 : 0;
	if (s) {
		unsigned rem = q & ((1u << s) - 1), half = 1u << (s - 1);
		q >>= s;
		q += rem > half || (rem == half && (q & 1));
	}
	/* exponent field e + s; a carry out of the significand (q = 2048)
	 * and the subnormal -> normal step both fall out of the addition */
	bits = ((e + s - 1) << 10) + q;
	if (bits >= 0x7c00)
		bits = 0x7c00;
	return (uint16_t)((sign << 15) | bits);
}

/* Pairwise lane tree: ((v0 + v1) + (v2 + v3)), an odd lane passes a level. */
static uint16_t f16_tree(uint16_t *v, unsigned n)
{
	while (n > 1) {
		unsigned h = 0, i;
		for (i = 0; i + 1 < n; i += 2)
			v[h++] = pe_f16_add(v[i], v[i + 1]);
		if (n & 1)
			v[h++] = v[n - 1];
		n = h;
	}
	return v[0];
}

static void stage_p(struct pe_mixpe_pe *pe, const struct pe_mixpe_pe_in *in)
{
	const struct pe_mixpe_cfg *c = &pe->cfg;
	unsigned terms = 0;

	pe->p_valid = in->row.valid;
	if (!in->row.valid)
		return;
	pe->p_first = in->row.first;
	pe->p_end = in->row.glast || in->row.last;
	pe->p_last = in->row.last;
	pe->p_scale = in->row.scale;
	pe->p_zero = in->row.zero;
	pe->act.beats++;
	pe->act.products += c->lanes;
	if (!c->fp16) {
		int32_t t = 0, sa = 0;
		for (unsigned i = 0; i < c->lanes; i++) {
			unsigned code = pe_mixpe_wcode(c, in->row.w, i);
			int32_t a = (int8_t)(in->a >> (16 * i));
			t += a * pe_mixpe_wval(c, code);
			sa += a;
			terms += pe_mixpe_terms(code);
		}
		pe->p_t = t;
		pe->p_sa = sa;
	} else {
		uint16_t pr[PE_MIXPE_MAX_LANES], av[PE_MIXPE_MAX_LANES];
		for (unsigned i = 0; i < c->lanes; i++) {
			unsigned code = pe_mixpe_wcode(c, in->row.w, i);
			av[i] = (uint16_t)(in->a >> (16 * i));
			pr[i] = pe_mixpe_f16_product(av[i], pe_mixpe_wval(c, code));
			terms += pe_mixpe_terms(code);
		}
		pe->p_t = f16_tree(pr, c->lanes);
		pe->p_sa = f16_tree(av, c->lanes);
	}
	pe->act.terms += terms;
}

static void stage_a(struct pe_mixpe_pe *pe)
{
	const struct pe_mixpe_cfg *c = &pe->cfg;
	bool fresh;
	int32_t acc, sa;

	if (!pe->p_valid)
		return;
	fresh = !pe->g_open || pe->p_first;
	if (pe->p_first)
		pe->g_ofirst = true;
	if (c->fp16) {
		acc = fresh ? pe->p_t : pe_f16_add((uint16_t)pe->acc, (uint16_t)pe->p_t);
		sa = fresh ? pe->p_sa : pe_f16_add((uint16_t)pe->sa, (uint16_t)pe->p_sa);
	} else {
		acc = pe_mixpe_wrap((fresh ? 0 : pe->acc) + pe->p_t, c->acc_bits);
		sa = pe_mixpe_wrap((fresh ? 0 : pe->sa) + pe->p_sa, c->sa_bits);
	}
	pe->act.acc_writes++;
	if (pe->p_end) {
		unsigned d1 = (pe->ev_at + 1u) % PE_MIXPE_DQ_LATENCY;
		unsigned d3 = (pe->ev_at + PE_MIXPE_DQ_LATENCY - 1u) % PE_MIXPE_DQ_LATENCY;
		pe->ev[d1] |= 1;
		if (pe_mixpe_dq_group(c, &pe->oacc, acc, sa, pe->p_scale, pe->p_zero,
				      pe->g_ofirst, pe->p_last, &pe->fin[d3]))
			pe->ev[d3] |= 2;
		pe->g_open = false;
		pe->g_ofirst = false;
	} else {
		pe->acc = acc;
		pe->sa = sa;
		pe->g_open = true;
	}
}

static inline __attribute__((always_inline)) void pe_step(
	struct pe_mixpe_pe *pe, const struct pe_mixpe_pe_in *in)
{
	struct pe_mixpe_slot *sl = &pe->slot;
	unsigned at = pe->ev_at, ev = pe->ev[at], load = ev >> 1;
	uint16_t fin = pe->fin[at];

	/* the dequantizer's events of this edge */
	pe->ev[at] = 0;
	pe->act.dequants += ev & 1;
	pe->act.shifts += pe_mixpe_slot_next(load, fin, in->sh_valid,
					     in->sh_drain, in->sh, in->sh_start,
					     &sl->res_valid, &sl->res_drain,
					     &sl->done, &sl->res);
	pe->act.results += load;
	stage_a(pe);
	stage_p(pe, in);
	pe->ev_at = (uint8_t)((at + 1) % PE_MIXPE_DQ_LATENCY);
	pe->row_out = in->row;
	pe->a_out = in->a;
	pe->act.cycles++;
}

void pe_mixpe_pe_step(struct pe_mixpe_pe *pe, const struct pe_mixpe_pe_in *in)
{
	pe_step(pe, in);
}

/* ---- the bt ops ("mixpe_pe") ---- */

enum {
	I_VALID, I_FIRST, I_GLAST, I_LAST, I_A, I_W, I_SCALE, I_ZERO,
	I_SH_START, I_SH_VALID, I_SH_DRAIN, I_SH, N_IN,
};

static const struct pe_port pe_ports[] = {
	{ "in_valid", 1 }, { "in_first", 1 }, { "in_glast", 1 }, { "in_last", 1 },
	{ "a_in", 64 }, { "w_in", 16 }, { "scale_in", 16 }, { "zero_in", 8 },
	{ "sh_start", 1 }, { "sh_valid_in", 1 }, { "sh_drain_in", 1 }, { "sh_in", 16 },
	{ "valid_out", 1 }, { "first_out", 1 }, { "glast_out", 1 }, { "last_out", 1 },
	{ "a_out", 64 }, { "w_out", 16 }, { "scale_out", 16 }, { "zero_out", 8 },
	{ "done", 1 }, { "res_valid", 1 }, { "res_drain", 1 }, { "res", 16 },
};

static enum ps_status bt_init(void *state, const struct pe_params *p,
			      struct ps_err *err)
{
	struct pe_mixpe_cfg c;
	enum ps_status st = pe_mixpe_cfg_from_params(p, &c, err);
	if (st)
		return st;
	pe_mixpe_pe_reset(state, &c);
	return PS_OK;
}

static void bt_reset(void *state)
{
	struct pe_mixpe_pe *pe = state;
	pe_mixpe_pe_reset(pe, &pe->cfg);
}

static void bt_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_mixpe_pe *pe = state;
	struct pe_mixpe_pe_in x = {
		.row = { .valid = in[I_VALID] & 1, .first = in[I_FIRST] & 1,
			 .glast = in[I_GLAST] & 1, .last = in[I_LAST] & 1,
			 .w = (uint16_t)in[I_W], .scale = (uint16_t)in[I_SCALE],
			 .zero = (uint8_t)in[I_ZERO] },
		.a = in[I_A],
		.sh_start = in[I_SH_START] & 1, .sh_valid = in[I_SH_VALID] & 1,
		.sh_drain = in[I_SH_DRAIN] & 1, .sh = (uint16_t)in[I_SH],
	};
	pe_step(pe, &x);
	out[0] = pe->row_out.valid;
	out[1] = pe->row_out.first;
	out[2] = pe->row_out.glast;
	out[3] = pe->row_out.last;
	out[4] = pe->a_out;
	out[5] = pe->row_out.w;
	out[6] = pe->row_out.scale;
	out[7] = pe->row_out.zero;
	out[8] = pe->slot.done;
	out[9] = pe->slot.res_valid;
	out[10] = pe->slot.res_drain;
	out[11] = pe->slot.res;
}

void pe_mixpe_pe_actions(const void *state, struct pe_mixpe_actions *out)
{
	*out = ((const struct pe_mixpe_pe *)state)->act;
}

const struct pe_bt_ops pe_mixpe_pe_bt = {
	.name = "mixpe_pe",
	.rtl_top = "mixpe_pe",
	.ports = pe_ports,
	.n_in = N_IN,
	.n_out = sizeof pe_ports / sizeof pe_ports[0] - N_IN,
	.state_size = sizeof(struct pe_mixpe_pe),
	.init = bt_init,
	.reset = bt_reset,
	.step = bt_step,
};

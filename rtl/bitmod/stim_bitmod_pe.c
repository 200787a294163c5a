/* stim_bitmod_pe.c - `pesim verify` stimulus of the BitMoD PE (bitmod_pe):
 * one reset edge, directed corners, then random edges.
 *
 * Corners (deterministic, about 27,000 edges at SB = 8):
 *   sweep   every term nibble x every bit position x the FP16 specials in
 *           every lane (rotated), one-term outputs, scale 1
 *   scales  every 8-bit group scale on a two-term group
 *   sat     4,096 cycles of the largest products of one sign (the group
 *           exponent grows), 4,096 alternating signs, huge lanes with a
 *           tiny one (absorbed by the alignment)
 *   multi   outputs of 1..16 groups, huge and tiny groups alternating (the
 *           output accumulator's alignment), specials-heavy data
 *   overrun two in_last one cycle apart (err), then a reset edge
 * Random: outputs of 1..24 groups, groups of 1..64 weights (now and then
 * a saturating one of 300..1,500), T = 1..4 term cycles per weight,
 * terms decoded from weight codes of a random type (pe_bitmod_term) or raw
 * random nibbles and bit positions; activations in regimes (body, tiny,
 * huge, subnormal, raw, specials, zero-heavy); consecutive in_last at
 * least SB cycles apart (idle cycles first, garbage on the ignored
 * inputs), bubbles; rarely a deliberate overrun, stretches of fully random
 * inputs on every port, each followed by a reset a few hundred edges on,
 * and rare resets anywhere. With a GEMM the outputs are its (m, n) in the
 * array's order (N outer), group by group, weight codes decoded to terms
 * as the array's edge decoder does. Every phase writes a group's scale on
 * w_sbit with its last term and bm_ser_step serializes it (the 2nd ..
 * SB+1th edges after; garbage elsewhere). */
#include <stdlib.h>
#include <string.h>

#include "stim_bitmod.h"

enum { IN_VALID, IN_FIRST, IN_LAST, IN_OLAST, IN_BITPOS, IN_TERM, IN_SBIT,
       IN_A, N_IN };

/* The group-by-group schedule (random and corner "multi" phases). */
struct sched {
	uint64_t s;		/* its own random state */
	uint64_t since_last;	/* edges since the last in_last */
	unsigned groups_left;	/* groups of the output after this one */
	uint64_t idle, left;	/* idle edges before the terms; terms left */
	uint64_t cyc;		/* term cycle within the group */
	unsigned T, wt;
	bool raw, sat, sat_neg;
	int regime;
	unsigned bubble_pct;
	uint8_t scale;
	uint8_t code[4];
	uint16_t act[4];
	unsigned max_groups;	/* 0: random mode's mix */
	bool allow_overrun;
	bool overran;
	/* trace operands: output (gm_m, gm_n), group gm_g, weight gm_j */
	const struct bm_gemm *gm;
	uint64_t gm_m, gm_n, gm_g, gm_j;
};

struct pe_stim {
	unsigned lanes, sb;
	uint64_t s;
	uint64_t ph_end[5];	/* corner phases: sweep scales sat multi overrun */
	uint64_t c_next;	/* the corner edge the multi phase expects */
	struct sched multi, rnd;
	uint64_t chaos;		/* edges left of fully random inputs */
	uint64_t reset_in;	/* a reset this many edges on (0: none) */
	struct bm_ser ser;	/* the w_sbit serializer */
	struct bm_gemm gm;
};

/* The edge's w_sbit from the scale the generator wrote with a last term. */
static void serialize(struct pe_stim *st, uint64_t *in)
{
	in[IN_SBIT] = bm_ser_step(&st->ser, st->sb, in[IN_VALID] && in[IN_LAST],
				  in[IN_SBIT]);
}

static void garbage(uint64_t *s, uint64_t *in, bool keep_valid)
{
	uint64_t r = rtl_stim_rnd(s), v = in[IN_VALID];
	in[IN_VALID] = r & 1;
	in[IN_FIRST] = r >> 1 & 1;
	in[IN_LAST] = r >> 2 & 1;
	in[IN_OLAST] = r >> 3 & 1;
	in[IN_BITPOS] = r >> 4 & 7;
	in[IN_TERM] = r >> 8 & 0xffff;
	in[IN_SBIT] = r >> 24 & 0xff;
	in[IN_A] = rtl_stim_rnd(s);
	if (keep_valid)
		in[IN_VALID] = v;
}

static void idle(uint64_t *s, uint64_t *in)
{
	garbage(s, in, false);
	in[IN_VALID] = 0;
}

/* ---- the group schedule ---- */

static void sched_output(struct sched *q)
{
	static const unsigned pct[] = { 0, 0, 0, 5, 30 };
	uint64_t r = rtl_stim_rnd(&q->s);

	if (q->gm) {
		q->groups_left = (unsigned)q->gm->ng;
		q->T = q->gm->T;
		q->raw = false;
	} else if (q->max_groups) {
		q->groups_left = 1 + (unsigned)(r % q->max_groups);
		q->T = 1 + (unsigned)(r >> 8) % 4;
		q->raw = false;
	} else {
		q->groups_left = r % 16 ? 1 + (unsigned)(r % 4) : 1 + (unsigned)(r % 24);
		q->T = 1 + (unsigned)(r >> 8) % 4;
		q->raw = (r >> 12) % 4 == 0;
	}
	q->regime = bm_rand_regime(&q->s);
	q->bubble_pct = pct[(r >> 16) % 5];
}

/* Plans the next group: its terms, its type, the idle edges before it. */
static void sched_group(struct sched *q, unsigned lanes, unsigned sb)
{
	uint64_t r = rtl_stim_rnd(&q->s), nt, need;

	if (!q->groups_left)
		sched_output(q);
	q->groups_left--;
	q->sat = false;
	if (q->gm) {
		const struct pe_gemm *g = q->gm->g;
		uint64_t gi = q->gm_n * q->gm->ng + q->gm_g;
		uint64_t gsize = q->gm_g + 1 < q->gm->ng ? q->gm->G :
				 g->K - q->gm_g * q->gm->G;
		nt = (gsize + lanes - 1) / lanes * q->T;
		q->wt = q->gm->wt[gi];
		q->scale = q->gm->sq[gi];
		q->gm_j = 0;
	} else {
		uint64_t w = r % 16 ? 1 + r % 12 : 13 + r % 52;
		if (!q->max_groups && (r >> 8) % 1000 == 0) {
			w = 300 + (r >> 16) % 1200;	/* saturating */
			q->sat = true;
			q->sat_neg = r >> 40 & 1;
		}
		if (q->regime == 2 && (r >> 44) % 4 == 0) {
			q->sat = true;			/* a short one */
			q->sat_neg = r >> 46 & 1;
		}
		nt = w * q->T;
		q->wt = bm_rand_wtype(&q->s, q->T);
		q->scale = bm_rand_scale(&q->s);
		if ((r >> 48) % 8 == 0)
			q->regime = bm_rand_regime(&q->s);
	}
	/* consecutive in_last at least sb edges apart */
	need = q->since_last + nt >= sb ? 0 : sb - q->since_last - nt;
	q->idle = need + ((r >> 52) % 6 == 0 ? (r >> 56) % 9 : 0);
	if (q->allow_overrun && (r >> 20) % 200 == 0) {
		q->idle = 0;	/* an overrun (err) when nt < sb */
		q->overran = need > 0;
	}
	q->left = nt;
	q->cyc = 0;
}

/* Operands of one weight (every T term cycles). */
static void sched_weight(struct sched *q, unsigned lanes)
{
	if (q->gm) {
		const struct pe_gemm *g = q->gm->g;
		uint64_t k0 = q->gm_g * q->gm->G + q->gm_j * lanes;
		uint64_t kend = q->gm_g * q->gm->G + q->gm->G;
		for (unsigned l = 0; l < 4; l++) {
			uint64_t k = k0 + l;
			bool in = l < lanes && k < kend && k < g->K;
			q->code[l] = in ? g->codes[q->gm_n * g->K + k] : 0;
			q->act[l] = in ? g->a[q->gm_m * g->K + k] : 0;
		}
		q->gm_j++;
		return;
	}
	for (unsigned l = 0; l < 4; l++) {
		q->code[l] = bm_rand_code(&q->s, q->wt);
		q->act[l] = bm_rand_f16(&q->s, q->regime);
		if (q->sat) {
			q->act[l] = q->sat_neg ? 0xfbff : 0x7bff;
			q->code[l] = q->wt & PE_BITMOD_WT_FP ?
				     (q->wt & PE_BITMOD_WT_FP4 ? 7 : 3) :
				     (uint8_t)((1u << (q->wt - 1)) - 1);
		}
	}
}

/* Next gemm output after one finished: n outer, m inner. */
static void sched_gemm_next(struct sched *q)
{
	if (++q->gm_g < q->gm->ng)
		return;
	q->gm_g = 0;
	if (++q->gm_m < q->gm->g->M)
		return;
	q->gm_m = 0;
	q->gm_n = (q->gm_n + 1) % q->gm->g->N;
}

/* One edge of the schedule (never a reset). */
static void sched_edge(struct sched *q, unsigned lanes, unsigned sb, uint64_t *in)
{
	uint64_t r;
	unsigned t, term = 0;
	bool last;

	if (!q->left && !q->idle)
		sched_group(q, lanes, sb);
	if (q->idle) {
		q->idle--;
		q->since_last++;
		idle(&q->s, in);
		return;
	}
	r = rtl_stim_rnd(&q->s);
	if (q->cyc && r % 100 < q->bubble_pct) {
		q->since_last++;
		idle(&q->s, in);
		return;
	}
	garbage(&q->s, in, false);
	t = (unsigned)(q->cyc % q->T);
	if (t == 0)
		sched_weight(q, lanes);
	last = q->left == 1;
	in[IN_VALID] = 1;
	in[IN_FIRST] = q->cyc == 0;
	in[IN_LAST] = last;
	in[IN_OLAST] = last && !q->groups_left;
	if (last)
		in[IN_SBIT] = q->scale;
	if (q->raw && !q->sat) {
		/* raw nibbles, a quarter of them zero; any bit position */
		for (unsigned l = 0; l < 4; l++) {
			unsigned nib = (unsigned)(r >> (8 + 6 * l)) & 15;
			term |= ((r >> (32 + 2 * l) & 3) ? nib : 0) << 4 * l;
			q->act[l] = bm_rand_f16(&q->s, q->regime);
		}
		in[IN_BITPOS] = r >> 48 & 7;
	} else {
		for (unsigned l = 0; l < 4; l++)
			term |= pe_bitmod_term(q->wt, q->code[l], t) << 4 * l;
		in[IN_BITPOS] = pe_bitmod_bitpos(q->wt, t);
	}
	in[IN_TERM] = term;
	in[IN_A] = 0;
	for (unsigned l = 0; l < 4; l++)
		in[IN_A] |= (uint64_t)q->act[l] << 16 * l;
	q->cyc++;
	q->left--;
	q->since_last = last ? 0 : q->since_last + 1;
	if (last && q->gm) {
		if (q->groups_left)
			q->gm_g++;
		else
			sched_gemm_next(q);
	}
}

/* After a reset: nothing in flight; a trace restarts its output. */
static void sched_reset(struct sched *q, unsigned sb)
{
	q->since_last = sb;
	q->groups_left = 0;
	q->idle = q->left = 0;
	q->overran = false;
	if (q->gm)
		q->gm_g = 0;
}

/* ---- corners ---- */

enum { PH_SWEEP, PH_SCALES, PH_SAT, PH_MULTI, PH_OVERRUN };
#define SWEEP_ITEMS (16u * 8u * 24u)
#define SAT_LEN 4096u
#define MULTI_EDGES 8192u
#define OVERRUN_EDGES 32u

static enum ps_status stim_init(void *v, const struct pe_params *p,
				uint64_t seed, struct ps_err *err)
{
	struct pe_stim *st = v;
	uint64_t len[5];

	if (bm_stim_cfg(p, &st->lanes, &st->sb, err))
		return PS_EINPUT;
	st->s = seed;
	len[PH_SWEEP] = (uint64_t)SWEEP_ITEMS * st->sb;
	len[PH_SCALES] = 256ull * (st->sb > 2 ? st->sb : 2);
	len[PH_SAT] = 3ull * (SAT_LEN + st->sb);
	len[PH_MULTI] = MULTI_EDGES;
	len[PH_OVERRUN] = OVERRUN_EDGES;
	for (int k = 0; k < 5; k++)
		st->ph_end[k] = (k ? st->ph_end[k - 1] : 0) + len[k];
	st->rnd = (struct sched){ .s = seed ^ 0x5bd1e995u, .since_last = st->sb,
				  .allow_overrun = true };
	return PS_OK;
}

static uint64_t stim_corner_edges(const void *v)
{
	const struct pe_stim *st = v;
	return st->ph_end[4];
}

static void multi_restart(struct pe_stim *st)
{
	st->multi = (struct sched){ .s = 0xb17d0d, .since_last = st->sb,
				    .max_groups = 16 };
	st->c_next = st->ph_end[PH_MULTI - 1];
}

static uint64_t act4(uint16_t a0, uint16_t a1, uint16_t a2, uint16_t a3)
{
	return a0 | (uint64_t)a1 << 16 | (uint64_t)a2 << 32 | (uint64_t)a3 << 48;
}

static bool corner(struct pe_stim *st, uint64_t i, uint64_t *in)
{
	uint64_t junk = (i + 1) * 0xd1b54a32d192ed03ull, o;
	const unsigned sb = st->sb;

	idle(&junk, in);
	if (i < st->ph_end[PH_SWEEP]) {
		/* item = (nibble, bitpos, rotation): one-term output, idle after */
		uint64_t item = i / sb;
		unsigned nib = (unsigned)(item % 16), bp = (unsigned)(item / 16 % 8);
		unsigned j = (unsigned)(item / 128);
		if (i % sb)
			return false;
		in[IN_VALID] = in[IN_FIRST] = in[IN_LAST] = in[IN_OLAST] = 1;
		in[IN_BITPOS] = bp;
		in[IN_TERM] = nib * 0x1111u;
		in[IN_SBIT] = 1;
		in[IN_A] = 0;
		for (unsigned l = 0; l < 4; l++)
			in[IN_A] |= (uint64_t)rtl_stim_f16_special[(j + 7 * l) %
							   RTL_STIM_N_F16_SPECIAL] << 16 * l;
		return false;
	}
	if (i < st->ph_end[PH_SCALES]) {
		unsigned per = sb > 2 ? sb : 2;
		o = i - st->ph_end[PH_SWEEP];
		if (o % per > 1)
			return false;
		in[IN_VALID] = 1;
		in[IN_FIRST] = o % per == 0;
		in[IN_LAST] = in[IN_OLAST] = o % per == 1;
		in[IN_SBIT] = o / per;
		/* a sum with all 15 bits in use, its sign alternating */
		in[IN_BITPOS] = o % per ? 2 : 0;
		in[IN_TERM] = (o / per & 1 ? 0xb9b3u : 0x3139u) ^ (o % per ? 0x2222u : 0);
		in[IN_A] = act4(0x57ff, 0x4abc, 0x3e01, 0x2c55);
		return false;
	}
	if (i < st->ph_end[PH_SAT]) {
		/* three groups of SAT_LEN, each then SB idle edges */
		o = i - st->ph_end[PH_SCALES];
		uint64_t grp = o / (SAT_LEN + sb), k = o % (SAT_LEN + sb);
		if (k >= SAT_LEN)
			return false;
		in[IN_VALID] = 1;
		in[IN_FIRST] = k == 0;
		in[IN_LAST] = in[IN_OLAST] = k == SAT_LEN - 1;
		in[IN_SBIT] = 255;
		in[IN_BITPOS] = 7;
		if (grp == 0) {		/* +8 * 65504 in every lane */
			in[IN_TERM] = 0x7777;
			in[IN_A] = act4(0x7bff, 0x7bff, 0x7bff, 0x7bff);
		} else if (grp == 1) {	/* signs alternate: sums cancel */
			in[IN_TERM] = k & 1 ? 0xffff : 0x7777;
			in[IN_A] = act4(0x7bff, 0x7bfe, 0x7bfd, 0x7bfc);
		} else {		/* tiny lane 3 under huge lanes */
			in[IN_TERM] = k % 3 ? 0x7717 : 0x1fff;
			in[IN_A] = act4(0x7bff, 0xfbfe, 0x7800, 0x0001);
		}
		return false;
	}
	if (i < st->ph_end[PH_MULTI]) {
		/* a fixed-seed schedule: sequential edges (replayed if not) */
		if (i != st->c_next || i == st->ph_end[PH_SAT])
			multi_restart(st);
		while (st->c_next < i) {
			sched_edge(&st->multi, st->lanes, sb, in);
			st->c_next++;
		}
		sched_edge(&st->multi, st->lanes, sb, in);
		st->c_next++;
		/* huge and tiny groups alternate */
		if (in[IN_VALID] && !(st->multi.groups_left & 1))
			in[IN_A] &= 0x83ff83ff83ff83ffull | 0x0c000c000c000c00ull;
		return false;
	}
	/* overrun: in_last at o = 0 and 1 (err), reset at o = 20 */
	o = i - st->ph_end[PH_MULTI];
	if (o < 2) {
		in[IN_VALID] = in[IN_FIRST] = in[IN_LAST] = in[IN_OLAST] = 1;
		in[IN_TERM] = 0x3333;
		in[IN_BITPOS] = 3;
		in[IN_SBIT] = 0xa5;
		in[IN_A] = act4(0x3c00, 0xc000, 0x4400, 0x3800);
	}
	return o == 20;
}

static bool stim_corner(void *v, uint64_t i, uint64_t *in)
{
	struct pe_stim *st = v;
	bool rst = corner(st, i, in);
	serialize(st, in);
	return rst;
}

/* ---- random ---- */

static bool random_edge(struct pe_stim *st, uint64_t *in)
{
	uint64_t r = rtl_stim_rnd(&st->s);

	if ((st->reset_in && --st->reset_in == 0) || r % 6000 == 0) {
		garbage(&st->s, in, false);
		sched_reset(&st->rnd, st->sb);
		st->chaos = 0;
		st->reset_in = 0;
		return true;
	}
	if (st->chaos) {
		garbage(&st->s, in, false);
		in[IN_A] = act4(bm_rand_f16(&st->s, 5), bm_rand_f16(&st->s, 5),
				bm_rand_f16(&st->s, 5), bm_rand_f16(&st->s, 5));
		if (--st->chaos == 0)
			st->reset_in = 1 + (r >> 20) % 300;
		return false;
	}
	if (!st->rnd.gm && !st->rnd.left && !st->rnd.idle && (r >> 8) % 300 == 0) {
		st->chaos = 1 + (r >> 16) % 100;	/* starts next edge */
		sched_reset(&st->rnd, st->sb);
	}
	sched_edge(&st->rnd, st->lanes, st->sb, in);
	if (st->rnd.overran && !st->reset_in) {
		st->rnd.overran = false;
		st->reset_in = 50 + (r >> 24) % 500;
	}
	return false;
}

static bool stim_random(void *v, uint64_t *in)
{
	struct pe_stim *st = v;
	bool rst = random_edge(st, in);
	serialize(st, in);
	return rst;
}

static enum ps_status stim_use_gemm(void *v, const struct pe_gemm *g,
				    struct ps_err *err)
{
	struct pe_stim *st = v;
	enum ps_status s = bm_gemm_init(&st->gm, g, err);

	if (s)
		return s;
	st->rnd.gm = &st->gm;
	st->rnd.allow_overrun = false;
	sched_reset(&st->rnd, st->sb);
	return PS_OK;
}

static void stim_fini(void *v)
{
	struct pe_stim *st = v;
	bm_gemm_free(&st->gm);
}

RTL_STIM_OPS(bm_pe_stim, struct pe_stim, stim_init, stim_fini, stim_);

/* stim_bitmod_array.c - `pesim verify` stimulus of the 4x4 BitMoD array
 * (bitmod_array4x4): one reset edge, directed corners, then random edges.
 *
 * The generator makes a stream of *elements* (per row: w_ctl, w_code, the
 * group scale, w_cscale; per column: the activations) and skews it as the
 * driver does (pe_bitmod_gemm.c): at edge tau row r gets element tau - r,
 * column c element tau - c, so PE (r,c) sees matching operands; each
 * row's group scales are serialized onto its w_sbit after the skew
 * (bm_ser_step). Elements follow the driver's schedule: passes of groups,
 * each group T term cycles per lane-group of weights; consecutive in_last
 * at least max(SB, 2*4-1) elements apart (the dequantizer is free, the
 * shadow chains never collide, the channel-scale FIFOs never overflow),
 * idle elements first, with garbage on every ignored input.
 *
 * Corners (deterministic, about 12,000 edges at SB = 8):
 *   decode  every w_type x term index x the 256 codes: one-term outputs;
 *           column c's activations are 0 except lane c, so PE (r,c) shows
 *           row r's lane-c term alone, scaled by 1.0
 *   edge    channel scales from the FP16 specials (0, -0, subnormal,
 *           65504, Inf, NaN, ...) on outputs of every magnitude regime;
 *           then exact ties 1 + k*2^-11 (k odd) for round-to-nearest-even
 *   errors  a reserved w_type; five outputs of row 0 back to back (FIFO
 *           overflow, dequantizer overruns); each followed by a reset
 * Random: passes of 1..10 groups of 1..64 weights, T = 1..4, a random
 * type and scale per row and group, a channel scale per row and pass,
 * activation regimes per column; bubble elements; now and then a run of
 * "tight" one-term outputs 2..6 elements apart (the shadow chains
 * collide, with SB < 7 without an overrun, and the FIFOs overflow: err),
 * a reset a few hundred
 * edges on; rarely stretches of
 * fully random inputs on every port (overruns, FIFO overflow,
 * reserved types: err), each followed by a reset; rare resets anywhere.
 * With a GEMM the passes are its tiles (N blocks outer, M inner, zero
 * padded), as pe_bitmod_run_gemm drives the array. */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "stim_bitmod.h"

#define R 4
#define C 4
#define IN_CTL(r) (4 * (r))
#define IN_CODE(r) (4 * (r) + 1)
#define IN_SBIT(r) (4 * (r) + 2)
#define IN_CS(r) (4 * (r) + 3)
#define IN_A(c) (16 + (c))
#define SPACE (2 * C - 1)	/* groups this far apart never collide */

struct elem {
	uint16_t ctl[R];
	uint32_t code[R];
	uint8_t scale[R];
	uint16_t cs[R];
	uint64_t a[C];
};

struct asched {
	uint64_t s;
	uint64_t since_last;
	unsigned groups_left;
	uint64_t idle, left, cyc;
	bool tight;		/* one-term outputs tight_d apart: the 2C-1
				 * spacing of the shadow chains is not kept */
	unsigned tight_d, tight_left;	/* spacing, passes left of the run */
	unsigned T;
	unsigned wt[R];
	uint8_t scale[R];
	uint16_t cs[R];
	int regime[C];
	unsigned bubble_pct;
	uint32_t code[R];
	uint64_t act[C];
	/* trace: pass (nb, mb), group g, lane-group j */
	const struct bm_gemm *gm;
	uint64_t nb, mb, g, j;
};

struct arr_stim {
	unsigned lanes, sb;
	uint64_t s;
	uint64_t ph_end[3];	/* decode, edge, errors */
	uint64_t tau;		/* stream index of the next edge */
	struct elem ring[R > C ? R : C];
	struct asched q;
	uint64_t chaos, reset_in;
	struct bm_ser ser[R];	/* each row's w_sbit serializer */
	struct bm_gemm gm;
};

static void elem_idle(uint64_t *s, struct elem *e)
{
	for (int r = 0; r < R; r++) {
		uint64_t x = rtl_stim_rnd(s);
		e->ctl[r] = (uint16_t)(x & 0x7fe);	/* valid = 0 */
		e->code[r] = (uint32_t)(x >> 11);
		e->scale[r] = (uint8_t)(x >> 43);
		e->cs[r] = (uint16_t)(x >> 48);
	}
	for (int c = 0; c < C; c++)
		e->a[c] = rtl_stim_rnd(s);
}

/* The skewed inputs of the edge whose own element was just stored. */
static void skew_out(struct arr_stim *st, uint64_t *in)
{
	const unsigned n = R > C ? R : C;
	for (int r = 0; r < R; r++) {
		const struct elem *e = &st->ring[(st->tau + n - r) % n];
		in[IN_CTL(r)] = e->ctl[r];
		in[IN_CODE(r)] = e->code[r];
		in[IN_SBIT(r)] = bm_ser_step(&st->ser[r], st->sb,
					     (e->ctl[r] & (PE_BITMOD_W_VALID | PE_BITMOD_W_LAST)) ==
					     (PE_BITMOD_W_VALID | PE_BITMOD_W_LAST),
					     e->scale[r]);
		in[IN_CS(r)] = e->cs[r];
	}
	for (int c = 0; c < C; c++)
		in[IN_A(c)] = st->ring[(st->tau + n - c) % n].a[c];
	st->tau++;
}

static struct elem *next_slot(struct arr_stim *st)
{
	return &st->ring[st->tau % (R > C ? R : C)];
}

static void ring_clear(struct arr_stim *st, uint64_t *s)
{
	for (unsigned k = 0; k < (R > C ? R : C); k++)
		elem_idle(s, &st->ring[k]);
}

/* ---- the pass schedule ---- */

static uint16_t rand_cs(uint64_t *s)
{
	uint64_t r = rtl_stim_rnd(s);
	if (r % 16 == 0)
		return rtl_stim_f16_special[(r >> 8) % RTL_STIM_N_F16_SPECIAL];
	/* channel scales are small FP16 (max|w| / 255 / max|q|: 2^-24..2^-3,
	 * subnormal included), now and then negative */
	return (uint16_t)(((r >> 20) % 8 == 0) << 15 | ((r >> 24) % 13) << 10 |
			  (r >> 32 & 0x3ff));
}

static void pass_start(struct asched *q)
{
	static const unsigned pct[] = { 0, 0, 0, 5, 30 };
	uint64_t r = rtl_stim_rnd(&q->s);

	if (q->gm) {
		const struct pe_gemm *g = q->gm->g;
		q->groups_left = (unsigned)q->gm->ng;
		q->T = q->gm->T;
		q->g = 0;
		for (int rr = 0; rr < R; rr++) {
			uint64_t n = q->nb * R + (uint64_t)rr;
			q->cs[rr] = n < g->N ? q->gm->cs[n] : 0;
		}
	} else {
		q->groups_left = r % 8 ? 1 + (unsigned)(r % 4) : 1 + (unsigned)(r % 10);
		q->T = 1 + (unsigned)(r >> 8) % 4;
		/* a run of tight passes: with SB < 2C-1 the chains collide,
		 * the channel-scale FIFOs overflow (err) */
		if (!q->tight_left && (r >> 24) % 48 == 0) {
			/* 2, 4, 6 collide; 2, 3 overflow the FIFOs */
			q->tight_left = 4 + (unsigned)(r >> 30) % 12;
			q->tight_d = 2 + (unsigned)(r >> 36) % 5;
		}
		q->tight = q->tight_left > 0;
		q->tight_left -= q->tight;
		if (q->tight) {
			q->groups_left = 1;
			q->T = 1;
		}
		for (int rr = 0; rr < R; rr++)
			q->cs[rr] = rand_cs(&q->s);
		for (int c = 0; c < C; c++)
			q->regime[c] = bm_rand_regime(&q->s);
	}
	q->bubble_pct = pct[(r >> 16) % 5];
}

static void group_start(struct asched *q, unsigned lanes, unsigned sb)
{
	uint64_t r = rtl_stim_rnd(&q->s), nt, need = 0;

	if (!q->groups_left)
		pass_start(q);
	q->groups_left--;
	if (q->gm) {
		const struct pe_gemm *g = q->gm->g;
		uint64_t gsize = q->g + 1 < q->gm->ng ? q->gm->G :
				 g->K - q->g * q->gm->G;
		nt = (gsize + lanes - 1) / lanes * q->T;
		for (int rr = 0; rr < R; rr++) {
			uint64_t n = q->nb * R + (uint64_t)rr;
			q->wt[rr] = n < g->N ? q->gm->wt[n * q->gm->ng + q->g] : 2;
			q->scale[rr] = n < g->N ? q->gm->sq[n * q->gm->ng + q->g] : 0;
		}
		q->j = 0;
	} else {
		uint64_t w = q->tight ? 1 : r % 8 ? 1 + r % 12 : 13 + r % 52;
		nt = w * q->T;
		for (int rr = 0; rr < R; rr++) {
			q->wt[rr] = bm_rand_wtype(&q->s, q->T);
			q->scale[rr] = bm_rand_scale(&q->s);
		}
	}
	/* the dequantizer's SB edges, and every group's sum through the
	 * shadow chain (2C-1 unless tight) */
	if (q->since_last + nt < sb)
		need = sb - q->since_last - nt;
	if (!q->tight && q->since_last + nt < SPACE &&
	    SPACE - q->since_last - nt > need)
		need = SPACE - q->since_last - nt;
	q->idle = need + ((r >> 52) % 6 == 0 ? (r >> 56) % 9 : 0);
	if (q->tight)
		q->idle = need + (q->since_last + nt + need < q->tight_d ?
				  q->tight_d - q->since_last - nt - need : 0);
	q->left = nt;
	q->cyc = 0;
}

/* Codes and activations of the next lane-group of weights. */
/* Row r's `lanes` values from k0 of a trace's codes (u8, 8 bits apart)
 * or activations (u16, 16 bits apart), zero past the group (kend), K or
 * the last of `rows` rows. */
static uint64_t lanes_of(const struct pe_gemm *g, const uint8_t *u8,
			 const uint16_t *u16, uint64_t r, uint64_t rows,
			 uint64_t k0, uint64_t kend, unsigned lanes)
{
	uint64_t w = 0;

	for (unsigned l = 0; l < lanes; l++) {
		uint64_t k = k0 + l, i = r * g->K + k;
		if (r < rows && k < kend && k < g->K)
			w |= (u8 ? (uint64_t)u8[i] : (uint64_t)u16[i]) << (u8 ? 8 : 16) * l;
	}
	return w;
}

static void weight_next(struct asched *q, unsigned lanes)
{
	if (q->gm) {
		const struct pe_gemm *g = q->gm->g;
		uint64_t k0 = q->g * q->gm->G + q->j * lanes;
		uint64_t kend = q->g * q->gm->G + q->gm->G;
		for (int rr = 0; rr < R; rr++)
			q->code[rr] = (uint32_t)lanes_of(g, g->codes, NULL,
							 q->nb * R + (uint64_t)rr,
							 g->N, k0, kend, lanes);
		for (int c = 0; c < C; c++)
			q->act[c] = lanes_of(g, NULL, g->a, q->mb * C + (uint64_t)c,
					     g->M, k0, kend, lanes);
		q->j++;
		return;
	}
	for (int rr = 0; rr < R; rr++) {
		q->code[rr] = 0;
		for (unsigned l = 0; l < 4; l++)
			q->code[rr] |= (uint32_t)bm_rand_code(&q->s, q->wt[rr]) << 8 * l;
	}
	for (int c = 0; c < C; c++) {
		q->act[c] = 0;
		for (unsigned l = 0; l < 4; l++)
			q->act[c] |= (uint64_t)bm_rand_f16(&q->s, q->regime[c]) << 16 * l;
	}
}

static void gemm_pass_next(struct asched *q)
{
	const struct pe_gemm *g = q->gm->g;
	if (++q->mb * C < g->M)
		return;
	q->mb = 0;
	if (++q->nb * R >= g->N)
		q->nb = 0;
}

static void sched_elem(struct asched *q, unsigned lanes, unsigned sb,
		       struct elem *e)
{
	uint64_t r;
	unsigned t;
	bool last, olast;

	if (!q->left && !q->idle)
		group_start(q, lanes, sb);
	elem_idle(&q->s, e);
	q->since_last++;
	if (q->idle) {
		q->idle--;
		return;
	}
	r = rtl_stim_rnd(&q->s);
	if (q->cyc && r % 100 < q->bubble_pct)
		return;
	t = (unsigned)(q->cyc % q->T);
	if (t == 0)
		weight_next(q, lanes);
	last = q->left == 1;
	olast = last && !q->groups_left;
	for (int rr = 0; rr < R; rr++) {
		e->ctl[rr] = (uint16_t)(PE_BITMOD_W_VALID |
					(q->cyc == 0 ? PE_BITMOD_W_FIRST : 0) |
					(last ? PE_BITMOD_W_LAST : 0) |
					(olast ? PE_BITMOD_W_OLAST : 0) |
					PE_BITMOD_W_TIDX(t) | PE_BITMOD_W_TYPE(q->wt[rr]));
		e->code[rr] = q->code[rr];
		if (last)
			e->scale[rr] = q->scale[rr];
		if (olast)
			e->cs[rr] = q->cs[rr];
	}
	for (int c = 0; c < C; c++)
		e->a[c] = q->act[c];
	q->cyc++;
	q->left--;
	if (last)
		q->since_last = 0;
	if (last && q->gm) {
		q->g++;
		if (olast)
			gemm_pass_next(q);
	}
}

static void sched_reset(struct asched *q, unsigned sb)
{
	q->since_last = sb > SPACE ? sb : SPACE;
	q->groups_left = 0;
	q->idle = q->left = 0;
}

/* ---- corners ---- */

#define DECODE_ITEMS (15u * 4u * 64u)	/* types x term index x code quads */
#define EDGE_PASSES 384u
#define TIE_PASSES 16u
#define ERR_EDGES 96u

static unsigned pass_len(const struct arr_stim *st)
{
	return st->sb > SPACE ? st->sb : SPACE;
}

static enum ps_status stim_init(void *v, const struct pe_params *p,
				uint64_t seed, struct ps_err *err)
{
	struct arr_stim *st = v;
	uint64_t len[3];

	if (bm_stim_cfg(p, &st->lanes, &st->sb, err))
		return PS_EINPUT;
	st->s = seed;
	/* + the drain of the last pass: hops, pipeline, chain */
	len[0] = (uint64_t)DECODE_ITEMS / R * pass_len(st) + 32 + st->sb;
	len[1] = (uint64_t)(EDGE_PASSES + TIE_PASSES) * pass_len(st) + 32 + st->sb;
	len[2] = ERR_EDGES;
	for (int k = 0; k < 3; k++)
		st->ph_end[k] = (k ? st->ph_end[k - 1] : 0) + len[k];
	st->q = (struct asched){ .s = seed ^ 0x2545f491u };
	memset(st->ser, 0, sizeof st->ser);
	sched_reset(&st->q, st->sb);
	ring_clear(st, &st->s);
	return PS_OK;
}

static uint64_t stim_corner_edges(const void *v)
{
	const struct arr_stim *st = v;
	return st->ph_end[2];
}

/* One-term output of every row at the start of each pass. */
static void one_term(struct elem *e, int r, unsigned wt, unsigned t,
		     uint32_t code, uint8_t scale, uint16_t cs)
{
	e->ctl[r] = (uint16_t)(PE_BITMOD_W_VALID | PE_BITMOD_W_FIRST |
			       PE_BITMOD_W_LAST | PE_BITMOD_W_OLAST |
			       PE_BITMOD_W_TIDX(t) | PE_BITMOD_W_TYPE(wt));
	e->code[r] = code;
	e->scale[r] = scale;
	e->cs[r] = cs;
}

static void corner_elem(struct arr_stim *st, uint64_t i, struct elem *e)
{
	uint64_t junk = (i + 1) * 0xd1b54a32d192ed03ull;
	const unsigned P = pass_len(st);

	elem_idle(&junk, e);
	if (i < st->ph_end[0]) {
		/* column c: lane c only, a value per column */
		static const uint16_t v[C] = { 0x3c00, 0x3e00, 0xba00, 0x4100 };
		uint64_t pass = i / P;
		for (int c = 0; c < C; c++)
			e->a[c] = (uint64_t)v[c] << 16 * c;
		if (i % P || pass >= DECODE_ITEMS / R)
			return;
		for (int r = 0; r < R; r++) {
			uint64_t k = pass * R + (uint64_t)r;
			unsigned chunk = (unsigned)(k % 64), t = (unsigned)(k / 64 % 4);
			unsigned wt = bm_wtypes[k / 256];
			uint32_t code = 0;
			for (unsigned l = 0; l < 4; l++)
				code |= (4u * chunk + l) << 8 * l;
			one_term(e, r, wt, t, code, 1, 0x3c00);
		}
		return;
	}
	if (i < st->ph_end[1]) {
		uint64_t o = i - st->ph_end[0], pass = o / P;
		uint64_t s = 0xed6e ^ pass * 0x632be59bd9b4e019ull;
		if (o % P || pass >= EDGE_PASSES + TIE_PASSES)
			return;
		if (pass < EDGE_PASSES) {
			/* an INT8 or FP4 term of every row, activation regimes
			 * in turn, channel scales from the specials */
			for (int r = 0; r < R; r++) {
				uint64_t x = rtl_stim_rnd(&s);
				unsigned wt = x & 1 ? 0x18 + (unsigned)(x >> 1) % 5 : 8;
				one_term(e, r, wt, (unsigned)(x >> 4) % 2,
					 (uint32_t)(x >> 8), (uint8_t)(x >> 40),
					 pass % 2 ? rtl_stim_f16_special[(pass / 2 + 5 * (uint64_t)r)
									 % RTL_STIM_N_F16_SPECIAL]
						  : rand_cs(&s));
			}
			for (int c = 0; c < C; c++) {
				int rg = (int)((pass + (uint64_t)c) % 7);
				e->a[c] = 0;
				for (unsigned l = 0; l < 4; l++)
					e->a[c] |= (uint64_t)bm_rand_f16(&s, rg) << 16 * l;
			}
			return;
		}
		/* ties: lane 0 = 1, lane 1 = k * 2^-11 (k odd), INT2 +1 terms */
		for (int r = 0; r < R; r++) {
			static const uint16_t cs[R] = { 0x3c00, 0x4000, 0xbc00, 0x4200 };
			one_term(e, r, 2, 0, 0x0101, 1, cs[r]);
		}
		for (int c = 0; c < C; c++) {
			unsigned k = 2 * (unsigned)((pass - EDGE_PASSES) * C + c) + 1;
			e->a[c] = 0x3c00 | (uint64_t)fmt_f16_from_f64(k / 2048.0) << 16;
		}
		return;
	}
	/* errors: a reserved type (o = 0), reset (o = 24); five back-to-back
	 * outputs of row 0 (o = 40..44), reset (o = 90) */
	uint64_t o = i - st->ph_end[1];
	for (int c = 0; c < C; c++)
		e->a[c] = 0x3c003c003c003c00ull;
	if (o == 0)
		one_term(e, 1, 0x07, 0, 0x01010101, 1, 0x3c00);
	if (o >= 40 && o < 45)
		one_term(e, 0, 0x04, 0, 0x01020304, 3, 0x3c00);
}

static bool stim_corner(void *v, uint64_t i, uint64_t *in)
{
	struct arr_stim *st = v;
	uint64_t o = i - st->ph_end[1];
	bool rst = i >= st->ph_end[1] && (o == 24 || o == 90);

	if (i == 0) {
		uint64_t s = 0xc0ffee;
		st->tau = 0;
		ring_clear(st, &s);
	}
	corner_elem(st, i, next_slot(st));
	skew_out(st, in);
	return rst;
}

/* ---- random ---- */

static bool stim_random(void *v, uint64_t *in)
{
	struct arr_stim *st = v;
	uint64_t r = rtl_stim_rnd(&st->s);

	if ((st->reset_in && --st->reset_in == 0) || r % 8000 == 0) {
		ring_clear(st, &st->s);
		sched_reset(&st->q, st->sb);
		if (st->q.gm)
			st->q.g = 0;	/* the pass restarts */
		st->chaos = st->reset_in = 0;
		st->q.tight = false;
		st->q.tight_left = 0;
		elem_idle(&st->s, next_slot(st));
		skew_out(st, in);
		return true;
	}
	if (st->chaos) {
		/* every port random: any ctl, types, codes, activations */
		struct elem *e = next_slot(st);
		elem_idle(&st->s, e);
		for (int rr = 0; rr < R; rr++)
			e->ctl[rr] = (uint16_t)(rtl_stim_rnd(&st->s) & 0x7ff);
		for (int c = 0; c < C; c++)
			for (unsigned l = 0; l < 4; l++)
				e->a[c] = e->a[c] << 16 | bm_rand_f16(&st->s, 5);
		skew_out(st, in);
		if (--st->chaos == 0)
			st->reset_in = 1 + (r >> 20) % 300;
		return false;
	}
	if (!st->q.gm && !st->q.left && !st->q.idle && !st->q.groups_left &&
	    (r >> 8) % 200 == 0) {
		st->chaos = 1 + (r >> 16) % 100;
		sched_reset(&st->q, st->sb);
	}
	sched_elem(&st->q, st->lanes, st->sb, next_slot(st));
	skew_out(st, in);
	if (st->q.tight && !st->reset_in)
		st->reset_in = 200 + (r >> 24) % 400;
	return false;
}

static enum ps_status stim_use_gemm(void *v, const struct pe_gemm *g,
				    struct ps_err *err)
{
	struct arr_stim *st = v;
	enum ps_status s = bm_gemm_init(&st->gm, g, err);

	if (s)
		return s;
	st->q.gm = &st->gm;
	st->q.nb = st->q.mb = st->q.g = 0;
	sched_reset(&st->q, st->sb);
	return PS_OK;
}

static void stim_fini(void *v)
{
	struct arr_stim *st = v;
	bm_gemm_free(&st->gm);
}

RTL_STIM_OPS(bm_array_stim, struct arr_stim, stim_init, stim_fini, stim_);

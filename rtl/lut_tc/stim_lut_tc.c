/* stim_lut_tc.c - `pesim verify` stimulus of the LUT Tensor Core RTL
 * (rtl/lut_tc/): the M2N64K4 tile (--pe lut_tc, golden lut_tc_tile) and
 * the table precompute unit (--pe lut_tc_pre, golden lut_tc_precompute).
 *
 * Precompute. Corners: every pair (x, y) of FP16 specials as (a3, a2, a1,
 * a0) = (x, y, y, x) and as (x, 0, y, 0) (level-1 and level-2 adders see
 * every special pair), each as an FP16 and an INT8 table; INT8 tables
 * whose quotients are exact .5 ties (scale 2^e exactly, entries at quarter
 * steps), tables of tiny subnormals (the scale rounds to 0 and becomes
 * 2^-24, or rounds up and clamps codes at 127), signed zeros (scale 0),
 * overflowing sums (inf entries: NaN scale). Random: bursts of tables of
 * one operand regime (body, tiny, huge, subnormal, raw bits, specials,
 * ties, cancellation), INT8 or FP16 per table, bubbles with garbage
 * activations, stretches of fully random inputs, rare resets.
 *
 * Tile. Corners: single-plane segments (clr, clast and last on one plane)
 * with every table entry one value of a list (FP16 specials, subnormals of
 * every leading-bit position, normals near the exponent-add overflow) at
 * every bit position, then INT8 codes (-128, -127, 127, ...) x every bit
 * position x FP16 special scales, then two 16-plane INT8 chunks of the
 * largest codes at b = 7 (|sum| = 2^18). The read port sweeps the shadow
 * bank. Random: segments as the GEMM controller issues them (chunks of W
 * planes, b = 0..W-1, clr on the first, clast per chunk, last at the end;
 * FP16 or INT8), tables either from the C precompute model on random
 * activations or raw random entries / codes / scales, random weight
 * nibbles, sometimes random bit positions, per-plane tables, no clr;
 * bubbles with garbage everywhere; stretches of fully random inputs on
 * every port; the read port drains after each segment (or reads at
 * random); rare resets. An INT8 chunk is kept to at most 16 planes (the
 * RTL's 20-bit integer sum is exact up to 31; README "Numerics").
 *
 * With a GEMM (a bit-true trace's operands): the tile gets the GEMM's
 * planes in pe_lut_tc_run_gemm's order (n-block outer, m-block inner,
 * K-groups as segments, chunks, bit positions LSB first), its weight
 * nibbles gathered from the codes and folded, its tables computed from the
 * GEMM's activations by the C precompute model (a --pe lut_tc run drives
 * only the tile's ports); the precompute unit gets the GEMM's activations
 * four at a time, row by row. FP16 and INT8 tables alternate by segment
 * (tile) or row (precompute). Bubbles and resets stay random. */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "lut_tc/pe_lut_tc.h"
#include "stim_lut_tc.h"

#define TM PE_LUT_TC_M		/* the tile: tables, */
#define TN PE_LUT_TC_N		/* weight columns, */
#define TK PE_LUT_TC_K		/* activations per table */
#define CHUNK_LIMIT 16		/* INT8 planes per chunk the stimulus allows */

static uint64_t pack4(const uint16_t *a)
{
	return (uint64_t)a[0] | (uint64_t)a[1] << 16 | (uint64_t)a[2] << 32 |
	       (uint64_t)a[3] << 48;
}

/* Four activations whose INT8 table has exact .5 quotients: a0..a2 are
 * random multiples of 1/4, a3 = 127 - their sum, random signs, all times
 * 2^e (e in -22..8), so every sum is exact, max |T| = 127 2^e and the
 * scale is exactly 2^e; an entry at an odd number of quarters over an
 * even one is a tie (README "INT8-table option": ties to even). */
static uint64_t tie_quad(uint64_t *s)
{
	uint64_t r = rtl_stim_rnd(s);
	int e = -22 + (int)(r % 31);
	double a[4];
	uint16_t h[4];

	a[0] = (double)(1 + (r >> 8) % 160) / 4;
	a[1] = (double)(1 + (r >> 16) % 160) / 4;
	a[2] = (double)(1 + (r >> 24) % 160) / 4;
	a[3] = 127 - a[0] - a[1] - a[2];
	for (int k = 0; k < 4; k++) {
		double v = (r >> (40 + k)) & 1 ? -a[k] : a[k];
		h[k] = fmt_f16_from_f64(v * (double)(1ull << (e + 24)) / 16777216.0);
	}
	return pack4(h);
}

/* Four activations of one regime: 0..6 as rand_f16, 7 ties, 8
 * cancellation (a2 ~ a3, a0 ~ a1: level-1 differences of a few ulps,
 * exact zeros), 9 all equal in magnitude. */
static uint64_t act_quad(uint64_t *s, int regime)
{
	uint16_t h[4];
	uint64_t r;

	if (regime == 7)
		return tie_quad(s);
	if (regime == 8 || regime == 9) {
		r = rtl_stim_rnd(s);
		h[3] = rtl_stim_f16(s, (int)(r % 4));
		h[1] = rtl_stim_f16(s, (int)((r >> 8) % 4));
		if (regime == 9) {
			h[2] = (uint16_t)(h[3] ^ ((r >> 16) & 0x8000));
			h[1] = (uint16_t)(h[3] ^ ((r >> 17) & 0x8000));
			h[0] = (uint16_t)(h[3] ^ ((r >> 18) & 0x8000));
		} else {
			h[2] = (uint16_t)(h[3] + (uint16_t)((r >> 16) % 5) - 2);
			h[0] = (uint16_t)(h[1] + (uint16_t)((r >> 24) % 5) - 2);
		}
		return pack4(h);
	}
	for (int k = 0; k < 4; k++)
		h[k] = rtl_stim_f16(s, regime);
	return pack4(h);
}

/* ------------------------------------------------------------------ */
/* the precompute unit                                                 */
/* ------------------------------------------------------------------ */

enum { P_VALID, P_INT8, P_ACT };

#define PRE_TIES 256		/* tie tables among the corners */
#define PRE_TINY 200		/* tables of a3 = k 2^-24, k = 1..200 */

/* Directed quads (a3, a2, a1, a0), each issued as FP16 and INT8. */
static const uint16_t pre_fixed[][4] = {
	{ 0x0000, 0x0000, 0x0000, 0x0000 }, { 0x8000, 0x8000, 0x8000, 0x8000 },
	{ 0x8000, 0x0000, 0x8000, 0x0000 }, { 0x7bff, 0x7bff, 0x7bff, 0x7bff },
	{ 0x7bff, 0xfbff, 0x7bff, 0xfbff }, { 0x7bff, 0x7bff, 0x0000, 0x0000 },
	{ 0x0001, 0x7bff, 0x0000, 0x0000 }, { 0x0001, 0x0001, 0x0001, 0x0001 },
	{ 0x3c00, 0x3c00, 0x3c00, 0x3c00 }, { 0x0000, 0x5bf0, 0x5bf0, 0x5bf0 },
	{ 0x57f0, 0x5000, 0x4c00, 0x4bc0 }, { 0x0400, 0x03ff, 0x0001, 0x0000 },
	{ 0x7c00, 0x3c00, 0x3c00, 0x3c00 }, { 0x3c00, 0x3c00, 0xfc00, 0x3c00 },
	{ 0x7e00, 0x0000, 0x0000, 0x0000 }, { 0x3c00, 0x7c01, 0x3c00, 0x3c00 },
};
#define PRE_NFIXED (sizeof pre_fixed / sizeof pre_fixed[0])

/* corner parts, in order (edges) */
#define PRE_A (2 * RTL_STIM_N_F16_SPECIAL * RTL_STIM_N_F16_SPECIAL)	/* (x, y, y, x), FP16 and INT8 */
#define PRE_B (2 * RTL_STIM_N_F16_SPECIAL * RTL_STIM_N_F16_SPECIAL)	/* (x, 0, y, 0) */
#define PRE_C PRE_TIES		/* ties, INT8 */
#define PRE_D PRE_TINY		/* tiny, INT8 */
#define PRE_E (2 * PRE_NFIXED)
#define PRE_FLUSH 3
#define PRE_CORNERS (PRE_A + PRE_B + PRE_C + PRE_D + PRE_E + PRE_FLUSH)

struct pre_stim {
	uint64_t s, cs;		/* random; corner ties */
	unsigned table_bits;	/* 16: FP16 tables, 8: INT8, 0: both */
	uint64_t left;		/* tables left in the burst */
	int regime;
	unsigned bubble_pct, int8_pct;
	uint64_t chaos;		/* edges left of fully random inputs */
	/* trace operands: row, chunk, sweeps done */
	const struct pe_gemm *g;
	uint64_t row, chunk, sweep;
};

static bool pre_int8(const struct pre_stim *st, bool want)
{
	return st->table_bits == 8 || (st->table_bits != 16 && want);
}

static enum ps_status pre_init(void *s, const struct pe_params *p, uint64_t seed,
			       struct ps_err *err)
{
	struct pre_stim *st = s;
	(void)err;
	st->s = seed;
	st->cs = 0x1a7c5eedull;
	st->table_bits = p->table_bits;
	return PS_OK;
}

static uint64_t pre_corner_edges(const void *s)
{
	(void)s;
	return PRE_CORNERS;
}

static bool pre_corner(void *s, uint64_t i, uint64_t *in)
{
	struct pre_stim *st = s;
	uint16_t h[4] = { 0, 0, 0, 0 };
	bool int8 = false;

	in[P_VALID] = 1;
	if (i < PRE_A) {
		uint64_t pr = i / 2;
		uint16_t x = rtl_stim_f16_special[pr % RTL_STIM_N_F16_SPECIAL], y = rtl_stim_f16_special[pr / RTL_STIM_N_F16_SPECIAL];
		h[3] = x, h[2] = y, h[1] = y, h[0] = x;
		int8 = i & 1;
	} else if ((i -= PRE_A) < PRE_B) {
		uint64_t pr = i / 2;
		h[3] = rtl_stim_f16_special[pr % RTL_STIM_N_F16_SPECIAL];
		h[1] = rtl_stim_f16_special[pr / RTL_STIM_N_F16_SPECIAL];
		int8 = i & 1;
	} else if ((i -= PRE_B) < PRE_C) {
		in[P_INT8] = 1;
		in[P_ACT] = tie_quad(&st->cs);
		return false;
	} else if ((i -= PRE_C) < PRE_D) {
		h[3] = (uint16_t)(i + 1);
		h[1] = (uint16_t)(i & 1 ? 0x8000 : 0);
		int8 = true;
	} else if ((i -= PRE_D) < PRE_E) {
		for (int k = 0; k < 4; k++)
			h[3 - k] = pre_fixed[i / 2][k];
		int8 = i & 1;
	} else {
		in[P_VALID] = 0;	/* flush: garbage behind the last */
		int8 = i & 1;
		h[0] = h[1] = h[2] = h[3] = 0x7e00;
	}
	in[P_INT8] = pre_int8(st, int8);
	in[P_ACT] = pack4(h);
	return false;
}

static void pre_new_burst(struct pre_stim *st)
{
	static const unsigned pct[] = { 0, 0, 10, 50 };
	uint64_t r = rtl_stim_rnd(&st->s);

	if (r % 20 == 0 && !st->g) {	/* no chaos on trace operands */
		st->chaos = 1 + (r >> 8) % 64;
		return;
	}
	st->left = 1 + (r >> 8) % 64;
	/* of 16 bursts: 4 body, 2 tiny, 1 huge, 1 subnormal, 1 raw,
	 * 2 mixed, 2 ties, 2 cancellation, 1 equal magnitudes */
	st->regime = "0000112345577889"[(r >> 16) % 16] - '0';
	st->bubble_pct = pct[(r >> 24) % 4];
	st->int8_pct = (unsigned[]){ 0, 50, 100, 50 }[(r >> 28) % 4];
}

/* the GEMM's next four activations (a row's chunk, +0 past K) */
static uint64_t pre_gemm_act(struct pre_stim *st, bool *int8)
{
	const struct pe_gemm *g = st->g;
	uint64_t kc = (g->K + TK - 1) / TK;
	uint16_t h[4] = { 0, 0, 0, 0 };

	for (uint64_t j = 0; j < TK && TK * st->chunk + j < g->K; j++)
		h[j] = g->a[st->row * g->K + TK * st->chunk + j];
	*int8 = (st->row + st->sweep) & 1;
	if (++st->chunk == kc) {
		st->chunk = 0;
		if (++st->row == g->M) {
			st->row = 0;
			st->sweep++;
		}
	}
	return pack4(h);
}

static bool pre_random(void *s, uint64_t *in)
{
	struct pre_stim *st = s;
	uint64_t r = rtl_stim_rnd(&st->s);

	if (r % 20000 == 0) {	/* reset, garbage on the inputs */
		in[P_VALID] = (r >> 20) & 1;
		in[P_INT8] = (r >> 21) & 1;
		in[P_ACT] = rtl_stim_rnd(&st->s);
		return true;
	}
	if (!st->left && !st->chaos)
		pre_new_burst(st);
	if (st->chaos) {
		st->chaos--;
		in[P_VALID] = (r >> 20) & 1;
		in[P_INT8] = (r >> 21) & 1;
		in[P_ACT] = (r >> 22) & 1 ? rtl_stim_rnd(&st->s)
					  : act_quad(&st->s, 5);
		return false;
	}
	if ((r >> 24) % 100 < st->bubble_pct) {	/* bubble: garbage */
		in[P_VALID] = 0;
		in[P_INT8] = (r >> 20) & 1;
		in[P_ACT] = rtl_stim_rnd(&st->s);
		return false;
	}
	in[P_VALID] = 1;
	st->left--;
	if (st->g) {
		bool i8;
		in[P_ACT] = pre_gemm_act(st, &i8);
		in[P_INT8] = pre_int8(st, i8);
		return false;
	}
	in[P_INT8] = pre_int8(st, (r >> 32) % 100 < st->int8_pct);
	in[P_ACT] = act_quad(&st->s, st->regime);
	return false;
}

static enum ps_status check_gemm(const struct pe_gemm *g, struct ps_err *err)
{
	if (!g->M || !g->N || !g->K || !g->a)
		return ps_errf(err, PS_EINPUT, "an empty GEMM");
	return PS_OK;
}

static enum ps_status pre_use_gemm(void *s, const struct pe_gemm *g,
				   struct ps_err *err)
{
	struct pre_stim *st = s;
	enum ps_status rc = check_gemm(g, err);

	if (rc)
		return rc;
	st->g = g;
	return PS_OK;
}

RTL_STIM_OPS(lut_tc_pre_stim, struct pre_stim, pre_init, NULL, pre_);

/* ------------------------------------------------------------------ */
/* the tile                                                            */
/* ------------------------------------------------------------------ */

/* FP16 values whose exponent add is interesting: the specials, subnormals
 * with their leading one at every position (renormalized by b), normals
 * whose field + b crosses 31. */
static uint16_t ldexp_value(unsigned i)
{
	if (i < RTL_STIM_N_F16_SPECIAL)
		return rtl_stim_f16_special[i];
	i -= RTL_STIM_N_F16_SPECIAL;
	if (i < 30) {		/* subnormals: 2^p, 2^(p+1) - 1, 2^p + 1 */
		unsigned p = i / 3, k = i % 3;
		uint16_t f = (uint16_t)(k == 0 ? 1u << p : k == 1 ? (2u << p) - 1
					: (1u << p) | 1u);
		return (uint16_t)((i & 1 ? 0x8000 : 0) | f);
	}
	i -= 30;		/* fields 23..30, fraction 0 or all ones */
	return (uint16_t)((i & 1 ? 0x8000 : 0) | (23 + i / 4) << 10 |
			  (i & 2 ? 0x3ff : 0));
}
#define N_LDEXP (RTL_STIM_N_F16_SPECIAL + 30 + 32)

/* INT8 corner codes and scales */
static const uint8_t i8_code[] = { 0x80, 0x81, 0xff, 0x00, 0x01, 0x7f, 0x03, 0x55 };
#define N_I8 (sizeof i8_code / sizeof i8_code[0])

/* corner parts, in order (edges) */
#define TILE_A (N_LDEXP * 8)		/* FP16 single planes, every b */
#define TILE_B (N_I8 * 8 * RTL_STIM_N_F16_SPECIAL)		/* INT8 single planes */
#define TILE_C (2 * CHUNK_LIMIT)	/* two long INT8 chunks */
#define TILE_FLUSH 3
#define TILE_CORNERS (TILE_A + TILE_B + TILE_C + TILE_FLUSH)

struct tile_stim {
	uint64_t s;
	unsigned table_bits;	/* 16: FP16 tables, 8: INT8, 0: both */
	void *pre;		/* a C precompute model for realistic tables */
	/* the segment being issued */
	bool in_seg, int8, clr, rand_b, rand_rd, tbl_per_plane;
	unsigned W, b, bubble_pct;
	uint64_t nch, c;
	int tregime, aregime;
	uint64_t tb[4], tscale;	/* the chunk's table bus */
	uint64_t chaos;		/* edges left of fully random inputs */
	/* INT8: is S2 summing a chunk, of how many planes */
	bool open;
	unsigned len;
	/* read port: random edges, the edge whose rd_addr reads word 0 */
	uint64_t t, drain0;
	/* trace operands */
	const struct pe_gemm *g;
	uint32_t *c4;		/* [TN * kc] the chunk's 4 codes, a byte each */
	uint64_t kc, gc, ngroups, mblocks, nblocks;
	uint64_t pass, grp, segs;
};

/* One table through the C precompute model: tbl_0, tbl_1, scale. */
static void make_table(struct tile_stim *st, uint64_t act, bool int8,
		       uint64_t out3[3])
{
	const struct pe_bt_ops *ops = &pe_lut_tc_pre_bt;
	uint64_t in[PE_LUT_TC_PRE_NIN] = { 1, int8, act };
	uint64_t out[PE_LUT_TC_PRE_NPORTS - PE_LUT_TC_PRE_NIN];

	ops->reset(st->pre);
	for (int e = 0; e < PE_LUT_TC_PRE_DEPTH; e++) {
		ops->step(st->pre, in, out);
		in[P_VALID] = 0;
	}
	out3[0] = out[1];
	out3[1] = out[2];
	out3[2] = out[3];
}

static enum ps_status tile_init(void *s, const struct pe_params *p, uint64_t seed,
				struct ps_err *err)
{
	struct tile_stim *st = s;

	st->s = seed;
	st->table_bits = p->table_bits;
	st->pre = malloc(pe_lut_tc_pre_bt.state_size);
	if (!st->pre)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	return pe_lut_tc_pre_bt.init(st->pre, NULL, err);
}

static void tile_fini(void *s)
{
	struct tile_stim *st = s;
	free(st->pre);
	free(st->c4);
}

static uint64_t tile_corner_edges(const void *s)
{
	(void)s;
	return TILE_CORNERS;
}

/* weight nibbles of corner edge i: column n gets (5n + i) mod 16 */
static void corner_weights(uint64_t i, uint64_t *in)
{
	for (int q = 0; q < TN / 16; q++) {
		uint64_t w = 0;
		for (int j = 0; j < 16; j++)
			w |= (uint64_t)((5 * (16 * q + j) + i) & 15) << (4 * j);
		in[PE_LUT_TC_W_0 + q] = w;
	}
}

static bool tile_corner(void *s, uint64_t i, uint64_t *in)
{
	(void)s;
	memset(in, 0, PE_LUT_TC_TILE_NIN * sizeof *in);
	in[PE_LUT_TC_IN_VALID] = 1;
	in[PE_LUT_TC_IN_CLR] = in[PE_LUT_TC_IN_CLAST] = in[PE_LUT_TC_IN_LAST] = 1;
	in[PE_LUT_TC_RD_ADDR] = i & 31;
	corner_weights(i, in);
	if (i < TILE_A) {
		/* every entry of table 0 one value, of table 1 the next */
		uint64_t v0 = ldexp_value((unsigned)(i / 8)),
			 v1 = ldexp_value((unsigned)((i / 8 + 1) % N_LDEXP));
		in[PE_LUT_TC_IN_BITPOS] = i % 8;
		in[PE_LUT_TC_TBL_0] = in[PE_LUT_TC_TBL_1] = v0 * 0x0001000100010001ull;
		in[PE_LUT_TC_TBL_2] = in[PE_LUT_TC_TBL_3] = v1 * 0x0001000100010001ull;
		in[PE_LUT_TC_TSCALE] = 0x7e003c00;	/* ignored */
		return false;
	}
	if ((i -= TILE_A) < TILE_B) {
		uint64_t ci = i % N_I8, b = i / N_I8 % 8, si = i / N_I8 / 8;
		in[PE_LUT_TC_IN_INT8] = 1;
		in[PE_LUT_TC_IN_BITPOS] = b;
		in[PE_LUT_TC_TBL_0] = i8_code[ci] * 0x0101010101010101ull;
		in[PE_LUT_TC_TBL_1] = i8_code[(ci + 3) % N_I8] * 0x0101010101010101ull;
		in[PE_LUT_TC_TBL_2] = 0xdeadbeefdeadbeefull;	/* ignored */
		in[PE_LUT_TC_TSCALE] = rtl_stim_f16_special[si] |
				       (uint64_t)rtl_stim_f16_special[(si + 5) % RTL_STIM_N_F16_SPECIAL] << 16;
		return false;
	}
	if ((i -= TILE_B) < TILE_C) {
		/* 16 planes of code -128 at b = 7: columns with bit 3 clear
		 * add +2^14, the others -2^14 */
		uint64_t p = i % CHUNK_LIMIT;
		in[PE_LUT_TC_IN_INT8] = 1;
		in[PE_LUT_TC_IN_BITPOS] = 7;
		in[PE_LUT_TC_IN_CLR] = p == 0;
		in[PE_LUT_TC_IN_CLAST] = in[PE_LUT_TC_IN_LAST] = p == CHUNK_LIMIT - 1;
		in[PE_LUT_TC_TBL_0] = in[PE_LUT_TC_TBL_1] = 0x8080808080808080ull;
		/* 1.0 (the sums overflow FP16) or 2^-10, 2^-14 (exact) */
		in[PE_LUT_TC_TSCALE] = i < CHUNK_LIMIT ? 0x3c003c00 : 0x04001400;
		return false;
	}
	in[PE_LUT_TC_IN_VALID] = 0;	/* flush */
	in[PE_LUT_TC_IN_CLR] = in[PE_LUT_TC_IN_CLAST] = in[PE_LUT_TC_IN_LAST] = 0;
	return false;
}

/* the chunk's tables, random */
static void tile_random_tables(struct tile_stim *st)
{
	uint64_t t[3];

	st->tscale = rtl_stim_rnd(&st->s) & 0xffffffffu;	/* garbage unless INT8 */
	for (int k = 0; k < 4; k++)
		st->tb[k] = rtl_stim_rnd(&st->s);
	for (int m = 0; m < TM; m++) {
		if (st->tregime < 4) {	/* the precompute model's tables */
			make_table(st, act_quad(&st->s, st->aregime), st->int8, t);
			if (st->int8) {
				st->tb[m] = t[0];
				st->tscale = (st->tscale & ~(0xffffull << (16 * m))) |
					     t[2] << (16 * m);
			} else {
				st->tb[2 * m] = t[0];
				st->tb[2 * m + 1] = t[1];
			}
			continue;
		}
		/* raw entries / codes of a regime */
		int reg = (int[]){ 0, 1, 2, 5 }[st->tregime - 4];
		if (st->int8) {
			uint64_t c = 0;
			for (int j = 0; j < 8; j++)
				c |= (uint64_t)rtl_stim_i8(&st->s) << (8 * j);
			st->tb[m] = c;
			st->tscale = (st->tscale & ~(0xffffull << (16 * m))) |
				     (uint64_t)rtl_stim_f16(&st->s, reg) << (16 * m);
		} else {
			for (int j = 0; j < 8; j++) {
				int e = 8 * m + j;
				st->tb[e / 4] = (st->tb[e / 4] & ~(0xffffull << (16 * (e % 4)))) |
						(uint64_t)rtl_stim_f16(&st->s, reg) << (16 * (e % 4));
			}
		}
	}
}

/* the chunk's tables from the GEMM's rows mb * 2 .. (absent rows: +0) */
static void tile_gemm_tables(struct tile_stim *st, uint64_t mb, uint64_t chunk)
{
	const struct pe_gemm *g = st->g;
	uint64_t t[3];

	memset(st->tb, 0, sizeof st->tb);
	st->tscale = 0;
	for (int m = 0; m < TM; m++) {
		uint64_t row = mb * TM + (uint64_t)m;
		uint16_t h[4] = { 0, 0, 0, 0 };
		if (row >= g->M)
			continue;
		for (uint64_t j = 0; j < TK && TK * chunk + j < g->K; j++)
			h[j] = g->a[row * g->K + TK * chunk + j];
		make_table(st, pack4(h), st->int8, t);
		if (st->int8) {
			st->tb[m] = t[0];
			st->tscale |= t[2] << (16 * m);
		} else {
			st->tb[2 * m] = t[0];
			st->tb[2 * m + 1] = t[1];
		}
	}
}

/* the plane's folded weight nibbles from the GEMM (as plane_inputs in
 * pe_lut_tc_gemm.c: bit b of the chunk's 4 codes, columns past N 0) */
static void tile_gemm_weights(const struct tile_stim *st, uint64_t nb,
			      uint64_t chunk, unsigned b, uint64_t *in)
{
	for (int q = 0; q < TN / 16; q++) {
		uint64_t w = 0;
		for (int i = 0; i < 16; i++) {
			uint64_t col = nb * TN + (uint64_t)(16 * q + i);
			if (col >= st->g->N)
				break;
			uint32_t x = (st->c4[col * st->kc + chunk] >> b) & 0x01010101u;
			uint8_t nib = (uint8_t)((x * 0x01020408u) >> 24) & 15;
			w |= (uint64_t)pe_lut_tc_fold(nib) << (4 * i);
		}
		in[PE_LUT_TC_W_0 + q] = w;
	}
}

static void tile_new_segment(struct tile_stim *st)
{
	static const unsigned pct[] = { 0, 0, 10, 50 };
	uint64_t r = rtl_stim_rnd(&st->s);
	bool want8 = (r >> 24) & 1;

	st->bubble_pct = pct[(r >> 48) % 4];
	st->c = st->b = 0;
	if (st->g) {		/* the GEMM's next K-group */
		st->W = (unsigned)fmt_get(st->g->fmt)->bits;
		st->nch = st->kc - st->grp * st->gc < st->gc ?
			  st->kc - st->grp * st->gc : st->gc;
		st->int8 = st->table_bits == 8 ||
			   (st->table_bits != 16 && (st->segs & 1));
		st->clr = true;
		st->rand_b = st->rand_rd = st->tbl_per_plane = false;
		st->in_seg = true;
		st->segs++;
		return;
	}
	if (r % 20 == 0) {
		st->chaos = 1 + (r >> 8) % 64;
		return;
	}
	st->W = 1 + (unsigned)((r >> 8) % 8);
	st->nch = (r >> 12) % 16 == 0 ? 8 + (r >> 16) % 33 : 1 + (r >> 16) % 4;
	st->int8 = st->table_bits == 8 || (st->table_bits != 16 && want8);
	st->clr = (r >> 25) % 10 != 0;
	st->rand_b = (r >> 29) % 16 == 0;
	st->rand_rd = (r >> 33) % 8 == 0;
	st->tbl_per_plane = (r >> 37) % 16 == 0;
	st->tregime = (int)((r >> 41) % 8);
	st->aregime = "0000112345577889"[(r >> 44) % 16] - '0';
	st->in_seg = true;
}

/* S2's INT8 chunk, as the stimulus sees it: force clast before a chunk
 * outgrows CHUNK_LIMIT planes. */
static void track_chunk(struct tile_stim *st, uint64_t *in)
{
	if (!in[PE_LUT_TC_IN_VALID])
		return;
	if (!in[PE_LUT_TC_IN_INT8]) {
		st->open = false;
		return;
	}
	if (!st->open)
		st->len = 0;
	if (++st->len >= CHUNK_LIMIT)
		in[PE_LUT_TC_IN_CLAST] = 1;
	st->open = !in[PE_LUT_TC_IN_CLAST];
}

static void garbage(struct tile_stim *st, uint64_t *in)
{
	uint64_t r = rtl_stim_rnd(&st->s);
	for (int k = PE_LUT_TC_IN_VALID; k < PE_LUT_TC_TILE_NIN; k++)
		in[k] = rtl_stim_rnd(&st->s);
	in[PE_LUT_TC_IN_VALID] = r & 1;
	in[PE_LUT_TC_IN_CLR] = (r >> 1) & 1;
	in[PE_LUT_TC_IN_CLAST] = (r >> 2) & 1;
	in[PE_LUT_TC_IN_LAST] = (r >> 3) & 1;
	in[PE_LUT_TC_IN_INT8] = (r >> 4) & 1;
	in[PE_LUT_TC_IN_BITPOS] = (r >> 5) & 7;
	in[PE_LUT_TC_TSCALE] &= 0xffffffffu;
	in[PE_LUT_TC_RD_ADDR] = (r >> 8) & 31;
}

static bool tile_random(void *s, uint64_t *in)
{
	struct tile_stim *st = s;
	uint64_t r = rtl_stim_rnd(&st->s);
	uint64_t t = st->t++;

	if (r % 20000 == 0) {	/* reset, garbage on the inputs */
		garbage(st, in);
		st->open = false;
		return true;
	}
	if (!st->in_seg && !st->chaos)
		tile_new_segment(st);
	if (st->chaos) {	/* every port random */
		st->chaos--;
		garbage(st, in);
		if ((r >> 20) & 1) {	/* FP16 entries / scales of a regime */
			for (int e = 0; e < 16; e++)
				in[PE_LUT_TC_TBL_0 + e / 4] =
					(in[PE_LUT_TC_TBL_0 + e / 4] & ~(0xffffull << (16 * (e % 4)))) |
					(uint64_t)rtl_stim_f16(&st->s, 5) << (16 * (e % 4));
			in[PE_LUT_TC_TSCALE] = rtl_stim_f16(&st->s, 5) |
					       (uint64_t)rtl_stim_f16(&st->s, 5) << 16;
		}
		track_chunk(st, in);
		return false;
	}
	in[PE_LUT_TC_RD_ADDR] = st->rand_rd ? (r >> 8) & 31 : (t - st->drain0) & 31;
	if ((r >> 24) % 100 < st->bubble_pct) {	/* bubble: garbage elsewhere */
		uint64_t rd = in[PE_LUT_TC_RD_ADDR];
		garbage(st, in);
		in[PE_LUT_TC_IN_VALID] = 0;
		in[PE_LUT_TC_RD_ADDR] = rd;
		return false;
	}
	/* a plane of the segment */
	if (st->b == 0 || st->tbl_per_plane) {
		if (st->g)
			tile_gemm_tables(st, st->pass % st->mblocks, st->grp * st->gc + st->c);
		else
			tile_random_tables(st);
	}
	in[PE_LUT_TC_IN_VALID] = 1;
	in[PE_LUT_TC_IN_CLR] = st->clr && st->c == 0 && st->b == 0;
	in[PE_LUT_TC_IN_CLAST] = st->b == st->W - 1;
	in[PE_LUT_TC_IN_LAST] = st->b == st->W - 1 && st->c == st->nch - 1;
	in[PE_LUT_TC_IN_INT8] = st->int8;
	in[PE_LUT_TC_IN_BITPOS] = st->rand_b ? (r >> 32) & 7 : st->b;
	for (int k = 0; k < 4; k++)
		in[PE_LUT_TC_TBL_0 + k] = st->tb[k];
	in[PE_LUT_TC_TSCALE] = st->tscale;
	if (st->g) {
		tile_gemm_weights(st, st->pass / st->mblocks, st->grp * st->gc + st->c,
				  st->b, in);
	} else if ((r >> 36) % 8 == 0) {	/* one nibble everywhere */
		for (int q = 0; q < TN / 16; q++)
			in[PE_LUT_TC_W_0 + q] = ((r >> 40) & 15) * 0x1111111111111111ull;
	} else {
		for (int q = 0; q < TN / 16; q++)
			in[PE_LUT_TC_W_0 + q] = rtl_stim_rnd(&st->s);
	}
	track_chunk(st, in);
	if (in[PE_LUT_TC_IN_LAST])
		st->drain0 = t + PE_LUT_TC_TILE_DEPTH;	/* seg_done after t + 2 */
	if (++st->b == st->W) {
		st->b = 0;
		if (++st->c == st->nch) {
			st->in_seg = false;
			if (st->g && ++st->grp == st->ngroups) {
				st->grp = 0;
				st->pass = (st->pass + 1) % (st->mblocks * st->nblocks);
			}
		}
	}
	return false;
}

static enum ps_status tile_use_gemm(void *s, const struct pe_gemm *g,
				    struct ps_err *err)
{
	struct tile_stim *st = s;
	const struct fmt_desc *d = g->fmt >= 0 ? fmt_get(g->fmt) : NULL;
	enum ps_status rc = check_gemm(g, err);

	if (rc)
		return rc;
	if (!g->codes || !d || d->bits < 1 || d->bits > PE_LUT_TC_MAX_W)
		return ps_errf(err, PS_EINPUT, "lut_tc: the trace's weights must be "
			       "codes of at most %d bits, read as bit planes "
			       "(quant lut-int<W>: lut_pm1_w<W>)", PE_LUT_TC_MAX_W);
	st->g = g;
	st->kc = (g->K + TK - 1) / TK;
	st->gc = g->group ? (g->group + TK - 1) / TK : st->kc;
	if (st->gc > st->kc)
		st->gc = st->kc;
	st->ngroups = (st->kc + st->gc - 1) / st->gc;
	st->mblocks = (g->M + TM - 1) / TM;
	st->nblocks = (g->N + TN - 1) / TN;
	st->c4 = calloc(g->N * st->kc, sizeof *st->c4);
	if (!st->c4)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (uint64_t col = 0; col < g->N; col++)
		for (uint64_t k = 0; k < g->K; k++)
			st->c4[col * st->kc + k / TK] |=
				(uint32_t)(g->codes[col * g->K + k] & ((1u << d->bits) - 1))
				<< (8 * (k % TK));
	st->in_seg = false;
	st->chaos = 0;
	return PS_OK;
}

RTL_STIM_OPS(lut_tc_tile_stim, struct tile_stim, tile_init, tile_fini, tile_);

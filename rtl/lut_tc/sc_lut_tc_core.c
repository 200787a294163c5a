/* rtl_sc_lut_tc_core.c - rtl_sc_lut_tc.h: the golden "lut_tc_core" (two
 * lut_tc_precompute models feeding a lut_tc_tile model) and its stimulus,
 * composed of the stimulus generators of `pesim verify --pe lut_tc_pre`
 * and `--pe lut_tc` (rtl/lut_tc/verify_lut_tc.c). */
#include "sc_lut_tc.h"

#include <stdlib.h>
#include <string.h>

#include "lut_tc/pe_lut_tc.h"

#define NPRE_OUT (PE_LUT_TC_PRE_NPORTS - PE_LUT_TC_PRE_NIN)
#define NTILE_OUT (PE_LUT_TC_TILE_NPORTS - PE_LUT_TC_TILE_NIN)
#define ALIGN(n) (((n) + 15) & ~(size_t)15)

static const struct pe_port core_ports[LTC_N_PORTS] = {
	{ "pre0_valid", 1 }, { "pre0_int8", 1 }, { "pre0_act", 64 },
	{ "pre1_valid", 1 }, { "pre1_int8", 1 }, { "pre1_act", 64 },
	{ "in_valid", 1 }, { "in_clr", 1 }, { "in_clast", 1 }, { "in_last", 1 },
	{ "in_int8", 1 }, { "in_bitpos", 3 },
	{ "w_0", 64 }, { "w_1", 64 }, { "w_2", 64 }, { "w_3", 64 }, { "rd_addr", 5 },
	{ "rd_data", 64 }, { "seg_done", 1 },
	{ "pre0_out_valid", 1 }, { "pre0_asum", 16 },
	{ "pre1_out_valid", 1 }, { "pre1_asum", 16 },
};

/* The state: the units' outputs (their registers, which drive the table
 * bus), then the three models' states. */
struct core {
	uint64_t pout[2][NPRE_OUT];
};
#define PRE_STATE(c, m) ((unsigned char *)(c) + ALIGN(sizeof(struct core)) + \
			 (m) * ALIGN(pe_lut_tc_pre_bt.state_size))
#define TILE_STATE(c) PRE_STATE(c, 2)

static enum ps_status core_init(void *s, const struct pe_params *p, struct ps_err *err)
{
	enum ps_status st;

	memset(s, 0, sizeof(struct core));
	for (int m = 0; m < 2; m++)
		if ((st = pe_lut_tc_pre_bt.init(PRE_STATE(s, m), p, err)))
			return st;
	return pe_lut_tc_tile_bt.init(TILE_STATE(s), p, err);
}

static void core_reset(void *s)
{
	memset(s, 0, sizeof(struct core));
	for (int m = 0; m < 2; m++)
		pe_lut_tc_pre_bt.reset(PRE_STATE(s, m));
	pe_lut_tc_tile_bt.reset(TILE_STATE(s));
}

static void core_step(void *s, const uint64_t *in, uint64_t *out)
{
	struct core *c = s;
	const uint64_t *p0 = c->pout[0], *p1 = c->pout[1];
	uint64_t tin[PE_LUT_TC_TILE_NIN], tout[NTILE_OUT];
	enum { TBL_0 = PE_LUT_TC_PRE_TBL_0 - PE_LUT_TC_PRE_NIN,
	       TBL_1 = PE_LUT_TC_PRE_TBL_1 - PE_LUT_TC_PRE_NIN,
	       SCALE = PE_LUT_TC_PRE_SCALE - PE_LUT_TC_PRE_NIN,
	       OUT_VALID = PE_LUT_TC_PRE_OUT_VALID - PE_LUT_TC_PRE_NIN,
	       ASUM = PE_LUT_TC_PRE_ASUM - PE_LUT_TC_PRE_NIN };

	/* the tile reads the units' registers as they were before the edge */
	for (int i = 0; i <= PE_LUT_TC_IN_BITPOS; i++)
		tin[i] = in[LTC_IN_VALID + i];
	tin[PE_LUT_TC_TBL_0] = p0[TBL_0];
	tin[PE_LUT_TC_TBL_1] = in[LTC_IN_INT8] & 1 ? p1[TBL_0] : p0[TBL_1];
	tin[PE_LUT_TC_TBL_2] = p1[TBL_0];
	tin[PE_LUT_TC_TBL_3] = p1[TBL_1];
	tin[PE_LUT_TC_TSCALE] = p1[SCALE] << 16 | p0[SCALE];
	for (int i = 0; i < 4; i++)
		tin[PE_LUT_TC_W_0 + i] = in[LTC_W_0 + i];
	tin[PE_LUT_TC_RD_ADDR] = in[LTC_RD_ADDR];
	pe_lut_tc_tile_bt.step(TILE_STATE(s), tin, tout);
	pe_lut_tc_pre_bt.step(PRE_STATE(s, 0), &in[LTC_PRE0_VALID], c->pout[0]);
	pe_lut_tc_pre_bt.step(PRE_STATE(s, 1), &in[LTC_PRE1_VALID], c->pout[1]);
	out[LTC_RD_DATA - LTC_N_IN] = tout[PE_LUT_TC_RD_DATA - PE_LUT_TC_TILE_NIN];
	out[LTC_SEG_DONE - LTC_N_IN] = tout[PE_LUT_TC_SEG_DONE - PE_LUT_TC_TILE_NIN];
	out[LTC_PRE0_OUT_VALID - LTC_N_IN] = c->pout[0][OUT_VALID];
	out[LTC_PRE0_ASUM - LTC_N_IN] = c->pout[0][ASUM];
	out[LTC_PRE1_OUT_VALID - LTC_N_IN] = c->pout[1][OUT_VALID];
	out[LTC_PRE1_ASUM - LTC_N_IN] = c->pout[1][ASUM];
}

const struct pe_bt_ops *rtl_sc_lut_tc_core(void)
{
	static struct pe_bt_ops ops = {
		.name = "lut_tc_core",
		.rtl_top = "",		/* no Verilog top: SystemC only */
		.ports = core_ports,
		.n_in = LTC_N_IN,
		.n_out = LTC_N_PORTS - LTC_N_IN,
		.init = core_init,
		.reset = core_reset,
		.step = core_step,
	};
	ops.state_size = ALIGN(sizeof(struct core)) + 2 * ALIGN(pe_lut_tc_pre_bt.state_size) +
			 pe_lut_tc_tile_bt.state_size;
	return &ops;
}

/* ---- the stimulus ---- */

struct core_stim {
	const struct rtl_stim_ops *pre, *tile;
	void *ps[2], *ts;
	uint64_t npc, ntc;	/* corner edges of a unit, of the tile */
};

static enum ps_status stim_init(void *s, const struct pe_params *p, uint64_t seed,
				struct ps_err *err)
{
	struct core_stim *st = s;
	const struct rtl_verify_pe *pre = rtl_verify_find("lut_tc_pre");
	const struct rtl_verify_pe *tile = rtl_verify_find("lut_tc");
	enum ps_status rc;

	(void)p;
	if (!pre || !tile)
		return ps_errf(err, PS_EINPUT, "lut_tc_core: no verify entries lut_tc_pre, lut_tc");
	st->pre = pre->stim;
	st->tile = tile->stim;
	st->ps[0] = calloc(1, st->pre->state_size);
	st->ps[1] = calloc(1, st->pre->state_size);
	st->ts = calloc(1, st->tile->state_size);
	if (!st->ps[0] || !st->ps[1] || !st->ts)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (int m = 0; m < 2; m++)
		if ((rc = st->pre->init(st->ps[m], &pre->params, seed + (uint64_t)m, err)))
			return rc;
	if ((rc = st->tile->init(st->ts, &tile->params, seed + 2, err)))
		return rc;
	st->npc = st->pre->corner_edges(st->ps[0]);
	st->ntc = st->tile->corner_edges(st->ts);
	return PS_OK;
}

static void stim_fini(void *s)
{
	struct core_stim *st = s;

	if (st->pre && st->pre->fini)
		for (int m = 0; m < 2; m++)
			if (st->ps[m])
				st->pre->fini(st->ps[m]);
	if (st->tile && st->tile->fini && st->ts)
		st->tile->fini(st->ts);
	free(st->ps[0]);
	free(st->ps[1]);
	free(st->ts);
}

static uint64_t stim_corner_edges(const void *s)
{
	const struct core_stim *st = s;

	return st->npc + 1 > st->ntc ? st->npc + 1 : st->ntc;
}

/* Edge i of the composition: a unit's corner i (unit 1's i - 1, idle at
 * i = 0), the tile's corner i, each past its corners its random edges;
 * i = UINT64_MAX: all random. */
static bool stim_edge(struct core_stim *st, uint64_t i, uint64_t *in)
{
	uint64_t tin[PE_LUT_TC_TILE_NIN] = { 0 };
	bool rst = false;

	for (uint64_t m = 0; m < 2; m++) {
		uint64_t *pin = &in[m ? LTC_PRE1_VALID : LTC_PRE0_VALID];
		if (i != UINT64_MAX && m > i)
			continue;	/* unit 1 idle on the first corner edge */
		rst |= i != UINT64_MAX && i - m < st->npc
			? st->pre->corner(st->ps[m], i - m, pin)
			: st->pre->random(st->ps[m], pin);
	}
	rst |= i < st->ntc ? st->tile->corner(st->ts, i, tin) : st->tile->random(st->ts, tin);
	for (int k = 0; k <= PE_LUT_TC_IN_BITPOS; k++)
		in[LTC_IN_VALID + k] = tin[k];
	for (int k = 0; k < 4; k++)
		in[LTC_W_0 + k] = tin[PE_LUT_TC_W_0 + k];
	in[LTC_RD_ADDR] = tin[PE_LUT_TC_RD_ADDR];
	return rst;
}

static bool stim_corner(void *s, uint64_t i, uint64_t *in)
{
	return stim_edge(s, i, in);
}

static bool stim_random(void *s, uint64_t *in)
{
	return stim_edge(s, UINT64_MAX, in);
}

const struct rtl_stim_ops rtl_sc_lut_tc_stim = {
	.state_size = sizeof(struct core_stim),
	.init = stim_init,
	.corner_edges = stim_corner_edges,
	.corner = stim_corner,
	.random = stim_random,
	.fini = stim_fini,
};

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
 * Speed (the inlined path): only the chain's `depth` DSP slots are decoded
 * from the port words (the MUX picks its pair straight from the act
 * words), and each DSP's front end is stored where the edge that uses it
 * reads it (slot[(i + k + 3) % RING] for wave i, DSP k), so an edge reads
 * one slot row in DSP order instead of a diagonal of the wave history. */
#include "pe_flightllm.h"

#include <string.h>

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
	memset(c->slot, 0, sizeof c->slot);
	memset(c->p, 0, sizeof c->p);
	memset(c->side, 0, sizeof c->side);
	memset(c->din, 0, sizeof c->din);
	memset(c->dout, 0, sizeof c->dout);
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

/* The slot flags of DSP k for a wave with this RN configuration, as bit
 * k of two masks: DSP k starts a group (k = 0, or the first DSP of a DG
 * after a closing RN), the RN after DG k/2 closes it (odd k). */
static inline uint32_t start_mask(uint16_t rn_brk)
{
	uint32_t m = 1;
	for (uint32_t g = 0; g + 1 < PE_FL_MAX_DG; g++)
		m |= (uint32_t)(rn_brk >> g & 1) << (2 * g + 2);
	return m;
}

static inline uint32_t close_mask(uint16_t rn_brk, uint32_t ndg)
{
	uint32_t b = rn_brk | 1u << (ndg - 1), m = 0;
	for (uint32_t g = 0; g < ndg; g++)
		m |= (b >> g & 1) << (2 * g + 1);
	return m;
}

/* Decode unit (the code sign-extended) and sparse MUX (the pair at the
 * index) of DSP 0..depth-1 for the wave entering now: pair[16] the wave's
 * activation pairs, code[k] and idx[k] DSP k's inputs. The inlined
 * datapath gets them in the slot rows that read them, the structural one
 * in the wave's ring entry. */
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
	} else {
		uint32_t sm = start_mask(rn_brk), cm = close_mask(rn_brk, D / 2);
		uint8_t fv = vld ? PE_FL_F_VLD : 0;
		for (uint32_t k = 0; k < D; k++) {
			struct pe_fl_slot *s = &c->slot[(c->t + k + 3) & RMASK];
			uint16_t x = pair[idx[k] & (PE_FL_M - 1)];
			int8_t w = (int8_t)((uint8_t)(code[k] << sh)) >> sh;
			s->w[k] = w;
			s->ad[k] = (int8_t)(x >> 8) * (1 << 18) + (int8_t)(x & 0xff);
			s->f[k] = (uint8_t)((sm >> k & 1) * PE_FL_F_START | fv |
					    (cm >> k & 1) * PE_FL_F_CLOSE);
			nz += w != 0;
		}
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

/* Each stage: P <- M + Z (+ C), M being the product of wave t-k-3's AD
 * and B2 (the register chain A1/D/B1 -> AD/B2 -> M of the DSP, read from
 * the slot row instead of copied along). Then the reduction nodes: logic
 * on the P registers after the edge. */
static uint16_t stages_inline(struct pe_flightllm_chain *c, bool fix)
{
	const struct pe_fl_slot *s = &c->slot[c->t & RMASK];
	int64_t *p = c->p;
	int32_t *side = c->side;
	uint32_t ndg = c->cfg.depth / 2;
	uint16_t vld = 0;

	for (int k = (int)c->cfg.depth - 1; k >= 0; k--) {
		int64_t sum = (int64_t)s->ad[k] * s->w[k];
		int32_t moved = 0;
		bool st = s->f[k] & PE_FL_F_START;
		if (!st) {
			sum += p[k - 1];
			if (c->oau && k % PE_FL_OAU_SPAN == 0) {
				moved = lo18(p[k - 1]);
				sum -= moved;		/* W-mux = C = -lo */
				c->cnt.oau_moves += (s->f[k] & PE_FL_F_VLD) != 0;
			}
		}
		p[k] = wrap(sum, 48);
		side[k] = st ? 0 : side[k - 1] + moved;
	}
	for (uint32_t g = 0; g < ndg; g++) {
		uint32_t e = 2 * g + 1;
		pe_fl_extract(p[e], fix, &c->y_lo[g], &c->y_hi[g]);
		c->y_lo[g] += side[e];
		if ((s->f[e] & (PE_FL_F_VLD | PE_FL_F_CLOSE)) ==
		    (PE_FL_F_VLD | PE_FL_F_CLOSE))
			vld |= (uint16_t)(1u << g);
	}
	return vld;
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
static void clock_stages(struct pe_flightllm_chain *c)
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
			pe_fl_extract(c->p[e], fix, &c->y_lo[g], &c->y_hi[g]);
			c->y_lo[g] += c->side[e];
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
	uint32_t ndg = c->cfg.depth / 2;

	front_ports(c, in);
	clock_stages(c);
	for (uint32_t g = 0; g < ndg; g++)
		out[PE_FL_OUT_Y0 + g] = (uint64_t)(uint32_t)c->y_hi[g] << 32 |
					(uint32_t)c->y_lo[g];
	for (uint32_t g = ndg; g < PE_FL_MAX_DG; g++)
		out[PE_FL_OUT_Y0 + g] = 0;
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

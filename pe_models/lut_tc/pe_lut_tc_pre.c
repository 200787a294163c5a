/* pe_lut_tc_pre.c - the LUT-TC table precompute unit, bit-true (RTL module
 * lut_tc_precompute). K = 4 FP16 activations in, the 2^(K-1) = 8 entries of
 * the symmetrized table out, one table per cycle, three pipeline stages.
 *
 * Entry j (bits j2 j1 j0) anchors a3 positive (lut_tensor_core.md: the table
 * is odd-symmetric, LUT[~w] = -LUT[w], so only the half with the sign bit
 * set is stored):
 *   T[j] = a3 + s2 a2 + s1 a1 + s0 a0,  s_i = +1 if bit j_i is 1, else -1,
 * computed as a two-level tree of FP16 adders, each rounded once (RNE):
 *   stage 1: u+ = a3 + a2, u- = a3 - a2, v+ = a1 + a0, v- = a1 - a0
 *   stage 2: T[j] = u(j2) + v(j1 j0), with v(11) = v+, v(10) = v-,
 *            v(01) = -v-, v(00) = -v+  (negation is a sign flip, no add)
 *   stage 3: FP16 tables pass through; INT8 tables are quantized: one FP16
 *            scale s = RNE(max_j |T[j]| / 127) per table (2^-24 if that
 *            rounds to 0; 0 for an all-zero table; NaN if an entry is inf
 *            or NaN, with all codes 0), codes q[j] = RNE(T[j] / s) clamped
 *            to [-127, 127].
 * 12 FP16 adders in all (4 + 8). asum = T[7] = (a3 + a2) + (a1 + a0) leaves
 * unquantized in both modes: the output stage needs it for the zero-point
 * term. */
#include <math.h>
#include <string.h>

#include "fmt.h"
#include "pe_fp16.h"
#include "pe_lut_tc.h"

struct lut_tc_pre {
	/* stage 1 -> 2 */
	bool v1, i1;
	uint16_t up, um, vp, vm;
	/* stage 2 -> 3 */
	bool v2, i2;
	uint16_t t[PE_LUT_TC_ENTRIES];
	/* output registers */
	bool out_valid;
	uint64_t tbl0, tbl1;
	uint16_t scale, asum;
	struct pe_lut_tc_actions act;
};

static const struct pe_port pre_ports[PE_LUT_TC_PRE_NPORTS] = {
	{ "in_valid", 1 }, { "in_int8", 1 }, { "act", 64 },
	{ "out_valid", 1 }, { "tbl_0", 64 }, { "tbl_1", 64 },
	{ "scale", 16 }, { "asum", 16 },
};

/* Quantize one table to INT8 codes (entry j at bits 8j..8j+7). The scale
 * is max/127 rounded once to FP16: the double quotient cannot land on an
 * FP16 tie (127 = 2^7 - 1 makes max/127 a repeating binary fraction), and
 * T/s in double cannot land on a .5 tie unless it is one, so both roundings
 * are those of the exact quotients. */
static void quant8(const uint16_t *t, uint64_t *codes, uint16_t *scale)
{
	double mx = 0, s;
	uint64_t c = 0;
	for (int j = 0; j < PE_LUT_TC_ENTRIES; j++) {
		if ((t[j] & 0x7c00) == 0x7c00) {
			*scale = 0x7e00;
			*codes = 0;
			return;
		}
		mx = fmax(mx, fabs(pe_f16_to_f64(t[j])));
	}
	if (mx == 0) {
		*scale = 0;
		*codes = 0;
		return;
	}
	*scale = pe_f16_from_f64(mx / 127.0);
	if (*scale == 0)
		*scale = 1;	/* smallest subnormal, 2^-24 */
	s = pe_f16_to_f64(*scale);
	for (int j = 0; j < PE_LUT_TC_ENTRIES; j++) {
		double q = nearbyint(pe_f16_to_f64(t[j]) / s);
		q = q > 127 ? 127 : q < -127 ? -127 : q;
		c |= (uint64_t)(uint8_t)(int8_t)q << (8 * j);
	}
	*codes = c;
}

static void pre_reset(void *state)
{
	memset(state, 0, sizeof(struct lut_tc_pre));
}

static enum ps_status pre_init(void *state, const struct pe_params *p,
			       struct ps_err *err)
{
	pre_reset(state);
	if (p && p->lanes && p->lanes != PE_LUT_TC_K)
		return ps_errf(err, PS_EINPUT,
			       "lut_tc_precompute: built for K = %d activations per table, not lanes = %u",
			       PE_LUT_TC_K, p->lanes);
	return PS_OK;
}

static void pre_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct lut_tc_pre *s = state;

	/* stage 3: output registers (hold while no table arrives) */
	s->out_valid = s->v2;
	if (s->v2) {
		s->asum = s->t[PE_LUT_TC_ENTRIES - 1];
		if (s->i2) {
			quant8(s->t, &s->tbl0, &s->scale);
			s->tbl1 = 0;
			s->act.pre_quant++;
		} else {
			s->tbl0 = s->tbl1 = 0;
			for (int j = 0; j < 4; j++) {
				s->tbl0 |= (uint64_t)s->t[j] << (16 * j);
				s->tbl1 |= (uint64_t)s->t[j + 4] << (16 * j);
			}
			s->scale = 0;
		}
	}
	/* stage 2: level-2 adds */
	s->v2 = s->v1;
	if (s->v1) {
		uint16_t v[4] = { pe_f16_neg(s->vp), pe_f16_neg(s->vm), s->vm, s->vp };
		for (int j = 0; j < PE_LUT_TC_ENTRIES; j++)
			s->t[j] = pe_f16_add(j & 4 ? s->up : s->um, v[j & 3]);
		s->i2 = s->i1;
	}
	/* stage 1: level-1 adds */
	s->v1 = in[PE_LUT_TC_PRE_IN_VALID] & 1;
	if (s->v1) {
		uint64_t a = in[PE_LUT_TC_PRE_ACT];
		uint16_t a0 = (uint16_t)a, a1 = (uint16_t)(a >> 16);
		uint16_t a2 = (uint16_t)(a >> 32), a3 = (uint16_t)(a >> 48);
		s->up = pe_f16_add(a3, a2);
		s->um = pe_f16_add(a3, pe_f16_neg(a2));
		s->vp = pe_f16_add(a1, a0);
		s->vm = pe_f16_add(a1, pe_f16_neg(a0));
		s->i1 = in[PE_LUT_TC_PRE_IN_INT8] & 1;
		s->act.tables++;
		s->act.pre_adds += 12;
	}

	out[0] = s->out_valid;
	out[1] = s->tbl0;
	out[2] = s->tbl1;
	out[3] = s->scale;
	out[4] = s->asum;
}

const struct pe_lut_tc_actions *pe_lut_tc_pre_actions(const void *state)
{
	return &((const struct lut_tc_pre *)state)->act;
}

const struct pe_bt_ops pe_lut_tc_pre_bt = {
	.name = "lut_tc_precompute",
	.rtl_top = "lut_tc_precompute",
	.ports = pre_ports,
	.n_in = PE_LUT_TC_PRE_NIN,
	.n_out = PE_LUT_TC_PRE_NPORTS - PE_LUT_TC_PRE_NIN,
	.state_size = sizeof(struct lut_tc_pre),
	.init = pre_init,
	.reset = pre_reset,
	.step = pre_step,
};

/* pe_dsp48e2.c - the DSP48E2 subset (pe_dsp48e2.h), register for register
 * as Xilinx's unisim model DSP48E2.v computes it.
 *
 * Per rising edge every register samples values computed from the current
 * registers and inputs (the combinational paths of the slice):
 *   A1 <- A          (AREG != 0; note: A1 is clocked for AREG = 1 too,
 *                     so INMODE[0] = 1 gives "AREG = 1 via A1")
 *   A2 <- AREG == 2 ? A1 : A
 *   B1 <- B (BREG != 0), B2 <- BREG == 2 ? B1 : B
 *   D  <- D (DREG, only when the pre-adder feeds the multiplier)
 *   AD <- INMODE[2] ? D : 0  (INMODE[3] ? - : +)  (INMODE[1] ? 0 : A2A1)
 *   M  <- U, V partial products of a_mult[26:0] x b_mult[17:0]
 *   P  <- W + X + Y + Z (+ CIN), ALUMODE applied
 * with every stage bypassed when its *REG parameter is 0. Register resets
 * are synchronous and win over the clock enables, as in the unisim. The
 * multiplier's partial products are Xilinx's: U = {1, m[43:0] & 0x555..},
 * V = {~m[44], m[43:0] & 0xaaa..}; X = 01 sign-extends U and Y = 01
 * zero-extends V, so U + V is the 48-bit product only when both are
 * selected (OPMODE[3:0] = 0101), as on the silicon. */
#include "pe_dsp48e2.h"

#include <string.h>

#define M48 ((1ull << 48) - 1)
#define M45 ((1ull << 45) - 1)
#define M44 ((1ull << 44) - 1)
#define M30 ((1u << 30) - 1)
#define M27 ((1u << 27) - 1)
#define M18 ((1u << 18) - 1)

/* v's low `bits` bits as a signed integer. */
static inline int64_t sx(uint64_t v, unsigned bits)
{
	uint64_t m = 1ull << (bits - 1);
	v &= (m << 1) - 1;
	return (int64_t)(v ^ m) - (int64_t)m;
}

void pe_dsp48e2_params_default(struct pe_dsp48e2_params *prm)
{
	memset(prm, 0, sizeof *prm);
	prm->AREG = prm->BREG = prm->ACASCREG = prm->BCASCREG = 1;
	prm->CREG = prm->DREG = prm->ADREG = prm->MREG = prm->PREG = 1;
	prm->INMODEREG = prm->OPMODEREG = prm->ALUMODEREG = 1;
	prm->CARRYINREG = prm->CARRYINSELREG = 1;
}

void pe_dsp48e2_params_packed(struct pe_dsp48e2_params *prm)
{
	pe_dsp48e2_params_default(prm);
	prm->BREG = 2;
	prm->BCASCREG = 2;
	prm->CREG = 0;
	prm->INMODEREG = prm->OPMODEREG = prm->ALUMODEREG = 0;
	prm->CARRYINREG = prm->CARRYINSELREG = 0;
	prm->AMULTSEL = "AD";
}

static bool str_is(const char *v, const char *dflt, const char *want)
{
	return !strcmp(v ? v : dflt, want);
}

static enum ps_status bad(struct ps_err *err, const char *name, const char *v,
			  const char *allowed)
{
	return ps_errf(err, PS_EINPUT,
		       "DSP48E2: %s = \"%s\": outside the modelled subset (%s)",
		       name, v, allowed);
}

static enum ps_status badi(struct ps_err *err, const char *name, int v,
			   const char *allowed)
{
	return ps_errf(err, PS_EINPUT,
		       "DSP48E2: %s = %d: outside the modelled subset (%s)",
		       name, v, allowed);
}

enum ps_status pe_dsp48e2_init(struct pe_dsp48e2 *s,
			       const struct pe_dsp48e2_params *prm,
			       struct ps_err *err)
{
	const struct {
		const char *name;
		int v;
	} bits[] = {
		{ "CREG", prm->CREG }, { "DREG", prm->DREG },
		{ "ADREG", prm->ADREG }, { "MREG", prm->MREG },
		{ "PREG", prm->PREG }, { "INMODEREG", prm->INMODEREG },
		{ "OPMODEREG", prm->OPMODEREG }, { "ALUMODEREG", prm->ALUMODEREG },
		{ "CARRYINREG", prm->CARRYINREG },
		{ "CARRYINSELREG", prm->CARRYINSELREG },
	};
	/* string attributes: the values modelled, the default (NULL) first */
	const struct {
		const char *name, *v, *ok[3], *allowed;
	} strs[] = {
		{ "AMULTSEL", prm->AMULTSEL, { "A", "AD" }, "\"A\" or \"AD\"" },
		{ "BMULTSEL", prm->BMULTSEL, { "B" }, "\"B\"" },
		{ "PREADDINSEL", prm->PREADDINSEL, { "A" }, "\"A\"" },
		{ "A_INPUT", prm->A_INPUT, { "DIRECT" }, "\"DIRECT\"; no ACIN cascade" },
		{ "B_INPUT", prm->B_INPUT, { "DIRECT" }, "\"DIRECT\"; no BCIN cascade" },
		{ "USE_MULT", prm->USE_MULT, { "MULTIPLY", "DYNAMIC", "NONE" },
		  "\"MULTIPLY\", \"DYNAMIC\" or \"NONE\"" },
		{ "USE_SIMD", prm->USE_SIMD, { "ONE48" }, "\"ONE48\"" },
		{ "USE_PATTERN_DETECT", prm->USE_PATTERN_DETECT, { "NO_PATDET" },
		  "\"NO_PATDET\"" },
		{ "AUTORESET_PATDET", prm->AUTORESET_PATDET, { "NO_RESET" },
		  "\"NO_RESET\"" },
		{ "USE_WIDEXOR", prm->USE_WIDEXOR, { "FALSE" }, "\"FALSE\"" },
	};
	bool pre;

	memset(s, 0, sizeof *s);
	if (prm->AREG < 0 || prm->AREG > 2)
		return badi(err, "AREG", prm->AREG, "0, 1 or 2");
	if (prm->BREG < 0 || prm->BREG > 2)
		return badi(err, "BREG", prm->BREG, "0, 1 or 2");
	/* UG579: ACASCREG = AREG, or AREG - 1 when AREG = 2 (same for B) */
	if (!(prm->ACASCREG == prm->AREG || (prm->AREG == 2 && prm->ACASCREG == 1)))
		return badi(err, "ACASCREG", prm->ACASCREG, "AREG, or 1 with AREG = 2");
	if (!(prm->BCASCREG == prm->BREG || (prm->BREG == 2 && prm->BCASCREG == 1)))
		return badi(err, "BCASCREG", prm->BCASCREG, "BREG, or 1 with BREG = 2");
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if (bits[i].v != 0 && bits[i].v != 1)
			return badi(err, bits[i].name, bits[i].v, "0 or 1");
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		size_t j = 0;
		while (j < 3 && strs[i].ok[j] && !str_is(strs[i].v, strs[i].ok[0], strs[i].ok[j]))
			j++;
		if (j == 3 || !strs[i].ok[j])
			return bad(err, strs[i].name, strs[i].v, strs[i].allowed);
	}
	if (prm->IS_CLK_INVERTED)
		return badi(err, "IS_CLK_INVERTED", (int)prm->IS_CLK_INVERTED, "0");
	if (prm->IS_ALUMODE_INVERTED > 0xf || prm->IS_CARRYIN_INVERTED > 1 ||
	    prm->IS_INMODE_INVERTED > 0x1f || prm->IS_OPMODE_INVERTED > 0x1ff)
		return ps_errf(err, PS_EINPUT, "DSP48E2: IS_*_INVERTED wider than its port");
	if (prm->RND > M48)
		return ps_errf(err, PS_EINPUT, "DSP48E2: RND wider than 48 bits");

	s->amult_ad = str_is(prm->AMULTSEL, "A", "AD");
	s->mult_none = str_is(prm->USE_MULT, "MULTIPLY", "NONE");
	/* the unisim drops DREG and ADREG when the pre-adder cannot reach the
	 * multiplier (DREG_INT, ADREG_INT) */
	pre = s->amult_ad && !s->mult_none;
	s->areg = (uint8_t)prm->AREG;
	s->breg = (uint8_t)prm->BREG;
	s->creg = (uint8_t)prm->CREG;
	s->dreg = pre ? (uint8_t)prm->DREG : 0;
	s->adreg = pre ? (uint8_t)prm->ADREG : 0;
	s->mreg = (uint8_t)prm->MREG;
	s->preg = (uint8_t)prm->PREG;
	s->inmodereg = (uint8_t)prm->INMODEREG;
	s->opmodereg = (uint8_t)prm->OPMODEREG;
	s->alumodereg = (uint8_t)prm->ALUMODEREG;
	s->carryinreg = (uint8_t)prm->CARRYINREG;
	s->inv_opmode = (uint16_t)prm->IS_OPMODE_INVERTED;
	s->inv_inmode = (uint8_t)prm->IS_INMODE_INVERTED;
	s->inv_alumode = (uint8_t)prm->IS_ALUMODE_INVERTED;
	s->inv_carryin = (uint8_t)prm->IS_CARRYIN_INVERTED;
	s->rnd = prm->RND;
	return PS_OK;
}

void pe_dsp48e2_reset(struct pe_dsp48e2 *s)
{
	s->a1 = s->a2 = s->b1 = s->b2 = s->d = s->ad = 0;
	s->c = s->u = s->v = s->p = 0;
	s->opmode = 0;
	s->inmode = s->alumode = s->carryin = 0;
}

/* The 48-bit ALU of the unisim for USE_SIMD = ONE48: carry-save of X, Y and
 * Z (Z inverted by ALUMODE[0]), a full adder with W, a final add with the
 * carry-in, the result inverted by ALUMODE[1]. ALUMODE[2] drops the carries
 * and ALUMODE[3] takes the carry word as the sum: the logic modes. */
static uint64_t alu(uint64_t w, uint64_t x, uint64_t y, uint64_t z,
		    unsigned alumode, uint64_t cin)
{
	uint64_t zi = alumode & 1 ? ~z & M48 : z;
	uint64_t s = zi ^ x ^ y, co = (x & y) | (zi & y) | (x & zi);
	uint64_t comux = alumode & 4 ? 0 : co;
	uint64_t smux = alumode & 8 ? co : s;
	uint64_t sh = (comux << 1) & M48;
	uint64_t smux_w = smux ^ sh ^ w;
	uint64_t comux_w = (smux & sh) | (w & sh) | (smux & w);
	uint64_t r;
	if (alumode & 12)
		cin = 0;
	r = (smux_w + ((comux_w << 1) | cin)) & M48;
	return alumode & 2 ? ~r & M48 : r;
}

/* Combinational values for the current registers and inputs. */
struct comb {
	uint32_t ad_in;
	uint64_t u_in, v_in, alu_out;
};

static void eval(const struct pe_dsp48e2 *s, const uint64_t *in, struct comb *c)
{
	unsigned inm = s->inmodereg ? s->inmode : ((unsigned)in[PE_DSP_INMODE] ^ s->inv_inmode) & 0x1f;
	unsigned opm = s->opmodereg ? s->opmode : ((unsigned)in[PE_DSP_OPMODE] ^ s->inv_opmode) & 0x1ff;
	unsigned alm = s->alumodereg ? s->alumode : ((unsigned)in[PE_DSP_ALUMODE] ^ s->inv_alumode) & 0xf;
	uint64_t cin = s->carryinreg ? s->carryin : (in[PE_DSP_CARRYIN] ^ s->inv_carryin) & 1;
	uint32_t a_in = (uint32_t)in[PE_DSP_A] & M30, b_in = (uint32_t)in[PE_DSP_B] & M18;
	uint32_t a_alu = s->areg ? s->a2 : a_in;
	uint32_t b2data = s->breg ? s->b2 : b_in;
	uint32_t a2a1 = (inm & 2) ? 0 : ((inm & 1) ? s->a1 : a_alu) & M27;
	uint32_t b2b1 = (inm & 16) ? s->b1 : b2data;
	uint32_t dd = s->dreg ? s->d : (uint32_t)in[PE_DSP_D] & M27;
	uint32_t dmux = (inm & 4) ? dd : 0;
	uint32_t ad_data, am;
	uint64_t mult, x, y, z, w, udat, vdat, pf = s->p;
	uint64_t cdat = s->creg ? s->c : in[PE_DSP_C] & M48;
	uint64_t pcin = in[PE_DSP_PCIN] & M48;

	c->ad_in = ((inm & 8) ? dmux - a2a1 : dmux + a2a1) & M27;
	ad_data = s->adreg ? s->ad : c->ad_in;
	am = s->amult_ad ? ad_data : a2a1;
	mult = s->mult_none ? 0 : (uint64_t)(sx(am, 27) * sx(b2b1, 18)) & M45;
	c->u_in = (1ull << 44) | (mult & M44 & 0x55555555555ull);
	c->v_in = ((uint64_t)!(mult >> 44) << 44) | (mult & M44 & 0xaaaaaaaaaaaull);
	udat = s->mreg ? s->u : c->u_in;
	vdat = s->mreg ? s->v : c->v_in;

	switch (opm & 3) {	/* X */
	case 0: x = 0; break;	/* x_mac_cascd with MULTSIGNIN = 0 */
	case 1: x = (uint64_t)sx(udat, 45) & M48; break;
	case 2: x = pf; break;
	default: x = ((uint64_t)a_alu << 18) | b2data; break;
	}
	switch ((opm >> 2) & 3) {	/* Y */
	case 0: y = 0; break;
	case 1: y = vdat; break;
	case 2: y = M48; break;
	default: y = cdat; break;
	}
	switch ((opm >> 4) & 7) {	/* Z */
	case 0: z = 0; break;
	case 1: z = pcin; break;
	case 2: case 4: z = pf; break;
	case 3: z = cdat; break;
	case 5: z = (uint64_t)(sx(pcin, 48) >> 17) & M48; break;
	default: z = (uint64_t)(sx(pf, 48) >> 17) & M48; break;
	}
	switch (opm >> 7) {	/* W */
	case 0: w = 0; break;
	case 1: w = pf; break;
	case 2: w = s->rnd; break;
	default: w = cdat; break;
	}
	c->alu_out = alu(w, x, y, z, alm, cin);
}

/* A register's next value: synchronous reset (bit 0 of rst) over clock
 * enable (bit 0 of ce). */
static uint64_t reg(uint64_t rst, uint64_t ce, uint64_t q, uint64_t d)
{
	return rst & 1 ? 0 : ce & 1 ? d : q;
}

void pe_dsp48e2_step(struct pe_dsp48e2 *s, const uint64_t *in, uint64_t *out)
{
	struct comb c;
	uint32_t a_in = (uint32_t)in[PE_DSP_A] & M30, b_in = (uint32_t)in[PE_DSP_B] & M18;
	uint32_t a1 = s->a1, b1 = s->b1;

	eval(s, in, &c);
	/* a register absent from the configuration (xREG = 0) is held in
	 * reset; P's is bypassed below instead */
	s->a1 = (uint32_t)reg(in[PE_DSP_RSTA] | !s->areg, in[PE_DSP_CEA1], s->a1, a_in);
	s->a2 = (uint32_t)reg(in[PE_DSP_RSTA] | !s->areg, in[PE_DSP_CEA2], s->a2,
			      s->areg == 2 ? a1 : a_in);
	s->b1 = (uint32_t)reg(in[PE_DSP_RSTB] | !s->breg, in[PE_DSP_CEB1], s->b1, b_in);
	s->b2 = (uint32_t)reg(in[PE_DSP_RSTB], in[PE_DSP_CEB2], s->b2,
			      s->breg == 2 ? b1 : b_in);
	s->c = reg(in[PE_DSP_RSTC] | !s->creg, in[PE_DSP_CEC], s->c, in[PE_DSP_C] & M48);
	s->d = (uint32_t)reg(in[PE_DSP_RSTD] | !s->dreg, in[PE_DSP_CED], s->d,
			     in[PE_DSP_D] & M27);
	s->ad = (uint32_t)reg(in[PE_DSP_RSTD], in[PE_DSP_CEAD], s->ad, c.ad_in);
	s->inmode = (uint8_t)reg(in[PE_DSP_RSTINMODE] | !s->inmodereg, in[PE_DSP_CEINMODE],
				 s->inmode, (in[PE_DSP_INMODE] ^ s->inv_inmode) & 0x1f);
	s->opmode = (uint16_t)reg(in[PE_DSP_RSTCTRL], in[PE_DSP_CECTRL], s->opmode,
				  (in[PE_DSP_OPMODE] ^ s->inv_opmode) & 0x1ff);
	s->alumode = (uint8_t)reg(in[PE_DSP_RSTALUMODE], in[PE_DSP_CEALUMODE], s->alumode,
				  (in[PE_DSP_ALUMODE] ^ s->inv_alumode) & 0xf);
	s->carryin = (uint8_t)reg(in[PE_DSP_RSTALLCARRYIN], in[PE_DSP_CECARRYIN], s->carryin,
				  (in[PE_DSP_CARRYIN] ^ s->inv_carryin) & 1);
	s->u = reg(in[PE_DSP_RSTM] | !s->mreg, in[PE_DSP_CEM], s->u, c.u_in);
	s->v = reg(in[PE_DSP_RSTM] | !s->mreg, in[PE_DSP_CEM], s->v, c.v_in);
	s->p = reg(in[PE_DSP_RSTP], in[PE_DSP_CEP] & (s->preg != 0), s->p, c.alu_out);
	if (!s->preg)
		eval(s, in, &c);	/* P is combinational: this edge's inputs */
	out[PE_DSP_OUT_P] = out[PE_DSP_OUT_PCOUT] = s->preg ? s->p : c.alu_out;
}

/* ---- the "dsp48e2" bit-true model ---- */

static const struct pe_port dsp_ports[] = {
#define X(n, w) { #n, w },
	PE_DSP48E2_INPUTS(X)
	PE_DSP48E2_OUTPUTS(X)
#undef X
};

static enum ps_status bt_init(void *state, const struct pe_params *p,
			      struct ps_err *err)
{
	struct pe_dsp48e2_params prm;
	(void)p;
	pe_dsp48e2_params_packed(&prm);
	return pe_dsp48e2_init(state, &prm, err);
}

static void bt_reset(void *state)
{
	pe_dsp48e2_reset(state);
}

static void bt_step(void *state, const uint64_t *in, uint64_t *out)
{
	pe_dsp48e2_step(state, in, out);
}

const struct pe_bt_ops pe_dsp48e2_bt = {
	.name = "dsp48e2",
	.rtl_top = "DSP48E2",
	.ports = dsp_ports,
	.n_in = PE_DSP_N_IN,
	.n_out = PE_DSP_N_OUT,
	.state_size = sizeof(struct pe_dsp48e2),
	.init = bt_init,
	.reset = bt_reset,
	.step = bt_step,
};

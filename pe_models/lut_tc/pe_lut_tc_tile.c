/* pe_lut_tc_tile.c - the LUT-TC M2N64K4 tile, bit-true (RTL module
 * lut_tc_tile): per cycle one bit plane of one K = 4 chunk; each of the
 * N = 64 weight columns' 4 bits select an entry of each of the M = 2 tables
 * (bit 3 the sign, bits 2..0 the index); the bit position b is added to the
 * entry's exponent; M*N = 128 FP16 accumulators (lut_tensor_core.md, "Tile").
 *
 * Pipeline (README "Pipeline"), one stage per rising edge:
 *   S1  select: sel = +-T[idx] (sign flip by bit 3), then x 2^b: FP16
 *       tables by the exponent add (pe_f16_ldexp: value-exact unless it
 *       overflows to inf), INT8 tables by a shift of the signed code.
 *   S2  FP16: the broadcast/MUX output register. INT8: the chunk's integer
 *       sum over its W planes (exact: |sum| <= 127 (2^W - 1)).
 *   S3  accumulate: acc = (clr ? +0 : acc) + v, one FP16 add (RNE), with
 *       v = the S2 value (FP16 tables, every plane) or RNE(isum x scale)
 *       (INT8 tables, once per chunk, at its last plane). The plane marked
 *       `last` also copies its results into the shadow bank and raises
 *       seg_done after that edge.
 * The read port is registered: rd_data after an edge holds the shadow bank
 * word rd_addr as it was before the edge (accumulators 4 rd_addr .. +3,
 * index m*64 + n, the lowest at bits 15..0). */
#include <string.h>

#include "fmt.h"
#include "pe_fp16.h"
#include "pe_lut_tc.h"

#define M PE_LUT_TC_M
#define N PE_LUT_TC_N
#define NA PE_LUT_TC_ACCS

struct lut_tc_tile {
	unsigned faults;
	/* S1 -> S2 */
	bool v1, clr1, clast1, last1, int81;
	uint16_t sc1[M];
	uint16_t p1[NA];	/* FP16 tables: +-T[idx] x 2^b */
	int32_t q1[NA];		/* INT8 tables: +-q[idx] x 2^b */
	/* S2 -> S3 */
	bool rdy2, clr2, last2, int82;
	bool open2, iclr2, ilast2;	/* INT8: a chunk is being summed */
	uint16_t sc2[M];
	uint16_t p2[NA];
	int32_t isum2[NA];
	/* S3: accumulators, shadow bank, outputs */
	uint16_t acc[NA], shadow[NA];
	uint64_t rd_data;
	bool seg_done;
	struct pe_lut_tc_actions act;
};

static const struct pe_port tile_ports[PE_LUT_TC_TILE_NPORTS] = {
	{ "in_valid", 1 }, { "in_clr", 1 }, { "in_clast", 1 }, { "in_last", 1 },
	{ "in_int8", 1 }, { "in_bitpos", 3 },
	{ "tbl_0", 64 }, { "tbl_1", 64 }, { "tbl_2", 64 }, { "tbl_3", 64 },
	{ "tscale", 32 },
	{ "w_0", 64 }, { "w_1", 64 }, { "w_2", 64 }, { "w_3", 64 },
	{ "rd_addr", 5 },
	{ "rd_data", 64 }, { "seg_done", 1 },
};

static void tile_reset(void *state)
{
	struct lut_tc_tile *s = state;
	unsigned f = s->faults;
	memset(s, 0, sizeof *s);
	s->faults = f;
}

static enum ps_status tile_init(void *state, const struct pe_params *p,
				struct ps_err *err)
{
	memset(state, 0, sizeof(struct lut_tc_tile));
	if (p && p->lanes && p->lanes != PE_LUT_TC_K)
		return ps_errf(err, PS_EINPUT,
			       "lut_tc_tile: built as M2N64K4, not lanes = %u", p->lanes);
	return PS_OK;
}

void pe_lut_tc_tile_set_faults(void *state, unsigned faults)
{
	((struct lut_tc_tile *)state)->faults = faults;
}

const struct pe_lut_tc_actions *pe_lut_tc_tile_actions(const void *state)
{
	return &((const struct lut_tc_tile *)state)->act;
}

/* S1 for one table: the 16 values a nibble can select (T-MAC's shuffle
 * table), then one lookup per column. The weight words carry 16 nibbles
 * each; column n is nibble n % 16 of w_{n/16}. */
static void select_fp16(struct lut_tc_tile *s, int m, const uint64_t *in,
			int b)
{
	uint16_t t[PE_LUT_TC_ENTRIES], sel[16];
	for (int j = 0; j < PE_LUT_TC_ENTRIES; j++) {
		int e = 8 * m + j;
		t[j] = (uint16_t)(in[PE_LUT_TC_TBL_0 + e / 4] >> (16 * (e % 4)));
	}
	for (int nib = 0; nib < 16; nib++) {
		uint16_t e = t[nib & 7];
		if (!(nib & 8) && !(s->faults & PE_LUT_TC_FAULT_SIGN))
			e = pe_f16_neg(e);
		sel[nib] = pe_f16_ldexp(e, b);
	}
	for (int c = 0; c < N / 16; c++) {
		uint64_t w = in[PE_LUT_TC_W_0 + c];
		uint16_t *p = s->p1 + m * N + 16 * c;
		for (int i = 0; i < 16; i++, w >>= 4)
			p[i] = sel[w & 15];
	}
}

static void select_int8(struct lut_tc_tile *s, int m, const uint64_t *in,
			int b)
{
	int32_t sel[16];
	uint64_t tb = in[PE_LUT_TC_TBL_0 + m];
	for (int nib = 0; nib < 16; nib++) {
		int32_t q = (int8_t)(uint8_t)(tb >> (8 * (nib & 7)));
		if (!(nib & 8) && !(s->faults & PE_LUT_TC_FAULT_SIGN))
			q = -q;
		sel[nib] = q * (1 << b);
	}
	for (int c = 0; c < N / 16; c++) {
		uint64_t w = in[PE_LUT_TC_W_0 + c];
		int32_t *q = s->q1 + m * N + 16 * c;
		for (int i = 0; i < 16; i++, w >>= 4)
			q[i] = sel[w & 15];
	}
	s->sc1[m] = (uint16_t)(in[PE_LUT_TC_TSCALE] >> (16 * m));
}

/* RNE(isum x scale): the product is exact in double (16 x 11 bits). */
static uint16_t dequant(int32_t isum, uint16_t scale)
{
	if ((scale & 0x7c00) == 0x7c00 && (scale & 0x3ff))
		return 0x7e00;
	return pe_f16_from_f64((double)isum * pe_f16_to_f64(scale));
}

static void stage3(struct lut_tc_tile *s)
{
	s->seg_done = false;
	if (!s->rdy2)
		return;
	/* the 128 accumulators add as one row (pe_f16_add_n); a cleared
	 * one adds to +0 (so -0 + +0 stays +0, as the RTL's adder) */
	if (s->clr2)
		memset(s->acc, 0, sizeof s->acc);
	if (s->int82) {
		uint16_t v[NA];
		for (int i = 0; i < NA; i++)
			v[i] = dequant(s->isum2[i], s->sc2[i / N]);
		pe_f16_add_n(s->acc, s->acc, v, NA);
	} else {
		pe_f16_add_n(s->acc, s->acc, s->p2, NA);
	}
	s->act.acc_adds += NA;
	if (s->int82)
		s->act.dq_muls += NA;
	if (s->last2) {
		memcpy(s->shadow, s->acc, sizeof s->acc);
		s->seg_done = true;
		s->act.shadow_loads++;
	}
}

static void stage2(struct lut_tc_tile *s)
{
	s->rdy2 = false;
	if (!s->v1)
		return;
	if (!s->int81) {
		memcpy(s->p2, s->p1, sizeof s->p1);
		s->rdy2 = true;
		s->clr2 = s->clr1;
		s->last2 = s->last1;
		s->int82 = false;
		s->open2 = false;
		return;
	}
	/* INT8: a plane after a chunk's last (or after reset) opens a chunk */
	if (!s->open2) {
		memcpy(s->isum2, s->q1, sizeof s->q1);
		s->iclr2 = s->ilast2 = false;
	} else {
		for (int i = 0; i < NA; i++)
			s->isum2[i] += s->q1[i];
	}
	s->iclr2 |= s->clr1;
	s->ilast2 |= s->last1;
	s->open2 = !s->clast1;
	s->rdy2 = s->clast1;
	s->clr2 = s->iclr2;
	s->last2 = s->ilast2;
	s->int82 = true;
	memcpy(s->sc2, s->sc1, sizeof s->sc1);
	s->act.int_adds += NA;
}

static void tile_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct lut_tc_tile *s = state;
	unsigned r = (unsigned)(in[PE_LUT_TC_RD_ADDR] & 31);
	uint64_t rd = 0;

	for (int j = 0; j < 4; j++)	/* pre-edge shadow bank */
		rd |= (uint64_t)s->shadow[4 * r + j] << (16 * j);
	s->rd_data = rd;
	stage3(s);
	stage2(s);
	/* S1 */
	s->v1 = in[PE_LUT_TC_IN_VALID] & 1;
	if (s->v1) {
		int b = (int)(in[PE_LUT_TC_IN_BITPOS] & 7);
		if (s->faults & PE_LUT_TC_FAULT_EXP)
			b = 0;
		s->clr1 = in[PE_LUT_TC_IN_CLR] & 1;
		s->clast1 = in[PE_LUT_TC_IN_CLAST] & 1;
		s->last1 = in[PE_LUT_TC_IN_LAST] & 1;
		s->int81 = in[PE_LUT_TC_IN_INT8] & 1;
		for (int m = 0; m < M; m++) {
			if (s->int81)
				select_int8(s, m, in, b);
			else
				select_fp16(s, m, in, b);
		}
		s->act.planes++;
		s->act.lookups += NA;
	}
	out[0] = s->rd_data;
	out[1] = s->seg_done;
}

const struct pe_bt_ops pe_lut_tc_tile_bt = {
	.name = "lut_tc_tile",
	.rtl_top = "lut_tc_tile",
	.ports = tile_ports,
	.n_in = PE_LUT_TC_TILE_NIN,
	.n_out = PE_LUT_TC_TILE_NPORTS - PE_LUT_TC_TILE_NIN,
	.state_size = sizeof(struct lut_tc_tile),
	.init = tile_init,
	.reset = tile_reset,
	.step = tile_step,
};

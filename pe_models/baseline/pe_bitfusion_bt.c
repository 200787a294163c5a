/* pe_bitfusion_bt.c - bit-true BitFusion-style fusible 8/4-bit MAC
 * (Sharma et al., ISCA 2018; the "8/4" PE of MixPE's and ANT's
 * evaluations, mixpe.md; timing in pe_bitfusion.c).
 *
 * The multiplier is BitFusion's Fusion Unit: 16 BitBricks, each a 2-bit x
 * 2-bit multiplier whose operands carry a sign flag (a 3-bit signed x 3-bit
 * signed product). A signed b-bit operand is split into b/2 two-bit digits,
 * the top one signed, the others unsigned:
 *   x = x_top * 4^(b/2-1) + ... + x_1 * 4 + x_0,
 * and a product is the sum of its digit products shifted by 2(i+j). Per
 * operand the width is 8 or 4 (mode port = 1: 4-bit); products per beat
 *   P = (8 / a_bits) * (8 / w_bits) = pf_a * pf_w   (mixpe.md, pmin = 4)
 * each using 16 / P BitBricks, so all 16 work in every mode. BitFusion's
 * 2-bit mode (16 products) is not built: the 8/4 PE the papers evaluate
 * runs 2-bit operands as 4-bit (pmin = 4), and so does pe_bitfusion.c.
 * The P products of a beat are K-neighbours: an adder tree sums them into
 * one accumulator (pe_bitfusion.c's "extra products are extra lanes").
 *
 * Buses: lane j's activation is a[a_bits*j +: a_bits], its weight
 * w[w_bits*j +: w_bits]; bus bits beyond P lanes are ignored. Signed
 * operands only. Accumulator: 32-bit, wrapping (as int8_mac). Modes are
 * sampled with each beat and may change between beats.
 *
 * Pipeline as the other baselines: stage 1 = BitBricks, shift-add and the
 * lane adder tree, registered; stage 2 = accumulate. */
#include "pe_baseline.h"

#include <string.h>

enum {
	IN_VALID, IN_LAST, IN_A_MODE, IN_W_MODE, IN_A, IN_W,
	OUT_VALID, OUT_ACC
};

static const struct pe_port ports[] = {
	[IN_VALID] = { "in_valid", 1 },
	[IN_LAST] = { "in_last", 1 },
	[IN_A_MODE] = { "a_mode", 1 },
	[IN_W_MODE] = { "w_mode", 1 },
	[IN_A] = { "a", 16 },
	[IN_W] = { "w", 16 },
	[OUT_VALID] = { "out_valid", 1 },
	[OUT_ACC] = { "out_acc", 32 },
};

struct pe_bitfusion_mac_state {
	struct pe_bl_actions act;	/* first: pe_bl_actions() */
	bool s1_valid, s1_last;
	uint32_t s1_sum;		/* the beat's product sum */
	uint32_t acc;
	bool out_valid;
	uint32_t out_acc;
};

/* One BitBrick: 2-bit digits, each signed (-2..1) or unsigned (0..3). */
static int32_t bf_brick(unsigned x, bool sx, unsigned y, bool sy)
{
	int32_t xv = (int32_t)x - (sx && (x & 2) ? 4 : 0);
	int32_t yv = (int32_t)y - (sy && (y & 2) ? 4 : 0);
	return xv * yv;
}

/* A fused product of a signed ab-bit x and a signed wb-bit y (raw bits). */
static int32_t bf_fused_mul(unsigned x, unsigned ab, unsigned y, unsigned wb)
{
	int32_t p = 0;
	for (unsigned i = 0; i < ab / 2; i++)
		for (unsigned j = 0; j < wb / 2; j++)
			p += bf_brick((x >> (2 * i)) & 3, i == ab / 2 - 1,
				      (y >> (2 * j)) & 3, j == wb / 2 - 1) *
			     (int32_t)(1u << (2 * (i + j)));
	return p;
}

static void bf_reset(void *state)
{
	memset(state, 0, sizeof(struct pe_bitfusion_mac_state));
}

static enum ps_status bf_init(void *state, const struct pe_params *p,
			      struct ps_err *err)
{
	bf_reset(state);
	return pe_bl_check_params("bitfusion_mac", 1, p, err);
}

static void bf_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_bitfusion_mac_state *s = state;

	s->out_valid = false;
	if (s->s1_valid) {
		uint32_t sum = s->acc + s->s1_sum;	/* mod 2^32 */
		s->act.acc_writes++;
		if (s->s1_last) {
			s->out_acc = sum;
			s->out_valid = true;
			s->acc = 0;
			s->act.results++;
		} else {
			s->acc = sum;
		}
	}
	s->s1_valid = in[IN_VALID] & 1;
	if (s->s1_valid) {
		unsigned am = in[IN_A_MODE] & 1, wm = in[IN_W_MODE] & 1;
		unsigned ab = am ? 4 : 8, wb = wm ? 4 : 8;
		unsigned lanes = (8 / ab) * (8 / wb);
		unsigned amask = (1u << ab) - 1, wmask = (1u << wb) - 1;
		int32_t sum = 0;
		for (unsigned j = 0; j < lanes; j++)
			sum += bf_fused_mul((unsigned)(in[IN_A] >> (ab * j)) & amask,
					    ab,
					    (unsigned)(in[IN_W] >> (wb * j)) & wmask,
					    wb);
		s->s1_last = in[IN_LAST] & 1;
		s->s1_sum = (uint32_t)sum;
		s->act.beats++;
		s->act.macs += lanes;
		s->act.mode_beats[am | wm << 1]++;
	}
	s->act.cycles++;
	out[0] = s->out_valid;
	out[1] = s->out_acc;
}

const struct pe_bt_ops pe_bitfusion_mac_bt = {
	.name = "bitfusion_mac",
	.rtl_top = "pe_bitfusion_mac",
	.ports = ports,
	.n_in = 6,
	.n_out = 2,
	.state_size = sizeof(struct pe_bitfusion_mac_state),
	.init = bf_init,
	.reset = bf_reset,
	.step = bf_step,
};

/* Products per beat along one operand: 2 for <= 4 bits, else 1. */
static unsigned bf_pf(unsigned bits)
{
	return bits <= 4 ? 2 : 1;
}

uint64_t pe_bitfusion_mac_cycles(uint64_t m, uint64_t n, uint64_t k,
				 unsigned a_bits, unsigned w_bits)
{
	uint64_t lanes = bf_pf(a_bits) * bf_pf(w_bits);
	return pe_bl_stream_cycles(m * n, (k + lanes - 1) / lanes);
}

int32_t pe_bitfusion_mac_run_dot(const int8_t *a, const int8_t *w, size_t k,
				 unsigned a_bits, unsigned w_bits,
				 uint64_t *cycles, struct pe_bl_actions *act)
{
	struct pe_bitfusion_mac_state s;
	unsigned ab = a_bits <= 4 ? 4 : 8, wb = w_bits <= 4 ? 4 : 8;
	unsigned lanes = (8 / ab) * (8 / wb);
	uint64_t in[6] = { 1, 0, ab == 4, wb == 4, 0, 0 }, out[2] = { 0, 0 };
	uint64_t n = 0;
	uint32_t r;

	bf_reset(&s);
	for (size_t i = 0; i < k; i += lanes, n++) {
		in[IN_A] = in[IN_W] = 0;	/* pad lanes past k with 0 */
		for (unsigned j = 0; j < lanes && i + j < k; j++) {
			in[IN_A] |= (uint64_t)((uint8_t)a[i + j] & ((1u << ab) - 1))
				    << (ab * j);
			in[IN_W] |= (uint64_t)((uint8_t)w[i + j] & ((1u << wb) - 1))
				    << (wb * j);
		}
		in[IN_LAST] = i + lanes >= k;
		bf_step(&s, in, out);
	}
	memset(in, 0, sizeof in);
	while (k && !out[0] && n < k + 16) {
		bf_step(&s, in, out);
		n++;
	}
	if (cycles)
		*cycles = n;
	if (act)
		pe_bl_actions(&s, act);
	r = (uint32_t)out[1];
	return r & 0x80000000u ? (int32_t)(r & 0x7fffffffu) + INT32_MIN
			       : (int32_t)r;
}

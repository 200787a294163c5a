/* pe_int8_mac_bt.c - bit-true INT8 MAC (the INT8 baseline of MixPE):
 * signed 8 x 8 -> 16-bit product, 32-bit two's complement accumulator that
 * wraps (no saturation). A 32-bit accumulator holds any dot product of up
 * to 2^17 INT8 products exactly (|a w| <= 2^14, the bound reached only by
 * -128 x -128); a longer one wraps modulo 2^32, as an RTL adder does.
 *
 * Pipeline as the FP16 MAC (README.md): stage 1 multiplies, stage 2
 * accumulates and registers out_acc on the last beat. */
#include "pe_baseline.h"

#include <string.h>

enum { IN_VALID, IN_LAST, IN_A, IN_W, OUT_VALID, OUT_ACC };

static const struct pe_port ports[] = {
	[IN_VALID] = { "in_valid", 1 },
	[IN_LAST] = { "in_last", 1 },
	[IN_A] = { "a", 8 },
	[IN_W] = { "w", 8 },
	[OUT_VALID] = { "out_valid", 1 },
	[OUT_ACC] = { "out_acc", 32 },
};

struct pe_int8_mac_state {
	struct pe_bl_actions act;	/* first: pe_bl_actions() */
	bool s1_valid, s1_last;
	uint32_t s1_prod;		/* 16-bit product, sign-extended */
	uint32_t acc;			/* two's complement, wraps */
	bool out_valid;
	uint32_t out_acc;
};

static int32_t sext8(uint64_t x)
{
	return (int32_t)(x & 0xff) - (int32_t)((x & 0x80) << 1);
}

static void int8_reset(void *state)
{
	memset(state, 0, sizeof(struct pe_int8_mac_state));
}

static enum ps_status int8_init(void *state, const struct pe_params *p,
				struct ps_err *err)
{
	int8_reset(state);
	return pe_bl_check_params("int8_mac", 1, p, err);
}

static void int8_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_int8_mac_state *s = state;

	s->out_valid = false;
	if (s->s1_valid) {
		uint32_t sum = s->acc + s->s1_prod;	/* mod 2^32 */
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
		s->s1_last = in[IN_LAST] & 1;
		s->s1_prod = (uint32_t)(sext8(in[IN_A]) * sext8(in[IN_W]));
		s->act.beats++;
		s->act.macs++;
	}
	s->act.cycles++;
	out[0] = s->out_valid;
	out[1] = s->out_acc;
}

const struct pe_bt_ops pe_int8_mac_bt = {
	.name = "int8_mac",
	.rtl_top = "pe_int8_mac",
	.ports = ports,
	.n_in = 4,
	.n_out = 2,
	.state_size = sizeof(struct pe_int8_mac_state),
	.init = int8_init,
	.reset = int8_reset,
	.step = int8_step,
};

uint64_t pe_int8_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, k);
}

int32_t pe_int8_mac_run_dot(const int8_t *a, const int8_t *w, size_t k,
			    uint64_t *cycles, struct pe_bl_actions *act)
{
	struct pe_int8_mac_state s;
	uint64_t in[4] = { 1, 0, 0, 0 }, out[2] = { 0, 0 }, n = 0;
	uint32_t r;

	int8_reset(&s);
	for (size_t i = 0; i < k; i++, n++) {
		in[IN_LAST] = i + 1 == k;
		in[IN_A] = (uint8_t)a[i];
		in[IN_W] = (uint8_t)w[i];
		int8_step(&s, in, out);
	}
	memset(in, 0, sizeof in);
	while (k && !out[0] && n < k + 16) {
		int8_step(&s, in, out);
		n++;
	}
	if (cycles)
		*cycles = n;
	if (act)
		pe_bl_actions(&s, act);
	r = (uint32_t)out[1];
	/* two's complement without implementation-defined conversion */
	return r & 0x80000000u ? (int32_t)(r & 0x7fffffffu) + INT32_MIN
			       : (int32_t)r;
}

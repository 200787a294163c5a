/* pe_fp16_mac_bt.c - bit-true FP16 MAC (the FP16 baseline of BitMoD and
 * MixPE): acc = fp16_add(acc, fp16_mul(a, w)), IEEE binary16, each
 * operation rounded once to nearest even with subnormals (pe_fp16.h). It is
 * a non-fused MAC: the product is rounded to FP16 before the add, so a dot
 * product sees two roundings per element. bitmod.md gives only the area and
 * power of its "FP16 MAC", not whether it fuses; pesim's issue specifies
 * this non-fused form, and the tests show a vector where a fused MAC
 * differs.
 *
 * Pipeline (README.md): stage 1 multiplies and registers the rounded
 * product; stage 2 adds it into the accumulator (the adder is the one-cycle
 * feedback loop) and registers out_acc on the last beat. */
#include "pe_baseline.h"

#include <string.h>

#include "pe_fp16.h"

enum { IN_VALID, IN_LAST, IN_A, IN_W, OUT_VALID, OUT_ACC };

static const struct pe_port ports[] = {
	[IN_VALID] = { "in_valid", 1 },
	[IN_LAST] = { "in_last", 1 },
	[IN_A] = { "a", 16 },
	[IN_W] = { "w", 16 },
	[OUT_VALID] = { "out_valid", 1 },
	[OUT_ACC] = { "out_acc", 16 },
};

struct pe_fp16_mac_state {
	struct pe_bl_actions act;	/* first: pe_bl_actions() */
	bool s1_valid, s1_last;		/* stage 1 -> 2 register */
	uint16_t s1_prod;
	uint16_t acc;			/* stage 2 */
	bool out_valid;
	uint16_t out_acc;
};

static void fp16_reset(void *state)
{
	memset(state, 0, sizeof(struct pe_fp16_mac_state));
}

static enum ps_status fp16_init(void *state, const struct pe_params *p,
				struct ps_err *err)
{
	fp16_reset(state);
	return pe_bl_check_params("fp16_mac", 1, p, err);
}

static void fp16_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_fp16_mac_state *s = state;

	/* Stage 2 reads the stage-1 register as it was before this edge. */
	s->out_valid = false;
	if (s->s1_valid) {
		uint16_t sum = pe_f16_add(s->acc, s->s1_prod);
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
		s->s1_prod = pe_f16_mul((uint16_t)in[IN_A], (uint16_t)in[IN_W]);
		s->act.beats++;
		s->act.macs++;
	}
	s->act.cycles++;
	out[0] = s->out_valid;
	out[1] = s->out_acc;
}

const struct pe_bt_ops pe_fp16_mac_bt = {
	.name = "fp16_mac",
	.rtl_top = "pe_fp16_mac",
	.ports = ports,
	.n_in = 4,
	.n_out = 2,
	.state_size = sizeof(struct pe_fp16_mac_state),
	.init = fp16_init,
	.reset = fp16_reset,
	.step = fp16_step,
};

uint64_t pe_fp16_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, k);
}

uint16_t pe_fp16_mac_run_dot(const uint16_t *a, const uint16_t *w, size_t k,
			     uint64_t *cycles, struct pe_bl_actions *act)
{
	struct pe_fp16_mac_state s;
	uint64_t in[4] = { 1, 0, 0, 0 }, out[2] = { 0, 0 }, n = 0;

	fp16_reset(&s);
	for (size_t i = 0; i < k; i++, n++) {
		in[IN_LAST] = i + 1 == k;
		in[IN_A] = a[i];
		in[IN_W] = w[i];
		fp16_step(&s, in, out);
	}
	memset(in, 0, sizeof in);
	while (k && !out[0] && n < k + 16) {
		fp16_step(&s, in, out);
		n++;
	}
	if (cycles)
		*cycles = n;
	if (act)
		pe_bl_actions(&s, act);
	return (uint16_t)out[1];
}

/* pe_ant_bt.c - bit-true ANT PE as BitMoD evaluates it (bitmod.md, "ANT"
 * and "Synthesis figures"): a 4-bit weight code, int4 or flint4 by the
 * w_fmt port, is decoded to an INT8 value on the format's integer grid
 * (flint4 x4: +-{0,1,2,3,4,6,8,16}; int4: +-{0..7}) and fed with an FP16
 * activation to an FP16 x INT8 fused multiply-add:
 *   acc = RNE(acc + a * q)      one rounding per element.
 * The per-channel scale is applied outside the PE. ANT's own PE (an INT
 * fusible MAC with INT activations, MICRO 2022) is the BitFusion model
 * (pe_bitfusion_bt.c) fed with decoded codes; this one mirrors pe_mac.c's
 * ANT timing, which reproduces BitMoD's comparison.
 *
 * Decode: from fmt_decode of each code (formats/fmt.def), built into a
 * 16-entry table per format at init, as the RTL's decoder ROM would be.
 * Int4's reserved code 1000 (never produced by the encoder) decodes to its
 * two's complement value -8 and is counted in act.reserved; flint4's 1000
 * is the -0 alias and decodes to 0.
 *
 * Pipeline: stage 1 decodes and registers (a, q); stage 2 is the FMA into
 * the accumulator, out_acc registered on the last beat. */
#include "pe_baseline.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "fmt.h"

enum {
	IN_VALID, IN_LAST, IN_W_FMT, IN_A, IN_W, OUT_VALID, OUT_ACC
};

static const struct pe_port ports[] = {
	[IN_VALID] = { "in_valid", 1 },
	[IN_LAST] = { "in_last", 1 },
	[IN_W_FMT] = { "w_fmt", 1 },
	[IN_A] = { "a", 16 },
	[IN_W] = { "w", 4 },
	[OUT_VALID] = { "out_valid", 1 },
	[OUT_ACC] = { "out_acc", 16 },
};

struct pe_ant_mac_state {
	struct pe_bl_actions act;	/* first: pe_bl_actions() */
	bool s1_valid, s1_last;
	uint16_t s1_a;
	int8_t s1_q;
	uint16_t acc;
	bool out_valid;
	uint16_t out_acc;
	/* decoder ROM, kept by reset */
	int8_t dec[2][16];
	bool rsv[2][16];
};

static const int ant_fmt_ids[2] = {
	[PE_ANT_INT4] = FMT_INT4, [PE_ANT_FLINT4] = FMT_FLINT4,
};

static void ant_reset(void *state)
{
	memset(state, 0, offsetof(struct pe_ant_mac_state, dec));
}

static enum ps_status ant_init(void *state, const struct pe_params *p,
			       struct ps_err *err)
{
	struct pe_ant_mac_state *s = state;

	memset(s, 0, sizeof *s);
	for (int f = 0; f < 2; f++) {
		const struct fmt_desc *d = fmt_get(ant_fmt_ids[f]);
		for (uint32_t c = 0; c < 16; c++) {
			double v = fmt_decode(d->id, c);
			s->rsv[f][c] = fmt_code_class(d->id, c) ==
				       FMT_CODE_RESERVED;
			if (isnan(v) && d->layout == FMT_L_TWOS)
				v = (double)c - 16;	/* reserved -8 */
			if (!(fabs(v) <= 127) || v != floor(v))
				return ps_errf(err, PS_EINPUT,
					       "ant_mac: %s code %u is no INT8",
					       d->name, (unsigned)c);
			s->dec[f][c] = (int8_t)v;
		}
	}
	return pe_bl_check_params("ant_mac", 1, p, err);
}

static void ant_step(void *state, const uint64_t *in, uint64_t *out)
{
	static const uint8_t e0 = 0;
	struct pe_ant_mac_state *s = state;

	s->out_valid = false;
	if (s->s1_valid) {
		uint16_t sum = pe_bl_f16_fma_int(s->acc, 1, &s->s1_a, &s->s1_q,
						 &e0);
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
		unsigned f = in[IN_W_FMT] & 1, c = in[IN_W] & 15;
		s->s1_last = in[IN_LAST] & 1;
		s->s1_a = (uint16_t)in[IN_A];
		s->s1_q = s->dec[f][c];
		s->act.reserved += s->rsv[f][c];
		s->act.beats++;
		s->act.macs++;
		s->act.decodes++;
	}
	s->act.cycles++;
	out[0] = s->out_valid;
	out[1] = s->out_acc;
}

const struct pe_bt_ops pe_ant_mac_bt = {
	.name = "ant_mac",
	.rtl_top = "pe_ant_mac",
	.ports = ports,
	.n_in = 5,
	.n_out = 2,
	.state_size = sizeof(struct pe_ant_mac_state),
	.init = ant_init,
	.reset = ant_reset,
	.step = ant_step,
};

uint64_t pe_ant_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, k);
}

uint16_t pe_ant_mac_run_dot(const uint16_t *a, const uint8_t *w, size_t k,
			    int fmt, uint64_t *cycles,
			    struct pe_bl_actions *act)
{
	struct pe_ant_mac_state s;
	uint64_t in[5] = { 1, 0, fmt == PE_ANT_FLINT4, 0, 0 };
	uint64_t out[2] = { 0, 0 }, n = 0;

	(void)ant_init(&s, NULL, NULL);	/* cannot fail: fmt.def's values */
	for (size_t i = 0; i < k; i++, n++) {
		in[IN_LAST] = i + 1 == k;
		in[IN_A] = a[i];
		in[IN_W] = w[i] & 15;
		ant_step(&s, in, out);
	}
	memset(in, 0, sizeof in);
	while (k && !out[0] && n < k + 16) {
		ant_step(&s, in, out);
		n++;
	}
	if (cycles)
		*cycles = n;
	if (act)
		pe_bl_actions(&s, act);
	return (uint16_t)out[1];
}

/* pe_olive_bt.c - bit-true OliVe PE (ISCA 2023; bitmod.md "OliVe";
 * formats/fmt_ovp.c): one 8-bit outlier-victim pair code per beat is
 * decoded into two weights, which multiply two FP16 activations in the
 * same beat (two lanes, K-neighbours: the pair's even and odd elements):
 *   acc = RNE(acc + a0 * v0 + a1 * v1)      one rounding per pair,
 * a two-lane FP16 x INT fused dot-add, BitMoD's FP16xINT8 FMA stand-in
 * widened to the pair. Per-row scales are applied outside the PE.
 *
 * Pair decoder (what the RTL builds; fmt_ovp_decode is the reference the
 * tests hold it to): c0 = w[3:0] (even), c1 = w[7:4] (odd). Neither is the
 * identifier (the normal part's unused code 1000): two normal values.
 * Exactly one is: the other code is an abfloat outlier, the identifier's
 * lane (the victim) is 0. Normal values (flint4 doubled +-{0..32} or int4
 * +-7) are INT8; an outlier (abfloat, up to +-384 for bias 5) is decoded to
 * an INT8 mantissa and a left shift of 0..2, v = m << e, the shift adding
 * to the product's exponent. Reserved pairs (both identifiers, or an
 * abfloat code whose (e,m) = (0,0) slot is unused) decode to (0, 0) and
 * count in act.reserved. Tables come from fmt_decode of the two parts at
 * init (decoder ROMs), selected by w_fmt: 0 = olive4 (flint normals,
 * abfloat bias 5), 1 = olive4i (int4 normals, abfloat bias 3).
 *
 * Pipeline: stage 1 decodes and registers (a0, a1, m0, e0, m1, e1); stage
 * 2 is the fused dot-add, out_acc registered on the last beat. */
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
	[IN_A] = { "a", 32 },		/* [15:0] even lane, [31:16] odd */
	[IN_W] = { "w", 8 },		/* pair code: [3:0] even, [7:4] odd */
	[OUT_VALID] = { "out_valid", 1 },
	[OUT_ACC] = { "out_acc", 16 },
};

/* One decoder ROM entry: v = m << e; ok = 0 for a reserved code. */
struct olive_rom {
	int8_t m;
	uint8_t e, ok;
};

struct pe_olive_mac_state {
	struct pe_bl_actions act;	/* first: pe_bl_actions() */
	bool s1_valid, s1_last;
	uint16_t s1_a[2];
	int8_t s1_m[2];
	uint8_t s1_e[2];
	uint16_t acc;
	bool out_valid;
	uint16_t out_acc;
	/* decoder ROMs, kept by reset */
	struct olive_rom nrm[2][16], otl[2][16];
	uint8_t id[2];
};

static const int olive_fmt_ids[2] = {
	[PE_OLIVE_FLINT] = FMT_OLIVE4, [PE_OLIVE_INT] = FMT_OLIVE4I,
};

static void olive_reset(void *state)
{
	memset(state, 0, offsetof(struct pe_olive_mac_state, nrm));
}

/* A ROM entry from one code of a part: the smallest shift that leaves an
 * integer mantissa within INT8. */
static bool olive_rom_entry(int part, uint32_t code, struct olive_rom *r)
{
	double v = fmt_decode(part, code);
	r->m = 0;
	r->e = 0;
	r->ok = 0;
	if (isnan(v))
		return true;		/* reserved: decodes to 0 */
	while (fabs(v) > 127 && r->e < 2 && v == 2 * floor(v / 2)) {
		v /= 2;
		r->e++;
	}
	if (fabs(v) > 127 || v != floor(v))
		return false;
	r->m = (int8_t)v;
	r->ok = 1;
	return true;
}

static enum ps_status olive_init(void *state, const struct pe_params *p,
				 struct ps_err *err)
{
	struct pe_olive_mac_state *s = state;

	memset(s, 0, sizeof *s);
	for (int f = 0; f < 2; f++) {
		const struct fmt_desc *d = fmt_get(olive_fmt_ids[f]);
		s->id[f] = (uint8_t)d->ovp_id;
		for (uint32_t c = 0; c < 16; c++)
			if (!olive_rom_entry(d->ovp_normal, c, &s->nrm[f][c]) ||
			    !olive_rom_entry(d->ovp_outlier, c, &s->otl[f][c]))
				return ps_errf(err, PS_EINPUT,
					       "olive_mac: %s code %u is no "
					       "INT8 << 0..2", d->name,
					       (unsigned)c);
	}
	return pe_bl_check_params("olive_mac", 2, p, err);
}

static void olive_decode(struct pe_olive_mac_state *s, unsigned f,
			 unsigned pair)
{
	unsigned c[2] = { pair & 15, pair >> 4 };
	bool id0 = c[0] == s->id[f], id1 = c[1] == s->id[f];
	struct olive_rom r[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	bool ok;

	if (!id0 && !id1) {
		r[0] = s->nrm[f][c[0]];
		r[1] = s->nrm[f][c[1]];
		ok = r[0].ok && r[1].ok;
	} else if (id0 != id1) {
		unsigned lane = id0 ? 1 : 0;	/* the outlier's lane */
		r[lane] = s->otl[f][c[lane]];
		ok = r[lane].ok;
		s->act.outliers += ok;
	} else {
		ok = false;
	}
	if (!ok) {
		memset(r, 0, sizeof r);
		s->act.reserved++;
	}
	for (int i = 0; i < 2; i++) {
		s->s1_m[i] = r[i].m;
		s->s1_e[i] = r[i].e;
	}
}

static void olive_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_olive_mac_state *s = state;

	s->out_valid = false;
	if (s->s1_valid) {
		uint16_t sum = pe_bl_f16_fma_int(s->acc, 2, s->s1_a, s->s1_m,
						 s->s1_e);
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
		s->s1_a[0] = (uint16_t)in[IN_A];
		s->s1_a[1] = (uint16_t)(in[IN_A] >> 16);
		olive_decode(s, in[IN_W_FMT] & 1, in[IN_W] & 0xff);
		s->act.beats++;
		s->act.macs += 2;
		s->act.decodes++;
	}
	s->act.cycles++;
	out[0] = s->out_valid;
	out[1] = s->out_acc;
}

const struct pe_bt_ops pe_olive_mac_bt = {
	.name = "olive_mac",
	.rtl_top = "pe_olive_mac",
	.ports = ports,
	.n_in = 5,
	.n_out = 2,
	.state_size = sizeof(struct pe_olive_mac_state),
	.init = olive_init,
	.reset = olive_reset,
	.step = olive_step,
};

uint64_t pe_olive_mac_cycles(uint64_t m, uint64_t n, uint64_t k)
{
	return pe_bl_stream_cycles(m * n, (k + 1) / 2);
}

uint16_t pe_olive_mac_run_dot(const uint16_t *a, const uint8_t *pairs,
			      size_t k, int fmt, uint64_t *cycles,
			      struct pe_bl_actions *act)
{
	struct pe_olive_mac_state s;
	uint64_t in[5] = { 1, 0, fmt == PE_OLIVE_INT, 0, 0 };
	uint64_t out[2] = { 0, 0 }, n = 0;

	(void)olive_init(&s, NULL, NULL);	/* cannot fail: fmt.def */
	for (size_t i = 0; i < k; i += 2, n++) {
		in[IN_LAST] = i + 2 >= k;
		in[IN_A] = a[i] | (i + 1 < k ? (uint64_t)a[i + 1] << 16 : 0);
		in[IN_W] = pairs[i / 2];
		olive_step(&s, in, out);
	}
	memset(in, 0, sizeof in);
	while (k && !out[0] && n < k + 16) {
		olive_step(&s, in, out);
		n++;
	}
	if (cycles)
		*cycles = n;
	if (act)
		pe_bl_actions(&s, act);
	return (uint16_t)out[1];
}

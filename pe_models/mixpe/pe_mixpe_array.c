/* pe_mixpe_array.c - an output-stationary array composed of mixpe_pe
 * (README.md "Array").
 *
 * PE (r,c) accumulates out[m = column c's row of A][n = row r's column of
 * B], the layout of pe_systolic.c. Weights, group scale/zero and the
 * control bits enter at the left of each row and move right one PE per
 * edge (each PE's registered *_out ports); activations enter at the top of
 * each column and move down (a_out). The only logic outside the PEs is
 * wiring: row 0's drain input is tied off, each column's sh_start is its
 * bottom PE's done (the column's last PE to finish a pass: the skew puts
 * it last), and one register per column captures the value that leaves
 * the bottom of the drain chain.
 *
 * PEs are stepped bottom-right first, so each reads its left and upper
 * neighbours' outputs of the previous edge, as registered ports are. */
#include "pe_mixpe.h"

#include <string.h>

void pe_mixpe_array_step(struct pe_mixpe_pe *pe, unsigned rows, unsigned cols,
			 const struct pe_mixpe_row_in *row,
			 const uint64_t *a_col, uint8_t *start,
			 uint8_t *out_valid, uint16_t *out)
{
	const struct pe_mixpe_pe *bot = pe + (size_t)(rows - 1) * cols;

	for (unsigned c = 0; c < cols; c++) {
		start[c] = bot[c].done;
		out_valid[c] = bot[c].res_valid && (bot[c].res_drain || start[c]);
		out[c] = out_valid[c] ? bot[c].res : 0;
	}
	for (unsigned r = rows; r-- > 0;) {
		for (unsigned c = cols; c-- > 0;) {
			struct pe_mixpe_pe *x = pe + (size_t)r * cols + c;
			struct pe_mixpe_pe_in in;
			in.row = c == 0 ? row[r] : x[-1].row_out;
			if (r == 0) {
				in.a = a_col[c];
				in.sh_valid = in.sh_drain = false;
				in.sh = 0;
			} else {
				const struct pe_mixpe_pe *u = x - cols;
				in.a = u->a_out;
				in.sh_valid = u->res_valid;
				in.sh_drain = u->res_drain;
				in.sh = u->res;
			}
			in.sh_start = start[c];
			pe_mixpe_pe_step(x, &in);
		}
	}
}

/* ---- the bt ops ("mixpe_array", 4 x 4) ---- */

#define D PE_MIXPE_ARRAY_DIM

struct pe_mixpe_array4 {
	struct pe_mixpe_pe pe[D * D];
	uint8_t start[D];
	uint8_t out_valid[D];
	uint16_t out[D];
};

enum {
	I_VALID, I_FIRST, I_GLAST, I_LAST, I_W, I_SCALE, I_ZERO, I_A0, N_IN = I_A0 + D,
};

/* Row r's bit / field in each row bus, column c's in each column bus. */
static const struct pe_port array_ports[] = {
	{ "in_valid", D }, { "in_first", D }, { "in_glast", D }, { "in_last", D },
	{ "w_in", 16 * D }, { "scale_in", 16 * D }, { "zero_in", 8 * D },
	{ "a_in_0", 64 }, { "a_in_1", 64 }, { "a_in_2", 64 }, { "a_in_3", 64 },
	{ "out_valid", D }, { "out_data", 16 * D },
};

static enum ps_status arr_init(void *state, const struct pe_params *p,
			       struct ps_err *err)
{
	struct pe_mixpe_array4 *s = state;
	struct pe_mixpe_cfg c;
	enum ps_status st = pe_mixpe_cfg_from_params(p, &c, err);
	if (st)
		return st;
	memset(s, 0, sizeof *s);
	for (unsigned i = 0; i < D * D; i++)
		pe_mixpe_pe_reset(&s->pe[i], &c);
	return PS_OK;
}

static void arr_reset(void *state)
{
	struct pe_mixpe_array4 *s = state;
	for (unsigned i = 0; i < D * D; i++)
		pe_mixpe_pe_reset(&s->pe[i], &s->pe[i].cfg);
	memset(s->start, 0, sizeof s->start);
	memset(s->out_valid, 0, sizeof s->out_valid);
	memset(s->out, 0, sizeof s->out);
}

static void arr_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct pe_mixpe_array4 *s = state;
	struct pe_mixpe_row_in row[D];
	uint64_t ov = 0, od = 0;

	for (unsigned r = 0; r < D; r++) {
		row[r].valid = (in[I_VALID] >> r) & 1;
		row[r].first = (in[I_FIRST] >> r) & 1;
		row[r].glast = (in[I_GLAST] >> r) & 1;
		row[r].last = (in[I_LAST] >> r) & 1;
		row[r].w = (uint16_t)(in[I_W] >> (16 * r));
		row[r].scale = (uint16_t)(in[I_SCALE] >> (16 * r));
		row[r].zero = (uint8_t)(in[I_ZERO] >> (8 * r));
	}
	pe_mixpe_array_step(s->pe, D, D, row, &in[I_A0], s->start,
			    s->out_valid, s->out);
	for (unsigned c = 0; c < D; c++) {
		ov |= (uint64_t)s->out_valid[c] << c;
		od |= (uint64_t)s->out[c] << (16 * c);
	}
	out[0] = ov;
	out[1] = od;
}

void pe_mixpe_actions_add(struct pe_mixpe_actions *d, const struct pe_mixpe_actions *a)
{
	d->cycles += a->cycles;
	d->beats += a->beats;
	d->products += a->products;
	d->terms += a->terms;
	d->acc_writes += a->acc_writes;
	d->dequants += a->dequants;
	d->results += a->results;
	d->shifts += a->shifts;
}

void pe_mixpe_array_actions(const void *state, struct pe_mixpe_actions *out)
{
	const struct pe_mixpe_array4 *s = state;
	memset(out, 0, sizeof *out);
	for (unsigned i = 0; i < D * D; i++)
		pe_mixpe_actions_add(out, &s->pe[i].act);
}

struct pe_mixpe_pe *pe_mixpe_array_pes(void *state)
{
	return ((struct pe_mixpe_array4 *)state)->pe;
}

const struct pe_bt_ops pe_mixpe_array_bt = {
	.name = "mixpe_array",
	.rtl_top = "mixpe_array",
	.ports = array_ports,
	.n_in = N_IN,
	.n_out = sizeof array_ports / sizeof array_ports[0] - N_IN,
	.state_size = sizeof(struct pe_mixpe_array4),
	.init = arr_init,
	.reset = arr_reset,
	.step = arr_step,
};

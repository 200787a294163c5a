/* pe_bitmod_array.c - BitMoD PEs in an output-stationary array (README
 * "Array"), any rows x cols; the registered "bitmod_array4x4" is 4x4.
 *
 * PE (r,c) accumulates out[m = c][n = r] (N on the rows, M on the columns,
 * as pe_systolic.c). Row r's weight codes enter at the left edge, where a
 * combinational decoder turns them into terms; the terms move right one PE
 * per cycle through hop registers. Column c's FP16 activations enter at
 * the top and move down one PE per cycle. The driver skews row r by r
 * cycles and column c by c, so PE (r,c) sees matching operands.
 *
 * Results leave through a shadow chain per row that shifts toward the left
 * edge: a PE drops its result into its slot the edge after out_valid, and
 * a slot otherwise takes its right neighbour's. At the left edge the
 * row's channel-scale unit multiplies by the FP16 channel scale of output
 * channel n = r and rounds once to FP16 (pe_bitmod_edge_scale). The channel
 * scale arrives on w_cscale with the output's last term (OLAST) and waits
 * in a 4-entry FIFO per row until column cols-1's result of that pass has
 * left. Results of one row leave every other cycle (the chain runs against
 * the skew); passes at least 2*cols-1 cycles apart never collide. */
#include "pe_bitmod_bt.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	uint8_t valid, nan, e;
	uint8_t col;
	int64_t m;
};

struct csfifo {
	uint16_t v[PE_BITMOD_CS_FIFO];
	uint8_t head, n;
};

struct arr_com {
	uint8_t err;
	uint64_t edge_muls, hops;
};

/* The array's registers, wherever they are stored. */
struct arr_view {
	uint32_t rows, cols;
	struct arr_com *com;
	struct pe_bitmod_pe *pe;	/* [rows*cols] */
	struct pe_bitmod_in *hw;	/* [rows*cols] term hop registers */
	uint64_t *ha;			/* [rows*cols] activation hop registers */
	struct slot *sh;		/* [rows*cols] shadow chain */
	struct csfifo *fifo;		/* [rows] */
	struct pe_bitmod_row_out *y;	/* [rows] */
};

/* The left-edge decoder of one row. */
static void decode_row(const struct pe_bitmod_row_in *w, unsigned lanes,
		       struct pe_bitmod_in *x, uint8_t *err)
{
	unsigned t = w->ctl >> 4 & 3, wt = w->ctl >> 6 & 31, term = 0;

	x->ctl = (uint8_t)(w->ctl & 15);
	x->scale = w->scale;
	x->bitpos = (uint8_t)pe_bitmod_bitpos(wt, t);
	if ((w->ctl & PE_BITMOD_W_VALID) && !pe_bitmod_wtype_terms(wt))
		*err = 1;
	for (unsigned l = 0; l < lanes; l++)
		term |= pe_bitmod_term(wt, w->code >> 8 * l & 0xff, t) << 4 * l;
	x->term = (uint16_t)term;
}

static void arr_step(const struct arr_view *v, const struct pe_bitmod_row_in *w,
		     const uint64_t *act, struct pe_bitmod_row_out *out)
{
	uint32_t R = v->rows, C = v->cols;
	struct arr_com *com = v->com;
	const unsigned ctl_end = PE_BITMOD_W_VALID | PE_BITMOD_W_LAST |
				 PE_BITMOD_W_OLAST;

	/* 1. exits and shadow chains, from the PEs' pre-edge outputs */
	for (uint32_t r = 0; r < R; r++) {
		struct slot *sh = v->sh + (size_t)r * C;
		struct pe_bitmod_pe *pe = v->pe + (size_t)r * C;
		struct csfifo *f = &v->fifo[r];
		struct pe_bitmod_row_out *y = &v->y[r];

		y->valid = 0;
		if (sh[0].valid) {
			uint16_t cs = 0x7e00;
			if (f->n)
				cs = f->v[f->head];
			else
				com->err = 1;
			y->valid = 1;
			y->y = pe_bitmod_edge_scale(sh[0].m, sh[0].e, sh[0].nan, cs);
			y->col = sh[0].col;
			com->edge_muls++;
			if (sh[0].col == C - 1 && f->n) {
				f->head = (uint8_t)((f->head + 1) % PE_BITMOD_CS_FIFO);
				f->n--;
			}
		}
		for (uint32_t c = 0; c < C; c++) {
			struct slot nx = { 0 };
			if (c + 1 < C)
				nx = sh[c + 1];
			if (pe[c].out_valid) {
				if (nx.valid)
					com->err = 1;	/* collision */
				sh[c] = (struct slot){ .valid = 1, .nan = pe[c].out_nan,
						       .e = pe[c].out_e, .col = (uint8_t)c,
						       .m = pe[c].out_m };
			} else {
				sh[c] = nx;
			}
		}
		if ((w[r].ctl & ctl_end) == ctl_end) {
			if (f->n == PE_BITMOD_CS_FIFO) {
				com->err = 1;
			} else {
				f->v[(f->head + f->n) % PE_BITMOD_CS_FIFO] = w[r].cscale;
				f->n++;
			}
		}
	}

	/* 2. PEs and hop registers, bottom-right first so every PE reads its
	 * neighbours' pre-edge hop registers */
	for (uint32_t r = R; r-- > 0;) {
		for (uint32_t c = C; c-- > 0;) {
			size_t i = (size_t)r * C + c;
			struct pe_bitmod_in x;
			if (c == 0)
				decode_row(&w[r], v->pe[i].lanes, &x, &com->err);
			else
				x = v->hw[i - 1];
			x.a = r == 0 ? act[c] : v->ha[i - C];
			pe_bitmod_pe_step(&v->pe[i], &x);
			if (c + 1 < C) {
				v->hw[i] = x;
				com->hops += x.ctl & PE_BITMOD_C_VALID;
			}
			if (r + 1 < R) {
				v->ha[i] = x.a;
				com->hops += x.ctl & PE_BITMOD_C_VALID;
			}
		}
	}
	if (out)
		memcpy(out, v->y, R * sizeof *out);
}

static void arr_reset(const struct arr_view *v)
{
	size_t n = (size_t)v->rows * v->cols;
	for (size_t i = 0; i < n; i++)
		pe_bitmod_pe_reset(&v->pe[i]);
	memset(v->com, 0, sizeof *v->com);
	memset(v->hw, 0, n * sizeof *v->hw);
	memset(v->ha, 0, n * sizeof *v->ha);
	memset(v->sh, 0, n * sizeof *v->sh);
	memset(v->fifo, 0, v->rows * sizeof *v->fifo);
	memset(v->y, 0, v->rows * sizeof *v->y);
}

static bool arr_err(const struct arr_view *v)
{
	size_t n = (size_t)v->rows * v->cols;
	bool e = v->com->err;
	for (size_t i = 0; i < n; i++)
		e |= v->pe[i].err;
	return e;
}

/* ---- heap array of any size ---- */
struct pe_bitmod_array {
	struct arr_view v;
	struct arr_com com;
};

enum ps_status pe_bitmod_array_new(const struct pe_bitmod_cfg *c,
				   uint32_t rows, uint32_t cols,
				   struct pe_bitmod_array **out,
				   struct ps_err *err)
{
	struct pe_bitmod_array *a;
	enum ps_status st;
	size_t n = (size_t)rows * cols;

	*out = NULL;
	if (!rows || !cols || cols > 256 || rows > 4096)
		return ps_errf(err, PS_EINPUT,
			       "bitmod: array %ux%u: rows 1..4096, cols 1..256",
			       rows, cols);
	a = calloc(1, sizeof *a);
	if (!a)
		return ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
	a->v = (struct arr_view){
		.rows = rows, .cols = cols, .com = &a->com,
		.pe = calloc(n, sizeof *a->v.pe),
		.hw = calloc(n, sizeof *a->v.hw),
		.ha = calloc(n, sizeof *a->v.ha),
		.sh = calloc(n, sizeof *a->v.sh),
		.fifo = calloc(rows, sizeof *a->v.fifo),
		.y = calloc(rows, sizeof *a->v.y),
	};
	if (!a->v.pe || !a->v.hw || !a->v.ha || !a->v.sh || !a->v.fifo ||
	    !a->v.y) {
		pe_bitmod_array_free(a);
		return ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		st = pe_bitmod_pe_init(&a->v.pe[i], c, err);
		if (st) {
			pe_bitmod_array_free(a);
			return st;
		}
	}
	*out = a;
	return PS_OK;
}

void pe_bitmod_array_free(struct pe_bitmod_array *a)
{
	if (!a)
		return;
	free(a->v.pe);
	free(a->v.hw);
	free(a->v.ha);
	free(a->v.sh);
	free(a->v.fifo);
	free(a->v.y);
	free(a);
}

void pe_bitmod_array_reset(struct pe_bitmod_array *a)
{
	arr_reset(&a->v);
}

void pe_bitmod_array_step(struct pe_bitmod_array *a,
			  const struct pe_bitmod_row_in *w,
			  const uint64_t *act, struct pe_bitmod_row_out *out)
{
	arr_step(&a->v, w, act, out);
}

bool pe_bitmod_array_err(const struct pe_bitmod_array *a)
{
	return arr_err(&a->v);
}

void pe_bitmod_array_actions(const struct pe_bitmod_array *a,
			     struct pe_bitmod_actions *s)
{
	size_t n = (size_t)a->v.rows * a->v.cols;
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		const struct pe_bitmod_actions *p = &a->v.pe[i].act;
		s->cycles += p->cycles;
		s->term_cycles += p->term_cycles;
		s->lane_terms += p->lane_terms;
		s->lane_zero += p->lane_zero;
		s->acc_norm += p->acc_norm;
		s->dq_cycles += p->dq_cycles;
		s->dq_adds += p->dq_adds;
		s->out_adds += p->out_adds;
		s->outputs += p->outputs;
	}
	s->edge_muls = a->com.edge_muls;
	s->hops = a->com.hops;
}

/* ---- the registered model "bitmod_array4x4": a flat state ---- */
struct arr4 {
	struct arr_com com;
	struct pe_bitmod_pe pe[16];
	struct pe_bitmod_in hw[16];
	uint64_t ha[16];
	struct slot sh[16];
	struct csfifo fifo[4];
	struct pe_bitmod_row_out y[4];
};

static struct arr_view view4(struct arr4 *s)
{
	return (struct arr_view){ .rows = 4, .cols = 4, .com = &s->com,
				  .pe = s->pe, .hw = s->hw, .ha = s->ha,
				  .sh = s->sh, .fifo = s->fifo, .y = s->y };
}

#define ROW_PORTS(r) { "w_ctl_" #r, 11 }, { "w_code_" #r, 32 },	\
		     { "w_scale_" #r, 8 }, { "w_cscale_" #r, 16 }
#define OUT_PORTS(r) { "y_valid_" #r, 1 }, { "y_" #r, 16 }, { "y_col_" #r, 2 }
static const struct pe_port arr4_ports[] = {
	ROW_PORTS(0), ROW_PORTS(1), ROW_PORTS(2), ROW_PORTS(3),
	{ "a_0", 64 }, { "a_1", 64 }, { "a_2", 64 }, { "a_3", 64 },
	OUT_PORTS(0), OUT_PORTS(1), OUT_PORTS(2), OUT_PORTS(3),
	{ "err", 1 },
};

static enum ps_status bt_arr4_init(void *state, const struct pe_params *p,
				   struct ps_err *err)
{
	struct arr4 *s = state;
	struct pe_bitmod_cfg c;
	enum ps_status st;

	pe_bitmod_cfg_default(p, &c);
	memset(s, 0, sizeof *s);
	for (int i = 0; i < 16; i++) {
		st = pe_bitmod_pe_init(&s->pe[i], &c, err);
		if (st)
			return st;
	}
	return PS_OK;
}

static void bt_arr4_reset(void *state)
{
	struct arr_view v = view4(state);
	arr_reset(&v);
}

static void bt_arr4_step(void *state, const uint64_t *in, uint64_t *out)
{
	struct arr4 *s = state;
	struct arr_view v = view4(s);
	struct pe_bitmod_row_in w[4];
	uint64_t act[4];

	for (int r = 0; r < 4; r++)
		w[r] = (struct pe_bitmod_row_in){
			.ctl = (uint16_t)(in[4 * r] & 0x7ff),
			.code = (uint32_t)in[4 * r + 1],
			.scale = (uint8_t)in[4 * r + 2],
			.cscale = (uint16_t)in[4 * r + 3],
		};
	for (int c = 0; c < 4; c++)
		act[c] = in[16 + c];
	arr_step(&v, w, act, NULL);
	for (int r = 0; r < 4; r++) {
		out[3 * r] = s->y[r].valid;
		out[3 * r + 1] = s->y[r].y;
		out[3 * r + 2] = s->y[r].col & 3;
	}
	out[12] = arr_err(&v);
}

const struct pe_bt_ops pe_bitmod_array4x4_bt = {
	.name = "bitmod_array4x4",
	.rtl_top = "bitmod_array4x4",
	.ports = arr4_ports,
	.n_in = 20,
	.n_out = 13,
	.state_size = sizeof(struct arr4),
	.init = bt_arr4_init,
	.reset = bt_arr4_reset,
	.step = bt_arr4_step,
};

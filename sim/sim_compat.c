/* sim_compat.c - the BitMoD paper's analytical method (bitmod.md, "The
 * paper's evaluation method"), re-implemented exactly so that its published
 * figures come out of our inputs.
 *
 * Each op is a weight matrix [cout, cin_w], an input [rows_out, cin_i] and an
 * output [rows_out, cout]. Linears: cout = N, cin_w = cin_i = K, rows_out = M.
 * Attention keeps the paper's loose shapes (T new tokens, ctx context):
 *   attn_qk: weight [T, hidden], cin_i = kv_dim, rows_out = heads*T
 *   attn_pv: weight [heads*T, ctx], cin_i = kv_dim, rows_out = T
 * (per sequence; a batch repeats them). The KV-read variant instead streams
 * the K (or V) cache, ctx x kv_dim at kv_bits, as the input of decode
 * attention.
 *
 * Timing: tiles = ceil(cin_w/lanes) * ceil(cout/rows) * ceil(rows_out/cols);
 * compute = tiles * step cycles of the PE family; DRAM cycles =
 * floor(bytes * 8 / bits_per_cycle); the op takes max(compute, DRAM). No
 * pipeline fill, no overlap across ops. */
#include <math.h>
#include <string.h>

#include "pe.h"
#include "sim.h"

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* ceil(elems * bits / unit) for fractional bits (multiples of 1/16). */
static uint64_t cbits(uint64_t elems, double bits, double unit)
{
	return (uint64_t)ceil((double)elems * bits / unit);
}

struct compat_shape {
	uint64_t cout, cin_w, cin_i, rows_out, copies;
	bool attention;
	bool kv_input;		/* input is the KV cache (KV-read variant) */
};

static void compat_shape(const struct wl_model *m, const struct wl_op *op,
			 int compat_attn, struct compat_shape *s)
{
	memset(s, 0, sizeof *s);
	s->copies = 1;
	switch (op->kind) {
	case WL_LINEAR:
		s->cout = op->N;
		s->cin_w = s->cin_i = op->K;
		s->rows_out = op->M;
		return;
	case WL_ATTN_QK:
		s->cout = op->tokens;
		s->cin_w = op->hidden;
		s->rows_out = (uint64_t)op->heads * op->tokens;
		break;
	case WL_ATTN_PV:
		s->cout = (uint64_t)op->heads * op->tokens;
		s->cin_w = op->ctx;
		s->rows_out = op->tokens;
		break;
	}
	s->attention = true;
	s->cin_i = wl_kv_dim(m);
	s->copies = op->batch;
	s->kv_input = compat_attn == SIM_ATTN_KV_READ && op->phase == WL_DECODE;
}

enum ps_status sim_compat_op(const struct cfg_arch *a,
			     const struct wl_model *m, const struct wl_op *op,
			     int compat_attn, struct sim_op_stats *st,
			     struct ps_err *err)
{
	const struct pe_ops *pe = pe_family_ops(a->pe.family);
	const struct cfg_shape *shape = cfg_arch_shape(a, op->phase);
	const struct cfg_buffer *wbuf = cfg_arch_buffer(a, "weight");
	const struct cfg_buffer *ibuf = cfg_arch_buffer(a, "input");
	struct pe_params pp;
	struct compat_shape s;
	double wb, ab = a->pe.act_bits;
	uint64_t tiles, compute, W, I, O, rd, wr, fw = 1, fi = 1;
	uint64_t wcap, icap, w_wr64, i_wr64;
	int ph = op->phase;

	if (!pe)
		return ps_errf(err, PS_EINPUT,
			       "%s: pe.family '%s' has no timing model in pesim yet",
			       a->path, cfg_family_names[a->pe.family]);
	if (!wbuf || !ibuf)
		return ps_errf(err, PS_EINPUT,
			       "%s: buffers: compat mode needs buffers named 'weight' and 'input'",
			       a->path);
	pe_params_from_arch(a, m->name, ph, &pp);
	wb = pp.weight_bits;
	compat_shape(m, op, compat_attn, &s);

	tiles = cdiv(s.cin_w, pp.lanes) * cdiv(s.cout, shape->rows) *
		cdiv(s.rows_out, shape->cols);
	compute = tiles * pe->step_cycles(&pp);

	/* Bytes: attention "weights" are activations (act_bits), the rest use
	 * the design's stored weight bits, fractional bits included. */
	W = cbits(s.cin_w, s.attention ? ab : wb, 8) * s.cout;
	if (s.kv_input)
		I = cbits(s.cin_i, a->pe.kv_bits, 8) * op->ctx;
	else
		I = cbits(s.cin_i, ab, 8) * s.rows_out;
	O = cbits(s.cout, ab, 8) * s.rows_out;

	/* Re-fetch rule: only when neither operand fits its buffer. */
	wcap = (uint64_t)(wbuf->size_kib * 1024);
	icap = (uint64_t)(ibuf->size_kib * 1024);
	if (W > wcap && I > icap) {
		uint64_t nI = cdiv(W, wcap), nW = cdiv(I, icap);
		if (nW * W + I < nI * I + W)
			fw = nW;
		else
			fi = nI;
	}
	rd = W * fw + I * fi;
	wr = O;

	memset(st, 0, sizeof *st);
	st->op = *op;
	st->tiles = tiles * s.copies;
	st->compute_cycles = compute * s.copies;
	st->dram_cycles = (rd + wr) * 8 / a->dram.bits_per_cycle * s.copies;
	st->cycles = st->compute_cycles > st->dram_cycles ? st->compute_cycles :
							   st->dram_cycles;
	st->dram_read_bytes = rd * s.copies;
	st->dram_write_bytes = wr * s.copies;
	st->weight_fetches = (uint32_t)fw;
	st->input_fetches = (uint32_t)fi;

	/* Actions. SRAM writes: the paper charges weight writes at the design's
	 * weight bits even for attention ops (its quirk, kept). */
	w_wr64 = cbits(s.cin_w, wb, 64) * s.cout * fw;
	i_wr64 = (s.kv_input ? cbits(s.cin_i, a->pe.kv_bits, 64) * op->ctx :
			       cbits(s.cin_i, ab, 64) * s.rows_out) * fi +
		 cbits(s.cout, ab, 64) * s.rows_out;
	st->acts.n[ph][SIM_ACT_PE_CYCLE] =
		(double)cfg_arch_pes(a, ph) * (double)st->compute_cycles;
	st->acts.n[ph][SIM_ACT_SRAM_TILE_READ] = (double)st->tiles;
	st->acts.n[ph][SIM_ACT_SRAM_WEIGHT_WRITE64] = (double)(w_wr64 * s.copies);
	st->acts.n[ph][SIM_ACT_SRAM_INPUT_WRITE64] = (double)(i_wr64 * s.copies);
	st->acts.n[ph][SIM_ACT_DRAM_READ_BIT] = (double)st->dram_read_bytes * 8;
	st->acts.n[ph][SIM_ACT_DRAM_WRITE_BIT] = (double)st->dram_write_bytes * 8;
	return PS_OK;
}

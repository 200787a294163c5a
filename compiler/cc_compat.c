/* cc_compat.c - the BitMoD paper's op shapes, bytes and re-fetch rule.
 *
 * Linears: cout = N, cin_w = cin_i = K, rows_out = M. Attention keeps the
 * paper's loose shapes (T new tokens, ctx context), once per sequence:
 *   attn_qk: weight [T, hidden], cin_i = kv_dim, rows_out = heads*T
 *   attn_pv: weight [heads*T, ctx], cin_i = kv_dim, rows_out = T
 * The KV-read variant streams the K (or V) cache, ctx x kv_dim at kv_bits,
 * as the input of decode attention. Bytes: attention "weights" are
 * activations (act_bits), the rest use the design's stored weight bits,
 * fractional bits included, ceil per row. Re-fetch only when neither operand
 * fits its buffer. SRAM writes charge weight writes at the design's bits even
 * for attention ops (the paper's quirk, kept). */
#include "cc_compat.h"

#include <math.h>
#include <string.h>

#include "pe.h"

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static uint64_t cbits(uint64_t elems, double bits, double unit)
{
	return (uint64_t)ceil((double)elems * bits / unit);
}

enum ps_status cc_compat_op(const struct cfg_arch *a, const struct wl_model *m,
			    const struct wl_op *op, int compat_attn,
			    struct cc_compat_op *c, struct ps_err *err)
{
	const struct cfg_shape *shape = cfg_arch_shape(a, op->phase);
	const struct cfg_buffer *wbuf = cfg_arch_buffer(a, "weight");
	const struct cfg_buffer *ibuf = cfg_arch_buffer(a, "input");
	double ab = a->pe.act_bits;
	uint64_t wcap, icap;

	if (!wbuf || !ibuf)
		return ps_errf(err, PS_EINPUT,
			       "%s: buffers: the compat method needs buffers named 'weight' and 'input'",
			       a->path);
	memset(c, 0, sizeof *c);
	c->copies = 1;
	c->wb = pe_weight_bits(a, m ? m->name : NULL, op->phase);
	c->code_bits = (uint32_t)floor(c->wb);
	switch (op->kind) {
	case WL_LINEAR:
		c->cout = op->N;
		c->cin_w = c->cin_i = op->K;
		c->rows_out = op->M;
		break;
	case WL_ATTN_QK:
		c->cout = op->tokens;
		c->cin_w = op->hidden;
		c->rows_out = (uint64_t)op->heads * op->tokens;
		break;
	default:	/* WL_ATTN_PV */
		c->cout = (uint64_t)op->heads * op->tokens;
		c->cin_w = op->ctx;
		c->rows_out = op->tokens;
		break;
	}
	if (op->kind != WL_LINEAR) {
		c->attention = true;
		c->cin_i = (uint64_t)op->kv_heads * op->head_dim;
		c->copies = op->batch ? op->batch : 1;
		c->kv_input = compat_attn == CC_ATTN_KV_READ && op->phase == WL_DECODE;
	}
	c->tiles = cdiv(c->cin_w, a->pe.lanes) * cdiv(c->cout, shape->rows) *
		   cdiv(c->rows_out, shape->cols);
	c->W = cbits(c->cin_w, c->attention ? ab : c->wb, 8) * c->cout;
	c->I = c->kv_input ? cbits(c->cin_i, a->pe.kv_bits, 8) * op->ctx :
			     cbits(c->cin_i, ab, 8) * c->rows_out;
	c->O = cbits(c->cout, ab, 8) * c->rows_out;
	wcap = (uint64_t)(wbuf->size_kib * 1024);
	icap = (uint64_t)(ibuf->size_kib * 1024);
	c->fw = c->fi = 1;
	if (c->W > wcap && c->I > icap) {
		uint64_t nI = cdiv(c->W, wcap), nW = cdiv(c->I, icap);
		if (nW * c->W + c->I < nI * c->I + c->W)
			c->fw = nW;
		else
			c->fi = nI;
	}
	c->read = c->W * c->fw + c->I * c->fi;
	c->write = c->O;
	c->w_wr64 = cbits(c->cin_w, c->wb, 64) * c->cout * c->fw;
	c->i_wr64 = (c->kv_input ? cbits(c->cin_i, a->pe.kv_bits, 64) * op->ctx :
				   cbits(c->cin_i, ab, 64) * c->rows_out) * c->fi +
		    cbits(c->cout, ab, 64) * c->rows_out;
	return PS_OK;
}

/* pe_lut_tc_timing.c - closed-form timing and actions of the LUT-TC tile,
 * and its timing-level pe_ops (README "Timing").
 *
 * Arrangement: one M x N x K tile, output-stationary: accumulator (m, n)
 * holds out[m][n]; K streams through one chunk of K activations at a time,
 * one weight bit plane per cycle (an LMMA over W-bit weights takes W cycles
 * per chunk, lut_tensor_core.md). In an arch config the tile is the array:
 * rows = N (weight columns), cols = M (tables), lanes = K (= lut_k).
 *
 * An m x n x k tile runs in passes = ceil(m/M) ceil(n/N) blocks of M x N
 * outputs; each pass runs its K-groups (`group` along K, ceil(group/K)
 * chunks) as segments of P = chunks x W planes, issued back to back. A
 * segment's last plane commits into the shadow bank, which the 64-bit read
 * port drains in D = ceil(M N / 4) cycles while the next segment computes;
 * a segment may commit only D cycles after the previous one (the next one
 * stalls otherwise). With fill = depth - 1 = 2 (the first plane's commit)
 * and P_0 the first segment:
 *   cycles = fill + P_0 + sum_{j>=1} max(P_j, D) + D
 * counted from the edge that takes the first plane to the edge that puts the
 * last read word on rd_data. Segments repeat per pass: ceil(k/group) - 1
 * full ones (ceil(group/K) W planes) and a last one of the remaining chunks.
 */
#include <math.h>
#include <string.h>

#include "pe.h"
#include "pe_lut_tc.h"

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void pe_lut_tc_timing(const struct pe_lut_tc_shape *sh, uint64_t m, uint64_t n,
		      uint64_t k, unsigned w_bits, uint64_t group,
		      struct pe_lut_tc_timing *out)
{
	uint64_t M = sh && sh->M ? sh->M : PE_LUT_TC_M;
	uint64_t N = sh && sh->N ? sh->N : PE_LUT_TC_N;
	uint64_t K = sh && sh->K ? sh->K : PE_LUT_TC_K;
	uint64_t W = w_bits ? w_bits : 1;
	uint64_t kc, gc, full, rem, D, pf, pr, p0, sum;

	memset(out, 0, sizeof *out);
	if (m == 0 || n == 0 || k == 0)
		return;
	kc = cdiv(k, K);
	gc = group ? cdiv(group, K) : kc;
	if (gc > kc)
		gc = kc;
	full = kc / gc;
	rem = kc % gc;
	D = cdiv(M * N, 4);
	pf = gc * W;
	pr = rem * W;
	p0 = full ? pf : pr;

	out->passes = cdiv(m, M) * cdiv(n, N);
	out->segments = out->passes * (full + (rem ? 1 : 0));
	out->planes = out->passes * kc * W;
	out->fill = PE_LUT_TC_TILE_DEPTH - 1;
	out->drain = D;
	out->read_words = D;
	sum = out->passes * (full * max64(pf, D) + (rem ? max64(pr, D) : 0));
	out->cycles = out->fill + p0 + (sum - max64(p0, D)) + D;
	out->stall = out->cycles - out->fill - out->drain - out->planes;
}

uint64_t pe_lut_tc_tile_cycles(uint64_t m, uint64_t n, uint64_t k,
			       unsigned w_bits, uint64_t group)
{
	struct pe_lut_tc_timing t;
	pe_lut_tc_timing(NULL, m, n, k, w_bits, group, &t);
	return t.cycles;
}

/* One precompute unit, one table per cycle, PE_LUT_TC_PRE_DEPTH stages. */
uint64_t pe_lut_tc_pre_cycles(uint64_t m, uint64_t k)
{
	uint64_t tables = m * cdiv(k, PE_LUT_TC_K);
	return tables ? tables + PE_LUT_TC_PRE_DEPTH - 1 : 0;
}

void pe_lut_tc_gemm_actions(uint64_t m, uint64_t n, uint64_t k,
			    unsigned w_bits, uint64_t group, bool int8_tables,
			    struct pe_lut_tc_actions *out)
{
	struct pe_lut_tc_timing t;
	uint64_t chunks;

	memset(out, 0, sizeof *out);
	pe_lut_tc_timing(NULL, m, n, k, w_bits, group, &t);
	if (!t.cycles)
		return;
	chunks = t.passes * cdiv(k, PE_LUT_TC_K);
	out->tables = m * cdiv(k, PE_LUT_TC_K);
	out->pre_adds = 12 * out->tables;
	out->pre_quant = int8_tables ? out->tables : 0;
	out->planes = t.planes;
	out->lookups = t.planes * PE_LUT_TC_ACCS;
	out->acc_adds = (int8_tables ? chunks : t.planes) * PE_LUT_TC_ACCS;
	out->int_adds = int8_tables ? t.planes * PE_LUT_TC_ACCS : 0;
	out->dq_muls = int8_tables ? chunks * PE_LUT_TC_ACCS : 0;
	out->shadow_loads = t.segments;
	out->rd_words = t.segments * t.read_words;
	out->stall_cycles = t.stall;
}

/* ---- timing-level pe_ops ---- */

/* One bit plane per cycle: W cycles per chunk of W-bit weights. The stored
 * average (2.140625 for INT2 with a FP16 scale and 2-bit zero per 128) is
 * floored to the code width, as the compiler's layout does (cc_layout.c). */
static uint32_t lut_tc_step_cycles(const struct pe_params *p)
{
	double b = floor(p->weight_bits);
	return b < 1 ? 1 : (uint32_t)b;
}

/* The arch's array is the tile: rows = N, cols = M, lanes = K. Dataflow is
 * always the tile's output-stationary one. Table precompute is not in here:
 * the trace's `pre` carries it (README "Precompute"). */
static void lut_tc_tile_timing(const struct pe_params *p,
			       const struct pe_array *a,
			       const struct pe_tile *t, bool compat,
			       struct pe_tile_timing *out)
{
	struct pe_lut_tc_shape sh = { a->cols ? a->cols : 1, a->rows ? a->rows : 1,
				      p->lanes ? p->lanes : PE_LUT_TC_K };
	uint32_t W = lut_tc_step_cycles(p);
	struct pe_lut_tc_timing lt;

	memset(out, 0, sizeof *out);
	pe_lut_tc_timing(&sh, t->m, t->n, t->k, W, p->group_size, &lt);
	if (!lt.cycles)
		return;
	out->steps = lt.passes * cdiv(t->k, sh.K);
	out->busy_pe_cycles = t->m * t->n * cdiv(t->k, sh.K) * W;
	if (compat) {
		out->cycles = out->steps * W;
		return;
	}
	out->cycles = lt.cycles;
	out->fill = lt.fill;
	out->drain = lt.drain;
}

const struct pe_ops pe_lut_tc_ops = {
	.version = PE_OPS_VERSION,
	.name = "lut_tc",
	.summary = "LUT Tensor Core M2N64K4 tile: symmetrized 8-entry FP16 tables, one weight bit plane per cycle",
	.step_cycles = lut_tc_step_cycles,
	.tile_timing = lut_tc_tile_timing,
	.dq_cycles = NULL,
	.gemm_bt = pe_lut_tc_gemm_bt,
};

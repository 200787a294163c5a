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
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pe.h"
#include "pe_lut_tc.h"
#include "cfg_yaml.h"

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
	out->interval = sum;
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

/* ---- timing (the family descriptor's) ---- */

/* One bit plane per cycle: W cycles per chunk of W-bit weights, W the
 * weight format's code width (lut-int2: 2). */
static uint32_t lut_tc_step_cycles(const struct pe_params *p)
{
	double b = pe_code_bits(p);
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
		out->cycles = out->interval = out->steps * W;
		return;
	}
	/* segments commit at least D cycles apart, the next tile's first one
	 * too: the tile holds the planes' issue for sum max(P_j, D) */
	out->cycles = lt.cycles;
	out->fill = lt.fill;
	out->drain = lt.drain;
	out->interval = lt.interval;
}

/* ---- the family descriptor ---- */

/* The keys LUT-TC adds to the arch's pe: block. */
struct pe_lut_tc_arch {
	uint32_t lut_k;		/* activations per table (K of the DP unit) */
	uint32_t table_bits;	/* bits per table entry (16 FP16, 8 INT8) */
	/* the paper's operator fusion: the tables are built by the
	 * preceding element-wise operator and arrive with the activations,
	 * so no `pre` runs on the tile */
	bool fused_precompute;
};

static const struct pe_lut_tc_arch lut_tc_defaults = { .lut_k = 4, .table_bits = 16 };

static const struct cfg_field lut_tc_fields[] = {
	{ .key = "lut_k", .type = CFG_UINT, .offset = offsetof(struct pe_lut_tc_arch, lut_k),
	  .min = 1, .max = 8, .help = "activations per lookup table: 2^(lut_k-1) entries (symmetrized)" },
	{ .key = "table_bits", .type = CFG_UINT, .offset = offsetof(struct pe_lut_tc_arch, table_bits),
	  .min = 1, .max = 32, .help = "bits per table entry: 16 FP16 tables, 8 INT8 tables" },
	{ .key = "fused_precompute", .type = CFG_BOOL, .offset = offsetof(struct pe_lut_tc_arch, fused_precompute),
	  .help = "tables built by the preceding element-wise operator: no precompute on the tile" },
	{ 0 }
};

static bool lut_tc_runs(const struct fmt_qspec *q, char *why, size_t n)
{
	if (q->method == FMT_QM_LUT)
		return true;
	snprintf(why, n, "the table lookup reads weights as +-1 bit planes (lut-int1..4)");
	return false;
}

static void lut_tc_params(const struct cfg_arch *a, struct pe_params *p)
{
	const struct pe_lut_tc_arch *c = pe_family_cfg(a);
	p->table_bits = c->table_bits;
}

/* Symmetrized tables: 2^(k-1) entries per lut_k activations, held beside
 * the activations in the input buffer. */
static void lut_tc_layout(const struct cfg_arch *a, const struct pe_params *p,
			  struct pe_layout *l)
{
	const struct pe_lut_tc_arch *c = pe_family_cfg(a);
	uint32_t entries = 1u << (c->lut_k - 1);
	(void)p;
	/* fused: the tables still travel with the activations (buffer and
	 * DRAM bytes), but no `pre` runs on the tile */
	l->precompute = !c->fused_precompute;
	l->table_entries = entries;
	l->table_bits_per_a = (double)entries * c->table_bits / c->lut_k;
	l->tables_per_k = c->lut_k;
}

static const struct pe_bt_ops *const lut_tc_bt[] = {
	&pe_lut_tc_pre_bt, &pe_lut_tc_tile_bt, NULL
};

const struct pe_family pe_family_lut_tc = {
	.name = "lut_tc",
	.folder = "lut_tc",
	.summary = "LUT Tensor Core M2N64K4 tile: symmetrized 8-entry FP16 tables, one weight bit plane per cycle",
	.cfg_fields = lut_tc_fields,
	.cfg_defaults = &lut_tc_defaults,
	.cfg_size = sizeof(struct pe_lut_tc_arch),
	.default_weights = "lut-int2",
	/* the tile accumulates outputs in place (output-stationary) */
	.array_modes = PE_DF(CFG_DF_OS) | PE_FOLDS(CFG_FOLDS_OVERLAPPED),
	.runs = lut_tc_runs,
	.params = lut_tc_params,
	.layout = lut_tc_layout,
	.step_cycles = lut_tc_step_cycles,
	.tile_timing = lut_tc_tile_timing,
	.gemm_bt = pe_lut_tc_gemm_bt,
	.bt_models = lut_tc_bt,
};

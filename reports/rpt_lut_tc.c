/* rpt_lut_tc.c - the LUT Tensor Core (ISCA 2025) results pesim can
 * regenerate: (a) compute density and energy per MAC of the LUT DP4 unit
 * (W1/W2/W4 x FP16/INT8 tables) against FP16 and INT8 DP4 MAC units, with
 * the areas the arch presets carry (pe.area_um2 and its area_source: our
 * RTL through Yosys, never back-computed from the paper's densities);
 * (b) the table-size sweep K = 2..6 at M N K = 512; (c) the ablation
 * (operator reinterpretation, sign flip instead of negation, fused
 * precompute); (d) Llama-2-7B prefill and decode on the LUT tile (W1, W2)
 * against a MAC tile of equal area. Areas of (b) and (c) are component
 * models built from our RTL's blocks (rpt_lut_tc_area.c), anchored at the
 * preset. Published figures: reports/reference/lut-tc-paper.yaml. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_area.h"
#include "pe.h"
#include "ps_progress.h"
#include "rpt.h"
#include "rpt_doc.h"
#include "rpt_lut_tc.h"
#include "rpt_paper.h"
#include "sim.h"

/* design indexes of the recipe (rpt_recipes.c) */
enum { D_LUT_W1, D_LUT_W2, D_MAC_FP16, D_MAC_INT8 };

struct lt_run {
	uint64_t cycles, macs, pes;
	double seconds, e_total, e_compute, e_onchip, area_um2, pe_area;
	double clock_hz;	/* the design's clock_mhz */
	char area_source[160];
};

/* One design (with extra overrides) in cycle mode: the model scenario, or
 * without a model the 512x4096x4096 prefill GEMM. */
static enum ps_status run(const struct rpt_options *o, const struct rpt_design *d,
			  const char *const *sets, const struct wl_model *m,
			  const char *scen, struct lt_run *out, struct ps_err *err)
{
	struct rpt_loaded *ld;
	struct sim_result r;
	enum ps_status st = rpt_design_new(o, d, sets, &ld, err);
	if (!st && m) {
		st = rpt_run(&ld->arch, &ld->energy, m, scen, SIM_MODE_CYCLE, NULL, &r, err);
	} else if (!st) {
		struct sim_request rq = { .arch = &ld->arch, .energy = &ld->energy, .M = 512,
					  .K = 4096, .N = 4096, .gemm_phase = WL_PREFILL,
					  .mode = SIM_MODE_CYCLE };
		st = sim_run(&rq, &r, err);
	}
	if (!st) {
		out->cycles = r.cycles;
		out->macs = r.macs;
		out->pes = r.pes;
		out->seconds = r.seconds;
		out->e_total = r.energy.total;
		out->e_compute = r.energy.compute;
		out->e_onchip = r.energy.onchip;
		out->area_um2 = r.array_area_um2;
		out->pe_area = ld->arch.pe.area_um2;
		out->clock_hz = ld->arch.clock_mhz * 1e6;
		cfg_area_describe(&ld->arch, out->area_source, sizeof out->area_source);
		sim_result_free(&r);
	}
	free(ld);
	return st;
}

static double paper(const struct rpt_paper *p, const char *metric, const char *design)
{
	return rpt_paper_value(p, metric, "", design, "", "");
}

/* (a) density and energy per MAC: every variant on one prefill GEMM. */
struct variant {
	const char *label, *key;	/* key: the paper's design name, or "" */
	int design;
	const char *sets[4];
	unsigned wbits;			/* bit planes per K chunk (LUT), 0: MAC */
};

static const struct variant variants[] = {
	{ "LUT DP4 W1 x FP16 table", "lut-w1-fp16", D_LUT_W1, { NULL }, 1 },
	{ "LUT DP4 W2 x FP16 table", "lut-w2-fp16", D_LUT_W2, { NULL }, 2 },
	{ "LUT DP4 W4 x FP16 table", "lut-w4-fp16", D_LUT_W2, { "weights.prefill=lut-int4-g128", "weights.decode=lut-int4-g128", NULL }, 4 },
	{ "LUT DP4 W1 x INT8 table", "lut-w1-int8", D_LUT_W1, { "pe.table_bits=8", NULL }, 1 },
	{ "LUT DP4 W2 x INT8 table", "lut-w2-int8", D_LUT_W2, { "pe.table_bits=8", NULL }, 2 },
	{ "LUT DP4 W4 x INT8 table", "lut-w4-int8", D_LUT_W2, { "pe.table_bits=8", "weights.prefill=lut-int4-g128", "weights.decode=lut-int4-g128" }, 4 },
	{ "FP16 DP4 MAC", "fp16-dp4", D_MAC_FP16, { NULL }, 0 },
	{ "INT8 DP4 MAC", "int8-dp4", D_MAC_INT8, { NULL }, 0 },
};
#define N_VAR (sizeof variants / sizeof *variants)

static enum ps_status density(const struct rpt_recipe *r, const struct rpt_options *o,
			      struct rpt_doc *d, const struct rpt_paper *p,
			      double dens[N_VAR], struct ps_err *err)
{
	struct rpt_tab *t = rpt_doc_table(d, "density", true);
	enum ps_status st = PS_OK;
	double f_lut = 0;	/* the W1 LUT preset's clock, Hz */
	fprintf(d->md, "## (a) Compute density and energy per MAC of the DP4 units\n\n"
		"One PE of each preset is one DP4 unit (4 activations x 4 weights into "
		"one accumulator) with its share of the tile; its area is the preset's "
		"`pe.area_um2` (area_source below: our RTL through Yosys, calibrated "
		"so our FP16 MAC is BitMoD's 1968.7 um2), so this table follows the "
		"RTL when the presets' areas change. A LUT unit does 4/W MACs per "
		"cycle (one weight bit plane per cycle), a MAC unit 4. Densities at "
		"each preset's clock: 2 x MACs/cycle x f / area. Energy per MAC: "
		"the PE energy and the on-chip energy (PE + SRAM) of a 512x4096x4096 "
		"GEMM in cycle mode over its MACs, priced by each preset's energy "
		"table.\n\n");
	rpt_tab_cols(t, "unit %s, unit_um2 um2 %.1f, tile_um2 um2 %.0f, "
		     "macs_per_cycle MAC/cycle %.2f, "
		     "tflops_per_mm2 TFLOP/s/mm2 %.3f, "
		     "paper_tflops_per_mm2 TFLOP/s/mm2 %.2f, "
		     "pe_pj_per_mac pJ/MAC %.3f, onchip_pj_per_mac pJ/MAC %.3f, "
		     "area_source %s");
	for (size_t i = 0; i < N_VAR && !st; i++) {
		const struct variant *v = &variants[i];
		struct lt_run x;
		void *row;
		double mpc;
		st = run(o, &r->designs[v->design], v->sets, NULL, NULL, &x, err);
		if (st)
			break;
		mpc = v->wbits ? 4.0 / v->wbits : 4.0;
		dens[i] = 2 * mpc * x.clock_hz / (x.pe_area * 1e-6) / 1e12;
		if (i == 0)
			f_lut = x.clock_hz;
		row = rpt_tab_row(t);
		rpt_tab_str(t, row, 0, v->label);
		rpt_tab_f64(t, row, 1, x.pe_area);
		rpt_tab_f64(t, row, 2, x.area_um2);
		rpt_tab_f64(t, row, 3, mpc);
		rpt_tab_f64(t, row, 4, dens[i]);
		rpt_tab_f64(t, row, 5, paper(p, "density_tflops_per_mm2", v->key));
		rpt_tab_f64(t, row, 6, x.e_compute / (double)x.macs);
		rpt_tab_f64(t, row, 7, x.e_onchip / (double)x.macs);
		rpt_tab_str(t, row, 8, x.area_source);
	}
	if (!st) {
		double pr = paper(p, "density_tflops_per_mm2", "lut-w1-fp16") /
			    paper(p, "density_tflops_per_mm2", "fp16-dp4");
		rpt_tab_markdown(d, t);
		fprintf(d->md, "Density ratio, LUT W1 x FP16 table over the FP16 DP4 MAC: "
			"**pesim %.2fx**, paper %.2fx (%.2f / %.2f). Our LUT unit carries "
			"what our tile RTL holds per output: an FP16 accumulator, a shadow "
			"bank and its read port, the pipeline registers, and 1/64 of the "
			"table registers and precompute; our FP16 DP4 is our RTL's DP4 unit "
			"(rtl/baseline/pe_fp16_dp4_mac.v: four FP16 multipliers, an adder "
			"tree, an FP16 accumulator). The paper's %.2f implies "
			"about %.0f um2 per LUT DP4 unit at %.2f GHz (the W1 preset's clock), "
			"%.1f times smaller "
			"than ours: the difference is in the per-output circuitry.\n\n",
			dens[0] / dens[6], pr, paper(p, "density_tflops_per_mm2", "lut-w1-fp16"),
			paper(p, "density_tflops_per_mm2", "fp16-dp4"),
			paper(p, "density_tflops_per_mm2", "lut-w1-fp16"),
			8 * f_lut / (paper(p, "density_tflops_per_mm2", "lut-w1-fp16") * 1e12) * 1e6,
			f_lut / 1e9,
			paper(p, "density_tflops_per_mm2", "lut-w1-fp16") / dens[0]);
	}
	return st;
}

static enum ps_status ksweep(const struct rpt_recipe *r, const struct rpt_options *o,
			     struct rpt_doc *d, const struct rpt_paper *p,
			     struct ps_err *err)
{
	struct rpt_tab *t = rpt_doc_table(d, "k_sweep", false);
	const struct rpt_design *w1 = &r->designs[D_LUT_W1];
	struct cfg_arch *a = calloc(1, sizeof *a);
	enum ps_status st = a ? rpt_load_design(o, w1, NULL, a, NULL, err) :
				ps_errf(err, PS_ENOMEM, "out of memory");
	double best = 0, unit_area = a ? a->pe.area_um2 : 0;
	int best_k = 0;
	struct lt_area_k ref;
	fprintf(d->md, "## (b) Table size K = 2..6 at M x N x K = 512\n\n"
		"M = 2 tables, N = 256/K weight columns (rounded), W1 x FP16 tables. "
		"Area: the preset's K = 4 tile (its `pe.area_um2` x 128) split into a "
		"fixed part per output (accumulator, shadow bank, registers) and the "
		"parts that grow with K - a 2^(K-1)-entry mux per output, 2^(K-1) "
		"table registers per table, the precompute adders (a pairwise tree: "
		"12 FP16 adders at K = 4, 44 at K = 6) - priced with our RTL's blocks "
		"(`rpt_lut_tc_area.c`); throughput: a 512x4096x4096 GEMM in cycle mode "
		"with `pe.lut_k = pe.lanes = K`, `array.*.rows = N`, table precompute "
		"included.\n\n");
	rpt_tab_cols(t, "K %u, N %u, MNK %u, tile_um2 um2 %.0f, lut_share %.3f, "
		     "macs_per_cycle MAC/cycle %.1f, "
		     "tflops_per_mm2 TFLOP/s/mm2 %.3f, vs_k4 x %.3f");
	lt_area_k(unit_area, 4, 2, 64, 16, &ref);
	for (uint32_t k = 2; k <= 6 && !st; k++) {
		uint32_t n = (uint32_t)lround(256.0 / k);
		char s1[48], s2[48], s3[48], s4[48];
		const char *sets[5] = { s1, s2, s3, s4, NULL };
		struct lt_run x;
		struct lt_area_k ak;
		double mpc, dens;
		void *row;
		snprintf(s1, sizeof s1, "pe.lut_k=%u", k);
		snprintf(s2, sizeof s2, "pe.lanes=%u", k);
		snprintf(s3, sizeof s3, "array.prefill.rows=%u", n);
		snprintf(s4, sizeof s4, "array.decode.rows=%u", n);
		st = run(o, w1, sets, NULL, NULL, &x, err);
		if (st)
			break;
		lt_area_k(unit_area, k, 2, n, 16, &ak);
		mpc = (double)x.macs / (double)x.cycles;
		dens = 2 * mpc * x.clock_hz / (ak.total * 1e-6) / 1e12;
		if (dens > best) {
			best = dens;
			best_k = (int)k;
		}
		row = rpt_tab_row(t);
		rpt_tab_u64(t, row, 0, k);
		rpt_tab_u64(t, row, 1, n);
		rpt_tab_u64(t, row, 2, 2ull * n * k);
		rpt_tab_f64(t, row, 3, ak.total);
		rpt_tab_f64(t, row, 4, ak.grows / ak.total);
		rpt_tab_f64(t, row, 5, mpc);
		rpt_tab_f64(t, row, 6, dens);
	}
	for (size_t i = 0; i < t->nrows; i++) {
		double k4 = NAN;
		for (size_t j = 0; j < t->nrows; j++)
			if (rpt_tab_get(t, j, 0) == 4)
				k4 = rpt_tab_get(t, j, 6);
		rpt_tab_f64(t, t->rows + i * t->row_size, 7, rpt_tab_get(t, i, 6) / k4);
	}
	if (!st) {
		rpt_tab_markdown(d, t);
		fprintf(d->md, "The density optimum falls at **K = %d** (pesim) against the "
			"paper's K = %.0f. With our RTL the fixed part per output is %.0f%% "
			"of the K = 4 tile, so a larger K, which serves more MACs per "
			"output, keeps paying off until the 2^(K-1) mux and table growth "
			"catches up; the paper's lighter per-output circuitry puts the "
			"turn earlier.\n\n", best_k, paper(p, "k_optimum", "lut"),
			100 * ref.fixed / ref.total);
		rpt_doc_attr(d, "k_optimum", "%d", best_k);
	}
	free(a);
	return st;
}

static void ablation(struct rpt_doc *d, const struct rpt_paper *p)
{
	struct rpt_tab *t = rpt_doc_table(d, "ablation", false);
	struct lt_ablation ab[LT_ABL_N];
	static const char *const keys[LT_ABL_N] = { "unpu", "reinterpretation",
						    "sign-flip", "fused-precompute" };
	lt_ablation(ab);
	fprintf(d->md, "## (c) Ablation: W_INT2 x A_INT8, M2N64K4 (M N K = 512), INT8 tables\n\n"
		"Component area of the tile in Yosys's generic-gate units "
		"(`rpt_lut_tc_area.c`: full adder 42, mux bit 12, XOR 12, flip-flop "
		"16; entries of 10 bits, 32-bit accumulators), step by step from a "
		"UNPU-style LUT unit (16-entry tables of {0,1}-bit subset sums, a "
		"16:1 mux per output, an 11-adder precompute per table in the tile): "
		"operator reinterpretation (+-1 bits: odd-symmetric 8-entry tables, "
		"8:1 muxes, a conditional two's-complement negation per output); "
		"sign flip instead of negation (XORs, the +1 into the accumulator's "
		"carry-in); fused precompute (the tables come with the activations, "
		"no adders in the tile). Throughput is the same in every step, so "
		"density is the inverse of area.\n\n");
	rpt_tab_cols(t, "step %s, area_units %.0f, density_vs_unpu x %.3f, "
		     "paper x %.3f, deviation_pct % %.1f");
	for (int i = 0; i < LT_ABL_N; i++) {
		void *row = rpt_tab_row(t);
		double v = ab[0].area / ab[i].area, pv = i ? paper(p, "ablation_density", keys[i]) : 1;
		rpt_tab_str(t, row, 0, ab[i].name);
		rpt_tab_f64(t, row, 1, ab[i].area);
		rpt_tab_f64(t, row, 2, v);
		rpt_tab_f64(t, row, 3, pv);
		rpt_tab_f64(t, row, 4, rpt_dev_pct(v, pv));
	}
	rpt_tab_markdown(d, t);
	fprintf(d->md, "The steps move the same way as the paper's; our fusion step "
		"removes only the precompute adders, while the paper's UNPU-style "
		"precompute unit also holds its own table buffers and control, so "
		"its fusion gain (%.3f -> %.3f) is larger than ours. Power "
		"efficiency (paper %.3fx) is not modelled per step.\n\n",
		paper(p, "ablation_density", "sign-flip"),
		paper(p, "ablation_density", "fused-precompute"),
		paper(p, "ablation_power", "fused-precompute"));
}

/* (c, timing) the precompute's share, and (d) the equal-area comparison. */
static enum ps_status llama(const struct rpt_recipe *r, const struct rpt_options *o,
			    struct rpt_doc *d, const struct rpt_paper *p,
			    struct ps_err *err)
{
	struct rpt_tab *t = rpt_doc_table(d, "llama", false);
	struct rpt_tab *pt = rpt_doc_table(d, "precompute", false);
	struct wl_model *m = calloc(1, sizeof *m);
	struct cfg_arch *a = calloc(1, sizeof *a);
	enum ps_status st = !m || !a ? ps_errf(err, PS_ENOMEM, "out of memory") :
				       rpt_load_model(o, r->models[0], m, err);
	struct ps_progress *bar = ps_progress_begin("report lut-tc", "runs", 16);
	double lut_area = 0, mac_unit = 0, f_lut = 0, f_mac = 0;
	char rows_set[48];

	/* the MAC tile at the LUT tile's area: its rows (cols stay 2) */
	if (!st)
		st = rpt_load_design(o, &r->designs[D_LUT_W2], NULL, a, NULL, err);
	if (!st) {
		lut_area = a->pe.area_um2 * (double)cfg_arch_pes(a, WL_PREFILL);
		f_lut = a->clock_mhz;
		st = rpt_load_design(o, &r->designs[D_MAC_FP16], NULL, a, NULL, err);
	}
	if (!st) {
		uint32_t rows;
		mac_unit = a->pe.area_um2;
		f_mac = a->clock_mhz;
		rows = (uint32_t)floor(lut_area / mac_unit / 2);
		snprintf(rows_set, sizeof rows_set, "%u", rows ? rows : 1);
	}
	fprintf(d->md, "## (c) The table precompute's share of the time\n\n"
		"Llama-2-7B on the W2 tile, the precompute on the tile (`pe.fused_precompute: "
		"false`, a `pre` per activation tile) against fused into the "
		"preceding element-wise operator (`true`: the tables arrive with the "
		"activations).\n\n");
	rpt_tab_cols(pt, "scenario %s, cycles_on_tile cycle %u, cycles_fused cycle %u, "
		     "precompute_share %.4f, paper_unfused_share %.3f, "
		     "paper_fused_share %.3f");
	for (size_t s = 0; r->scenarios[s] && !st; s++) {
		static const char *const fused[] = { "pe.fused_precompute=true", NULL };
		struct lt_run a0, a1;
		void *row;
		st = run(o, &r->designs[D_LUT_W2], NULL, m, r->scenarios[s], &a0, err);
		if (!st)
			st = run(o, &r->designs[D_LUT_W2], fused, m, r->scenarios[s], &a1, err);
		if (st)
			break;
		ps_progress_add(bar, 2);
		row = rpt_tab_row(pt);
		rpt_tab_str(pt, row, 0, r->scenarios[s]);
		rpt_tab_u64(pt, row, 1, a0.cycles);
		rpt_tab_u64(pt, row, 2, a1.cycles);
		rpt_tab_f64(pt, row, 3, 1 - (double)a1.cycles / (double)a0.cycles);
		rpt_tab_f64(pt, row, 4, paper(p, "precompute_overhead",
					      s ? "unfused-decode" : "unfused-prefill"));
		rpt_tab_f64(pt, row, 5, paper(p, "precompute_overhead", "fused"));
	}
	if (!st) {
		rpt_tab_markdown(d, pt);
		fprintf(d->md, "The paper's overheads are GPU kernel time of a separate "
			"precompute operator; on our tile a `pre` costs tables x "
			"ceil(m / rows) cycles beside the planes (one table per 4 "
			"activations per row, shared by the 64 columns), which decode's "
			"single row and prefill's long planes both hide.\n\n");
		fprintf(d->md, "## (d) Llama-2-7B on the LUT tile against a MAC tile of equal area\n\n"
			"The MAC tile is the FP16 DP4 preset (`%s`) with its rows cut to the "
			"LUT tile's area: %.0f um2 / %.1f um2 per DP4 unit / 2 columns = %s "
			"rows. Both read the same low-bit weights (the MAC tile dequantizes "
			"them to FP16 at its edge), at %.2f and %.2f GHz, with the same "
			"buffers and DRAM.\n\n", r->designs[D_MAC_FP16].arch, lut_area, mac_unit,
			rows_set, f_lut / 1e3, f_mac / 1e3);
	}
	rpt_tab_cols(t, "scenario %s, weights %s, design %s, area_mm2 mm2 %.4f, "
		     "cycles cycle %u, tokens_per_s token/s %.3f, "
		     "pj_per_token pJ/token %.4g, lut_speedup x %.3f");
	for (size_t s = 0; r->scenarios[s] && !st; s++)
		for (int w = 1; w <= 2 && !st; w++) {
			char wm[40], wmd[40], rs1[80], rs2[80];
			const char *msets[] = { wm, wmd, rs1, rs2, NULL };
			struct wl_scenario sc;
			struct lt_run lu, mc;
			double tok;
			snprintf(wm, sizeof wm, "weights.prefill=int%da-g128", w);
			snprintf(wmd, sizeof wmd, "weights.decode=int%da-g128", w);
			snprintf(rs1, sizeof rs1, "array.prefill.rows=%s", rows_set);
			snprintf(rs2, sizeof rs2, "array.decode.rows=%s", rows_set);
			st = wl_scenario_parse(r->scenarios[s], &sc, err);
			if (!st)
				st = run(o, &r->designs[w == 1 ? D_LUT_W1 : D_LUT_W2],
					 NULL, m, r->scenarios[s], &lu, err);
			if (!st)
				st = run(o, &r->designs[D_MAC_FP16], msets, m,
					 r->scenarios[s], &mc, err);
			if (st)
				break;
			ps_progress_add(bar, 2);
			tok = sc.base == WL_PREFILL ? (double)sc.prompt * sc.batch : (double)sc.batch;
			for (int k = 0; k < 2; k++) {
				const struct lt_run *x = k ? &mc : &lu;
				void *row = rpt_tab_row(t);
				char wn[16];
				snprintf(wn, sizeof wn, "W%d", w);
				rpt_tab_str(t, row, 0, r->scenarios[s]);
				rpt_tab_str(t, row, 1, wn);
				rpt_tab_str(t, row, 2, k ? "MAC FP16 DP4, equal area" : "LUT tile");
				rpt_tab_f64(t, row, 3, x->area_um2 * 1e-6);
				rpt_tab_u64(t, row, 4, x->cycles);
				rpt_tab_f64(t, row, 5, tok / x->seconds);
				rpt_tab_f64(t, row, 6, x->e_total / tok);
				rpt_tab_f64(t, row, 7, (double)mc.cycles / (double)lu.cycles);
			}
		}
	ps_progress_end(bar);
	if (!st) {
		rpt_tab_markdown(d, t);
		fprintf(d->md, "lut_speedup: the MAC tile's cycles over the LUT tile's. The "
			"paper reports 2.06x-5.51x end to end against an A100-class MAC "
			"design (up to 8.2x) and equal mpGEMM throughput at %.1f%% of the "
			"MAC tensor core's area (W1 x FP16); at our RTL's areas the LUT "
			"unit (%.0f um2) is %.2f of an FP16 DP4 unit (%.0f um2) and runs 4/W "
			"MACs per cycle against its 4, so at equal area the LUT tile's "
			"advantage is W1: %.2fx, W2: %.2fx in compute-bound prefill; decode "
			"is bound by the same DRAM on both.\n\n",
			100 * paper(p, "equal_throughput_area", "lut-w1-fp16"),
			lut_area / 128, lut_area / 128 / mac_unit, mac_unit,
			mac_unit / (lut_area / 128) / 1, mac_unit / (lut_area / 128) / 2);
	}
	free(m);
	free(a);
	return st;
}

static void plot(struct rpt_doc *d, const struct rpt_paper *p, const double dens[N_VAR])
{
	FILE *gp = d->gp;
	const struct rpt_tab *k = NULL;
	for (size_t i = 0; i < d->n_tabs; i++)
		if (!strcmp(d->tabs[i]->name, "k_sweep"))
			k = d->tabs[i];
	fprintf(gp, "$d << EOD\n");
	for (size_t i = 0; i < N_VAR; i++) {
		double pv = paper(p, "density_tflops_per_mm2", variants[i].key);
		fprintf(gp, "\"%s\" %.6f %.6f\n", variants[i].label, dens[i], isnan(pv) ? 0 : pv);
	}
	fprintf(gp, "EOD\n$k << EOD\n");
	for (size_t i = 0; k && i < k->nrows; i++)
		fprintf(gp, "%.0f %.6f\n", rpt_tab_get(k, i, 0), rpt_tab_get(k, i, 7));
	fprintf(gp, "EOD\n"
		    "set terminal png size 1400,600 noenhanced\n"
		    "set style fill solid 0.8 border -1\nset grid ytics\n"
		    "set multiplot layout 1,2 title 'LUT Tensor Core (ISCA 2025) regenerated by pesim'\n"
		    "set title 'DP4 compute density (TFLOP/s/mm^2, log)'\nset logscale y\n"
		    "set key top right\nset xtics rotate by -30 font ',8'\nset boxwidth 0.4\n"
		    "set yrange [0.1:*]\n"
		    "plot $d using ($0-0.2):2:xtic(1) with boxes title 'pesim (our RTL areas)', "
		    "'' using ($0+0.2):($3 > 0 ? $3 : 1/0) with boxes title 'paper'\n"
		    "unset logscale y\nset yrange [0:*]\nset xtics norotate font ',10'\n"
		    "set title 'density vs K at M N K = 512 (relative to K = 4)'\n"
		    "set xlabel 'K (activations per table)'\nset ylabel 'x K = 4'\n"
		    "plot $k using 1:2 with linespoints lw 2 title 'pesim', "
		    "'+' using (%g):(1) with points pt 7 ps 2 title 'paper optimum'\n"
		    "unset multiplot\nset output\n", paper(p, "k_optimum", "lut"));
}

enum ps_status rpt_lut_tc_doc(const struct rpt_recipe *r, const struct rpt_options *o,
			      struct rpt_doc *d, struct ps_err *err)
{
	struct rpt_paper *p = calloc(1, sizeof *p);
	double dens[N_VAR];
	enum ps_status st = p ? PS_OK : ps_errf(err, PS_ENOMEM, "out of memory");
	if (!st)
		st = rpt_paper_recipe(r, o, p, err);
	if (st) {
		free(p);
		return st;
	}
	fprintf(d->md, "# LUT Tensor Core (ISCA 2025) regenerated by pesim\n\n"
		"Presets: `configs/arch/lut_tc/` (the M2N64K4 tile as the array: rows "
		"= N = 64, cols = M = 2, lanes = K = 4; W1 and W2; MAC tiles of FP16 "
		"and INT8 DP4 units). Paper figures: `reports/reference/%s`.\n\n",
		r->reference);
	st = density(r, o, d, p, dens, err);
	if (!st)
		st = ksweep(r, o, d, p, err);
	if (!st)
		ablation(d, p);
	if (!st)
		st = llama(r, o, d, p, err);
	if (!st)
		plot(d, p, dens);
	free(p);
	return st;
}

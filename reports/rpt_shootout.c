/* rpt_shootout.c - what no paper has: every family and baseline on one
 * memory system at one PE-array area, on Llama-2-7B and Llama-3-8B
 * prefill:512 and decode:2048, at 4-bit weights and at each family's
 * lowest supported width. Each design is its preset with the shared
 * memory system, clock and area imposed by overrides (`--set` paths):
 * the array's PEs = floor(area / the preset's pe.area_um2), shaped square
 * unless the family fixes its columns (the LUT tile's M = 2 tables,
 * FlightLLM's N of N:16). Tokens/s, energy per token (each family's
 * dynamic on-chip energies, DRAM at one common price), the weight format's
 * SQNR on generated weights (the quantizer) and the PE datapath's output
 * SQNR on a bit-true GEMM, and a Pareto plot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cc_quant.h"
#include "cfg_area.h"
#include "pe.h"
#include "ps_progress.h"
#include "rpt.h"
#include "rpt_doc.h"
#include "sim.h"
#include "wl_tensor.h"

/* The shared memory system and clock (BitMoD's evaluation setting, with
 * ports wide enough for the largest arrays' steps) and the area. */
static const char *const memory[] = {
	"clock_mhz=1000",
	"buffers=[{name: weight, size_kib: 512, banks: 8, port_bits: 1024, double_buffered: true},"
	" {name: input, size_kib: 512, banks: 8, port_bits: 1024, double_buffered: true},"
	" {name: output, size_kib: 256, banks: 8, port_bits: 1024, double_buffered: true}]",
	"dram={bits_per_cycle: 256, latency_cycles: 100}",
	"weights.per_model=~",
	NULL,
};
/* The area every design's array is cut to: this design's PE array as its
 * preset has it. */
#define SO_AREA_DESIGN "bitmod"
#define SO_DRAM_PJ_BIT 18.75	/* BitMoD's DRAM energy, for every design */

/* Per design (recipe order): its 4-bit and lowest weight formats and the
 * columns its family fixes (0: square). */
struct so_fmt {
	const char *w4, *low;
	uint32_t cols;		/* 0 square; FlightLLM: from the format */
};
static const struct so_fmt fmts[] = {
	{ "int4-g128", "int2a-g128", 0 },	/* fp16: dequantized to FP16 */
	{ "int4", "int2", 0 },			/* int8 */
	{ "int4", "int4", 0 },			/* bitfusion: 4 bits is its floor */
	{ "flint4", "flint4", 0 },		/* ant */
	{ "olive4", "olive4", 0 },		/* olive */
	{ "bitmod4", "bitmod3", 0 },		/* bitmod */
	{ "mixpe-int4", "mixpe-int2", 0 },	/* mixpe W4A8 */
	{ "mixpe-int4", "mixpe-int2", 0 },	/* mixpe W4A16 */
	{ "lut-int4-g128", "lut-int1-g128", 2 },	/* lut_tc */
	{ "nm16of16-int4", "nm2of16-int4", 0 },	/* flightllm */
};

#define SO_MAX_D 12
#define SO_MAX_M 4

struct so_cell {
	uint64_t cycles, pes, rows, cols;
	double tok_s, pj_tok, area_mm2, stored_bits;
};

struct so_grid {
	size_t nd, nm, ns;
	const char *models[SO_MAX_M];
	char display[SO_MAX_M][64];
	struct so_cell c[SO_MAX_D][2][SO_MAX_M][2];	/* design, width, model, scenario */
	double w_sqnr[SO_MAX_D][2], g_sqnr[SO_MAX_D][2];
	char spec[SO_MAX_D][2][CFG_SPEC_LEN];
	double area_um2;	/* SO_AREA_DESIGN's PEs x its pe.area_um2 */
	double pe_um2[SO_MAX_D];	/* each preset's PE area ... */
	char area_source[SO_MAX_D][160];	/* ... and where it comes from */
	uint64_t area_pes;	/* those PEs */
};

/* The columns a design's format fixes - the LUT tile's tables, FlightLLM's
 * N of N:16 (whose chains of 16 DSPs must come whole) - or 0: square. */
static uint32_t fixed_cols(const struct so_fmt *f, int low, bool *chains)
{
	struct fmt_qspec q;
	struct ps_err err;
	*chains = false;
	if (f->cols)
		return f->cols;
	if (!fmt_qspec_parse(low ? f->low : f->w4, &q, &err) && q.method == FMT_QM_NM) {
		*chains = true;
		return (uint32_t)q.nm_n;
	}
	return 0;
}

/* The overrides of one design at one width: the memory system, the
 * format, the array of `pes` PEs. */
static void sets_for(const struct so_fmt *f, int low, uint64_t pes, char s[4][96],
		     const char *out[16])
{
	bool chains;
	uint32_t cols = fixed_cols(f, low, &chains), rows;
	const char *w = low ? f->low : f->w4;
	size_t n = 0;
	if (cols) {
		rows = (uint32_t)(pes / cols);
		while (chains && rows > 1 && (uint64_t)rows * cols % 16)
			rows--;
	} else {
		rows = (uint32_t)floor(sqrt((double)pes));
		cols = (uint32_t)(pes / rows);
	}
	snprintf(s[0], 96, "weights.prefill=%s", w);
	snprintf(s[1], 96, "weights.decode=%s", w);
	snprintf(s[2], 96, "array.prefill={rows: %u, cols: %u}", rows, cols);
	snprintf(s[3], 96, "array.decode={rows: %u, cols: %u}", rows, cols);
	for (size_t i = 0; memory[i]; i++)
		out[n++] = memory[i];
	for (int i = 0; i < 4; i++)
		out[n++] = s[i];
	out[n] = NULL;
}

static enum ps_status quant_sqnr(const char *spec, double *sqnr, struct ps_err *err)
{
	enum { N = 256, K = 4096 };
	struct fmt_qspec q;
	struct cc_qtensor t;
	float *w = malloc((size_t)N * K * sizeof *w);
	enum ps_status st = w ? fmt_qspec_parse(spec, &q, err) :
				ps_errf(err, PS_ENOMEM, "out of memory");
	if (!st)
		st = wl_gen_weights(1, N, K, NULL, w, err);
	if (!st) {
		st = cc_quantize(&q, w, N, K, &t, err);
		*sqnr = st ? NAN : t.st.sqnr_db;
		cc_qtensor_free(&t);
	}
	free(w);
	return st;
}

/* Operand bits one array step reads from the buffers (a full pass of the
 * prefill array at the arch's formats): what a per-step SRAM energy of the
 * preset's table prices. */
static double step_bits(const struct cfg_arch *a)
{
	struct pe_params p;
	struct pe_array arr;
	struct pe_tile_timing tt;
	struct pe_tile t;
	uint64_t w = 0, x = 0;
	pe_params_from_arch(a, NULL, WL_PREFILL, &p);
	pe_array_of(a, WL_PREFILL, &arr);
	t = (struct pe_tile){ .m = arr.cols, .n = arr.rows, .k = 64ull * (p.lanes ? p.lanes : 1) };
	pe_family_of(a)->tile_timing(&p, &arr, &t, true, &tt);
	pe_tile_read_bits(a, WL_PREFILL, &t, &tt, pe_code_bits(&p), p.act_bits, &w, &x);
	return tt.steps ? (double)(w + x) / (double)tt.steps : 0;
}

static enum ps_status one(const struct rpt_options *o, const struct rpt_design *d,
			  const char *const *sets, const struct wl_model *m, const char *scen,
			  double preset_step_bits, struct so_cell *c, struct ps_err *err)
{
	struct rpt_loaded *ld;
	struct wl_scenario sc;
	struct sim_result r;
	enum ps_status st = rpt_design_new(o, d, sets, &ld, err);
	if (!st)
		st = wl_scenario_parse(scen, &sc, err);
	if (!st)
		st = rpt_run(&ld->arch, &ld->energy, m, scen, SIM_MODE_CYCLE, NULL, &r, err);
	if (!st) {
		const double *x = r.energy.by_action;
		double tok = sc.base == WL_PREFILL ? (double)sc.prompt * sc.batch : (double)sc.batch;
		/* dynamic on-chip energy of the family's own table (its leakage
		 * left out: only some tables have one) + DRAM at one price */
		double e_pj = r.energy.onchip - x[SIM_ACT_PE_LEAK_CYCLE] +
			      (double)(r.dram_read_bytes + r.dram_write_bytes) * 8 * SO_DRAM_PJ_BIT;
		/* the table's per-step read energy is the preset array's step:
		 * rescale it to this array's step (operand bits read) */
		if (preset_step_bits > 0)
			e_pj += x[SIM_ACT_SRAM_TILE_READ] * (step_bits(&ld->arch) / preset_step_bits - 1);
		c->cycles = r.cycles;
		c->pes = r.pes;
		c->rows = cfg_arch_shape(&ld->arch, WL_PREFILL)->rows;
		c->cols = cfg_arch_shape(&ld->arch, WL_PREFILL)->cols;
		c->tok_s = tok / r.seconds;
		c->pj_tok = e_pj / tok;
		c->area_mm2 = r.array_area_um2 * 1e-6;
		c->stored_bits = pe_weight_bits(&ld->arch, m->name, sc.base);
		sim_result_free(&r);
	}
	free(ld);
	return st;
}

static enum ps_status bt_sqnr(const struct rpt_options *o, const struct rpt_design *d,
			      const char *const *sets, double *sqnr, struct ps_err *err)
{
	struct rpt_loaded *ld;
	struct sim_result r;
	enum ps_status st = rpt_design_new(o, d, sets, &ld, err);
	if (!st) {
		struct sim_request rq = { .arch = &ld->arch, .energy = &ld->energy, .M = 8,
					  .K = 512, .N = 128, .mode = SIM_MODE_BITTRUE,
					  .seed = 1 };
		st = sim_run(&rq, &r, err);
		if (st == PS_ECHECK)
			st = ps_errf(err, PS_ECHECK, "%s: bit-true stepping and the closed form disagree",
				     ld->arch.name);
		if (!st) {
			*sqnr = r.bt.sqnr_db;
			sim_result_free(&r);
		}
	}
	free(ld);
	return st;
}

static enum ps_status grid(const struct rpt_recipe *r, const struct rpt_options *o,
			   struct so_grid *g, struct ps_err *err)
{
	char buf[512];
	struct cfg_arch *a = calloc(1, sizeof *a);
	struct wl_model *m = calloc(SO_MAX_M, sizeof *m);
	struct ps_progress *bar = NULL;
	enum ps_status st = !a || !m ? ps_errf(err, PS_ENOMEM, "out of memory") :
				       rpt_models(r, o, buf, sizeof buf, g->models, SO_MAX_M, &g->nm, err);
	for (g->nd = 0; r->designs[g->nd].key && g->nd < SO_MAX_D; g->nd++)
		;
	for (g->ns = 0; r->scenarios[g->ns] && g->ns < 2; g->ns++)
		;
	for (size_t k = 0; k < g->nm && !st; k++) {
		st = rpt_load_model(o, g->models[k], &m[k], err);
		snprintf(g->display[k], sizeof g->display[k], "%s", m[k].display);
	}
	for (size_t d = 0; d < g->nd && !st && !g->area_pes; d++)
		if (!strcmp(r->designs[d].key, SO_AREA_DESIGN)) {
			st = rpt_load_design(o, &r->designs[d], NULL, a, NULL, err);
			g->area_pes = st ? 0 : cfg_arch_pes(a, WL_PREFILL);
			g->area_um2 = (double)g->area_pes * a->pe.area_um2;
		}
	if (!st && !g->area_pes)
		st = ps_errf(err, PS_EINPUT, "report shootout: no design '%s' to take the area from",
			     SO_AREA_DESIGN);
	bar = ps_progress_begin("report shootout", "runs", g->nd * 2 * (g->nm * g->ns + 2));
	for (size_t d = 0; d < g->nd && !st; d++) {
		uint64_t pes;
		double preset_bits;
		st = rpt_load_design(o, &r->designs[d], NULL, a, NULL, err);
		if (st)
			break;
		pes = (uint64_t)floor(g->area_um2 / a->pe.area_um2);
		g->pe_um2[d] = a->pe.area_um2;
		cfg_area_describe(a, g->area_source[d], sizeof g->area_source[d]);
		preset_bits = step_bits(a);
		for (int w = 0; w < 2 && !st; w++) {
			char s[4][96];
			const char *sets[16];
			sets_for(&fmts[d], w, pes, s, sets);
			snprintf(g->spec[d][w], sizeof g->spec[d][w], "%s", w ? fmts[d].low : fmts[d].w4);
			for (size_t k = 0; k < g->nm && !st; k++)
				for (size_t sc = 0; sc < g->ns && !st; sc++) {
					st = one(o, &r->designs[d], sets, &m[k], r->scenarios[sc],
						 preset_bits, &g->c[d][w][k][sc], err);
					ps_progress_add(bar, 1);
				}
			if (!st)
				st = quant_sqnr(g->spec[d][w], &g->w_sqnr[d][w], err);
			ps_progress_add(bar, 1);
			if (!st)
				st = bt_sqnr(o, &r->designs[d], sets, &g->g_sqnr[d][w], err);
			ps_progress_add(bar, 1);
		}
	}
	ps_progress_end(bar);
	free(a);
	free(m);
	return st;
}

static void tables(struct rpt_doc *d, const struct rpt_recipe *r, const struct so_grid *g)
{
	struct rpt_tab *sh = rpt_doc_table(d, "designs", false);
	struct rpt_tab *t = rpt_doc_table(d, "runs", true);
	fprintf(d->md, "## The designs at %.4f mm^2 of PEs\n\n", g->area_um2 * 1e-6);
	rpt_tab_cols(sh, "design %s, family %s, weights %s, stored_bits bit %.3f, "
		     "array %s, pes %u, pe_area_um2 um2 %.1f, area_mm2 mm2 %.4f, "
		     "weight_sqnr_db dB %.2f, gemm_sqnr_db dB %.2f, area_source %s");
	for (size_t i = 0; i < g->nd; i++)
		for (int w = 0; w < 2; w++) {
			const struct so_cell *c = &g->c[i][w][0][0];
			void *row;
			char arr[32];
			if (w && !strcmp(g->spec[i][0], g->spec[i][1]))
				continue;
			row = rpt_tab_row(sh);
			snprintf(arr, sizeof arr, "%llux%llu", (unsigned long long)c->rows,
				 (unsigned long long)c->cols);
			rpt_tab_str(sh, row, 0, r->designs[i].label);
			rpt_tab_str(sh, row, 1, r->designs[i].key);
			rpt_tab_str(sh, row, 2, g->spec[i][w]);
			rpt_tab_f64(sh, row, 3, c->stored_bits);
			rpt_tab_str(sh, row, 4, arr);
			rpt_tab_u64(sh, row, 5, c->pes);
			rpt_tab_f64(sh, row, 6, g->pe_um2[i]);
			rpt_tab_f64(sh, row, 7, c->area_mm2);
			rpt_tab_f64(sh, row, 8, g->w_sqnr[i][w]);
			rpt_tab_f64(sh, row, 9, g->g_sqnr[i][w]);
			rpt_tab_str(sh, row, 10, g->area_source[i]);
		}
	rpt_tab_markdown(d, sh);
	fprintf(d->md, "weight_sqnr_db: the format's quantizer on generated Llama-like "
		"weights [256 x 4096] (seed 1, `wl_gen_weights`); gemm_sqnr_db: an "
		"8x512x128 GEMM through the family's bit-true stepped PEs against the "
		"exact GEMM of the dequantized weights (the datapath's own rounding; "
		"INT8-activation PEs include the activations' INT8 step).\n\n"
		"## Cycles, tokens/s and energy per token\n\n");
	rpt_tab_cols(t, "model %s, scenario %s, design %s, weights %s, cycles cycle %u, "
		     "tokens_per_s token/s %.2f, energy_per_token_pj pJ/token %.4g, "
		     "area_mm2 mm2 %.4f, weight_sqnr_db dB %.2f");
	for (size_t k = 0; k < g->nm; k++)
		for (size_t s = 0; s < g->ns; s++)
			for (size_t i = 0; i < g->nd; i++)
				for (int w = 0; w < 2; w++) {
					const struct so_cell *c = &g->c[i][w][k][s];
					void *row;
					if (w && !strcmp(g->spec[i][0], g->spec[i][1]))
						continue;
					row = rpt_tab_row(t);
					rpt_tab_str(t, row, 0, g->display[k]);
					rpt_tab_str(t, row, 1, r->scenarios[s]);
					rpt_tab_str(t, row, 2, r->designs[i].label);
					rpt_tab_str(t, row, 3, g->spec[i][w]);
					rpt_tab_u64(t, row, 4, c->cycles);
					rpt_tab_f64(t, row, 5, c->tok_s);
					rpt_tab_f64(t, row, 6, c->pj_tok);
					rpt_tab_f64(t, row, 7, c->area_mm2);
					rpt_tab_f64(t, row, 8, g->w_sqnr[i][w]);
				}
	rpt_tab_markdown(d, t);
}

/* Pareto front over tokens/s (max), energy per token (min) and the
 * weight format's SQNR (max), per panel: a design that is faster only by
 * pruning or narrowing its weights stays on it only if nothing is better
 * on all three. */
static bool dominated(const struct so_grid *g, size_t k, size_t s, size_t i, int w)
{
	const struct so_cell *c = &g->c[i][w][k][s];
	double q = g->w_sqnr[i][w];
	for (size_t j = 0; j < g->nd; j++)
		for (int v = 0; v < 2; v++) {
			const struct so_cell *x = &g->c[j][v][k][s];
			double xq = g->w_sqnr[j][v];
			if ((j == i && v == w) || (v && !strcmp(g->spec[j][0], g->spec[j][1])))
				continue;
			if (x->tok_s >= c->tok_s && x->pj_tok <= c->pj_tok && xq >= q &&
			    (x->tok_s > c->tok_s || x->pj_tok < c->pj_tok || xq > q))
				return true;
		}
	return false;
}

static void pareto(struct rpt_doc *d, const struct rpt_recipe *r, const struct so_grid *g)
{
	FILE *gp = d->gp;
	fprintf(d->md, "## Pareto fronts (tokens/s up, energy per token down, weight SQNR up)\n\n");
	for (size_t k = 0; k < g->nm; k++)
		for (size_t s = 0; s < g->ns; s++) {
			fprintf(d->md, "- %s, %s:", g->display[k], r->scenarios[s]);
			for (size_t i = 0; i < g->nd; i++)
				for (int w = 0; w < 2; w++)
					if (!(w && !strcmp(g->spec[i][0], g->spec[i][1])) &&
					    !dominated(g, k, s, i, w))
						fprintf(d->md, " %s (%s);", r->designs[i].label, g->spec[i][w]);
			fputc('\n', d->md);
		}
	fputc('\n', d->md);
	for (size_t k = 0; k < g->nm; k++)
		for (size_t s = 0; s < g->ns; s++) {
			fprintf(gp, "$p%zu%zu << EOD\n", k, s);
			for (size_t i = 0; i < g->nd; i++)
				for (int w = 0; w < 2; w++) {
					const struct so_cell *c = &g->c[i][w][k][s];
					double q = g->w_sqnr[i][w];
					if (w && !strcmp(g->spec[i][0], g->spec[i][1]))
						continue;
					fprintf(gp, "%.6g %.6g %.4f \"%s %s\" %d\n", c->tok_s, c->pj_tok * 1e-9,
						isfinite(q) ? q : 30.0, r->designs[i].key, g->spec[i][w],
						dominated(g, k, s, i, w) ? 1 : 7);
				}
			fprintf(gp, "EOD\n");
		}
	fprintf(gp, "set terminal png size 1400,1100 noenhanced\nset grid\n"
		    "set multiplot layout %zu,%zu title 'Shootout at %.2f mm^2 of PEs, one memory system (point size: weight SQNR; Pareto front in colour)'\n",
		g->nm, g->ns, g->area_um2 * 1e-6);
	for (size_t k = 0; k < g->nm; k++)
		for (size_t s = 0; s < g->ns; s++)
			fprintf(gp, "set title '%s %s'\nset xlabel 'tokens/s'\nset ylabel 'mJ per token'\n"
				    "set logscale xy\nunset key\n"
				    "plot $p%zu%zu using 1:2:($3/8):5 with points pt 7 ps variable lc variable, "
				    "'' using 1:2:4 with labels font ',7' offset 0,1\n",
				g->display[k], r->scenarios[s], k, s);
	fprintf(gp, "unset multiplot\nset output\n");
}

enum ps_status rpt_shootout_doc(const struct rpt_recipe *r, const struct rpt_options *o,
				struct rpt_doc *d, struct ps_err *err)
{
	struct so_grid *g = calloc(1, sizeof *g);
	enum ps_status st = g ? grid(r, o, g, err) : ps_errf(err, PS_ENOMEM, "out of memory");
	if (st) {
		free(g);
		return st;
	}
	fprintf(d->md, "# Shootout: every PE family at one area on one memory system\n\n"
		"No paper has this table. Each design is its preset (`rpt_recipes.c`) "
		"with the same memory system imposed -");
	for (size_t i = 0; memory[i]; i++)
		fprintf(d->md, "%s `%s`", i ? "," : "", memory[i]);
	fprintf(d->md, " - and its array cut "
		"to %.4f mm^2 of PEs (%s's %llu PEs): PEs = floor(area / "
		"the preset's PE area: our RTL through Yosys where the family has "
		"RTL, else the paper's figure or an estimate, as `area_source` says), "
		"square unless the family fixes its "
		"columns (the LUT tile's 2 tables; FlightLLM's N of N:16, in whole "
		"chains of 16). Weights at 4 bits and at the family's lowest width "
		"(one row where they coincide). Energy per token: the family's own "
		"table's dynamic on-chip energies (their sources differ: the BitMoD "
		"paper's fit, MixPE's CACTI, Horowitz estimates), its per-step SRAM "
		"read energy rescaled from the preset's array step to this array's "
		"(operand bits read per step), plus DRAM at one price, %.2f pJ/bit "
		"(BitMoD's). Cycle mode throughout.\n\n",
		g->area_um2 * 1e-6, SO_AREA_DESIGN, (unsigned long long)g->area_pes,
		SO_DRAM_PJ_BIT);
	rpt_doc_attr(d, "area_um2", "%.1f", g->area_um2);
	rpt_doc_attr(d, "dram_pj_per_bit", "%.2f", SO_DRAM_PJ_BIT);
	tables(d, r, g);
	pareto(d, r, g);
	free(g);
	return PS_OK;
}

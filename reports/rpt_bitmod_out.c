/* rpt_bitmod_out.c - the BitMoD table as Markdown, CSV, HDF5 and PNG. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"
#include "ps_plot.h"
#include "rpt_bitmod.h"
#include "sim.h"
#include "ps_h5.h"
#include "wl_scenario.h"

static const char *cmp_label(const struct bm_cmp *c, char *buf, size_t n)
{
	snprintf(buf, n, "%s vs %s", bm_design_labels[c->design],
		 bm_design_labels[c->baseline]);
	return buf;
}

/* Does ours, rounded to the paper's printed decimals, equal the paper? */
static int matches(double ours, const struct rpt_figure *f)
{
	double q = pow(10, f->digits);
	return llround(ours * q) == llround(f->value * q);
}

static void ratio_table(FILE *fp, const struct bm_grid *g, const char *metric,
			int s)
{
	char lab[96];
	fprintf(fp, "| model |");
	for (size_t i = 0; i < bm_n_cmps; i++)
		if (!strcmp(bm_cmps[i].metric, metric))
			fprintf(fp, " %s |", cmp_label(&bm_cmps[i], lab, sizeof lab));
	fprintf(fp, "\n|---|");
	for (size_t i = 0; i < bm_n_cmps; i++)
		if (!strcmp(bm_cmps[i].metric, metric))
			fprintf(fp, "---:|");
	fputc('\n', fp);
	for (int m = 0; m < BM_MODELS; m++) {
		fprintf(fp, "| %s |", g->model_display[m]);
		for (size_t i = 0; i < bm_n_cmps; i++)
			if (!strcmp(bm_cmps[i].metric, metric))
				fprintf(fp, " %.3f |", bm_ratio(g, &bm_cmps[i], s, m));
		fputc('\n', fp);
	}
	fprintf(fp, "| **mean (pesim)** |");
	for (size_t i = 0; i < bm_n_cmps; i++)
		if (!strcmp(bm_cmps[i].metric, metric))
			fprintf(fp, " **%.3f** |", bm_mean(g, &bm_cmps[i], s));
	fprintf(fp, "\n| mean (paper) |");
	for (size_t i = 0; i < bm_n_cmps; i++) {
		const struct bm_cmp *c = &bm_cmps[i];
		const struct rpt_figure *f;
		if (strcmp(c->metric, metric))
			continue;
		f = bm_paper(g, c, s);
		if (f)
			fprintf(fp, " %.*f |", (int)f->digits, f->value);
		else
			fprintf(fp, " — |");
	}
	fputs("\n\n", fp);
}

/* One generated sentence per op class: what differs and by how much. */
static void explain(FILE *fp, const struct bm_gap *x, int phase, int cls)
{
	double rb = x->compat_bytes ? (double)x->cycle_bytes / (double)x->compat_bytes : 0;
	double rc = x->compat_compute ? (double)x->cycle_compute / (double)x->compat_compute : 0;
	double dram = (double)x->cycle_bytes * 8.0 / 256.0;
	double busy = (double)x->cycle_compute > dram ? (double)x->cycle_compute : dram;
	double exposed = x->cycle_cycles > busy ? ((double)x->cycle_cycles - busy) / (double)x->cycle_cycles : 0;
	int n = 0;
	fprintf(fp, " ");
	if (cls == WL_OP_ATTN) {
		fprintf(fp, "Shapes differ: pesim runs Q K^T and P V per KV group on the real K/V (ctx x head_dim each), the paper its loose [T, hidden] x kv_dim shapes%s. ",
			phase == WL_DECODE ? " and, in decode, reads no KV cache" : "");
		n++;
	}
	if (rb > 1.05 || (rb > 0 && rb < 0.95)) {
		fprintf(fp, "DRAM traffic x%.2f: %s. ", rb,
			cls == WL_OP_ATTN ? "the KV cache and scores move at 16 bits" :
			rb > 1 ? "the mapper's tiles re-load operands more often than the paper's re-fetch rule assumes" :
				 "the mapper keeps one operand resident where the paper's rule re-fetches it");
		n++;
	}
	if (rc > 1.05) {
		fprintf(fp, "Compute x%.2f: %s. ", rc,
			cls == WL_OP_ATTN ? "the term-serial PE steps FP16 operands (8 Booth terms) where the paper charges the weight datatype's latency, plus fill/drain" :
					    "partly used array passes (tile edges, tiles narrower than the array where a full-width one does not fit the buffers) and fill and drain");
		n++;
	}
	if (exposed > 0.05) {
		fprintf(fp, "%.0f%% of the time loads and compute do not overlap (loads waited %.3g cycles for a buffer slot, compute %.3g for data)%s. ",
			100 * exposed, (double)x->stall_buffer, (double)x->stall_data,
			x->stall_barrier ? ", and an op's first loads wait for the previous op's last tiles" : "");
		n++;
	}
	if (!n)
		fprintf(fp, "Within 5%%: the op is bound by the same resource in both. ");
}

/* A design's gap, compat to cycle mode, in four parts (fractions of its
 * compat cycles): attention as pesim models it, the other ops at their
 * bound against the paper's method, the buffer capacities (hardware), and
 * the mapping and its overlap (the mapper). */
enum { SEG_ATTN, SEG_METHOD, SEG_BUFFERS, SEG_MAPPER, SEG_N };
static const char *const seg_names[SEG_N] = {
	"attention shapes", "paper's DRAM rule, fill/drain", "buffer capacity (hardware)",
	"mapping and overlap (mapper)",
};

static void segments(const struct bm_split *x, double seg[SEG_N], double *ratio)
{
	double c0 = (double)(x->compat[0] + x->compat[1]);
	seg[SEG_ATTN] = ((double)x->hw[0] - (double)x->compat[0]) / c0;
	seg[SEG_METHOD] = ((double)x->hw[1] - (double)x->compat[1]) / c0;
	seg[SEG_BUFFERS] = ((double)(x->buf[0] + x->buf[1]) - (double)(x->hw[0] + x->hw[1])) / c0;
	seg[SEG_MAPPER] = ((double)(x->cycle[0] + x->cycle[1]) - (double)(x->buf[0] + x->buf[1])) / c0;
	*ratio = (double)(x->cycle[0] + x->cycle[1]) / c0;
}

static void design_section(FILE *fp, const struct bm_grid *g)
{
	char lab[96];
	fprintf(fp, "### Why cycle mode differs from compat, per design\n\n"
		    "Each design's cycles, summed over the six models, from compat to cycle mode "
		    "in four parts (each a share of its compat cycles): **attention shapes** - "
		    "pesim's attention (per KV group on the real K/V, the KV cache read, the "
		    "design's PE on FP16 operands) at its bound, against the paper's; **paper's "
		    "DRAM rule, fill/drain** - the other ops at max(compute-bound, DRAM-bound) "
		    "(compulsory traffic, one fill and drain per op) against the paper's per-op "
		    "max(compute, DRAM) with its re-fetch rule; **buffer capacity (hardware)** - "
		    "the bound under the buffers (the best tiling that fits them, overlapped "
		    "perfectly) against the bound without: the re-loads and array-cutting tiles "
		    "the capacities force; **mapping and overlap (mapper)** - achieved against "
		    "that bound: the tiles and slots the mapper chose and the loads, stores and "
		    "fills its schedule leaves exposed.\n\n"
		    "| scenario | design | compat cycles |");
	for (int k = 0; k < SEG_N; k++)
		fprintf(fp, " %s |", seg_names[k]);
	fprintf(fp, " cycle / compat |\n|---|---|---:|");
	for (int k = 0; k < SEG_N; k++)
		fprintf(fp, "---:|");
	fprintf(fp, "---:|\n");
	for (int s = 0; s < BM_SCEN; s++)
		for (int d = 0; d < BM_DESIGNS; d++) {
			const struct bm_split *x = &g->split[s][d];
			double seg[SEG_N], r;
			segments(x, seg, &r);
			fprintf(fp, "| %s | %s | %llu |", bm_scen_keys[s], bm_design_labels[d],
				(unsigned long long)(x->compat[0] + x->compat[1]));
			for (int k = 0; k < SEG_N; k++)
				fprintf(fp, " %+.1f%% |", 100 * seg[k]);
			fprintf(fp, " %.3f |\n", r);
		}
	fprintf(fp, "\nA speedup moves from compat to cycle mode by the baseline's cycle/compat over "
		    "the design's (totals over the models; the table's means are of per-model "
		    "ratios); the two parts that differ most between baseline and design, "
		    "baseline first:\n\n");
	for (int s = 0; s < BM_SCEN; s++)
		for (size_t i = 0; i < bm_n_cmps; i++) {
			const struct bm_cmp *c = &bm_cmps[i];
			double sd[SEG_N], sb[SEG_N], rd, rb;
			int top[2] = { 0, 1 };
			if (strcmp(c->metric, "speedup"))
				continue;
			segments(&g->split[s][c->design], sd, &rd);
			segments(&g->split[s][c->baseline], sb, &rb);
			if (fabs(sb[1] - sd[1]) > fabs(sb[0] - sd[0])) {
				top[0] = 1;
				top[1] = 0;
			}
			for (int k = 2; k < SEG_N; k++) {
				double v = fabs(sb[k] - sd[k]);
				if (v > fabs(sb[top[0]] - sd[top[0]])) {
					top[1] = top[0];
					top[0] = k;
				} else if (v > fabs(sb[top[1]] - sd[top[1]])) {
					top[1] = k;
				}
			}
			fprintf(fp, "- %s, %s: compat %.3f, cycle %.3f (x%.2f): %s x%.3f and %s x%.3f "
				    "of compat; %s %+.1f%% vs %+.1f%%, %s %+.1f%% vs %+.1f%%.\n",
				cmp_label(c, lab, sizeof lab), bm_scen_keys[s], bm_mean(g, c, s),
				bm_mean_cyc(g, c, s), bm_mean_cyc(g, c, s) / bm_mean(g, c, s),
				bm_design_labels[c->baseline], rb, bm_design_labels[c->design], rd,
				seg_names[top[0]], 100 * sb[top[0]], 100 * sd[top[0]],
				seg_names[top[1]], 100 * sb[top[1]], 100 * sd[top[1]]);
		}
	fputc('\n', fp);
}

/* A Markdown table header: the lead columns, then a right-aligned column
 * per design (lead_rule: the lead columns' part of the rule). */
static void design_header(FILE *fp, const char *lead, const char *lead_rule)
{
	fputs(lead, fp);
	for (int d = 0; d < BM_DESIGNS; d++)
		fprintf(fp, " %s |", bm_design_labels[d]);
	fprintf(fp, "\n%s", lead_rule);
	for (int d = 0; d < BM_DESIGNS; d++)
		fprintf(fp, "---:|");
	fputc('\n', fp);
}

static void cycle_section(FILE *fp, const struct bm_grid *g)
{
	char lab[96];
	fprintf(fp, "## Cycle-level engine beside compat and paper\n\n"
		    "Cycle mode compiles each model with the mapper and runs the trace "
		    "through the engine: three token-ordered queues, a shared DRAM channel, "
		    "systolic fill and drain, buffer slots (README \"Cycle-level engine\"). "
		    "Means over the six models:\n\n");
	fprintf(fp, "| metric | scenario | comparison | paper | compat | cycle |\n|---|---|---|---:|---:|---:|\n");
	for (int s = 0; s < BM_SCEN; s++)
		for (size_t i = 0; i < bm_n_cmps; i++) {
			const struct bm_cmp *c = &bm_cmps[i];
			const struct rpt_figure *f = bm_paper(g, c, s);
			fprintf(fp, "| %s | %s | %s | ", c->metric, bm_scen_keys[s],
				cmp_label(c, lab, sizeof lab));
			if (f)
				fprintf(fp, "%.*f", (int)f->digits, f->value);
			else
				fprintf(fp, "—");
			fprintf(fp, " | %.3f | %.3f |\n", bm_mean(g, c, s), bm_mean_cyc(g, c, s));
		}
	fprintf(fp, "\nCycles per model and design (cycle mode):\n\n");
	design_header(fp, "| scenario | model |", "|---|---|");
	for (int s = 0; s < BM_SCEN; s++)
		for (int m = 0; m < BM_MODELS; m++) {
			fprintf(fp, "| %s | %s |", bm_scenarios[s], g->model_display[m]);
			for (int d = 0; d < BM_DESIGNS; d++)
				fprintf(fp, " %llu (x%.2f) |", (unsigned long long)g->y[s][m][d].cycles,
					(double)g->y[s][m][d].cycles / (double)g->c[s][m][d].cycles);
			fputc('\n', fp);
		}
	fprintf(fp, "\n(x: cycle mode over compat.)\n\n");
	design_section(fp, g);
	fprintf(fp, "### Where cycle mode differs from compat, op by op (Llama-2-7B, BitMoD-lossy, generate:256+20)\n\n"
		    "| phase | ops | compat cycles | cycle cycles | cycle / compat | why |\n|---|---|---:|---:|---:|---|\n");
	for (int p = 0; p < WL_PHASE_N; p++)
		for (int c = 0; c < WL_OP_CLASS_N; c++) {
			const struct bm_gap *x = &g->gap[p][c];
			if (!x->compat_cycles && !x->cycle_cycles)
				continue;
			fprintf(fp, "| %s | %s | %llu | %llu | %.2f |", wl_phase_name(p),
				wl_op_class_name(c), (unsigned long long)x->compat_cycles,
				(unsigned long long)x->cycle_cycles,
				x->compat_cycles ? (double)x->cycle_cycles / (double)x->compat_cycles : 0);
			explain(fp, x, p, c);
			fprintf(fp, "|\n");
		}
	fputc('\n', fp);
}

void bm_markdown(FILE *fp, const struct bm_grid *g)
{
	char lab[96];
	fprintf(fp, "# BitMoD (HPCA 2025) regenerated by pesim\n\n");
	fprintf(fp, "Mode: **compat** — the paper's analytical method (bitmod.md): "
		    "tiles x bit-serial latency, per-op max(compute, DRAM), no pipeline "
		    "fill, no overlap across ops; attention: %s. Every decode step of "
		    "generate:256+20 runs at context 256, as in the paper. Paper figures "
		    "come from `%s`.\n\n",
		sim_compat_attn_names[g->compat_attn], "reports/reference/bitmod-paper.yaml");
	for (int s = 0; s < BM_SCEN; s++) {
		fprintf(fp, "## Speedup, %s (cycles of baseline / cycles of design)\n\n",
			bm_scenarios[s]);
		ratio_table(fp, g, "speedup", s);
	}
	for (int s = 0; s < BM_SCEN; s++) {
		fprintf(fp, "## Energy normalized to FP16, %s (total = on-chip + DRAM)\n\n",
			bm_scenarios[s]);
		design_header(fp, "| model |", "|---|");
		for (int m = 0; m < BM_MODELS; m++) {
			double base = g->c[s][m][BM_FP16].e_total;
			fprintf(fp, "| %s |", g->model_display[m]);
			for (int d = 0; d < BM_DESIGNS; d++) {
				const struct bm_cell *c = &g->c[s][m][d];
				fprintf(fp, " %.3f (%.3f + %.3f) |", c->e_total / base,
					c->e_onchip / base, c->e_dram / base);
			}
			fputc('\n', fp);
		}
		fputc('\n', fp);
		fprintf(fp, "Energy efficiency (energy of baseline / energy of design):\n\n");
		ratio_table(fp, g, "energy_efficiency", s);
	}
	cycle_section(fp, g);
	fprintf(fp, "## PE-array area\n\nCompat charges the paper's PE areas (its performance "
		"model's); the presets' own, which cycle mode and every other command use, come "
		"from our RTL through Yosys where there is one (`area_source`, README \"`pesim "
		"area`\").\n\n");
	fprintf(fp, "| design | PEs prefill | PEs decode | PE um2 | array mm2 | vs FP16 "
		"| PE um2 (ours) | array mm2 (ours) | vs FP16 (ours) | area_source |\n"
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
	for (int d = 0; d < BM_DESIGNS; d++)
		fprintf(fp, "| %s | %llu | %llu | %.1f | %.4f | %.3f | %.1f | %.4f | %.3f | %s |\n",
			bm_design_labels[d], (unsigned long long)g->pes[d][0],
			(unsigned long long)g->pes[d][1], g->pe_area_um2[d],
			g->area_um2[d] * 1e-6, g->area_um2[d] / g->area_um2[BM_FP16],
			g->pe_area_cyc_um2[d], g->area_cyc_um2[d] * 1e-6,
			g->area_cyc_um2[d] / g->area_cyc_um2[BM_FP16], g->area_source[d]);
	fprintf(fp, "\n## pesim means beside the paper's\n\n");
	fprintf(fp, "| metric | scenario | comparison | paper | pesim | deviation | equal at printed precision |\n|---|---|---|---:|---:|---:|---|\n");
	for (int s = 0; s < BM_SCEN; s++)
		for (size_t i = 0; i < bm_n_cmps; i++) {
			const struct bm_cmp *c = &bm_cmps[i];
			const struct rpt_figure *f = bm_paper(g, c, s);
			double ours = bm_mean(g, c, s);
			if (!f)
				continue;
			fprintf(fp, "| %s | %s | %s | %.*f | %.4f | %+.4f | %s |\n",
				c->metric, bm_scen_keys[s],
				cmp_label(c, lab, sizeof lab), (int)f->digits,
				f->value, ours, ours - f->value,
				matches(ours, f) ? "yes" : "**no**");
		}
	fputc('\n', fp);
}

/* One row per scenario, model and design (compat mode): the columns of
 * bitmod.csv and of bitmod.h5's /runs, named once. */
struct run_row {
	char scenario[24], model[24], design[24];
	uint64_t cycles, compute_cycles;
	double energy_total_pj, energy_onchip_pj, energy_compute_pj, energy_sram_pj,
		energy_dram_pj, speedup_vs_fp16, energy_vs_fp16, area_um2;
};

struct cmp_row {
	char metric[24], scenario[24], design[24], baseline[24];
	double pesim, paper;	/* paper NaN when not published */
};

#define RC(f, t, u) PS_COL(struct run_row, f, t, u)
static const struct ps_col run_cols[] = {
	RC(scenario, PS_COL_STR, ""), RC(model, PS_COL_STR, ""), RC(design, PS_COL_STR, ""),
	RC(cycles, PS_COL_U64, "cycle"), RC(compute_cycles, PS_COL_U64, "cycle"),
	RC(energy_total_pj, PS_COL_F64, "pJ"), RC(energy_onchip_pj, PS_COL_F64, "pJ"),
	RC(energy_compute_pj, PS_COL_F64, "pJ"), RC(energy_sram_pj, PS_COL_F64, "pJ"),
	RC(energy_dram_pj, PS_COL_F64, "pJ"), RC(speedup_vs_fp16, PS_COL_F64, "x"),
	RC(energy_vs_fp16, PS_COL_F64, "x"), RC(area_um2, PS_COL_F64, "um2"),
};
#define N_RUN_COLS (sizeof run_cols / sizeof *run_cols)
#define CC(f, t, u) PS_COL(struct cmp_row, f, t, u)
static const struct ps_col cmp_cols[] = {
	CC(metric, PS_COL_STR, ""), CC(scenario, PS_COL_STR, ""),
	CC(design, PS_COL_STR, ""), CC(baseline, PS_COL_STR, ""),
	CC(pesim, PS_COL_F64, "x"), CC(paper, PS_COL_F64, "x"),
};

static size_t run_rows(const struct bm_grid *g, struct run_row *runs)
{
	size_t nr = 0;
	memset(runs, 0, BM_SCEN * BM_MODELS * BM_DESIGNS * sizeof *runs);
	for (int s = 0; s < BM_SCEN; s++)
		for (int m = 0; m < BM_MODELS; m++)
			for (int d = 0; d < BM_DESIGNS; d++) {
				const struct bm_cell *c = &g->c[s][m][d];
				const struct bm_cell *f = &g->c[s][m][BM_FP16];
				struct run_row *r = &runs[nr++];
				snprintf(r->scenario, sizeof r->scenario, "%s", bm_scenarios[s]);
				snprintf(r->model, sizeof r->model, "%s", bm_models[m]);
				snprintf(r->design, sizeof r->design, "%s", bm_designs[d]);
				r->cycles = c->cycles;
				r->compute_cycles = c->compute_cycles;
				r->energy_total_pj = c->e_total;
				r->energy_onchip_pj = c->e_onchip;
				r->energy_compute_pj = c->e_compute;
				r->energy_sram_pj = c->e_sram;
				r->energy_dram_pj = c->e_dram;
				r->speedup_vs_fp16 = (double)f->cycles / (double)c->cycles;
				r->energy_vs_fp16 = c->e_total / f->e_total;
				r->area_um2 = g->area_um2[d];
			}
	return nr;
}

enum ps_status bm_write_csv(const char *path, const struct bm_grid *g,
			    struct ps_err *err)
{
	struct run_row runs[BM_SCEN * BM_MODELS * BM_DESIGNS];
	size_t nr = run_rows(g, runs);
	struct ps_out o;
	enum ps_status st = ps_out_open(&o, path, err);
	if (st)
		return st;
	ps_csv_header(o.fp, run_cols, N_RUN_COLS);
	for (size_t i = 0; i < nr; i++)
		ps_csv_row(o.fp, run_cols, N_RUN_COLS, &runs[i]);
	return ps_out_commit(&o, err);
}

enum ps_status bm_write_h5(const char *path, const struct bm_grid *g,
			   struct ps_err *err)
{
	struct run_row runs[BM_SCEN * BM_MODELS * BM_DESIGNS];
	struct cmp_row cmps[BM_SCEN * 16];
	struct ps_h5_file *f;
	size_t nr = run_rows(g, runs), nc = 0;
	enum ps_status st;

	memset(cmps, 0, sizeof cmps);
	for (int s = 0; s < BM_SCEN; s++)
		for (size_t i = 0; i < bm_n_cmps; i++) {
			const struct bm_cmp *c = &bm_cmps[i];
			const struct rpt_figure *pf = bm_paper(g, c, s);
			struct cmp_row *r = &cmps[nc++];
			snprintf(r->metric, sizeof r->metric, "%s", c->metric);
			snprintf(r->scenario, sizeof r->scenario, "%s", bm_scen_keys[s]);
			snprintf(r->design, sizeof r->design, "%s", bm_designs[c->design]);
			snprintf(r->baseline, sizeof r->baseline, "%s", bm_designs[c->baseline]);
			r->pesim = bm_mean(g, c, s);
			r->paper = pf ? pf->value : NAN;
		}
	st = ps_h5_create(&f, path, err);
	if (st)
		return st;
	if (!(st = ps_h5_stamp(f, err)) &&
	    !(st = ps_h5_attr_str(f, "report", "bitmod", err)) &&
	    !(st = ps_h5_attr_str(f, "mode", "compat", err)) &&
	    !(st = ps_h5_attr_str(f, "compat_attention",
				   sim_compat_attn_names[g->compat_attn], err)) &&
	    !(st = ps_h5_table(f, "runs", run_cols, N_RUN_COLS, runs, nr, sizeof *runs, err)))
		st = ps_h5_table(f, "means", cmp_cols, sizeof cmp_cols / sizeof *cmp_cols,
				  cmps, nc, sizeof *cmps, err);
	if (st) {
		ps_h5_abort(f);
		return st;
	}
	return ps_h5_commit(f, err);
}

/* Four panels: BitMoD-lossy's speedup over FP16, ANT and OliVe per model
 * (prefill, generate); mean energy of each design normalized to FP16, split
 * into on-chip and DRAM; PE-array area. Data go inline as heredoc blocks. */
static void png_data(FILE *gp, const struct bm_grid *g)
{
	for (int s = 0; s < BM_SCEN; s++) {
		fprintf(gp, "$d%d << EOD\n", s);
		for (int m = 0; m < BM_MODELS; m++) {
			fprintf(gp, "\"%s\"", g->model_display[m]);
			for (int i = 0; i < 3; i++)
				fprintf(gp, " %.6f", bm_ratio(g, &bm_cmps[i], s, m));
			fputc('\n', gp);
		}
		fprintf(gp, "\"mean\"");
		for (int i = 0; i < 3; i++)
			fprintf(gp, " %.6f", bm_mean(g, &bm_cmps[i], s));
		fprintf(gp, "\nEOD\n");
	}
	/* energy: per design and scenario, mean over models of part / FP16 total */
	fprintf(gp, "$e << EOD\n");
	for (int d = 0; d < BM_DESIGNS; d++)
		for (int s = 0; s < BM_SCEN; s++) {
			double on = 0, dr = 0;
			for (int m = 0; m < BM_MODELS; m++) {
				double base = g->c[s][m][BM_FP16].e_total;
				on += g->c[s][m][d].e_onchip / base;
				dr += g->c[s][m][d].e_dram / base;
			}
			fprintf(gp, "\"%s %s\" %.6f %.6f\n", bm_design_labels[d],
				s ? "gen" : "pre", on / BM_MODELS, dr / BM_MODELS);
		}
	fprintf(gp, "EOD\n$a << EOD\n");
	for (int d = 0; d < BM_DESIGNS; d++)
		fprintf(gp, "\"%s\" %.6f\n", bm_design_labels[d], g->area_um2[d] * 1e-6);
	fprintf(gp, "EOD\n");
}

enum ps_status bm_write_png(const char *path, const struct bm_grid *g,
			    struct ps_err *err)
{
	char *script = NULL;
	size_t len = 0;
	FILE *gp = open_memstream(&script, &len);
	enum ps_status st;

	if (!gp)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	png_data(gp, g);
	/* the PNG goes to gnuplot's stdout: the output module's file */
	fprintf(gp, "set terminal png size 1400,900 noenhanced\n"
		    "set style data histograms\nset style fill solid 0.8 border -1\n"
		    "set boxwidth 0.9\nset grid ytics\nset yrange [0:*]\n"
		    "set xtics rotate by -30\nset key outside top center horizontal\n"
		    "set multiplot layout 2,2 title 'BitMoD (HPCA 2025) regenerated by pesim, compat mode'\n"
		    "set style histogram clustered gap 1\n"
		    "set ylabel 'speedup of BitMoD-lossy (x)'\n");
	for (int s = 0; s < BM_SCEN; s++)
		fprintf(gp, "set title '%s'\n"
			    "plot $d%d using 2:xtic(1) title 'vs FP16', '' using 3 title 'vs ANT', "
			    "'' using 4 title 'vs OliVe'\n",
			bm_scenarios[s], s);
	fprintf(gp, "set title 'energy normalized to FP16 (mean over models)'\n"
		    "set ylabel 'energy / FP16 energy'\n"
		    "set style histogram rowstacked\n"
		    "plot $e using 2:xtic(1) title 'on-chip', '' using 3 title 'DRAM'\n"
		    "set title 'PE-array area'\nset ylabel 'mm^2'\n"
		    "set style histogram clustered gap 1\nunset key\n"
		    "plot $a using 2:xtic(1)\n"
		    "unset multiplot\nset output\n");
	if (fclose(gp) != 0) {
		free(script);
		return ps_errf(err, PS_ENOMEM, "out of memory");
	}
	st = ps_plot_png(path, script, len, err);
	free(script);
	return st;
}

/* rpt_mixpe.c - regenerate MixPE's (2024) execution time and energy
 * normalized to FP16: six designs (FP16 32x28, INT8, BitFusion W8, ANT,
 * MixPE-W4A8, MixPE-W4A16) on ViT-B, ViT-H, OPT-6.7B and Llama-2-13B with
 * every linear at batch 64. Compat mode runs MixPE's own method
 * (sim/sim_compat_mixpe.c); cycle mode runs the full models through the
 * mapper and the engine with the families' closed forms, which the bit-true
 * PE models step to the cycle. The paper's and the artifact's figures come
 * from reports/reference/mixpe-paper.yaml. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "ps_progress.h"
#include "rpt.h"
#include "rpt_doc.h"
#include "rpt_paper.h"
#include "sim.h"

#define MX_D 8
#define MX_M 8
enum { C_STATIC, C_DRAM, C_BUFFER, C_CORE, C_N };
static const char *const comp_names[C_N] = { "static", "dram", "buffer", "core" };

struct mx_cell {
	uint64_t cycles;
	double e[C_N], e_total;
	uint64_t dq_cycles;		/* compat: the dequantization GEMMs */
	uint64_t extra_cycles;		/* cycle: attention and lm_head / head */
	double lin_macs, lin_busy;	/* cycle: linears' MACs, busy PE-cycles */
};

struct mx_grid {
	size_t nd, nm;
	const char *models[MX_M];
	char display[MX_M][64];
	uint32_t pf[MX_D];		/* the paper's products per PE-cycle (linears) */
	struct mx_cell c[2][MX_D][MX_M];	/* [0] compat, [1] cycle */
	struct rpt_paper paper;
};

struct row_ctx {
	struct mx_cell *cell;
	bool cycle;
};

static enum ps_status on_row(void *ctx, const struct sim_op_stats *o, struct ps_err *err)
{
	struct row_ctx *r = ctx;
	(void)err;
	if (!r->cycle && !strncmp(o->op.name, "dq_", 3))
		r->cell->dq_cycles += o->cycles * o->times;
	if (r->cycle && (o->op.cls == WL_OP_ATTN || o->op.cls == WL_OP_LM_HEAD))
		r->cell->extra_cycles += o->cycles * o->times;
	if (r->cycle && o->op.kind == WL_LINEAR && o->op.cls != WL_OP_LM_HEAD) {
		r->cell->lin_macs += (double)wl_op_macs(&o->op) * o->times;
		r->cell->lin_busy += (double)o->busy_pe_cycles * o->times;
	}
	return PS_OK;
}

static void fill(struct mx_cell *c, const struct sim_result *r)
{
	const double *a = r->energy.by_action;
	c->cycles = r->cycles;
	c->e[C_STATIC] = a[SIM_ACT_DRAM_STATIC_CYCLE];
	c->e[C_DRAM] = a[SIM_ACT_DRAM_READ_BIT] + a[SIM_ACT_DRAM_WRITE_BIT];
	c->e[C_BUFFER] = r->energy.sram;
	c->e[C_CORE] = r->energy.compute;
	c->e_total = r->energy.total;
}

static enum ps_status build_grid(const struct rpt_recipe *r, const struct rpt_options *o,
				 struct mx_grid *g, struct ps_err *err)
{
	char buf[512];
	struct cfg_arch *arch = calloc(1, sizeof *arch);
	struct cfg_energy *en = calloc(1, sizeof *en);
	struct wl_model *m = calloc(1, sizeof *m);
	struct ps_progress *bar = NULL;
	enum ps_status st;

	if (!arch || !en || !m) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	st = rpt_paper_recipe(r, o, &g->paper, err);
	if (!st)
		st = rpt_models(r, o, buf, sizeof buf, g->models, MX_M, &g->nm, err);
	for (g->nd = 0; r->designs[g->nd].key; g->nd++)
		;
	bar = ps_progress_begin("report mixpe", "runs", 2 * g->nd * g->nm);
	for (size_t d = 0; d < g->nd && !st; d++) {
		st = rpt_load_design(o, &r->designs[d], NULL, arch, en, err);
		if (!st) {
			struct pe_params pp;
			uint32_t pmax, pmin, b;
			pe_params_from_arch(arch, NULL, WL_PREFILL, &pp);
			pe_fusion(arch, &pp, &pmax, &pmin);
			b = pp.wq.method == FMT_QM_NONE ? 16 : pe_code_bits(&pp);
			b = b > pmin ? b : pmin;
			g->pf[d] = (pmax / b) * (pmax / b);
		}
		for (size_t k = 0; k < g->nm && !st; k++) {
			st = rpt_load_model(o, g->models[k], m, err);
			snprintf(g->display[k], sizeof g->display[k], "%s", m->display);
			for (int mode = 0; mode < 2 && !st; mode++) {
				struct mx_cell *c = &g->c[mode][d][k];
				struct row_ctx rc = { c, mode == 1 };
				struct wl_scenario s;
				struct sim_request rq = {
					.arch = arch, .energy = en, .model = m, .scenario = &s,
					.mode = mode ? SIM_MODE_CYCLE : SIM_MODE_COMPAT,
					.compat_method = r->compat_method,
					.on_row = on_row, .row_ctx = &rc,
				};
				struct sim_result res;
				st = wl_scenario_parse(r->scenarios[0], &s, err);
				if (!st)
					st = sim_run(&rq, &res, err);
				if (st) {
					ps_err_prefix(err, st, "%s on %s", arch->name, m->name);
					break;
				}
				fill(c, &res);
				sim_result_free(&res);
				ps_progress_add(bar, 1);
			}
		}
	}
out:
	ps_progress_end(bar);
	free(arch);
	free(en);
	free(m);
	return st;
}

static double tnorm(const struct mx_grid *g, int mode, size_t d, size_t k)
{
	return (double)g->c[mode][d][k].cycles / (double)g->c[mode][0][k].cycles;
}

static double tmean(const struct mx_grid *g, int mode, size_t d)
{
	double s = 0;
	for (size_t k = 0; k < g->nm; k++)
		s += tnorm(g, mode, d, k);
	return s / (double)g->nm;
}

static double enorm(const struct mx_grid *g, int mode, size_t d, size_t k, int c)
{
	return g->c[mode][d][k].e[c] / g->c[mode][0][k].e_total;
}

static double paper_time(const struct mx_grid *g, const char *design, const char *model)
{
	return rpt_paper_value(&g->paper, "time_vs_fp16", "batch64", design, "fp16", model);
}

static double paper_energy(const struct mx_grid *g, const char *design, const char *model, int c)
{
	char metric[32];
	snprintf(metric, sizeof metric, "energy_%s", comp_names[c]);
	return rpt_paper_value(&g->paper, metric, "batch64", design, "fp16", model);
}

/* The artifact's per-model energies averaged (its own means are wrong). */
static double paper_energy_mean(const struct mx_grid *g, const char *design, int c)
{
	double s = 0;
	for (size_t k = 0; k < g->nm; k++)
		s += paper_energy(g, design, g->models[k], c);
	return s / (double)g->nm;
}

static void time_tables(struct rpt_doc *d, const struct rpt_recipe *r, const struct mx_grid *g)
{
	struct rpt_tab *t = rpt_doc_table(d, "time", true);
	struct rpt_tab *mt = rpt_doc_table(d, "means", false);
	fprintf(d->md, "## Execution time normalized to FP16, per model (compat: MixPE's method)\n\n");
	rpt_tab_cols(t, "model %s, design %s, cycles cycle %u, time_vs_fp16 x %.3f, "
		     "paper x %.2f, deviation_pct % %.1f, "
		     "cycle_mode_time_vs_fp16 x %.3f");
	for (size_t k = 0; k < g->nm; k++)
		for (size_t i = 1; i < g->nd; i++) {
			void *row = rpt_tab_row(t);
			double ours = tnorm(g, 0, i, k), p = paper_time(g, r->designs[i].key, g->models[k]);
			rpt_tab_str(t, row, 0, g->display[k]);
			rpt_tab_str(t, row, 1, r->designs[i].label);
			rpt_tab_u64(t, row, 2, g->c[0][i][k].cycles);
			rpt_tab_f64(t, row, 3, ours);
			rpt_tab_f64(t, row, 4, p);
			rpt_tab_f64(t, row, 5, rpt_dev_pct(ours, p));
			rpt_tab_f64(t, row, 6, tnorm(g, 1, i, k));
		}
	rpt_tab_markdown(d, t);

	fprintf(d->md, "## Means over the models beside the published means\n\n");
	rpt_tab_cols(mt, "design %s, paper x %.2f, pesim_compat x %.3f, "
		     "deviation_pct % %.1f, within_10pct %s, pesim_cycle x %.3f, "
		     "cycle_vs_paper_pct % %.1f");
	for (size_t i = 1; i < g->nd; i++) {
		void *row = rpt_tab_row(mt);
		double p = paper_time(g, r->designs[i].key, ""), ours = tmean(g, 0, i);
		double dev = rpt_dev_pct(ours, p);
		rpt_tab_str(mt, row, 0, r->designs[i].label);
		rpt_tab_f64(mt, row, 1, p);
		rpt_tab_f64(mt, row, 2, ours);
		rpt_tab_f64(mt, row, 3, dev);
		rpt_tab_str(mt, row, 4, isnan(dev) ? "—" : fabs(dev) <= 10 ? "yes" : "**no**");
		rpt_tab_f64(mt, row, 5, tmean(g, 1, i));
		rpt_tab_f64(mt, row, 6, rpt_dev_pct(tmean(g, 1, i), p));
	}
	rpt_tab_markdown(d, mt);
}

static void energy_table(struct rpt_doc *d, const struct rpt_recipe *r, const struct mx_grid *g)
{
	struct rpt_tab *t = rpt_doc_table(d, "energy", false);
	fprintf(d->md, "## Energy by component, normalized to FP16's total (compat)\n\n"
		    "Static is the DRAM's static power over the run, DRAM the dynamic bit "
		    "energy, buffer the SRAM bits read and written, core the PEs' leakage "
		    "and dynamic energy. \"paper\" is the artifact's per-model result "
		    "(its printed means index the wrong columns, so the mean rows here "
		    "average its per-model values).\n\n");
	rpt_tab_cols(t, "model %s, design %s");
	for (int c = 0; c < C_N; c++) {
		char n[40];
		snprintf(n, sizeof n, "%s", comp_names[c]);
		rpt_tab_col(t, n, PS_COL_F64, "x", 3);
		snprintf(n, sizeof n, "%s_paper", comp_names[c]);
		rpt_tab_col(t, n, PS_COL_F64, "x", 2);
	}
	rpt_tab_cols(t, "total x %.3f, total_paper x %.2f");
	for (size_t k = 0; k <= g->nm; k++)
		for (size_t i = 0; i < g->nd; i++) {
			void *row = rpt_tab_row(t);
			double tot = 0, ptot = 0;
			rpt_tab_str(t, row, 0, k < g->nm ? g->display[k] : "mean");
			rpt_tab_str(t, row, 1, r->designs[i].label);
			for (int c = 0; c < C_N; c++) {
				double v = 0, p;
				if (k < g->nm) {
					v = enorm(g, 0, i, k, c);
					p = paper_energy(g, r->designs[i].key, g->models[k], c);
				} else {
					for (size_t j = 0; j < g->nm; j++)
						v += enorm(g, 0, i, j, c) / (double)g->nm;
					p = paper_energy_mean(g, r->designs[i].key, c);
				}
				rpt_tab_f64(t, row, 2 + 2 * (size_t)c, v);
				rpt_tab_f64(t, row, 3 + 2 * (size_t)c, p);
				tot += v;
				ptot += p;
			}
			rpt_tab_f64(t, row, 2 + 2 * C_N, tot);
			rpt_tab_f64(t, row, 3 + 2 * C_N, ptot);
		}
	rpt_tab_markdown(d, t);
}

static void cycle_section(struct rpt_doc *d, const struct rpt_recipe *r, const struct mx_grid *g)
{
	struct rpt_tab *t = rpt_doc_table(d, "cycle_vs_compat", false);
	fprintf(d->md,
		"## Cycle-level engine beside the paper's method\n\n"
		"Cycle mode runs each model as pesim models it (`prefill:1,batch:64`: "
		"every linear at M = 64, the real FFN - Llama-2-13B's gated 13824 one -, "
		"the attention GEMMs and the lm_head), mapped by the mapper and timed "
		"by the engine with each family's closed-form tile timing, which the "
		"bit-true PE models step to the cycle (test_pe_timing, test_pe_mixpe). "
		"It charges no dequantization GEMM: MixPE's dequantizer is inside the "
		"PE (4 exposed cycles per output tile), and the baselines' per-element "
		"scaling is not a GEMM on their arrays. Fusion runs along K (lanes), "
		"not over the array's rows and columns. Per design, the mean over the "
		"models of:\n\n");
	rpt_tab_cols(t, "design %s, compat_vs_fp16 x %.3f, cycle_vs_fp16 x %.3f, "
		     "cycle_over_compat x %.3f, compat_dequant_share %.3f, "
		     "cycle_attention_head_share %.3f, paper_macs_per_pe_cycle %u, "
		     "cycle_macs_per_busy_pe_cycle %.2f");
	for (size_t i = 0; i < g->nd; i++) {
		void *row = rpt_tab_row(t);
		double ratio = 0, dq = 0, ex = 0, lm = 0, lb = 0;
		for (size_t k = 0; k < g->nm; k++) {
			const struct mx_cell *c0 = &g->c[0][i][k], *c1 = &g->c[1][i][k];
			ratio += (double)c1->cycles / (double)c0->cycles / (double)g->nm;
			dq += (double)c0->dq_cycles / (double)c0->cycles / (double)g->nm;
			ex += (double)c1->extra_cycles / (double)c1->cycles / (double)g->nm;
			lm += c1->lin_macs;
			lb += c1->lin_busy;
		}
		rpt_tab_str(t, row, 0, r->designs[i].label);
		rpt_tab_f64(t, row, 1, tmean(g, 0, i));
		rpt_tab_f64(t, row, 2, tmean(g, 1, i));
		rpt_tab_f64(t, row, 3, ratio);
		rpt_tab_f64(t, row, 4, dq);
		rpt_tab_f64(t, row, 5, ex);
		rpt_tab_u64(t, row, 6, g->pf[i]);
		rpt_tab_f64(t, row, 7, lb > 0 ? lm / lb : NAN);
	}
	rpt_tab_markdown(d, t);
	fprintf(d->md,
		"(cycle_over_compat: cycle-mode cycles over compat cycles of the same "
		"design; compat_dequant_share: the dequantization GEMMs' share of the "
		"paper's time, which cycle mode does not have; "
		"cycle_attention_head_share: attention and lm_head in cycle mode, which "
		"the paper's method leaves out; paper_macs_per_pe_cycle: pf_a x pf_w of "
		"the paper's linears, both operands at the weight's precision; "
		"cycle_macs_per_busy_pe_cycle: the linears' MACs per busy PE-cycle in "
		"cycle mode, as our PEs run them.) The 4-bit designs differ most: the "
		"paper gives a linear's activations the weight's precision, so 4-bit "
		"weights run at 2x on both array dimensions (4 MACs per PE-cycle: "
		"MixPE-W4A8's INT8 and MixPE-W4A16's FP16 activations timed as 4- and "
		"8-bit operands, ANT's 4-bit layers likewise), while our bit-true PEs "
		"take one INT8 or FP16 activation with "
		"two 4-bit weights per cycle (2 MACs). The ratios to FP16 move where these "
		"shares differ between a design and FP16: the paper charges FP16 and the "
		"8-bit baselines a per-element dequantization GEMM of N/8 columns "
		"(about an eighth of their time) and MixPE only a per-group one, and "
		"attention GEMMs run at FP16 or INT8 width on every design, which lifts "
		"the low-bit designs' cycle-mode ratios most.\n\n");
}

static void plot(struct rpt_doc *d, const struct rpt_recipe *r, const struct mx_grid *g)
{
	FILE *gp = d->gp;
	fprintf(gp, "$t << EOD\n");
	for (size_t i = 1; i < g->nd; i++)
		fprintf(gp, "\"%s\" %.6f %.6f %.6f\n", r->designs[i].label, tmean(g, 0, i),
			tmean(g, 1, i), paper_time(g, r->designs[i].key, ""));
	fprintf(gp, "EOD\n$m << EOD\n");
	for (size_t k = 0; k < g->nm; k++)
		for (size_t i = 1; i < g->nd; i++)
			fprintf(gp, "\"%s %s\" %.6f %.6f\n", g->display[k], r->designs[i].label,
				tnorm(g, 0, i, k), paper_time(g, r->designs[i].key, g->models[k]));
	fprintf(gp, "EOD\n$e << EOD\n");
	for (size_t i = 0; i < g->nd; i++) {
		fprintf(gp, "\"%s\"", r->designs[i].label);
		for (int c = 0; c < C_N; c++) {
			double v = 0;
			for (size_t k = 0; k < g->nm; k++)
				v += enorm(g, 0, i, k, c) / (double)g->nm;
			fprintf(gp, " %.6f", v);
		}
		for (int c = 0; c < C_N; c++)
			fprintf(gp, " %.6f", paper_energy_mean(g, r->designs[i].key, c));
		fputc('\n', gp);
	}
	fprintf(gp, "EOD\n"
		    "set terminal png size 1400,1000 noenhanced\n"
		    "set style fill solid 0.8 border -1\nset grid ytics\nset yrange [0:*]\n"
		    "set key outside top center horizontal\nset xtics rotate by -30\n"
		    "set multiplot layout 2,2 title 'MixPE (2024) regenerated by pesim'\n"
		    "set title 'mean time normalized to FP16'\nset ylabel 'time / FP16'\n"
		    "set boxwidth 0.25\n"
		    "plot $t using ($0-0.27):2:xtic(1) with boxes title 'pesim compat', "
		    "'' using ($0):3 with boxes title 'pesim cycle', "
		    "'' using ($0+0.27):4 with boxes title 'paper'\n"
		    "set title 'time normalized to FP16 per model (compat)'\n"
		    "set boxwidth 0.4\nset xtics font ',7'\n"
		    "plot $m using ($0-0.2):2:xtic(1) with boxes title 'pesim', "
		    "'' using ($0+0.2):3 with boxes title 'artifact'\n"
		    "set xtics font ',10'\nset boxwidth 0.35\n"
		    "set title 'mean energy / FP16 energy (compat): pesim left, paper right'\n"
		    "set ylabel 'energy / FP16'\n"
		    "plot $e using ($0-0.19):($2+$3+$4+$5):xtic(1) with boxes title 'core', "
		    "'' using ($0-0.19):($2+$3+$4) with boxes title 'buffer', "
		    "'' using ($0-0.19):($2+$3) with boxes title 'DRAM', "
		    "'' using ($0-0.19):2 with boxes title 'static', "
		    "'' using ($0+0.19):($6+$7+$8+$9) with boxes lc 1 notitle, "
		    "'' using ($0+0.19):($6+$7+$8) with boxes lc 2 notitle, "
		    "'' using ($0+0.19):($6+$7) with boxes lc 3 notitle, "
		    "'' using ($0+0.19):6 with boxes lc 4 notitle\n"
		    "unset multiplot\nset output\n");
}

enum ps_status rpt_mixpe_doc(const struct rpt_recipe *r, const struct rpt_options *o,
			     struct rpt_doc *d, struct ps_err *err)
{
	struct mx_grid *g = calloc(1, sizeof *g);
	enum ps_status st;
	if (!g)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	st = build_grid(r, o, g, err);
	if (st) {
		free(g);
		return st;
	}
	rpt_doc_attr(d, "compat_method", "%s", r->compat_method);
	rpt_doc_attr(d, "scenario", "%s", r->scenarios[0]);
	fprintf(d->md, "# MixPE (2024) regenerated by pesim\n\n"
		"Compat mode is MixPE's own method (`sim/sim_compat_mixpe.c`, README "
		"\"Compat methods\"): the authors' loop-tiling model (the ANT / "
		"BitFusion DnnWeaver fork) on their benchmark lists built from our zoo "
		"models - linears only at batch 64 (`%s`), q/k/v fused, the FFN "
		"simplified to 4 x hidden (Llama-2-13B's gated FFN too), a "
		"dequantization GEMM after every linear (per group of 128 for MixPE, "
		"N/8 columns per element for the others), both operands at the "
		"weight's precision (2x on both array dimensions for 4-bit weights on "
		"an 8/4 PE and for W4A16 on the 16/8 PE), the ViTs' patch embedding as "
		"a convolution; energy = DRAM static power + DRAM bits + SRAM bits "
		"(CACTI) + PE leakage and dynamic power. ANT runs mixed 4/8-bit layers "
		"(OPT-6.7B 26 of 32 at 4 bits, Llama-2-13B 32 of 40; the ViT split is "
		"not known: the OPT share assumed). Our ViT-H/14 has 256 patches of "
		"14x14 where the artifact's ViT-Huge has 196 of 16x16 (the same MACs). "
		"Paper figures: `reports/reference/%s`.\n\n",
		r->scenarios[0], r->reference);
	time_tables(d, r, g);
	energy_table(d, r, g);
	cycle_section(d, r, g);
	plot(d, r, g);
	free(g);
	return PS_OK;
}

enum ps_status rpt_mixpe(const struct rpt_recipe *r, const struct rpt_options *o,
			 struct ps_err *err)
{
	return rpt_recipe_run(r, o, err);
}

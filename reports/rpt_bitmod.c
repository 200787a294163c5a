/* rpt_bitmod.c - regenerate BitMoD's (HPCA 2025) speedup / energy / area
 * table: 6 models x 5 designs x {prefill:256, generate:256+20}, every number
 * computed by the sim API from configs/arch/bitmod/ presets and the model zoo;
 * the paper's means come from reports/reference/bitmod-paper.yaml and are
 * printed only as "paper". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_area.h"
#include "pe.h"
#include "ps_file.h"
#include "ps_progress.h"
#include "rpt_bitmod.h"
#include "sim.h"

const char *const bm_designs[BM_DESIGNS] = { "fp16", "ant", "olive",
					     "bitmod-lossy", "bitmod-lossless" };
const char *const bm_design_labels[BM_DESIGNS] = { "FP16", "ANT", "OliVe",
						   "BitMoD-lossy",
						   "BitMoD-lossless" };
const char *const bm_models[BM_MODELS] = { "opt-1.3b", "phi-2", "yi-6b",
					   "llama-2-7b", "llama-2-13b",
					   "llama-3-8b" };
const char *const bm_scenarios[BM_SCEN] = { "prefill:256", "generate:256+20" };
const char *const bm_scen_keys[BM_SCEN] = { "prefill", "generate" };

const struct bm_cmp bm_cmps[] = {
	{ "speedup", BM_LOSSY, BM_FP16 },
	{ "speedup", BM_LOSSY, BM_ANT },
	{ "speedup", BM_LOSSY, BM_OLIVE },
	{ "speedup", BM_LOSSLESS, BM_FP16 },
	{ "speedup", BM_LOSSLESS, BM_ANT },
	{ "speedup", BM_LOSSLESS, BM_OLIVE },
	{ "energy_efficiency", BM_LOSSY, BM_FP16 },
	{ "energy_efficiency", BM_LOSSY, BM_ANT },
	{ "energy_efficiency", BM_LOSSY, BM_OLIVE },
	{ "energy_efficiency", BM_LOSSLESS, BM_FP16 },
};
const size_t bm_n_cmps = sizeof bm_cmps / sizeof *bm_cmps;

static double ratio(const struct bm_cell cells[BM_DESIGNS], const struct bm_cmp *c)
{
	const struct bm_cell *d = &cells[c->design], *b = &cells[c->baseline];
	if (!strcmp(c->metric, "speedup"))
		return (double)b->cycles / (double)d->cycles;
	return b->e_total / d->e_total;
}

double bm_ratio(const struct bm_grid *g, const struct bm_cmp *c, int s, int m)
{
	return ratio(g->c[s][m], c);
}

double bm_ratio_cyc(const struct bm_grid *g, const struct bm_cmp *c, int s, int m)
{
	return ratio(g->y[s][m], c);
}

/* The paper's averages are arithmetic means over the models. */
double bm_mean(const struct bm_grid *g, const struct bm_cmp *c, int s)
{
	double sum = 0;
	for (int m = 0; m < BM_MODELS; m++)
		sum += bm_ratio(g, c, s, m);
	return sum / BM_MODELS;
}

double bm_mean_cyc(const struct bm_grid *g, const struct bm_cmp *c, int s)
{
	double sum = 0;
	for (int m = 0; m < BM_MODELS; m++)
		sum += bm_ratio_cyc(g, c, s, m);
	return sum / BM_MODELS;
}

const struct rpt_figure *bm_paper(const struct bm_grid *g, const struct bm_cmp *c, int s)
{
	return rpt_paper_find(&g->paper, c->metric, bm_scen_keys[s],
			      bm_designs[c->design], bm_designs[c->baseline]);
}

static void fill_cell(struct bm_cell *c, const struct sim_result *r)
{
	c->cycles = r->cycles;
	c->compute_cycles = r->compute_cycles;
	c->e_total = r->energy.total;
	c->e_onchip = r->energy.onchip;
	c->e_compute = r->energy.compute;
	c->e_sram = r->energy.sram;
	c->e_dram = r->energy.dram;
}

/* A run's rows as they complete: every design's split (where its cycles
 * go) and, for the explained case (Llama-2-7B, BitMoD-lossy,
 * generate:256+20), per phase and op class compat against cycle mode. */
struct bm_rows {
	struct bm_grid *g;
	int s, d;
	bool cyc, explain;
};

static enum ps_status add_row(void *ctx, const struct sim_op_stats *o, struct ps_err *err)
{
	const struct bm_rows *b = ctx;
	struct bm_split *sp = &b->g->split[b->s][b->d];
	uint64_t t = o->times;
	int a = o->op.cls == WL_OP_ATTN ? 0 : 1;
	(void)err;
	if (b->cyc) {
		sp->cycle[a] += o->cycles * t;
		sp->hw[a] += (o->bound_compute > o->bound_dram ? o->bound_compute : o->bound_dram) * t;
		sp->buf[a] += sim_row_bound(o) * t;
	} else {
		sp->compat[a] += o->cycles * t;
	}
	if (b->explain) {
		struct bm_gap *x = &b->g->gap[o->op.phase][o->op.cls];
		if (b->cyc) {
			x->cycle_cycles += o->cycles * t;
			x->cycle_compute += o->compute_cycles * t;
			x->cycle_bytes += (o->dram_read_bytes + o->dram_write_bytes) * t;
			x->stall_data += o->q[SIM_Q_COMPUTE].stall[SIM_STALL_DATA] * t;
			x->stall_output += o->q[SIM_Q_COMPUTE].stall[SIM_STALL_OUTPUT] * t;
			x->stall_buffer += o->q[SIM_Q_LOAD].stall[SIM_STALL_BUFFER] * t;
			x->stall_barrier += o->q[SIM_Q_LOAD].stall[SIM_STALL_BARRIER] * t;
		} else {
			x->compat_cycles += o->cycles * t;
			x->compat_compute += o->compute_cycles * t;
			x->compat_bytes += (o->dram_read_bytes + o->dram_write_bytes) * t;
		}
	}
	return PS_OK;
}

/* The paper's method charges the paper's PE areas (its performance
 * model's iso-area arrays): its runs load each preset with this after
 * --set; cycle mode runs the preset's own (our RTL's where there is one). */
static const char compat_area[] = "pe.area_source=paper";

static enum ps_status run_grid(const struct rpt_options *o, struct bm_grid *g,
			       struct ps_err *err)
{
	struct cfg_arch *arch = calloc(2 * BM_DESIGNS, sizeof *arch);
	struct cfg_energy *en = calloc(BM_DESIGNS, sizeof *en);
	struct wl_model *mod = calloc(BM_MODELS, sizeof *mod);
	struct wl_scenario sc[BM_SCEN];
	enum ps_status st = PS_OK;
	struct cfg_sets *sets = malloc(3 * sizeof *sets);
	struct ps_progress *bar = ps_progress_begin("report bitmod", "runs",
						    2 * BM_DESIGNS * BM_MODELS * BM_SCEN);

	if (!arch || !en || !mod || !sets) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	sim_sets_split(o->sets, &sets[0], &sets[1], NULL);
	sets[2] = sets[0];
	st = cfg_sets_add(&sets[2], compat_area, "the paper's method (its PE areas)", err);
	for (int d = 0; d < BM_DESIGNS && !st; d++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/arch/bitmod/%s.yaml",
			 o->configs_dir, bm_designs[d]);
		st = pe_arch_load_set(path, &sets[0], &arch[d], err);
		if (!st)
			st = pe_arch_load_set(path, &sets[2], &arch[BM_DESIGNS + d], err);
		if (!st)
			st = sim_load_energy(&arch[d], &en[d], err);
		if (st)
			break;
		g->pe_area_um2[d] = arch[BM_DESIGNS + d].pe.area_um2;
		g->pe_area_cyc_um2[d] = arch[d].pe.area_um2;
		cfg_area_describe(&arch[d], g->area_source[d], sizeof g->area_source[d]);
		g->pes[d][0] = cfg_arch_pes(&arch[d], WL_PREFILL);
		g->pes[d][1] = cfg_arch_pes(&arch[d], WL_DECODE);
		/* as a run's array area: PEs of the larger phase */
		g->area_cyc_um2[d] = arch[d].pe.area_um2 *
			(double)(g->pes[d][0] > g->pes[d][1] ? g->pes[d][0] : g->pes[d][1]);
	}
	for (int m = 0; m < BM_MODELS && !st; m++) {
		st = wl_model_find_set(bm_models[m], &sets[1], &mod[m], err);
		snprintf(g->model_display[m], sizeof g->model_display[m], "%s",
			 mod[m].display);
	}
	for (int s = 0; s < BM_SCEN && !st; s++)
		st = wl_scenario_parse(bm_scenarios[s], &sc[s], err);

	for (int s = 0; s < BM_SCEN && !st; s++)
		for (int m = 0; m < BM_MODELS && !st; m++)
			for (int d = 0; d < BM_DESIGNS && !st; d++)
				for (int mode = 0; mode < 2 && !st; mode++) {
					/* the explained case keeps its per-op rows */
					bool explain = s == 1 && !strcmp(bm_models[m], "llama-2-7b") &&
						       d == BM_LOSSY;
					struct bm_rows br = { g, s, d, mode, explain };
					struct sim_request rq = {
						.arch = &arch[mode ? d : BM_DESIGNS + d],
						.energy = &en[d],
						.model = &mod[m], .scenario = &sc[s],
						.mode = mode ? SIM_MODE_CYCLE : SIM_MODE_COMPAT,
						.compat_attn = o->compat_attn,
						.on_row = add_row, .row_ctx = &br,
					};
					struct sim_result r;
					st = sim_run(&rq, &r, err);
					if (st)
						break;
					fill_cell(mode ? &g->y[s][m][d] : &g->c[s][m][d], &r);
					if (!mode)
						g->area_um2[d] = r.array_area_um2;
					sim_result_free(&r);
					ps_progress_add(bar, 1);
				}
	ps_progress_end(bar);
out:
	free(arch);
	free(en);
	free(mod);
	free(sets);
	return st;
}

enum ps_status bm_build(const struct rpt_options *o, struct bm_grid *g,
			struct ps_err *err)
{
	char path[1024];
	enum ps_status st;
	g->compat_attn = o->compat_attn;
	snprintf(path, sizeof path, "%s/bitmod-paper.yaml", o->ref_dir);
	st = rpt_paper_load(path, &g->paper, err);
	return st ? st : run_grid(o, g, err);
}

/* The four files are written into a staging directory and switched into
 * place together (ps_outset): a kill leaves the old set or the new one. The
 * set is begun before the work, so a bad --out fails at once. */
static enum ps_status write_set(struct ps_outset *set, const struct bm_grid *g,
				struct ps_err *err)
{
	struct ps_out md;
	enum ps_status st = ps_out_open(&md, ps_outset_path(set, 0), err);
	if (!st) {
		bm_markdown(md.fp, g);
		st = ps_out_commit(&md, err);
	}
	if (!st)
		st = bm_write_csv(ps_outset_path(set, 1), g, err);
	if (!st)
		st = bm_write_h5(ps_outset_path(set, 2), g, err);
	if (!st)
		st = bm_write_png(ps_outset_path(set, 3), g, err);
	return st;
}

enum ps_status rpt_bitmod(const struct rpt_recipe *r, const struct rpt_options *o,
			  struct ps_err *err)
{
	static const char *const files[] = { "bitmod.md", "bitmod.csv", "bitmod.h5",
					     "bitmod.png", NULL };
	struct bm_grid *g = calloc(1, sizeof *g);
	struct ps_outset *set = NULL;
	enum ps_status st;

	(void)r;
	if (!g)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	st = o->out_dir ? ps_outset_begin(&set, o->out_dir, "bitmod", files, err) : PS_OK;
	if (!st)
		st = bm_build(o, g, err);
	if (!st && o->out)
		bm_markdown(o->out, g);
	if (!st && set)
		st = write_set(set, g, err);
	if (set && st)
		ps_outset_abort(set);
	else if (set)
		st = ps_outset_commit(set, err);
	free(g);
	return st;
}

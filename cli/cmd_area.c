/* cmd_area.c - `pesim area`: relative area of the RTL designs (Yosys
 * generic synthesis, rtl/rtl_area.h) and a µm² estimate calibrated on the
 * FP16 MAC, printed beside the papers' figures (rtl/area-reference.yaml). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg_area.h"
#include "cli.h"
#include "ps_json.h"
#include "rtl_area.h"
#include "rtl_area_table.h"
#include "rtl_design.h"

#define MAX_DESIGNS 64

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim area [--pe all|NAME] [--json] [--ref FILE] [--jobs N] [--table FILE]\n\n"
		"Synthesizes RTL designs with Yosys (generic gates: synth -flatten,\n"
		"stat -tech cmos) and prints per design the transistors of its\n"
		"combinational logic, its register bits, the total with registers,\n"
		"that total relative to the FP16 MAC, and an um2 estimate scaled so\n"
		"the FP16 MAC equals BitMoD's FP16 MAC (1968.7 um2 with registers,\n"
		"28 nm), beside the papers' figures and ratios. The FP16 MAC is\n"
		"%s (rtl/baseline/pe_fp16_mac.v).\n\n"
		"  --pe all|NAME  every design but the slow ones (default), or one\n"
		"                 (with the reference, and the unit a design's\n"
		"                 compute density is compared with: lut_tc_tile\n"
		"                 brings fp16_dp4_mac)\n"
		"  --json         one JSON object\n"
		"  --ref FILE     published figures (default <rtl>/area-reference.yaml)\n"
		"  --jobs N       Yosys runs at a time (default: online CPUs)\n"
		"  --table FILE   also write the designs' areas into FILE, the table\n"
		"                 arch presets take PE areas from (pe.area_source:\n"
		"                 rtl:DESIGN; configs/area/rtl.yaml), keeping its\n"
		"                 entries of the designs this run leaves out; without\n"
		"                 --pe the run is the designs FILE lists, but the slow\n"
		"                 ones (every design but those when FILE is new)\n"
		"  --progress     progress (designs done, ETA) on stderr even when it\n"
		"                 is not a terminal; --quiet: never\n\n"
		"designs:\n", RTL_REFERENCE_DESIGN);
	for (const struct rtl_design *d = rtl_design_next(NULL); d; d = rtl_design_next(d))
		fprintf(fp, "  %-22s %s%s\n", d->name, d->what,
			d->slow ? " [minutes of Yosys: not in --pe all]" : "");
	fprintf(fp, "\nYosys: %s ($PESIM_YOSYS overrides); RTL sources: %s\n",
		rtl_yosys(), rtl_dir());
}

struct row {
	const struct rtl_design *d;
	struct rtl_area a;
	const struct rtl_ref_entry *paper;
};

/* The paper's components that correspond to our component c. */
static size_t paper_comps(const struct row *w, int c,
			  const struct rtl_ref_comp **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; w->paper && i < w->paper->n_comps && n < max; i++)
		if (w->paper->comps[i].ours == c)
			out[n++] = &w->paper->comps[i];
	return n;
}

static void json_breakdown(struct ps_json *j, const struct row *w, double k)
{
	struct rtl_area_comp bd[RTL_C_COUNT];
	const char *unmapped = rtl_area_breakdown(w->d, &w->a, bd);

	ps_json_u64(j, "hier_transistors_with_regs", w->a.hier_transistors_all);
	if (unmapped)
		ps_json_str(j, "unmapped_module", unmapped);
	ps_json_arr_begin(j, "breakdown");
	for (int c = 0; c < RTL_C_COUNT; c++) {
		const struct rtl_ref_comp *pc[RTL_REF_MAX_COMPS];
		size_t np = paper_comps(w, c, pc, RTL_REF_MAX_COMPS);
		if (!bd[c].transistors && !np)
			continue;
		ps_json_obj_begin(j, NULL);
		ps_json_str(j, "component", rtl_component_names[c]);
		ps_json_u64(j, "transistors", bd[c].transistors);
		if (c == RTL_C_REGISTERS)
			ps_json_u64(j, "reg_bits", bd[c].reg_bits);
		ps_json_num(j, "est_um2", k * (double)bd[c].transistors);
		ps_json_str(j, "modules", bd[c].modules);
		ps_json_arr_begin(j, "paper");
		for (size_t i = 0; i < np; i++) {
			ps_json_obj_begin(j, NULL);
			ps_json_str(j, "name", pc[i]->name);
			if (!isnan(pc[i]->um2))
				ps_json_num(j, "um2", pc[i]->um2);
			if (pc[i]->note[0])
				ps_json_str(j, "note", pc[i]->note);
			ps_json_obj_end(j);
		}
		ps_json_arr_end(j);
		ps_json_obj_end(j);
	}
	ps_json_arr_end(j);
}

/* Per design with parts: its components (hierarchical run) beside the
 * paper's component list. */
static void print_breakdown(const struct row *w, const struct row *ref, double k)
{
	struct rtl_area_comp bd[RTL_C_COUNT];
	const char *unmapped = rtl_area_breakdown(w->d, &w->a, bd);
	uint64_t tot = w->a.hier_transistors_all;

	printf("\n%s by component (each module synthesized alone: %llu transistors with\n"
	       "registers, %.3fx the FP16 MAC; flattened %llu)%s%s%s:\n", w->d->name,
	       (unsigned long long)tot, (double)tot / (double)ref->a.transistors_all,
	       (unsigned long long)w->a.transistors_all,
	       w->paper ? "; the paper's " : "", w->paper ? w->paper->id : "",
	       w->paper ? " beside" : "");
	printf("  %-20s %11s %8s %6s  %s\n", "component", "transistors", "est. um2",
	       "share", "ours (module x instances) | paper");
	for (int c = 0; c < RTL_C_COUNT; c++) {
		const struct rtl_ref_comp *pc[RTL_REF_MAX_COMPS];
		size_t np = paper_comps(w, c, pc, RTL_REF_MAX_COMPS);
		char label[48];
		if (!bd[c].transistors && !np)
			continue;
		if (c == RTL_C_REGISTERS)
			snprintf(label, sizeof label, "registers (%llu b)",
				 (unsigned long long)bd[c].reg_bits);
		else
			snprintf(label, sizeof label, "%s", rtl_component_names[c]);
		printf("  %-20s %11llu %8.1f %5.1f%%  %s\n", label,
		       (unsigned long long)bd[c].transistors, k * (double)bd[c].transistors,
		       tot ? 100.0 * (double)bd[c].transistors / (double)tot : 0.0,
		       bd[c].transistors ? bd[c].modules : "-");
		for (size_t i = 0; i < np; i++) {
			char um2[32] = "";
			if (!isnan(pc[i]->um2))
				snprintf(um2, sizeof um2, " %.1f um2", pc[i]->um2);
			printf("  %-20s %11s %8s %6s  | %s%s%s%s\n", "", "", "", "",
			       pc[i]->name, um2, pc[i]->note[0] ? ": " : "", pc[i]->note);
		}
	}
	if (unmapped)
		printf("  (module %s is in no parts entry of %s: counted as control)\n",
		       unmapped, w->d->name);
}

/* The row of design d->density_vs, or NULL. */
static const struct row *density_vs(const struct row *rows, size_t n,
				    const struct row *w)
{
	for (size_t i = 0; w->d->density_vs && i < n; i++)
		if (!strcmp(rows[i].d->name, w->d->density_vs))
			return &rows[i];
	return NULL;
}

static void print_json(const struct row *rows, size_t n, const struct row *ref,
		       const struct rtl_area_ref *r, const struct rtl_ref_entry *cal,
		       double k)
{
	struct ps_json j;

	ps_json_init(&j, stdout);
	ps_json_obj_begin(&j, NULL);
	ps_json_provenance(&j);
	ps_json_str(&j, "tool", "yosys generic synthesis, stat -tech cmos");
	ps_json_obj_begin(&j, "reference");
	ps_json_str(&j, "design", ref->d->name);
	ps_json_str(&j, "paper_entry", cal->id);
	ps_json_num(&j, "paper_um2", cal->um2);
	ps_json_num(&j, "um2_per_transistor", k);
	ps_json_obj_end(&j);
	ps_json_arr_begin(&j, "designs");
	for (size_t i = 0; i < n; i++) {
		const struct row *w = &rows[i];
		ps_json_obj_begin(&j, NULL);
		ps_json_str(&j, "name", w->d->name);
		ps_json_str(&j, "top", w->d->top);
		ps_json_str(&j, "family", rtl_design_family(w->d));
		ps_json_str(&j, "what", w->d->what);
		ps_json_u64(&j, "transistors", w->a.transistors);
		ps_json_u64(&j, "reg_bits", w->a.reg_bits);
		ps_json_u64(&j, "transistors_with_regs", w->a.transistors_all);
		ps_json_u64(&j, "cells", w->a.cells);
		ps_json_bool(&j, "uncosted_cells", w->a.uncosted);
		ps_json_num(&j, "rel_fp16_mac",
			    (double)w->a.transistors_all / (double)ref->a.transistors_all);
		ps_json_num(&j, "est_um2", k * (double)w->a.transistors_all);
		ps_json_num(&j, "est_um2_no_regs", k * (double)w->a.transistors);
		if (w->d->macs)
			ps_json_u64(&j, "macs_per_cycle", w->d->macs);
		if (density_vs(rows, n, w)) {
			const struct row *v = density_vs(rows, n, w);
			ps_json_str(&j, "density_vs", v->d->name);
			ps_json_num(&j, "density_ratio",
				    rtl_area_density(w->d->macs, &w->a, v->d->macs, &v->a));
			if (w->d->density_paper)
				ps_json_str(&j, "density_paper_entry", w->d->density_paper);
		}
		if (w->paper) {
			ps_json_str(&j, "paper_entry", w->paper->id);
			ps_json_num(&j, "paper_um2", w->paper->um2);
			if (!isnan(w->paper->um2_no_regs))
				ps_json_num(&j, "paper_um2_no_regs", w->paper->um2_no_regs);
			ps_json_num(&j, "paper_rel_fp16_mac", w->paper->um2 / cal->um2);
		}
		if (w->a.n_mods)
			json_breakdown(&j, w, k);
		ps_json_obj_end(&j);
	}
	ps_json_arr_end(&j);
	ps_json_arr_begin(&j, "published");
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct rtl_ref_entry *e = &r->entries[i];
		ps_json_obj_begin(&j, NULL);
		ps_json_str(&j, "id", e->id);
		ps_json_str(&j, "label", e->label);
		ps_json_str(&j, "kind", e->kind == RTL_REF_AREA ? "area" : "ratio");
		if (!isnan(e->um2))
			ps_json_num(&j, "um2", e->um2);
		if (!isnan(e->um2_no_regs))
			ps_json_num(&j, "um2_no_regs", e->um2_no_regs);
		if (!isnan(e->power_mw))
			ps_json_num(&j, "power_mw", e->power_mw);
		if (!isnan(e->ratio))
			ps_json_num(&j, "ratio", e->ratio);
		ps_json_str(&j, "source", e->source);
		ps_json_obj_end(&j);
	}
	ps_json_arr_end(&j);
	ps_json_obj_end(&j);
	fputc('\n', stdout);
}

static void print_text(const struct row *rows, size_t n, const struct row *ref,
		       const struct rtl_area_ref *r, const struct rtl_ref_entry *cal,
		       double k, double secs)
{
	printf("Yosys generic synthesis (synth -flatten; stat -tech cmos): %zu design%s, %.1f s\n\n",
	       n, n == 1 ? "" : "s", secs);
	printf("%-22s %11s %8s %11s %8s %9s %10s %9s\n", "design", "transistors",
	       "reg bits", "with regs", "vs MAC", "est. um2", "paper um2",
	       "paper vs");
	for (size_t i = 0; i < n; i++) {
		const struct row *w = &rows[i];
		char paper[32] = "-", pratio[32] = "-";
		if (w->paper) {
			snprintf(paper, sizeof paper, "%.1f", w->paper->um2);
			snprintf(pratio, sizeof pratio, "%.3fx", w->paper->um2 / cal->um2);
		}
		printf("%-22s %11llu %8llu %11llu %7.3fx %9.1f %10s %9s%s%s\n", w->d->name,
		       (unsigned long long)w->a.transistors,
		       (unsigned long long)w->a.reg_bits,
		       (unsigned long long)w->a.transistors_all,
		       (double)w->a.transistors_all / (double)ref->a.transistors_all,
		       k * (double)w->a.transistors_all, paper, pratio,
		       w == ref ? "  <- FP16 MAC, calibration" : "",
		       w->a.uncosted ? "  [cells without a cmos cost: lower bound]" : "");
	}
	printf("\nvs MAC: with registers, over the FP16 MAC (%s, rtl/baseline/pe_fp16_mac.v);\n"
	       "paper vs: the published area over the published FP16 MAC's, with registers.\n",
	       ref->d->name);
	printf("est. um2 = transistors with registers x %.5f um2: the scale that makes\n"
	       "it %.1f um2 with registers, the published %s\n(%s).\n",
	       k, cal->um2, cal->label, cal->source);
	if (!isnan(cal->um2_no_regs))
		printf("Without registers that scale gives it %.1f um2; published: %.1f.\n",
		       k * (double)ref->a.transistors, cal->um2_no_regs);
	for (size_t i = 0; i < n; i++) {
		const struct row *w = &rows[i], *v = density_vs(rows, n, w);
		const struct rtl_ref_entry *e = w->d->density_paper ?
			rtl_area_ref_find(r, w->d->density_paper) : NULL;
		if (!v)
			continue;
		printf("\ncompute density of %s over %s (MACs a cycle per transistor,\n"
		       "with registers): %u / %llu over %u / %llu = %.3fx",
		       w->d->name, v->d->name,
		       w->d->macs, (unsigned long long)w->a.transistors_all,
		       v->d->macs, (unsigned long long)v->a.transistors_all,
		       rtl_area_density(w->d->macs, &w->a, v->d->macs, &v->a));
		if (e)
			printf("; paper %.3fx\n(%s, %s)", e->ratio, e->label, e->source);
		printf(".\n");
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i].a.n_mods)
			print_breakdown(&rows[i], ref, k);
	printf("\npublished figures (%s):\n", r->path);
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct rtl_ref_entry *e = &r->entries[i];
		char v[64];
		if (e->kind == RTL_REF_AREA && !isnan(e->um2_no_regs))
			snprintf(v, sizeof v, "%.1f um2 (%.1f w/o regs)", e->um2,
				 e->um2_no_regs);
		else if (e->kind == RTL_REF_AREA)
			snprintf(v, sizeof v, "%.1f um2", e->um2);
		else
			snprintf(v, sizeof v, "%.3fx", e->ratio);
		printf("  %-28s %s\n      %s\n", v, e->label, e->source);
	}
}

int cmd_area(int argc, char **argv)
{
	const char *pe = "all", *ref_path = NULL, *table = NULL;
	const struct rtl_design *sel[MAX_DESIGNS];
	/* on the heap: each area carries its modules */
	struct heap {
		struct rtl_area_ref r;
		struct row rows[MAX_DESIGNS];
		struct rtl_area areas[MAX_DESIGNS];
	} *h;
	struct rtl_area_ref *r;
	struct row *rows;
	struct rtl_area *areas;
	const struct rtl_ref_entry *cal;
	const struct row *ref = NULL;
	char path[1100];
	struct ps_err err;
	struct timespec t0, t1;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = 0;
	int json = 0, c;
	bool pe_given = false;
	enum ps_status st;
	double k, secs;
	struct cli_opts p;
	uint64_t nj;

	cli_opts_init(&p, "area", "pe,p: json,j ref,r: jobs,J: table,t:", "h", NULL);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		if (c == 'p') {
			pe = optarg;
			pe_given = true;
		}
		else if (c == 'j')
			json = 1;
		else if (c == 'r')
			ref_path = optarg;
		else if (c == 't')
			table = optarg;
		else if (c == 'J') {
			if (cli_u64(&p, optarg, 1, 256, &nj))
				return 2;
			jobs = (long)nj;
		} else if (c == 'h') {
			help(stdout);
			return 0;
		} else
			return 2;
	}
	if (optind < argc)
		return cli_usage_error("area", "unexpected argument '%s'", argv[optind]);
	if (jobs < 1)
		jobs = 1;

	/* the reference first: every other design is relative to it */
	sel[n++] = rtl_design_find(RTL_REFERENCE_DESIGN);
	if (table && !pe_given && access(table, F_OK) == 0) {
		/* regenerate the table's own designs */
		struct cfg_area_table *t = malloc(sizeof *t);
		if (!t || (st = cfg_area_table_load(table, t, &err))) {
			free(t);
			return cli_fail("area", t ? st : PS_ENOMEM, &err);
		}
		for (size_t i = 0; i < t->n && n < MAX_DESIGNS; i++) {
			const struct rtl_design *d = rtl_design_find(t->e[i].name);
			if (d && d != sel[0] && !d->slow)
				sel[n++] = d;
		}
		free(t);
	} else if (!strcmp(pe, "all")) {
		for (const struct rtl_design *d = rtl_design_next(NULL); d && n < MAX_DESIGNS;
		     d = rtl_design_next(d))
			if (d != sel[0] && !d->slow)
				sel[n++] = d;
	} else {
		const struct rtl_design *d = rtl_design_find(pe);
		if (!d)
			return cli_usage_error("area", "--pe: no design '%s' (the list is in --help)", pe);
		if (d != sel[0])
			sel[n++] = d;
	}

	/* a design compared for density brings its comparison unit */
	for (size_t i = 0, n0 = n; i < n0; i++) {
		const struct rtl_design *v = sel[i]->density_vs ?
					     rtl_design_find(sel[i]->density_vs) : NULL;
		size_t j = 0;
		while (v && j < n && sel[j] != v)
			j++;
		if (v && j == n && n < MAX_DESIGNS)
			sel[n++] = v;
	}

	h = calloc(1, sizeof *h);
	if (!h) {
		ps_errf(&err, PS_ENOMEM, "out of memory");
		return cli_fail("area", PS_ENOMEM, &err);
	}
	r = &h->r;
	rows = h->rows;
	areas = h->areas;
	if (!ref_path) {
		snprintf(path, sizeof path, "%s/area-reference.yaml", rtl_dir());
		ref_path = path;
	}
	st = rtl_area_ref_load(ref_path, r, &err);
	if (!st && strcmp(r->cal.design, RTL_REFERENCE_DESIGN))
		st = ps_errf(&err, PS_EINPUT,
			     "%s: calibration.design: '%s', but the FP16 MAC design is '%s'",
			     ref_path, r->cal.design, RTL_REFERENCE_DESIGN);
	if (st) {
		free(h);
		return cli_fail("area", st, &err);
	}
	cal = rtl_area_ref_find(r, r->cal.entry);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	st = rtl_area_run(sel, n, rtl_dir(), rtl_yosys(), (unsigned)jobs, areas, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (st) {
		free(h);
		return cli_fail("area", st, &err);
	}
	secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	for (size_t i = 0; i < n; i++) {
		rows[i].d = sel[i];
		rows[i].a = areas[i];
		rows[i].paper = sel[i]->paper ? rtl_area_ref_find(r, sel[i]->paper) : NULL;
	}
	ref = &rows[0];
	if (!ref->a.transistors_all) {
		ps_errf(&err, PS_ECHECK, "%s synthesized to nothing", ref->d->name);
		free(h);
		return cli_fail("area", PS_ECHECK, &err);
	}
	k = cal->um2 / (double)ref->a.transistors_all;
	if (table && (st = rtl_area_table_write(table, sel, areas, n, r, rtl_dir(),
						rtl_yosys(), &err))) {
		free(h);
		return cli_fail("area", st, &err);
	}
	if (json)
		print_json(rows, n, ref, r, cal, k);
	else
		print_text(rows, n, ref, r, cal, k, secs);
	free(h);
	return 0;
}

/* test_rtl_area.c - `pesim area`'s pieces (rtl/rtl_area.h, rtl_design.h):
 * parsing Yosys 0.23 `stat` reports (captured), the Yosys script, the
 * families' descriptors and their designs against the files and
 * area-reference.yaml, the YAML checks; then, when yosys is installed,
 * real runs: register bits, the cache of Yosys results, and the
 * calibration through the CLI. The whole run shares one
 * $PESIM_AREA_CACHE (the CLI's runs too), so each design is synthesized
 * once. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "pe.h"
#include "cfg_arch.h"
#include "cfg_area.h"
#include "rtl_area.h"
#include "rtl_area_table.h"
#include "rtl_design.h"
#include "rtl_family.h"
#include "test_util.h"

/* Yosys 0.23 on pe_fp16_mac, as rtl_area_script asks for it */
static const char stat_all[] =
	"\n8. Printing statistics.\n\n=== pe_fp16_mac ===\n\n"
	"   Number of wires:               1892\n"
	"   Number of cells:               1879\n"
	"     $_ANDNOT_                      48\n"
	"     $_DFF_P_                       16\n"
	"     $_XOR_                        223\n\n"
	"   Estimated number of transistors:      12994\n";
static const char stat_comb[] =
	"\n9. Printing statistics.\n\n=== pe_fp16_mac (partially selected) ===\n\n"
	"   Number of cells:               1863\n"
	"     $_XOR_                        223\n\n"
	"   Estimated number of transistors:      12738\n";
static const char stat_regs[] =
	"\n10. Printing statistics.\n\n=== pe_fp16_mac (partially selected) ===\n\n"
	"   Number of cells:                 16\n"
	"     $_DFF_P_                       16\n";
/* an empty selection: the header only */
static const char stat_none[] = "\n10. Printing statistics.\n\n";

static void test_parse(void **state)
{
	struct rtl_area a;
	struct ps_err err;
	char bad[sizeof stat_all + 8];
	(void)state;

	assert_int_equal(rtl_area_parse(stat_all, stat_comb, stat_regs, &a, &err), PS_OK);
	assert_int_equal(a.transistors, 12738);
	assert_int_equal(a.transistors_all, 12994);
	assert_int_equal(a.reg_bits, 16);
	assert_int_equal(a.cells, 1879);
	assert_false(a.uncosted);

	/* a combinational design: no flip-flop report */
	assert_int_equal(rtl_area_parse(stat_comb, stat_comb, stat_none, &a, &err), PS_OK);
	assert_int_equal(a.reg_bits, 0);
	assert_int_equal(a.transistors, a.transistors_all);

	/* '+': cells without a cmos cost */
	snprintf(bad, sizeof bad, "%s", stat_all);
	strcpy(strstr(bad, "12994"), "12994+\n");
	assert_int_equal(rtl_area_parse(bad, stat_comb, stat_regs, &a, &err), PS_OK);
	assert_true(a.uncosted);

	/* not a report; cells that do not add up */
	assert_int_equal(rtl_area_parse("ERROR: x", stat_comb, stat_regs, &a, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "Printing statistics"));
	assert_int_equal(rtl_area_parse(stat_all, stat_comb, stat_none, &a, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "disagree"));
}

/* The hierarchical run's reports: top instantiates mid twice and leaf
 * once, mid instantiates leaf twice (so leaf is in 5 places); leaf has
 * a parametrized name. */
static const char hier_comb[] =
	"\n12. Printing statistics.\n\n"
	"=== $paramod$0a1b\\leaf (partially selected) ===\n\n"
	"   Number of cells:                 10\n"
	"     $_XOR_                         10\n\n"
	"   Estimated number of transistors:        120\n\n"
	"=== mid (partially selected) ===\n\n"
	"   Number of cells:                  3\n"
	"     $_AND_                          1\n"
	"     $paramod$0a1b\\leaf             2\n\n"
	"   Estimated number of transistors:          6+\n\n"
	"=== top (partially selected) ===\n\n"
	"   Number of cells:                  5\n"
	"     $_NAND_                         2\n"
	"     $paramod$0a1b\\leaf             1\n"
	"     mid                             2\n\n"
	"   Estimated number of transistors:          8+\n\n"
	"=== design hierarchy ===\n\n"
	"   top                               1\n"
	"     mid                             2\n";
static const char hier_regs[] =
	"\n13. Printing statistics.\n\n"
	"=== mid (partially selected) ===\n\n"
	"   Number of cells:                  4\n"
	"     $_DFF_P_                        4\n\n"
	"=== top (partially selected) ===\n\n"
	"   Number of cells:                  3\n"
	"     $_DFF_P_                        3\n\n";

static void test_parse_hier(void **state)
{
	static const struct rtl_design d = {
		.name = "t", .top = "top",
		.parts = { { "leaf", RTL_C_MULTIPLIER }, { "mid", RTL_C_TREE } },
	};
	static const struct rtl_design d_half = {
		.name = "t", .top = "top", .parts = { { "leaf", RTL_C_MULTIPLIER } },
	};
	struct rtl_area a;
	struct rtl_area_comp bd[RTL_C_COUNT];
	struct ps_err err;
	(void)state;

	memset(&a, 0, sizeof a);
	assert_int_equal(rtl_area_parse_hier(hier_comb, hier_regs, "top", &a, &err), PS_OK);
	assert_int_equal(a.n_mods, 3);
	for (size_t i = 0; i < a.n_mods; i++) {
		const struct rtl_area_mod *m = &a.mods[i];
		if (!strcmp(m->name, "leaf")) {
			assert_int_equal(m->instances, 5);	/* 1 + 2 x 2 */
			assert_int_equal(m->transistors, 120);
			assert_int_equal(m->reg_bits, 0);
			assert_false(m->top);
		} else if (!strcmp(m->name, "mid")) {
			assert_int_equal(m->instances, 2);
			assert_int_equal(m->transistors, 6);
			assert_int_equal(m->reg_bits, 4);
		} else {
			assert_string_equal(m->name, "top");
			assert_true(m->top);
			assert_int_equal(m->instances, 1);
			assert_int_equal(m->reg_bits, 3);
		}
	}
	/* 5 x 120 + 2 x (6 + 4 x 16) + 8 + 3 x 16 */
	assert_int_equal(a.hier_transistors_all, 600 + 140 + 56);
	assert_null(rtl_area_breakdown(&d, &a, bd));
	assert_int_equal(bd[RTL_C_MULTIPLIER].transistors, 600);
	assert_int_equal(bd[RTL_C_TREE].transistors, 12);
	assert_int_equal(bd[RTL_C_CONTROL].transistors, 8);
	assert_int_equal(bd[RTL_C_REGISTERS].reg_bits, 11);
	assert_int_equal(bd[RTL_C_REGISTERS].transistors, 11 * 16);
	assert_non_null(strstr(bd[RTL_C_MULTIPLIER].modules, "leaf x5"));
	/* a module no part names: its parent's component, and said */
	assert_string_equal(rtl_area_breakdown(&d_half, &a, bd), "mid");
	assert_int_equal(bd[RTL_C_CONTROL].transistors, 8 + 12);
	/* a building block in two roles: leaf inside mid counts as mid's
	 * adder tree, leaf in the top as the top's control */
	static const struct rtl_design d_inh = {
		.name = "t", .top = "top",
		.parts = { { "leaf", RTL_C_INHERIT }, { "mid", RTL_C_TREE } },
	};
	assert_null(rtl_area_breakdown(&d_inh, &a, bd));
	assert_int_equal(bd[RTL_C_TREE].transistors, 12 + 4 * 120);
	assert_int_equal(bd[RTL_C_CONTROL].transistors, 8 + 120);
	assert_non_null(strstr(bd[RTL_C_TREE].modules, "leaf x4"));
	assert_non_null(strstr(bd[RTL_C_CONTROL].modules, "leaf x1"));
	assert_int_equal(a.n_edges, 3);
	/* no such top; not a report */
	assert_int_equal(rtl_area_parse_hier(hier_comb, hier_regs, "nosuch", &a, &err),
			 PS_EINPUT);
	assert_non_null(strstr(err.msg, "nosuch"));
	assert_int_equal(rtl_area_parse_hier("x", hier_regs, "top", &a, &err), PS_EINPUT);
	assert_int_equal(rtl_component_find("adder tree"), RTL_C_TREE);
	assert_int_equal(rtl_component_find("nosuch"), -1);
}

/* The yosys script of design into buf (outputs in /tmp/x); asserts that each
 * of the NULL-terminated lines has a place in it. */
static const struct rtl_design *script_has(const char *design, char *buf,
					   size_t size, const char *const *want)
{
	const struct rtl_design *d = rtl_design_find(design);
	struct ps_err err;

	assert_non_null(d);
	assert_int_equal(rtl_area_script(d, "/r", "/tmp/x", buf, size, &err), PS_OK);
	for (; *want; want++)
		if (!strstr(buf, *want))
			fail_msg("%s script lacks \"%s\":\n%s", design, *want, buf);
	return d;
}

static void test_script(void **state)
{
	char buf[4096];
	struct ps_err err;
	const struct rtl_design *d;
	(void)state;

	script_has("dsp48e2_packed", buf, sizeof buf, (const char *const[]){
		"read_verilog -sv \"/r/flightllm/DSP48E2.v\"\n", "-set AMULTSEL \"AD\" DSP48E2\n",
		"synth -flatten -noabc -top DSP48E2\n", "tee -q -o /tmp/x/regs.txt stat t:*DFF*",
		NULL });
	assert_null(strstr(buf, "hcomb.txt"));	/* no parts: no breakdown */
	/* with parts: a second run without -flatten, from the files again */
	d = script_has("ant_mac", buf, sizeof buf, (const char *const[]){
		"synth -flatten -noabc -top pe_ant_mac\n", "design -reset\nread_verilog -sv",
		"synth -noabc -top pe_ant_mac\n", "tee -q -o /tmp/x/hcomb.txt stat -tech cmos",
		"tee -q -o /tmp/x/hregs.txt stat t:*DFF*", NULL });
	assert_int_equal(rtl_area_script(d, "/r", "/tmp/a b", buf, sizeof buf, &err), PS_EINPUT);
	assert_int_equal(rtl_area_script(d, "/r", "/tmp/x", buf, 64, &err), PS_EINPUT);
}

/* Compute density: MACs per transistor (registers included) over the
 * other design's. */
static void test_density(void **state)
{
	struct rtl_area a = { .transistors_all = 3000000 }, b = { .transistors_all = 50000 };
	(void)state;
	/* (512 / 3e6) / (4 / 5e4) = 2.1333 */
	assert_float_equal(rtl_area_density(512, &a, 4, &b), 512.0 * 50000 / (4.0 * 3000000), 1e-12);
	assert_float_equal(rtl_area_density(4, &b, 512, &a), 4.0 * 3000000 / (512.0 * 50000), 1e-12);
	assert_true(isnan(rtl_area_density(0, &a, 4, &b)));
	b.transistors_all = 0;
	assert_true(isnan(rtl_area_density(512, &a, 4, &b)));
	/* the LUT tile is compared with the FP16 DP4 unit, as the paper */
	const struct rtl_design *t = rtl_design_find("lut_tc_tile");
	assert_non_null(t);
	assert_int_equal(t->macs, 2 * 64 * 4);
	assert_string_equal(t->density_vs, "fp16_dp4_mac");
	assert_int_equal(rtl_design_find("fp16_dp4_mac")->macs, 4);
	assert_int_equal(rtl_design_find("int8_dp4_mac")->macs, 4);
}

static void test_table(void **state)
{
	struct rtl_area_ref *r = malloc(sizeof *r);
	struct ps_err err;
	char path[1200];
	struct stat sb;
	(void)state;

	assert_non_null(r);
	snprintf(path, sizeof path, "%s/area-reference.yaml", rtl_dir());
	if (rtl_area_ref_load(path, r, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(r->cal.design, RTL_REFERENCE_DESIGN);
	assert_non_null(rtl_design_find(RTL_REFERENCE_DESIGN));
	assert_true(rtl_area_ref_find(r, "bitmod_fp16_mac")->um2 == 1968.7);
	assert_true(rtl_area_ref_find(r, "bitmod_pe")->um2 == 1793.7);
	assert_true(rtl_area_ref_find(r, "bitmod_fp16_int8_fma")->um2 == 1318.6);
	/* the papers' component lists: BitMoD's PE has its registers' share */
	assert_true(rtl_area_ref_find(r, "bitmod_pe")->n_comps >= 5);
	for (size_t i = 0; i < r->n_entries; i++)
		for (size_t k = 0; k < r->entries[i].n_comps; k++) {
			const struct rtl_ref_comp *c = &r->entries[i].comps[k];
			assert_true(c->ours >= 0 && c->ours < RTL_C_COUNT);
			if (c->ours == RTL_C_REGISTERS && !isnan(c->um2))
				assert_float_equal(c->um2, r->entries[i].um2 -
						   r->entries[i].um2_no_regs, 0.05 + 1e-9);
		}
	for (const struct rtl_design *d = rtl_design_next(NULL); d; d = rtl_design_next(d)) {
		assert_ptr_equal(rtl_design_find(d->name), d);
		for (size_t k = 0; k < RTL_MAX_PARTS && d->parts[k].module; k++)
			assert_true(d->parts[k].component >= RTL_C_INHERIT &&
				    d->parts[k].component < RTL_C_REGISTERS);
		if (d->paper && !rtl_area_ref_find(r, d->paper))
			fail_msg("%s: paper entry '%s' not in %s", d->name, d->paper, path);
		/* a density comparison names a unit with its MACs, a ratio */
		if (d->density_vs) {
			const struct rtl_design *v = rtl_design_find(d->density_vs);
			const struct rtl_ref_entry *e = rtl_area_ref_find(r, d->density_paper);
			assert_non_null(v);
			assert_true(d->macs > 0 && v->macs > 0);
			assert_non_null(e);
			assert_int_equal(e->kind, RTL_REF_RATIO);
		}
		for (size_t i = 0; i < RTL_MAX_FILES && d->files[i]; i++) {
			snprintf(path, sizeof path, "%s/%s", rtl_dir(), d->files[i]);
			if (stat(path, &sb))
				fail_msg("%s: no file %s", d->name, path);
		}
	}
	free(r);
}

/* Every line of families.def has a descriptor saying what RTL it has;
 * every design is found by name and belongs to one family (or common/). */
static void test_families(void **state)
{
	size_t n = 0;
	const size_t lines = 0	/* families.def's lines */
#define PE_FAMILY(name, folder) + 1
#include "families.def"
#undef PE_FAMILY
		;
	(void)state;

	for (const struct rtl_family_entry *f = rtl_families; f->name; f++, n++) {
		assert_non_null(f->rtl);
		assert_non_null(f->rtl->what);
		assert_ptr_equal(rtl_family_find(f->name), f);
		for (const struct rtl_design *d = f->rtl->designs; d && d->name; d++)
			assert_string_equal(rtl_design_family(d), f->name);
	}
	assert_int_equal(n, lines);
	assert_null(rtl_family_find("bitfusion")->rtl->designs);
	assert_null(rtl_family_find("nosuch"));
	assert_string_equal(rtl_design_family(rtl_design_find("fp16_mac")), "fp16");
	assert_string_equal(rtl_design_family(rtl_design_find("fp16_add")), "common");
	assert_string_equal(rtl_design_family(rtl_design_find("dsp48e2_packed")),
			    "flightllm");
	assert_null(rtl_design_find("nosuch"));
}

static void load_text(const char *text, enum ps_status want, const char *msg)
{
	char path[] = "/tmp/pesim-area-ref-XXXXXX";
	struct rtl_area_ref *r = malloc(sizeof *r);
	struct ps_err err;
	int fd = mkstemp(path);
	assert_non_null(r);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(rtl_area_ref_load(path, r, &err), want);
	if (msg && !strstr(err.msg, msg))
		fail_msg("'%s' lacks '%s'", err.msg, msg);
	unlink(path);
	free(r);
}

static void test_ref_errors(void **state)
{
	static const char head[] = "calibration: {design: fp16_mac, entry: a}\nentries:\n";
	char t[1024];
	(void)state;
	snprintf(t, sizeof t, "%s  - {id: a, label: A, kind: area, um2: 1, source: s}\n", head);
	load_text(t, PS_OK, NULL);
	snprintf(t, sizeof t, "%s  - {id: a, label: A, kind: area, um2: 1, source: s}\n"
		 "  - {id: a, label: B, kind: ratio, ratio: 2, source: s}\n", head);
	load_text(t, PS_EINPUT, "duplicate");
	snprintf(t, sizeof t, "%s  - {id: a, label: A, kind: area, source: s}\n", head);
	load_text(t, PS_EINPUT, "needs um2");
	snprintf(t, sizeof t, "%s  - {id: a, label: A, kind: ratio, ratio: 3, source: s}\n", head);
	load_text(t, PS_EINPUT, "calibration.entry");
	snprintf(t, sizeof t, "%s  - {id: a, label: A, kind: volume, um2: 1, source: s}\n", head);
	load_text(t, PS_EINPUT, ":3:");
	snprintf(t, sizeof t, "%s  - {id: a, label: A, kind: area, um2: 1, source: s,\n"
		 "     components: [{name: n, ours: aligner, um2: 2}]}\n", head);
	load_text(t, PS_OK, NULL);
	snprintf(t, sizeof t, "%s  - {id: a, label: A, kind: area, um2: 1, source: s,\n"
		 "     components: [{name: n, ours: flux}]}\n", head);
	load_text(t, PS_EINPUT, "ours");
}

/* |a - b| <= eps in double (assert_float_equal compares floats: too
 * coarse for a tile's 413,853 um2) */
#define NEAR(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

/* configs/area/rtl.yaml of the source tree */
static const char *table_path(void)
{
	static char path[1200];
	snprintf(path, sizeof path, "%s/../configs/area/rtl.yaml", rtl_dir());
	return path;
}

static int have_yosys(void)
{
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "'%s' -V >/dev/null 2>&1", rtl_yosys());
	return system(cmd) == 0;
}

static void test_yosys(void **state)
{
	const struct rtl_design *ds[3] = { rtl_design_find("fp16_mac"),
					   rtl_design_find("fp16_add"),
					   rtl_design_find("ant_mac") };
	struct rtl_area *a = calloc(3, sizeof *a);
	struct rtl_area_comp bd[RTL_C_COUNT];
	struct ps_err err;
	(void)state;

	assert_non_null(a);
	if (!have_yosys()) {
		free(a);
		skip();
	}
	if (rtl_area_run(ds, 3, rtl_dir(), rtl_yosys(), 2, a, &err))
		fail_msg("%s", err.msg);
	/* the breakdown: every module of the ANT PE is a named part, and
	 * the modules synthesized alone come near the flattened total */
	assert_true(a[2].n_mods >= 6);
	assert_null(rtl_area_breakdown(ds[2], &a[2], bd));
	assert_true(bd[RTL_C_MULTIPLIER].transistors > 1000);
	assert_true(bd[RTL_C_ALIGNER].transistors > 500);
	assert_true(bd[RTL_C_NORMALIZE].transistors > 500);
	assert_true(bd[RTL_C_REGISTERS].reg_bits >= a[2].reg_bits);
	assert_true(a[2].hier_transistors_all > a[2].transistors_all * 8 / 10 &&
		    a[2].hier_transistors_all < a[2].transistors_all * 13 / 10);
	assert_int_equal(a[1].n_mods, 0);	/* no parts */
	/* the MAC's registers: product 16 + valid + last, accumulator 16,
	 * out_acc 16, out_valid (rtl/baseline/pe_fp16_mac.v) */
	assert_int_equal(a[0].reg_bits, 51);
	assert_int_equal(a[1].reg_bits, 0);
	assert_false(a[0].uncosted);
	/* yosys prices a plain DFF at 16 transistors (kernel/cost.h) */
	assert_int_equal(a[0].transistors_all - a[0].transistors, 51 * 16);
	assert_int_equal(a[1].transistors_all, a[1].transistors);
	/* the adder is part of the MAC */
	assert_true(a[1].transistors > 1000 && a[1].transistors < a[0].transistors);

	/* a missing yosys is an input error naming it */
	assert_int_equal(rtl_area_run(ds, 1, rtl_dir(), "/nonexistent/yosys", 1, a, &err),
			 PS_EINPUT);
	assert_non_null(strstr(err.msg, "/nonexistent/yosys"));
	free(a);
}

/* The run's cache directory, and there `calls`, one line per Yosys run
 * (main puts a counting wrapper in $PESIM_YOSYS when yosys is found). */
static char cache_dir[] = "/tmp/pesim-area-cache-XXXXXX";

static size_t yosys_runs(void)
{
	char path[100];
	FILE *fp;
	size_t n = 0;
	int c;

	snprintf(path, sizeof path, "%s/calls", cache_dir);
	fp = fopen(path, "r");
	while (fp && (c = fgetc(fp)) != EOF)
		n += c == '\n';
	if (fp)
		fclose(fp);
	return n;
}

/* $PESIM_AREA_CACHE: the digest is of the Verilog's contents, not where
 * it is. A copy of fp16_add.v changed (a comment) is synthesized; again,
 * it is read back; unchanged, it is test_yosys's entry. */
static void test_cache(void **state)
{
	char dir[] = "/tmp/pesim-area-rtl-XXXXXX", path[1200], cmd[2600];
	const struct rtl_design *d = rtl_design_find("fp16_add");
	struct rtl_area a[3];
	struct ps_err err;
	size_t runs = yosys_runs();
	FILE *fp;
	(void)state;

	if (!have_yosys())
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, "mkdir '%s/common' && cp '%s/common/fp16_add.v' "
		 "'%s/common/'", dir, rtl_dir(), dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/common/fp16_add.v", dir);
	fp = fopen(path, "a");
	assert_non_null(fp);
	fputs("// changed\n", fp);
	assert_int_equal(fclose(fp), 0);
	for (int i = 0; i < 3; i++) {
		if (i == 2) {	/* the original text */
			snprintf(cmd, sizeof cmd, "cp '%s/common/fp16_add.v' '%s'",
				 rtl_dir(), path);
			assert_int_equal(system(cmd), 0);
		}
		if (rtl_area_run(&d, 1, dir, rtl_yosys(), 1, &a[i], &err))
			fail_msg("%s", err.msg);
		assert_int_equal(yosys_runs(), runs + 1);
		assert_int_equal(a[i].transistors_all, a[0].transistors_all);
		assert_int_equal(a[i].cells, a[0].cells);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* `pesim area --pe pe --json`'s output in out (it must succeed). */
static void area_json(const char *pe, char *out, size_t size)
{
	FILE *fp = tu_pesim_open("area --pe %s --json", pe);
	size_t n;

	assert_non_null(fp);
	n = fread(out, 1, size - 1, fp);
	out[n] = '\0';
	assert_int_equal(pclose(fp), 0);
}

static void test_cli(void **state)
{
	char out[8192];
	const char *p;
	(void)state;

	assert_int_equal(tu_pesim("area --pe nosuch"), 2);
	if (!have_yosys())
		skip();
	area_json("fp16_mac", out, sizeof out);
	/* the FP16 MAC is the unit and the calibration point */
	p = strstr(out, "\"rel_fp16_mac\":");
	assert_non_null(p);
	assert_true(strtod(p + 15, NULL) == 1.0);
	p = strstr(out, "\"est_um2\":");
	assert_non_null(p);
	NEAR(strtod(p + 10, NULL), 1968.7, 1e-9);
	assert_non_null(strstr(out, "\"reg_bits\":51"));
	/* the paper's FP16 MAC over itself */
	p = strstr(out, "\"paper_rel_fp16_mac\":");
	assert_non_null(p);
	NEAR(strtod(p + 21, NULL), 1.0, 1e-12);

	/* the table's figure is today's synthesis, as `pesim area` prints it */
	area_json("int8_mac", out, sizeof out);
	p = strstr(out, "\"name\":\"int8_mac\"");
	assert_non_null(p);
	p = strstr(p, "\"est_um2\":");
	assert_non_null(p);
	struct cfg_area_table *t = malloc(sizeof *t);
	struct ps_err err;
	assert_non_null(t);
	if (cfg_area_table_load(table_path(), t, &err))
		fail_msg("%s", err.msg);
	NEAR(cfg_area_find(t, "int8_mac")->um2, strtod(p + 10, NULL), 0.05 + 1e-9);
	free(t);
}

/* The table's expressions: a design, a sum with counts over the PEs that
 * share it; the errors name what is wrong. */
static void test_table_expr(void **state)
{
	struct cfg_area_table *t = malloc(sizeof *t);
	const struct cfg_area_entry *mac, *tile, *pre;
	struct ps_err err;
	double um2, k;
	(void)state;

	assert_non_null(t);
	if (cfg_area_table_load(table_path(), t, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(t->cal.design, RTL_REFERENCE_DESIGN);
	mac = cfg_area_find(t, "fp16_mac");
	tile = cfg_area_find(t, "lut_tc_tile");
	pre = cfg_area_find(t, "lut_tc_precompute");
	assert_non_null(mac);
	assert_non_null(tile);
	assert_non_null(pre);
	/* the calibration design is the paper's figure */
	k = t->cal.paper_um2 / (double)mac->transistors;
	assert_int_equal(cfg_area_rtl(t, "fp16_mac", &um2, &err), PS_OK);
	NEAR(um2, t->cal.paper_um2, 1e-9);
	assert_int_equal(cfg_area_rtl(t, "(lut_tc_tile+2*lut_tc_precompute)/128", &um2, &err), PS_OK);
	NEAR(um2, (double)(tile->transistors + 2 * pre->transistors) / 128 * k, 1e-9);
	assert_int_equal(cfg_area_rtl(t, "lut_tc_tile/128", &um2, &err), PS_OK);
	NEAR(um2, (double)tile->transistors / 128 * k, 1e-9);
	/* each entry's um2 is its transistors x the scale */
	for (size_t i = 0; i < t->n; i++)
		assert_true(fabs(t->e[i].um2 - (double)t->e[i].transistors * k) <= 0.05 + 1e-9);
	static const char *const bad[][2] = {
		{ "nosuch", "no design 'nosuch'" },
		{ "lut_tc_tile+2*lut_tc_precompute/128", "parentheses" },
		{ "(fp16_mac+int8_mac", "expected ')'" },
		{ "fp16_mac/0", "PE count" },
		{ "0*fp16_mac", "COUNT*design" },
		{ "fp16_mac-int8_mac", "unexpected '-int8_mac'" },
		{ "", "design name" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(cfg_area_rtl(t, bad[i][0], &um2, &err), PS_EINPUT);
		if (!strstr(err.msg, bad[i][1]))
			fail_msg("rtl:%s: '%s' lacks '%s'", bad[i][0], err.msg, bad[i][1]);
	}
	free(t);
}

/* Every preset's PE area as pesim reports it is its source's: an rtl:
 * design's the table's figure (computed here from the table's counts),
 * paper the paper's; `pesim run --json` prints it and the source. */
static void test_presets(void **state)
{
	static const struct {
		const char *preset, *source;
		const char *design;	/* the table's; NULL: the LUT tile */
		double paper;		/* the paper's figure, 0: none */
	} want[] = {
		{ "baseline/int8-os-32x32", "rtl:int8_mac", "int8_mac", 0 },
		{ "baseline/fp16-os-32x32", "rtl:fp16_mac", "fp16_mac", 1968.7 },
		{ "bitmod/ant", "rtl:ant_mac", "ant_mac", 1318.6 },
		{ "bitmod/bitmod-lossy", "rtl:bitmod_pe", "bitmod_pe", 1507.7 },
		{ "mixpe/w4a8-64x64", "rtl:mixpe_pe_w4a8", "mixpe_pe_w4a8", 0 },
		{ "mixpe/w4a16-32x32", "rtl:mixpe_pe_w4a16", "mixpe_pe_w4a16", 0 },
		{ "flightllm/u280", "rtl:dsp48e2_packed", "dsp48e2_packed", 0 },
		{ "lut_tc/mac-fp16-dp4-64x2", "rtl:fp16_dp4_mac", "fp16_dp4_mac", 0 },
		{ "lut_tc/m2n64k4-w2a16", "rtl:(lut_tc_tile+2*lut_tc_precompute)/128", NULL, 0 },
		{ "bitmod/olive", "paper", NULL, 1318.6 },
	};
	struct cfg_area_table *t = malloc(sizeof *t);
	struct cfg_arch *a = malloc(sizeof *a);
	struct ps_err err;
	char path[1200], out[4096], *p;
	double k;
	(void)state;

	assert_non_null(t);
	assert_non_null(a);
	if (cfg_area_table_load(table_path(), t, &err))
		fail_msg("%s", err.msg);
	k = t->cal.paper_um2 / (double)cfg_area_find(t, "fp16_mac")->transistors;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		double um2;
		FILE *fp;
		size_t n;
		snprintf(path, sizeof path, "%s/../configs/arch/%s.yaml", rtl_dir(), want[i].preset);
		if (pe_arch_load(path, a, &err))
			fail_msg("%s", err.msg);
		assert_string_equal(a->pe.area_source, want[i].source);
		if (want[i].design)
			um2 = (double)cfg_area_find(t, want[i].design)->transistors * k;
		else if (!strcmp(want[i].source, "paper"))
			um2 = want[i].paper;
		else
			um2 = (double)(cfg_area_find(t, "lut_tc_tile")->transistors +
				       2 * cfg_area_find(t, "lut_tc_precompute")->transistors) / 128 * k;
		printf("%-26s %-44s %10.1f um2\n", want[i].preset, want[i].source, um2);
		NEAR(a->pe.area_um2, um2, 1e-6);
		assert_true(a->pe.area_paper_um2 == want[i].paper);
		/* as pesim run reports it */
		fp = tu_pesim_open("run --arch '%s' --gemm 8x64x64 --json", path);
		assert_non_null(fp);
		n = fread(out, 1, sizeof out - 1, fp);
		out[n] = '\0';
		assert_int_equal(pclose(fp), 0);
		p = strstr(out, "\"pe_area_um2\":");
		assert_non_null(p);
		NEAR(strtod(p + 14, NULL), um2, 1e-6);
		p = strstr(out, "\"pe_area_source\":\"");
		assert_non_null(p);
		assert_memory_equal(p + 18, want[i].source, strlen(want[i].source));
		if (want[i].paper > 0) {
			char s[48];
			snprintf(s, sizeof s, "paper: %.1f um2", want[i].paper);
			assert_non_null(strstr(p, s));
		}
	}
	TU_FREE(t, a);
}

/* A preset's area source: an unknown design, an area written beside an
 * rtl: source, a paper source without the paper's figure: file:line:
 * field, exit 2 from the CLI. */
static void test_area_errors(void **state)
{
	static const char *const cases[][3] = {
		{ "  area_source: rtl:int8_mac", "  area_source: rtl:nosuch",
		  "pe.area_source: no design 'nosuch' in " },
		{ "  area_source: rtl:int8_mac", "  area_source: rtl:int8_mac\n  area_um2: 900",
		  "pe.area_um2: the area is area_source's (rtl:int8_mac)" },
		{ "  area_source: rtl:int8_mac", "  area_source: paper",
		  "pe.area_source: paper: needs pe.area_paper_um2" },
		{ "  area_source: rtl:int8_mac", "  area_source: measured",
		  "pe.area_source: 'measured': expected rtl:DESIGN" },
	};
	char src[1200], path[] = "/tmp/pesim-area-arch-XXXXXX.yaml";
	char text[8192], *at, msg[1400];
	struct cfg_arch *a = malloc(sizeof *a);
	struct ps_err err;
	(void)state;

	assert_non_null(a);
	snprintf(src, sizeof src, "%s/../configs/arch/baseline/int8-os-32x32.yaml", rtl_dir());
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		FILE *fp = fopen(src, "r");
		size_t n, line = 1;
		int fd;
		assert_non_null(fp);
		n = fread(text, 1, sizeof text - 1, fp);
		fclose(fp);
		text[n] = '\0';
		at = strstr(text, cases[i][0]);
		assert_non_null(at);
		for (const char *q = text; q < at; q++)
			line += *q == '\n';
		/* the line's comment stays after the new text */
		char rest[8192];
		snprintf(rest, sizeof rest, "%s", at + strlen(cases[i][0]));
		snprintf(at, sizeof text - (size_t)(at - text), "%s%s", cases[i][1], rest);
		fd = mkstemps(path, 5);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
		close(fd);
		/* the second case's error stands at area_um2's line */
		snprintf(msg, sizeof msg, ":%zu: %s", line + (i == 1), cases[i][2]);
		assert_int_equal(pe_arch_load(path, a, &err), PS_EINPUT);
		tu_expect_msg(path, err.msg, msg);
		assert_int_equal(tu_pesim("run --arch '%s' --gemm 8x8x8", path), 2);
		unlink(path);
		strcpy(path + strlen(path) - 11, "XXXXXX.yaml");
	}
	free(a);
}

/* The yosys and the $PESIM_AREA_CACHE of the environment the test was
 * started in (main replaces them with its counting wrapper and its own
 * cache): the table check runs what a user's would. */
static char outer_yosys[1024], outer_cache[1024];

static enum ps_status table_check(const char *path, struct ps_err *err)
{
	struct rtl_area_ref *r = malloc(sizeof *r);
	char ref[1200], saved[1024];
	enum ps_status st;

	assert_non_null(r);
	snprintf(ref, sizeof ref, "%s/area-reference.yaml", rtl_dir());
	if (rtl_area_ref_load(ref, r, err))
		fail_msg("%s", err->msg);
	snprintf(saved, sizeof saved, "%s", getenv("PESIM_AREA_CACHE"));
	if (outer_cache[0])
		setenv("PESIM_AREA_CACHE", outer_cache, 1);
	st = rtl_area_table_check(path, rtl_dir(), outer_yosys, r, 2, stdout, err);
	setenv("PESIM_AREA_CACHE", saved, 1);
	free(r);
	return st;
}

/* `pesim area --table COPY` on a copy of the checked-in table (text)
 * writes it again byte for byte but its first line (which names the
 * file), with the yosys and cache of table_check: every run read back. */
static void regenerated(const char *text)
{
	char path[] = "/tmp/pesim-area-gen-XXXXXX.yaml", saved[2][1024];
	const char *again;
	int fd = mkstemps(path, 5);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(saved[0], sizeof saved[0], "%s", getenv("PESIM_YOSYS") ? getenv("PESIM_YOSYS") : "");
	snprintf(saved[1], sizeof saved[1], "%s", getenv("PESIM_AREA_CACHE"));
	setenv("PESIM_YOSYS", outer_yosys, 1);
	if (outer_cache[0])
		setenv("PESIM_AREA_CACHE", outer_cache, 1);
	assert_int_equal(tu_pesim("area --quiet --jobs 2 --table '%s'", path), 0);
	if (saved[0][0])
		setenv("PESIM_YOSYS", saved[0], 1);
	else
		unsetenv("PESIM_YOSYS");
	setenv("PESIM_AREA_CACHE", saved[1], 1);
	again = tu_slurp(path);
	assert_non_null(again);
	assert_non_null(strchr(again, '\n'));
	assert_string_equal(strchr(again, '\n'), strchr(text, '\n'));
	unlink(path);
}

/* The checked-in table is today's RTL through Yosys; a copy with one
 * figure, one um2 or one digest perturbed is stale, and the message names
 * the design and both figures. */
static void test_table_stale(void **state)
{
	static const char *const mutants[][3] = {
		/* what, replaced by, the message's */
		/* as the generator would have written it from other RTL */
		{ "name: int8_mac, transistors: 7182, reg_bits: 83, um2: 971.2,",
		  "name: int8_mac, transistors: 7190, reg_bits: 83, um2: 972.3,",
		  "int8_mac is stale: table 7190 transistors, 83 flip-flops, 972.3 um2" },
		{ "um2: 1473.8,", "um2: 1318.6,", "ant_mac: um2 1318.6, but its 10898 transistors" },
		{ "name: fp16_dp4_mac, transistors: 53256, reg_bits: 51, um2: 7201.9, digest: \"",
		  "name: fp16_dp4_mac, transistors: 53256, reg_bits: 51, um2: 7201.9, digest: \"0",
		  "fp16_dp4_mac is stale: its Verilog or Yosys script changed" },
	};
	char path[] = "/tmp/pesim-area-table-XXXXXX.yaml", text[16384], *at;
	struct ps_err err;
	FILE *fp;
	size_t n;
	(void)state;

	if (!have_yosys())
		skip();
	if (table_check(table_path(), &err))
		fail_msg("%s", err.msg);
	fp = fopen(table_path(), "r");
	assert_non_null(fp);
	n = fread(text, 1, sizeof text - 1, fp);
	fclose(fp);
	text[n] = '\0';
	regenerated(text);
	for (size_t i = 0; i < sizeof mutants / sizeof *mutants; i++) {
		char t[16384];
		int fd;
		text[n] = '\0';
		snprintf(t, sizeof t, "%s", text);
		at = strstr(t, mutants[i][0]);
		if (!at)
			fail_msg("the table has no '%s'", mutants[i][0]);
		snprintf(t + (at - t), sizeof t - (size_t)(at - t), "%s%s", mutants[i][1],
			 strstr(text, mutants[i][0]) + strlen(mutants[i][0]));
		fd = mkstemps(path, 5);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, t, strlen(t)), (ssize_t)strlen(t));
		close(fd);
		assert_int_equal(table_check(path, &err), PS_ECHECK);
		printf("mutant %zu: %s\n", i, err.msg);
		if (!strstr(err.msg, mutants[i][2]))
			fail_msg("'%s' lacks '%s'", err.msg, mutants[i][2]);
		/* both figures: the RTL's beside the table's */
		if (i == 0)
			assert_non_null(strstr(err.msg, "synthesizes to 7182 transistors, 83 "
						"flip-flops, 971.2 um2"));
		unlink(path);
		strcpy(path + strlen(path) - 11, "XXXXXX.yaml");
	}
}

/* Over the whole run (test_yosys, test_cache, and the CLI's designs in
 * test_cli): fp16_mac, fp16_add, ant_mac, the changed fp16_add and
 * int8_mac synthesized once each. */
static void test_runs(void **state)
{
	(void)state;
	if (!have_yosys())
		skip();
	assert_int_equal(yosys_runs(), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_hier),
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_density),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_ref_errors),
		cmocka_unit_test(test_yosys),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_table_expr),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_area_errors),
		cmocka_unit_test(test_table_stale),
	};
	char cmd[1400];
	int rc;

	snprintf(outer_yosys, sizeof outer_yosys, "%s", rtl_yosys());
	if (getenv("PESIM_AREA_CACHE"))
		snprintf(outer_cache, sizeof outer_cache, "%s", getenv("PESIM_AREA_CACHE"));
	/* one cache for the run, the CLI's runs included, and Yosys behind a
	 * wrapper that counts its runs */
	if (!mkdtemp(cache_dir) || setenv("PESIM_AREA_CACHE", cache_dir, 1))
		return 1;
	if (have_yosys()) {
		snprintf(cmd, sizeof cmd, "printf '#!/bin/sh\\ncase \"$*\" in "
			 "*-s*) echo run >>\"%s/calls\";; esac\\nexec \"%s\" "
			 "\"$@\"\\n' >'%s/yosys' && chmod +x '%s/yosys'",
			 cache_dir, rtl_yosys(), cache_dir, cache_dir);
		if (system(cmd))
			return 1;
		snprintf(cmd, sizeof cmd, "%s/yosys", cache_dir);
		if (setenv("PESIM_YOSYS", cmd, 1))
			return 1;
	}
	rc = cmocka_run_group_tests_name("rtl_area", tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache_dir);
	return system(cmd) ? 1 : rc;
}

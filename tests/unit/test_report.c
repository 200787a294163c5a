/* test_report.c - the BitMoD recipe: its means equal the published means to
 * their printed precision, and two runs write byte-identical files. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>

#include "rpt_bitmod.h"
#include "rpt_paper.h"
#include "sim.h"

static void test_means_equal_paper(void **state)
{
	struct rpt_options o = { .compat_attn = SIM_ATTN_PUBLISHED };
	struct bm_grid *g = calloc(1, sizeof *g);
	struct ps_err err;
	size_t checked = 0;
	(void)state;
	rpt_default_dirs(&o);
	assert_int_equal(bm_build(&o, g, &err), PS_OK);
	for (int s = 0; s < BM_SCEN; s++)
		for (size_t i = 0; i < bm_n_cmps; i++) {
			const struct bm_cmp *c = &bm_cmps[i];
			const struct rpt_figure *f = rpt_paper_find(
				&g->paper, c->metric, bm_scen_keys[s],
				bm_designs[c->design], bm_designs[c->baseline]);
			double ours = bm_mean(g, c, s);
			if (!f)
				continue;
			/* equal when rounded to the paper's 2 decimals */
			if (fabs(ours - f->value) > 0.005)
				fail_msg("%s %s %s vs %s: pesim %.4f paper %.2f", c->metric,
					 bm_scen_keys[s], bm_designs[c->design],
					 bm_designs[c->baseline], ours, f->value);
			checked++;
		}
	assert_int_equal(checked, 11);
	/* exact per-model anchors of the method (cycles are integers) */
	assert_true(g->c[0][3][BM_LOSSY].cycles == 1202921472ull);
	assert_true(g->c[0][3][BM_LOSSY].compute_cycles == 968491008ull);
	free(g);
}

static void test_kv_read_changes_decode_only(void **state)
{
	struct rpt_options o = { .compat_attn = SIM_ATTN_KV_READ };
	struct bm_grid *g = calloc(1, sizeof *g), *p = calloc(1, sizeof *p);
	struct ps_err err;
	(void)state;
	rpt_default_dirs(&o);
	assert_int_equal(bm_build(&o, g, &err), PS_OK);
	o.compat_attn = SIM_ATTN_PUBLISHED;
	assert_int_equal(bm_build(&o, p, &err), PS_OK);
	for (int m = 0; m < BM_MODELS; m++)
		for (int d = 0; d < BM_DESIGNS; d++) {
			assert_true(g->c[0][m][d].cycles == p->c[0][m][d].cycles);
			assert_true(g->c[1][m][d].e_dram > p->c[1][m][d].e_dram);
		}
	free(g);
	free(p);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)len + 1);
	*n = fread(buf, 1, (size_t)len, fp);
	fclose(fp);
	return buf;
}

/* After a report: the four names (links through .bitmod.pesim-set, removed
 * above), the switch link and its generation, nothing else. Removes them. */
static void check_set_dir(const char *d)
{
	char cur[256], p[512];
	int gens = 0, other = 0;
	ssize_t l;
	DIR *dir;
	struct dirent *e;
	snprintf(p, sizeof p, "%s/.bitmod.pesim-set", d);
	l = readlink(p, cur, sizeof cur - 1);
	assert_true(l > 0);
	cur[l] = '\0';
	assert_int_equal(unlink(p), 0);
	dir = opendir(d);
	assert_non_null(dir);
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strcmp(e->d_name, cur))
			gens++;
		else
			other++, printf("left behind: %s/%s\n", d, e->d_name);
	}
	closedir(dir);
	assert_int_equal(gens, 1);
	assert_int_equal(other, 0);
	for (size_t i = 0; i < 4; i++) {
		static const char *const f[] = { "bitmod.md", "bitmod.csv", "bitmod.h5", "bitmod.png" };
		snprintf(p, sizeof p, "%s/%s/%s", d, cur, f[i]);
		assert_int_equal(unlink(p), 0);
	}
	snprintf(p, sizeof p, "%s/%s", d, cur);
	assert_int_equal(rmdir(p), 0);
	assert_int_equal(rmdir(d), 0);
}

/* bitmod.csv's header names /runs' columns of bitmod.h5, in order. */
static void same_columns(const char *d)
{
	char p[512], header[1024], names[1024] = "";
	FILE *f;
	hid_t h, ds, t;
	snprintf(p, sizeof p, "%s/bitmod.csv", d);
	f = fopen(p, "r");
	assert_non_null(f);
	assert_non_null(fgets(header, sizeof header, f));
	fclose(f);
	snprintf(p, sizeof p, "%s/bitmod.h5", d);
	h = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
	ds = H5Dopen2(h, "runs", H5P_DEFAULT);
	t = H5Dget_type(ds);
	for (int i = 0; i < H5Tget_nmembers(t); i++) {
		char *n = H5Tget_member_name(t, (unsigned)i);
		snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? "," : "", n);
		H5free_memory(n);
	}
	H5Tclose(t);
	H5Dclose(ds);
	H5Fclose(h);
	strcat(names, "\n");
	assert_string_equal(header, names);
	assert_non_null(strstr(header, "energy_total_pj"));
}

static void test_two_runs_identical(void **state)
{
	static const char *const files[] = { "bitmod.md", "bitmod.csv",
					     "bitmod.h5", "bitmod.png" };
	char d1[] = "/tmp/pesim-rpt1-XXXXXX", d2[] = "/tmp/pesim-rpt2-XXXXXX";
	struct rpt_options o = { .compat_attn = SIM_ATTN_PUBLISHED };
	struct ps_err err;
	(void)state;
	rpt_default_dirs(&o);
	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	o.out_dir = d1;
	assert_int_equal(rpt_bitmod(rpt_find("bitmod"), &o, &err), PS_OK);
	o.out_dir = d2;
	assert_int_equal(rpt_bitmod(rpt_find("bitmod"), &o, &err), PS_OK);
	same_columns(d1);
	for (size_t i = 0; i < 4; i++) {
		char p1[256], p2[256];
		size_t n1 = 0, n2 = 0;
		char *a, *b;
		snprintf(p1, sizeof p1, "%s/%s", d1, files[i]);
		snprintf(p2, sizeof p2, "%s/%s", d2, files[i]);
		a = slurp(p1, &n1);
		b = slurp(p2, &n2);
		assert_non_null(a);
		assert_non_null(b);
		assert_true(n1 > 100);
		assert_int_equal(n1, n2);
		assert_memory_equal(a, b, n1);
		free(a);
		free(b);
		remove(p1);
		remove(p2);
	}
	/* the set's switch link and one generation, no temporary file */
	check_set_dir(d1);
	check_set_dir(d2);
}

/* Every recipe: its reference file loads and every design's preset with
 * its overrides loads, with its energy table; the designs' keys differ. */
static void test_recipes_load(void **state)
{
	struct rpt_options o = { .compat_attn = SIM_ATTN_PUBLISHED };
	struct cfg_arch *a = malloc(sizeof *a);
	struct cfg_energy *e = malloc(sizeof *e);
	struct rpt_paper *p = malloc(sizeof *p);
	struct ps_err err;
	size_t n = 0;
	(void)state;
	rpt_default_dirs(&o);
	for (const struct rpt_recipe *r = rpt_recipes; r->name; r++, n++) {
		if (r->reference) {
			char path[1024];
			snprintf(path, sizeof path, "%s/%s", o.ref_dir, r->reference);
			if (rpt_paper_load(path, p, &err))
				fail_msg("%s: %s", r->name, err.msg);
			assert_true(p->n > 0);
		}
		for (size_t d = 0; r->designs[d].key; d++) {
			if (rpt_load_design(&o, &r->designs[d], NULL, a, e, &err))
				fail_msg("%s: %s", r->name, err.msg);
			for (size_t k = 0; k < d; k++)
				assert_string_not_equal(r->designs[k].key, r->designs[d].key);
		}
		assert_non_null(r->models[0]);
		assert_non_null(r->scenarios[0]);
		assert_ptr_equal(rpt_find(r->name), r);
	}
	assert_int_equal(n, 5);
	assert_null(rpt_find("all"));
	free(a);
	free(e);
	free(p);
}

/* MixPE's acceptance: from the report's own CSV (per model, compat), each
 * design's mean time normalized to FP16 within 10% of the published mean,
 * and the method's cycles on two anchors (integers: any change shows). */
static void test_mixpe_means(void **state)
{
	static const char *const designs[] = { "INT8", "BitFusion", "ANT", "MixPE-W4A8",
					       "MixPE-W4A16" };
	static const char *const keys[] = { "int8", "bitfusion", "ant", "mixpe-w4a8",
					    "mixpe-w4a16" };
	char d[] = "/tmp/pesim-rptmx-XXXXXX", path[512], line[512];
	struct rpt_options o = { .compat_attn = SIM_ATTN_PUBLISHED };
	struct rpt_paper *pp = malloc(sizeof *pp);
	double sum[5] = { 0 };
	int cnt[5] = { 0 }, anchors = 0;
	struct ps_err err;
	FILE *f;
	(void)state;
	rpt_default_dirs(&o);
	assert_non_null(mkdtemp(d));
	o.out_dir = d;
	assert_int_equal(rpt_mixpe(rpt_find("mixpe"), &o, &err), PS_OK);
	snprintf(path, sizeof path, "%s/mixpe.csv", d);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "model,design,cycles,time_vs_fp16,paper,deviation_pct,"
				  "cycle_mode_time_vs_fp16\n");
	while (fgets(line, sizeof line, f)) {
		char model[64], design[64];
		unsigned long long cycles;
		double t;
		assert_int_equal(sscanf(line, "%63[^,],%63[^,],%llu,%lf", model, design, &cycles, &t), 4);
		for (int i = 0; i < 5; i++)
			if (!strcmp(design, designs[i])) {
				sum[i] += t;
				cnt[i]++;
			}
		if (!strcmp(model, "OPT-6.7B") && !strcmp(design, "MixPE-W4A8")) {
			assert_true(cycles == 50671104ull);
			anchors++;
		}
		if (!strcmp(model, "Llama-2-13B") && !strcmp(design, "INT8")) {
			assert_true(cycles == 884741120ull);
			anchors++;
		}
	}
	fclose(f);
	assert_int_equal(anchors, 2);
	snprintf(path, sizeof path, "%s/mixpe-paper.yaml", o.ref_dir);
	assert_int_equal(rpt_paper_load(path, pp, &err), PS_OK);
	for (int i = 0; i < 5; i++) {
		const struct rpt_figure *fg = rpt_paper_find(pp, "time_vs_fp16", "batch64",
							     keys[i], "fp16");
		double mean;
		assert_int_equal(cnt[i], 4);
		assert_non_null(fg);
		mean = sum[i] / cnt[i];
		if (fabs(mean - fg->value) > 0.1 * fg->value)
			fail_msg("%s: pesim %.4f paper %.2f", designs[i], mean, fg->value);
	}
	free(pp);
	snprintf(line, sizeof line, "rm -rf '%s'", d);
	assert_int_equal(system(line), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recipes_load),
		cmocka_unit_test(test_mixpe_means),
		cmocka_unit_test(test_means_equal_paper),
		cmocka_unit_test(test_kv_read_changes_decode_only),
		cmocka_unit_test(test_two_runs_identical),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}

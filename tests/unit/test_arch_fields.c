/* test_arch_fields.c - every arch field has an effect or is refused.
 *
 * For every preset (configs/arch/NAME/NAME.yaml) and every field of the
 * arch schema (cfg_arch_schema, the family's pe: keys, every buffer and
 * per-model entry present), the field is perturbed in memory as if the
 * file gave another value (the key's line recorded, so rules that depend
 * on a key being given apply), the loader's rules run again
 * (pe_arch_check), and a cycle-mode run of tests/data/models/one-layer.yaml
 * generate:64+1 (for a
 * per-model entry, that entry's model) and of two GEMMs (run) are
 * compared with the unperturbed ones: cycles, energy, DRAM bytes, seconds,
 * PE-array and buffer area (and, for a field those leave alone, a larger
 * GEMM and a bit-true one, run_big). A
 * field passes when some perturbation changes a result; when every one is
 * refused by the rules, the field is one the preset cannot vary; a field
 * marked metadata in the schema (cfg_field.meta) must change nothing. A
 * field that changes nothing and is not refused fails, naming the preset
 * and the field. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pe.h"
#include "sim.h"

struct outcome {
	double v[21];
};

struct ctx {
	const struct cfg_arch *base;
	const char *preset;
	const char *model;		/* the workload's model */
	struct outcome ref;
	double big_ref[6];		/* run_big of the preset, once needed */
	bool have_big;
	int effective, refused, metadata, checked;
	char refused_list[600];
};

/* The workloads: the model's generate:64+1, one 512x8192x8192 GEMM
 * (k-tiled on every preset: partial sums held on chip) and one
 * 4096x16x4096 GEMM (its outputs outweigh its operands: stores). */
static bool run(const struct cfg_arch *a, const char *model, struct outcome *o)
{
	struct cfg_energy en;
	struct wl_model m;
	struct wl_scenario s;
	struct ps_err err;
	if (sim_load_energy(a, &en, &err) || wl_model_find(model, &m, &err))
		return false;
	/* an encoder (a per-model entry of a ViT) has no decode phase */
	if (wl_scenario_parse(m.kind == WL_ENCODER ? "prefill:64" : "generate:64+1", &s, &err))
		return false;
	for (int w = 0; w < 3; w++) {
		struct sim_result r;
		struct sim_request rq = { .arch = a, .energy = &en, .model = w ? NULL : &m,
					  .scenario = w ? NULL : &s, .M = w == 2 ? 4096 : 512,
					  .K = w == 2 ? 16 : 8192, .N = w == 2 ? 4096 : 8192,
					  .mode = SIM_MODE_CYCLE };
		double *v = &o->v[7 * w];
		if (sim_run(&rq, &r, &err))
			return false;
		v[0] = (double)r.cycles;
		v[1] = r.energy.total;
		v[2] = (double)r.dram_read_bytes;
		v[3] = (double)r.dram_write_bytes;
		v[4] = r.seconds;
		v[5] = r.array_area_um2;
		v[6] = r.buffer_area_um2;
		sim_result_free(&r);
	}
	return true;
}

/* The last resort, for a field the workloads above leave alone: an
 * 8192x8192x32768 GEMM whose operands exceed every preset's buffers, so
 * that tiles trade time against traffic (the mapper's objective), and an
 * 8x256x64 GEMM in bit-true mode (what the PE computes). */
static bool run_big(const struct cfg_arch *a, double v[6])
{
	struct cfg_energy en;
	struct sim_result r;
	struct ps_err err;
	struct sim_request rq = { .arch = a, .energy = &en, .M = 8192, .K = 8192,
				  .N = 32768, .mode = SIM_MODE_CYCLE };
	struct sim_request bt = { .arch = a, .energy = &en, .M = 8, .K = 256, .N = 64,
				  .mode = SIM_MODE_BITTRUE, .seed = 1 };
	if (sim_load_energy(a, &en, &err) || sim_run(&rq, &r, &err))
		return false;
	v[0] = (double)r.cycles;
	v[1] = r.energy.total;
	v[2] = (double)(r.dram_read_bytes + r.dram_write_bytes);
	sim_result_free(&r);
	/* and a bit-true GEMM: the numbers the PE computes, and its cycles */
	v[3] = v[4] = v[5] = 0;
	if (pe_family_of(a)->gemm_bt && sim_run(&bt, &r, &err) == PS_OK) {
		v[3] = r.bt.max_abs_err;
		v[4] = r.bt.sqnr_db;
		v[5] = (double)r.bt.cycles_stepped;
		sim_result_free(&r);
	}
	return true;
}

/* The perturbations of one field: other values in its range. */
static size_t candidates(const struct cfg_field *f, const void *p, const char *path,
			 const struct cfg_arch *a, char vals[][64], size_t cap)
{
	size_t n = 0;
	switch (f->type) {
	case CFG_UINT: {
		uint32_t v = *(const uint32_t *)p;
		double lo = f->min < f->max ? f->min : 0, hi = f->min < f->max ? f->max : 1e9;
		double c[] = { v ? 2.0 * v : 64, v / 2, v / 4, v / 8, v + 1.0, lo, hi, v ? v - 1.0 : 3 };
		for (size_t i = 0; i < sizeof c / sizeof *c && n < cap; i++)
			if (c[i] >= lo && c[i] <= hi && (uint32_t)c[i] != v)
				snprintf(vals[n++], 64, "%u", (uint32_t)c[i]);
		break;
	}
	case CFG_DOUBLE: {
		double v = *(const double *)p;
		double c[] = { v ? 2 * v : 1, v / 2, v / 8, v / 64, v ? 8 * v : 100 };
		for (size_t i = 0; i < sizeof c / sizeof *c && n < cap; i++)
			if (c[i] != v && (!(f->min < f->max) || (c[i] >= f->min && c[i] <= f->max)))
				snprintf(vals[n++], 64, "%.17g", c[i]);
		break;
	}
	case CFG_BOOL:
		snprintf(vals[n++], 64, "%d", !*(const bool *)p);
		break;
	case CFG_ENUM:
		for (int i = 0; f->names[i] && n < cap; i++)
			if (i != *(const int *)p)
				snprintf(vals[n++], 64, "%d", i);
		break;
	case CFG_STR: {
		static const char *const specs[] = {
			"none", "int8", "int4", "flint4", "int4-g128", "bitmod4", "bitmod3",
			"bitmod-int6", "olive4", "mixpe-int4", "mixpe-int2", "lut-int2-g128",
			"lut-int4-g128", "nm4of16-int4", "nm2of16-int8", "flint4@5.5", NULL };
		static const char *const tables[] = {
			"bitmod-paper-fp16", "bitmod-paper-ant", "bitmod-paper-bitmod-lossy",
			"baseline-int8-os", "baseline-fp16-os", "mixpe-w4a8", NULL };
		const char *v = p;
		const char *last = strrchr(path, '.');
		last = last ? last + 1 : path;
		if (!strcmp(last, "prefill") || !strcmp(last, "decode")) {
			/* the same format at other average bits (a profile), then
			 * other formats */
			const char *at = strchr(v, '@');
			double b = at ? strtod(at + 1, NULL) : 4;
			int len = at ? (int)(at - v) : (int)strlen(v);
			if (len > 0 && len < 40) {
				snprintf(vals[n++], 64, "%.*s@%g", len, v, b + 1);
				snprintf(vals[n++], 64, "%.*s@%g", len, v, b - 0.5);
			}
			for (int i = 0; specs[i] && n < cap; i++)
				if (strcmp(specs[i], v))
					snprintf(vals[n++], 64, "%s", specs[i]);
		} else if (!strcmp(last, "energy_table")) {
			for (int i = 0; tables[i] && n < cap; i++)
				if (strcmp(tables[i], v))
					snprintf(vals[n++], 64, "%s", tables[i]);
		} else if (!strcmp(last, "family")) {
			for (size_t i = 0; pe_families[i] && n < cap; i++)
				if (strcmp(pe_families[i]->name, v))
					snprintf(vals[n++], 64, "%s", pe_families[i]->name);
		} else if (!strcmp(last, "name") && strstr(path, "buffers")) {
			for (int i = 0; cfg_buffer_roles[i] && n < cap; i++)
				if (strcmp(cfg_buffer_roles[i], v))
					snprintf(vals[n++], 64, "%s", cfg_buffer_roles[i]);
			snprintf(vals[n++], 64, "scratch");
		} else {
			snprintf(vals[n++], 64, "x-%.40s", v);
		}
		break;
	}
	default:
		break;
	}
	(void)a;
	return n;
}

static void set(const struct cfg_field *f, void *p, const char *v)
{
	switch (f->type) {
	case CFG_UINT: *(uint32_t *)p = (uint32_t)strtoul(v, NULL, 10); break;
	case CFG_DOUBLE: *(double *)p = strtod(v, NULL); break;
	case CFG_BOOL: *(bool *)p = v[0] == '1'; break;
	case CFG_ENUM: *(int *)p = atoi(v); break;
	case CFG_STR: snprintf(p, f->size, "%s", v); break;
	default: break;
	}
}

/* Perturb the field at offset `off` of the arch (path for messages and
 * the line table). */
static void field(struct ctx *c, const struct cfg_field *f, size_t off, const char *path)
{
	char vals[24][64];
	struct cfg_arch *a = malloc(sizeof *a);
	size_t n;
	bool changed = false, all_refused = true;
	struct wl_model wm;
	struct ps_err me;
	assert_non_null(a);
	/* an encoder's per-model entry has no decode phase to act on */
	if (strstr(path, "per_model[") && strstr(path, "].decode") &&
	    !wl_model_find(c->model, &wm, &me) && wm.kind == WL_ENCODER) {
		c->checked++;
		c->refused++;
		snprintf(c->refused_list + strlen(c->refused_list),
			 sizeof c->refused_list - strlen(c->refused_list), " %s(encoder)", path);
		free(a);
		return;
	}
	*a = *c->base;
	n = candidates(f, (const char *)a + off, path, a, vals, 24);
	for (size_t pass = 0; pass < 2 && !changed; pass++)
	for (size_t i = 0; i < n && !changed; i++) {
		struct outcome o;
		double big[6];
		struct ps_err err;
		*a = *c->base;
		set(f, (char *)a + off, vals[i]);
		if (!strcmp(path, "pe.family")) {	/* the key that picks the schema */
			const struct pe_family *nf = pe_family_find(vals[i]);
			for (size_t k = 0; pe_families[k]; k++)
				if (pe_families[k] == nf)
					a->pe.family = (int)k;
			memset(a->pe.ext, 0, sizeof a->pe.ext);
			if (nf->cfg_defaults)
				memcpy(a->pe.ext, nf->cfg_defaults, nf->cfg_size);
			/* with the family's own weight format, as a file would */
			snprintf(a->weights.prefill, sizeof a->weights.prefill, "%s", nf->default_weights);
			snprintf(a->weights.decode, sizeof a->weights.decode, "%s", nf->default_weights);
			a->weights.n_per_model = 0;
		}
		/* as if the file gave the key */
		if (!cfg_arch_line(a, path) && a->lines.n < CFG_MAX_LINES) {
			snprintf(a->lines.e[a->lines.n].path, sizeof a->lines.e[0].path, "%s", path);
			a->lines.e[a->lines.n++].line = 999;
		}
		if (pe_arch_check(a, &err))
			continue;
		all_refused = false;
		if (pass) {
			if (!c->have_big) {
				assert_true(run_big(c->base, c->big_ref));
				c->have_big = true;
			}
			changed = run_big(a, big) && memcmp(big, c->big_ref, sizeof big) != 0;
			continue;
		}
		if (!run(a, c->model, &o))
			continue;	/* e.g. an energy table without an entry: not a result */
		changed = memcmp(&o, &c->ref, sizeof o) != 0;
	}
	c->checked++;
	if (f->meta) {
		if (changed)
			fail_msg("%s: %s is metadata but changed a result", c->preset, path);
		c->metadata++;
	} else if (changed) {
		c->effective++;
	} else if (all_refused && n) {
		c->refused++;
		snprintf(c->refused_list + strlen(c->refused_list),
			 sizeof c->refused_list - strlen(c->refused_list), " %s", path);
	} else {
		fail_msg("%s: %s changes no result (%zu values tried) and is not refused",
			 c->preset, path, n);
	}
	free(a);
}

static void walk(struct ctx *c, const struct cfg_field *fs, size_t base, const char *prefix)
{
	for (const struct cfg_field *f = fs; f->type != CFG_END; f++) {
		char path[96];
		snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", f->key);
		if (f->type == CFG_MAP) {
			walk(c, f->fields, base + f->offset, path);
		} else if (f->type == CFG_SEQ) {
			size_t items = *(const size_t *)((const char *)c->base + base + f->count_offset);
			for (size_t i = 0; i < items; i++) {
				char ip[128];
				const char *model = c->model;
				snprintf(ip, sizeof ip, "%s[%zu]", path, i);
				/* a per-model entry acts on its model's runs */
				const struct cfg_arch *saved = c->base;
				struct cfg_arch *alt = NULL;
				if (!strcmp(f->key, "per_model")) {
					const struct cfg_model_weights *w = &c->base->weights.per_model[i];
					c->model = w->model;
					/* an entry equal to the defaults cannot show its
					 * model key: compare against other defaults */
					if (!strcmp(cfg_arch_weight_spec(c->base, w->model, 0), c->base->weights.prefill) &&
					    !strcmp(cfg_arch_weight_spec(c->base, w->model, 1), c->base->weights.decode)) {
						alt = malloc(sizeof *alt);
						assert_non_null(alt);
						*alt = *c->base;
						snprintf(alt->weights.prefill, sizeof alt->weights.prefill, "%s",
							 pe_family_of(alt)->default_weights);
						snprintf(alt->weights.decode, sizeof alt->weights.decode, "%s",
							 pe_family_of(alt)->default_weights);
						c->base = alt;
					}
					if (!run(c->base, c->model, &c->ref))
						fail_msg("%s: %s", c->preset, w->model);
				}
				walk(c, f->fields, base + f->offset + i * f->size, ip);
				if (c->model != model) {
					c->base = saved;
					c->model = model;
					assert_true(run(c->base, c->model, &c->ref));
				}
				free(alt);
			}
		} else {
			field(c, f, base + f->offset, path);
		}
	}
}

/* Under AddressSanitizer (make test's second build) every field of one
 * preset per family folder, the first in glob order: the sanitizer looks
 * for memory errors, which the family's code paths show; the plain build
 * checks every preset (about 50 s of the sanitized run saved, 4x). */
static bool sanitized_skip(const glob_t *g, size_t i)
{
#if defined(__SANITIZE_ADDRESS__)
	if (i > 0) {
		const char *p = g->gl_pathv[i], *q = g->gl_pathv[i - 1];
		const char *s = strrchr(p, '/');
		if (s && strncmp(p, q, (size_t)(s - p) + 1) == 0)
			return true;
	}
#else
	(void)g;
	(void)i;
#endif
	return false;
}

static void test_every_field(void **state)
{
	glob_t g;
	int total[4] = { 0 };
	(void)state;
	assert_int_equal(glob(PESIM_SRCDIR "/configs/arch/*/*.yaml", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		static struct cfg_arch a;
		struct ps_err err;
		struct ctx c = { .base = &a, .model = PESIM_TEST_DATA "/models/one-layer.yaml" };
		const struct pe_family *fam;
		if (sanitized_skip(&g, i))
			continue;
		if (pe_arch_load(g.gl_pathv[i], &a, &err))
			fail_msg("%s", err.msg);
		c.preset = a.name;
		assert_true(run(&a, c.model, &c.ref));
		walk(&c, cfg_arch_schema(), 0, "");
		fam = pe_family_of(&a);
		if (fam->cfg_fields)
			walk(&c, fam->cfg_fields, offsetof(struct cfg_arch, pe.ext), "pe");
		printf("%-26s fields %3d: %3d change a result, %2d refused, %2d metadata\n"
		       "%-26s refused:%s\n",
		       a.name, c.checked, c.effective, c.refused, c.metadata, "", c.refused_list);
		total[0] += c.checked;
		total[1] += c.effective;
		total[2] += c.refused;
		total[3] += c.metadata;
	}
	printf("%-26s fields %3d: %3d change a result, %2d refused, %2d metadata\n", "all",
	       total[0], total[1], total[2], total[3]);
	globfree(&g);
}

/* The metadata marker: the fields the schema says change nothing. */
static void test_metadata_marked(void **state)
{
	const char *meta[] = { "name", "description", NULL };
	(void)state;
	for (int i = 0; meta[i]; i++) {
		const struct cfg_field *f = cfg_arch_schema();
		while (f->type != CFG_END && strcmp(f->key, meta[i]))
			f++;
		assert_int_equal(f->type != CFG_END, 1);
		assert_true(f->meta);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata_marked),
		cmocka_unit_test(test_every_field),
	};
	return cmocka_run_group_tests_name("arch_fields", tests, NULL, NULL);
}

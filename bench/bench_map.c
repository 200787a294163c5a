/* bench_map.c - the mapper's quality as a number (not a test: it prints
 * what it measured and asserts nothing).
 *
 * Every arch preset (configs/arch/NAME/NAME.yaml) runs every zoo model in
 * cycle mode, prefill:512 and (decoders) decode:2048; each distinct GEMM
 * (phase, kind, M, K, N, repeat) of those runs is one case: its achieved
 * fraction of the lower bound, max(compute-bound, DRAM-bound) / cycles
 * (cc_gemm_bound; the row of the steadiest execution: the most times).
 * Prints the distribution over all cases and per preset, and every case
 * under 0.85 with what held it back, read from the row: compute above its
 * bound (partial array passes at tile or shape edges, fill and drain),
 * DRAM traffic above the compulsory (buffer capacity forces re-loads),
 * the array waiting for loads, or for a free output slot. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "sim.h"

struct kase {
	char arch[64], model[64], name[24];
	int phase, kind;
	uint64_t M, K, N, repeat, times;
	double frac;
	char why[200];
};

struct bench {
	struct kase *k;
	size_t n, cap;
	const char *arch, *model;
	const struct cfg_arch *a;
};

static void explain(const struct cfg_arch *a, const struct sim_op_stats *o, char *why,
		    size_t n)
{
	uint64_t comp = o->dram_read_bytes + o->dram_write_bytes;
	uint64_t need = o->bound_dram * cfg_arch_dram_bits(a) / 8;
	uint64_t data = o->q[SIM_Q_COMPUTE].stall[SIM_STALL_DATA];
	uint64_t outs = o->q[SIM_Q_COMPUTE].stall[SIM_STALL_OUTPUT];
	size_t l = 0;
	why[0] = 0;
	if (o->bound_compute >= o->bound_dram && o->compute_cycles > o->bound_compute * 21 / 20)
		l += (size_t)snprintf(why + l, n - l, "compute x%.2f of its bound (tiles cut array passes); ",
				      (double)o->compute_cycles / (double)o->bound_compute);
	if (need && comp > need * 21 / 20)
		l += (size_t)snprintf(why + l, n - l, "DRAM traffic x%.2f the compulsory (buffer capacity); ",
				      (double)comp / (double)need);
	if (data * 10 > o->cycles)
		l += (size_t)snprintf(why + l, n - l, "array waits %.0f%% for loads (latency, fill of the first tile); ",
				      100.0 * (double)data / (double)o->cycles);
	if (outs * 10 > o->cycles)
		l += (size_t)snprintf(why + l, n - l, "array waits %.0f%% for an output slot (stores); ",
				      100.0 * (double)outs / (double)o->cycles);
	if (!l)
		snprintf(why, n, "fill and drain of a short op (%llu cycles)",
			 (unsigned long long)o->cycles);
	else if (l >= 2)
		why[l - 2] = 0;
}

static enum ps_status take(void *ctx, const struct sim_op_stats *o, struct ps_err *err)
{
	struct bench *b = ctx;
	struct kase *k = NULL;
	(void)err;
	for (size_t i = 0; i < b->n; i++) {
		struct kase *x = &b->k[i];
		if (!strcmp(x->arch, b->arch) && !strcmp(x->model, b->model) &&
		    x->phase == o->op.phase && x->kind == o->op.kind && x->M == o->op.M &&
		    x->K == o->op.K && x->N == o->op.N && x->repeat == o->op.repeat) {
			k = x;
			break;
		}
	}
	if (!k) {
		if (b->n == b->cap) {
			b->cap = b->cap ? 2 * b->cap : 1024;
			b->k = realloc(b->k, b->cap * sizeof *b->k);
			if (!b->k)
				return PS_ENOMEM;
		}
		k = &b->k[b->n++];
		memset(k, 0, sizeof *k);
		snprintf(k->arch, sizeof k->arch, "%s", b->arch);
		snprintf(k->model, sizeof k->model, "%s", b->model);
		snprintf(k->name, sizeof k->name, "%s", o->op.name);
		k->phase = o->op.phase;
		k->kind = o->op.kind;
		k->M = o->op.M;
		k->K = o->op.K;
		k->N = o->op.N;
		k->repeat = o->op.repeat;
	}
	if (o->times > k->times) {
		k->times = o->times;
		k->frac = sim_row_fraction(o);
		explain(b->a, o, k->why, sizeof k->why);
	}
	return PS_OK;
}

static int by_frac(const void *x, const void *y)
{
	double a = ((const struct kase *)x)->frac, b = ((const struct kase *)y)->frac;
	return a < b ? -1 : a > b;
}

static int by_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static void dist(const char *label, const struct kase *k, size_t n)
{
	double *f = malloc((n ? n : 1) * sizeof *f), sum = 0;
	size_t below = 0;
	for (size_t i = 0; i < n; i++) {
		f[i] = k[i].frac;
		sum += f[i];
		below += f[i] < 0.85;
	}
	qsort(f, n, sizeof *f, by_double);
	if (n)
		printf("%-26s %6zu %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %6zu\n", label, n, f[0],
		       f[n / 10], f[n / 2], sum / (double)n, f[(n * 9) / 10], f[n - 1], below);
	free(f);
}

int main(void)
{
	static const char *const scen[] = { "prefill:512", "decode:2048" };
	struct bench b = { 0 };
	struct wl_model *zoo;
	size_t nzoo;
	glob_t g;
	struct ps_err err;

	if (wl_zoo_list(&zoo, &nzoo, &err)) {
		fprintf(stderr, "bench_map: %s\n", err.msg);
		return 2;
	}
	if (glob(PESIM_SRCDIR "/configs/arch/*/*.yaml", 0, NULL, &g)) {
		fprintf(stderr, "bench_map: no presets\n");
		return 2;
	}
	for (size_t p = 0; p < g.gl_pathc; p++) {
		struct cfg_arch a;
		struct cfg_energy en;
		if (pe_arch_load(g.gl_pathv[p], &a, &err) || sim_load_energy(&a, &en, &err)) {
			fprintf(stderr, "bench_map: %s\n", err.msg);
			return 2;
		}
		for (size_t z = 0; z < nzoo; z++)
			for (int s = 0; s < 2; s++) {
				struct wl_scenario sc;
				struct sim_result r;
				struct sim_request rq = {
					.arch = &a, .energy = &en, .model = &zoo[z], .scenario = &sc,
					.mode = SIM_MODE_CYCLE, .on_row = take, .row_ctx = &b,
				};
				if (s && zoo[z].kind != WL_DECODER)
					continue;
				b.arch = a.name;
				b.model = zoo[z].name;
				b.a = &a;
				if (wl_scenario_parse(scen[s], &sc, &err) || sim_run(&rq, &r, &err)) {
					fprintf(stderr, "bench_map: %s %s %s: %s\n", a.name, zoo[z].name,
						scen[s], err.msg);
					return 2;
				}
				sim_result_free(&r);
			}
	}
	printf("bench_map: achieved fraction of max(compute-bound, DRAM-bound) per distinct GEMM\n"
	       "(every preset x zoo model x {prefill:512, decode:2048}; 1 = the bound)\n\n");
	printf("%-26s %6s %7s %7s %7s %7s %7s %7s %6s\n", "preset", "cases", "min", "p10",
	       "median", "mean", "p90", "max", "<0.85");
	for (size_t i = 0; i < b.n;) {
		size_t j = i;
		while (j < b.n && !strcmp(b.k[j].arch, b.k[i].arch))
			j++;
		dist(b.k[i].arch, &b.k[i], j - i);
		i = j;
	}
	dist("all", b.k, b.n);
	printf("\ncases under 0.85:\n");
	qsort(b.k, b.n, sizeof *b.k, by_frac);
	for (size_t i = 0; i < b.n && b.k[i].frac < 0.85; i++) {
		const struct kase *k = &b.k[i];
		printf("  %.3f  %-20s %-12s %-7s %-8s %6llux%llux%llu x%llu: %s\n", k->frac, k->arch,
		       k->model, k->phase ? "decode" : "prefill", k->name, (unsigned long long)k->M,
		       (unsigned long long)k->K, (unsigned long long)k->N,
		       (unsigned long long)k->repeat, k->why);
	}
	globfree(&g);
	free(b.k);
	free(zoo);
	return 0;
}

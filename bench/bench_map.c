/* bench_map.c - the mapper's quality as a number (not a test: it prints
 * what it measured and asserts nothing).
 *
 * Every arch preset (configs/arch/NAME/NAME.yaml) runs every zoo model in
 * cycle mode, prefill:512 and (decoders) decode:2048; each distinct GEMM
 * (phase, kind, M, K, N, repeat) of those runs is one case (the row of the
 * steadiest execution: the most times). Two fractions per case:
 *   bound    max(compute-bound, DRAM-bound) / cycles (cc_gemm_bound: the
 *            issue's bound, no buffer limits, no latency);
 *   floor    (max(bound under the buffers, bound) + one DRAM latency) /
 *            cycles: adds what the hardware makes every mapping in the
 *            mapper's space pay - the re-loads, array-cutting tiles and
 *            port limits the buffer capacities force (cc_mapping's
 *            bound_buffers_cycles), and the latency before the first
 *            operand reaches the array (or after the last byte moved).
 * Prints both distributions over all cases and per preset, and every case
 * under 0.85 of the bound with its cycles split into those parts: what the
 * buffers force over the bound, the latency, and the rest - the schedule
 * the mapper and engine chose (the array waiting for loads or an output
 * slot, fill and drain of short tiles). */
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "sim.h"

struct kase {
	char arch[64], model[64], name[24];
	int phase, kind;
	uint64_t M, K, N, repeat, times;
	double frac, floor;
	char why[300];
};

struct bench {
	struct kase *k;
	size_t n, cap;
	const char *arch, *model;
	const struct cfg_arch *a;
};

/* The floor of a row: the bound under the buffers (or the bound) plus one
 * DRAM latency. */
static uint64_t row_floor(const struct cfg_arch *a, const struct sim_op_stats *o)
{
	uint64_t hw = o->bound_compute > o->bound_dram ? o->bound_compute : o->bound_dram;
	uint64_t b = o->bound_buffers > hw ? o->bound_buffers : hw;
	return b + a->dram.latency_cycles;
}

/* A case's cycles in parts, each a share of its cycles: the bound, what
 * the buffers force over it (re-loads: traffic over the compulsory;
 * compute: tiles that cut the array's passes or wait on ports), the DRAM
 * latency, and the rest (the schedule: what the array waited for). */
static void explain(const struct cfg_arch *a, const struct sim_op_stats *o, char *why,
		    size_t n)
{
	uint64_t hw = o->bound_compute > o->bound_dram ? o->bound_compute : o->bound_dram;
	uint64_t bb = o->bound_buffers > hw ? o->bound_buffers : hw;
	uint64_t fl = row_floor(a, o), cyc = o->cycles ? o->cycles : 1;
	uint64_t comp = o->dram_read_bytes + o->dram_write_bytes;
	uint64_t need = o->bound_dram * cfg_arch_dram_bits(a) / 8;
	uint64_t data = o->q[SIM_Q_COMPUTE].stall[SIM_STALL_DATA];
	uint64_t outs = o->q[SIM_Q_COMPUTE].stall[SIM_STALL_OUTPUT];
	size_t l = 0;
	why[0] = 0;
	if ((bb - hw) * 100 >= cyc) {
		l += (size_t)snprintf(why + l, n - l, "buffers force %.0f%% (", 100.0 * (double)(bb - hw) / (double)cyc);
		if (need && comp > need * 21 / 20)
			l += (size_t)snprintf(why + l, n - l, "traffic x%.2f the compulsory, ", (double)comp / (double)need);
		if (o->compute_cycles > o->bound_compute * 21 / 20)
			l += (size_t)snprintf(why + l, n - l, "compute x%.2f its bound, ",
					      (double)o->compute_cycles / (double)o->bound_compute);
		if (why[l - 1] == ' ')
			l -= 2;
		else	/* neither: loads into single slots wait for the compute,
			 * or a slot's write port fills slower than the DRAM */
			l += (size_t)snprintf(why + l, n - l, "single-slot loads or slot ports");
		l += (size_t)snprintf(why + l, n - l, "); ");
	}
	if (a->dram.latency_cycles * 50 > cyc)
		l += (size_t)snprintf(why + l, n - l, "latency %.0f%%; ",
				      100.0 * (double)a->dram.latency_cycles / (double)cyc);
	if (cyc > fl) {
		l += (size_t)snprintf(why + l, n - l, "schedule %.0f%%", 100.0 * (double)(cyc - fl) / (double)cyc);
		if (data * 10 > cyc || outs * 10 > cyc) {
			l += (size_t)snprintf(why + l, n - l, " (array waits");
			if (data * 10 > cyc)
				l += (size_t)snprintf(why + l, n - l, " %.0f%% for loads", 100.0 * (double)data / (double)cyc);
			if (outs * 10 > cyc)
				l += (size_t)snprintf(why + l, n - l, "%s %.0f%% for an output slot",
						      data * 10 > cyc ? "," : "", 100.0 * (double)outs / (double)cyc);
			l += (size_t)snprintf(why + l, n - l, ")");
		}
		l += (size_t)snprintf(why + l, n - l, "; ");
	}
	if (l >= 2)
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
		uint64_t hw = o->bound_compute > o->bound_dram ? o->bound_compute : o->bound_dram;
		k->times = o->times;
		k->frac = o->cycles ? (double)hw / (double)o->cycles : 0;
		k->floor = o->cycles ? (double)row_floor(b->a, o) / (double)o->cycles : 0;
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

/* min, p10, median, max and the count under 0.85 of one fraction */
static void dist1(const struct kase *k, size_t n, bool floor)
{
	double *f = malloc((n ? n : 1) * sizeof *f);
	size_t below = 0;
	for (size_t i = 0; i < n; i++) {
		f[i] = floor ? k[i].floor : k[i].frac;
		below += f[i] < 0.85;
	}
	qsort(f, n, sizeof *f, by_double);
	printf(" %6.3f %6.3f %6.3f %6.3f %5zu ", f[0], f[n / 10], f[n / 2], f[n - 1], below);
	free(f);
}

static void dist(const char *label, const struct kase *k, size_t n)
{
	if (!n)
		return;
	printf("%-22s %5zu |", label, n);
	dist1(k, n, false);
	printf("|");
	dist1(k, n, true);
	printf("\n");
}

int main(int argc, char **argv)
{
	static const char *const scen[] = { "prefill:512", "decode:2048" };
	struct bench b = { 0 };
	struct wl_model *zoo;
	size_t nzoo;
	glob_t g;
	struct ps_err err;
	/* --all: every case, not only those under 0.85 */
	bool all = argc > 1 && !strcmp(argv[1], "--all");

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
	printf("bench_map: achieved fraction of the lower bound per distinct GEMM\n"
	       "(every preset x zoo model x {prefill:512, decode:2048}; 1 = the bound)\n"
	       "bound: max(compute-bound, DRAM-bound); floor: max(the bound under the\n"
	       "buffers, bound) + one DRAM latency (what every mapping in the space pays)\n\n");
	printf("%-22s %5s | %-34s | %-34s\n", "", "", "fraction of the bound", "fraction of the floor");
	printf("%-22s %5s | %6s %6s %6s %6s %5s | %6s %6s %6s %6s %5s\n", "preset", "cases", "min",
	       "p10", "median", "max", "<0.85", "min", "p10", "median", "max", "<0.85");
	for (size_t i = 0; i < b.n;) {
		size_t j = i;
		while (j < b.n && !strcmp(b.k[j].arch, b.k[i].arch))
			j++;
		dist(b.k[i].arch, &b.k[i], j - i);
		i = j;
	}
	dist("all", b.k, b.n);
	printf("\n%s (bound, floor: preset model phase op MxKxN xrepeat: "
	       "cycles in parts):\n", all ? "every case" : "cases under 0.85 of the bound");
	qsort(b.k, b.n, sizeof *b.k, by_frac);
	for (size_t i = 0; i < b.n && (all || b.k[i].frac < 0.85); i++) {
		const struct kase *k = &b.k[i];
		printf("  %.3f %.3f  %-20s %-15s %-7s %-8s %llux%llux%llu x%llu: %s\n", k->frac, k->floor,
		       k->arch, k->model, k->phase ? "decode" : "prefill", k->name,
		       (unsigned long long)k->M, (unsigned long long)k->K, (unsigned long long)k->N,
		       (unsigned long long)k->repeat, k->why);
	}
	globfree(&g);
	free(b.k);
	free(zoo);
	return 0;
}

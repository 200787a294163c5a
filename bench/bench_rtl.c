/* bench_rtl.c - host speed of each PE's golden C model and of its
 * Verilated RTL on the same stimulus (not a test: prints what it measured
 * in this run). For every PE `pesim verify` knows (or those named on the
 * command line): the edges are generated first (the family's random
 * stimulus, seed 1), then stepped through the C model alone, then through
 * the RTL alone (--trace-fst build, tracing off), each timed. The ratio is
 * how many times faster the C model steps the same edges. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pe_bt.h"
#include "rtl_verify.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct run {
	int argc;
	char **argv;
	uint64_t edges;
};

static bool wanted(const struct run *r, const char *name)
{
	if (r->argc < 2)
		return true;
	for (int i = 1; i < r->argc; i++)
		if (!strcmp(r->argv[i], name))
			return true;
	return false;
}

static void bench_one(const struct rtl_verify_pe *pe, void *ctx)
{
	const struct run *run = ctx;
	const struct pe_bt_ops *g = pe_bt_find(pe->golden);
	const struct rtl_model_ops *r = pe->rtl;
	const uint64_t n = run->edges;
	struct ps_err err;

	if (!wanted(run, pe->name) || !g)
		return;
	size_t ni = g->n_in, no = g->n_out;
	uint64_t *in = malloc(n * ni * sizeof *in);
	bool *rst = malloc(n * sizeof *rst);
	uint64_t *out = calloc(no, sizeof *out);
	void *st = calloc(1, pe->stim->state_size ? pe->stim->state_size : 1);
	void *state = malloc(g->state_size ? g->state_size : 1);
	struct rtl_model *m = r->create();
	if (!in || !rst || !out || !st || !state || !m ||
	    pe->stim->init(st, &pe->params, 1, &err) ||
	    g->init(state, &pe->params, &err)) {
		printf("%-20s setup failed\n", pe->name);
		goto out;
	}
	for (uint64_t c = 0; c < n; c++)
		rst[c] = c == 0 || pe->stim->random(st, in + c * ni);

	uint64_t sink = 0;
	double t0 = now();
	for (uint64_t c = 0; c < n; c++) {
		if (rst[c])
			g->reset(state);
		else
			g->step(state, in + c * ni, out);
		sink += out[0];
	}
	double tc = now() - t0;
	t0 = now();
	for (uint64_t c = 0; c < n; c++) {
		r->set_reset(m, rst[c]);
		rtl_model_cycle(r, m, in + c * ni, out);
		sink += out[0];
	}
	double tr = now() - t0;
	printf("%-20s %10" PRIu64 " %12.3f %12.3f %8.1f   (%" PRIu64 ")\n",
	       pe->name, n, n / tc / 1e6, n / tr / 1e6, tr / tc, sink & 1);
out:
	if (pe->stim->fini && st)
		pe->stim->fini(st);
	if (m)
		r->destroy(m);
	free(in);
	free(rst);
	free(out);
	free(st);
	free(state);
}

int main(int argc, char **argv)
{
	struct run run = { argc, argv, 200000 };
	const char *e = getenv("BENCH_RTL_EDGES");

	if (e && atoll(e) > 0)
		run.edges = (uint64_t)atoll(e);
	printf("golden C model vs Verilated RTL, same edges (random stimulus, "
	       "seed 1), one core\n");
	printf("%-20s %10s %12s %12s %8s\n", "PE", "edges", "C Medge/s",
	       "RTL Medge/s", "C/RTL");
	rtl_verify_each(bench_one, &run);
	return 0;
}

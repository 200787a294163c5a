/* bench_rtl.c - host speed of each PE's golden C model and of its
 * Verilated RTL on the same stimulus (not a test: prints what it measured
 * in this run, nothing asserts a time).
 *
 * For every PE `pesim verify` knows (or those named on the command line):
 * the edges are generated once (the family's random stimulus, seed 1; edge
 * 0 resets), then stepped through the C model and through the RTL in timed
 * windows. A window replays the whole edge sequence (reset included) as
 * many times as it takes to last at least --min-ms of this thread's CPU
 * time (clock_gettime(CLOCK_THREAD_CPUTIME_ID): time the scheduler gives
 * to other processes on a loaded machine is not counted). --reps windows
 * per side, alternating C and RTL (C first on even repeats, RTL first on
 * odd ones, so a drift of the machine's speed hits both). Per side the
 * median and the min-max of the windows' edge rates, and the ratio of the
 * medians. Before timing, one pass per side folds every output word of
 * every edge into a hash; the hashes must agree (the same edges gave the
 * same outputs), else the line is marked. The timed passes only step. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pe_bt.h"
#include "pe_fp16.h"
#include "rtl_verify.h"

#ifndef BENCH_VL_FLAGS
#define BENCH_VL_FLAGS "(not given by the build)"
#endif

#define MAX_REPS 64
#define OUT_PAGE 4096	/* >= 8 x the most output ports of a model */

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct run {
	int n_names;
	char **names;
	uint64_t edges;		/* edges of the stimulus */
	unsigned reps;		/* windows per side */
	double min_s;		/* shortest window, CPU seconds */
	int only;		/* 0 both sides; 1 C only, 2 RTL only (profiling) */
};

static bool wanted(const struct run *r, const char *name)
{
	if (!r->n_names)
		return true;
	for (int i = 0; i < r->n_names; i++)
		if (!strcmp(r->names[i], name))
			return true;
	return false;
}

/* The edges of one PE, and the two sides that step them. */
struct bench {
	const struct pe_bt_ops *g;
	void *state;
	const struct rtl_model_ops *r;
	struct rtl_model *m;
	uint64_t n, *in, *out;
	bool *rst;
	size_t ni, no;
};

/* The edge's output words, each weighted by its port, then one FNV step
 * per edge: the words' products are independent, so a model with many
 * output ports does not pay a chain of multiplies per word. */
static uint64_t fold(uint64_t h, const uint64_t *out, size_t no)
{
	uint64_t x = 0;
	for (size_t i = 0; i < no; i++)
		x += out[i] * (2 * i + 1);
	return (h ^ x) * 0x100000001b3ull;
}

/* One pass over the edges; with hash, the hash of every output after
 * every edge (not hashing reset edges: the C model's reset() has no
 * outputs). */
static uint64_t pass_c(const struct bench *b, bool hash)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint64_t c = 0; c < b->n; c++) {
		if (b->rst[c]) {
			b->g->reset(b->state);
			continue;
		}
		b->g->step(b->state, b->in + c * b->ni, b->out);
		if (hash)
			h = fold(h, b->out, b->no);
	}
	return h;
}

static uint64_t pass_rtl(const struct bench *b, bool hash)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint64_t c = 0; c < b->n; c++) {
		b->r->set_reset(b->m, b->rst[c]);
		rtl_model_cycle(b->r, b->m, b->in + c * b->ni, b->out);
		if (hash && !b->rst[c])
			h = fold(h, b->out, b->no);
	}
	return h;
}

/* A window of `passes` passes: its edge rate (edges per CPU second). */
static double window(const struct bench *b, bool rtl, uint64_t passes,
		     double *secs)
{
	double t0 = cpu_now();
	for (uint64_t p = 0; p < passes; p++) {
		if (rtl)
			pass_rtl(b, false);
		else
			pass_c(b, false);
	}
	*secs = cpu_now() - t0;
	return (double)(passes * b->n) / *secs;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof *v, cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Passes for a window of at least min_s: grow the window until it lasts
 * a quarter of that (the first passes warm the caches), then scale with a
 * 20% margin, as a window's time varies from one to the next. */
static uint64_t calibrate(const struct bench *b, bool rtl, double min_s)
{
	uint64_t p = 1;
	double s;
	for (;;) {
		window(b, rtl, p, &s);
		if (s >= min_s / 4)
			break;
		p *= 2;
	}
	return (uint64_t)((double)p * min_s * 1.2 / s) + 1;
}

static void bench_one(const struct rtl_verify_pe *pe, void *ctx)
{
	const struct run *run = ctx;
	struct bench b = { .g = pe_bt_find(pe->golden), .r = pe->rtl,
			   .n = run->edges };
	double rc[MAX_REPS], rr[MAX_REPS], min_win = 1e30;
	uint64_t hc = 0, hr = 0, pc, pr;
	struct ps_err err;
	void *st = NULL;

	if (!wanted(run, pe->name) || !b.g)
		return;
	b.ni = b.g->n_in;
	b.no = b.g->n_out;
	b.in = malloc(b.n * b.ni * sizeof *b.in);
	b.rst = malloc(b.n * sizeof *b.rst);
	/* the output words on a page of their own, the model's state on a
	 * cache line (pe_bt_state_new): where malloc put them decided
	 * whether a model's stores to out[] and its loads from its state
	 * fell 4 KiB apart (the store buffer then holds the load: the
	 * 16-DSP FlightLLM chain 13.7x instead of 22-25x in one placement,
	 * the BitMoD PE 25% slower in another) */
	b.out = aligned_alloc(OUT_PAGE, OUT_PAGE);
	if (b.out)
		memset(b.out, 0, OUT_PAGE);
	st = calloc(1, pe->stim->state_size ? pe->stim->state_size : 1);
	b.state = pe_bt_state_new(b.g);
	b.m = b.r->create();
	if (!b.in || !b.rst || !b.out || !st || !b.state || !b.m ||
	    pe->stim->init(st, &pe->params, 1, &err) ||
	    b.g->init(b.state, &pe->params, &err)) {
		printf("%-20s setup failed\n", pe->name);
		goto out;
	}
	for (uint64_t c = 0; c < b.n; c++)
		b.rst[c] = c == 0 || pe->stim->random(st, b.in + c * b.ni);

	if (run->only) {
		/* one side alone, for a profiler: no ratio */
		bool rtl = run->only == 2;
		uint64_t p = calibrate(&b, rtl, run->min_s);
		for (unsigned i = 0; i < run->reps; i++)
			rc[i] = window(&b, rtl, p, &min_win);
		printf("%-20s %8.3f (%s only)\n", pe->name,
		       median(rc, run->reps) / 1e6, rtl ? "RTL" : "C");
		goto out;
	}
	hc = pass_c(&b, true);
	hr = pass_rtl(&b, true);
	pc = calibrate(&b, false, run->min_s);
	pr = calibrate(&b, true, run->min_s);
	for (unsigned i = 0; i < run->reps; i++) {
		double s;
		for (int side = 0; side < 2; side++) {
			bool rtl = (side == 0) == (i % 2 == 1);
			double *v = rtl ? &rr[i] : &rc[i];
			*v = window(&b, rtl, rtl ? pr : pc, &s);
			if (s < min_win)
				min_win = s;
		}
	}
	double lo_c = rc[0], hi_c = rc[0], lo_r = rr[0], hi_r = rr[0];
	for (unsigned i = 1; i < run->reps; i++) {
		lo_c = rc[i] < lo_c ? rc[i] : lo_c;
		hi_c = rc[i] > hi_c ? rc[i] : hi_c;
		lo_r = rr[i] < lo_r ? rr[i] : lo_r;
		hi_r = rr[i] > hi_r ? rr[i] : hi_r;
	}
	double mc = median(rc, run->reps), mr = median(rr, run->reps);
	printf("%-20s %8.3f %8.3f-%-8.3f %8.4f %8.4f-%-8.4f %7.1f %7.0f%s\n",
	       pe->name, mc / 1e6, lo_c / 1e6, hi_c / 1e6, mr / 1e6,
	       lo_r / 1e6, hi_r / 1e6, mc / mr, min_win * 1e3,
	       hc == hr ? "" : "  OUTPUTS DIFFER");
	fflush(stdout);
out:
	if (pe->stim->fini && st)
		pe->stim->fini(st);
	if (b.m)
		b.r->destroy(b.m);
	free(b.in);
	free(b.rst);
	free(b.out);
	free(st);
	free(b.state);
}

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--edges N] [--reps R] [--min-ms MS] [--only c|rtl] [PE...]\n"
		"  --edges N   edges of stimulus per pass (default 20000)\n"
		"  --reps R    timed windows per side, 1..%d (default 5)\n"
		"  --min-ms MS shortest window in thread CPU ms (default 100)\n"
		"  --only SIDE step one side alone (to profile it): no ratio\n",
		prog, MAX_REPS);
	return 2;
}

int main(int argc, char **argv)
{
	struct run run = { .edges = 20000, .reps = 5, .min_s = 0.1 };
	char **names = calloc((size_t)argc, sizeof *names);

	if (!names)
		return 1;
	run.names = names;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end = NULL;
		long long v = 0;
		if (!strcmp(a, "--edges") || !strcmp(a, "--reps") ||
		    !strcmp(a, "--min-ms")) {
			if (i + 1 >= argc)
				return usage(argv[0]);
			v = strtoll(argv[++i], &end, 10);
			if (!*argv[i] || *end || v < 1)
				return usage(argv[0]);
			if (!strcmp(a, "--edges"))
				run.edges = (uint64_t)v;
			else if (!strcmp(a, "--reps")) {
				if (v > MAX_REPS)
					return usage(argv[0]);
				run.reps = (unsigned)v;
			} else {
				run.min_s = (double)v / 1e3;
			}
		} else if (!strcmp(a, "--only") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "c"))
				run.only = 1;
			else if (!strcmp(argv[i], "rtl"))
				run.only = 2;
			else
				return usage(argv[0]);
		} else if (a[0] == '-') {
			return usage(argv[0]);
		} else {
			names[run.n_names++] = argv[i];
		}
	}
	printf("golden C model vs Verilated RTL: the same %" PRIu64 " edges "
	       "(random stimulus, seed 1) on both sides, thread CPU time,\n"
	       "%u windows of >= %.0f ms per side, alternating; rates in "
	       "Medge/s, median and min-max\n", run.edges, run.reps,
	       run.min_s * 1e3);
	printf("C models: FP16 arithmetic %s; Verilated models: %s\n",
	       pe_f16_impl(), BENCH_VL_FLAGS);
	printf("%-20s %8s %-17s %8s %-17s %7s %7s\n", "PE", "C", "  (min-max)",
	       "RTL", "  (min-max)", "C/RTL", "min ms");
	rtl_verify_each(bench_one, &run);
	free(names);
	return 0;
}

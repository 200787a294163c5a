/* bench_sim.c - speed of the cycle-level engine (not a test: it prints what
 * it measured in this run and asserts nothing).
 *   1. Llama-2-7B prefill:2048 on BitMoD-lossy: simulated MACs per host
 *      second, host ns per trace record and per unrolled unit, with block
 *      replay on and off (the ratio is the replay's speedup);
 *   2. the whole BitMoD table (6 models x 5 designs x 2 scenarios) in cycle
 *      mode, in process;
 *   3. Llama-2-70B prefill:4096, wall time and peak RSS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "pe.h"
#include "sim.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const struct ps_err *err)
{
	fprintf(stderr, "bench_sim: %s\n", err->msg);
	exit(2);
}

static double run_engine(const char *arch_path, const char *model, const char *scen,
			 bool memo, struct sim_result *r)
{
	struct cfg_arch a;
	struct cfg_energy en;
	struct wl_model m;
	struct wl_scenario s;
	struct ps_err err;
	struct sim_request rq = { .arch = &a, .energy = &en, .model = &m, .scenario = &s,
				  .mode = SIM_MODE_CYCLE, .no_replay = !memo };
	double t0;
	if (pe_arch_load(arch_path, &a, &err) || sim_load_energy(&a, &en, &err) ||
	    wl_model_find(model, &m, &err) || wl_scenario_parse(scen, &s, &err))
		die(&err);
	t0 = now();
	if (sim_run(&rq, r, &err))
		die(&err);
	t0 = now() - t0;
	sim_result_free(r);
	return t0;
}

int main(void)
{
	static const char *const designs[] = { "fp16", "ant", "olive", "bitmod-lossy", "bitmod-lossless" };
	static const char *const models[] = { "opt-1.3b", "phi-2", "yi-6b", "llama-2-7b",
					      "llama-2-13b", "llama-3-8b" };
	static const char *const scen[] = { "prefill:256", "generate:256+20" };
	const char *lossy = PESIM_SRCDIR "/configs/arch/bitmod/bitmod-lossy.yaml";
	struct sim_result r;
	struct rusage ru;
	double t_on, t_off, t;

	t_off = run_engine(lossy, "llama-2-7b", "prefill:2048", false, &r);
	printf("llama-2-7b prefill:2048, stepping every unit: %.3f s, %.3g simulated MACs/s, "
	       "%.1f ns/record, %.1f ns/unit (%llu records, %llu units)\n",
	       t_off, (double)r.macs / t_off, t_off * 1e9 / (double)r.instructions,
	       t_off * 1e9 / (double)r.units, (unsigned long long)r.instructions,
	       (unsigned long long)r.units);
	t_on = run_engine(lossy, "llama-2-7b", "prefill:2048", true, &r);
	printf("llama-2-7b prefill:2048, block replay:        %.3f s, %.3g simulated MACs/s, "
	       "%.1f ns/record; replay speedup x%.1f\n",
	       t_on, (double)r.macs / t_on, t_on * 1e9 / (double)r.instructions, t_off / t_on);

	t = now();
	for (int d = 0; d < 5; d++)
		for (int m = 0; m < 6; m++)
			for (int s = 0; s < 2; s++) {
				char path[512];
				snprintf(path, sizeof path, PESIM_SRCDIR "/configs/arch/bitmod/%s.yaml",
					 designs[d]);
				run_engine(path, models[m], scen[s], true, &r);
			}
	printf("BitMoD table in cycle mode (60 runs): %.3f s\n", now() - t);

	t = run_engine(lossy, "llama-2-70b", "prefill:4096", true, &r);
	getrusage(RUSAGE_SELF, &ru);
	printf("llama-2-70b prefill:4096: %.3f s, %llu cycles simulated, peak RSS %.1f MB\n",
	       t, (unsigned long long)r.cycles, ru.ru_maxrss / 1024.0);
	return 0;
}

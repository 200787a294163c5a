/* bench_pe.c - PE-MACs per host second of each family's bit-true stepped
 * model (not a test: prints what it measured in this run). One GEMM per
 * preset through sim_run in bit-true mode; the timed part includes data
 * generation, quantization and the exact reference GEMM, so the rates are
 * lower bounds on the stepped models' own speed. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pe.h"
#include "sim.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	static const char *const presets[] = {
		"bitmod/fp16", "bitmod/ant", "bitmod/olive", "bitmod/bitmod-lossy",
		"baseline/int8-os-32x32", "baseline/bitfusion-os-32x32",
		"mixpe/w4a8-64x64", "mixpe/w4a16-32x32",
		"lut_tc/m2n64k4-w2a16", "flightllm/csd-2of16",
	};
	uint64_t M = 64, K = 1024, N = 256;
	(void)argc;
	(void)argv;
	printf("%-30s %12s %14s %10s\n", "preset", "PE-MACs/s", "cycles", "SQNR dB");
	for (size_t i = 0; i < sizeof presets / sizeof *presets; i++) {
		char path[512];
		struct cfg_arch a;
		struct sim_result r;
		struct sim_request rq = { .arch = &a, .M = M, .K = K, .N = N,
					  .mode = SIM_MODE_BITTRUE, .seed = 1 };
		struct ps_err err;
		double t0, t;
		snprintf(path, sizeof path, PESIM_SRCDIR "/configs/arch/%s.yaml", presets[i]);
		if (pe_arch_load(path, &a, &err)) {
			printf("%-30s %s\n", presets[i], err.msg);
			continue;
		}
		t0 = now();
		if (sim_run(&rq, &r, &err)) {
			printf("%-30s %s\n", presets[i], err.msg);
			continue;
		}
		t = now() - t0;
		printf("%-30s %12.3g %14llu %10.2f\n", presets[i], (double)r.bt.macs / t,
		       (unsigned long long)r.bt.cycles_stepped, r.bt.sqnr_db);
		sim_result_free(&r);
	}
	printf("(GEMM %llux%llux%llu per preset; the time includes data generation, "
	       "quantization and the reference GEMM, so these are lower bounds)\n",
	       (unsigned long long)M, (unsigned long long)K, (unsigned long long)N);
	return 0;
}

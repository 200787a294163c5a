/* bench_fp16.c - the models' inline FP16 add and multiply (pe_fp16.h)
 * against the reference path over every operand pair (2^32 each, a few
 * minutes; test_fp16 checks 10^7 random pairs in CI), and their speed.
 *
 *   bench_fp16 [--from A] [--to B]   first operands A..B-1 (default all)
 *
 * Prints the pairs whose results differ (at most 10, then the count) for
 * this build's path and the portable one, and ns per operation of the
 * reference and the fast path (thread CPU time). Exit status 1 when any
 * pair differs. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pe_fp16.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t bad;

static void report(const char *op, uint16_t a, uint16_t b, uint16_t got,
		   uint16_t want)
{
	if (bad++ < 10)
		printf("%s %04x %04x: %04x, reference %04x\n", op, a, b, got, want);
}

/* ns per call of f over n pseudo-random pairs; the sum of the results
 * goes to *sink so the calls stay. */
#define TIME_OP(f, n, sink)                                                   \
	__extension__({                                                       \
		uint32_t x_ = 12345;                                          \
		uint64_t s_ = 0;                                              \
		double t0_ = cpu_now();                                       \
		for (uint64_t i_ = 0; i_ < (n); i_++) {                       \
			x_ = x_ * 1664525u + 1013904223u;                     \
			s_ += f((uint16_t)x_, (uint16_t)(x_ >> 16));          \
		}                                                             \
		*(sink) += s_;                                                \
		(cpu_now() - t0_) / (double)(n) * 1e9;                        \
	})

int main(int argc, char **argv)
{
	uint32_t from = 0, to = 65536;
	uint64_t sink = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		long v = strtol(argv[i + 1], NULL, 0);
		if (!strcmp(argv[i], "--from") && v >= 0 && v < 65536)
			from = (uint32_t)v;
		else if (!strcmp(argv[i], "--to") && v > 0 && v <= 65536)
			to = (uint32_t)v;
		else {
			fprintf(stderr, "usage: %s [--from A] [--to B]\n", argv[0]);
			return 2;
		}
	}
	printf("FP16 fast path: %s; first operands %04x..%04x, every second "
	       "operand\n", pe_f16_impl(), from, to - 1);
	double t0 = cpu_now();
	for (uint32_t a = from; a < to; a++) {
		for (uint32_t b = 0; b < 65536; b++) {
			uint16_t x = (uint16_t)a, y = (uint16_t)b;
			uint16_t ra = pe_f16_add_ref(x, y), rm = pe_f16_mul_ref(x, y);
			uint16_t fa = pe_f16_add(x, y), fm = pe_f16_mul(x, y);
			uint16_t sa = pe_f16_add_soft(x, y), sm = pe_f16_mul_soft(x, y);
			if (fa != ra)
				report("add", x, y, fa, ra);
			if (fm != rm)
				report("mul", x, y, fm, rm);
			if (sa != ra)
				report("add (portable)", x, y, sa, ra);
			if (sm != rm)
				report("mul (portable)", x, y, sm, rm);
		}
		if ((a & 4095) == 4095)
			fprintf(stderr, "  ..%04x, %.0f s\n", a, cpu_now() - t0);
	}
	uint64_t pairs = (uint64_t)(to - from) * 65536;
	printf("%" PRIu64 " pairs x (add, mul) x (this build, portable): "
	       "%" PRIu64 " differ\n", pairs, bad);

	const uint64_t n = 20000000;
	double r_add = TIME_OP(pe_f16_add_ref, n, &sink);
	double f_add = TIME_OP(pe_f16_add, n, &sink);
	double s_add = TIME_OP(pe_f16_add_soft, n, &sink);
	double r_mul = TIME_OP(pe_f16_mul_ref, n, &sink);
	double f_mul = TIME_OP(pe_f16_mul, n, &sink);
	double s_mul = TIME_OP(pe_f16_mul_soft, n, &sink);
	printf("ns per op     reference  %-10s portable\n", pe_f16_impl());
	printf("add           %9.2f  %10.2f %8.2f\n", r_add, f_add, s_add);
	printf("mul           %9.2f  %10.2f %8.2f\n", r_mul, f_mul, s_mul);
	printf("(checksum %" PRIu64 ")\n", sink & 0xffff);
	return bad ? 1 : 0;
}

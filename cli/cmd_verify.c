/* cmd_verify.c - `pesim verify`: a PE's golden C model and its Verilated
 * RTL in lockstep on random stimulus (rtl/rtl_verify.h). Only with the
 * meson feature -Drtl (PESIM_RTL); otherwise the command says so, exit 2. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ps_status.h"

#ifndef PESIM_RTL

int cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pesim verify: pesim was built without RTL "
		"(meson -Drtl=enabled needs verilator and a C++ compiler)\n");
	return 2;
}

#else

#include <inttypes.h>

#include "rtl_verify.h"

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim verify --pe NAME [--mutant] [--random N] [--seed S]\n"
		"                    [--vcd FILE] [--window N]\n\n"
		"Drives a PE's golden C model (pe_bt) and its Verilated RTL with the\n"
		"same stimulus and compares every output port after every rising\n"
		"edge: one reset edge, directed corners (FP16 specials, every INT8\n"
		"pair), then N random edges (random valid/last patterns, bubbles,\n"
		"resets; FP16 specials and subnormals, INT8 -128). On the first\n"
		"mismatch prints cycle, port, expected and actual and the inputs of\n"
		"the last edges, writes a VCD of the edges around it (from the\n"
		"recorded ports) and exits 1.\n\n"
		"  --pe NAME     the PE:");
	for (const struct rtl_verify_pe *p = rtl_verify_pes; p->name; p++)
		fprintf(fp, " %s", p->name);
	fprintf(fp, "\n"
		"  --mutant      verify the RTL built with its MUTANT_* define\n"
		"                (wrong on purpose: must exit 1)\n"
		"  --random N    random edges after the corners (default 100000)\n"
		"  --seed S      stimulus seed (default 1)\n"
		"  --vcd FILE    the waveform on a mismatch (default\n"
		"                pesim-verify-<rtl>.vcd; '-' for none)\n"
		"  --window N    edges before the mismatch in the VCD (default 32;\n"
		"                N/4+1 after it)\n");
}

static int parse_u64(const char *opt, const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return cli_usage_error("verify", "%s: '%s' is not a number", opt, s);
	*v = strtoull(s, &end, 0);
	if (*end)
		return cli_usage_error("verify", "%s: '%s' is not a number", opt, s);
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pe", required_argument, NULL, 'p' },
		{ "mutant", no_argument, NULL, 'm' },
		{ "random", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "vcd", required_argument, NULL, 'v' },
		{ "window", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rtl_verify_opts o = { .random = 100000, .seed = 1, .log = stdout };
	struct rtl_verify_result res;
	struct ps_err err;
	const char *vcd = NULL;
	char vcd_default[256];
	uint64_t window = 32;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'p')
			o.pe = optarg;
		else if (c == 'm')
			o.mutant = true;
		else if (c == 'n') {
			if ((rc = parse_u64("--random", optarg, &o.random)))
				return rc;
		} else if (c == 's') {
			if ((rc = parse_u64("--seed", optarg, &o.seed)))
				return rc;
		} else if (c == 'v')
			vcd = optarg;
		else if (c == 'w') {
			if ((rc = parse_u64("--window", optarg, &window)))
				return rc;
			if (window < 1 || window > 100000)
				return cli_usage_error("verify", "--window: '%s' is not "
						       "1..100000", optarg);
		} else if (c == 'h') {
			help(stdout);
			return 0;
		} else
			return cli_usage_error("verify", "bad option");
	}
	if (optind < argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	if (!o.pe)
		return cli_usage_error("verify", "--pe is required");
	const struct rtl_verify_pe *pe = rtl_verify_find(o.pe);
	if (!pe)
		return cli_usage_error("verify", "--pe: no PE '%s' with RTL", o.pe);
	const struct rtl_model_ops *rtl = o.mutant ? pe->mutant : pe->rtl;
	if (!vcd) {
		snprintf(vcd_default, sizeof vcd_default, "pesim-verify-%s.vcd",
			 rtl->name);
		vcd = vcd_default;
	}
	o.vcd_path = strcmp(vcd, "-") ? vcd : NULL;
	o.window = (unsigned)window;

	printf("verify %s: golden model %s vs RTL %s%s%s%s, seed %" PRIu64 "\n",
	       pe->name, pe->name, rtl->name, o.mutant ? " (-D" : "",
	       o.mutant ? pe->mutant_define : "", o.mutant ? ")" : "", o.seed);
	fflush(stdout);
	enum ps_status st = rtl_verify(&o, &res, &err);
	if (st != PS_OK && !res.mismatch)
		return cli_fail("verify", st, &err);
	if (res.mismatch) {
		if (st != PS_ECHECK) {	/* the VCD failed: still a failed check */
			cli_fail("verify", st, &err);
			return ps_exit_code(PS_ECHECK);
		}
		if (res.vcd_written)
			printf("  waveform: %s (edges %" PRIu64 "..%" PRIu64
			       ", VCD of the recorded ports, period 10 ns)\n",
			       o.vcd_path, res.vcd_first, res.vcd_last);
		printf("FAIL: %" PRIu64 " cycles compared, mismatch at cycle %"
		       PRIu64 "\n", res.cycles, res.cycle);
		return cli_fail("verify", st, &err);
	}
	printf("  %" PRIu64 " cycles compared (1 reset + %" PRIu64 " corner + %"
	       PRIu64 " random edges), %" PRIu64 " output values (every port, "
	       "every edge)\n", res.cycles, res.corner_edges, res.random_edges,
	       res.values);
	printf("  %" PRIu64 " vectors with in_valid, %" PRIu64 " resets, %" PRIu64
	       " results (out_valid pulses)\n", res.beats, res.resets, res.results);
	printf("OK: 0 mismatches\n");
	return 0;
}

#endif

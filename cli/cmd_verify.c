/* cmd_verify.c - `pesim verify`: a PE's golden C model and its Verilated
 * RTL in lockstep on random stimulus (rtl/rtl_verify.h). Only with the
 * meson feature -Drtl (PESIM_RTL); otherwise the command says so, exit 2. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ps_file.h"
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

#include "cfg_arch.h"
#include "pe.h"
#include "rtl_family.h"
#include "rtl_verify.h"
#include "sim_bittrue.h"
#ifdef PESIM_RTL_SC
#include "rtl_sc.h"
#endif

static void list_one(const struct rtl_verify_pe *pe, void *ctx)
{
	FILE *fp = ctx;
	fprintf(fp, "  %-20s %-10s %s\n", pe->name, pe->family, pe->what);
}

#ifdef PESIM_RTL_SC
static void list_array(const struct rtl_sc_array *a, void *ctx)
{
	fprintf(ctx, "  %-20s %-10s %2u PEs  %s\n%36sPE i: %s\n%36smutant: %s\n",
		a->name, a->family, a->n_pes, a->what, "", a->pe_what, "",
		a->mutant_define);
}

static void list_arrays(FILE *fp)
{
	fprintf(fp, "SystemC arrays (--level system --pe NAME|FAMILY; name, family, "
		"PEs, what; PE i; the mutant PE build):\n");
	rtl_sc_each(list_array, fp);
}
#else
static void list_arrays(FILE *fp)
{
	fprintf(fp, "SystemC arrays: none (built without SystemC)\n");
}
#endif

static void help(FILE *fp)
{
	fprintf(fp,
		"usage: pesim verify --pe NAME [--config ARCH.yaml] [--mutant]\n"
		"                    [--random N] [--seed S] [--trace T.pest [--op N]]\n"
		"                    [--vcd FILE] [--fst FILE] [--wave-dir DIR] [--window N]\n"
		"                    [--list]\n"
		"       pesim verify --level system --pe ARRAY [--rtl-pes LIST] [--mutant]\n"
		"                    [--random N] [--seed S]\n\n"
		"Drives a PE's golden C model (pe_bt) and its Verilated RTL with the\n"
		"same stimulus and compares every output port after every rising\n"
		"edge: one reset edge, the family's directed corners, then N random\n"
		"edges (random operands and valid patterns, bubbles with garbage on\n"
		"ignored inputs, resets), or with --trace the operands of a bit-true\n"
		"trace's GEMM. On the first mismatch prints cycle, port, expected and\n"
		"actual and the inputs of the last edges, writes a VCD of the\n"
		"recorded ports around it, re-runs the RTL over that window with\n"
		"Verilator's FST tracing (every internal signal), and exits 1.\n\n"
		"  --pe NAME      a PE below, or a family (with --config: the build\n"
		"                 of that configuration)\n"
		"  --config F     an arch YAML: the PE of its family whose RTL was\n"
		"                 built with its parameters\n"
		"  --mutant       verify the RTL built with its MUTANT_* define\n"
		"                 (wrong on purpose: must exit 1)\n"
		"  --random N     random edges after the corners (default 100000)\n"
		"  --seed S       stimulus seed (default 1)\n"
		"  --trace T      operands from bit-true trace T's sidecar T.h5\n"
		"                 (pesim compile --bit-true), GEMM --op N (default 0)\n"
		"  --vcd FILE     VCD of the recorded ports on a mismatch (default\n"
		"                 pesim-verify-<rtl>.vcd; '-' for none)\n"
		"  --fst FILE     FST of the RTL re-run (default\n"
		"                 pesim-verify-<rtl>.fst; '-' for none)\n"
		"  --wave-dir DIR where the default-named waveforms go (created;\n"
		"                 default the working directory)\n"
		"  --window N     edges before the mismatch in the waveforms\n"
		"                 (default 32; N/4+1 after it)\n"
		"  --list         the PEs with RTL (with --level system: the\n"
		"                 SystemC arrays)\n"
		"  --level L      pe (default): one PE or array, all RTL; system: a\n"
		"                 family's array in SystemC (--pe: a SystemC array\n"
		"                 below, or its family) in which the PEs of --rtl-pes\n"
		"                 are Verilated RTL (the models --pe checks) and the\n"
		"                 rest the golden C PE model, each in an sc_module,\n"
		"                 compared every edge with the golden C array\n"
		"                 (rtl/systemc/); one array per process (SystemC\n"
		"                 elaborates once)\n"
		"  --rtl-pes L    the PEs in RTL: comma-separated numbers (PE i as\n"
		"                 the array below numbers them), 'all' or 'none'\n"
		"                 (default all); with --mutant the highest is the\n"
		"                 mutant build\n"
		CLI_HELP_COMMON "\n"
		"PEs with RTL (name, family, what):\n");
	rtl_verify_each(list_one, fp);
	fprintf(fp, "\nFamilies without RTL to verify:\n");
	for (const struct rtl_family_entry *f = rtl_families; f->name; f++)
		if (!f->rtl->verify)
			fprintf(fp, "  %-20s %s\n", f->name, f->rtl->what);
	fprintf(fp, "\n");
	list_arrays(fp);
}

/* The PE of --config's family and parameters. */
static int pe_from_config(const char *path, const char *name,
			  const struct rtl_verify_pe **pe)
{
	struct cfg_arch a;
	struct pe_params pp;
	struct ps_err err;
	enum ps_status st = pe_arch_load(path, &a, &err);

	if (st)
		return cli_fail("verify", st, &err);
	const char *fam = a.pe.family_name;
	if (name && !rtl_verify_find(name))
		return cli_usage_error("verify", "--pe: no PE '%s' with RTL", name);
	if (name && strcmp(rtl_verify_find(name)->family, fam))
		return cli_usage_error("verify", "--pe %s is family %s, %s is %s",
				       name, rtl_verify_find(name)->family, path, fam);
	pe_params_from_arch(&a, NULL, 0, &pp);
	*pe = rtl_verify_match(fam, &pp);
	if (!*pe) {
		fprintf(stderr, "pesim verify: %s: no RTL build of family %s with "
			"lanes %u, weight bits %g, act bits %u, group %u, table "
			"bits %u (pesim verify --list)\n", path, fam, pp.lanes,
			pp.weight_bits, pp.act_bits, pp.group_size, pp.table_bits);
		return 2;
	}
	return 0;
}

#ifdef PESIM_RTL_SC
/* "0,5,12", "all" or "none" -> mask of PEs 0..n-1; nonzero on a bad list. */
static int parse_pes(const char *s, unsigned n, uint64_t *mask)
{
	const char *s0 = s;
	char *end;

	*mask = 0;
	if (!strcmp(s, "none"))
		return 0;
	if (!strcmp(s, "all")) {
		*mask = n >= 64 ? ~0ull : (1ull << n) - 1;
		return 0;
	}
	do {
		unsigned long v = *s >= '0' && *s <= '9' ? strtoul(s, &end, 10) : n;
		if (v >= n || (*end && *end != ','))
			return cli_usage_error("verify", "--rtl-pes: '%s' is not 'all', "
					       "'none' or a list of 0..%u", s0, n - 1);
		*mask |= 1ull << v;
		s = *end ? end + 1 : end;
	} while (*s);
	return 0;
}
#endif

static int verify_system(const char *name, const char *pes, bool mutant,
			 uint64_t random, uint64_t seed)
{
#ifdef PESIM_RTL_SC
	struct rtl_sc_opts o = { .mutant = mutant, .random = random,
				 .seed = seed, .log = stdout };
	struct rtl_sc_result r;
	struct ps_err err;
	const struct rtl_sc_array *a = name ? rtl_sc_find(name) : NULL;
	int rc;

	if (!name)
		return cli_usage_error("verify", "--level system needs --pe ARRAY "
				       "(pesim verify --level system --list)");
	if (!a)
		return cli_usage_error("verify", "--level system: --pe %s is not a "
				       "SystemC array or family (pesim verify --level "
				       "system --list)", name);
	if ((rc = parse_pes(pes ? pes : "all", a->n_pes, &o.rtl_pes)))
		return rc;
	fflush(stdout);
	enum ps_status st = a->run(a, &o, &r, &err);
	if (st != PS_OK && !r.mismatch)
		return cli_fail("verify", st, &err);
	if (r.mismatch) {
		printf("FAIL: %" PRIu64 " cycles compared, mismatch at cycle %"
		       PRIu64 "\n", r.cycles, r.cycle);
		return cli_fail("verify", st, &err);
	}
	/* run printed the counts and "OK" to o.log */
	return 0;
#else
	(void)name;
	(void)pes;
	(void)mutant;
	(void)random;
	(void)seed;
	fprintf(stderr, "pesim verify: --level system: pesim was built without "
		"SystemC (libsystemc-dev)\n");
	return 2;
#endif
}

/* --vcd/--fst FILE as given ("-": none), else pesim-verify-<rtl>.<ext> in
 * --wave-dir (default: the working directory). */
static const char *waveform(const char *opt, const char *dflt_ext,
			    const char *rtl, const char *dir, char *buf, size_t n)
{
	if (opt)
		return strcmp(opt, "-") ? opt : NULL;
	snprintf(buf, n, "%s%spesim-verify-%s.%s", dir ? dir : "", dir ? "/" : "",
		 rtl, dflt_ext);
	return buf;
}

int cmd_verify(int argc, char **argv)
{
	struct rtl_verify_opts o = { .random = 100000, .seed = 1, .log = stdout };
	struct rtl_verify_result res;
	struct sim_trace_gemm tg = { 0 };
	struct ps_err err;
	const char *name = NULL, *config = NULL, *trace = NULL;
	const char *vcd = NULL, *fst = NULL, *pes = NULL, *wave_dir = NULL;
	bool system = false, list = false;
	char vcd_default[PATH_MAX], fst_default[PATH_MAX], real[PATH_MAX];
	uint64_t window = 32, op = 0;
	struct cli_opts p;
	int c, rc;

	cli_opts_init(&p, "verify",
		      "pe,p: config,c: mutant,m random,n: seed,s: trace,t: "
		      "op,o: vcd,v: fst,f: window,w: list,l level,L: "
		      "rtl-pes,R: wave-dir,D:",
		      "h", help);
	while ((c = cli_getopt(&p, argc, argv)) != -1) {
		if (c == 'p')
			name = optarg;
		else if (c == 'c')
			config = optarg;
		else if (c == 'm')
			o.mutant = true;
		else if (c == 'n') {
			if (cli_u64(&p, optarg, 0, UINT64_MAX - 1, &o.random))
				return 2;
		} else if (c == 's') {
			if (cli_u64(&p, optarg, 0, UINT64_MAX, &o.seed))
				return 2;
		} else if (c == 't')
			trace = optarg;
		else if (c == 'o') {
			if (cli_u64(&p, optarg, 0, UINT32_MAX, &op))
				return 2;
		} else if (c == 'v')
			vcd = optarg;
		else if (c == 'f')
			fst = optarg;
		else if (c == 'D')
			wave_dir = optarg;
		else if (c == 'w') {
			if (cli_u64(&p, optarg, 1, 100000, &window))
				return 2;
		} else if (c == 'L') {
			if (strcmp(optarg, "pe") && strcmp(optarg, "system"))
				return cli_usage_error("verify", "--level: '%s' is not "
						       "pe or system", optarg);
			system = !strcmp(optarg, "system");
		} else if (c == 'R')
			pes = optarg;
		else if (c == 'l') {
			list = true;
		} else
			return cli_done(c);
	}
	if (optind < argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	if (list) {
		if (system)
			list_arrays(stdout);
		else
			rtl_verify_each(list_one, stdout);
		return 0;
	}
	if (pes && !system)
		return cli_usage_error("verify", "--rtl-pes needs --level system");
	if (system) {
		if (config || trace || vcd || fst)
			return cli_usage_error("verify", "--level system takes no "
					       "--config, --trace, --vcd or --fst");
		return verify_system(name, pes, o.mutant, o.random, o.seed);
	}
	if (config) {
		if ((rc = pe_from_config(config, name, &o.pe)))
			return rc;
	} else if (!name)
		return cli_usage_error("verify", "--pe or --config is required");
	else if (!(o.pe = rtl_verify_find(name)))
		return cli_usage_error("verify", "--pe: no PE '%s' with RTL "
				       "(pesim verify --list)", name);
	const struct rtl_verify_pe *pe = o.pe;
	const struct rtl_model_ops *rtl = o.mutant ? pe->mutant : pe->rtl;
	o.vcd_path = waveform(vcd, "vcd", rtl->name, wave_dir, vcd_default, sizeof vcd_default);
	o.fst_path = waveform(fst, "fst", rtl->name, wave_dir, fst_default, sizeof fst_default);
	if (wave_dir) {
		struct ps_err werr;
		enum ps_status ws = ps_mkdirs(wave_dir, &werr);
		if (ws)
			return cli_fail("verify", ws, &werr);
	}
	for (int w = 0; w < 2; w++) {	/* refuse bad targets before the run */
		const char *t = w ? o.fst_path : o.vcd_path;
		struct ps_err werr;
		enum ps_status ws = t ? ps_out_target(t, real, sizeof real, &werr) : PS_OK;
		if (ws)
			return cli_fail("verify", ws, &werr);
	}
	o.window = (unsigned)window;
	if (trace) {
		enum ps_status st = sim_bittrue_trace_gemm(trace, (uint32_t)op, &tg, &err);
		if (st)
			return cli_fail("verify", st, &err);
		o.gemm = &tg.g;
	}

	printf("verify %s (%s): golden model %s vs RTL %s%s%s%s, seed %" PRIu64,
	       pe->name, pe->what, pe->golden, rtl->name, o.mutant ? " (-D" : "",
	       o.mutant ? pe->mutant_define : "", o.mutant ? ")" : "", o.seed);
	if (trace)
		printf(", operands of %s op %" PRIu64 " (%" PRIu64 "x%" PRIu64 "x%"
		       PRIu64 ", %s)", trace, op, tg.g.M, tg.g.K, tg.g.N, tg.quant);
	printf("\n");
	fflush(stdout);
	enum ps_status st = rtl_verify(&o, &res, &err);
	sim_trace_gemm_free(&tg);
	if (st != PS_OK && !res.mismatch)
		return cli_fail("verify", st, &err);
	if (res.mismatch) {
		if (res.vcd_written)
			printf("  waveform: %s (edges %" PRIu64 "..%" PRIu64
			       ", VCD of the recorded ports and expected values, "
			       "2 ps per edge from reset)\n", o.vcd_path, res.vcd_first,
			       res.vcd_last);
		if (res.fst_written)
			printf("  waveform: %s (the RTL re-run from reset, dumped "
			       "over edges %" PRIu64 "..%" PRIu64 ", every signal, "
			       "the same time axis)\n", o.fst_path,
			       res.vcd_first, res.vcd_last);
		printf("FAIL: %" PRIu64 " cycles compared, mismatch at cycle %"
		       PRIu64 "\n", res.cycles, res.cycle);
		if (st != PS_ECHECK) {	/* a waveform failed: still a failed check */
			cli_fail("verify", st, &err);
			return ps_exit_code(PS_ECHECK);
		}
		return cli_fail("verify", st, &err);
	}
	printf("  %" PRIu64 " cycles compared (1 reset + %" PRIu64 " corner + %"
	       PRIu64 " %s edges), %" PRIu64 " output values (every port, "
	       "every edge)\n", res.cycles, res.corner_edges, res.random_edges,
	       trace ? "trace-operand" : "random", res.values);
	printf("  %" PRIu64 " edges with in_valid, %" PRIu64 " resets, %" PRIu64
	       " edges changed an output\n", res.beats, res.resets, res.changes);
	printf("OK: 0 mismatches\n");
	return 0;
}

#endif

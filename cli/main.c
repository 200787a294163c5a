/* main.c - `pesim <command>`, git-style. The only place statuses become exit
 * codes: 0 ok, 1 a check failed, 2 bad input or usage. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfg_yaml.h"
#include "cli.h"
#include "ps_file.h"
#include "ps_status.h"
#include "ps_version.h"

struct command {
	const char *name;
	const char *summary;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "models", "list the model zoo with parameter counts", cmd_models },
	{ "run", "simulate a model scenario on an architecture", cmd_run },
	{ "report", "regenerate a paper's tables, or all of them (pesim report --help)", cmd_report },
	{ "compile", "map a workload onto an arch and write its trace", cmd_compile },
	{ "dis", "disassemble a trace, one instruction per line", cmd_dis },
	{ "quant", "quantize weights with every format and report the error", cmd_quant },
	{ "area", "RTL area from yosys, beside the papers' figures", cmd_area },
	{ "verify", "a PE's RTL against its golden C model, in lockstep", cmd_verify },
	{ "sweep", "run a design-space sweep file (workers, resume, shards)", cmd_sweep },
	{ "merge", "join the shard files of a sweep into one", cmd_merge },
	{ "pareto", "the non-dominated points of a sweep, table and PNG", cmd_pareto },
	{ NULL, NULL, NULL },
};

int cli_fail(const char *cmd, int status, const struct ps_err *err)
{
	fprintf(stderr, "pesim %s: %s\n", cmd, err->msg);
	return ps_exit_code(status);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "pesim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'pesim %s --help')\n", cmd);
	return 2;
}

int cli_set_add(const char *cmd, struct cfg_sets *ss, const char *arg)
{
	struct ps_err err;
	if (cfg_sets_add(ss, arg, NULL, &err)) {
		cli_fail(cmd, PS_EINPUT, &err);
		return -1;
	}
	if (!strncmp(arg, "run.", 4)) {
		fprintf(stderr, "pesim %s: --set %s: run.* fields belong to sweep files; "
			"here they are options (--model, --scenario, --mode, ...)\n", cmd, arg);
		return -1;
	}
	return 0;
}

static void usage(FILE *fp)
{
	fprintf(fp, "usage: pesim <command> [options]\n\n"
		    "pesim %s (%s): co-design of PEs for low-bit LLM accelerators.\n\n"
		    "commands:\n", PESIM_VERSION, PESIM_GIT_SHA);
	for (const struct command *c = commands; c->name; c++)
		fprintf(fp, "  %-8s %s\n", c->name, c->summary);
	fprintf(fp, "\n'pesim <command> --help' describes each command.\n"
		    "exit status: 0 ok, 1 a check failed, 2 bad input or usage\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help") || !strcmp(argv[1], "--version")) {
		struct ps_err err;
		if (!strcmp(argv[1], "--version"))
			printf("pesim %s (%s)\n", PESIM_VERSION, PESIM_GIT_SHA);
		else
			usage(stdout);
		if (ps_stdout_close(&err) != PS_OK) {
			fprintf(stderr, "pesim: %s\n", err.msg);
			return 2;
		}
		return 0;
	}
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name)) {
			int rc = c->fn(argc - 1, argv + 1);
			struct ps_err err;
			/* output that did not reach stdout is a failure */
			if (ps_stdout_close(&err) != PS_OK)
				return cli_fail(c->name, PS_EIO, &err);
			return rc;
		}
	fprintf(stderr, "pesim: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}

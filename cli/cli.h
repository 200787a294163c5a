/* cli.h - pesim's commands and the option parsing they share. Each command
 * returns an exit code: 0 ok, 1 a check failed, 2 bad input or usage. */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

int cmd_models(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_dis(int argc, char **argv);
int cmd_quant(int argc, char **argv);
int cmd_area(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_pareto(int argc, char **argv);

/* Option parsing shared by every command (cli_opt.c). cli_getopt is
 * getopt_long with pesim's rules: an unknown option, a missing or empty
 * value, and an option with a value given twice are errors printed as
 * "pesim CMD: ..." (the call returns CLI_ERR, exit 2) unless `multi` names
 * the option; --progress and
 * --quiet, accepted by every command, set the progress display
 * (ps_progress.h) and `quiet` and are not returned. */
#define CLI_ERR (-2)
#define CLI_HELP (-3)
struct cli_opts {
	const char *cmd;		/* "run" */
	/* --help and -h (accepted by every command) print help(stdout) and
	 * cli_getopt returns CLI_HELP. NULL: 'h' is returned like any
	 * option. */
	void (*help)(FILE *fp);
	const char *multi;		/* options that may be given again, "mM" */
	bool quiet;			/* --quiet was given */
	const char *name;		/* the option just returned, "--seed" */
	unsigned char seen[256];
	struct option all[64];
	char sopts[64];
	char names[768];		/* the long names of all[] */
	size_t names_len;
};
/* A command's long options, one spec string: space-separated entries
 * "NAME,C" (--NAME returns C) or "NAME,C:" (--NAME takes a value), as in
 * "pe,p: json,j". shortopts are getopt's, e.g. "ho:"; help as above. */
void cli_opts_init(struct cli_opts *p, const char *cmd, const char *spec,
		   const char *shortopts, void (*help)(FILE *fp));
int cli_getopt(struct cli_opts *p, int argc, char **argv);
/* Add a shared group of options (a spec as above) after cli_opts_init. */
void cli_opts_add(struct cli_opts *p, const char *spec);

/* The exit code of a command whose cli_getopt returned c, an option it
 * does not take: 0 after --help, else 2. */
static inline int cli_done(int c)
{
	return c == CLI_HELP ? 0 : 2;
}

/* The lines every command's --help ends with. */
#define CLI_HELP_COMMON \
	"  --progress           progress (rate, ETA) on stderr even when it is\n" \
	"                       not a terminal; --quiet: never\n"

/* The value of the option just returned as an integer in min..max; on
 * error prints "pesim CMD: --opt: ..." and returns CLI_ERR. */
int cli_u64(const struct cli_opts *p, const char *s, uint64_t min, uint64_t max,
	    uint64_t *v);

/* "MxKxN" -> dims, each 1..2^32-1 (the trace's 32-bit fields); on error
 * prints which dim is wrong and returns CLI_ERR. */
int cli_gemm(const char *cmd, const char *s, uint64_t *M, uint64_t *K, uint64_t *N);

/* --set path=value (README "Overrides"): add one to ss; -1 after printing
 * the usage error. */
struct cfg_sets;
int cli_set_add(const char *cmd, struct cfg_sets *ss, const char *arg);

/* Print "pesim <cmd>: message" to stderr and return the exit code of st. */
struct ps_err;
int cli_fail(const char *cmd, int status, const struct ps_err *err);
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

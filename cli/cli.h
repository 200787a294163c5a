/* cli.h - pesim's commands. Each returns an exit code: 0 ok, 1 a check
 * failed, 2 bad input or usage. */
#ifndef CLI_H
#define CLI_H

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

#include <stdint.h>

/* --set path=value (README "Overrides"): add one to ss; -1 after printing
 * the usage error. */
struct cfg_sets;
int cli_set_add(const char *cmd, struct cfg_sets *ss, const char *arg);

/* "MxKxN" -> dims (each 1..2^32-1); -1 if malformed. */
int cli_parse_gemm(const char *s, uint64_t *M, uint64_t *K, uint64_t *N);

/* Print "pesim <cmd>: message" to stderr and return the exit code of st. */
struct ps_err;
int cli_fail(const char *cmd, int status, const struct ps_err *err);
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

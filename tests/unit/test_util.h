/* test_util.h - what the unit tests share: a deterministic random stream,
 * bit views of FP16/FP32 values, scratch files and directories, and running
 * the pesim CLI. One copy here instead of one per test program.
 *
 * The helpers that can fail in a way the test should report (a scratch
 * directory that cannot be made, a file that cannot be written) fail the
 * running CMocka test themselves. */
#ifndef PESIM_TEST_UTIL_H
#define PESIM_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- deterministic random numbers ----
 * splitmix64 (Steele, Lea, Flood 2014): each call adds the golden-ratio
 * increment to *state and mixes it; a test seeds *state itself, so every
 * run sees the same numbers. */
uint64_t tu_rng(uint64_t *state);
/* tu_rng(state) % n (n > 0): the modulo bias is irrelevant for tests. */
uint64_t tu_rng_below(uint64_t *state, uint64_t n);

/* ---- bit views ---- */
_Float16 tu_f16(uint16_t bits);
uint16_t tu_f16_bits(_Float16 h);
float tu_f32(uint32_t bits);
uint32_t tu_f32_bits(float x);
/* An FP16 NaN: exponent all ones, mantissa not zero. */
bool tu_f16_nan(uint16_t h);
/* The same FP16 result: equal bits, or both NaN (payloads unspecified). */
bool tu_f16_same(uint16_t a, uint16_t b);
/* The low `bits` bits of v as a two's-complement number (1 <= bits <= 64). */
int64_t tu_sext(uint64_t v, unsigned bits);

/* ---- scratch files ----
 * One scratch directory per test program, /tmp/pesim-test-<tag>-XXXXXX:
 * tu_dir_make() and tu_dir_remove() return 0 on success; tu_dir_setup()
 * and tu_dir_teardown() are the same as CMocka group fixtures, tagged with
 * the program's name. */
int tu_dir_make(const char *tag);
int tu_dir_remove(void);
int tu_dir_setup(void **state);
int tu_dir_teardown(void **state);
const char *tu_dir(void);
/* <scratch dir>/<name>; the last four results stay valid. */
const char *tu_at(const char *name);
/* Writes text to path (fails the test if it cannot). */
void tu_put(const char *path, const char *text);
/* The contents of path in a static buffer (at most 4095 bytes), NULL if it
 * cannot be opened. */
char *tu_slurp(const char *path);
/* Both files exist and hold the same bytes. */
bool tu_same_file(const char *a, const char *b);
/* Makes an empty temporary file from a mkstemp() template (changed in
 * place to the file's name); fails the test if it cannot. */
void tu_mkstemp(char *path);

/* ---- error messages ----
 * Fails the test (naming path) unless msg starts with path followed by
 * suffix: the "file:line: field: what" form of pesim's input errors. */
void tu_expect_msg(const char *path, const char *msg, const char *suffix);

/* ---- memory ----
 * free() on each of n pointers; TU_FREE(a, b, c) lists them in place. */
void tu_free_list(void *const *p, size_t n);
#define TU_FREE(...) tu_free_list((void *const[]){ __VA_ARGS__ }, \
	sizeof((void *const[]){ __VA_ARGS__ }) / sizeof(void *))

/* ---- the pesim CLI (PESIM_EXE of the build) ----
 * tu_pesim: runs `pesim <args>` with its output discarded; returns its
 * exit status, -1 if it did not exit. tu_pesim_open: `pesim <args>` with
 * its stdout to read (pclose() returns its wait status). */
int tu_pesim(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
FILE *tu_pesim_open(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- bit-true PE models (pe_bt.h; test_util_bt.c) ----
 * The model called name, checked to have n_in input and n_out output
 * ports, in a malloc'd state initialized with p (the caller frees it). */
struct pe_bt_ops;
struct pe_params;
void *tu_bt_open(const char *name, const struct pe_params *p, size_t n_in,
		 size_t n_out, const struct pe_bt_ops **ops);

/* ---- `pesim verify` runs (rtl_verify.h; test_util_rtl.c, -Drtl) ----
 * tu_verify_ok: rtl_verify(o) must pass: PS_OK (else err is printed), no
 * mismatch, o->random random edges after 1 reset edge and the corners;
 * prints the run's counts, r holds them for the caller's own checks.
 * tu_verify_mutant: rtl_verify(o) of a mutant (o->mutant) must be caught:
 * PS_ECHECK (exit code 1), the first mismatch on port (or, if port ends
 * in '_', on a port named port...) with expected != actual, err saying
 * "mismatch at cycle", and the run stopped o->window / 4 + 1 edges after
 * it; r and err hold the result for the caller's own checks.
 * tu_verify_corner_mutant: the mutant of the entry named pe (its define
 * must be `define`), seed 1, window 16, `random` random edges: as
 * tu_verify_mutant on port, and caught within the directed corners.
 * tu_verify_refused: rtl_verify(o) must refuse its input: PS_EINPUT (exit
 * code 2) with an error containing msg (NULL: any).
 * tu_verify_gemm_refused: the entry named pe, 10 random edges, on the
 * GEMM operands g: refused as tu_verify_refused says.
 * tu_verify_config: `pesim verify --pe family --config path`: the arch at
 * path (of pe's family) gives, in both phases, pe_params (pp[0], pp[1])
 * that rtl_verify_match(family) resolves to pe. */
struct rtl_verify_opts;
struct rtl_verify_result;
struct ps_err;
struct pe_gemm;
void tu_verify_ok(const struct rtl_verify_opts *o, struct rtl_verify_result *r);
void tu_verify_mutant(const struct rtl_verify_opts *o, const char *port,
		      struct rtl_verify_result *r, struct ps_err *err);
void tu_verify_corner_mutant(const char *pe, const char *define,
			     const char *port, uint64_t random);
void tu_verify_refused(const struct rtl_verify_opts *o, const char *msg);
void tu_verify_gemm_refused(const char *pe, const struct pe_gemm *g, const char *msg);
struct rtl_verify_pe;
void tu_verify_config(const char *path, const char *family,
		      const struct rtl_verify_pe *pe, struct pe_params *pp);

/* ---- table-driven tests ----
 * A CMocka test called name (a string) running fn with *state = arg: one
 * function, one row per case, each case keeping its own name. */
#define TU_TEST_ARG(name, fn, arg) \
	{ (name), (fn), NULL, NULL, (void *)(uintptr_t)(arg) }

#endif

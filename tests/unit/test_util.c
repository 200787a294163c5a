/* test_util.c - helpers the unit tests share (see test_util.h). */
#include "test_util.h"
#include "pe_fp16.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <errno.h>

uint64_t tu_rng(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t tu_rng_below(uint64_t *state, uint64_t n)
{
	return tu_rng(state) % n;
}

/* The float views are pe_fp16.h's bit casts; _Float16 (which the models
 * do not use) by memcpy, C's defined way to reinterpret bits. */
_Float16 tu_f16(uint16_t bits)
{
	_Float16 h;
	memcpy(&h, &bits, sizeof h);
	return h;
}

uint16_t tu_f16_bits(_Float16 h)
{
	uint16_t bits;
	memcpy(&bits, &h, sizeof bits);
	return bits;
}

float tu_f32(uint32_t bits)
{
	return pe_f32_of(bits);
}

uint32_t tu_f32_bits(float x)
{
	return pe_f32_bits(x);
}

bool tu_f16_nan(uint16_t h)
{
	return (h & 0x7c00) == 0x7c00 && (h & 0x3ff);
}

bool tu_f16_same(uint16_t a, uint16_t b)
{
	return a == b || (tu_f16_nan(a) && tu_f16_nan(b));
}

int64_t tu_sext(uint64_t v, unsigned bits)
{
	if (bits >= 64)
		return (int64_t)v;
	v &= (1ull << bits) - 1;
	return v >> (bits - 1) ? (int64_t)v - (int64_t)(1ull << bits) : (int64_t)v;
}

/* ---- scratch files ---- */

static char scratch[256];

int tu_dir_make(const char *tag)
{
	snprintf(scratch, sizeof scratch, "/tmp/pesim-test-%s-XXXXXX", tag);
	return mkdtemp(scratch) ? 0 : -1;
}

int tu_dir_remove(void)
{
	char cmd[sizeof scratch + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

int tu_dir_setup(void **state)
{
	(void)state;
	return tu_dir_make(program_invocation_short_name);
}

int tu_dir_teardown(void **state)
{
	(void)state;
	return tu_dir_remove();
}

const char *tu_dir(void)
{
	return scratch;
}

const char *tu_at(const char *name)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", scratch, name);
	return buf[k];
}

void tu_put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		fail_msg("%s: cannot create", path);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

char *tu_slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return f ? buf : NULL;
}

bool tu_same_file(const char *a, const char *b)
{
	FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
	int c, d;
	bool same = x && y;
	while (same) {
		c = getc(x);
		d = getc(y);
		same = c == d;
		if (c == EOF || d == EOF)
			break;
	}
	if (x)
		fclose(x);
	if (y)
		fclose(y);
	return same;
}

void tu_mkstemp(char *path)
{
	int fd = mkstemp(path);
	if (fd < 0)
		fail_msg("%s: cannot create a temporary file", path);
	close(fd);
}

void tu_expect_msg(const char *path, const char *msg, const char *suffix)
{
	size_t n = strlen(path);

	if (strncmp(msg, path, n) || strncmp(msg + n, suffix, strlen(suffix)))
		fail_msg("%s: got '%s', want '%s%s'", path, msg, path, suffix);
}

void tu_free_list(void *const *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

/* ---- the pesim CLI ---- */

/* "<PESIM_EXE> <args><tail>" into cmd; fails the test if it does not fit. */
static void command(char *cmd, size_t size, const char *tail, const char *fmt,
		    va_list ap)
{
	int n = snprintf(cmd, size, "%s ", PESIM_EXE), m;
	if (n < 0 || (size_t)n >= size)
		fail_msg("pesim command too long");
	m = vsnprintf(cmd + n, size - (size_t)n, fmt, ap);
	if (m < 0 || (size_t)(n + m) + strlen(tail) >= size)
		fail_msg("pesim command too long");
	strcat(cmd, tail);
}

int tu_pesim(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;
	va_start(ap, fmt);
	command(cmd, sizeof cmd, " >/dev/null 2>&1", fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

FILE *tu_pesim_open(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	command(cmd, sizeof cmd, "", fmt, ap);
	va_end(ap);
	return popen(cmd, "r");
}

/* test_trace.c - the trace format: codec and file round trips, compile ->
 * dis -> parse, the reader's rejection of every bad-file class, and the
 * README's opcode table staying derived from isa.def. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cc_compile.h"
#include "test_util.h"
#include "trace.h"

#define DATA PESIM_TEST_DATA

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A random record that trace_insn_valid accepts. */
static void random_insn(struct trace_insn *in)
{
	const struct trace_opinfo *o;
	uint64_t v[7];
	memset(in, 0, sizeof *in);
	in->opcode = (uint8_t)(next() % (TRACE_OPCODE_N - 1));	/* not END */
	o = &trace_ops[in->opcode];
	in->flags = (uint8_t)(next() & 0x3f);
	in->repeat = 1 + (uint32_t)(next() % 1000);
	in->op = (uint32_t)next();
	for (int k = 0; k < 7; k++)
		v[k] = o->label[k] ? 1 + next() % 100000 : 0;
	in->buf = (uint8_t)(o->label[0] ? v[0] % 8 : 0);
	in->fmt = (uint8_t)(o->label[1] ? v[1] % 2 : 0);
	in->a = (uint32_t)v[2];
	in->b = (uint32_t)v[3];
	in->c = (uint32_t)v[4];
	in->addr = o->label[5] ? next() : 0;
	in->bytes = v[6];
}

static void test_codec_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < 100000; i++) {
		struct trace_insn a, b;
		uint8_t rec[TRACE_RECORD_SIZE];
		char msg[128];
		random_insn(&a);
		assert_true(trace_insn_valid(&a, msg, sizeof msg));
		trace_encode(&a, rec);
		trace_decode(rec, &b);
		assert_memory_equal(&a, &b, sizeof a);
	}
}

static void test_crc32_known(void **state)
{
	(void)state;
	/* the standard check value of CRC-32/IEEE */
	assert_int_equal(trace_crc32(0, "123456789", 9), 0xcbf43926u);
	/* streaming in pieces gives the same CRC */
	assert_int_equal(trace_crc32(trace_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
}

static void test_file_round_trip(void **state)
{
	char path[] = "/tmp/pesim-trace-XXXXXX";
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_insn ins[500], in;
	struct ps_err err;
	int got, n = 0;
	(void)state;
	tu_mkstemp(path);
	assert_int_equal(trace_writer_open(&w, path, 0x1234, 0x5678, TRACE_FLAG_BIT_TRUE, &err), PS_OK);
	for (int i = 0; i < 500; i++) {
		do
			random_insn(&ins[i]);
		while (ins[i].opcode == TRACE_LOOP);
		assert_int_equal(trace_write(w, &ins[i], &err), PS_OK);
	}
	assert_int_equal(trace_writer_close(w, &err), PS_OK);
	assert_int_equal(trace_reader_open(&r, path, &err), PS_OK);
	assert_int_equal(trace_reader_header(r)->count, 501);
	assert_true(trace_reader_header(r)->arch_digest == 0x1234);
	assert_true(trace_reader_header(r)->workload_digest == 0x5678);
	assert_int_equal(trace_reader_header(r)->flags, TRACE_FLAG_BIT_TRUE);
	while ((got = trace_read(r, &in, &err)) > 0) {
		assert_memory_equal(&in, &ins[n], sizeof in);
		n++;
	}
	if (got != 0)
		fail_msg("record %d: %s", n, err.msg);
	assert_int_equal(n, 500);
	trace_reader_close(r);
	remove(path);
}

/* compile -> dis -> parse gives back the very records of the file */
static void test_compile_dis_parse(void **state)
{
	char pest[] = "/tmp/pesim-cdp-XXXXXX", line[512];
	struct trace_reader *r;
	struct trace_insn in, parsed;
	struct ps_err err;
	FILE *fp;
	int got;
	uint64_t lines = 0;
	(void)state;
	tu_mkstemp(pest);
	assert_int_equal(tu_pesim("compile --arch %s/configs/arch/bitmod/bitmod-lossy.yaml "
				  "--model llama-2-7b --scenario generate:64+3 -o %s",
				  PESIM_SRCDIR, pest), 0);
	fp = tu_pesim_open("dis %s", pest);
	assert_non_null(fp);
	assert_int_equal(trace_reader_open(&r, pest, &err), PS_OK);
	while (fgets(line, sizeof line, fp)) {
		assert_true(trace_dis_parse(line, &parsed));
		if (parsed.opcode == TRACE_END)
			break;
		got = trace_read(r, &in, &err);
		assert_int_equal(got, 1);
		assert_memory_equal(&in, &parsed, sizeof in);
		lines++;
	}
	assert_int_equal(trace_read(r, &in, &err), 0);
	assert_int_equal(lines + 1, trace_reader_header(r)->count);
	assert_true(lines > 1000);
	trace_reader_close(r);
	assert_int_equal(pclose(fp), 0);
	remove(pest);
}

struct bad_trace {
	const char *file;
	const char *msg;
};

/* tests/data/bad/traces/: made by tests/data/bad/traces/make-bad.py from a
 * valid trace; each breaks one thing */
static const struct bad_trace bad[] = {
	{ "bad-magic.pest", ": offset 0: bad magic" },
	{ "bad-version.pest", ": offset 8: unsupported version 7" },
	{ "truncated-header.pest", ": offset 20: truncated header" },
	{ "truncated-body.pest", ": offset 600: body is 536 bytes, header promises 14 records" },
	{ "bad-crc.pest", ": offset 40: body CRC" },
	{ "bad-opcode.pest", ": offset 104: unknown opcode 200" },
	{ "zero-repeat.pest", ": offset 104: ld.w: repeat is 0" },
	{ "unused-field.pest", ": offset 304: st: field fmt must be 0" },
	{ "end-early.pest", ": offset 104: END before the last record" },
	{ "zero-count.pest", ": offset 32: instruction count is 0" },
	{ "bad-flags.pest", ": offset 104: ld.w: undefined flag bits" },
};

static void test_bad_traces(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char path[512];
		struct trace_reader *r = NULL;
		struct trace_insn in;
		struct ps_err err = { "" };
		enum ps_status st;
		FILE *fp;
		long n;
		uint8_t *buf;
		uint64_t count;

		snprintf(path, sizeof path, DATA "/bad/traces/%s", bad[i].file);
		st = trace_reader_open(&r, path, &err);
		if (!st) {
			int got;
			while ((got = trace_read(r, &in, &err)) > 0)
				;
			trace_reader_close(r);
			assert_int_equal(got, -1);
		}
		tu_expect_msg(path, err.msg, bad[i].msg);
		/* the in-memory parser agrees */
		fp = fopen(path, "rb");
		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		rewind(fp);
		buf = malloc((size_t)n + 1);
		assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
		fclose(fp);
		assert_int_equal(trace_parse_buffer(buf, (size_t)n, path, &count, &err), PS_EINPUT);
		free(buf);
		/* and the CLI exits 2 */
		assert_int_equal(tu_pesim("dis %s", path), 2);
	}
}

/* README's "Trace format" table is exactly `pesim dis --isa`. */
static void test_readme_isa_table(void **state)
{
	char *readme, *table;
	size_t n = 0, tn = 0;
	FILE *fp = fopen(PESIM_SRCDIR "/README.md", "rb"), *mem;
	(void)state;
	assert_non_null(fp);
	readme = calloc(1, 1 << 20);
	n = fread(readme, 1, (1 << 20) - 1, fp);
	fclose(fp);
	assert_true(n > 0);
	mem = open_memstream(&table, &tn);
	trace_isa_markdown(mem);
	fclose(mem);
	if (!strstr(readme, table))
		fail_msg("README.md lacks the current opcode table; paste `pesim dis --isa` into it");
	free(table);
	free(readme);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec_round_trip),
		cmocka_unit_test(test_crc32_known),
		cmocka_unit_test(test_file_round_trip),
		cmocka_unit_test(test_compile_dis_parse),
		cmocka_unit_test(test_bad_traces),
		cmocka_unit_test(test_readme_isa_table),
	};
	return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}

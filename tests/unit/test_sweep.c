/* test_sweep.c - sweeps: expansion (lists, ranges, pow2, products, zips)
 * and constraints; malformed sweep files; points run through sim_run with
 * the same numbers as a direct run; -j 1 = -j 2 = shards merged, byte for
 * byte; resume from the journal after a killed worker and after kill -9 of
 * the whole sweep; a torn journal record; merge checks; Pareto fronts
 * against a brute-force definition (and a broken front it must reject). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pe.h"
#include "sim.h"
#include "swp.h"
#include "swp_exec.h"
#include "swp_journal.h"
#include "swp_merge.h"
#include "swp_pareto.h"
#include "swp_table.h"
#include "test_util.h"

#define DATA PESIM_TEST_DATA
#define CONFIGS PESIM_SRCDIR "/configs"

#define TINY_RUN "run:\n  arch: " DATA "/arch/tiny.yaml\n  model: " DATA "/models/tiny.yaml\n  scenario: prefill:4\n"

/* Writes "name: <name>\n" TINY_RUN <rest> to <name>.yaml and loads it. */
static void load_tiny(const char *name, const char *rest, struct swp_sweep *s)
{
	char path[64], text[2048];
	struct ps_err err = { "" };

	snprintf(path, sizeof path, "%s.yaml", name);
	snprintf(text, sizeof text, "name: %s\n" TINY_RUN "%s", name, rest);
	tu_put(tu_at(path), text);
	if (swp_load(tu_at(path), s, &err) != PS_OK)
		fail_msg("%s", err.msg);
}

static void test_expand(void **state)
{
	struct swp_sweep s;
	(void)state;
	load_tiny("e", "vary:\n"
		      "  - array.prefill.rows: {pow2: [1, 8]}\n"
		      "  - zip:\n"
		      "      array.prefill.cols: [1, 3]\n"
		      "      dram.bits_per_cycle: {range: [32, 64, 32]}\n"
		      "  - product:\n"
		      "      pe.area_um2: {range: [0.5, 1.5, 0.5]}\n", &s);
	assert_int_equal(s.n_fields, 4);
	assert_int_equal(s.n_points, 4 * 2 * 3);
	assert_int_equal(s.fields[0].type, SWP_V_INT);
	assert_int_equal(s.fields[3].type, SWP_V_F64);
	/* the first entry varies slowest, the last fastest; zips pair up */
	assert_string_equal(swp_value(&s, 0, 0), "1");
	assert_string_equal(swp_value(&s, 5, 0), "1");
	assert_string_equal(swp_value(&s, 6, 0), "2");
	assert_string_equal(swp_value(&s, 23, 0), "8");
	assert_string_equal(swp_value(&s, 3, 1), "3");
	assert_string_equal(swp_value(&s, 3, 2), "64");
	assert_string_equal(swp_value(&s, 2, 2), "32");
	assert_string_equal(swp_value(&s, 1, 3), "1");
	assert_string_equal(swp_value(&s, 2, 3), "1.5");
	swp_free(&s);
}

/* where: prunes before anything runs, over swept fields, set: fields and
 * the configuration's own values (defaults included). */
static void test_constraints(void **state)
{
	struct swp_sweep s;
	(void)state;
	load_tiny("c", "set:\n  dram.latency_cycles: 7\n"
		      "vary:\n"
		      "  array.prefill.rows: {pow2: [1, 16]}\n"
		      "  array.prefill.cols: {pow2: [1, 16]}\n"
		      "  run.scenario: [prefill:4, decode:8]\n"
		      "where:\n"
		      "  - array.prefill.rows * array.prefill.cols * pe.area_um2 <= 1600\n"
		      "  - array.prefill.rows >= array.prefill.cols and dram.latency_cycles == 7\n"
		      "  - run.scenario != 'decode:8' or model.layers == 1\n"
		      "  - not (pe.family == 'int8' && pe.acc_bits != 32)\n", &s);
	assert_int_equal(s.n_expanded, 5 * 5 * 2);
	/* rows >= cols and rows * cols <= 16: (1,1) (2,1) (4,1) (8,1) (16,1)
	 * (2,2) (4,2) (8,2) (4,4): 9 shapes, both scenarios */
	assert_int_equal(s.n_points, 18);
	assert_int_equal(s.n_pruned, 32);
	for (uint64_t p = 0; p < s.n_points; p++) {
		long r = atol(swp_value(&s, p, 0)), c = atol(swp_value(&s, p, 1));
		assert_true(r >= c && r * c <= 16);
	}
	swp_free(&s);
}

static void test_bad_sweeps(void **state)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "name: b\n" TINY_RUN "vary:\n  pe.lanez: [1, 2]\n",
		  "b.yaml:7: pe.lanez=1: pe.lanez: unknown key" },
		{ "name: b\n" TINY_RUN "vary:\n  pe.lanes: [1, 99]\n",
		  "b.yaml:7: pe.lanes=99: pe.lanes: value out of range (allowed 1..64)" },
		{ "name: b\n" TINY_RUN "vary:\n  array.prefill.rows: {pow2: [1, 12]}\n",
		  "b.yaml:7: array.prefill.rows: pow2: 12 is not a power of two" },
		{ "name: b\n" TINY_RUN "vary:\n  array.prefill.rows: {range: [4, 1]}\n",
		  "b.yaml:7: array.prefill.rows: range: needs lo <= hi and step > 0" },
		{ "name: b\n" TINY_RUN "vary:\n  zip:\n    pe.lanes: [1, 2]\n    pe.area_um2: [1, 2, 3]\n",
		  "b.yaml:9: zip: entries of different lengths (2 vs 3)" },
		{ "name: b\n" TINY_RUN "vary:\n  - pe.lanes: [1]\n  - pe.lanes: [2]\n",
		  "b.yaml:8: pe.lanes: varied twice (first at line 7)" },
		{ "name: b\n" TINY_RUN "vary:\n  pe.lanes: []\n",
		  "b.yaml:7: pe.lanes: empty list" },
		{ "name: b\n" TINY_RUN "vary:\n  run.modes: [cycle]\n",
		  "b.yaml:7: run.modes: unknown key" },
		{ "name: b\n" TINY_RUN "vary:\n  run.mode: [cycle, fast]\n",
		  "b.yaml:7: run.mode=fast: run.mode: unknown value 'fast'" },
		{ "name: b\n" TINY_RUN "vary:\n  pe.lanes: [1]\nwhere:\n  - pe.lanes <\n",
		  "b.yaml:9: where[0]: column 11: unexpected end" },
		{ "name: b\n" TINY_RUN "vary:\n  pe.lanes: [1]\nwhere:\n  - pe.lanez < 2\n",
		  "b.yaml:9: where[0]: pe.lanez: pe.lanez: no such field" },
		{ "name: b\n" TINY_RUN "vary:\n  pe.lanes: [1]\nwhere:\n  - pe.family < 2\n",
		  "b.yaml:9: where[0]: 'int8' is not a number" },
		{ "name: b\n" TINY_RUN "vary:\n  pe.lanes: {steps: [1, 2]}\n",
		  "b.yaml:7: pe.lanes: unknown 'steps' (expected range or pow2)" },
		{ "name: b\n" TINY_RUN "vary: 3\n",
		  "b.yaml:6: vary: expected a mapping of fields to values" },
		{ "name: b\n" TINY_RUN "varies:\n  pe.lanes: [1]\n",
		  "b.yaml:6: varies: unknown key" },
		{ "name: b\nrun:\n  arch: nowhere.yaml\n  gemm: 8x8x8\nvary:\n  pe.lanes: [1]\n",
		  "nowhere.yaml: cannot open" },
		{ "name: b\n" TINY_RUN "set:\n  pe.acc_bits: 0\nvary:\n  pe.lanes: [1]\n",
		  "b.yaml:7: pe.acc_bits=0: pe.acc_bits: value out of range" },
		{ "name: b\n" TINY_RUN "vary:\n  pe..lanes: [1]\n",
		  "b.yaml:7: vary: 'pe..lanes' is not a field path" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct swp_sweep s;
		struct ps_err err = { "" };
		const char *m;
		tu_put(tu_at("b.yaml"), bad[i].text);
		assert_int_equal(swp_load(tu_at("b.yaml"), &s, &err), PS_EINPUT);
		m = strstr(err.msg, bad[i].msg);
		if (!m)
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, bad[i].msg);
	}
}

/* A field combination that fails is a recorded failure, not a stop. */
#define SMALL "name: small\n" TINY_RUN \
	"vary:\n" \
	"  array.prefill.rows: [1, 2, 4]\n" \
	"  array.prefill.cols: [1, 2]\n" \
	"  buffers.weight.size_kib: [1, 0.001]\n"

static void run_sweep(const char *file, const char *out, unsigned jobs,
		      uint32_t shard, uint32_t shards, struct swp_exec_stats *x)
{
	struct swp_sweep s;
	struct ps_err err = { "" };
	struct swp_exec_opts o = { .jobs = jobs, .shard = shard, .shards = shards,
				   .out = out, .progress = 2 };
	assert_int_equal(swp_load(file, &s, &err), PS_OK);
	if (swp_exec(&s, &o, x, &err))
		fail_msg("%s", err.msg);
	swp_free(&s);
}

static void test_run_merge(void **state)
{
	struct swp_exec_stats x;
	struct swp_table t, m;
	static struct swp_merge_report rep;
	struct ps_err err = { "" };
	const char *shards[3];
	int cyc, st, er, rows;
	(void)state;
	tu_put(tu_at("small.yaml"), SMALL);
	run_sweep(tu_at("small.yaml"), tu_at("j2.h5"), 2, 0, 0, &x);
	assert_int_equal(x.total, 12);
	assert_int_equal(x.ran, 12);
	assert_int_equal(x.failed, 6);	/* a 1-byte weight buffer fits no tile */
	run_sweep(tu_at("small.yaml"), tu_at("j1.h5"), 1, 0, 0, &x);
	assert_true(tu_same_file(tu_at("j1.h5"), tu_at("j2.h5")));
	for (uint32_t i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "s%u.h5", i);
		run_sweep(tu_at("small.yaml"), tu_at(name), 2, i, 3, &x);
		assert_int_equal(x.total, 4);
		shards[i] = strdup(tu_at(name));
	}
	/* two of three shards: the third's points are missing */
	assert_int_equal(swp_merge(shards, 2, &m, &rep, &err), PS_OK);
	assert_int_equal(rep.missing, 4);
	assert_int_equal(rep.n_missing_shards, 1);
	assert_int_equal(rep.missing_shards[0], 2);
	swp_table_free(&m);
	assert_int_equal(swp_merge(shards, 3, &m, &rep, &err), PS_OK);
	assert_int_equal(rep.missing, 0);
	assert_int_equal(swp_table_write_h5(&m, tu_at("merged.h5"), &err), PS_OK);
	swp_table_free(&m);
	assert_true(tu_same_file(tu_at("merged.h5"), tu_at("j2.h5")));
	assert_false(tu_same_file(shards[0], tu_at("j2.h5")));

	/* the numbers are sim_run's for the same configuration */
	assert_int_equal(swp_table_read_h5(tu_at("j2.h5"), &t, &err), PS_OK);
	cyc = swp_table_col(&t, "cycles");
	st = swp_table_col(&t, "status");
	er = swp_table_col(&t, "error");
	rows = swp_table_col(&t, "array.prefill.rows");
	assert_true(cyc > 0 && st > 0 && er > 0 && rows > 0);
	assert_int_equal(t.nrows, 12);
	for (uint64_t r = 0; r < t.nrows; r++) {
		char status[16], error[SWP_ERR_LEN];
		swp_table_text(&t, r, st, status, sizeof status);
		swp_table_text(&t, r, er, error, sizeof error);
		assert_int_equal(swp_table_i64(&t, r, 0), (int64_t)r);
		if (r % 2) {	/* the 0.001 KiB weight buffer */
			assert_string_equal(status, "failed");
			assert_non_null(strstr(error, "weight"));
			assert_true(isnan(swp_table_f64(&t, r, cyc)));
		} else {
			assert_string_equal(status, "ok");
			assert_string_equal(error, "");
		}
	}
	{
		struct cfg_sets ss = { 0 };
		struct cfg_arch a;
		struct wl_model mo;
		struct wl_scenario sc;
		struct sim_result res;
		struct sim_request q = { .arch = &a, .model = &mo, .scenario = &sc };
		assert_int_equal(cfg_sets_add(&ss, "array.prefill.rows=4", NULL, &err), PS_OK);
		assert_int_equal(cfg_sets_add(&ss, "array.prefill.cols=2", NULL, &err), PS_OK);
		assert_int_equal(pe_arch_load_set(DATA "/arch/tiny.yaml", &ss, &a, &err), PS_OK);
		assert_int_equal(wl_model_find(DATA "/models/tiny.yaml", &mo, &err), PS_OK);
		assert_int_equal(wl_scenario_parse("prefill:4", &sc, &err), PS_OK);
		assert_int_equal(sim_run(&q, &res, &err), PS_OK);
		/* point 10: rows 4 (slowest), cols 2, weight buffer 1 KiB */
		assert_int_equal(swp_table_i64(&t, 10, rows), 4);
		assert_true(swp_table_f64(&t, 10, cyc) == (double)res.cycles);
		sim_result_free(&res);
	}
	swp_table_free(&t);
	for (int i = 0; i < 3; i++)
		free((void *)shards[i]);
}

/* Merging files of two different sweeps is refused. */
static void test_merge_other_sweep(void **state)
{
	struct swp_exec_stats x;
	struct swp_table m;
	static struct swp_merge_report rep;
	struct ps_err err = { "" };
	const char *in[2];
	(void)state;
	tu_put(tu_at("small.yaml"), SMALL);
	tu_put(tu_at("other.yaml"), SMALL "  pe.lanes: [1]\n");
	run_sweep(tu_at("small.yaml"), tu_at("a0.h5"), 1, 0, 2, &x);
	run_sweep(tu_at("other.yaml"), tu_at("b1.h5"), 1, 1, 2, &x);
	in[0] = tu_at("a0.h5");
	in[1] = tu_at("b1.h5");
	assert_int_equal(swp_merge(in, 2, &m, &rep, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "from another sweep"));
}

/* The journal: a torn last record (a writer killed in it) is dropped; a
 * journal of another sweep is refused. */
static void count_cb(void *ctx, const struct swp_result *r)
{
	(void)r;
	(*(int *)ctx)++;
}

static void test_journal(void **state)
{
	struct swp_journal j;
	struct swp_result r;
	struct ps_err err = { "" };
	int n = 0;
	FILE *fp;
	(void)state;
	unlink(tu_at("jr.h5.journal"));
	assert_int_equal(swp_journal_open(&j, tu_at("jr.h5"), 42, 0, 0, count_cb, &n, &err), PS_OK);
	for (int i = 0; i < 3; i++) {
		memset(&r, 0, sizeof r);
		r.index = (uint64_t)i;
		assert_int_equal(swp_journal_append(&j, &r, &err), PS_OK);
	}
	swp_journal_close(&j);
	fp = fopen(tu_at("jr.h5.journal"), "ab");
	fwrite("torn record", 1, 11, fp);
	fclose(fp);
	assert_int_equal(swp_journal_open(&j, tu_at("jr.h5"), 42, 0, 0, count_cb, &n, &err), PS_OK);
	assert_int_equal(n, 3);
	memset(&r, 0, sizeof r);
	r.index = 3;
	assert_int_equal(swp_journal_append(&j, &r, &err), PS_OK);
	swp_journal_close(&j);
	n = 0;
	assert_int_equal(swp_journal_open(&j, tu_at("jr.h5"), 42, 0, 0, count_cb, &n, &err), PS_OK);
	assert_int_equal(n, 4);
	swp_journal_close(&j);
	/* a flipped byte in a record: that record and the rest are dropped */
	fp = fopen(tu_at("jr.h5.journal"), "r+b");
	fseek(fp, 64 + 100, SEEK_SET);
	fputc(0x5a, fp);
	fclose(fp);
	n = 0;
	assert_int_equal(swp_journal_open(&j, tu_at("jr.h5"), 42, 0, 0, count_cb, &n, &err), PS_OK);
	assert_int_equal(n, 0);
	swp_journal_close(&j);
	assert_int_equal(swp_journal_open(&j, tu_at("jr.h5"), 43, 0, 0, count_cb, &n, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "another sweep"));
}

/* ---- kill -9 of a worker, of the whole sweep ---- */

#define SLOW "name: slow\nrun:\n  arch: " CONFIGS "/arch/bitmod/bitmod-lossy.yaml\n" \
	"  model: llama-2-7b\n  scenario: prefill:512\n" \
	"vary:\n  array.prefill.rows: {range: [8, 128, 8]}\n  array.prefill.cols: [16, 32, 48, 64, 96, 128]\n"

static long journal_records(const char *out)
{
	char p[600];
	struct stat sb;
	snprintf(p, sizeof p, "%s.journal", out);
	if (stat(p, &sb))
		return 0;
	return sb.st_size <= 64 ? 0 : (long)((sb.st_size - 64) / (sizeof(struct swp_result) + 8));
}

static pid_t start_sweep(const char *file, const char *out)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl(PESIM_EXE, "pesim", "sweep", file, "-o", out, "-j", "2", "--quiet",
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void wait_records(const char *out, long n)
{
	for (int i = 0; i < 6000 && journal_records(out) < n; i++)
		usleep(10000);
	assert_true(journal_records(out) >= n);
}

/* The child pids of pid (from /proc), up to max; how many. */
static int children_of(pid_t pid, pid_t *c, int max)
{
	char p[64];
	long v;
	int n = 0;
	FILE *fp;
	snprintf(p, sizeof p, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	fp = fopen(p, "r");
	if (fp) {
		while (n < max && fscanf(fp, "%ld", &v) == 1)
			c[n++] = (pid_t)v;
		fclose(fp);
	}
	return n;
}

/* A child pid of pid, or -1. */
static pid_t child_of(pid_t pid)
{
	pid_t c;
	return children_of(pid, &c, 1) ? c : -1;
}

/* Whether process p is gone or a zombie (it writes nothing more). */
static bool gone(pid_t p)
{
	char path[64], st = 0;
	FILE *fp;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)p);
	fp = fopen(path, "r");
	if (!fp)
		return true;
	if (fscanf(fp, "%*d (%*[^)]) %c", &st) != 1)
		st = 0;
	fclose(fp);
	return st == 'Z' || st == 'X';
}

static void test_kill_resume(void **state)
{
	struct swp_exec_stats x;
	pid_t pid, w, workers[8];
	int ws, nw;
	long before;
	(void)state;
	tu_put(tu_at("slow.yaml"), SLOW);
	run_sweep(tu_at("slow.yaml"), tu_at("ref.h5"), 2, 0, 0, &x);
	assert_int_equal(x.total, 96);

	/* a worker killed mid-sweep: its point runs again, the sweep ends whole */
	pid = start_sweep(tu_at("slow.yaml"), tu_at("kw.h5"));
	wait_records(tu_at("kw.h5"), 5);
	w = child_of(pid);
	assert_true(w > 0);
	kill(w, SIGKILL);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	assert_true(tu_same_file(tu_at("kw.h5"), tu_at("ref.h5")));
	assert_int_equal(access(tu_at("kw.h5.journal"), F_OK), -1);

	/* the whole sweep killed: the rerun skips what was committed */
	pid = start_sweep(tu_at("slow.yaml"), tu_at("k9.h5"));
	wait_records(tu_at("k9.h5"), 10);
	nw = children_of(pid, workers, 8);
	kill(pid, SIGKILL);
	waitpid(pid, &ws, 0);
	/* the workers follow their parent (PDEATHSIG): wait until they have
	 * (a loaded machine may take a while), so none still writes the
	 * journal that is read next */
	for (int i = 0; i < nw; i++)
		for (int t = 0; t < 3000 && !gone(workers[i]); t++)
			usleep(10000);
	for (int i = 0; i < nw; i++)
		assert_true(gone(workers[i]));
	assert_int_equal(access(tu_at("k9.h5"), F_OK), -1);
	before = journal_records(tu_at("k9.h5"));
	assert_true(before >= 10 && before < 96);
	run_sweep(tu_at("slow.yaml"), tu_at("k9.h5"), 2, 0, 0, &x);
	assert_true(x.resumed >= (uint64_t)before);
	assert_int_equal(x.resumed + x.ran, 96);
	assert_true(tu_same_file(tu_at("k9.h5"), tu_at("ref.h5")));
	/* and a rerun over the finished file recomputes nothing */
	run_sweep(tu_at("slow.yaml"), tu_at("k9.h5"), 2, 0, 0, &x);
	assert_int_equal(x.resumed, 96);
	assert_int_equal(x.ran, 0);
	assert_true(tu_same_file(tu_at("k9.h5"), tu_at("ref.h5")));

	/* SIGINT (Ctrl-C): exit 130, finished points kept, rerun completes */
	pid = start_sweep(tu_at("slow.yaml"), tu_at("ci.h5"));
	wait_records(tu_at("ci.h5"), 5);
	kill(pid, SIGINT);
	waitpid(pid, &ws, 0);
	assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 130);
	assert_true(journal_records(tu_at("ci.h5")) >= 5);
	run_sweep(tu_at("slow.yaml"), tu_at("ci.h5"), 1, 0, 0, &x);
	assert_true(x.resumed >= 5);
	assert_true(tu_same_file(tu_at("ci.h5"), tu_at("ref.h5")));
}

/* ---- Pareto ---- */

static bool brute_front(const struct swp_table *t, const struct swp_objective *o,
			size_t k, const uint64_t *front, uint64_t nf)
{
	/* every row is on the front iff nothing dominates it */
	for (uint64_t r = 0; r < t->nrows; r++) {
		bool dominated = false, listed = false;
		for (uint64_t q = 0; q < t->nrows && !dominated; q++) {
			bool le = true, lt = false;
			for (size_t i = 0; i < k; i++) {
				double a = swp_table_f64(t, q, o[i].col), b = swp_table_f64(t, r, o[i].col);
				if (o[i].maximize)
					a = -a, b = -b;
				le &= a <= b;
				lt |= a < b;
			}
			dominated = le && lt;
		}
		for (uint64_t f = 0; f < nf; f++)
			listed |= front[f] == r;
		if (listed == dominated)
			return false;
	}
	return true;
}

static void test_pareto(void **state)
{
	struct swp_sweep s;
	struct swp_table t;
	struct ps_err err = { "" };
	struct swp_objective o[2];
	uint64_t *front, nf;
	unsigned seed = 7;
	(void)state;
	load_tiny("p", "vary:\n  pe.lanes: {range: [1, 60]}\n", &s);
	assert_int_equal(swp_table_init(&t, &s, 0, 0, &err), PS_OK);
	for (uint64_t p = 0; p < s.n_points; p++) {
		struct swp_result r = { .index = p, .status = SWP_OK };
		for (int m = 0; m < SWP_N_METRICS; m++)
			r.m[m] = (double)(rand_r(&seed) % 50);
		assert_int_equal(swp_table_add(&t, &s, &r, &err), PS_OK);
	}
	o[0] = (struct swp_objective){ swp_table_col(&t, "cycles"), false };
	o[1] = (struct swp_objective){ swp_table_col(&t, "sqnr_db"), true };
	assert_int_equal(swp_pareto(&t, o, 2, &front, &nf, &err), PS_OK);
	assert_true(nf > 1 && nf < t.nrows);
	assert_true(brute_front(&t, o, 2, front, nf));
	/* the check catches a broken front: one point dropped */
	assert_false(brute_front(&t, o, 2, front, nf - 1));
	free(front);
	assert_int_equal(swp_pareto(&t, o, 1, &front, &nf, &err), PS_OK);
	assert_true(brute_front(&t, o, 1, front, nf));
	free(front);
	{
		char label[256];
		swp_point_label(&t, 0, label, sizeof label);
		assert_string_equal(label, "lanes=1");
		snprintf(t.label, sizeof t.label, "L{pe.lanes} {nothing}");
		swp_point_label(&t, 4, label, sizeof label);
		assert_string_equal(label, "L5 {nothing}");
	}
	swp_table_free(&t);
	swp_free(&s);
}

static void test_cli(void **state)
{
	(void)state;
	tu_put(tu_at("small.yaml"), SMALL);
	tu_put(tu_at("b.yaml"), "name: b\n" TINY_RUN "vary:\n  pe.lanez: [1]\n");
	assert_int_equal(tu_pesim("sweep %s -o %s", tu_at("b.yaml"), tu_at("b.h5")), 2);
	assert_int_equal(tu_pesim("sweep %s -o %s --shard 3/3", tu_at("small.yaml"), tu_at("c.h5")), 2);
	assert_int_equal(tu_pesim("sweep %s -o %s --shard slurm", tu_at("small.yaml"), tu_at("c.h5")), 2);	/* not in a job array */
	assert_int_equal(tu_pesim("sweep %s --list", tu_at("small.yaml")), 0);
	assert_int_equal(tu_pesim("sweep %s -o %s -j 2 --csv %s", tu_at("small.yaml"), tu_at("c.h5"), tu_at("c.csv")), 0);
	assert_int_equal(access(tu_at("c.csv"), F_OK), 0);
	assert_int_equal(tu_pesim("pareto %s --minimize cycles,energy_pj --png %s", tu_at("c.h5"), tu_at("f.png")), 0);
	assert_int_equal(access(tu_at("f.png"), F_OK), 0);
	assert_int_equal(tu_pesim("pareto %s --minimize weights.prefill", tu_at("c.h5")), 2);
	assert_int_equal(tu_pesim("merge %s -o %s", tu_at("c.h5"), tu_at("m.h5")), 0);
	assert_true(tu_same_file(tu_at("c.h5"), tu_at("m.h5")));
	/* another sweep's output is not overwritten by resuming into it */
	tu_put(tu_at("other.yaml"), SMALL "  pe.lanes: [1]\n");
	assert_int_equal(tu_pesim("sweep %s -o %s", tu_at("other.yaml"), tu_at("c.h5")), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_bad_sweeps),
		cmocka_unit_test(test_run_merge),
		cmocka_unit_test(test_merge_other_sweep),
		cmocka_unit_test(test_journal),
		cmocka_unit_test(test_pareto),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_kill_resume),
	};
	return cmocka_run_group_tests_name("sweep", tests, tu_dir_setup, tu_dir_teardown);
}

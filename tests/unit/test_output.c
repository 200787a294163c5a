/* test_output.c - the output module (base/ps_file.h): target resolution,
 * temporary files on every path, stale ones, signals, report sets; the
 * progress line; and the interop of a run's files: UTF-8 strings, one
 * column naming for HDF5 and JSON, what /ops rows are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <hdf5.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "pe.h"
#include "ps_file.h"
#include "ps_h5.h"
#include "ps_progress.h"
#include "ps_table.h"
#include "sim_out.h"
#include "test_util.h"

#define DATA PESIM_TEST_DATA

/* The entries of d, sorted, space-separated ("" when empty). */
static const char *listing(const char *d)
{
	static char buf[2048];
	char cmd[PATH_MAX + 64];
	FILE *p;
	size_t n;
	snprintf(cmd, sizeof cmd, "ls -A '%s' | LC_ALL=C sort | tr '\\n' ' '", d);
	p = popen(cmd, "r");
	n = p ? fread(buf, 1, sizeof buf - 1, p) : 0;
	buf[n] = '\0';
	if (p)
		pclose(p);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	struct ps_out o;
	struct ps_err err;
	assert_int_equal(ps_out_open(&o, path, &err), PS_OK);
	fputs(text, o.fp);
	assert_int_equal(ps_out_commit(&o, &err), PS_OK);
}

static void test_targets(void **state)
{
	char real[PATH_MAX], want[PATH_MAX];
	struct ps_err err;
	struct ps_out o;
	(void)state;
	mkdir(tu_at("t"), 0777);
	mkdir(tu_at("t/sub"), 0777);
	symlink("sub/f", tu_at("t/link"));
	symlink("link", tu_at("t/chain"));
	assert_int_equal(ps_out_target(tu_at("t/chain"), real, sizeof real, &err), PS_OK);
	snprintf(want, sizeof want, "%s/t/sub/f", tu_dir());
	assert_string_equal(real, want);	/* a dangling chain: where it points */
	write_file(tu_at("t/chain"), "through");
	assert_string_equal(tu_slurp(tu_at("t/sub/f")), "through");
	struct stat sb;
	assert_int_equal(lstat(tu_at("t/chain"), &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_string_equal(listing(tu_at("t/sub")), "f ");

	mkfifo(tu_at("t/fifo"), 0666);
	assert_int_equal(ps_out_open(&o, tu_at("t/fifo"), &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "exists and is a FIFO"));
	assert_int_equal(ps_out_open(&o, tu_at("t/sub"), &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "is a directory"));
	assert_int_equal(ps_out_open(&o, tu_at("t/sub/"), &err), PS_EINPUT);
	assert_int_equal(ps_out_open(&o, "", &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "empty"));
	symlink("fifo", tu_at("t/to-fifo"));
	assert_int_equal(ps_out_open(&o, tu_at("t/to-fifo"), &err), PS_EINPUT);
	assert_int_equal(ps_out_open(&o, tu_at("t/nodir/x"), &err), PS_EIO);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_int_equal(ps_in_check(tu_at("t/sub"), &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "is a directory"));
	assert_int_equal(ps_in_check(tu_at("t/none"), &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "cannot open: No such file"));
}

static void test_temporary_files(void **state)
{
	struct ps_err err;
	struct ps_out o;
	char stale[PATH_MAX], live[PATH_MAX];
	pid_t dead = fork();
	(void)state;
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	mkdir(tu_at("tmp"), 0777);
	/* abort, at any point, leaves nothing */
	assert_int_equal(ps_out_open(&o, tu_at("tmp/a"), &err), PS_OK);
	fputs("x", o.fp);
	ps_out_abort(&o);
	ps_out_abort(&o);
	assert_string_equal(listing(tu_at("tmp")), "");
	/* a finished file stays under its temporary name until commit */
	assert_int_equal(ps_out_open(&o, tu_at("tmp/a"), &err), PS_OK);
	fputs("x", o.fp);
	assert_int_equal(ps_out_finish(&o, &err), PS_OK);
	assert_null(tu_slurp(tu_at("tmp/a")));
	assert_int_equal(ps_out_commit(&o, &err), PS_OK);
	assert_string_equal(tu_slurp(tu_at("tmp/a")), "x");
	assert_string_equal(listing(tu_at("tmp")), "a ");
	/* permissions of the replaced file are kept */
	chmod(tu_at("tmp/a"), 0640);
	write_file(tu_at("tmp/a"), "y");
	struct stat sb;
	stat(tu_at("tmp/a"), &sb);
	assert_int_equal(sb.st_mode & 0777, 0640);
	/* a dead process's temporary file of the same target goes, a live
	 * one's and another target's stay */
	snprintf(stale, sizeof stale, "%s/tmp/.a.%ld.pesim-tmp", tu_dir(), (long)dead);
	snprintf(live, sizeof live, "%s/tmp/.a.%ld.pesim-tmp", tu_dir(), (long)getppid());
	fclose(fopen(stale, "w"));
	fclose(fopen(live, "w"));
	fclose(fopen(tu_at("tmp/.b.1.pesim-tmp.hier"), "w"));
	snprintf(stale + strlen(stale), 8, ".hier");	/* a writer's side file */
	fclose(fopen(stale, "w"));
	write_file(tu_at("tmp/a"), "z");
	assert_int_equal(access(stale, F_OK), -1);
	stale[strlen(stale) - 5] = '\0';
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	assert_int_equal(access(tu_at("tmp/.b.1.pesim-tmp.hier"), F_OK), 0);
	unlink(live);
}

/* SIGTERM and SIGHUP while files are open: the handler removes them
 * (SIGINT, the same handler, in tests/hostile). */
static void test_signals(void **state)
{
	static const int sigs[] = { SIGTERM, SIGHUP };
	(void)state;
	mkdir(tu_at("sig"), 0777);
	for (size_t i = 0; i < 2; i++) {
		int status;
		pid_t pid = fork();
		if (pid == 0) {
			struct ps_out o, h;
			struct ps_err err;
			if (ps_out_open(&o, tu_at("sig/a"), &err) ||
			    ps_out_open_name(&h, tu_at("sig/b"), &err))
				_exit(3);
			fputs("partial", o.fp);
			fflush(o.fp);
			raise(sigs[i]);
			_exit(4);
		}
		waitpid(pid, &status, 0);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), sigs[i]);
		assert_string_equal(listing(tu_at("sig")), "");
	}
}

static void test_sets(void **state)
{
	static const char *const files[] = { "r.md", "r.csv", NULL };
	struct ps_outset *s;
	struct ps_err err;
	char gen1[64], gen2[64];
	ssize_t l;
	(void)state;
	mkdir(tu_at("set"), 0777);
	/* files an older pesim left as regular files */
	write_file(tu_at("set/r.md"), "md0");
	write_file(tu_at("set/r.csv"), "csv0");
	assert_int_equal(ps_outset_begin(&s, tu_at("set"), "r", files, &err), PS_OK);
	write_file(ps_outset_path(s, 0), "md1");
	/* until the commit the old files are what the names show */
	assert_string_equal(tu_slurp(tu_at("set/r.md")), "md0");
	write_file(ps_outset_path(s, 1), "csv1");
	assert_int_equal(ps_outset_commit(s, &err), PS_OK);
	assert_string_equal(tu_slurp(tu_at("set/r.md")), "md1");
	assert_string_equal(tu_slurp(tu_at("set/r.csv")), "csv1");
	l = readlink(tu_at("set/.r.pesim-set"), gen1, sizeof gen1 - 1);
	assert_true(l > 0);
	gen1[l] = '\0';
	/* a set that fails half-way changes nothing and leaves nothing */
	assert_int_equal(ps_outset_begin(&s, tu_at("set"), "r", files, &err), PS_OK);
	write_file(ps_outset_path(s, 0), "md2");
	ps_outset_abort(s);
	assert_string_equal(tu_slurp(tu_at("set/r.md")), "md1");
	/* a set with a file missing is refused at commit */
	assert_int_equal(ps_outset_begin(&s, tu_at("set"), "r", files, &err), PS_OK);
	write_file(ps_outset_path(s, 0), "md2");
	assert_int_equal(ps_outset_commit(s, &err), PS_EIO);
	assert_string_equal(tu_slurp(tu_at("set/r.csv")), "csv1");
	/* the next set replaces the generation */
	assert_int_equal(ps_outset_begin(&s, tu_at("set"), "r", files, &err), PS_OK);
	write_file(ps_outset_path(s, 0), "md3");
	write_file(ps_outset_path(s, 1), "csv3");
	assert_int_equal(ps_outset_commit(s, &err), PS_OK);
	l = readlink(tu_at("set/.r.pesim-set"), gen2, sizeof gen2 - 1);
	gen2[l] = '\0';
	assert_string_not_equal(gen1, gen2);
	char want[256];
	snprintf(want, sizeof want, "%s .r.pesim-set r.csv r.md ", gen2);
	assert_string_equal(listing(tu_at("set")), want);
	/* a foreign link at a set name is refused */
	unlink(tu_at("set/r.csv"));
	symlink("elsewhere", tu_at("set/r.csv"));
	assert_int_equal(ps_outset_begin(&s, tu_at("set"), "r", files, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "not pesim's"));
}

static void test_progress_line(void **state)
{
	char line[256];
	(void)state;
	ps_progress_format(line, sizeof line, "run", "MACs", 400, 1000, 4.0, 80);
	/* the bar fills what the text leaves of the width, 40% of it '#' */
	size_t bw = strspn(line + 5, "#."), fill = strspn(line + 5, "#");
	assert_int_equal(strlen(line), 80);
	assert_int_equal(fill, bw * 4 / 10);
	assert_memory_equal(line, "run [", 5);
	assert_string_equal(line + 5 + bw, "]  40% 400/1k MACs, 100 MACs/s, 0:04, ETA 0:06");
	ps_progress_format(line, sizeof line, "verify", "edges", 2500000, 0, 2.0, 80);
	assert_string_equal(line, "verify: 2.5M edges, 1.25M edges/s, 0:02");
	ps_progress_format(line, sizeof line, "q", "w", 1, 3, 7200.0, 60);
	assert_non_null(strstr(line, "2:00:00, ETA 4:00:00"));
	/* off: no bar at all, whatever is added */
	ps_progress_mode(PS_PROGRESS_OFF);
	assert_null(ps_progress_begin("x", "y", 10));
	ps_progress_add(NULL, 5);
	ps_progress_work("y", 5);
	ps_progress_end(NULL);
	ps_progress_mode(PS_PROGRESS_AUTO);
}

struct row {
	char name[8];
	uint64_t n;
	double v;
};

static void test_csv(void **state)
{
	static const struct ps_col cols[] = {
		PS_COL(struct row, name, PS_COL_STR, ""), PS_COL(struct row, n, PS_COL_U64, ""),
		PS_COL(struct row, v, PS_COL_F64, "pJ"),
	};
	struct row r = { "a,\"b\"", 18446744073709551615ull, 0.1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	(void)state;
	ps_csv_header(f, cols, 3);
	ps_csv_row(f, cols, 3, &r);
	fclose(f);
	assert_string_equal(buf, "name,n,v\n\"a,\"\"b\"\"\",18446744073709551615,0.10000000000000001\n");
	free(buf);
}

/* ---- a run's files ---- */

static struct sim_result run_tiny(const char *scen, int mode)
{
	static struct cfg_arch a;
	static struct wl_model m;
	static struct wl_scenario s;
	struct sim_result r;
	struct ps_err err;
	if (pe_arch_load(DATA "/arch/tiny-os.yaml", &a, &err) ||
	    wl_model_load(DATA "/models/tiny.yaml", &m, &err) ||
	    wl_scenario_parse(scen, &s, &err))
		fail_msg("%s", err.msg);
	setenv("PESIM_ENERGY_DIR", DATA "/energy", 1);
	struct sim_request rq = { .arch = &a, .model = &m, .scenario = &s, .mode = mode,
				  .keep_ops = true };
	if (sim_run(&rq, &r, &err))
		fail_msg("%s", err.msg);
	return r;
}

static void check_members(hid_t f, const char *ds, const struct ps_col *c1, size_t n1,
			  const struct ps_col *c2, size_t n2)
{
	hid_t d = H5Dopen2(f, ds, H5P_DEFAULT), t = H5Dget_type(d);
	assert_true(d >= 0);
	assert_int_equal(H5Tget_nmembers(t), (int)(n1 + n2));
	for (size_t i = 0; i < n1 + n2; i++) {
		const struct ps_col *c = i < n1 ? &c1[i] : &c2[i - n1];
		char *name = H5Tget_member_name(t, (unsigned)i);
		hid_t mt = H5Tget_member_type(t, (unsigned)i);
		assert_string_equal(name, c->name);
		if (c->type == PS_COL_STR)
			assert_int_equal(H5Tget_cset(mt), H5T_CSET_UTF8);
		H5free_memory(name);
		H5Tclose(mt);
	}
	H5Tclose(t);
	H5Dclose(d);
}

static void test_run_files(void **state)
{
	struct sim_result r = run_tiny("generate:4+3", SIM_MODE_CYCLE);
	struct ps_err err;
	char *json = NULL;
	size_t len = 0;
	FILE *mf;
	hid_t f, a, t;
	(void)state;
	assert_int_equal(sim_write_h5(tu_at("run.h5"), &r, &err), PS_OK);
	f = H5Fopen(tu_at("run.h5"), H5F_ACC_RDONLY, H5P_DEFAULT);
	assert_true(f >= 0);
	/* attributes: variable-length UTF-8 strings (h5py gives str) */
	static const char *const attrs[] = { "pesim_version", "git_sha", "arch", "model",
					     "scenario", "mode", "energy_table" };
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
		a = H5Aopen(f, attrs[i], H5P_DEFAULT);
		assert_true(a >= 0);
		t = H5Aget_type(a);
		assert_int_equal(H5Tget_class(t), H5T_STRING);
		assert_true(H5Tis_variable_str(t) > 0);
		assert_int_equal(H5Tget_cset(t), H5T_CSET_UTF8);
		H5Tclose(t);
		H5Aclose(a);
	}
	/* one naming: /summary's and /ops' columns are the JSON's keys */
	check_members(f, "summary", sim_summary_cols, sim_n_summary_cols, sim_cycle_cols,
		      sim_n_cycle_cols);
	check_members(f, "ops", sim_op_cols, sim_n_op_cols, NULL, 0);
	H5Fclose(f);
	mf = open_memstream(&json, &len);
	sim_print_json(mf, &r);
	fclose(mf);
	for (size_t i = 0; i < sim_n_summary_cols + sim_n_cycle_cols; i++) {
		const struct ps_col *c = i < sim_n_summary_cols ? &sim_summary_cols[i] :
					 &sim_cycle_cols[i - sim_n_summary_cols];
		char key[64];
		snprintf(key, sizeof key, "\"%s\":", c->name);
		assert_non_null(strstr(json, key));
	}
	for (size_t i = 0; i < sim_n_op_cols; i++) {
		char key[64];
		snprintf(key, sizeof key, "{\"%s\":", sim_op_cols[0].name);
		assert_non_null(strstr(json, key));
		snprintf(key, sizeof key, ",\"%s\":", sim_op_cols[i].name);
		assert_true(i == 0 || strstr(json, key));
	}
	free(json);

	/* /ops in cycle mode: one row per op of the trace in order (op = its
	 * index), every decode step its own rows, times 1: the tiny model has
	 * 1 layer (q k v attn_qk attn_pv o gate up down) + lm_head = 10 ops,
	 * generate:4+3 = prefill + 3 decode steps = 40 rows; names are the
	 * trace's op classes */
	assert_int_equal(r.n_ops, 40);
	for (size_t i = 0; i < r.n_ops; i++) {
		struct sim_op_row w;
		sim_op_row(i, &r.ops[i], &w);
		assert_int_equal(w.op, i);
		assert_int_equal(w.times, 1);
		assert_string_equal(w.phase, i < 10 ? "prefill" : "decode");
	}
	assert_string_equal(r.ops[0].op.name, "qkv");
	assert_string_equal(r.ops[3].op.name, "attn_qk");
	sim_result_free(&r);

	/* compat mode: one row per op per phase, every decode step at the
	 * prompt's context, so the decode rows run `times` = 3 */
	r = run_tiny("generate:4+3", SIM_MODE_COMPAT);
	assert_int_equal(r.n_ops, 20);
	assert_int_equal(r.ops[0].times, 1);
	assert_int_equal(r.ops[10].times, 3);
	assert_string_equal(r.ops[1].op.name, "k");
	sim_result_free(&r);
}

int main(void)
{
	/* test_signals is about the cleanup handler, which keeps an
	 * ignored signal ignored (nohup): start from the default actions,
	 * before the first output installs the handler */
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_temporary_files),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_progress_line),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_run_files),
	};
	return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}

/* rtl_area.c - Yosys runs and their `stat` reports (rtl_area.h). */
#include "rtl_area.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cfg_arch.h"	/* cfg_fnv1a */
#include "ps_progress.h"

extern char **environ;

#ifndef RTL_YOSYS
#define RTL_YOSYS "yosys"
#endif

const char *rtl_yosys(void)
{
	const char *env = getenv("PESIM_YOSYS");
	return env && *env ? env : RTL_YOSYS;
}

/* The number after the first `key` in text; *plus is set when a '+'
 * follows it (Yosys marks a transistor count that left cells out). */
static bool find_count(const char *text, const char *key, uint64_t *v,
		       bool *plus)
{
	const char *p = strstr(text, key);
	char *end;
	if (!p)
		return false;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	*v = strtoull(p, &end, 10);
	if (plus)
		*plus = *end == '+';
	return true;
}

static enum ps_status parse_one(const char *what, const char *text,
				bool want_tr, uint64_t *cells, uint64_t *tr,
				bool *plus, struct ps_err *err)
{
	*cells = 0;
	*tr = 0;
	*plus = false;
	if (!strstr(text, "Printing statistics"))
		return ps_errf(err, PS_EINPUT,
			       "yosys %s report: no 'Printing statistics'", what);
	/* an empty selection prints no module at all: zero cells */
	if (!strstr(text, "=== "))
		return PS_OK;
	if (!find_count(text, "Number of cells:", cells, NULL))
		return ps_errf(err, PS_EINPUT,
			       "yosys %s report: no 'Number of cells'", what);
	if (want_tr && !find_count(text, "Estimated number of transistors:", tr, plus))
		return ps_errf(err, PS_EINPUT,
			       "yosys %s report: no 'Estimated number of transistors'", what);
	return PS_OK;
}

enum ps_status rtl_area_parse(const char *stat_all, const char *stat_comb,
			      const char *stat_regs, struct rtl_area *a,
			      struct ps_err *err)
{
	uint64_t cells_c, cells_r, tr_r;
	bool plus_all, plus_c, plus_r;
	enum ps_status st;

	memset(a, 0, sizeof *a);
	st = parse_one("all-cells", stat_all, true, &a->cells,
		       &a->transistors_all, &plus_all, err);
	if (!st)
		st = parse_one("combinational", stat_comb, true, &cells_c,
			       &a->transistors, &plus_c, err);
	if (!st)
		st = parse_one("flip-flop", stat_regs, false, &cells_r, &tr_r,
			       &plus_r, err);
	if (st)
		return st;
	a->reg_bits = cells_r;
	a->uncosted = plus_all || plus_c;
	if (cells_c + cells_r != a->cells || a->transistors > a->transistors_all)
		return ps_errf(err, PS_EINPUT,
			       "yosys reports disagree: %" PRIu64 " cells = %" PRIu64
			       " combinational + %" PRIu64 " flip-flops?",
			       a->cells, cells_c, cells_r);
	return PS_OK;
}

enum ps_status rtl_area_script(const struct rtl_design *d, const char *dir,
			       const char *outdir, char *buf, size_t n,
			       struct ps_err *err)
{
	/* flip-flops of every kind synth and dfflegalize may leave */
	static const char ffs[] = "t:*DFF* t:*DLATCH* t:*_SR_* %u %u";
	size_t k = 0;
	int w;

	if (strpbrk(outdir, " \t\n\"'"))
		return ps_errf(err, PS_EINPUT,
			       "%s: temporary directory '%s' has blanks or quotes (set TMPDIR)",
			       d->name, outdir);

#define PUT(...)                                                          \
	do {                                                              \
		w = snprintf(buf + k, n - k, __VA_ARGS__);                \
		if (w < 0 || (size_t)w >= n - k)                          \
			return ps_errf(err, PS_EINPUT,                    \
				       "%s: yosys script too long", d->name); \
		k += (size_t)w;                                           \
	} while (0)

	for (int hier = 0; hier < 1 + (d->parts[0].module != NULL); hier++) {
		/* the second run keeps the modules: the breakdown. It reads
		 * the files again (a `design -save` copy changes what abc
		 * makes of the first run) */
		const char *o = hier ? "h" : "";
		if (hier)
			PUT("design -reset\n");
		PUT("read_verilog -sv");
		for (size_t i = 0; i < RTL_MAX_FILES && d->files[i]; i++)
			PUT(" \"%s/%s\"", dir, d->files[i]);
		PUT("\n");
		if (d->chparam)
			PUT("chparam %s %s\n", d->chparam, d->top);
		PUT("synth%s -noabc%s%s -top %s\n", hier ? "" : " -flatten",
		    d->synth_opts ? " " : "", d->synth_opts ? d->synth_opts : "",
		    d->top);
		/* enables and synchronous resets into logic, so registers of
		 * every design count alike; asynchronous ones stay (and are
		 * uncosted) */
		PUT("dfflegalize -cell $_DFF_P_ x -cell $_DFF_N_ x "
		    "-cell $_DFF_P??_ x -cell $_DFF_N??_ x\n");
		PUT("abc\nopt_clean\n");
		/* tee takes its file name verbatim: no quotes, so no blanks */
		if (!hier)
			PUT("tee -q -o %s/all.txt stat -tech cmos\n", outdir);
		PUT("tee -q -o %s/%scomb.txt stat -tech cmos %s %%n\n", outdir, o, ffs);
		PUT("tee -q -o %s/%sregs.txt stat %s\n", outdir, o, ffs);
	}
#undef PUT
	return PS_OK;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1))) {
		if (fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
		}
	}
	fclose(fp);
	return buf;
}

static void rm_tree(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char path[1200];

	if (dp) {
		while ((e = readdir(dp)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
				unlink(path);
			}
		closedir(dp);
	}
	rmdir(dir);
}

/* The first line of the log that starts with "ERROR:", else its last line. */
static void log_error(const char *log, char *out, size_t n)
{
	const char *p = log ? strstr(log, "ERROR:") : NULL;
	size_t len;

	snprintf(out, n, "no log");
	if (!log)
		return;
	if (!p) {
		len = strlen(log);
		while (len && (log[len - 1] == '\n' || log[len - 1] == ' '))
			len--;
		p = log + len;
		while (p > log && p[-1] != '\n')
			p--;
	}
	len = strcspn(p, "\n");
	snprintf(out, n, "%.*s", (int)(len < 300 ? len : 300), p);
}

struct job {
	const struct rtl_design *d;
	char dir[512];
	pid_t pid;
	struct timespec t0;
	/* $PESIM_AREA_CACHE's entry for this run ("" without a cache); hit:
	 * the reports are there, no Yosys run */
	char cached[600];
	bool hit;
};

/* the flat run's, then the hierarchical run's (designs with parts) */
static const char *const reports[] = { "all.txt", "comb.txt", "regs.txt",
				       "hcomb.txt", "hregs.txt" };

static size_t n_reports(const struct rtl_design *d)
{
	return d->parts[0].module ? 5 : 3;
}

enum ps_status rtl_area_digest(const struct rtl_design *d, const char *dir,
				uint64_t seed, uint64_t *h, struct ps_err *err)
{
	char script[8192], path[1200];
	enum ps_status st = rtl_area_script(d, "", "", script, sizeof script, err);

	if (st)
		return st;
	*h = cfg_fnv1a(script, strlen(script), seed);
	for (size_t i = 0; i < RTL_MAX_FILES && d->files[i]; i++) {
		char *text;
		snprintf(path, sizeof path, "%s/%s", dir, d->files[i]);
		if (!(text = slurp(path)))
			return ps_errf(err, PS_EIO, "%s: cannot read %s", d->name, path);
		*h = cfg_fnv1a(text, strlen(text) + 1, *h);
		free(text);
	}
	return PS_OK;
}

/* The cache entry of design d under $PESIM_AREA_CACHE: a digest of Yosys's
 * path, the script (without its directories) and every Verilog file's
 * contents, so a changed file or design row is a new entry. "" without
 * the variable or when a file cannot be read (then Yosys reports it). */
static void cache_entry(const struct rtl_design *d, const char *dir,
			const char *yosys, char *buf, size_t n)
{
	const char *cache = getenv("PESIM_AREA_CACHE");
	struct ps_err err;
	uint64_t h;

	buf[0] = '\0';
	if (!cache || !*cache ||
	    rtl_area_digest(d, dir, cfg_fnv1a(yosys, strlen(yosys) + 1, CFG_FNV_INIT),
			    &h, &err))
		return;
	snprintf(buf, n, "%s/%s-%016llx", cache, d->name, (unsigned long long)h);
}

static bool cache_has(const struct rtl_design *d, const char *entry)
{
	char path[700];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s", entry, reports[n_reports(d) - 1]);
	return entry[0] && stat(path, &sb) == 0;
}

/* Copy a finished run's reports into its entry: a temporary directory
 * renamed into place (runs at once never see half an entry). A cache
 * that cannot be written is skipped: it only saves time. */
static void cache_store(const struct job *j)
{
	char tmp[700], from[700], to[800];
	bool ok;

	snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", j->cached);
	if (!j->cached[0] || !mkdtemp(tmp))
		return;
	ok = true;
	for (size_t i = 0; ok && i < n_reports(j->d); i++) {
		char *text;
		FILE *fp;
		snprintf(from, sizeof from, "%s/%s", j->dir, reports[i]);
		snprintf(to, sizeof to, "%s/%s", tmp, reports[i]);
		text = slurp(from);
		fp = text ? fopen(to, "w") : NULL;
		ok = fp && fputs(text, fp) != EOF;
		if (fp && fclose(fp))
			ok = false;
		free(text);
	}
	if (!ok || rename(tmp, j->cached))
		rm_tree(tmp);
}

bool rtl_area_cached(const struct rtl_design *d, const char *dir,
		     const char *yosys)
{
	char entry[600];
	cache_entry(d, dir, yosys, entry, sizeof entry);
	return cache_has(d, entry);
}

static double since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

static enum ps_status job_start(struct job *j, const struct rtl_design *d,
				const char *dir, const char *yosys,
				struct ps_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char script[8192], path[600], logarg[600], outpath[600];
	posix_spawn_file_actions_t fa;
	FILE *fp;
	enum ps_status st;
	int rc;

	memset(j, 0, sizeof *j);
	j->d = d;
	j->pid = -1;
	clock_gettime(CLOCK_MONOTONIC, &j->t0);
	cache_entry(d, dir, yosys, j->cached, sizeof j->cached);
	if ((j->hit = cache_has(d, j->cached)))
		return PS_OK;
	snprintf(j->dir, sizeof j->dir, "%s/pesim-area-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(j->dir))
		return ps_errf(err, PS_EIO, "%s: mkdtemp %s: %s", d->name,
			       j->dir, strerror(errno));
	st = rtl_area_script(d, dir, j->dir, script, sizeof script, err);
	if (st)
		return st;
	snprintf(path, sizeof path, "%s/area.ys", j->dir);
	fp = fopen(path, "w");
	if (!fp || fputs(script, fp) == EOF || fclose(fp) != 0)
		return ps_errf(err, PS_EIO, "%s: cannot write %s", d->name, path);
	snprintf(logarg, sizeof logarg, "%s/yosys.log", j->dir);
	char *argv[] = { (char *)yosys, "-q", "-l", logarg, "-s", path, NULL };

	/* Yosys's own stdout/stderr go to a file: its log has everything */
	snprintf(outpath, sizeof outpath, "%s/yosys.out", j->dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	rc = posix_spawnp(&j->pid, yosys, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		j->pid = -1;
		return ps_errf(err, PS_EINPUT,
			       "%s: cannot run '%s': %s (install yosys, or set PESIM_YOSYS)",
			       d->name, yosys, strerror(rc));
	}
	return PS_OK;
}

/* The three reports in dir into a. */
static enum ps_status read_reports(const struct job *j, const char *dir,
				   struct rtl_area *a, struct ps_err *err)
{
	char path[700], *text[5] = { NULL };
	size_t n = n_reports(j->d);
	enum ps_status st = PS_OK;

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, reports[i]);
		if (!(text[i] = slurp(path)))
			st = ps_errf(err, PS_EIO, "%s: yosys wrote no %s in %s",
				     j->d->name, reports[i], dir);
	}
	if (!st)
		st = rtl_area_parse(text[0], text[1], text[2], a, err);
	if (!st && n == 5)
		st = rtl_area_parse_hier(text[3], text[4], j->d->top, a, err);
	for (size_t i = 0; i < n; i++)
		free(text[i]);
	if (st)
		return ps_err_prefix(err, st, "%s (reports in %s)", j->d->name, dir);
	a->seconds = since(&j->t0);
	return PS_OK;
}

static enum ps_status job_finish(struct job *j, struct rtl_area *a,
				 struct ps_err *err)
{
	char path[600], msg[400];
	char *log;
	enum ps_status st;
	int status = 0;

	if (j->hit)
		return read_reports(j, j->cached, a, err);
	while (waitpid(j->pid, &status, 0) < 0)
		if (errno != EINTR)
			return ps_errf(err, PS_EIO, "%s: waitpid: %s", j->d->name,
				       strerror(errno));
	j->pid = -1;
	snprintf(path, sizeof path, "%s/yosys.log", j->dir);
	log = slurp(path);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		log_error(log, msg, sizeof msg);
		/* 127: the spawned child could not exec yosys */
		st = ps_errf(err, PS_EINPUT, "%s: yosys failed (%s%d): %s (log: %s)",
			     j->d->name, WIFEXITED(status) ? "exit " : "signal ",
			     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			     msg, path);
		free(log);
		return st;
	}
	free(log);
	if ((st = read_reports(j, j->dir, a, err)))
		return st;
	cache_store(j);
	rm_tree(j->dir);
	return PS_OK;
}

/* Reap a started job after a failure elsewhere; keep nothing. */
static void job_abandon(struct job *j)
{
	int status;
	if (j->pid > 0)
		while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
			;
	j->pid = -1;
	if (j->dir[0])
		rm_tree(j->dir);
}

enum ps_status rtl_area_run(const struct rtl_design *const *designs, size_t n,
			    const char *dir, const char *yosys, unsigned jobs,
			    struct rtl_area *areas, struct ps_err *err)
{
	struct job *js;
	size_t started = 0, done = 0;
	enum ps_status st = PS_OK;

	if (!n)
		return PS_OK;
	if (!jobs)
		jobs = 1;
	js = calloc(n, sizeof *js);
	if (!js)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	struct ps_progress *bar = ps_progress_begin("area (yosys)", "designs", n);
	/* jobs in flight: [done, started); they finish in order */
	while (done < n) {
		while (started < n && started - done < jobs) {
			st = job_start(&js[started], designs[started], dir, yosys, err);
			started++;
			if (st)
				goto fail;
		}
		st = job_finish(&js[done], &areas[done], err);
		done++;
		ps_progress_add(bar, 1);
		if (st)
			goto fail;
	}
	ps_progress_end(bar);
	free(js);
	return PS_OK;
fail:
	ps_progress_end(bar);
	/* a failed Yosys run keeps its directory (done - 1); reap the rest */
	for (size_t i = done; i < started; i++)
		job_abandon(&js[i]);
	free(js);
	return st;
}

double rtl_area_density(unsigned macs_a, const struct rtl_area *a,
			unsigned macs_b, const struct rtl_area *b)
{
	if (!macs_a || !macs_b || !a->transistors_all || !b->transistors_all)
		return NAN;
	return (double)macs_a / (double)a->transistors_all /
	       ((double)macs_b / (double)b->transistors_all);
}

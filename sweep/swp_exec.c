/* swp_exec.c - running a sweep: resume what is done (the output file of a
 * finished run, the journal of an interrupted one), run the rest in N
 * worker processes, commit each finished point to the journal, write the
 * output whole when every point is in.
 *
 * Workers are forked after the sweep is expanded and run one point at a
 * time: the parent writes a point index to a worker's pipe, the worker
 * runs it through sim_run and writes its swp_result back. A worker that
 * dies (killed, crashed) loses only its point, which runs again in a new
 * worker; a point that kills two workers is recorded as failed. SIGINT /
 * SIGTERM stop the sweep: workers are killed, finished points stay in the
 * journal, nothing is written to the output, and a rerun resumes. */
#include "swp_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps_file.h"
#include "swp_journal.h"
#include "swp_progress.h"
#include "swp_table.h"

#define MAX_JOBS 256

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

struct worker {
	pid_t pid;
	int to, from;		/* task pipe (write end), result pipe (read end) */
	int64_t point;		/* the point it runs, -1 idle */
	size_t got;		/* bytes of the result read so far */
	struct swp_result r;
};

struct run {
	const struct swp_sweep *s;
	const struct swp_exec_opts *o;
	struct swp_table t;
	unsigned char *done;	/* per point: 1 when its result is in t */
	uint8_t *deaths;	/* per point: workers it killed */
	uint64_t resumed;
};

static void worker_main(const struct swp_sweep *s, int in, int out, pid_t parent)
{
	uint64_t p;
	struct swp_result r;
	signal(SIGINT, SIG_IGN);	/* Ctrl-C reaches the parent, which stops us */
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	while (ps_read_full(in, &p, sizeof p) == sizeof p) {
		swp_point_run(s, p, &r);
		if (ps_write_full(out, &r, sizeof r) != sizeof r)
			break;
	}
	_exit(0);
}

static enum ps_status spawn(struct run *R, struct worker *w, struct ps_err *err)
{
	int a[2], b[2];
	pid_t parent = getpid();
	if (pipe2(a, O_CLOEXEC) || pipe2(b, O_CLOEXEC))
		return ps_errf(err, PS_EIO, "cannot make a pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	w->pid = fork();
	if (w->pid < 0)
		return ps_errf(err, PS_EIO, "cannot start a worker: %s", strerror(errno));
	if (w->pid == 0) {
		close(a[1]);
		close(b[0]);
		worker_main(R->s, a[0], b[1], parent);
	}
	close(a[0]);
	close(b[1]);
	w->to = a[1];
	w->from = b[0];
	w->point = -1;
	w->got = 0;
	return PS_OK;
}

static void reap(struct worker *w, int *status)
{
	if (w->to >= 0)
		close(w->to);
	if (w->from >= 0)
		close(w->from);
	w->to = w->from = -1;
	*status = 0;
	while (w->pid > 0 && waitpid(w->pid, status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
}

static void add_done(void *ctx, const struct swp_result *r)
{
	struct run *R = ctx;
	struct ps_err e;
	if (r->index >= R->s->n_points || R->done[r->index])
		return;
	if (swp_table_add(&R->t, R->s, r, &e) == PS_OK) {
		R->done[r->index] = 1;
		R->resumed++;
	}
}

static bool mine(const struct swp_exec_opts *o, uint64_t p)
{
	return !o->shards || p % o->shards == o->shard;
}

/* Points already in the output file of a previous run of this sweep. */
static enum ps_status resume_output(struct run *R, struct ps_err *err)
{
	struct swp_table old;
	struct stat sb;
	enum ps_status st;
	if (stat(R->o->out, &sb) != 0)
		return PS_OK;
	if (!S_ISREG(sb.st_mode))
		return ps_errf(err, PS_EINPUT, "%s: exists and is not a regular file", R->o->out);
	st = swp_table_read_h5(R->o->out, &old, err);
	if (st)
		return ps_err_prefix(err, PS_EINPUT, "%s: not a sweep result to resume (remove it or choose another -o)",
				     R->o->out);
	if (!swp_table_same_layout(&old, &R->t) || old.shard != R->t.shard ||
	    old.shards != R->t.shards) {
		swp_table_free(&old);
		return ps_errf(err, PS_EINPUT, "%s: holds another sweep or shard (digest %s); remove it or choose another -o",
			       R->o->out, old.digest);
	}
	for (uint64_t i = 0; i < old.nrows; i++) {
		struct swp_result r;
		swp_table_result(&old, i, &r);
		add_done(R, &r);
	}
	swp_table_free(&old);
	return PS_OK;
}

static enum ps_status commit(struct run *R, struct swp_journal *j,
			     const struct swp_result *r, struct swp_progress *pg,
			     struct ps_err *err)
{
	enum ps_status st = swp_journal_append(j, r, err);
	if (!st)
		st = swp_table_add(&R->t, R->s, r, err);
	if (!st)
		R->done[r->index] = 1;
	swp_progress_add(pg, 1, r->status != SWP_OK);
	return st;
}

/* The points to run: the ones not done, then those whose worker died
 * (each at most once more). */
struct queue {
	uint64_t *q;
	uint64_t head, n;
};

/* Hand the next point to w, or close its task pipe when none is left. */
static void dispatch(struct worker *w, struct queue *Q)
{
	while (Q->head < Q->n) {
		uint64_t p = Q->q[Q->head];
		if (ps_write_full(w->to, &p, sizeof p) != sizeof p)
			break;	/* it died: its EOF comes next */
		Q->head++;
		w->point = (int64_t)p;
		w->got = 0;
		return;
	}
	if (w->to >= 0)
		close(w->to);
	w->to = -1;
	w->point = -1;
}

/* A worker's result arrived whole. */
static enum ps_status on_result(struct run *R, struct swp_journal *j,
				struct worker *w, struct queue *Q,
				struct swp_progress *pg, struct swp_exec_stats *x,
				struct ps_err *err)
{
	enum ps_status st;
	if (w->point < 0 || w->r.index != (uint64_t)w->point)
		return ps_errf(err, PS_EIO, "worker %d answered for the wrong point", (int)w->pid);
	st = commit(R, j, &w->r, pg, err);
	x->ran++;
	if (w->r.status != SWP_OK)
		x->failed++;
	dispatch(w, Q);
	return st;
}

/* A worker's pipe closed: it finished (no point) or died with its point,
 * which runs again in a new worker, or fails after a second death. */
static enum ps_status on_exit_(struct run *R, struct swp_journal *j,
			       struct worker *w, struct queue *Q,
			       struct swp_progress *pg, struct swp_exec_stats *x,
			       unsigned *live, struct ps_err *err)
{
	int ws;
	int64_t lost = w->point;
	enum ps_status st = PS_OK;
	reap(w, &ws);
	(*live)--;
	if (lost < 0)
		return PS_OK;
	if (++R->deaths[lost] >= 2) {
		struct swp_result r;
		memset(&r, 0, sizeof r);
		r.index = (uint64_t)lost;
		r.status = SWP_FAILED;
		for (int m = 0; m < SWP_N_METRICS; m++)
			r.m[m] = NAN;
		snprintf(r.error, sizeof r.error, "the worker running this point died twice (%s %d)",
			 WIFSIGNALED(ws) ? "signal" : "exit status",
			 WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
		st = commit(R, j, &r, pg, err);
		x->failed++;
	} else {
		Q->q[Q->n++] = (uint64_t)lost;
	}
	if (!st && Q->head < Q->n && !(st = spawn(R, w, err))) {
		(*live)++;
		dispatch(w, Q);
	}
	return st;
}

static enum ps_status run_workers(struct run *R, struct swp_journal *j,
				  struct queue *Q, struct swp_exec_stats *x,
				  struct ps_err *err)
{
	const struct swp_exec_opts *o = R->o;
	unsigned nw = o->jobs < 1 ? 1 : o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs;
	struct worker *w = calloc(nw, sizeof *w);
	struct pollfd *pf = calloc(nw, sizeof *pf);
	struct swp_progress pg;
	unsigned live = 0;
	enum ps_status st = PS_OK;

	if (!w || !pf) {
		free(w);
		free(pf);
		return ps_errf(err, PS_ENOMEM, "out of memory");
	}
	if (nw > Q->n)
		nw = Q->n ? (unsigned)Q->n : 1;
	swp_progress_begin(&pg, R->s->name, x->total, x->resumed, o->progress, o->every);
	for (unsigned i = 0; i < nw && Q->n && !st; i++) {
		if (!(st = spawn(R, &w[i], err))) {
			live++;
			dispatch(&w[i], Q);
		}
	}
	while (live && !st && !stop_sig) {
		for (unsigned i = 0; i < nw; i++) {
			pf[i].fd = w[i].pid > 0 ? w[i].from : -1;
			pf[i].events = POLLIN;
			pf[i].revents = 0;
		}
		if (poll(pf, nw, -1) < 0) {
			if (errno != EINTR)
				st = ps_errf(err, PS_EIO, "poll: %s", strerror(errno));
			continue;
		}
		for (unsigned k = 0; k < nw && !st && !stop_sig; k++) {
			struct worker *wk = &w[k];
			ssize_t got;
			if (!pf[k].revents || wk->pid <= 0)
				continue;
			got = read(wk->from, (char *)&wk->r + wk->got, sizeof wk->r - wk->got);
			if (got < 0 && errno == EINTR)
				continue;
			if (got > 0) {
				wk->got += (size_t)got;
				if (wk->got == sizeof wk->r)
					st = on_result(R, j, wk, Q, &pg, x, err);
				continue;
			}
			st = on_exit_(R, j, wk, Q, &pg, x, &live, err);
		}
	}
	for (unsigned i = 0; i < nw; i++) {
		int ws;
		if (w[i].pid > 0 && (stop_sig || st))
			kill(w[i].pid, SIGKILL);
		if (w[i].pid > 0)
			reap(&w[i], &ws);
	}
	if (stop_sig)
		x->interrupted = true;
	swp_progress_end(&pg);
	free(w);
	free(pf);
	return st;
}

static double cpu_seconds(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

enum ps_status swp_exec(const struct swp_sweep *s, const struct swp_exec_opts *o,
			struct swp_exec_stats *x, struct ps_err *err)
{
	struct run R = { .s = s, .o = o };
	struct swp_journal j = { .fd = -1 };
	struct sigaction sa, old_int, old_term, old_hup, old_pipe;
	struct queue Q = { 0 };
	double t0 = swp_now(), c0 = cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN);
	enum ps_status st;

	memset(x, 0, sizeof *x);
	if (o->shards && o->shard >= o->shards)
		return ps_errf(err, PS_EINPUT, "shard %u/%u: the index must be below the count",
			       o->shard, o->shards);
	st = swp_table_init(&R.t, s, o->shard, o->shards, err);
	if (st)
		return st;
	R.done = calloc(s->n_points ? s->n_points : 1, 1);
	R.deaths = calloc(s->n_points ? s->n_points : 1, 1);
	Q.q = malloc((2 * s->n_points + 1) * sizeof *Q.q);
	if (!R.done || !R.deaths || !Q.q) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	if ((st = resume_output(&R, err)))
		goto out;
	if ((st = swp_journal_open(&j, o->out, s->digest, o->shard, o->shards,
				   add_done, &R, err)))
		goto out;
	for (uint64_t p = 0; p < s->n_points; p++) {
		if (!mine(o, p))
			continue;
		x->total++;
		if (!R.done[p])
			Q.q[Q.n++] = p;
	}
	x->resumed = R.resumed;

	stop_sig = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	st = run_workers(&R, &j, &Q, x, err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	if (st || x->interrupted)
		goto out;

	swp_table_sort(&R.t);
	for (uint64_t i = 0; i < R.t.nrows; i++)
		if (strcmp((const char *)R.t.rows + i * R.t.row_size +
			   R.t.cols[swp_table_col(&R.t, "status")].offset, "ok"))
			x->failed_total++;
	st = swp_table_write_h5(&R.t, o->out, err);
	if (!st && o->csv)
		st = swp_table_write_csv(&R.t, o->csv, err);
	if (!st)
		swp_journal_remove(&j);
out:
	swp_journal_close(&j);
	x->seconds = swp_now() - t0;
	x->cpu_seconds = cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN) - c0;
	swp_table_free(&R.t);
	free(R.done);
	free(R.deaths);
	free(Q.q);
	return st;
}

/* rpt_all.c - `pesim report all`: every recipe in a forked worker, at most
 * `jobs` at once, each writing its own file set (ps_outset) into the output
 * directory. A worker reports its status and elapsed time through a pipe;
 * the parent shows progress, then one line per report in recipe order, so
 * stdout does not depend on which worker finished first. The files do not
 * depend on it either: each report is computed alone, as by `pesim report
 * NAME`. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ps_progress.h"
#include "rpt.h"

struct job {
	pid_t pid;
	int fd;			/* the worker's result pipe */
	int status;		/* enum ps_status, -1 crashed */
	double secs;
	char msg[sizeof ((struct ps_err *)0)->msg];
};

struct msg {
	int status;
	double secs;
	char text[sizeof ((struct ps_err *)0)->msg];
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void worker(const struct rpt_recipe *r, const struct rpt_options *o, int fd)
{
	struct rpt_options w = *o;
	struct ps_err err = { "" };
	struct msg m;
	double t0 = now();
	ssize_t n;
	w.out = NULL;
	ps_progress_mode(PS_PROGRESS_OFF);
	memset(&m, 0, sizeof m);
	m.status = (int)rpt_recipe_run(r, &w, &err);
	m.secs = now() - t0;
	snprintf(m.text, sizeof m.text, "%s", m.status ? err.msg : "");
	n = write(fd, &m, sizeof m);
	_exit(n == (ssize_t)sizeof m ? 0 : 3);
}

static enum ps_status start(struct job *j, const struct rpt_recipe *r,
			    const struct rpt_options *o, struct ps_err *err)
{
	int p[2];
	if (pipe(p))
		return ps_errf(err, PS_EIO, "report all: pipe: %s", strerror(errno));
	fflush(NULL);
	j->pid = fork();
	if (j->pid < 0) {
		close(p[0]);
		close(p[1]);
		return ps_errf(err, PS_EIO, "report all: fork: %s", strerror(errno));
	}
	if (j->pid == 0) {
		close(p[0]);
		worker(r, o, p[1]);
	}
	close(p[1]);
	j->fd = p[0];
	return PS_OK;
}

/* Wait for any worker; collect its message. */
static struct job *reap(struct job *jobs, size_t n)
{
	int ws;
	pid_t pid;
	do
		pid = waitpid(-1, &ws, 0);
	while (pid < 0 && errno == EINTR);
	for (size_t i = 0; pid > 0 && i < n; i++) {
		struct job *j = &jobs[i];
		struct msg m;
		if (j->pid != pid)
			continue;
		j->pid = 0;
		if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0 &&
		    read(j->fd, &m, sizeof m) == (ssize_t)sizeof m) {
			j->status = m.status;
			j->secs = m.secs;
			snprintf(j->msg, sizeof j->msg, "%s", m.text);
		} else {
			j->status = -1;
			snprintf(j->msg, sizeof j->msg, "worker %s", WIFSIGNALED(ws) ?
				 strsignal(WTERMSIG(ws)) : "exited without a result");
		}
		close(j->fd);
		return j;
	}
	return NULL;
}

enum ps_status rpt_all(const struct rpt_options *o, int jobs, struct ps_err *err)
{
	size_t n = 0, next = 0, running = 0, failed = 0;
	size_t *order;
	struct job *js;
	struct ps_progress *bar;
	enum ps_status st = PS_OK;
	double t0 = now();

	if (!o->out_dir)
		return ps_errf(err, PS_EINPUT, "report all: --out DIR is required");
	while (rpt_recipes[n].name)
		n++;
	js = calloc(n, sizeof *js);
	order = calloc(n, sizeof *order);
	if (!js || !order) {
		free(js);
		free(order);
		return ps_errf(err, PS_ENOMEM, "out of memory");
	}
	if (jobs < 1)
		jobs = 1;
	/* costliest first (a stable order of the recipes by cost) */
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && rpt_recipes[order[j]].cost > rpt_recipes[order[j - 1]].cost; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	bar = ps_progress_begin("report all", "reports", n);
	while ((next < n || running) && !st) {
		while (next < n && running < (size_t)jobs && !st) {
			size_t i = order[next];
			st = start(&js[i], &rpt_recipes[i], o, err);
			next++;
			running += !st;
		}
		if (running) {
			struct job *j = reap(js, n);
			if (!j)
				break;
			running--;
			failed += j->status != 0;
			ps_progress_add(bar, 1);
		}
	}
	/* on a start failure, stop the others (their sets stay as they were) */
	for (size_t i = 0; i < n; i++)
		if (js[i].pid > 0) {
			kill(js[i].pid, SIGTERM);
			waitpid(js[i].pid, NULL, 0);
			close(js[i].fd);
		}
	ps_progress_end(bar);
	for (size_t i = 0; i < n && !st && o->out; i++) {
		if (js[i].status)
			fprintf(o->out, "%-10s FAILED: %s\n", rpt_recipes[i].name, js[i].msg);
		else
			fprintf(o->out, "%-10s %s/%s.{md,csv,h5,png}  %.1f s\n",
				rpt_recipes[i].name, o->out_dir, rpt_recipes[i].name, js[i].secs);
	}
	if (!st && o->out)
		fprintf(o->out, "%zu reports, %d workers, %.1f s wall\n", n, jobs, now() - t0);
	if (!st && failed) {
		for (size_t i = 0; i < n; i++)
			if (js[i].status) {
				st = ps_errf(err, js[i].status > 0 ? (enum ps_status)js[i].status : PS_EIO,
					     "report all: %zu of %zu reports failed; %s: %s",
					     failed, n, rpt_recipes[i].name, js[i].msg);
				break;
			}
	}
	free(js);
	free(order);
	return st;
}

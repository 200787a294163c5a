/* swp_progress.c - the sweep's progress line (swp_progress.h). */
#include "swp_progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double swp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void fmt_eta(char *buf, size_t n, double s)
{
	long t = (long)(s + 0.5);
	if (s < 0 || s > 1e8)
		snprintf(buf, n, "?");
	else if (t >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void draw(struct swp_progress *p, bool final)
{
	double el = swp_now() - p->t0;
	uint64_t ran = p->done - p->already;
	double rate = el > 0 ? (double)ran / el : 0;
	char eta[32], fail[48] = "", res[48] = "";
	fmt_eta(eta, sizeof eta, rate > 0 ? (double)(p->total - p->done) / rate : -1);
	if (p->failed)
		snprintf(fail, sizeof fail, ", %llu failed", (unsigned long long)p->failed);
	if (p->already)
		snprintf(res, sizeof res, " (%llu resumed)", (unsigned long long)p->already);
	if (p->tty) {
		char bar[31];
		int w = p->total ? (int)(30 * p->done / p->total) : 30;
		memset(bar, '=', (size_t)w);
		memset(bar + w, ' ', (size_t)(30 - w));
		bar[30] = '\0';
		fprintf(stderr, "\r%s [%s] %llu/%llu points%s %.1f/s ETA %s%s\033[K",
			p->what, bar, (unsigned long long)p->done,
			(unsigned long long)p->total, res, rate, eta, fail);
		if (final)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "%s: %llu/%llu points%s, %.1f points/s, ETA %s%s\n",
			p->what, (unsigned long long)p->done,
			(unsigned long long)p->total, res, rate, eta, fail);
	}
	fflush(stderr);
}

void swp_progress_begin(struct swp_progress *p, const char *what,
			uint64_t total, uint64_t already, int mode,
			uint64_t every)
{
	memset(p, 0, sizeof *p);
	snprintf(p->what, sizeof p->what, "%s", what);
	p->total = total;
	p->done = p->already = already;
	p->quiet = mode == SWP_PROGRESS_OFF;
	p->tty = mode != SWP_PROGRESS_OFF && isatty(2);
	if (mode == SWP_PROGRESS_AUTO && !p->tty && !every)
		every = total / 20 > 0 ? total / 20 : 1;
	p->every = every ? every : (total / 20 > 0 ? total / 20 : 1);
	p->next = p->already + p->every;
	p->t0 = p->last = swp_now();
}

void swp_progress_add(struct swp_progress *p, uint64_t n, bool failed)
{
	p->done += n;
	if (failed)
		p->failed += n;
	if (p->quiet)
		return;
	if (p->tty) {
		double t = swp_now();
		if (t - p->last >= 0.1 || p->done == p->total) {
			p->last = t;
			draw(p, false);
		}
	} else if (p->done >= p->next && p->done < p->total) {
		p->next = p->done + p->every;
		draw(p, false);
	}
}

void swp_progress_end(struct swp_progress *p)
{
	if (!p->quiet && p->done > p->already)
		draw(p, true);
}

/* ps_progress.c - progress bar / lines on stderr (ps_progress.h). */
#include "ps_progress.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct ps_progress {
	char what[96], unit[24];
	uint64_t done, total;
	double t0, last;	/* start, last redraw */
	bool shown, tty;
};

static int mode = PS_PROGRESS_AUTO;
static struct ps_progress bar;
static bool active;

void ps_progress_mode(int m)
{
	mode = m;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* 1234567 -> "1.23M" */
static void human(char *buf, size_t n, double v)
{
	static const char *const sfx[] = { "", "k", "M", "G", "T", "P", "E" };
	int i = 0;
	while (v >= 999.5 && i < 6) {
		v /= 1000;
		i++;
	}
	snprintf(buf, n, i ? "%.3g%s" : "%.0f%s", v, sfx[i]);
}

static void hms(char *buf, size_t n, double s)
{
	unsigned t = s < 0 ? 0 : s > 359999 ? 359999u : (unsigned)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, n, "%u:%02u:%02u", t / 3600 % 100, t / 60 % 60, t % 60);
	else
		snprintf(buf, n, "%u:%02u", t / 60 % 60, t % 60);
}

void ps_progress_format(char *buf, size_t n, const char *what, const char *unit,
			uint64_t done, uint64_t total, double secs, int width)
{
	char d[32], t[32], r[32], eta[32], el[32];
	double rate = secs > 0 ? (double)done / secs : 0;
	human(d, sizeof d, (double)done);
	human(r, sizeof r, rate);
	hms(el, sizeof el, secs);
	if (!total) {
		snprintf(buf, n, "%s: %s %s, %s %s/s, %s", what, d, unit, r, unit, el);
		return;
	}
	if (done > total)
		done = total;
	human(t, sizeof t, (double)total);
	if (rate > 0)
		hms(eta, sizeof eta, (double)(total - done) / rate);
	else
		snprintf(eta, sizeof eta, "?");
	{
		/* the bar takes what the text leaves of the width, 10..40 */
		char tail[320], bars[48];
		int bw, fill;
		snprintf(tail, sizeof tail, " %3.0f%% %s/%s %s, %s %s/s, %s, ETA %s",
			 100.0 * (double)done / (double)total, d, t, unit, r, unit, el,
			 done == total ? "0:00" : eta);
		bw = width - (int)strlen(what) - (int)strlen(tail) - 3;
		bw = bw < 10 ? 10 : bw > 40 ? 40 : bw;
		fill = (int)((double)bw * (double)done / (double)total);
		memset(bars, '#', (size_t)fill);
		memset(bars + fill, '.', (size_t)(bw - fill));
		bars[bw] = '\0';
		snprintf(buf, n, "%s [%s]%s", what, bars, tail);
	}
}

static int term_width(void)
{
	struct winsize w;
	if (ioctl(2, TIOCGWINSZ, &w) == 0 && w.ws_col >= 40)
		return w.ws_col;
	return 80;
}

static void draw(struct ps_progress *p, double t, bool last)
{
	char line[512];
	int w = p->tty ? term_width() : 100;
	ps_progress_format(line, sizeof line, p->what, p->unit, p->done, p->total,
			   t - p->t0, w - 1);
	if (p->tty)
		fprintf(stderr, "\r%-*.*s", w - 1, w - 1, line);
	else
		fprintf(stderr, "%s\n", line);
	if (last && p->tty)
		fprintf(stderr, "\r%*s\r", w - 1, "");
	fflush(stderr);
	p->shown = true;
	p->last = t;
}

bool ps_progress_would_begin(void)
{
	return !active && mode != PS_PROGRESS_OFF && (mode != PS_PROGRESS_AUTO || isatty(2));
}

struct ps_progress *ps_progress_begin(const char *what, const char *unit,
				      uint64_t total)
{
	if (!ps_progress_would_begin())
		return NULL;
	memset(&bar, 0, sizeof bar);
	snprintf(bar.what, sizeof bar.what, "%s", what);
	snprintf(bar.unit, sizeof bar.unit, "%s", unit);
	bar.total = total;
	bar.tty = isatty(2);
	bar.t0 = bar.last = now();
	active = true;
	return &bar;
}

void ps_progress_add(struct ps_progress *p, uint64_t n)
{
	double t;
	if (!p)
		return;
	p->done += n;
	if (p->total && p->done >= p->total)	/* an estimate that fell short */
		p->total = p->done + p->done / 8;
	t = now();
	/* a terminal from the first second on, 10 redraws a second; lines
	 * every two seconds */
	if (p->tty ? t - p->t0 >= 1.0 && t - p->last >= 0.1 :
		     t - p->last >= 2.0)
		draw(p, t, false);
}

void ps_progress_work(const char *unit, uint64_t n)
{
	if (active && n && !strcmp(bar.unit, unit))
		ps_progress_add(&bar, n);
}

void ps_progress_end(struct ps_progress *p)
{
	if (!p)
		return;
	/* a forced display always ends with the totals; a terminal's bar is
	 * erased */
	p->total = p->total ? p->done : 0;
	if (p->shown || !p->tty)
		draw(p, now(), true);
	active = false;
}

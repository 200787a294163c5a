/* ps_cleanup.c - the paths removed when the process is interrupted
 * (ps_file.h): the output module's temporary files and staging
 * directories. A fixed table written before a slot is marked used, so the
 * handler, which only calls async-signal-safe functions (unlink, rmdir,
 * sigaction, raise), never sees half a path. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ps_file.h"

#define SLOTS 32
static char reg_path[SLOTS][PATH_MAX];
static volatile sig_atomic_t reg_kind[SLOTS];	/* 0 free, 1 file, 2 dir */
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
#define NSIG_CLEAN (sizeof cleanup_signals / sizeof *cleanup_signals)
static struct sigaction old_action[NSIG_CLEAN];
static bool installed;

/* Async-signal-safe: unlink, rmdir, sigaction, raise. */
static void on_signal(int sig)
{
	for (int k = 1; k <= 2; k++)
		for (int i = 0; i < SLOTS; i++)
			if (reg_kind[i] == k) {
				if (k == 1)
					unlink(reg_path[i]);
				else
					rmdir(reg_path[i]);
				reg_kind[i] = 0;
			}
	for (size_t i = 0; i < NSIG_CLEAN; i++)
		if (cleanup_signals[i] == sig)
			sigaction(sig, &old_action[i], NULL);
	raise(sig);
}

static void install(void)
{
	struct sigaction sa;
	if (installed)
		return;
	installed = true;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSIG_CLEAN; i++) {
		sigaction(cleanup_signals[i], NULL, &old_action[i]);
		/* an ignored signal (nohup) stays ignored */
		if (old_action[i].sa_handler == SIG_IGN)
			continue;
		sigaction(cleanup_signals[i], &sa, NULL);
	}
}

int ps_cleanup_add(const char *path, bool dir)
{
	install();
	for (int i = 0; i < SLOTS; i++)
		if (!reg_kind[i]) {
			snprintf(reg_path[i], sizeof reg_path[i], "%s", path);
			reg_kind[i] = dir ? 2 : 1;	/* after the path is complete */
			return i;
		}
	return -1;
}

void ps_cleanup_del(int slot)
{
	if (slot >= 0 && slot < SLOTS)
		reg_kind[slot] = 0;
}

void ps_cleanup_hold(sigset_t *saved)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NSIG_CLEAN; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, saved);
}

void ps_cleanup_release(const sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, saved, NULL);
}

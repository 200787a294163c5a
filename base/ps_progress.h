/* ps_progress.h - progress of long work on stderr.
 *
 * On a terminal: after the first second a bar with the count, the rate and
 * the estimated time left, redrawn in place at most ten times a second and
 * erased at the end. Elsewhere nothing, unless the mode is PS_PROGRESS_ON
 * (--progress): then one line every two seconds and a last one at the end.
 * PS_PROGRESS_OFF (--quiet) shows nothing.
 *
 * One bar at a time: a begin while one is shown returns NULL (the outer
 * work's bar stays), and every call accepts NULL. Library code calls it
 * between budgets of work, never per cycle. */
#ifndef PS_PROGRESS_H
#define PS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ps_progress_mode { PS_PROGRESS_AUTO, PS_PROGRESS_ON, PS_PROGRESS_OFF };
void ps_progress_mode(int mode);

struct ps_progress;

/* what: "quant llama-2-7b layer 0"; unit: "weights"; total 0 if unknown. */
struct ps_progress *ps_progress_begin(const char *what, const char *unit,
				      uint64_t total);
/* Would a begin now show a bar (none shown, and the mode and stderr allow
 * one)? For a caller whose total costs work to compute. */
bool ps_progress_would_begin(void);
void ps_progress_add(struct ps_progress *p, uint64_t n);
/* Work done by code that does not own the bar (the engine, a PE model):
 * counted on the bar being shown if its unit is `unit`. */
void ps_progress_work(const char *unit, uint64_t n);
void ps_progress_end(struct ps_progress *p);

/* Terminal line of a bar (for tests): what the display prints at done
 * after secs seconds, in at most n bytes. */
void ps_progress_format(char *buf, size_t n, const char *what, const char *unit,
			uint64_t done, uint64_t total, double secs, int width);

#endif

/* swp_progress.h - progress of a long sweep on stderr: a bar redrawn in
 * place (points, rate, ETA) when stderr is a terminal, else one plain line
 * every `every` points. The sweep's own small interface; it maps onto
 * base/ps_progress (begin / add / end, modes auto, --progress, --quiet)
 * once that lands. */
#ifndef SWP_PROGRESS_H
#define SWP_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

enum swp_progress_mode { SWP_PROGRESS_AUTO, SWP_PROGRESS_ON, SWP_PROGRESS_OFF };

struct swp_progress {
	char what[64];
	uint64_t total, done, already, failed, every, next;
	double t0, last;
	bool tty, quiet;
};

void swp_progress_begin(struct swp_progress *p, const char *what,
			uint64_t total, uint64_t already, int mode,
			uint64_t every);
void swp_progress_add(struct swp_progress *p, uint64_t n, bool failed);
void swp_progress_end(struct swp_progress *p);
double swp_now(void);

#endif

/* ps_plot.h - PNG plots through gnuplot and the output module. */
#ifndef PS_PLOT_H
#define PS_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "ps_status.h"

/* Run gnuplot on `script` (which selects the png terminal and leaves
 * `set output` unset: the image goes to gnuplot's stdout) into path
 * through the output module (ps_file.h); gnuplot missing or failing, or a
 * PNG without its IEND chunk (a full disk), is an error and leaves
 * nothing. */
enum ps_status ps_plot_png(const char *path, const char *script, size_t len,
			   struct ps_err *err);

/* A script built in memory and rendered at the end: ps_plot_begin opens
 * p->gp (NULL when out of memory); ps_plot_end closes it, runs
 * ps_plot_png on what was written and frees the script, whatever the
 * outcome. The script should start with a png terminal line. */
struct ps_plot {
	FILE *gp;
	char *script;
	size_t len;
};
FILE *ps_plot_begin(struct ps_plot *p);
enum ps_status ps_plot_end(struct ps_plot *p, const char *path, struct ps_err *err);

#endif

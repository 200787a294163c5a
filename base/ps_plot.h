/* ps_plot.h - PNG plots through gnuplot and the output module. */
#ifndef PS_PLOT_H
#define PS_PLOT_H

#include <stddef.h>

#include "ps_status.h"

/* Run gnuplot on `script` (which selects the png terminal and leaves
 * `set output` unset: the image goes to gnuplot's stdout) into path
 * through the output module (ps_file.h); gnuplot missing or failing, or a
 * PNG without its IEND chunk (a full disk), is an error and leaves
 * nothing. */
enum ps_status ps_plot_png(const char *path, const char *script, size_t len,
			   struct ps_err *err);

#endif

/* fuzz_tensor.h - what the tensor-reader fuzz targets check on each parse.
 *
 * libFuzzer hands over an exact-size heap buffer, so with ASan any read
 * past the end of the file is caught. Every input must come back PS_OK or
 * PS_EINPUT (anything else means the reader misjudged its input), and a
 * tensor must be freeable whether or not the parse succeeded. */
#ifndef PESIM_FUZZ_TENSOR_H
#define PESIM_FUZZ_TENSOR_H

#include <stdint.h>
#include <stdlib.h>

#include "wl_tensor.h"

/* Aborts on a status other than PS_OK / PS_EINPUT, touches every element of
 * a parsed tensor (the count must match the allocation), then frees it. */
static inline void fuzz_tensor_check(enum ps_status st, struct wl_tensor *t)
{
	if (st != PS_OK && st != PS_EINPUT)
		abort();
	if (st == PS_OK) {
		volatile float sink = 0;
		for (uint64_t i = 0; i < wl_tensor_numel(t); i++)
			sink += t->data[i];
		(void)sink;
	}
	wl_tensor_free(t);
}

#endif

/* fuzz_safetensors.c - libFuzzer target for the .safetensors reader.
 *
 * libFuzzer hands over an exact-size heap buffer, so with ASan any read
 * past the end of the file is caught. Every input must come back PS_OK or
 * PS_EINPUT (anything else means the reader misjudged its input), and a
 * tensor must be freeable whether or not the parse succeeded. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wl_tensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* NULL takes the single-tensor path; "a" and "b" select by name in
	 * the multi-tensor seeds (tests/fuzz/corpus/safetensors/multi). */
	static const char *const names[] = { NULL, "a", "b" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct wl_tensor t;
		struct ps_err err;
		enum ps_status st = wl_safetensors_parse(data, size, "fuzz.safetensors",
							  names[i], &t, &err);

		if (st != PS_OK && st != PS_EINPUT)
			abort();
		if (st == PS_OK) {
			/* Touch every element: the count must match the allocation. */
			volatile float sink = 0;
			for (uint64_t k = 0; k < wl_tensor_numel(&t); k++)
				sink += t.data[k];
			(void)sink;
		}
		wl_tensor_free(&t);
	}
	return 0;
}

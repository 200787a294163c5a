/* fuzz_safetensors.c - libFuzzer target for the .safetensors reader
 * (checks: fuzz_tensor.h). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_tensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* NULL takes the single-tensor path; "a" and "b" select by name in
	 * the multi-tensor seeds (tests/fuzz/corpus/safetensors/multi). */
	static const char *const names[] = { NULL, "a", "b" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct wl_tensor t;
		struct ps_err err;

		fuzz_tensor_check(wl_safetensors_parse(data, size, "fuzz.safetensors",
							names[i], &t, &err), &t);
	}
	return 0;
}

/* fuzz_npy.c - libFuzzer target for the .npy reader (checks: fuzz_tensor.h). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_tensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wl_tensor t;
	struct ps_err err;

	fuzz_tensor_check(wl_npy_parse(data, size, "fuzz.npy", &t, &err), &t);
	return 0;
}

/* fuzz_trace.c - libFuzzer target for the trace reader: header, size, CRC
 * and every record of a hostile buffer, through trace_parse_buffer. */
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_err err;
	uint64_t n;
	(void)trace_parse_buffer(data, size, "fuzz", &n, &err);
	return 0;
}

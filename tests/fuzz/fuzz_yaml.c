/* fuzz_yaml.c - libFuzzer target for the YAML configs through their real
 * loaders and schemas (the arch's: pe_arch_load, with its family's keys and
 * weight formats): the first byte picks the loader (arch, energy
 * table, model), the rest is the file. The loaders read files by name, so
 * the input goes to a memfd named through /proc/self/fd. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cfg_arch.h"
#include "cfg_energy.h"
#include "pe.h"
#include "wl_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	static struct cfg_arch a;
	static struct cfg_energy e;
	static struct wl_model m;
	struct ps_err err = { "" };
	enum ps_status st;

	if (fd < 0) {
		fd = memfd_create("fuzz-yaml", 0);
		if (fd < 0)
			return 0;
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (size < 1 || ftruncate(fd, 0) != 0 ||
	    pwrite(fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
		return 0;
	switch (data[0] % 3) {
	case 0:
		st = pe_arch_load(path, &a, &err);
		break;
	case 1:
		st = cfg_energy_load(path, &e, &err);
		break;
	default:
		st = wl_model_load(path, &m, &err);
		break;
	}
	if (getenv("FUZZ_YAML_VERBOSE"))	/* what a seed or crash input gave */
		fprintf(stderr, "status %d: %s\n", (int)st, st ? err.msg : "loaded");
	return 0;
}

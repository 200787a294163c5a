/* sim_compat.c - the compat methods' registry and what they share. */
#include "sim_compat.h"

#include <stdio.h>
#include <string.h>

const struct sim_compat_method *const sim_compat_methods[] = {
	&sim_compat_bitmod,
	&sim_compat_mixpe,
	NULL,
};

const struct sim_compat_method *sim_compat_find(const char *name)
{
	if (!name || !*name)
		return &sim_compat_bitmod;
	for (size_t i = 0; sim_compat_methods[i]; i++)
		if (!strcmp(sim_compat_methods[i]->name, name))
			return sim_compat_methods[i];
	return NULL;
}

const char *sim_compat_method_list(void)
{
	static char buf[128];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; sim_compat_methods[i] && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? " | " : "",
				      sim_compat_methods[i]->name);
	return buf;
}

enum ps_status sim_compat_put(const struct sim_compat_run *r,
			      const struct sim_op_stats *os, uint64_t macs,
			      uint32_t times, struct ps_err *err)
{
	struct sim_result *res = r->res;
	struct sim_op_stats row = *os;
	res->dram_read_bytes += os->dram_read_bytes * times;
	res->dram_write_bytes += os->dram_write_bytes * times;
	res->macs += macs * times;
	for (int p = 0; p < 2; p++)
		for (int a = 0; a < SIM_ACT_N; a++)
			res->acts.n[p][a] += os->acts.n[p][a] * times;
	if (!r->rows)
		return PS_OK;
	row.times = times;
	row.layers = 1;
	return sim_rows_put(r->rows, &row, err);
}

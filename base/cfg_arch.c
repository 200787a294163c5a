/* cfg_arch.c - the arch config schema and its loader. */
#include "cfg_arch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_yaml.h"

const char *const cfg_family_names[] = {
#define X(id, s) s,
	CFG_FAMILIES(X)
#undef X
	NULL
};

const char *const cfg_dataflow_names[] = { "weight-stationary",
					   "output-stationary", NULL };

#define A(field) offsetof(struct cfg_arch, field)
#define RANGE(lo, hi) .min = (lo), .max = (hi)

static const struct cfg_field shape_fields[] = {
	{ .key = "rows", .type = CFG_UINT, .offset = offsetof(struct cfg_shape, rows), .required = true, RANGE(1, 4096) },
	{ .key = "cols", .type = CFG_UINT, .offset = offsetof(struct cfg_shape, cols), .required = true, RANGE(1, 4096) },
	{ 0 }
};

static const struct cfg_field pe_fields[] = {
	{ .key = "family", .type = CFG_ENUM, .offset = A(pe.family) - A(pe), .required = true, .names = cfg_family_names },
	{ .key = "lanes", .type = CFG_UINT, .offset = A(pe.lanes) - A(pe), RANGE(1, 64) },
	{ .key = "bit_serial", .type = CFG_BOOL, .offset = A(pe.bit_serial) - A(pe)},
	{ .key = "act_bits", .type = CFG_UINT, .offset = A(pe.act_bits) - A(pe), RANGE(1, 32) },
	{ .key = "kv_bits", .type = CFG_UINT, .offset = A(pe.kv_bits) - A(pe), RANGE(1, 32) },
	{ .key = "group_size", .type = CFG_UINT, .offset = A(pe.group_size) - A(pe), RANGE(1, 65536) },
	{ .key = "area_um2", .type = CFG_DOUBLE, .offset = A(pe.area_um2) - A(pe), .required = true, RANGE(1e-3, 1e9) },
	{ .key = "area_source", .type = CFG_STR, .offset = A(pe.area_source) - A(pe), .size = sizeof(((struct cfg_arch *)0)->pe.area_source) },
	{ .key = "weight_format", .type = CFG_STR, .offset = A(pe.weight_format) - A(pe), .size = sizeof(((struct cfg_arch *)0)->pe.weight_format) },
	{ .key = "nm_n", .type = CFG_UINT, .offset = A(pe.nm_n) - A(pe), RANGE(0, 16) },
	{ .key = "lut_k", .type = CFG_UINT, .offset = A(pe.lut_k) - A(pe), RANGE(1, 8) },
	{ .key = "table_bits", .type = CFG_UINT, .offset = A(pe.table_bits) - A(pe), RANGE(1, 32) },
	{ .key = "acc_bits", .type = CFG_UINT, .offset = A(pe.acc_bits) - A(pe), RANGE(1, 64) },
	{ 0 }
};

static const struct cfg_field model_bits_fields[] = {
	{ .key = "model", .type = CFG_STR, .offset = offsetof(struct cfg_model_bits, model), .size = sizeof(((struct cfg_model_bits *)0)->model), .required = true },
	{ .key = "prefill", .type = CFG_DOUBLE, .offset = offsetof(struct cfg_model_bits, prefill), .required = true, RANGE(1, 32) },
	{ .key = "decode", .type = CFG_DOUBLE, .offset = offsetof(struct cfg_model_bits, decode), .required = true, RANGE(1, 32) },
	{ 0 }
};

#define WB(f) (A(weight_bits.f) - A(weight_bits))
static const struct cfg_field weight_bits_fields[] = {
	{ .key = "prefill", .type = CFG_DOUBLE, .offset = WB(prefill), .required = true, RANGE(1, 32) },
	{ .key = "decode", .type = CFG_DOUBLE, .offset = WB(decode), .required = true, RANGE(1, 32) },
	{ .key = "quant_prefill", .type = CFG_STR, .offset = WB(quant_prefill), .size = sizeof(((struct cfg_arch *)0)->weight_bits.quant_prefill) },
	{ .key = "quant_decode", .type = CFG_STR, .offset = WB(quant_decode), .size = sizeof(((struct cfg_arch *)0)->weight_bits.quant_decode) },
	{ .key = "per_model", .type = CFG_SEQ, .offset = WB(per_model), .size = sizeof(struct cfg_model_bits),
	  .item = CFG_MAP, .fields = model_bits_fields,
	  .count_offset = WB(n_per_model), .max_items = CFG_MAX_MODEL_BITS },
	{ 0 }
};

#define AR(f) (A(array.f) - A(array))
static const struct cfg_field array_fields[] = {
	{ .key = "prefill", .type = CFG_MAP, .offset = AR(prefill), .required = true, .fields = shape_fields },
	{ .key = "decode", .type = CFG_MAP, .offset = AR(decode), .required = true, .fields = shape_fields },
	{ .key = "dataflow", .type = CFG_ENUM, .offset = AR(dataflow), .names = cfg_dataflow_names },
	{ 0 }
};

static const struct cfg_field buffer_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct cfg_buffer, name), .size = sizeof(((struct cfg_buffer *)0)->name), .required = true },
	{ .key = "size_kib", .type = CFG_DOUBLE, .offset = offsetof(struct cfg_buffer, size_kib), .required = true, RANGE(0.001, 1048576) },
	{ .key = "banks", .type = CFG_UINT, .offset = offsetof(struct cfg_buffer, banks), RANGE(1, 1024) },
	{ .key = "port_bits", .type = CFG_UINT, .offset = offsetof(struct cfg_buffer, port_bits), RANGE(1, 1 << 20) },
	{ .key = "double_buffered", .type = CFG_BOOL, .offset = offsetof(struct cfg_buffer, double_buffered)},
	{ .key = "area_um2", .type = CFG_DOUBLE, .offset = offsetof(struct cfg_buffer, area_um2), RANGE(0, 1e12) },
	{ 0 }
};

#define DR(f) (A(dram.f) - A(dram))
static const struct cfg_field dram_fields[] = {
	{ .key = "bits_per_cycle", .type = CFG_UINT, .offset = DR(bits_per_cycle), .required = true, RANGE(1, 1 << 20) },
	{ .key = "latency_cycles", .type = CFG_UINT, .offset = DR(latency_cycles), RANGE(0, 1000000) },
	{ .key = "burst_bytes", .type = CFG_UINT, .offset = DR(burst_bytes), RANGE(0, 1 << 20) },
	{ 0 }
};

static const struct cfg_field arch_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = A(name), .size = sizeof(((struct cfg_arch *)0)->name), .required = true },
	{ .key = "description", .type = CFG_STR, .offset = A(description), .size = sizeof(((struct cfg_arch *)0)->description) },
	{ .key = "clock_mhz", .type = CFG_DOUBLE, .offset = A(clock_mhz), .required = true, RANGE(1, 100000) },
	{ .key = "pe", .type = CFG_MAP, .offset = A(pe), .required = true, .fields = pe_fields },
	{ .key = "weight_bits", .type = CFG_MAP, .offset = A(weight_bits), .required = true, .fields = weight_bits_fields },
	{ .key = "array", .type = CFG_MAP, .offset = A(array), .required = true, .fields = array_fields },
	{ .key = "buffers", .type = CFG_SEQ, .offset = A(buffers), .size = sizeof(struct cfg_buffer), .required = true,
	  .item = CFG_MAP, .fields = buffer_fields,
	  .count_offset = A(n_buffers), .max_items = CFG_MAX_BUFFERS },
	{ .key = "dram", .type = CFG_MAP, .offset = A(dram), .required = true, .fields = dram_fields },
	{ .key = "energy_table", .type = CFG_STR, .offset = A(energy_table), .size = sizeof(((struct cfg_arch *)0)->energy_table), .required = true },
	{ 0 }
};

uint64_t cfg_fnv1a(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t file_digest(const char *path)
{
	unsigned char buf[4096];
	uint64_t h = CFG_FNV_INIT;
	size_t n;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		h = cfg_fnv1a(buf, n, h);
	fclose(fp);
	return h;
}

enum ps_status cfg_arch_load(const char *path, struct cfg_arch *a,
			     struct ps_err *err)
{
	enum ps_status st;

	memset(a, 0, sizeof *a);
	a->pe.lanes = 1;
	a->pe.act_bits = 16;
	a->pe.kv_bits = 16;
	a->pe.group_size = 128;
	a->pe.lut_k = 4;
	a->pe.table_bits = 16;
	a->pe.acc_bits = 32;
	a->array.dataflow = CFG_DF_WS;
	st = cfg_load_file(path, arch_fields, a, err);
	if (st)
		return st;
	for (size_t i = 0; i < a->n_buffers; i++) {
		struct cfg_buffer *b = &a->buffers[i];
		if (b->banks == 0)
			b->banks = 1;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(a->buffers[k].name, b->name))
				return ps_errf(err, PS_EINPUT,
					       "%s: buffers[%zu].name: duplicate buffer '%s'",
					       path, i, b->name);
	}
	if (a->pe.nm_n && 16 % a->pe.nm_n)
		return ps_errf(err, PS_EINPUT, "%s: pe.nm_n: %u does not divide M = 16",
			       path, a->pe.nm_n);
	snprintf(a->path, sizeof a->path, "%s", path);
	a->digest = file_digest(path);
	return PS_OK;
}

double cfg_arch_weight_bits(const struct cfg_arch *a, const char *model,
			    int phase)
{
	for (size_t i = 0; i < a->weight_bits.n_per_model; i++) {
		const struct cfg_model_bits *m = &a->weight_bits.per_model[i];
		if (model && !strcmp(m->model, model))
			return phase ? m->decode : m->prefill;
	}
	return phase ? a->weight_bits.decode : a->weight_bits.prefill;
}

const struct cfg_shape *cfg_arch_shape(const struct cfg_arch *a, int phase)
{
	return phase ? &a->array.decode : &a->array.prefill;
}

uint64_t cfg_arch_pes(const struct cfg_arch *a, int phase)
{
	const struct cfg_shape *s = cfg_arch_shape(a, phase);
	return (uint64_t)s->rows * s->cols;
}

const struct cfg_buffer *cfg_arch_buffer(const struct cfg_arch *a,
					 const char *name)
{
	for (size_t i = 0; i < a->n_buffers; i++)
		if (!strcmp(a->buffers[i].name, name))
			return &a->buffers[i];
	return NULL;
}

void cfg_energy_path(const struct cfg_arch *a, char *buf, size_t n)
{
	const char *env = getenv("PESIM_ENERGY_DIR");
	const char *cut = strstr(a->path, "/arch/");
	if (env && *env)
		snprintf(buf, n, "%s/%s.yaml", env, a->energy_table);
	else if (cut)
		snprintf(buf, n, "%.*s/energy/%s.yaml", (int)(cut - a->path),
			 a->path, a->energy_table);
	else if (!strncmp(a->path, "arch/", 5))
		snprintf(buf, n, "energy/%s.yaml", a->energy_table);
	else
#ifdef PESIM_SRCDIR
		snprintf(buf, n, "%s/configs/energy/%s.yaml", PESIM_SRCDIR,
			 a->energy_table);
#else
		snprintf(buf, n, "configs/energy/%s.yaml", a->energy_table);
#endif
}

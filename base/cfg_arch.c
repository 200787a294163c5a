/* cfg_arch.c - the arch config schema and its loader. */
#include "cfg_arch.h"

#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_area.h"
#include "cfg_yaml.h"
#include "ps_path.h"

const char *const cfg_dataflow_names[] = { "weight-stationary",
					   "output-stationary", NULL };
const char *const cfg_folds_names[] = { "overlapped", "scale-sim", NULL };
const char *const cfg_map_objective_names[] = { "cycles", "traffic", "energy", NULL };
const char *const cfg_buffer_roles[] = { "weight", "input", "output", NULL };

#define A(field) offsetof(struct cfg_arch, field)
#define RANGE(lo, hi) .min = (lo), .max = (hi)

static const struct cfg_field shape_fields[] = {
	{ .key = "rows", .type = CFG_UINT, .offset = offsetof(struct cfg_shape, rows), .required = true, RANGE(1, 4096) },
	{ .key = "cols", .type = CFG_UINT, .offset = offsetof(struct cfg_shape, cols), .required = true, RANGE(1, 4096) },
	{ 0 }
};

/* The generic keys of pe:; the family's own follow them (cfg_arch_parse).
 * family is read before the walk, to pick those. */
static const struct cfg_field pe_fields[] = {
	{ .key = "family", .type = CFG_STR, .offset = A(pe.family_name) - A(pe), .required = true, .size = sizeof(((struct cfg_arch *)0)->pe.family_name) },
	{ .key = "lanes", .type = CFG_UINT, .offset = A(pe.lanes) - A(pe), RANGE(1, 64) },
	{ .key = "act_bits", .type = CFG_UINT, .offset = A(pe.act_bits) - A(pe), RANGE(1, 32) },
	{ .key = "kv_bits", .type = CFG_UINT, .offset = A(pe.kv_bits) - A(pe), RANGE(1, 32) },
	/* area_um2 only with area_source estimate (cfg_area.h) */
	{ .key = "area_um2", .type = CFG_DOUBLE, .offset = A(pe.area_um2) - A(pe), RANGE(1e-3, 1e9) },
	{ .key = "area_source", .type = CFG_STR, .offset = A(pe.area_source) - A(pe), .size = sizeof(((struct cfg_arch *)0)->pe.area_source) },
	/* printed beside ours; the area itself only with area_source paper */
	{ .key = "area_paper_um2", .type = CFG_DOUBLE, .offset = A(pe.area_paper_um2) - A(pe), RANGE(1e-3, 1e9), .meta = true },
	{ .key = "acc_bits", .type = CFG_UINT, .offset = A(pe.acc_bits) - A(pe), RANGE(1, 64) },
	{ 0 }
};

#define SPEC(f, st) .type = CFG_STR, .offset = offsetof(st, f), .size = CFG_SPEC_LEN
static const struct cfg_field model_weights_fields[] = {
	{ .key = "model", .type = CFG_STR, .offset = offsetof(struct cfg_model_weights, model), .size = sizeof(((struct cfg_model_weights *)0)->model), .required = true },
	{ .key = "prefill", SPEC(prefill, struct cfg_model_weights) },
	{ .key = "decode", SPEC(decode, struct cfg_model_weights) },
	{ 0 }
};

#define WB(f) (A(weights.f) - A(weights))
static const struct cfg_field weights_fields[] = {
	{ .key = "prefill", .type = CFG_STR, .offset = WB(prefill), .size = CFG_SPEC_LEN, .required = true },
	{ .key = "decode", .type = CFG_STR, .offset = WB(decode), .size = CFG_SPEC_LEN, .required = true },
	{ .key = "per_model", .type = CFG_SEQ, .offset = WB(per_model), .size = sizeof(struct cfg_model_weights),
	  .item = CFG_MAP, .fields = model_weights_fields,
	  .count_offset = WB(n_per_model), .max_items = CFG_MAX_MODEL_WEIGHTS },
	{ 0 }
};

#define AR(f) (A(array.f) - A(array))
static const struct cfg_field array_fields[] = {
	{ .key = "prefill", .type = CFG_MAP, .offset = AR(prefill), .required = true, .fields = shape_fields },
	{ .key = "decode", .type = CFG_MAP, .offset = AR(decode), .required = true, .fields = shape_fields },
	{ .key = "dataflow", .type = CFG_ENUM, .offset = AR(dataflow), .names = cfg_dataflow_names },
	{ .key = "folds", .type = CFG_ENUM, .offset = AR(folds), .names = cfg_folds_names },
	{ 0 }
};

#define MP(f) (A(mapper.f) - A(mapper))
static const struct cfg_field mapper_fields[] = {
	{ .key = "objective", .type = CFG_ENUM, .offset = MP(objective), .names = cfg_map_objective_names },
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
	{ .key = "efficiency", .type = CFG_DOUBLE, .offset = DR(efficiency), RANGE(0.001, 1) },
	{ 0 }
};

#define ARCH_PE_FIELD 3	/* arch_fields[ARCH_PE_FIELD] is pe */
static const struct cfg_field arch_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = A(name), .size = sizeof(((struct cfg_arch *)0)->name), .required = true, .meta = true },
	{ .key = "description", .type = CFG_STR, .offset = A(description), .size = sizeof(((struct cfg_arch *)0)->description), .meta = true },
	{ .key = "clock_mhz", .type = CFG_DOUBLE, .offset = A(clock_mhz), .required = true, RANGE(1, 100000) },
	{ .key = "pe", .type = CFG_MAP, .offset = A(pe), .required = true, .fields = pe_fields },
	{ .key = "weights", .type = CFG_MAP, .offset = A(weights), .required = true, .fields = weights_fields },
	{ .key = "array", .type = CFG_MAP, .offset = A(array), .required = true, .fields = array_fields },
	{ .key = "buffers", .type = CFG_SEQ, .offset = A(buffers), .size = sizeof(struct cfg_buffer), .required = true,
	  .item = CFG_MAP, .fields = buffer_fields,
	  .count_offset = A(n_buffers), .max_items = CFG_MAX_BUFFERS },
	{ .key = "dram", .type = CFG_MAP, .offset = A(dram), .required = true, .fields = dram_fields },
	{ .key = "mapper", .type = CFG_MAP, .offset = A(mapper), .fields = mapper_fields },
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

uint64_t cfg_fnv1a_file(const char *path)
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

/* pe: = the generic keys + those of family f (offsets moved into pe.ext). */
static enum ps_status build_pe_fields(const struct cfg_family_schema *f,
				      struct cfg_field *out, size_t cap,
				      struct ps_err *err)
{
	size_t n = 0;
	for (const struct cfg_field *g = pe_fields; g->type != CFG_END; g++)
		out[n++] = *g;
	if (f) {
		if (f->size > CFG_PE_EXT_MAX)
			return ps_errf(err, PS_EINPUT, "pe.family %s: internal: its keys take %zu bytes (at most %d)",
				       f->name, f->size, CFG_PE_EXT_MAX);
		for (const struct cfg_field *g = f->fields; g && g->type != CFG_END; g++) {
			if (n + 1 >= cap)
				return ps_errf(err, PS_EINPUT, "pe.family %s: internal: too many keys", f->name);
			out[n] = *g;
			out[n++].offset += A(pe.ext) - A(pe);
		}
	}
	out[n] = (struct cfg_field){ 0 };
	return PS_OK;
}

/* The family the document names (pe.family, overrides applied). */
static enum ps_status family_fields(struct cfg_doc *d,
				   const struct cfg_family_schema *const *fams,
				   size_t n_fams, struct cfg_arch *a,
				   struct cfg_field *out, size_t cap,
				   struct ps_err *err)
{
	char name[32], list[400] = "";
	const struct cfg_family_schema *f = NULL;
	int line;
	enum ps_status st = cfg_doc_scalar(d, "pe.family", name, sizeof name, &line, err);

	if (st)
		return st;
	for (size_t i = 0; i < n_fams; i++) {
		if (!strcmp(fams[i]->name, name)) {
			f = fams[i];
			a->pe.family = (int)i;
		}
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			 i ? ", " : "", fams[i]->name);
	}
	if (!f && line)
		return ps_errf(err, PS_EINPUT, "%s:%d: pe.family: unknown value '%s' (expected one of: %s)",
			       cfg_doc_name(d), line, name, list);
	if (f && f->defaults)
		memcpy(a->pe.ext, f->defaults, f->size);
	return build_pe_fields(f, out, cap, err);
}

enum ps_status cfg_arch_parse(const char *path,
			      const struct cfg_family_schema *const *fams,
			      size_t n_fams, struct cfg_arch *a,
			      struct ps_err *err)
{
	return cfg_arch_parse_set(path, NULL, fams, n_fams, a, err);
}

uint64_t cfg_arch_dram_bits(const struct cfg_arch *a)
{
	double bpc;
	if (a->dram.efficiency <= 0 || a->dram.efficiency >= 1)
		return a->dram.bits_per_cycle;
	bpc = floor((double)a->dram.bits_per_cycle * a->dram.efficiency);
	return bpc < 1 ? 1 : (uint64_t)bpc;
}

/* pe.area_um2 is written only where it is the area: area_source
 * estimate (rtl: and paper give theirs, cfg_area.h). */
static enum ps_status check_fields(const struct cfg_arch *a, struct ps_err *err);

static enum ps_status area_given(const struct cfg_arch *a, struct ps_err *err)
{
	const char *src = a->pe.area_source;
	for (size_t i = 0; i < a->lines.n; i++)
		if (!strcmp(a->lines.e[i].path, "pe.area_um2") && src[0] &&
		    strcmp(src, "estimate"))
			return cfg_arch_errf(a, "pe.area_um2", err,
					     "the area is area_source's (%s); write area_source: "
					     "estimate to give your own figure", src);
	return PS_OK;
}

enum ps_status cfg_arch_parse_set(const char *path, const struct cfg_sets *sets,
				  const struct cfg_family_schema *const *fams,
				  size_t n_fams, struct cfg_arch *a,
				  struct ps_err *err)
{
	struct cfg_field pe[40], top[sizeof arch_fields / sizeof *arch_fields];
	struct cfg_doc *d;
	enum ps_status st;

	memset(a, 0, sizeof *a);
	a->pe.lanes = 1;
	a->pe.act_bits = 16;
	a->pe.kv_bits = 16;
	a->pe.acc_bits = 32;
	a->array.dataflow = CFG_DF_WS;
	a->dram.efficiency = 1.0;
	if ((st = cfg_doc_open(path, &d, err)))
		return st;
	st = cfg_doc_apply(d, sets, err);
	if (!st)
		st = family_fields(d, fams, n_fams, a, pe, sizeof pe / sizeof *pe, err);
	if (!st) {
		memcpy(top, arch_fields, sizeof top);
		top[ARCH_PE_FIELD].fields = pe;
		st = cfg_doc_walk(d, top, a, &a->lines, err);
	}
	cfg_doc_close(d);
	if (st)
		return st;
	snprintf(a->path, sizeof a->path, "%s", path);
	for (size_t i = 0; i < a->n_buffers; i++)
		if (a->buffers[i].banks == 0)
			a->buffers[i].banks = 1;
	/* the area its source gives (cfg_area.h); cfg_arch_check keeps them one */
	if ((st = area_given(a, err)) || (st = cfg_arch_area(a, &a->pe.area_um2, err)))
		return st;
	if ((st = check_fields(a, err)))
		return st;
	a->digest = cfg_fnv1a_file(path);
	/* an override changes the arch: its digest says so (traces compiled
	 * for the file do not replay on it) */
	for (size_t i = 0; sets && i < sets->n; i++) {
		a->digest = cfg_fnv1a(sets->s[i].path, strlen(sets->s[i].path) + 1, a->digest);
		a->digest = cfg_fnv1a(sets->s[i].value, strlen(sets->s[i].value) + 1, a->digest);
	}
	return PS_OK;
}

enum ps_status cfg_arch_value(const struct cfg_arch *a,
			      const struct cfg_family_schema *fam,
			      const char *path, char *buf, size_t n,
			      struct ps_err *err)
{
	struct cfg_field pe[40], top[sizeof arch_fields / sizeof *arch_fields];
	enum ps_status st = build_pe_fields(fam, pe, sizeof pe / sizeof *pe, err);
	if (st)
		return st;
	memcpy(top, arch_fields, sizeof top);
	top[ARCH_PE_FIELD].fields = pe;
	return cfg_value(top, a, path, buf, n, err);
}

enum ps_status cfg_arch_check(const struct cfg_arch *a, struct ps_err *err)
{
	double um2;
	enum ps_status st;

	/* the area is its source's (an arch changed in memory included) */
	if ((st = area_given(a, err)) || (st = cfg_arch_area(a, &um2, err)))
		return st;
	if (um2 != a->pe.area_um2)
		return cfg_arch_errf(a, "pe.area_um2", err, "%.17g, but area_source %s gives %.17g",
				     a->pe.area_um2, a->pe.area_source, um2);
	return check_fields(a, err);
}

/* cfg_arch_check but the area (the load has just set it from its source) */
static enum ps_status check_fields(const struct cfg_arch *a, struct ps_err *err)
{
	bool out = false;

	for (size_t i = 0; i < a->n_buffers; i++) {
		const struct cfg_buffer *b = &a->buffers[i];
		char f[64];
		snprintf(f, sizeof f, "buffers[%zu].name", i);
		if (cfg_enum_find(cfg_buffer_roles, b->name) < 0)
			return cfg_arch_errf(a, f, err,
					     "unknown buffer '%s': pesim's compiler uses weight, input and output",
					     b->name);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(a->buffers[k].name, b->name))
				return cfg_arch_errf(a, f, err, "duplicate buffer '%s'", b->name);
		out |= !strcmp(b->name, "output");
		snprintf(f, sizeof f, "buffers[%zu].double_buffered", i);
		if (b->double_buffered && b->banks < 2)
			return cfg_arch_errf(a, f, err,
					     "a double-buffered buffer needs banks >= 2 (its two slots "
					     "live in different banks), '%s' has %u",
					     b->name, b->banks);
	}
	if (!cfg_arch_buffer(a, "weight") || !cfg_arch_buffer(a, "input"))
		return cfg_arch_errf(a, "buffers", err, "needs a weight and an input buffer");
	if (!out && cfg_arch_line(a, "pe.acc_bits"))
		return cfg_arch_errf(a, "pe.acc_bits", err,
				     "no output buffer: partial sums stay in the PE accumulators, "
				     "acc_bits would change nothing");
	return PS_OK;
}

uint64_t cfg_arch_xfer_cycles(const struct cfg_arch *a, const struct cfg_buffer *b,
			      uint32_t slots, uint64_t bytes)
{
	return cfg_xfer_cycles(bytes, a->dram.burst_bytes, cfg_arch_dram_bits(a),
			       b ? cfg_buffer_slot_bits(b, slots) : 0);
}

const struct cfg_field *cfg_arch_schema(void)
{
	return arch_fields;
}

uint64_t cfg_buffer_slot_bits(const struct cfg_buffer *b, uint32_t slots)
{
	uint64_t banks = b->banks ? b->banks : 1;
	if (!b->port_bits)
		return 0;
	if (slots > 1 && banks >= slots)
		banks /= slots;
	return banks * b->port_bits;
}

const char *cfg_arch_weight_spec(const struct cfg_arch *a, const char *model,
				 int phase)
{
	for (size_t i = 0; model && i < a->weights.n_per_model; i++) {
		const struct cfg_model_weights *m = &a->weights.per_model[i];
		const char *s = phase ? m->decode : m->prefill;
		if (!strcmp(m->model, model) && s[0])
			return s;
	}
	return phase ? a->weights.decode : a->weights.prefill;
}

uint32_t cfg_arch_line(const struct cfg_arch *a, const char *field)
{
	return cfg_lines_find(&a->lines, field);
}

enum ps_status cfg_arch_errf(const struct cfg_arch *a, const char *field,
			     struct ps_err *err, const char *fmt, ...)
{
	char msg[768], where[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cfg_lines_where(&a->lines, a->path, field, where, sizeof where);
	return ps_errf(err, PS_EINPUT, "%s: %s: %s", where, field, msg);
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

void cfg_arch_data_path(const struct cfg_arch *a, const char *folder,
			const char *file, char *buf, size_t n)
{
	const char *cut = strstr(a->path, "/arch/");
	if (cut)
		snprintf(buf, n, "%.*s/%s/%s", (int)(cut - a->path), a->path, folder, file);
	else if (!strncmp(a->path, "arch/", 5))
		snprintf(buf, n, "%s/%s", folder, file);
	else {
		char dir[4096], sub[80];
		snprintf(sub, sizeof sub, "configs/%s", folder);
		snprintf(buf, n, "%s/%s", ps_data_dir(NULL, sub, dir, sizeof dir), file);
	}
}

void cfg_energy_path(const struct cfg_arch *a, char *buf, size_t n)
{
	const char *env = getenv("PESIM_ENERGY_DIR");
	char file[sizeof a->energy_table + 8];
	snprintf(file, sizeof file, "%s.yaml", a->energy_table);
	if (env && *env)
		snprintf(buf, n, "%s/%s", env, file);
	else
		cfg_arch_data_path(a, "energy", file, buf, n);
}

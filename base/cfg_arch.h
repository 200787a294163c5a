/* cfg_arch.h - an accelerator architecture: PE family and its parameters,
 * array shape per phase, buffers, DRAM, and which energy table prices it.
 * Schema: README "Arch config". */
#ifndef CFG_ARCH_H
#define CFG_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg_yaml.h"
#include "ps_status.h"

/* The PE families are not base's business: the caller of cfg_arch_parse
 * (pe_models/pe_family.c, generated from pe_models/families.def) hands over
 * one schema per family, and base parses the generic arch plus the keys the
 * arch's family adds to its `pe:` block. */
#define CFG_PE_EXT_MAX 64	/* bytes of a family's own pe: keys */

struct cfg_family_schema {
	const char *name;		/* the pe.family value */
	const struct cfg_field *fields;	/* its own keys in pe: (offsets into
					 * cfg_arch.pe.ext), NULL: none */
	const void *defaults;		/* initial pe.ext (size bytes), or NULL */
	size_t size;			/* <= CFG_PE_EXT_MAX */
};

enum cfg_dataflow { CFG_DF_WS, CFG_DF_OS };
extern const char *const cfg_dataflow_names[];

#define CFG_MAX_BUFFERS 8
#define CFG_MAX_MODEL_WEIGHTS 32
#define CFG_SPEC_LEN 48		/* a weight format spec (fmt_qspec.h) */

struct cfg_shape {
	uint32_t rows, cols;
};

struct cfg_buffer {
	char name[32];		/* "weight", "input", "output", ... */
	double size_kib;
	uint32_t banks;
	uint32_t port_bits;
	bool double_buffered;
	double area_um2;	/* 0 when unknown */
};

/* A design's weight formats on one model (ANT/OliVe were profiled per
 * model): weight format specs per phase, "" where the default applies. */
struct cfg_model_weights {
	char model[64];
	char prefill[CFG_SPEC_LEN], decode[CFG_SPEC_LEN];
};

struct cfg_arch {
	char name[64];
	char description[256];
	double clock_mhz;
	struct {
		int family;		/* index into the schemas it was parsed with
					 * (pe_models: families.def order) */
		char family_name[32];
		uint32_t lanes;		/* dot-product lanes per PE */
		uint32_t act_bits, kv_bits;
		double area_um2;	/* one PE, with registers */
		char area_source[160];	/* where area_um2 comes from (informative;
					 * "pesim area --pe X ..." is checked
					 * against pesim area by test_rtl_area) */
		uint32_t acc_bits;	/* partial-sum bits in an output buffer (32) */
		/* the family's own keys, laid out by its schema */
		unsigned char ext[CFG_PE_EXT_MAX] __attribute__((aligned(8)));
	} pe;
	/* Weight format specs per phase (pe_models/formats/fmt_qspec.h): the
	 * one source of stored bits, code width and bit-true quantizer. */
	struct {
		char prefill[CFG_SPEC_LEN], decode[CFG_SPEC_LEN];
		struct cfg_model_weights per_model[CFG_MAX_MODEL_WEIGHTS];
		size_t n_per_model;
	} weights;
	struct {
		struct cfg_shape prefill, decode;
		int dataflow;		/* enum cfg_dataflow */
	} array;
	struct cfg_buffer buffers[CFG_MAX_BUFFERS];
	size_t n_buffers;
	struct {
		uint32_t bits_per_cycle;
		uint32_t latency_cycles;
		uint32_t burst_bytes;	/* 0: no burst rounding */
	} dram;
	char energy_table[64];		/* id: configs/energy/<id>.yaml */

	char path[512];			/* file it was loaded from */
	uint64_t digest;		/* FNV-1a of the file bytes */
	struct cfg_lines lines;		/* where each key stood */
};

/* Parse an arch file: the generic schema plus the `pe:` keys of its family,
 * one of fams[0..n_fams) (every error "file:line: field: problem"). Use
 * pe_arch_load (pe_models/pe_family.h), which also checks the family's
 * rules and the weight formats. */
enum ps_status cfg_arch_parse(const char *path,
			      const struct cfg_family_schema *const *fams,
			      size_t n_fams, struct cfg_arch *a,
			      struct ps_err *err);

/* Same, with overrides applied to the file's document before the walk
 * (cfg_doc_apply): the schema checks them and errors name them. The
 * digest covers the overrides. */
enum ps_status cfg_arch_parse_set(const char *path, const struct cfg_sets *sets,
				  const struct cfg_family_schema *const *fams,
				  size_t n_fams, struct cfg_arch *a,
				  struct ps_err *err);

/* A field of a parsed arch by its path (cfg_value), fam the schema of its
 * family: "array.prefill.rows", "buffers.weight.size_kib", "pe.lut_k". */
enum ps_status cfg_arch_value(const struct cfg_arch *a,
			      const struct cfg_family_schema *fam,
			      const char *path, char *buf, size_t n,
			      struct ps_err *err);

/* The weight format spec for a model and phase (0 prefill, 1 decode): the
 * per-model entry if it gives one, else the default. */
const char *cfg_arch_weight_spec(const struct cfg_arch *a, const char *model,
				 int phase);

/* Line of a key read from the file ("weights.prefill"), 0 if none. */
uint32_t cfg_arch_line(const struct cfg_arch *a, const char *field);

/* "file:line: field: message" (line left out when unknown) into err. */
enum ps_status cfg_arch_errf(const struct cfg_arch *a, const char *field,
			     struct ps_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

const struct cfg_shape *cfg_arch_shape(const struct cfg_arch *a, int phase);

/* Buffer by name, or NULL. */
const struct cfg_buffer *cfg_arch_buffer(const struct cfg_arch *a,
					 const char *name);

uint64_t cfg_arch_pes(const struct cfg_arch *a, int phase);

/* Path of an energy table id: next to the arch's configs/ tree. */
void cfg_energy_path(const struct cfg_arch *a, char *buf, size_t n);

uint64_t cfg_fnv1a(const void *data, size_t n, uint64_t h);
/* FNV-1a of a file's bytes (0 if it cannot be read). */
uint64_t cfg_fnv1a_file(const char *path);
#define CFG_FNV_INIT 0xcbf29ce484222325ull

#endif

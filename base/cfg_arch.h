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

/* How consecutive folds (array passes) of a tile share the pipeline
 * (README "Systolic timing"): overlapped - the next fold's operands follow
 * the previous ones through the skew, only the first fill and the last
 * drain are exposed; scale-sim - every fold pays its full fill and drain,
 * SCALE-Sim v2's per-fold formulas for WS and OS. */
enum cfg_folds { CFG_FOLDS_OVERLAPPED, CFG_FOLDS_SCALESIM };
extern const char *const cfg_folds_names[];

/* What the mapper minimizes first (then the others, in this order). */
enum cfg_map_objective { CFG_MAP_CYCLES, CFG_MAP_TRAFFIC, CFG_MAP_ENERGY };
extern const char *const cfg_map_objective_names[];

/* The buffers pesim's compiler and engine use, by name. */
extern const char *const cfg_buffer_roles[];

#define CFG_MAX_BUFFERS 8
#define CFG_MAX_MODEL_WEIGHTS 32
#define CFG_SPEC_LEN 48		/* a weight format spec (fmt_qspec.h) */

struct cfg_shape {
	uint32_t rows, cols;
};

struct cfg_buffer {
	char name[32];		/* one of cfg_buffer_roles */
	double size_kib;
	uint32_t banks;		/* each with its own port of port_bits */
	uint32_t port_bits;	/* bits per cycle of one bank's port, 0: unlimited */
	bool double_buffered;	/* two slots (ping-pong halves) per operand */
	double area_um2;	/* 0 when unknown; added to the run's area */
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
		/* one PE, with registers: what area_source gives (cfg_area.h),
		 * resolved when the file is parsed */
		double area_um2;
		char area_source[96];	/* rtl:DESIGN, paper, or estimate ("") */
		double area_paper_um2;	/* the paper's figure (0: none), printed
					 * beside; area_source paper takes it */
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
		int folds;		/* enum cfg_folds */
	} array;
	struct {
		int objective;		/* enum cfg_map_objective */
	} mapper;
	struct cfg_buffer buffers[CFG_MAX_BUFFERS];
	size_t n_buffers;
	struct {
		uint32_t bits_per_cycle;	/* the interface's peak */
		/* the fraction of the peak the channel achieves (default 1):
		 * every transfer is timed by cfg_arch_dram_bits */
		double efficiency;
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

/* The DRAM channel's achieved bits per cycle: floor(bits_per_cycle x
 * efficiency), at least 1; what every transfer is timed by. */
uint64_t cfg_arch_dram_bits(const struct cfg_arch *a);

/* A field of a parsed arch by its path (cfg_value), fam the schema of its
 * family: "array.prefill.rows", "buffers.weight.size_kib", "pe.lut_k". */
enum ps_status cfg_arch_value(const struct cfg_arch *a,
			      const struct cfg_family_schema *fam,
			      const char *path, char *buf, size_t n,
			      struct ps_err *err);

/* The rules across keys the schema cannot say (buffer roles, banks of a
 * double-buffered buffer, acc_bits without an output buffer);
 * cfg_arch_parse runs them, and so may a caller that changed a loaded
 * arch. */
enum ps_status cfg_arch_check(const struct cfg_arch *a, struct ps_err *err);

/* The generic schema (the family's pe: keys come from its descriptor). */
const struct cfg_field *cfg_arch_schema(void);

/* Bits per cycle a buffer moves into or out of one of `slots` slots: a
 * double-buffered buffer gives each slot half its banks (the slot being
 * filled and the slot being read use different banks); 0: unlimited. */
uint64_t cfg_buffer_slot_bits(const struct cfg_buffer *b, uint32_t slots);

/* Cycles a DMA of `bytes` takes between DRAM and buffer b (NULL: none)
 * used with `slots` slots: the DRAM channel (bytes rounded up to whole
 * bursts, bits_per_cycle) or the buffer's ports, whichever is slower. */
uint64_t cfg_arch_xfer_cycles(const struct cfg_arch *a, const struct cfg_buffer *b,
			      uint32_t slots, uint64_t bytes);

/* The same from the rates (dram_bits: cfg_arch_dram_bits; port_bits:
 * cfg_buffer_slot_bits, 0 unlimited; burst: dram.burst_bytes), for a
 * caller that times many transfers on one arch (the mapper's search), in
 * two parts: the channel's, then the slower of it and the ports'. */
static inline uint64_t cfg_xfer_dram_cycles(uint64_t bytes, uint64_t burst,
					    uint64_t dram_bits)
{
	uint64_t moved = burst ? (bytes + burst - 1) / burst * burst : bytes;
	return (moved * 8 + dram_bits - 1) / dram_bits;
}

static inline uint64_t cfg_xfer_port_cycles(uint64_t bytes, uint64_t dram_cycles,
					    uint64_t port_bits)
{
	if (port_bits && (bytes * 8 + port_bits - 1) / port_bits > dram_cycles)
		return (bytes * 8 + port_bits - 1) / port_bits;
	return dram_cycles;
}

static inline uint64_t cfg_xfer_cycles(uint64_t bytes, uint64_t burst,
				       uint64_t dram_bits, uint64_t port_bits)
{
	return cfg_xfer_port_cycles(bytes, cfg_xfer_dram_cycles(bytes, burst, dram_bits),
				    port_bits);
}

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

/* FILE in configs/FOLDER/ beside the arch's configs/arch/ tree (an arch
 * given as arch/... : FOLDER/FILE), else in the installed data. */
void cfg_arch_data_path(const struct cfg_arch *a, const char *folder,
			const char *file, char *buf, size_t n);

/* Path of an energy table id: $PESIM_ENERGY_DIR, else cfg_arch_data_path's
 * energy/ folder. */
void cfg_energy_path(const struct cfg_arch *a, char *buf, size_t n);

uint64_t cfg_fnv1a(const void *data, size_t n, uint64_t h);
/* FNV-1a of a file's bytes (0 if it cannot be read). */
uint64_t cfg_fnv1a_file(const char *path);
#define CFG_FNV_INIT 0xcbf29ce484222325ull

#endif

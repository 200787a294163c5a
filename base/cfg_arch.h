/* cfg_arch.h - an accelerator architecture: PE family and its parameters,
 * array shape per phase, buffers, DRAM, and which energy table prices it.
 * Schema: README "Arch config". */
#ifndef CFG_ARCH_H
#define CFG_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"

/* PE families; names are the YAML spellings and pe_models/ registry keys. */
#define CFG_FAMILIES(X)                                                       \
	X(FP16, "fp16")                                                       \
	X(INT8, "int8")                                                       \
	X(BITFUSION, "bitfusion")                                             \
	X(ANT, "ant")                                                         \
	X(OLIVE, "olive")                                                     \
	X(BITMOD, "bitmod")                                                   \
	X(MIXPE, "mixpe")                                                     \
	X(LUT_TC, "lut_tc")                                                   \
	X(FLIGHTLLM, "flightllm")

enum cfg_family {
#define X(id, s) CFG_FAM_##id,
	CFG_FAMILIES(X)
#undef X
	CFG_FAM_N
};
extern const char *const cfg_family_names[];

enum cfg_dataflow { CFG_DF_WS, CFG_DF_OS };
extern const char *const cfg_dataflow_names[];

#define CFG_MAX_BUFFERS 8
#define CFG_MAX_MODEL_BITS 32

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

/* Weight bits of a design on one model (ANT/OliVe were profiled per model). */
struct cfg_model_bits {
	char model[64];
	double prefill, decode;
};

struct cfg_arch {
	char name[64];
	char description[256];
	double clock_mhz;
	struct {
		int family;		/* enum cfg_family */
		uint32_t lanes;		/* dot-product lanes per PE */
		bool bit_serial;	/* weights processed a term/bit per cycle */
		uint32_t act_bits, kv_bits;
		uint32_t group_size;	/* quantization group along K */
		double area_um2;	/* one PE, with registers */
		char area_source[160];	/* where area_um2 comes from (informative;
					 * "pesim area --pe X ..." is checked
					 * against pesim area by test_rtl_area) */
		char weight_format[32];	/* "fp16", "bitmod-fp4", ... (informative) */
		uint32_t nm_n;		/* N of N:M weight sparsity, M = 16 (0: dense) */
		uint32_t lut_k;		/* activations per lookup table (LUT-TC, 4) */
		uint32_t table_bits;	/* bits per table entry (16 FP16, 8 INT8) */
		uint32_t acc_bits;	/* partial-sum bits in an output buffer (32) */
	} pe;
	struct {
		double prefill, decode;	/* average stored bits per weight */
		/* quantizer spec per phase (compiler/cc_quant.h grammar, e.g.
		 * "bitmod4"); "" or "none": weights stay FP16 */
		char quant_prefill[48], quant_decode[48];
		struct cfg_model_bits per_model[CFG_MAX_MODEL_BITS];
		size_t n_per_model;
	} weight_bits;
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
};

enum ps_status cfg_arch_load(const char *path, struct cfg_arch *a,
			     struct ps_err *err);

/* Weight bits for a model and phase (0 prefill, 1 decode): the per-model
 * entry if there is one, else the default. */
double cfg_arch_weight_bits(const struct cfg_arch *a, const char *model,
			    int phase);

const struct cfg_shape *cfg_arch_shape(const struct cfg_arch *a, int phase);

/* Buffer by name, or NULL. */
const struct cfg_buffer *cfg_arch_buffer(const struct cfg_arch *a,
					 const char *name);

uint64_t cfg_arch_pes(const struct cfg_arch *a, int phase);

/* Path of an energy table id: next to the arch's configs/ tree. */
void cfg_energy_path(const struct cfg_arch *a, char *buf, size_t n);

uint64_t cfg_fnv1a(const void *data, size_t n, uint64_t h);
#define CFG_FNV_INIT 0xcbf29ce484222325ull

#endif

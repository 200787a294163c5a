/* pe.h - the descriptor every PE family provides (struct pe_family), one
 * per line of families.def, and the types it speaks in.
 *
 * base/, compiler/, sim/ and cli/ never switch on a family: they ask its
 * descriptor (pe_family_of). A descriptor holds the family's config keys,
 * the weight formats it runs, its pe_params, its operand layout, its
 * closed-form timing (the mapper's and the engine's cost model) and its
 * bit-true models; optional members may be NULL and callers handle that.
 * The RTL half of a family (designs, verify stimulus, SystemC wrapper)
 * lives in rtl/<folder>/ as rtl_family_<name> (rtl/ sits above pe_models/).
 *
 * Parameters come from the arch config (struct cfg_arch) through
 * pe_params_from_arch, so variants (bit widths, lanes) are parameters, not
 * copies. */
#ifndef PE_H
#define PE_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_arch.h"
#include "fmt_qspec.h"
#include "ps_status.h"

struct pe_params {
	uint32_t lanes;		/* dot-product lanes per PE */
	bool bit_serial;	/* BitMoD: weights a term per cycle */
	double weight_bits;	/* average stored bits per weight (may be fractional) */
	uint32_t code_bits;	/* bits of one weight code (the datapath's width) */
	uint32_t act_bits;
	uint32_t group_size;	/* quantization group along K (0: none) */
	uint32_t a_bits;	/* activation operand bits of this op (FP16: 16) */
	uint32_t scale_bits;	/* integer group-scale bits (BitMoD's dequantizer: 8) */
	bool emax_all;		/* BitMoD: exponent max over every lane (the paper's) */
	uint32_t table_bits;	/* LUT-TC table entry bits (16 FP16, 8 INT8) */
	struct fmt_qspec wq;	/* the weight format (fmt_qspec.h) */
};

/* Bits of one weight code: code_bits, or for parameters built by hand that
 * give only weight_bits, its integer part (4.0625 -> 4). */
static inline uint32_t pe_code_bits(const struct pe_params *p)
{
	return p->code_bits ? p->code_bits : (uint32_t)p->weight_bits;
}

/* An m x n x k tile on one PE array pass: m output rows, n output columns,
 * k reduction depth. */
struct pe_tile {
	uint64_t m, n, k;
};

/* The array a tile runs on. */
struct pe_array {
	uint32_t rows, cols;
	int dataflow;		/* enum cfg_dataflow */
	int folds;		/* enum cfg_folds */
};

#define PE_DF(d) (1u << (d))
#define PE_FOLDS(f) (1u << (8 + (f)))
/* pe_systolic_timing's: both dataflows, both fold conventions */
#define PE_SYSTOLIC_MODES (PE_DF(CFG_DF_WS) | PE_DF(CFG_DF_OS) |          \
			   PE_FOLDS(CFG_FOLDS_OVERLAPPED) | PE_FOLDS(CFG_FOLDS_SCALESIM))

/* Closed-form timing of one tile (one MM iteration of a trace) on the
 * array. `compat` drops pipeline fill and drain (BitMoD's method).
 *
 * A tile is a pipeline of folds (array passes). `cycles` runs from the
 * first operand in to the last result out; `interval` is how long the
 * tile holds the array's inputs: the next tile's first fold may enter
 * `interval` cycles after this tile's first one (with overlapped folds
 * that is the folds' issue time, pass-boundary stalls included, without
 * this tile's fill and drain; with SCALE-Sim's convention, or compat, it
 * is `cycles`). The operands are consumed by cycles - drain. So tiles
 * issued back to back take what one tile of all their folds takes. */
struct pe_tile_timing {
	uint64_t cycles;	/* first operand in -> last result out */
	uint64_t interval;	/* first operand in -> the next tile may start */
	uint64_t steps;		/* array steps (BitMoD's "tiles") */
	uint64_t fill, drain;	/* cycles of pipeline fill and drain included */
	uint64_t busy_pe_cycles;	/* sum over PEs of cycles doing MACs */
};

/* A weight GEMM's operands as the compiler's quantizer stored them
 * (compiler/cc_quant.h, struct cc_qtensor), for bit-true runs:
 * out[M,N] = A[M,K] x W[N,K]^T. */
struct pe_gemm {
	uint64_t M, K, N;
	const uint16_t *a;		/* [M,K] activations, FP16 bits */
	const uint16_t *w_f16;		/* [N,K] FP16 weights (unquantized), or NULL */
	const uint8_t *codes;		/* [N,K] element codes (formats/fmt.h) */
	int fmt;			/* the codes' format; -1: per group (gfmt) */
	const uint8_t *gfmt;		/* [N,G] format per group (BitMoD) */
	uint32_t group;			/* K per group; 0: one per row */
	uint64_t n_groups;
	const float *scale, *zero;	/* [N,G] effective scale, zero point */
	const uint8_t *scale_q;		/* [N,G] BitMoD integer group scale */
	const float *chan_scale;	/* [N] BitMoD channel scale */
	const uint8_t *nm_meta, *nm_vals;	/* N:M, per row (cc_quant.h) */
	uint64_t n_blocks, nm_stride;
	uint32_t nm_m;
};

/* How a GEMM's operands lie in memory, as the mapper sizes tiles and DMA
 * by it (compiler/cc_layout.c fills the generic part, the family's
 * layout hook the rest). */
struct pe_layout {
	double code_bits;	/* B codes per element (bit planes, kept N:M values) */
	double side_bits;	/* B side data per element (scales, selectors, indices) */
	double a_bits;		/* A bits per element */
	double table_bits_per_a;	/* table bits per A element (0: no tables) */
	uint32_t k_align;	/* Kt must be a multiple (or = K) */
	uint32_t group;		/* quantization group along K (0: none) */
	uint32_t out_bits;	/* bits per stored output element */
	uint32_t acc_bits;	/* bits per partial sum held on chip */
	bool dequant;		/* the family dequantizes after each group (DQ) */
	bool precompute;	/* the family builds tables from A (PRE) */
	uint32_t tables_per_k;	/* A elements per table */
	uint32_t table_entries;
	uint32_t wbits;		/* integer weight code width for MM */
};

struct pe_bt_ops;

/* A family's bit-true GEMM (struct pe_family .gemm_bt). */
typedef enum ps_status pe_gemm_bt_fn(const struct pe_params *p,
				     const struct pe_array *arr,
				     const struct pe_gemm *g, double *out,
				     uint64_t *stepped, uint64_t *closed,
				     struct ps_err *err);

struct pe_family {
	const char *name;		/* families.def name = the arch's pe.family */
	const char *folder;		/* pe_models/<folder>/, rtl/<folder>/ */
	const char *summary;		/* one line for --help and reports */

	/* ---- config ---- */
	/* The keys the family adds to the arch's pe: block, with offsets into
	 * its own struct (cfg_arch.pe.ext, at most CFG_PE_EXT_MAX bytes,
	 * read with pe_family_cfg); NULL: none. */
	const struct cfg_field *cfg_fields;
	const void *cfg_defaults;	/* that struct's defaults */
	size_t cfg_size;
	/* The weight format an arch gets when it names none. */
	const char *default_weights;
	/* Whether the PE runs weights of format q (NULL: any); false with the
	 * reason in why. */
	bool (*runs)(const struct fmt_qspec *q, char *why, size_t n);
	/* The array organisations its timing models: bit (1 << d) for each
	 * enum cfg_dataflow d it runs and (1 << (8 + f)) for each enum
	 * cfg_folds f; 0: every dataflow, overlapped folds only. An arch
	 * asking for another is refused at its line. */
	unsigned array_modes;
	/* Rules across keys (NULL: none); errors through cfg_arch_errf. */
	enum ps_status (*check)(const struct cfg_arch *a, struct ps_err *err);
	/* The family's pe_params after the generic ones (NULL: none). */
	void (*params)(const struct cfg_arch *a, struct pe_params *p);

	/* ---- compiler ---- */
	/* The family's operand layout of a weight GEMM after the generic one
	 * (NULL: generic): dequantization, tables, sparse storage. */
	void (*layout)(const struct cfg_arch *a, const struct pe_params *p,
		       struct pe_layout *l);

	/* ---- timing (the mapper's and the engine's cost model) ---- */
	/* Cycles one PE spends on one lane-group of weights (one array step).
	 * Required. */
	uint32_t (*step_cycles)(const struct pe_params *p);
	/* Closed-form timing of an m x n x k tile, fill and drain included
	 * unless compat (README "Systolic timing"). Required. */
	void (*tile_timing)(const struct pe_params *p, const struct pe_array *a,
			    const struct pe_tile *t, bool compat,
			    struct pe_tile_timing *out);
	/* Operand bits a tile reads from the weight (*w) and input (*x)
	 * buffers (NULL: the generic systolic reads, pe_tile_read_bits). */
	void (*read_bits)(const struct cfg_arch *a, const struct pe_array *arr,
			  const struct pe_tile *t, const struct pe_tile_timing *tt,
			  uint32_t wbits, uint32_t abits, uint64_t *w, uint64_t *x);
	/* Exposed cycles of dequantizing one output tile after its last group
	 * (NULL: the family has no dequantizer). */
	uint32_t (*dq_cycles)(const struct pe_params *p);
	/* A BitFusion-style fusible PE: the widest and the narrowest operand
	 * its multipliers take; a b-bit operand runs at floor(pmax / max(b,
	 * pmin)) products per cycle along its dimension (mixpe.md). NULL: one
	 * product per cycle of act_bits operands (pmax = pmin = act_bits).
	 * The MixPE compat method's PE model (sim/sim_compat_mixpe.c). */
	void (*fusion)(const struct pe_params *p, uint32_t *pmax,
		       uint32_t *pmin);

	/* ---- bit-true ---- */
	/* Run the GEMM through the family's stepped model in its array
	 * arrangement; out[M,N] gets the results (converted exactly to
	 * double), *stepped the cycles stepping took and *closed the family's
	 * closed form for the same work (they must be equal). NULL: the family
	 * has no bit-true model. */
	pe_gemm_bt_fn *gemm_bt;
	/* Its stepped models (pe_bt.h: the RTL's golden models),
	 * NULL-terminated. */
	const struct pe_bt_ops *const *bt_models;
};

/* The generic systolic timing the MAC-style families share (pe_systolic.c):
 * output-stationary or weight-stationary, lanes along K, `step` cycles per
 * lane-group. */
void pe_systolic_timing(const struct pe_array *a, const struct pe_tile *t,
			uint32_t lanes, uint32_t step, bool compat,
			struct pe_tile_timing *out);

/* The same array stepped one clock at a time, register by register, with
 * INT8 MAC PEs (pe_systolic_step.c): A [m][k], W [k][n] (row-major),
 * out [m][n] = A x W, *cycles as pe_systolic_timing counts them
 * (overlapped folds). A schedule hazard (operands of different words, a
 * result or weights overwritten early) is PS_ECHECK naming the PE and the
 * cycle. lanes <= 8. */
enum ps_status pe_systolic_step(const struct pe_array *a, const struct pe_tile *t,
				uint32_t lanes, uint32_t step, const int8_t *A,
				const int8_t *W, int32_t *out, uint64_t *cycles,
				struct ps_err *err);

/* Every family, in families.def order, NULL-terminated (pe_family.c). */
extern const struct pe_family *const pe_families[];
size_t pe_family_count(void);
/* By name, or NULL. */
const struct pe_family *pe_family_find(const char *name);
/* The family of a loaded arch. */
const struct pe_family *pe_family_of(const struct cfg_arch *a);
/* A layout hook: the weights are dequantized after each group (codes go
 * to the PEs as they are stored; BitMoD, MixPE). */
void pe_layout_dequant(const struct cfg_arch *a, const struct pe_params *p,
		       struct pe_layout *l);
/* The family's own config struct of an arch (its pe: keys). */
static inline const void *pe_family_cfg(const struct cfg_arch *a)
{
	return a->pe.ext;
}

/* Load an arch file: the generic schema and its family's keys
 * (cfg_arch_parse), then the weight formats (each parsed, run by the
 * family) and the family's rules. Every error names file:line: field. */
enum ps_status pe_arch_load(const char *path, struct cfg_arch *a,
			    struct ps_err *err);
/* Same, with overrides (--set path=value, sweep points) applied to the
 * file's document before the walk (cfg_arch_parse_set). */
enum ps_status pe_arch_load_set(const char *path, const struct cfg_sets *sets,
				struct cfg_arch *a, struct ps_err *err);
/* A field of a loaded arch by its path, as text (cfg_value): the file's,
 * an override's or the default; family keys under their family only. */
enum ps_status pe_arch_value(const struct cfg_arch *a, const char *path,
			     char *buf, size_t n, struct ps_err *err);

/* The weight format of a model and phase (0 prefill, 1 decode): the
 * per-model spec if the arch gives one, else the default. The arch must
 * have been loaded by pe_arch_load (its specs are valid). */
void pe_weight_format(const struct cfg_arch *a, const char *model, int phase,
		      struct fmt_qspec *q);
/* Its stored bits per weight. */
double pe_weight_bits(const struct cfg_arch *a, const char *model, int phase);

void pe_params_from_arch(const struct cfg_arch *a, const char *model,
			 int phase, struct pe_params *p);

/* The family's fusion range (pe_family.fusion, or act_bits for both). */
void pe_fusion(const struct cfg_arch *a, const struct pe_params *p,
	       uint32_t *pmax, uint32_t *pmin);

/* The array of a phase as the timing sees it. */
void pe_array_of(const struct cfg_arch *a, int phase, struct pe_array *arr);

/* Operand bits a tile reads from the weight (*w) and input (*x) buffers:
 * the family's read_bits, or the generic systolic reads: output-stationary
 * arrays read a lane-group of weights per row and of activations per
 * column every step; weight-stationary arrays read each pass's weights once
 * and a lane-group of activations per row every step. wbits, abits: the
 * operands' widths (the MM record's). */
void pe_tile_read_bits(const struct cfg_arch *a, int phase,
		       const struct pe_tile *t, const struct pe_tile_timing *tt,
		       uint32_t wbits, uint32_t abits, uint64_t *w, uint64_t *x);

/* The family's rules and the weight formats of a loaded arch (what
 * pe_arch_load checks after parsing; also for an arch changed in memory). */
enum ps_status pe_arch_check(const struct cfg_arch *a, struct ps_err *err);

#endif

/* pe.h - the interface every PE family implements (struct pe_ops).
 *
 * The engine and the compat model never switch on the family: they ask the
 * family's ops. An ops table carries a version; optional methods may be NULL
 * and callers handle that. Version 2 (this file) holds the timing methods;
 * the bit-true step and action counters join in a later version.
 *
 * Parameters come from the arch config (struct cfg_arch) through
 * pe_params_from_arch, so variants (bit widths, lanes) are parameters, not
 * copies. */
#ifndef PE_H
#define PE_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_arch.h"
#include "ps_status.h"

#define PE_OPS_VERSION 2

struct pe_params {
	uint32_t lanes;		/* dot-product lanes per PE */
	bool bit_serial;
	double weight_bits;	/* average stored bits per weight (may be fractional) */
	uint32_t act_bits;
	uint32_t group_size;
	uint32_t a_bits;	/* activation operand bits of this op (FP16: 16) */
	uint32_t scale_bits;	/* integer group-scale bits (BitMoD's dequantizer: 8) */
	uint32_t table_bits;	/* LUT-TC table entry bits (16 FP16, 8 INT8) */
};

/* An m x n x k tile on one PE array pass: m output rows, n output columns,
 * k reduction depth. */
struct pe_tile {
	uint64_t m, n, k;
};

/* The array a tile runs on. */
struct pe_array {
	uint32_t rows, cols;
	int dataflow;		/* enum cfg_dataflow */
};

/* Closed-form timing of one tile (one MM iteration of a trace) on the
 * array. `compat` drops pipeline fill and drain (BitMoD's method). */
struct pe_tile_timing {
	uint64_t cycles;	/* first operand in -> last result out */
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

struct pe_ops {
	unsigned version;
	const char *name;		/* registry key, = cfg family name */
	const char *summary;		/* one line for --help and reports */
	/* Cycles one PE spends on one lane-group of weights (one array step).
	 * Required. */
	uint32_t (*step_cycles)(const struct pe_params *p);
	/* Closed-form timing of an m x n x k tile, fill and drain included
	 * unless compat (README "Systolic timing"). Required from version 2. */
	void (*tile_timing)(const struct pe_params *p, const struct pe_array *a,
			    const struct pe_tile *t, bool compat,
			    struct pe_tile_timing *out);
	/* Exposed cycles of dequantizing one output tile after its last group
	 * (NULL: the family has no dequantizer). */
	uint32_t (*dq_cycles)(const struct pe_params *p);
	/* Bit-true: run the GEMM through the family's stepped model in its
	 * array arrangement; out[M,N] gets the results (converted exactly to
	 * double), *stepped the cycles stepping took and *closed the family's
	 * closed form for the same work (they must be equal). NULL: the family
	 * has no bit-true model. */
	enum ps_status (*gemm_bt)(const struct pe_params *p,
				  const struct pe_array *arr,
				  const struct pe_gemm *g, double *out,
				  uint64_t *stepped, uint64_t *closed,
				  struct ps_err *err);
};

/* The ops of a family (enum cfg_family), or NULL if pesim has no model of
 * that family yet. */
/* The generic systolic timing the MAC-style families share (pe_systolic.c):
 * output-stationary or weight-stationary, lanes along K, `step` cycles per
 * lane-group, lane_mult extra MACs per lane per cycle (BitFusion fusion). */
void pe_systolic_timing(const struct pe_array *a, const struct pe_tile *t,
			uint32_t lanes, uint32_t step, bool compat,
			struct pe_tile_timing *out);

const struct pe_ops *pe_family_ops(int family);

void pe_params_from_arch(const struct cfg_arch *a, const char *model,
			 int phase, struct pe_params *p);

#endif

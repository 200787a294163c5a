/* pe_baseline.h - bit-true, cycle-stepped models of the baseline PEs the
 * papers compare against: FP16 MAC, INT8 MAC, BitFusion-style fusible
 * 8/4-bit MAC, ANT (int4/flint4 decode + FP16xINT8 FMA) and OliVe (pair
 * decode + two-lane FP16 fused dot). Ports, pipeline and rounding of each:
 * README.md in this folder.
 *
 * Every model is a struct pe_bt_ops (pe_bt.h) with the same two-stage
 * shape, written once (pe_bl_mac.inc, instantiated by each PE's file):
 * stage 1 registers the (decoded / multiplied) operands of a beat,
 * stage 2 adds them into the accumulator and, on the beat marked in_last,
 * registers the result on out_acc with a one-cycle out_valid pulse and
 * restarts the accumulator at zero. Dots run back to back with no bubble,
 * so an output-stationary stream of d dots of b beats takes
 *   cycles = d * b + 1          (0 if d * b = 0)
 * edges from the first beat's edge to the edge that shows the last result:
 * the closed forms below. */
#ifndef PE_BASELINE_H
#define PE_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pe_bt.h"

/* Action counters, kept in each model's state and cleared by init/reset.
 * They count hardware events; a separate energy table prices them. */
struct pe_bl_actions {
	uint64_t cycles;	/* rising edges */
	uint64_t beats;		/* edges that sampled in_valid = 1 */
	uint64_t macs;		/* multiplier lanes fired: beats x lanes of the
				 * beat's mode (zero-padded lanes included) */
	uint64_t acc_writes;	/* stage-2 accumulator updates */
	uint64_t results;	/* out_valid pulses */
	uint64_t decodes;	/* ANT: weight codes; OliVe: pair codes */
	uint64_t outliers;	/* OliVe: pairs decoded on the outlier path */
	uint64_t reserved;	/* reserved codes seen (README "Decode") */
	uint64_t mode_beats[4];	/* BitFusion: beats per mode, index
				 * a_mode | w_mode << 1 (1 = 4-bit operand) */
};

/* The counters of any model below, given its state. */
void pe_bl_actions(const void *state, struct pe_bl_actions *out);

extern const struct pe_bt_ops pe_fp16_mac_bt;		/* "fp16_mac" */
extern const struct pe_bt_ops pe_int8_mac_bt;		/* "int8_mac" */
extern const struct pe_bt_ops pe_bitfusion_mac_bt;	/* "bitfusion_mac" */
extern const struct pe_bt_ops pe_ant_mac_bt;		/* "ant_mac" */
extern const struct pe_bt_ops pe_olive_mac_bt;		/* "olive_mac" */
/* four-lane DP4 units of the FP16 and INT8 MACs: one tree-summed beat of
 * 4 products per edge (the LUT Tensor Core's comparison units) */
extern const struct pe_bt_ops pe_fp16_dp4_mac_bt;	/* "fp16_dp4_mac" */
extern const struct pe_bt_ops pe_int8_dp4_mac_bt;	/* "int8_dp4_mac" */

/* Weight format select (the w_fmt input port). */
enum pe_ant_fmt { PE_ANT_INT4 = 0, PE_ANT_FLINT4 = 1 };
enum pe_olive_fmt { PE_OLIVE_FLINT = 0, PE_OLIVE_INT = 1 };	/* olive4, olive4i */

/* Closed-form cycles of an m x n x k tile on one PE: m*n dots of depth k,
 * streamed back to back (output stationary), first beat to last result.
 * BitFusion's a_bits/w_bits are 4 or 8 (narrower operands run as 4). */
uint64_t pe_bl_stream_cycles(uint64_t dots, uint64_t beats_per_dot);
uint64_t pe_fp16_mac_cycles(uint64_t m, uint64_t n, uint64_t k);
uint64_t pe_int8_mac_cycles(uint64_t m, uint64_t n, uint64_t k);
uint64_t pe_bitfusion_mac_cycles(uint64_t m, uint64_t n, uint64_t k,
				 unsigned a_bits, unsigned w_bits);
uint64_t pe_ant_mac_cycles(uint64_t m, uint64_t n, uint64_t k);
uint64_t pe_olive_mac_cycles(uint64_t m, uint64_t n, uint64_t k);

/* Stream one dot product of k elements through a freshly reset model (one
 * beat per cycle, in_last on the last beat) and return its result. If
 * cycles is not NULL it receives the edges stepped until out_valid showed
 * the result; act (may be NULL) the model's counters at that point. k = 0:
 * no beat, result 0, 0 cycles.
 *
 * FP16 operands and results are binary16 bit patterns. */
uint16_t pe_fp16_mac_run_dot(const uint16_t *a, const uint16_t *w, size_t k,
			     uint64_t *cycles, struct pe_bl_actions *act);
int32_t pe_int8_mac_run_dot(const int8_t *a, const int8_t *w, size_t k,
			    uint64_t *cycles, struct pe_bl_actions *act);
/* The DP4 units: `beats` beats of 4 elements each (a[4b .. 4b+3]). */
uint16_t pe_fp16_dp4_run_dot(const uint16_t *a, const uint16_t *w, size_t beats,
			     uint64_t *cycles, struct pe_bl_actions *act);
int32_t pe_int8_dp4_run_dot(const int8_t *a, const int8_t *w, size_t beats,
			    uint64_t *cycles, struct pe_bl_actions *act);
/* a_bits, w_bits in {4, 8}: a 4-bit operand is the low nibble of its
 * int8_t, read as signed (-8..7). */
int32_t pe_bitfusion_mac_run_dot(const int8_t *a, const int8_t *w, size_t k,
				 unsigned a_bits, unsigned w_bits,
				 uint64_t *cycles, struct pe_bl_actions *act);
/* w: 4-bit codes of fmt (enum pe_ant_fmt), on the format's integer grid. */
uint16_t pe_ant_mac_run_dot(const uint16_t *a, const uint8_t *w, size_t k,
			    int fmt, uint64_t *cycles,
			    struct pe_bl_actions *act);
/* pairs: ceil(k/2) OliVe pair codes ((odd << 4) | even) of fmt (enum
 * pe_olive_fmt); a: k activations (an odd k pads the last pair's odd
 * activation with +0). */
uint16_t pe_olive_mac_run_dot(const uint16_t *a, const uint8_t *pairs,
			      size_t k, int fmt, uint64_t *cycles,
			      struct pe_bl_actions *act);

/* ---- bit-true GEMMs on arrays of these PEs (pe_baseline_gemm.c):
 * pe_family.gemm_bt of the fp16, int8, bitfusion, ant and olive families,
 * each defined in its PE's file ---- */
#define PE_BL_GEMM_BT(fn)                                                     \
	enum ps_status fn(const struct pe_params *p, const struct pe_array *arr, \
			  const struct pe_gemm *g, double *out,                   \
			  uint64_t *stepped, uint64_t *closed, struct ps_err *err)
PE_BL_GEMM_BT(pe_fp16_gemm_bt);
PE_BL_GEMM_BT(pe_int8_gemm_bt);
PE_BL_GEMM_BT(pe_bitfusion_gemm_bt);
PE_BL_GEMM_BT(pe_ant_gemm_bt);
PE_BL_GEMM_BT(pe_olive_gemm_bt);

/* What the GEMM driver holds for a PE's hooks. */
struct pe_bl_gemm {
	const struct pe_gemm *g;
	const struct pe_params *p;
	int8_t *a8;		/* INT8 activations (pe_bl_gemm_w8) */
	double a_scale;
	int8_t *w8;		/* INT weights per row (pe_bl_gemm_w8) */
	uint8_t *pairs;		/* OliVe pair codes per row */
	uint16_t *wf16;		/* FP16 weights dequantized from codes */
	int fmt;		/* the PE's w_fmt */
};

/* What differs per PE: the weights as it reads them (may fill w8, a8,
 * pairs, fmt; the driver frees them), output (m, n) through run_dot with
 * its cycles, and the closed form of one PE streaming `dots` dots. */
struct pe_bl_gemm_pe {
	enum ps_status (*prepare)(struct pe_bl_gemm *c, struct ps_err *err);
	double (*dot)(const struct pe_bl_gemm *c, uint64_t m, uint64_t n,
		      uint64_t *cyc);
	uint64_t (*closed)(const struct pe_bl_gemm *c, uint64_t dots);
};

/* The array run (pe_baseline_gemm.c README): rows x cols independent PEs,
 * output-stationary, in lockstep. */
enum ps_status pe_bl_gemm_run(const struct pe_bl_gemm_pe *pe,
			      const struct pe_params *p,
			      const struct pe_array *arr,
			      const struct pe_gemm *g, double *out,
			      uint64_t *stepped, uint64_t *closed,
			      struct ps_err *err);
#define PE_BL_GEMM_DEFINE(fn, prepare_, dot_, closed_)                        \
	PE_BL_GEMM_BT(fn)                                                     \
	{                                                                     \
		static const struct pe_bl_gemm_pe pe_ = {                     \
			.prepare = prepare_, .dot = dot_, .closed = closed_,  \
		};                                                            \
		return pe_bl_gemm_run(&pe_, p, arr, g, out, stepped, closed, err); \
	}

/* The INT PEs' operands (int8, bitfusion): per-channel INT weights decoded
 * to w8, activations quantized per tensor to INT8 (symmetric, round half
 * to even) into a8 and a_scale. `pe` names the PE in the error. */
enum ps_status pe_bl_gemm_w8(struct pe_bl_gemm *c, const char *pe,
			     struct ps_err *err);

/* ---- shared by the models (pe_baseline_bt.c) ---- */

/* A 32-bit two's complement pattern as int32_t (no implementation-defined
 * conversion). */
static inline int32_t pe_bl_i32(uint32_t r)
{
	return r & 0x80000000u ? (int32_t)(r & 0x7fffffffu) + INT32_MIN
			       : (int32_t)r;
}

/* Round-to-nearest-even of acc + sum_i a[i] * m[i] * 2^e[i] for n <= 2
 * FP16 a[i], integers m[i] with |m| <= 127 and shifts e[i] in 0..2: the
 * products and the sum are exact in double (every term is a multiple of
 * 2^-24 below 2^26), so the result is rounded once (a fused multiply-add /
 * dot-add). IEEE specials: a NaN operand, inf x 0 or inf - inf give the
 * default NaN 0x7e00; an exact zero is -0 only if acc and every product
 * are -0. */
uint16_t pe_bl_f16_fma_int(uint16_t acc, unsigned n, const uint16_t *a,
			   const int8_t *m, const uint8_t *e);

/* PS_EINPUT unless p is NULL or p->lanes <= lanes. */
enum ps_status pe_bl_check_params(const char *model, unsigned lanes,
				  const struct pe_params *p,
				  struct ps_err *err);

/* The weight formats the INT8 MAC and BitFusion run (pe_family.runs):
 * per-channel INT of at most 8 bits. */
struct fmt_qspec;
bool pe_baseline_runs_int8(const struct fmt_qspec *q, char *why, size_t n);

#endif

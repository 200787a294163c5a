/* pe_mixpe.h - MixPE (mixpe.md): a shift&add PE that multiplies INT8 or
 * FP16 activations by signed INT2..INT4 weights without a multiplier,
 * accumulates one quantization group, and dequantizes once per group:
 *   O[m,n] = sum_G s[G,n] * ( sum_{k in G} A[m,k] w[k,n] - z[G,n] sum_{k in G} A[m,k] )
 * with w = q - 2^(b-1) and z = zero - 2^(b-1) (the same values as
 * cc_quant's asymmetric mixpe-int<b>: s (q - zero) = s (w - z)).
 *
 * Bit-true models (pe_bt.h): "mixpe_pe" (one PE with the ports of its RTL,
 * including the systolic pass-through and result-drain ports) and
 * "mixpe_array" (a 4x4 output-stationary composition of mixpe_pe). Ports,
 * pipeline, rounding and the array's timing: README.md in this folder.
 * Timing-level ops: pe_mixpe_timing.c (pe_family_mixpe). */
#ifndef PE_MIXPE_H
#define PE_MIXPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pe.h"
#include "pe_bt.h"
#include "ps_status.h"

#define PE_MIXPE_MAX_LANES 4	/* a_in is 4 x 16 bits, w_in 4 x 4 bits */
/* Edges from the product stage (P) of a group's last lane-group to the
 * result register: accumulate (A), zero correction (D1), scale (D2),
 * output accumulate (D3). The timing ops' dq_cycles. */
#define PE_MIXPE_DQ_LATENCY 4
#define PE_MIXPE_GROUP_MAX 65536	/* largest group_size accepted */
#define PE_MIXPE_ARRAY_DIM 4		/* "mixpe_array" is 4 x 4 */

/* Deliberately broken variants (tests prove the checks catch them). */
#define PE_MIXPE_BUG_NO_ZERO 1u	/* drop the zero x sum(a) correction */
#define PE_MIXPE_BUG_MSB_POS 2u	/* add the weight's MSB term instead of
				 * subtracting it (reads w as unsigned) */

struct pe_mixpe_cfg {
	uint8_t wbits;		/* 2..4 (the paper's INT2 / INT4; 3 also works) */
	uint8_t lanes;		/* 1..4 weight/activation pairs per cycle */
	uint8_t fp16;		/* activation mode: 0 INT8 (W4A8), 1 FP16 (W4A16) */
	uint8_t acc_bits;	/* INT8 mode: group accumulator width */
	uint8_t sa_bits;	/* INT8 mode: sum(a) accumulator width */
	uint32_t group_max;	/* largest group held without wrap (values) */
	uint32_t bugs;		/* PE_MIXPE_BUG_* */
};

/* Action counters (hardware events; an energy table prices them). */
struct pe_mixpe_actions {
	uint64_t cycles;	/* rising edges */
	uint64_t beats;		/* edges that sampled in_valid = 1 */
	uint64_t products;	/* lane products (beats x lanes, padding included) */
	uint64_t terms;		/* shifted copies added: set weight bits */
	uint64_t acc_writes;	/* group accumulator updates */
	uint64_t dequants;	/* groups through D1..D3 */
	uint64_t results;	/* done pulses */
	uint64_t shifts;	/* result-chain moves into this PE */
};

/* One edge's inputs of a PE (the bt ports, unpacked). */
/* The row bus: what enters at the left of an array row and each PE
 * passes on to its right (registered). */
struct pe_mixpe_row_in {
	bool valid, first, glast, last;
	uint16_t w;		/* lane i at bits [4i+3:4i] */
	uint16_t scale;		/* FP16 */
	uint8_t zero;		/* signed 8-bit */
};

struct pe_mixpe_pe_in {
	struct pe_mixpe_row_in row;
	uint64_t a;		/* lane i at bits [16i+15:16i] */
	bool sh_start, sh_valid, sh_drain;
	uint16_t sh;
};

/* A PE's result register, its slot in the column's drain chain (output
 * ports). */
struct pe_mixpe_slot {
	uint8_t done, res_valid, res_drain;
	uint16_t res;
};

/* The flat state of one PE (pe_bt state_size). Registered outputs first. */
struct pe_mixpe_pe {
	struct pe_mixpe_cfg cfg;
	struct pe_mixpe_actions act;
	/* output ports */
	struct pe_mixpe_row_in row_out;
	uint64_t a_out;
	struct pe_mixpe_slot slot;
	/* P: lane products summed (INT8: exact integers; FP16: bit patterns) */
	bool p_valid, p_first, p_end, p_last;
	int32_t p_t, p_sa;
	uint16_t p_scale;
	uint8_t p_zero;
	/* A: group accumulators */
	bool g_open, g_ofirst;
	int32_t acc, sa;
	/* D1..D3: the output accumulator, and the dequantizer's events of
	 * the next edges (pe_mixpe_stage.h: pe_mixpe_dq_group), slot
	 * ev_at = this edge: bit 0 D1 takes a group, bit 1 D3 loads fin */
	uint16_t oacc;
	uint8_t ev_at, ev[PE_MIXPE_DQ_LATENCY];
	uint16_t fin[PE_MIXPE_DQ_LATENCY];
};

/* ---- PE (pe_mixpe_pe.c) ---- */

/* cfg from parameters: floor(weight_bits) in 2..4 (0: 4), a_bits (else
 * act_bits) 8 or 16 (0: 8), lanes 1..4 (0: 2, the paper's pf_w),
 * group_size 1..65536 and a multiple of lanes (0: 128). p NULL: W4A8, 2
 * lanes, groups of 128. */
enum ps_status pe_mixpe_cfg_from_params(const struct pe_params *p,
					struct pe_mixpe_cfg *cfg,
					struct ps_err *err);
/* Reset a PE to cfg (counters cleared). */
void pe_mixpe_pe_reset(struct pe_mixpe_pe *pe, const struct pe_mixpe_cfg *cfg);
/* One rising edge. */
void pe_mixpe_pe_step(struct pe_mixpe_pe *pe, const struct pe_mixpe_pe_in *in);

/* The datapath pieces, for tests that exercise them in isolation. */
/* INT8 lanes: sum_i a_i w_i and sum_i a_i over cfg->lanes lanes. */
int32_t pe_mixpe_int_lanes(const struct pe_mixpe_cfg *cfg, uint64_t a,
			   uint16_t w, int32_t *asum, uint32_t *terms);
/* FP16 x signed b-bit weight by shift&add, rounded once. */
uint16_t pe_mixpe_fp_product(uint16_t a, int w, unsigned wbits, uint32_t bugs);

extern const struct pe_bt_ops pe_mixpe_pe_bt;		/* "mixpe_pe" */

/* ---- array (pe_mixpe_array.c) ---- */

/* A rows x cols output-stationary array of PEs (README "Array"), on the
 * heap, any size. */
struct pe_mixpe_array;

enum ps_status pe_mixpe_array_new(const struct pe_mixpe_cfg *cfg,
				  unsigned rows, unsigned cols,
				  struct pe_mixpe_array **out, struct ps_err *err);
void pe_mixpe_array_free(struct pe_mixpe_array *a);
/* One edge. row[rows]: left-edge inputs; a_col[cols]: top-edge
 * activations. out_valid/out[cols]: the registered bottom-edge outputs
 * (the value leaving the result chain at this edge). */
void pe_mixpe_array_step(struct pe_mixpe_array *a,
			 const struct pe_mixpe_row_in *row,
			 const uint64_t *a_col, uint8_t *out_valid,
			 uint16_t *out);
/* The PEs' counters, summed. */
void pe_mixpe_array_sum(const struct pe_mixpe_array *a,
			struct pe_mixpe_actions *out);

extern const struct pe_bt_ops pe_mixpe_array_bt;	/* "mixpe_array" */
/* The input port words of "mixpe_array" (its n_in) for one edge of the
 * 4x4's row[4] and a_col[4]. */
void pe_mixpe_array_ports(const struct pe_mixpe_row_in *row,
			  const uint64_t *a_col, uint64_t *in);

/* Counters of a "mixpe_pe" state, or the sum over a "mixpe_array" state. */
void pe_mixpe_pe_actions(const void *state, struct pe_mixpe_actions *out);
void pe_mixpe_array_actions(const void *state, struct pe_mixpe_actions *out);
/* d += a, counter by counter. */
void pe_mixpe_actions_add(struct pe_mixpe_actions *d, const struct pe_mixpe_actions *a);
/* Set PE_MIXPE_BUG_* in every PE of a "mixpe_array" state. */
void pe_mixpe_array_set_bugs(void *state, uint32_t bugs);

/* ---- GEMM through the stepped array (pe_mixpe_gemm.c) ---- */

/* out[m,n] = sum_G s (sum_k a w - z sum_k a), groups of p->group_size
 * along K. */
struct pe_mixpe_gemm {
	uint64_t m, n, k;
	const uint16_t *a;	/* [m*k] FP16 bits, or INT8 in the low byte */
	const int8_t *w;	/* [n*k] signed weights -2^(b-1) .. 2^(b-1)-1 */
	const uint16_t *scale;	/* [n*groups] FP16 bits */
	const int8_t *zero;	/* [n*groups] signed zero points */
	uint16_t *out;		/* [m*n] FP16 bits */
};

/* The schedule the controller follows (README "Array timing"). */
struct pe_mixpe_sched {
	unsigned rows, cols, lanes;
	uint64_t group, groups;		/* group size, groups per row of K */
	uint64_t S;			/* lane-groups per pass: ceil(k/lanes) */
	uint64_t passes, pn;		/* passes; N chunks (passes = M chunks x pn) */
	uint64_t delta;			/* cycles between passes: max(S, rows) */
};

enum ps_status pe_mixpe_sched_init(const struct pe_params *p,
				   const struct pe_array *arr,
				   const struct pe_mixpe_gemm *g,
				   struct pe_mixpe_sched *s, struct ps_err *err);
/* The array's edge inputs at cycle t (rows + cols words). */
void pe_mixpe_feed(const struct pe_mixpe_sched *s, const struct pe_mixpe_gemm *g,
		   uint64_t t, struct pe_mixpe_row_in *row, uint64_t *a_col);
/* Output number j of column c (they leave bottom row first, pass by
 * pass): its (m, n), false if it is padding. */
bool pe_mixpe_out_index(const struct pe_mixpe_sched *s,
			const struct pe_mixpe_gemm *g, unsigned c, uint64_t j,
			uint64_t *m, uint64_t *n);

/* Run g through a freshly reset arr->rows x arr->cols output-stationary
 * array of PEs configured from p (cfg_from_params); *cycles = edges from
 * the first operand to the edge that shows the last result. act (may be
 * NULL): the PEs' counters summed. bugs: PE_MIXPE_BUG_* for every PE. */
enum ps_status pe_mixpe_run_gemm(const struct pe_params *p,
				 const struct pe_array *arr,
				 const struct pe_mixpe_gemm *g, uint32_t bugs,
				 uint64_t *cycles, struct pe_mixpe_actions *act,
				 struct ps_err *err);

/* ---- timing (pe_mixpe_timing.c) ---- */

/* Effective lanes and cycles per array step of an op (README "Timing"). */
void pe_mixpe_lanes_step(const struct pe_params *p, uint32_t *lanes,
			 uint32_t *step);
/* Closed form of run_gemm's cycles: pe_systolic_timing (output-stationary)
 * + PE_MIXPE_DQ_LATENCY; 0 for an empty tile. */
uint64_t pe_mixpe_tile_cycles(const struct pe_params *p,
			      const struct pe_array *arr, uint64_t m,
			      uint64_t n, uint64_t k);

/* pe_ops.gemm_bt (pe_mixpe_bt_gemm.c). */
pe_gemm_bt_fn pe_mixpe_gemm_bt;

#endif

/* pe_bitmod_bt.h - the bit-true BitMoD PE, its 4x4 output-stationary array
 * and the GEMM driver over them (README.md in this folder has the ports,
 * the pipeline and every rounding rule; bitmod.md is the hardware source).
 *
 * Numbers inside the PE are integers with an exponent: a value is
 * M * 2^(E - PE_BITMOD_BIAS). An FP16 activation is sig * 2^(ea - 25)
 * (sig the 11-bit significand, ea = max(exponent field, 1)); alignment
 * keeps PE_BITMOD_GUARD extra fraction bits, hence the bias 25 + 3 = 28. */
#ifndef PE_BITMOD_BT_H
#define PE_BITMOD_BT_H

#include <stdbool.h>
#include <stdint.h>

#include "pe.h"
#include "pe_bt.h"
#include "ps_status.h"

#define PE_BITMOD_MAX_LANES 4	/* the a / w_term buses are sized for 4 */
#define PE_BITMOD_GUARD 3	/* alignment keeps 3 bits below the significand */
#define PE_BITMOD_BIAS 28	/* 25 (FP16 significand lsb at ea = 0) + GUARD */
#define PE_BITMOD_MW_DEFAULT 15	/* group accumulator mantissa (bitmod.md) */
#define PE_BITMOD_MW_MIN 4
#define PE_BITMOD_MW_MAX 23	/* MW + scale_bits + 1 <= 32 (out_man port) */
#define PE_BITMOD_SB_DEFAULT 8	/* integer group scale bits */
/* Edges from a group's last term's input edge to out_valid: the input
 * edge itself (exponent match -> S1), adder tree (S2), group accumulate /
 * hand-off, then scale_bits dequantizer edges: 2 + scale_bits. */
#define PE_BITMOD_PIPE 2
#define PE_BITMOD_CS_FIFO 4	/* channel scales in flight per array row */

extern const struct pe_bt_ops pe_bitmod_pe_bt;		/* "bitmod_pe" */
extern const struct pe_bt_ops pe_bitmod_array4x4_bt;	/* "bitmod_array4x4" */

/* ---- weight types: the 5-bit w_type field of the array's w_ctl port ----
 *   0b0_bbbb  INT-b two's complement, b = 2..8 (radix-4 Booth)
 *   0b1_f_sss FP3 (f = 0) or FP4 (f = 1), sign-magnitude on fmt.def's integer
 *             grid; sss = the special value in the -0 code: 0 none (plain
 *             FP, -0 = 0), 1 ER_POS, 2 ER_NEG, 3 EA_POS, 4 EA_NEG. */
#define PE_BITMOD_WT_FP 0x10u
#define PE_BITMOD_WT_FP4 0x08u

/* w_type of a format (enum fmt_id), or -1 if the PE cannot run it. */
int pe_bitmod_wtype_of_fmt(int fmt_id);
/* Format of a w_type, or -1 for a reserved encoding. */
int pe_bitmod_fmt_of_wtype(unsigned wtype);
/* Term cycles a weight of this type needs (INT-b: ceil(b/2); FP: 2); 0 for
 * a reserved encoding. */
unsigned pe_bitmod_wtype_terms(unsigned wtype);
/* The edge decoder: term t (0..3) of a weight code as the 4-bit lane field
 * {s, e[1:0], m} (bit 3 = sign, bits 2:1 = exponent, bit 0 = mantissa), and
 * the bit position shared by all lanes in term cycle t. A term beyond the
 * type's count, or of a reserved type, is 0 (no product). */
unsigned pe_bitmod_term(unsigned wtype, unsigned code, unsigned t);
unsigned pe_bitmod_bitpos(unsigned wtype, unsigned t);
/* Term cycles per weight the array runs at for stored bits b: every group
 * of the GEMM is padded to this (ceil(floor(b)/2), as pe_bitmod.c). */
unsigned pe_bitmod_term_cycles(double weight_bits);

/* ---- configuration ---- */
struct pe_bitmod_cfg {
	uint32_t lanes;		/* 1..4 */
	uint32_t mant_bits;	/* group accumulator mantissa MW, 4..23 */
	uint32_t scale_bits;	/* integer group scale bits, 1..8 */
	/* the exponent match's maximum over every lane in use (the paper's
	 * and the authors' exp_match.v), not only the lanes with a nonzero
	 * product (README "PE pipeline") */
	bool emax_all;
	/* Broken variant for the cross-check tests: the dequantizer keeps its
	 * old accumulator on start (the public RTL's bug). Never set it
	 * outside tests. */
	bool bug_dq_noclear;
};

/* Defaults from the arch parameters: lanes, scale_bits and emax_all from
 * p (0 -> 4 and 8), MW 15. */
void pe_bitmod_cfg_default(const struct pe_params *p, struct pe_bitmod_cfg *c);
enum ps_status pe_bitmod_cfg_check(const struct pe_bitmod_cfg *c,
				   struct ps_err *err);

/* ---- action counters (summed over PEs by the array) ---- */
struct pe_bitmod_actions {
	uint64_t cycles;	/* clock edges seen (per PE) */
	uint64_t term_cycles;	/* edges with in_valid */
	uint64_t lane_terms;	/* lanes with a nonzero AND product */
	uint64_t lane_zero;	/* valid lanes skipped: zero term or activation */
	uint64_t acc_norm;	/* group accumulations that renormalized */
	uint64_t dq_cycles;	/* bit-serial dequantizer steps */
	uint64_t dq_adds;	/* ... of which added the group sum (bit = 1) */
	uint64_t out_adds;	/* dequantized groups added to an output (at
				 * the array's row edge) */
	uint64_t outputs;	/* outputs completed (array: results leaving;
				 * one PE: out_valid pulses, one per group) */
	uint64_t edge_muls;	/* channel-scale multiplies at the array edge */
	uint64_t hops;		/* operand moves between neighbouring PEs */
};

/* ---- one PE ---- */
#define PE_BITMOD_C_VALID 1u
#define PE_BITMOD_C_FIRST 2u
#define PE_BITMOD_C_LAST 4u
#define PE_BITMOD_C_OLAST 8u

/* The PE's input ports of one cycle (the bt port table packs the same). */
struct pe_bitmod_in {
	uint8_t ctl;		/* PE_BITMOD_C_* */
	uint8_t bitpos;		/* w_bitpos, 3 bits */
	uint16_t term;		/* w_term: 4 bits per lane */
	uint8_t sbit;		/* w_sbit: a group scale bit (README "PE ports") */
	uint64_t a;		/* 4 FP16 activations, lane i in bits 16i.. */
};

/* The registers of a PE, X(type, name) each: S1 (the adder tree's sum)
 * and S2 (control and w_sbit, sum, exponent, NaN), the group
 * accumulator, the group result register, the bit-serial dequantizer
 * (its accumulator is out_man) and the output registers. Arrays of PEs
 * keep one array per register (structure of arrays: rows of PEs step in
 * loops the compiler vectorises, all of 32 bits: MW + SB <= 31 and one
 * width keeps the loops in one vector shape); private to
 * pe_models/bitmod/ (pe_bitmod_regs.h). */
#define PE_BITMOD_REG_FIELDS(X)                                               \
	X(int32_t, ctl1) X(int32_t, t1) X(int32_t, e1) X(int32_t, nan1)       \
	X(int32_t, ctl2) X(int32_t, t2) X(int32_t, e2) X(int32_t, nan2)       \
	X(int32_t, gm) X(int32_t, ge) X(int32_t, gnan)                        \
	X(int32_t, gr_valid) X(int32_t, gr_olast) X(int32_t, gr_nan)          \
	X(int32_t, gr_e) X(int32_t, gr_m)                                     \
	X(int32_t, dq_cnt) X(int32_t, dq_acc)                                 \
	X(int32_t, out_valid) X(int32_t, out_nan) X(int32_t, out_e)           \
	X(int32_t, out_olast) X(int32_t, err)
#define PE_BITMOD_REG1(type, name) type name[1];

/* State of one PE, advanced by pe_bitmod_pe_step. Registers are private
 * to pe_bitmod_*.c; read the outputs through the out_* and err fields:
 * they are the PE's output registers (and out_m the dequantizer's
 * accumulator; r's fields of the same names stay unused). */
struct pe_bitmod_pe {
	uint8_t lanes, mw, sb, bug, emax_all;
	uint8_t bank;		/* S1/S2 bank swap (pe_bitmod_regs.h) */
	uint32_t busy;
	struct { PE_BITMOD_REG_FIELDS(PE_BITMOD_REG1) } r;
	int32_t out_valid, out_nan, out_e, out_olast, err;
	int32_t out_m;		/* a group's dequantized sum, MW + SB bits */
	struct pe_bitmod_actions act;
};

enum ps_status pe_bitmod_pe_init(struct pe_bitmod_pe *pe,
				 const struct pe_bitmod_cfg *c,
				 struct ps_err *err);
void pe_bitmod_pe_reset(struct pe_bitmod_pe *pe);
void pe_bitmod_pe_step(struct pe_bitmod_pe *pe, const struct pe_bitmod_in *in);

/* The block-floating-point add both accumulators use (README "Group
 * accumulator"): align both operands to the larger exponent with floor
 * shifts, add, then shift right (floor) until the sum fits w signed bits. */
void pe_bitmod_bfp_add(int64_t *m, unsigned *e, int64_t x, unsigned ex,
		       unsigned w, bool *renorm);

/* The array edge: M * 2^(E - 28) times the FP16 channel scale, rounded once
 * to FP16 (nearest even); nan gives 0x7e00. */
uint16_t pe_bitmod_edge_scale(int64_t m, unsigned e, bool nan, uint16_t cs);

/* ---- the output-stationary array (any rows x cols; the registered
 * "bitmod_array4x4" is the 4x4 one) ---- */
#define PE_BITMOD_W_VALID 0x001u
#define PE_BITMOD_W_FIRST 0x002u
#define PE_BITMOD_W_LAST 0x004u
#define PE_BITMOD_W_OLAST 0x008u
#define PE_BITMOD_W_TIDX(t) (((unsigned)(t) & 3u) << 4)
#define PE_BITMOD_W_TYPE(wt) (((unsigned)(wt) & 31u) << 6)

struct pe_bitmod_row_in {
	uint16_t ctl;		/* w_ctl: PE_BITMOD_W_* */
	uint32_t code;		/* w_code: 8 bits per lane */
	uint8_t sbit;		/* w_sbit: the group scale a bit per edge */
	uint16_t cscale;	/* w_cscale: FP16 channel scale (with OLAST) */
};

struct pe_bitmod_row_out {
	uint8_t valid;		/* y_valid */
	uint16_t y;		/* FP16 result */
	uint8_t col;		/* y_col: the column (m offset) it came from */
};

struct pe_bitmod_array;

enum ps_status pe_bitmod_array_new(const struct pe_bitmod_cfg *c,
				   uint32_t rows, uint32_t cols,
				   struct pe_bitmod_array **out,
				   struct ps_err *err);
void pe_bitmod_array_free(struct pe_bitmod_array *a);
void pe_bitmod_array_reset(struct pe_bitmod_array *a);
/* One clock edge: w[rows] at the left edge, act[cols] at the top edge
 * (the driver skews row r by r cycles and column c by c). out[rows]. */
void pe_bitmod_array_step(struct pe_bitmod_array *a,
			  const struct pe_bitmod_row_in *w,
			  const uint64_t *act, struct pe_bitmod_row_out *out);
/* Sticky: a schedule rule was broken (dequantizer overrun, shadow-chain
 * collision, channel-scale FIFO over/underflow, reserved w_type) or an
 * output's exponent passed 255. */
bool pe_bitmod_array_err(const struct pe_bitmod_array *a);
void pe_bitmod_array_actions(const struct pe_bitmod_array *a,
			     struct pe_bitmod_actions *sum);

/* ---- GEMM through the stepped array, and its closed form ----
 * out[M, N] = A[M, K] x W[N, K]^T, W quantized per group of G along K
 * (G = p->group_size, 0: one group of K): w_hat = q * scale_q * cscale. */
struct pe_bitmod_gemm {
	uint64_t M, N, K;
	const uint16_t *a;		/* [M*K] FP16 activations */
	const uint8_t *w;		/* [N*K] weight codes */
	const uint8_t *wfmt;		/* [N*n_groups] fmt id per group, or NULL */
	int fmt;			/* the format of every group if wfmt NULL */
	const uint8_t *scale_q;		/* [N*n_groups] integer group scales */
	const uint16_t *cscale;		/* [N] FP16 channel scales */
	uint32_t mant_bits;		/* 0: PE_BITMOD_MW_DEFAULT */
	bool bug_dq_noclear;		/* tests only */
	uint16_t *out;			/* [M*N] FP16 */
};

/* Runs g on a rows x cols output-stationary array (a->dataflow must be
 * CFG_DF_OS) and counts the clock edges from the first input to the last
 * result leaving the array. act may be NULL. */
enum ps_status pe_bitmod_run_gemm(const struct pe_params *p,
				  const struct pe_array *a,
				  const struct pe_bitmod_gemm *g,
				  uint64_t *cycles,
				  struct pe_bitmod_actions *act,
				  struct ps_err *err);

/* Closed form of the cycles pe_bitmod_run_gemm counts (README "Timing"). */
uint64_t pe_bitmod_tile_cycles(const struct pe_params *p,
			       const struct pe_array *a,
			       const struct pe_tile *t);
/* The edges the tile's passes take to enter row 0 (passes x P, README
 * "Timing"): the next tile's first pass may follow right after. */
uint64_t pe_bitmod_tile_stream(const struct pe_params *p,
			       const struct pe_array *a,
			       const struct pe_tile *t);

/* pe_ops.gemm_bt (pe.h): the compiler's quantized GEMM through
 * pe_bitmod_run_gemm (pe_bitmod_bt_gemm.c: bitmod3/4 data as is, per-group
 * INT data given two-level scales first). */
pe_gemm_bt_fn pe_bitmod_gemm_bt;

#endif

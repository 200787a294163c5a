/* cc_map.h - the mapper: tile sizes, loop order and buffer slots for one
 * GEMM on one arch, chosen by search under the buffer capacities.
 *
 * GEMM: out[M,N] = A[M,K] x B[K,N]; B is a weight (linears) or the KV cache
 * (attention). The array steps over lanes x rows x cols sub-tiles (K along
 * the lanes, N along the rows, M along the columns, as BitMoD's
 * tiles = ceil(K/lanes) ceil(N/rows) ceil(M/cols)).
 *
 * Search space: Mt in {cols * 2^i} or powers of two below cols, or M; Nt
 * likewise with rows; Kt multiples of the layout's k_align (the quantization
 * group, or what the family's layout asks) or K; loop order n-m-k or m-n-k
 * (k innermost: partial sums never leave the chip), the latter also with
 * the m tile's A strip (Mt x K) resident across n tiles as wide as the
 * array when K is tiled (CC_ORDER_MNK_A; not with LUT-TC's tables); per
 * operand one slot
 * (the whole buffer) or, in a double-buffered buffer, two (loads overlap
 * compute). Constraints: slots x tile bytes <= capacity of the weight, input
 * and output buffers; without an output buffer the output tile lives in the
 * PE accumulators (Mt <= cols and Nt <= rows) unless Kt = K.
 *
 * Estimate (cc_map_eval): the loop nest's iterations in classes (full or
 * edge tile per dimension, which operands it loads), each timed with the
 * family's tile_timing (its interval, fill and drain: tiles back to back
 * pipeline), the buffer ports, the DRAM channel (bursts, bits per cycle)
 * and latency: an iteration's MM starts max(the previous one's interval,
 * what its loads wait for) after the previous one - a single-slot operand's
 * load waits until the previous MM has consumed its operands, a
 * double-buffered one's until the MM two loads back has; a single output
 * slot makes the next output tile wait for the store; per outer tile of a
 * double-buffered outer operand, its next load holds the channel ahead of
 * the tile's stores, and it cannot start before the outer tile before has
 * freed its slot - and the whole is at least the DRAM channel's total. Energy: the actions the engine counts,
 * priced with the arch's energy table when the caller gives prices.
 * Objective (arch mapper.objective, `--map-objective`): estimated cycles,
 * DRAM traffic or energy first, then the other two in that order; a tie
 * never prefers a tile narrower than the array when a full-width one fits
 * (Mt >= min(M, cols) and Nt >= min(N, rows)), then fewer MM iterations;
 * under the cycles objective, equal estimates (both held at the DRAM
 * channel's total) rank by the schedule part first, and an A strip wins
 * only by more than the 1/64 band over the best tiling without one.
 * An infeasible GEMM is a result with a reason. */
#ifndef CC_MAP_H
#define CC_MAP_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "cfg_arch.h"
#include "pe.h"
#include "ps_status.h"
#include "wl_scenario.h"

/* K tiles of weights without quantization groups (FP16, per-channel
 * formats) are multiples of this: the search's grid along K, not a
 * hardware rule. */
#define CC_K_UNIT 128

/* CC_ORDER_MNK_A: m-n-k with K tiled and the m tile's whole A strip
 * (Mt x K) held in its slot across the n tiles: A moves once, W once per m
 * tile (the partial sums of each Mt x Nt tile stay in the array while its
 * W tiles stream). */
enum cc_order { CC_ORDER_NMK, CC_ORDER_MNK, CC_ORDER_MNK_A, CC_ORDER_N };
extern const char *const cc_order_names[];

/* Energy per action of one phase, category factors applied (the caller
 * prices from the arch's energy table; the compiler does not read it). */
struct cc_prices {
	double pe_cycle, tile_read, weight_write64, input_write64;
	double dram_read_bit, dram_write_bit;
};

struct cc_gemm {
	uint64_t M, K, N;
	int phase;		/* enum wl_phase_kind */
	int kind;		/* enum wl_op_kind */
	double w_bits;		/* stored bits per weight (arch, per model) */
	const char *model;	/* the model (per-model weight formats), or NULL */
	const struct cc_prices *prices;	/* or NULL: energy not estimated */
	uint64_t repeat;	/* copies run as one pipelined block (heads x
				 * batch, cc_emit); 0 or 1: one */
};

struct cc_mapping {
	bool feasible;
	char reason[200];
	uint64_t Mt, Kt, Nt;
	uint64_t tm, tk, tn;		/* trip counts */
	int order;			/* enum cc_order */
	uint32_t slots_a, slots_w, slots_o;
	int buf_w, buf_a, buf_o;	/* arch buffer index, -1: none */
	uint64_t w_tile_bytes, s_tile_bytes, a_tile_bytes, o_tile_bytes;
	uint64_t table_tile_bytes;
	uint64_t w_total, s_total, a_total, o_total;	/* each operand once, tile by tile */
	uint64_t dram_read_bytes, dram_write_bytes;	/* with re-loads */
	uint64_t compute_cycles;	/* the array's issue: the MMs' intervals and the
					 * table precompute (on A loads) */
	uint64_t dram_cycles;		/* every transfer on the DRAM channel */
	uint64_t est_cycles;		/* the estimate the search ranks */
	uint64_t est_sched;		/* its schedule part (before the DRAM
					 * channel's total): a tie-break */
	/* the tiling's ideal: max(issue + the loads into single slots, which
	 * cannot overlap the compute reading them, every transfer) */
	uint64_t ideal_cycles;
	double est_energy_pj;		/* 0 without prices */
	/* the bound under the buffer capacities: the least ideal_cycles of any
	 * tiling that fits them (the search's space): what each tiling needs
	 * with every overlap its slots allow; the op's copies included */
	uint64_t bound_buffers_cycles;
	struct pe_layout layout;
};

void cc_layout_for(const struct cfg_arch *a, const struct cc_gemm *g,
		   struct pe_layout *l);

/* Choose the mapping (arch mapper.objective). Returns PS_OK with
 * m->feasible false and a reason when nothing fits; an error only for bad
 * arguments. */
enum ps_status cc_map_gemm(const struct cfg_arch *a, const struct cc_gemm *g,
			   struct cc_mapping *m, struct ps_err *err);

/* Evaluate one candidate (used by the search and by tests); each operand
 * has one slot or two. */
bool cc_map_eval(const struct cfg_arch *a, const struct cc_gemm *g,
		 const struct pe_layout *l, uint64_t Mt, uint64_t Kt,
		 uint64_t Nt, int order, uint32_t slots_w, uint32_t slots_a,
		 uint32_t slots_o, struct cc_mapping *m);

/* The bound no mapping beats, per execution of a GEMM repeated `repeat`
 * times (heads): compute-bound = its MACs as one tile on the array (all
 * its folds back to back, one fill and one drain; repeats issue back to
 * back), DRAM-bound = every operand and the output moved once over the
 * channel. The achieved fraction of an op is max of the two / its cycles. */
void cc_gemm_bound(const struct cfg_arch *a, const struct cc_gemm *g,
		   uint64_t repeat, uint64_t *compute, uint64_t *dram);

/* Whole bytes of elems elements of `bits` bits (inline: the mapper's
 * search sizes every candidate's tiles). */
static inline uint64_t cc_bits_to_bytes(double elems, double bits)
{
	return (uint64_t)ceil(elems * bits / 8.0);
}

#endif

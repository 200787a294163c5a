/* sim_compat_loops.h - the DnnWeaver / BitFusion loop-tiling cost model that
 * ANT's and MixPE's evaluations fork (their `get_stats_fast` and tiling
 * search), re-implemented for the MixPE compat method. One layer is a
 * convolution K x K, stride S, O x O outputs, IC -> OC channels, batch B (a
 * linear is K = O = S = 1). The accelerator is an output-stationary array of
 * fusible PEs, nb along the batch and no along the output channels; a b-bit
 * operand runs at pf(b) = floor(pmax / max(b, pmin)) per dimension.
 *
 * For every loop order of B, OW, OH, IC, OC (outermost first) and every
 * tiling by powers of two (the whole dimension included) that fits half of
 * each buffer (double buffering), the model promotes each operand's tile
 * through the loops it depends on while it fits half its buffer (what stays
 * on chip), counts DRAM and SRAM bits, and times the tile sequence:
 *   compute = tiles x ceil(b oh ow / (nb pf_a)) x ceil(oc / (no pf_w)) x K K ic
 *   stalls  = max(0, ceil(middle DRAM bits / if_width) - compute) + latency
 * (latency: the first fills and the last drain, at if_width bits per
 * cycle). The best tiling has the fewest cycles, then the least energy of
 * the artifact's tie-break pricing (struct cl_acc). Quirks of the artifact
 * are kept and named where they are (cl_stats in sim_compat_loops.c). */
#ifndef SIM_COMPAT_LOOPS_H
#define SIM_COMPAT_LOOPS_H

#include <stdint.h>

struct cl_acc {
	uint64_t nb, no;		/* PEs along the batch, output channels */
	uint32_t pmax, pmin;		/* fusion range */
	uint64_t wbuf_bits, ibuf_bits, obuf_bits;	/* buffer capacities */
	uint64_t if_width;		/* DRAM bits per cycle */
	/* tie-break energies (pJ): per cycle and per bit */
	double core_leak, core_dyn, dram_leak;
	double wbuf_r, wbuf_w, ibuf_r, ibuf_w, obuf_r, obuf_w, dram_r, dram_w;
};

struct cl_layer {
	uint64_t K, O, S, IC, OC, B;
	uint32_t iprec, wprec;
};

/* Bits read from / written into each store. */
enum { CL_ACT, CL_WGT, CL_OUT, CL_DRAM, CL_NS };

struct cl_stats {
	uint64_t cycles, stalls, compute;
	uint64_t rd[CL_NS], wr[CL_NS];
};

/* pf of a b-bit operand. */
uint32_t cl_perf_factor(const struct cl_acc *a, uint32_t bits);

/* The stats of one tiling (num and size per loop: B, OW, OH, IC, OC) under
 * one order (indexes of those loops, outermost first); 0 when a tile
 * overflows half a buffer. */
int cl_stats(const struct cl_acc *a, const struct cl_layer *l,
	     const uint64_t num[5], const uint64_t size[5], const int order[5],
	     struct cl_stats *out);

/* The artifact's tie-break energy of a result (pJ, relative use only). */
double cl_energy(const struct cl_acc *a, const struct cl_stats *s);

/* The best tiling and order of a layer; 0 when nothing fits. */
int cl_best(const struct cl_acc *a, const struct cl_layer *l,
	    struct cl_stats *out);

#endif

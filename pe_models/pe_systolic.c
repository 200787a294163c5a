/* pe_systolic.c - closed-form timing of a tile on a rows x cols systolic
 * array, shared by the MAC-style families (README "Systolic timing").
 *
 * A tile is m x n x k: out[m,n] += A[m,k] * B[k,n] (A = activations, B =
 * weights). Each PE has `lanes` multipliers along K feeding one adder tree,
 * and one array *step* (every active PE consumes one lane-group of K) takes
 * `step` cycles: 1 for a MAC, more for a bit-serial PE. Operands and partial
 * sums move one PE per cycle whatever `step` is (one pipeline register per
 * hop), so the skew across the array is one cycle per PE.
 *
 * Output-stationary (CFG_DF_OS). PE (r,c) accumulates out[m=c][n=r]: N along
 * the rows, M along the columns, the layout BitMoD's model implies
 * (tiles = ceil(K/lanes) * ceil(N/rows) * ceil(M/cols)). Row m of A enters
 * at the top of column c and flows down; column n of B enters at the left of
 * row r and flows right; PE (r,c) starts r + c cycles after PE (0,0).
 *   passes  = ceil(m/cols) * ceil(n/rows)
 *   S       = ceil(k/lanes)              steps per pass
 *   steps   = passes * S
 *   fill    = (rows-1) + (cols-1)        operand skew to the far corner
 *   drain   = rows                       results shift out one row per cycle
 *   cycles  = fill + (passes-1) * max(S*step, rows) + S*step + drain
 * Shadow accumulators: at the end of a pass the results move to a shadow
 * register chain and shift out while the next pass computes, and the next
 * pass's operands follow the previous ones through the skew without a gap.
 * So only the first fill and the last drain are exposed, unless a pass is
 * shorter than the drain (S*step < rows): then the array waits for the
 * shadow chain, (rows - S*step) cycles per pass boundary.
 *
 * Weight-stationary (CFG_DF_WS). PE (r,c) holds lanes weights B[k][n=c]
 * for k in lane-group r: K along the rows (rows*lanes values per column), N
 * along the columns. Activation vectors A[i,:] enter from the left (row r
 * gets lane-group r, skewed by r cycles) and flow right; partial sums flow
 * down the columns and leave at the bottom edge.
 *   passes  = ceil(k/(rows*lanes)) * ceil(n/cols)
 *   steps   = passes * m                 one activation vector per step
 *   load    = rows                       weights shift in one row per cycle
 *   fill    = rows + (rows-1)            first load, then the partial sum of
 *                                        the first output crosses the rows
 *   drain   = cols-1                     the last column trails the first
 *   cycles  = rows + (passes-1) * max(m*step, rows) + m*step
 *             + (rows-1) + (cols-1)
 * Weights are double-buffered: pass p+1's weights shift in while pass p
 * computes, hidden when m*step >= rows; otherwise (decode, m = 1) every pass
 * boundary waits (rows - m*step) cycles for the load. The activations of
 * pass p+1 follow those of pass p through the skew without a gap.
 *
 * In both dataflows the stall cycles are the difference
 * cycles - (steps*step + fill + drain); pe_tile_timing has no field for them.
 * Edge passes (partial m, n or k) use the full array's skew: the controller
 * issues fixed-size wavefronts padded with zeros.
 *
 * Tiles back to back (pe.h "interval"): the tile holds the array's inputs
 * for interval = passes * max(per_pass, gap) cycles - its passes' issue
 * time plus the boundary the next tile's first pass needs (the shadow
 * drain, or the next weight load) - and the next tile's first pass follows
 * through the skew like a pass of the same tile. So a GEMM split into tiles
 * that are issued back to back takes the cycles of one tile with all their
 * passes; what splitting adds is only what the hardware adds: passes cut by
 * a tile edge (partly used wavefronts) and the boundary stall after a pass
 * shorter than the drain or the weight load.
 *
 * SCALE-Sim's convention (array.folds: scale-sim, cfg_folds): every fold
 * (pass) pays its full fill and drain, serially, with SCALE-Sim v2's
 * per-fold counts (scalesim/compute/systolic_compute_{os,ws}.py: the rows
 * of a fold's demand matrices, skew included) with T the temporal cycles
 * of the fold:
 *   OS  per fold = R + C + T - 2,   T = ceil(k/lanes) * step
 *   WS  per fold = 2R + C + T - 2,  T = m * step
 *   cycles = interval = passes * per fold
 * (SCALE-Sim maps M along the rows in OS; pesim along the columns: on a
 * non-square array compare with rows and cols swapped.) SCALE-Sim v2
 * reports "Total cycles" as the index of the last cycle, counted from 0:
 * with memory that never stalls its figure is this count minus one.
 *
 * compat (BitMoD's method, bitmod.md): cycles = steps * step, fill = drain
 * = 0. For OS this is exactly the paper's tiles * latency.
 *
 * busy_pe_cycles = sum over steps of (PEs active in that step) * step. A PE
 * is active when it holds a valid output (OS) or weight (WS) of the tile,
 * even if fewer than `lanes` of its lanes have data in the last K step. In
 * both dataflows this sums to m * n * ceil(k/lanes) * step. */
#include "pe.h"

#include <string.h>

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void pe_systolic_timing(const struct pe_array *a, const struct pe_tile *t,
			uint32_t lanes, uint32_t step, bool compat,
			struct pe_tile_timing *out)
{
	uint64_t rows = a->rows ? a->rows : 1;
	uint64_t cols = a->cols ? a->cols : 1;
	uint64_t L = lanes ? lanes : 1;
	uint64_t s = step ? step : 1;
	uint64_t passes, per_pass, gap, fold;

	memset(out, 0, sizeof *out);
	if (t->m == 0 || t->n == 0 || t->k == 0)
		return;
	out->busy_pe_cycles = t->m * t->n * cdiv(t->k, L) * s;

	if (a->dataflow == CFG_DF_WS) {
		passes = cdiv(t->k, rows * L) * cdiv(t->n, cols);
		out->steps = passes * t->m;
		per_pass = t->m * s;
		gap = rows;		/* next pass's weight load */
		fold = 2 * rows + cols + per_pass - 2;
		if (!compat) {
			out->fill = rows + (rows - 1);
			out->drain = cols - 1;
		}
	} else {
		passes = cdiv(t->m, cols) * cdiv(t->n, rows);
		out->steps = passes * cdiv(t->k, L);
		per_pass = cdiv(t->k, L) * s;
		gap = rows;		/* previous pass's shadow drain */
		fold = rows + cols + per_pass - 2;
		if (!compat) {
			out->fill = (rows - 1) + (cols - 1);
			out->drain = rows;
		}
	}
	if (compat) {
		out->cycles = out->interval = out->steps * s;
		return;
	}
	if (a->folds == CFG_FOLDS_SCALESIM) {
		out->cycles = out->interval = passes * fold;
		out->drain = fold - per_pass - out->fill;	/* per fold */
		return;
	}
	out->cycles = out->fill + (passes - 1) * max64(per_pass, gap) +
		      per_pass + out->drain;
	out->interval = passes * max64(per_pass, gap);
}

/* rpt_lut_tc.h - internal: the LUT Tensor Core report's component area
 * models (rpt_lut_tc_area.c). */
#ifndef RPT_LUT_TC_H
#define RPT_LUT_TC_H

#include <stdint.h>

/* A tile of M tables x N columns at table size K (entries of tb bits),
 * anchored at a K = 4, M2N64 tile of 128 units of unit_um2 each. */
struct lt_area_k {
	double total;	/* um2 */
	double fixed;	/* the per-output part that K does not change */
	double grows;	/* muxes, table registers, precompute adders */
};
void lt_area_k(double unit_um2, uint32_t K, uint32_t M, uint32_t N, uint32_t tb,
	       struct lt_area_k *out);

/* The ablation's four steps, W_INT2 x A_INT8, M2N64K4. */
enum { LT_ABL_N = 4 };
struct lt_ablation {
	const char *name;
	double area;	/* Yosys generic-gate units */
};
void lt_ablation(struct lt_ablation out[LT_ABL_N]);

#endif

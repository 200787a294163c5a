/* rtl_sc_lut_tc.h - the LUT Tensor Core as the SystemC co-simulation sees
 * it (README.md "LUT Tensor Core"): the M2N64K4 tile fed by two table
 * precompute units, one per activation row m, as a golden C model
 * composed of the two golden models (rtl_sc_lut_tc_core.c) and its
 * stimulus composed of theirs (`pesim verify --pe lut_tc_pre` twice and
 * `--pe lut_tc`).
 *
 * Ports of "lut_tc_core" (inputs, then outputs):
 *   pre0_valid, pre0_int8 (1), pre0_act (64)   precompute unit 0 (table m = 0)
 *   pre1_valid, pre1_int8 (1), pre1_act (64)   precompute unit 1 (table m = 1)
 *   in_valid, in_clr, in_clast, in_last, in_int8 (1), in_bitpos (3),
 *   w_0..w_3 (64), rd_addr (5)                  the tile's, as lut_tc_tile
 *   rd_data (64), seg_done (1)                  the tile's
 *   pre0_out_valid (1), pre0_asum (16), pre1_out_valid, pre1_asum
 *                                               the units' (to the output stage)
 * The tile's table bus is the units' output registers (which hold between
 * tables): tbl_0 = unit 0's tbl_0, tbl_1 = in_int8 ? unit 1's tbl_0 (its
 * INT8 codes) : unit 0's tbl_1, tbl_2/tbl_3 = unit 1's tbl_0/tbl_1,
 * tscale = {unit 1's scale, unit 0's scale}. */
#ifndef RTL_SC_LUT_TC_H
#define RTL_SC_LUT_TC_H

#include "pe_bt.h"
#include "rtl_verify.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	LTC_PRE0_VALID, LTC_PRE0_INT8, LTC_PRE0_ACT,
	LTC_PRE1_VALID, LTC_PRE1_INT8, LTC_PRE1_ACT,
	LTC_IN_VALID, LTC_IN_CLR, LTC_IN_CLAST, LTC_IN_LAST, LTC_IN_INT8, LTC_IN_BITPOS,
	LTC_W_0, LTC_W_1, LTC_W_2, LTC_W_3, LTC_RD_ADDR,
	LTC_N_IN,
	LTC_RD_DATA = LTC_N_IN, LTC_SEG_DONE, LTC_PRE0_OUT_VALID, LTC_PRE0_ASUM,
	LTC_PRE1_OUT_VALID, LTC_PRE1_ASUM,
	LTC_N_PORTS
};

/* The golden model "lut_tc_core" (its state size is the sum of the
 * composed models', known at run time); NULL if they are missing. */
const struct pe_bt_ops *rtl_sc_lut_tc_core(void);
/* Its stimulus: unit 0 gets `pesim verify --pe lut_tc_pre`'s corners and
 * random edges (seed), unit 1 the same corners one edge later and its own
 * random edges (seed + 1), the tile's control, weight and read ports
 * those of `--pe lut_tc` (seed + 2; the tables it draws are dropped: the
 * units make them); rst when any of the three asks for it. */
extern const struct rtl_stim_ops rtl_sc_lut_tc_stim;

#ifdef __cplusplus
}
#endif

#endif

/* rtl_common.c - the designs of rtl/common/ (rtl_design.h): building
 * blocks several families instantiate, synthesized by `pesim area` on
 * their own. */
#include "rtl_design.h"

const struct rtl_design rtl_common_designs[] = {
	{ .name = "fp16_add", .top = "fp16_add", .files = { "common/fp16_add.v" },
	  .what = "IEEE binary16 adder, RNE, combinational" },
	{ .name = "fp16_mul", .top = "fp16_mul", .files = { "common/fp16_mul.v" },
	  .what = "IEEE binary16 multiplier, RNE, combinational" },
	{ .name = NULL },
};

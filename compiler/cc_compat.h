/* cc_compat.h - the BitMoD paper's shapes, bytes and re-fetch rule for one
 * op (bitmod.md, "The paper's evaluation method"). One definition, used by
 * the analytical compat model (sim/sim_compat.c) and by the compiler's
 * compat mapping policy, whose traces let the engine reproduce it. */
#ifndef CC_COMPAT_H
#define CC_COMPAT_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_arch.h"
#include "ps_status.h"
#include "wl_model.h"
#include "wl_scenario.h"

/* How the compat method treats attention. */
enum cc_compat_attn {
	CC_ATTN_PUBLISHED,	/* the published version: decode reads no KV cache */
	CC_ATTN_KV_READ,	/* decode attention streams the K / V cache */
};

struct cc_compat_op {
	/* the paper's view: weight [cout, cin_w], input [rows_out, cin_i] */
	uint64_t cout, cin_w, cin_i, rows_out;
	uint64_t copies;	/* attention: once per sequence of the batch */
	bool attention, kv_input;
	double wb;		/* the design's stored weight bits */
	uint32_t code_bits;	/* floor(wb): the datatype the PE steps over */
	uint64_t tiles;		/* ceil(cin_w/lanes) ceil(cout/rows) ceil(rows_out/cols) */
	uint64_t W, I, O;	/* bytes, one copy */
	uint64_t fw, fi;	/* re-fetch factors */
	uint64_t read, write;	/* DRAM bytes of one copy: W fw + I fi, O */
	uint64_t w_wr64, i_wr64;	/* 64-bit SRAM writes of one copy */
};

enum ps_status cc_compat_op(const struct cfg_arch *a, const struct wl_model *m,
			    const struct wl_op *op, int compat_attn,
			    struct cc_compat_op *out, struct ps_err *err);

#endif

/* rtl_design.h - the RTL designs pesim knows: one row per Verilog top with
 * its files (relative to rtl/), the parameters it is synthesized with and
 * the published figure it corresponds to. `pesim area` synthesizes every
 * row. Each family lists its rows in its descriptor (rtl_family.h,
 * rtl/<folder>/rtl_<folder>.c); the building blocks several families
 * share are rtl/common/'s (rtl_common.c). */
#ifndef RTL_DESIGN_H
#define RTL_DESIGN_H

#include <stddef.h>

#define RTL_MAX_FILES 12

/* What a part of a design is, for `pesim area`'s breakdown per component
 * (beside the papers' component lists, area-reference.yaml). The top
 * module's own logic is RTL_C_CONTROL (control, and the load and reset
 * logic of the registers dfflegalize makes explicit); every flip-flop of
 * every module is RTL_C_REGISTERS. Keep rtl_component_names in order. */
enum rtl_component {
	RTL_C_DECODER,		/* weight / code decoders, ROMs */
	RTL_C_ALIGNER,		/* exponent compare, alignment shifts */
	RTL_C_MULTIPLIER,	/* multipliers, AND arrays, shifters by weight */
	RTL_C_TREE,		/* adder trees of the lanes */
	RTL_C_ACCUMULATOR,	/* accumulator adders */
	RTL_C_DEQUANT,		/* dequantizers (x scale) */
	RTL_C_NORMALIZE,	/* normalization and rounding */
	RTL_C_SELECT,		/* table lookups, MUXes, operand forwarding */
	RTL_C_CONTROL,		/* the top's own logic */
	RTL_C_REGISTERS,	/* flip-flops */
	RTL_C_COUNT
};

/* "decoder", "aligner", ... (the names area-reference.yaml uses). */
extern const char *const rtl_component_names[RTL_C_COUNT + 1];
/* enum rtl_component of a name, or -1. */
int rtl_component_find(const char *name);

/* A submodule of a design and the component it is. */
struct rtl_part {
	const char *module;	/* Verilog module name (without parameters) */
	int component;		/* enum rtl_component, or RTL_C_INHERIT */
};
/* The instance counts as the instance that holds it (a building block
 * used in two roles, such as fp16_add in an adder tree and as the
 * accumulator's adder). */
#define RTL_C_INHERIT (-1)
#define RTL_MAX_PARTS 12

struct rtl_design {
	const char *name;		/* "fp16_add", "dsp48e2_packed", ... */
	const char *top;		/* the Verilog module */
	const char *files[RTL_MAX_FILES];	/* under rtl/, NULL-terminated */
	/* yosys `chparam` settings for the top ("-set AREG 1 ..."), or NULL */
	const char *chparam;
	/* id of the entry in area-reference.yaml printed beside it, or NULL */
	const char *paper;
	const char *what;		/* one line for the table */
	/* extra `synth` options ("-noshare" where resource sharing's SAT
	 * search does not finish), or NULL */
	const char *synth_opts;
	/* minutes of Yosys: left out of --pe all, run by name */
	int slow;
	/* the breakdown per component: every submodule the top instantiates
	 * (directly or not) and its component, ending in a NULL module; an
	 * empty table (no parts): no breakdown, no hierarchical run */
	struct rtl_part parts[RTL_MAX_PARTS];
	/* compute density: MACs per cycle (at the lowest weight bits it
	 * runs); with density_vs, `pesim area` prints this design's MACs per
	 * transistor over design density_vs's (which it synthesizes too)
	 * beside density_paper, an area-reference.yaml ratio entry */
	unsigned macs;
	const char *density_vs, *density_paper;
};

/* rtl/common/'s building blocks; the table ends with a NULL name. */
extern const struct rtl_design rtl_common_designs[];

/* The design every other one is compared with and that the µm² estimate
 * is calibrated on: the FP16 MAC baseline PE (rtl/baseline/pe_fp16_mac.v,
 * verified against its golden model by `pesim verify --pe fp16_mac`). */
#define RTL_REFERENCE_DESIGN "fp16_mac"

/* Every design in order: each family's (families.def order), then
 * rtl/common/'s. The one after d (d NULL: the first); NULL after the
 * last. */
const struct rtl_design *rtl_design_next(const struct rtl_design *d);
const struct rtl_design *rtl_design_find(const char *name);
/* The family a design is a row of, or "common". */
const char *rtl_design_family(const struct rtl_design *d);

/* The rtl/ source directory: $PESIM_RTL, else the source tree pesim was
 * built from, else rtl/ beside the executable's directory. */
const char *rtl_dir(void);

#endif

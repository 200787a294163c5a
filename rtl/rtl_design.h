/* rtl_design.h - the RTL designs pesim knows: one row per Verilog top with
 * its files (relative to rtl/), the parameters it is synthesized with and
 * the published figure it corresponds to. `pesim area` synthesizes every
 * row. Each family lists its rows in its descriptor (rtl_family.h,
 * rtl/<folder>/rtl_<folder>.c); the building blocks several families
 * share are rtl/common/'s (rtl_common.c). */
#ifndef RTL_DESIGN_H
#define RTL_DESIGN_H

#include <stddef.h>

#define RTL_MAX_FILES 8

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

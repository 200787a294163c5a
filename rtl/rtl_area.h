/* rtl_area.h - relative area of the RTL designs from Yosys generic
 * synthesis, and an absolute estimate calibrated on one published figure.
 *
 * Per design Yosys runs (in a fresh temporary directory)
 *   read_verilog -sv FILES; chparam ...; synth -flatten -top TOP
 *   dfflegalize to plain $_DFF_P_/$_DFF_N_ (enables and synchronous resets
 *     become logic, so every design's registers are counted alike)
 *   abc (once, after it: synth runs with -noabc); opt_clean
 *   stat -tech cmos              on everything, on all but the flip-flops
 *   stat                         on the flip-flops (one cell = one bit)
 * `stat -tech cmos` counts the transistors of a static CMOS realization of
 * each generic gate (NAND 4, XOR 12, MUX 12, a plain DFF 16, ...).
 * These counts are only meaningful relative to each other; µm² come from
 * scaling them so the reference design (rtl_design.h) equals a paper's
 * figure (area-reference.yaml), registers included. */
#ifndef RTL_AREA_H
#define RTL_AREA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"
#include "rtl_design.h"

/* One module of the hierarchical run (rtl_area_script: designs with
 * parts synthesize a second time without -flatten, so each submodule is
 * counted on its own). */
#define RTL_AREA_MAX_MODS 24
struct rtl_area_mod {
	char name[64];		/* the Verilog module, parameters stripped */
	uint64_t instances;	/* in the whole design (the top: 1) */
	uint64_t transistors;	/* combinational, per instance, its own cells */
	uint64_t reg_bits;	/* flip-flops, per instance */
	bool top;
};

/* Module `parent` instantiates `child` `count` times (indices into mods). */
#define RTL_AREA_MAX_EDGES 32
struct rtl_area_edge {
	uint8_t parent, child;
	uint64_t count;
};

struct rtl_area {
	uint64_t transistors;	/* combinational logic */
	uint64_t transistors_all;	/* + the flip-flops as Yosys prices them */
	uint64_t reg_bits;	/* flip-flops */
	uint64_t cells;		/* every generic cell */
	/* a cell Yosys has no transistor count for (an asynchronous-reset
	 * flip-flop, ...): the counts are lower bounds */
	bool uncosted;
	double seconds;		/* wall time of the Yosys run */
	/* the hierarchical run (designs with parts; else n_mods = 0) */
	struct rtl_area_mod mods[RTL_AREA_MAX_MODS];
	size_t n_mods;
	struct rtl_area_edge edges[RTL_AREA_MAX_EDGES];
	size_t n_edges;
	uint64_t hier_transistors_all;	/* its total, flip-flops at 16 */
};

/* Fill a from the text of the three reports (all cells, all but the
 * flip-flops, the flip-flops); PS_EINPUT names what is missing. */
enum ps_status rtl_area_parse(const char *stat_all, const char *stat_comb,
			      const char *stat_regs, struct rtl_area *a,
			      struct ps_err *err);

/* The modules of the hierarchical run from its two reports (stat -tech
 * cmos of everything but the flip-flops, stat of the flip-flops), each
 * module's instances counted from `top` down, into a->mods. */
enum ps_status rtl_area_parse_hier(const char *stat_comb, const char *stat_regs,
				   const char *top, struct rtl_area *a,
				   struct ps_err *err);

/* A design's area by component (rtl_design.h enum rtl_component), from
 * its hierarchical run, walking the instances from the top: an instance's
 * own combinational transistors go to the component its module's parts
 * entry names (RTL_C_INHERIT: its parent instance's; the top's own logic:
 * control), every flip-flop to registers (16 transistors a bit, as Yosys
 * prices a plain DFF). */
struct rtl_area_comp {
	uint64_t transistors;
	uint64_t reg_bits;		/* registers only */
	char modules[200];		/* "bitmod_bfp_add x1, ..." */
	/* the instances counted, per module of the run */
	uint64_t inst[RTL_AREA_MAX_MODS];
};

/* out[RTL_C_COUNT]; returns the first module of a that d's parts do not
 * name (counted as control), or NULL when every module is named. */
const char *rtl_area_breakdown(const struct rtl_design *d,
			       const struct rtl_area *a,
			       struct rtl_area_comp *out);

/* The Yosys script for design d with its files under dir, the reports
 * written to outdir/{all,comb,regs}.txt. */
enum ps_status rtl_area_script(const struct rtl_design *d, const char *dir,
			       const char *outdir, char *buf, size_t n,
			       struct ps_err *err);

/* Synthesize designs[0..n) with `yosys` (a path, or a name looked up in
 * PATH), up to `jobs` at a time, each in its own temporary directory under
 * $TMPDIR (or /tmp), removed afterwards; areas[i] receives design i. On
 * failure the message names the design and quotes Yosys's error, and that
 * run's directory is kept for its log. With $PESIM_AREA_CACHE (a
 * directory) a run's reports are kept there under a digest of Yosys's
 * path, the script and every Verilog file's contents, and a design whose
 * digest is there is read back instead of synthesized (tests set it for
 * one run: they synthesize the same designs several times). */
enum ps_status rtl_area_run(const struct rtl_design *const *designs, size_t n,
			    const char *dir, const char *yosys, unsigned jobs,
			    struct rtl_area *areas, struct ps_err *err);

/* FNV-1a from seed over design d's Yosys script (without directories)
 * and the contents of its Verilog files under dir: what its counts
 * depend on besides Yosys. $PESIM_AREA_CACHE's entries hash Yosys's path
 * first; the area table (rtl_area_table.h) records it from CFG_FNV_INIT. */
enum ps_status rtl_area_digest(const struct rtl_design *d, const char *dir,
			       uint64_t seed, uint64_t *h, struct ps_err *err);
/* $PESIM_AREA_CACHE holds design d's run (rtl_area_run would not run
 * Yosys). */
bool rtl_area_cached(const struct rtl_design *d, const char *dir,
		     const char *yosys);

/* Compute density of a over b: (macs_a / a's transistors with registers)
 * / (macs_b / b's); NaN if a count is 0. */
double rtl_area_density(unsigned macs_a, const struct rtl_area *a,
			unsigned macs_b, const struct rtl_area *b);

/* The yosys found at configure time (or "yosys"), unless $PESIM_YOSYS. */
const char *rtl_yosys(void);

/* ---- published figures (area-reference.yaml) ---- */

#define RTL_REF_MAX 32

enum rtl_ref_kind { RTL_REF_AREA, RTL_REF_RATIO };

/* One component of a paper's design, in the paper's words, and the
 * component of our breakdown it corresponds to. */
#define RTL_REF_MAX_COMPS 10
struct rtl_ref_comp {
	char name[120];		/* the paper's component */
	int ours;		/* enum rtl_component (rtl_design.h) */
	double um2;		/* its published area, NaN if not published */
	char note[160];		/* where ours differs, or "" */
};

struct rtl_ref_entry {
	char id[48];
	char label[160];
	int kind;		/* enum rtl_ref_kind */
	double um2;		/* area with registers (NaN if not published) */
	double um2_no_regs;	/* without (NaN if not published) */
	double power_mw;	/* NaN if not published */
	double ratio;		/* RTL_REF_RATIO: the published ratio */
	char source[200];
	/* the design's component list (what is inside the paper's PE) */
	struct rtl_ref_comp comps[RTL_REF_MAX_COMPS];
	size_t n_comps;
};

struct rtl_area_cal {
	char design[64];	/* our design scaled to ... */
	char entry[48];		/* ... this entry's um2 */
};

struct rtl_area_ref {
	struct rtl_area_cal cal;
	struct rtl_ref_entry entries[RTL_REF_MAX];
	size_t n_entries;
	char path[1024];
};

/* Load and check path: unique ids, an area entry has um2, a ratio entry a
 * ratio, the calibration entry exists and is an area. */
enum ps_status rtl_area_ref_load(const char *path, struct rtl_area_ref *r,
				 struct ps_err *err);
const struct rtl_ref_entry *rtl_area_ref_find(const struct rtl_area_ref *r,
					      const char *id);

#endif

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

struct rtl_area {
	uint64_t transistors;	/* combinational logic */
	uint64_t transistors_all;	/* + the flip-flops as Yosys prices them */
	uint64_t reg_bits;	/* flip-flops */
	uint64_t cells;		/* every generic cell */
	/* a cell Yosys has no transistor count for (an asynchronous-reset
	 * flip-flop, ...): the counts are lower bounds */
	bool uncosted;
	double seconds;		/* wall time of the Yosys run */
};

/* Fill a from the text of the three reports (all cells, all but the
 * flip-flops, the flip-flops); PS_EINPUT names what is missing. */
enum ps_status rtl_area_parse(const char *stat_all, const char *stat_comb,
			      const char *stat_regs, struct rtl_area *a,
			      struct ps_err *err);

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

/* The yosys found at configure time (or "yosys"), unless $PESIM_YOSYS. */
const char *rtl_yosys(void);

/* ---- published figures (area-reference.yaml) ---- */

#define RTL_REF_MAX 32

enum rtl_ref_kind { RTL_REF_AREA, RTL_REF_RATIO };

struct rtl_ref_entry {
	char id[48];
	char label[160];
	int kind;		/* enum rtl_ref_kind */
	double um2;		/* area with registers (NaN if not published) */
	double um2_no_regs;	/* without (NaN if not published) */
	double power_mw;	/* NaN if not published */
	double ratio;		/* RTL_REF_RATIO: the published ratio */
	char source[200];
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

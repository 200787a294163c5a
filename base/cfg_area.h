/* cfg_area.h - where a PE's area comes from (the arch's pe.area_source):
 *
 *   rtl:EXPR   our RTL through Yosys: the generated table configs/area/rtl.yaml
 *              (`pesim area --table`, rtl/rtl_area_table.c; test_rtl_area
 *              regenerates it and fails when it is stale). EXPR is a design
 *              of `pesim area` ("rtl:int8_mac"), or a sum of designs with
 *              counts divided by the PEs they hold:
 *              "rtl:(lut_tc_tile+2*lut_tc_precompute)/128".
 *   paper      the paper's figure, pe.area_paper_um2
 *   estimate   pe.area_um2 as written (no RTL, no published figure)
 *
 * A design's µm² is its transistors with registers x the table's scale:
 * the one that makes the calibration design (our FP16 MAC) the paper's
 * figure (rtl/area-reference.yaml). Base reads the table; only rtl/ and
 * the CLI write it. */
#ifndef CFG_AREA_H
#define CFG_AREA_H

#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"

struct cfg_arch;

#define CFG_AREA_MAX 48

/* One design as Yosys counted it. */
struct cfg_area_entry {
	char name[64];		/* the `pesim area` design */
	int64_t transistors;	/* with registers (stat -tech cmos) */
	int64_t reg_bits;
	double um2;		/* transistors x the table's scale (for readers) */
	char digest[24];	/* of its Yosys script and Verilog files */
	char yosys[64];		/* `yosys -V` of the run */
};

struct cfg_area_table {
	struct {
		char design[64];	/* scaled to ... */
		char entry[48];		/* ... this rtl/area-reference.yaml entry's */
		double paper_um2;	/* ... published figure */
	} cal;
	struct cfg_area_entry e[CFG_AREA_MAX];
	size_t n;
	char path[1024];
};

/* Load and check the table (unique names, the calibration design present
 * with transistors). */
enum ps_status cfg_area_table_load(const char *path, struct cfg_area_table *t,
				   struct ps_err *err);
const struct cfg_area_entry *cfg_area_find(const struct cfg_area_table *t,
					   const char *name);
/* µm² per transistor: the calibration design's published figure over its
 * transistors. */
double cfg_area_scale(const struct cfg_area_table *t);

/* The value of "rtl:EXPR" (expr without "rtl:") in µm²; PS_EINPUT with the
 * problem in err ("no design 'x' in FILE"), without file or field. */
enum ps_status cfg_area_rtl(const struct cfg_area_table *t, const char *expr,
			    double *um2, struct ps_err *err);

/* The PE area a's pe.area_source gives (rtl: loads the table), or
 * "file:line: pe.area_source: problem". */
enum ps_status cfg_arch_area(const struct cfg_arch *a, double *um2,
			     struct ps_err *err);

/* What outputs print as the PE area's source: "rtl:bitmod_pe (our RTL);
 * paper: 1507.7 um2", "paper: 1318.6 um2", "estimate". */
void cfg_area_describe(const struct cfg_arch *a, char *buf, size_t n);

#endif

/* rtl_area_table.h - the generated table of our RTL's areas
 * (configs/area/rtl.yaml) that arch presets take their PE area from
 * (pe.area_source: rtl:DESIGN, base/cfg_area.h reads it). `pesim area
 * --table FILE` writes it from Yosys runs; test_rtl_area checks it
 * against the RTL (rtl_area_table_check) and fails when it is stale. */
#ifndef RTL_AREA_TABLE_H
#define RTL_AREA_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "ps_status.h"
#include "rtl_area.h"
#include "rtl_design.h"

/* The first line of `yosys -V` ("Yosys 0.23 (git sha1 ...)"), at most
 * n - 1 bytes. */
enum ps_status rtl_yosys_version(const char *yosys, char *buf, size_t n,
				 struct ps_err *err);

/* Write the table at path (atomically): designs ds[0..n) with their areas
 * (one of them the calibration design r->cal.design, scaled to the
 * published figure of r->cal.entry), each with its digest (of the files
 * under dir) and Yosys's version; the entries of the table already at
 * path for other designs are kept (test_rtl_area says when one is
 * stale), in design order. */
enum ps_status rtl_area_table_write(const char *path,
				    const struct rtl_design *const *ds,
				    const struct rtl_area *areas, size_t n,
				    const struct rtl_area_ref *r, const char *dir,
				    const char *yosys, struct ps_err *err);

/* Check the table at path against the RTL under dir: its calibration is
 * r's; every entry is a design whose digest is today's; each entry is
 * synthesized again with yosys (up to jobs at once; a slow design only
 * when $PESIM_AREA_CACHE holds its run, else the digest vouches for it)
 * and has the same transistors and flip-flops, and um2 = transistors x
 * the scale. PS_ECHECK names the first stale design with the table's
 * figure and the RTL's; log (may be NULL) gets a line per entry. */
enum ps_status rtl_area_table_check(const char *path, const char *dir,
				    const char *yosys,
				    const struct rtl_area_ref *r, unsigned jobs,
				    FILE *log, struct ps_err *err);

#endif

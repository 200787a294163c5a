/* rtl_family.h - what a PE family has under rtl/: one descriptor per
 * family of pe_models/families.def.
 *
 * Family `name` (folder `folder`) defines `const struct rtl_family
 * rtl_family_<name>` in rtl/<folder>/ (rtl_<folder>.c): the designs
 * `pesim area` synthesizes, the PE configurations `pesim verify` checks
 * against their golden C models (with their stimulus), and its SystemC
 * array wrapper. A family without RTL defines one too, saying so in
 * `what`. rtl_families[] (rtl_family.c) is generated from families.def;
 * nothing outside a family's folder names the family.
 *
 * The verify tables exist only in a build with the Verilated models
 * (meson -Drtl, PESIM_RTL defined): elsewhere a descriptor's `verify`
 * is NULL (RTL_VERILATED), and its designs are still there for `pesim
 * area` (Yosys only). */
#ifndef RTL_FAMILY_H
#define RTL_FAMILY_H

#include <stddef.h>

#include "rtl_design.h"

struct rtl_verify_pe;	/* rtl_verify.h */
struct rtl_sc_array;	/* rtl/systemc/ */

struct rtl_family {
	/* one line: the family's RTL, or why it has none */
	const char *what;
	/* the rows `pesim area` synthesizes, ending in a NULL name;
	 * NULL: none */
	const struct rtl_design *designs;
	/* the configurations `pesim verify` knows, ending in a NULL name,
	 * PEs before arrays (--config picks the first that fits); NULL:
	 * none, or a build without the Verilated models */
	const struct rtl_verify_pe *verify;
	/* the family's arrays in SystemC with RTL and C PEs mixed
	 * (rtl/<folder>/sc_<folder>.cpp), ending in NULL; NULL: none, or a
	 * binary without SystemC (RTL_SYSTEMC) */
	const struct rtl_sc_array *const *systemc;
};

/* x in a build with the Verilated models, else NULL. */
#ifdef PESIM_RTL
#define RTL_VERILATED(x) (x)
#else
#define RTL_VERILATED(x) NULL
#endif

/* A family's list of SystemC arrays, `list` defined in the SystemC
 * library (linked whole where it is linked at all): referenced weakly, so
 * a binary without SystemC sees NULL. Declare with RTL_SYSTEMC(list); then
 * `.systemc = list`. */
#define RTL_SYSTEMC(list) \
	extern const struct rtl_sc_array *const list[] __attribute__((weak))

/* One line of families.def. */
struct rtl_family_entry {
	const char *name;	/* the arch's pe.family */
	const char *folder;	/* rtl/<folder>/ */
	const struct rtl_family *rtl;
};

/* Every family, in families.def order; the entry after the last has a
 * NULL name. */
extern const struct rtl_family_entry rtl_families[];

/* By pe.family name; NULL: no such family. */
const struct rtl_family_entry *rtl_family_find(const char *name);

#endif

/* cfg_energy.h - an energy reference table (ERT): each action's energy, with
 * its unit and where the number comes from. Models count actions; only the
 * pricing step (sim/energy.c) reads this table. Schema: README "Energy table". */
#ifndef CFG_ENERGY_H
#define CFG_ENERGY_H

#include <stddef.h>

#include "ps_status.h"

#define CFG_MAX_ENTRIES 64

enum cfg_source { CFG_SRC_PAPER, CFG_SRC_DATASHEET, CFG_SRC_SYNTHESIS, CFG_SRC_FIT };
extern const char *const cfg_source_names[];

/* Units an entry may carry; pricing checks each action's expected unit. */
#define CFG_UNITS(X)                                                          \
	X(PJ, "pJ")                                                           \
	X(PJ_CYCLE, "pJ/cycle")                                               \
	X(PJ_BIT, "pJ/bit")                                                   \
	X(PJ_64B, "pJ/64b")                                                   \
	X(PJ_TILE, "pJ/tile")                                                 \
	X(PJ_ACCESS, "pJ/access")                                             \
	X(FACTOR, "x")

enum cfg_unit {
#define X(id, s) CFG_UNIT_##id,
	CFG_UNITS(X)
#undef X
	CFG_UNIT_N
};
extern const char *const cfg_unit_names[];

/* Phase an entry applies to: SRAM access energy depends on the port width,
 * which follows the array shape of each phase. */
enum cfg_ephase { CFG_EPH_ANY, CFG_EPH_PREFILL, CFG_EPH_DECODE };
extern const char *const cfg_ephase_names[];

struct cfg_energy_entry {
	char name[48];		/* action name, e.g. "pe.cycle", "dram.read_bit" */
	int phase;		/* enum cfg_ephase */
	double value;
	int unit;		/* enum cfg_unit */
	int source;		/* enum cfg_source */
	char ref[256];		/* citation: paper table, datasheet, fit method */
};

struct cfg_energy {
	char id[64];
	char description[256];
	char technology[32];
	struct cfg_energy_entry entries[CFG_MAX_ENTRIES];
	size_t n_entries;
	char path[512];
};

enum ps_status cfg_energy_load(const char *path, struct cfg_energy *e,
			       struct ps_err *err);

/* The entry for name in phase (0 prefill, 1 decode): a phase-specific entry
 * wins over an "any" entry. NULL if neither exists. */
const struct cfg_energy_entry *cfg_energy_find(const struct cfg_energy *e,
					       const char *name, int phase);

#endif

/* sim_actions.h - the actions models count, and how each is priced.
 *
 * Table order defines enum sim_action; every table indexed by it follows this
 * order. Columns: id, energy-table entry name, the unit that entry must carry,
 * energy category, optional. Pricing (energy.c) multiplies each count by its
 * entry and, if the table has one, by the category factor entry
 * "<category>.factor" (e.g. BitMoD's x1.5 place-and-route overhead on PE
 * energy). A required action that occurred needs an entry; an optional one
 * without an entry costs nothing (a table without a leakage figure prices
 * no leakage), so the engine counts them for every arch. */
#ifndef SIM_ACTIONS_H
#define SIM_ACTIONS_H

#define SIM_ACTIONS(X)                                                        \
	/* PE-cycles: PEs x cycles the array computes */                      \
	X(PE_CYCLE, "pe.cycle", CFG_UNIT_PJ_CYCLE, SIM_CAT_COMPUTE, 0)        \
	/* one array step's weight + input reads (BitMoD's SRAM model) */     \
	X(SRAM_TILE_READ, "sram.tile_read", CFG_UNIT_PJ_TILE, SIM_CAT_SRAM, 0) \
	/* 64-bit writes into the weight and input buffers */                 \
	X(SRAM_WEIGHT_WRITE64, "sram.weight_write64", CFG_UNIT_PJ_64B, SIM_CAT_SRAM, 0) \
	X(SRAM_INPUT_WRITE64, "sram.input_write64", CFG_UNIT_PJ_64B, SIM_CAT_SRAM, 0) \
	/* bits moved over the DRAM interface */                              \
	X(DRAM_READ_BIT, "dram.read_bit", CFG_UNIT_PJ_BIT, SIM_CAT_DRAM, 0)   \
	X(DRAM_WRITE_BIT, "dram.write_bit", CFG_UNIT_PJ_BIT, SIM_CAT_DRAM, 0) \
	/* PE leakage: PEs x every cycle of the run, idle ones included */    \
	X(PE_LEAK_CYCLE, "pe.leak_cycle", CFG_UNIT_PJ_CYCLE, SIM_CAT_COMPUTE, 1) \
	/* the DRAM's static power: every cycle of the run (MixPE's model) */ \
	X(DRAM_STATIC_CYCLE, "dram.static_cycle", CFG_UNIT_PJ_CYCLE, SIM_CAT_DRAM, 1) \
	/* bits read from / written into each buffer (the BitFusion / ANT /  \
	 * MixPE model prices SRAM per bit, CACTI per buffer) */              \
	X(SRAM_WEIGHT_READ_BIT, "sram.weight_read_bit", CFG_UNIT_PJ_BIT, SIM_CAT_SRAM, 1) \
	X(SRAM_WEIGHT_WRITE_BIT, "sram.weight_write_bit", CFG_UNIT_PJ_BIT, SIM_CAT_SRAM, 1) \
	X(SRAM_INPUT_READ_BIT, "sram.input_read_bit", CFG_UNIT_PJ_BIT, SIM_CAT_SRAM, 1) \
	X(SRAM_INPUT_WRITE_BIT, "sram.input_write_bit", CFG_UNIT_PJ_BIT, SIM_CAT_SRAM, 1) \
	X(SRAM_OUTPUT_READ_BIT, "sram.output_read_bit", CFG_UNIT_PJ_BIT, SIM_CAT_SRAM, 1) \
	X(SRAM_OUTPUT_WRITE_BIT, "sram.output_write_bit", CFG_UNIT_PJ_BIT, SIM_CAT_SRAM, 1)

enum sim_action {
#define X(id, name, unit, cat, opt) SIM_ACT_##id,
	SIM_ACTIONS(X)
#undef X
	SIM_ACT_N
};

enum sim_category { SIM_CAT_COMPUTE, SIM_CAT_SRAM, SIM_CAT_DRAM, SIM_CAT_N };

extern const char *const sim_action_names[];
/* Whether an action is optional (priced 0 without an entry). */
extern const unsigned char sim_action_optional[];
extern const char *const sim_category_names[];

/* Action counts of one phase (prefill or decode): SRAM access energies depend
 * on the phase's array shape, so counts are kept per phase. Counts are whole
 * numbers held in doubles (exact below 2^53). */
struct sim_actions {
	double n[2][SIM_ACT_N];
};

#endif

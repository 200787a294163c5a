/* pe_bt.h - the bit-true, cycle-stepped side of a PE family: the golden
 * model the RTL (rtl/<family>/) is checked against, port for port and
 * cycle for cycle.
 *
 * A model is a flat state struct of `state_size` bytes advanced one rising
 * clock edge at a time by `step`: the inputs are sampled at the edge, and
 * `out` receives every output port's value after the edge (registered
 * outputs; a combinational output reflects the inputs of this call). Ports
 * are listed inputs first, then outputs, each at most 64 bits wide and
 * passed as one uint64_t word, zero-extended, in `ports` order (wider
 * buses are split into several ports named bus_0, bus_1, ...). Port names
 * and widths equal the RTL module's, so the Verilator harness can drive
 * both from one table.
 *
 * The family's closed-form timing (pe.h, tile_timing / a family helper) must
 * equal the cycles stepping counts; each family's tests prove it. */
#ifndef PE_BT_H
#define PE_BT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pe.h"
#include "ps_status.h"

struct pe_port {
	const char *name;
	uint8_t width;		/* bits, 1..64 */
};

struct pe_bt_ops {
	const char *name;		/* "bitmod_pe", "mixpe_pe", "lut_tc_tile", ... */
	const char *rtl_top;		/* the Verilog module it mirrors */
	const struct pe_port *ports;	/* n_in inputs, then n_out outputs */
	size_t n_in, n_out;
	size_t state_size;
	/* Configure from parameters (lanes, bit widths, ...); the state is
	 * then as after reset. */
	enum ps_status (*init)(void *state, const struct pe_params *p,
			       struct ps_err *err);
	void (*reset)(void *state);
	/* One rising clock edge. */
	void (*step)(void *state, const uint64_t *in, uint64_t *out);
};

/* A model's state, zeroed and aligned to a cache line (PE_BT_STATE_ALIGN),
 * for init; free() releases it; NULL when out of memory. Every owner of a
 * state takes it from here: where malloc places it decides how the
 * model's registers fall on cache lines, and a BitMoD PE state malloc put
 * across them stepped 25% slower in bench_rtl's full run than alone. */
#define PE_BT_STATE_ALIGN 64
void *pe_bt_state_new(const struct pe_bt_ops *ops);

/* A bit-true model by name, from every family's descriptor (bt_models);
 * NULL if none. */
const struct pe_bt_ops *pe_bt_find(const char *name);
/* Every bit-true model, family by family. */
void pe_bt_each(void (*fn)(const struct pe_bt_ops *m, void *ctx), void *ctx);

#endif

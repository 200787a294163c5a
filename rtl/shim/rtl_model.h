/* rtl_model.h - a Verilated RTL model behind plain C functions.
 *
 * Each model (a build of one row of rtl_models, rtl/meson.build: a
 * Verilog top verilated into V<name>__ALL.a, and a C++ shim rtl_<name>_shim.h
 * that rtl_shimgen generates from rtl_shim.inc and the golden model's
 * port table) exports extern "C" functions rtl_<name>_create, _destroy,
 * _set_inputs, _eval, _step, _get_outputs and the table rtl_<name>_ops of
 * them; the generated rtl_models.h declares every model of the build.
 *
 * Ports follow pe_bt.h: inputs first, then outputs, each at most 64 bits
 * and passed as one uint64_t word, zero-extended (bits above the width are
 * ignored on input and zero on output), names and widths as in the
 * Verilog module; the clock is not a port here, `step` drives it. RTL
 * inputs left out of the table stay 0. So a harness drives a C model
 * (pe_bt_ops.step) and its RTL (rtl_model_cycle) from one table.
 *
 * Built only with the meson feature -Drtl=enabled (C++ and Verilator). */
#ifndef RTL_MODEL_H
#define RTL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTL_MODEL_VERSION 2

struct rtl_port {
	const char *name;
	uint8_t width;		/* bits, 1..64 */
};

/* One Verilated instance with its own VerilatedContext (opaque). */
struct rtl_model;

struct rtl_model_ops {
	unsigned version;
	const char *name;		/* the model: "fp16_add", "dsp48e2", ... */
	const char *top;		/* the Verilog module it verilates */
	const struct rtl_port *ports;	/* n_in inputs, then n_out outputs */
	size_t n_in, n_out;
	bool clocked;			/* has a clock that step drives */
	/* NULL when out of memory. Registers start as the RTL initializes
	 * them (Verilator zeroes what the RTL leaves open). */
	struct rtl_model *(*create)(void);
	void (*destroy)(struct rtl_model *m);
	/* in[n_in] into the input ports (no evaluation) */
	void (*set_inputs)(struct rtl_model *m, const uint64_t *in);
	/* settle the combinational logic for the current inputs */
	void (*eval)(struct rtl_model *m);
	/* one clock: clock low, eval, clock high, eval (eval alone when the
	 * model has no clock) */
	void (*step)(struct rtl_model *m);
	/* out[n_out] from the output ports */
	void (*get_outputs)(struct rtl_model *m, uint64_t *out);
	/* drive the top's reset port (not in the port table, as a C model's
	 * reset is a function); NULL when the top has none */
	void (*set_reset)(struct rtl_model *m, bool on);
	/* FST waveform of the RTL's signals (every model is verilated with
	 * --trace-fst): open on a fresh model before its first step; steps
	 * then dump while `on` (trace_dump) is set; close writes the file.
	 * trace_open returns false when the file cannot be opened. */
	bool (*trace_open)(struct rtl_model *m, const char *path);
	void (*trace_dump)(struct rtl_model *m, bool on);
	void (*trace_close)(struct rtl_model *m);
};

/* Declares rtl_<name>_create ... _get_outputs and rtl_<name>_ops. */
#define RTL_MODEL_DECLARE(name)                                                \
	struct rtl_model *rtl_##name##_create(void);                          \
	void rtl_##name##_destroy(struct rtl_model *m);                       \
	void rtl_##name##_set_inputs(struct rtl_model *m, const uint64_t *in);\
	void rtl_##name##_eval(struct rtl_model *m);                          \
	void rtl_##name##_step(struct rtl_model *m);                          \
	void rtl_##name##_get_outputs(struct rtl_model *m, uint64_t *out);    \
	extern const struct rtl_model_ops rtl_##name##_ops;

/* The pe_bt_ops.step of a model: inputs sampled at one clock edge (or
 * the combinational outputs for these inputs), outputs after it. */
static inline void rtl_model_cycle(const struct rtl_model_ops *ops,
				   struct rtl_model *m, const uint64_t *in,
				   uint64_t *out)
{
	ops->set_inputs(m, in);
	ops->step(m);
	ops->get_outputs(m, out);
}

#ifdef __cplusplus
}
#endif

#endif

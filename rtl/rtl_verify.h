/* rtl_verify.h - a PE's golden C model (pe_bt.h) and its Verilated RTL
 * (rtl/shim/rtl_model.h) in lockstep: `pesim verify`.
 *
 * Both get the same input vector on every rising edge; every output port
 * of both is compared after every edge, from the two port tables (which
 * must agree name for name and width for width). Stimulus comes from the
 * family (struct rtl_stim_ops): edge 0 resets, then the family's directed
 * corners, then `random` edges whose operands are random (a seed) or, with
 * a GEMM from a bit-true trace's sidecar, that GEMM's tiles in order.
 *
 * The run stops a few edges after the first mismatch. The report gives
 * cycle, port, expected and actual and the inputs of the last edges; the
 * edges around it go to a VCD written from the recorded ports (inputs, the
 * RTL's outputs, the model's as <port>_expected, a mismatch flag), and the
 * RTL is re-run from reset with Verilator's FST tracing switched on for
 * the same window (the RTL's own internal signals).
 *
 * Each family lists its PEs in its descriptor (rtl_family.h: `verify`, an
 * array ending in a NULL name, in rtl/<folder>/rtl_<folder>.c) with their
 * stimulus (rtl/<folder>/stim_*.c, rtl_stim.c); rtl_verify_registry.c
 * walks the families in families.def order.
 *
 * Built only with the meson feature -Drtl (PESIM_RTL is then defined for
 * users of rtl_verify_dep). */
#ifndef RTL_VERIFY_H
#define RTL_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pe.h"
#include "ps_status.h"
#include "rtl_model.h"

/* A family's stimulus for one PE configuration. `in` has the golden
 * model's n_in entries, in port order; the generator writes every entry on
 * every edge (garbage on ignored inputs is fine, and good). The state is
 * `state_size` bytes, zeroed before init. */
struct rtl_stim_ops {
	size_t state_size;
	/* p: the parameters the PE was built with (rtl_verify_pe.params) */
	enum ps_status (*init)(void *st, const struct pe_params *p,
			       uint64_t seed, struct ps_err *err);
	/* directed corner edges, run after the reset edge (0: none) */
	uint64_t (*corner_edges)(const void *st);
	/* inputs of corner edge i (0-based); returns whether rst is high */
	bool (*corner)(void *st, uint64_t i, uint64_t *in);
	/* inputs of the next random edge; returns whether rst is high */
	bool (*random)(void *st, uint64_t *in);
	/* Optional (NULL: no trace stimulus). From now on `random` takes its
	 * operand values from g (activations, weight codes, scales), tile by
	 * tile in the order the PE consumes them, wrapping at the end, and
	 * keeps its random valid/bubble/reset patterns. g outlives the run. */
	enum ps_status (*use_gemm)(void *st, const struct pe_gemm *g,
				   struct ps_err *err);
	/* Optional: free what init / use_gemm allocated (not the state). */
	void (*fini)(void *st);
};

/* Defines the ops table `name` of a stimulus with state type state_t,
 * init function init_fn, fini function fini_fn (NULL: none) and the
 * functions pfx##corner_edges, pfx##corner, pfx##random and
 * pfx##use_gemm (e.g. pfx stim_: stim_corner, ...). */
#define RTL_STIM_OPS(name, state_t, init_fn, fini_fn, pfx)   \
	const struct rtl_stim_ops name = {                   \
		.state_size = sizeof(state_t),               \
		.init = init_fn,                             \
		.corner_edges = pfx##corner_edges,           \
		.corner = pfx##corner,                       \
		.random = pfx##random,                       \
		.use_gemm = pfx##use_gemm,                   \
		.fini = fini_fn,                             \
	}

/* ---- stimulus helpers (rtl_stim.c) ---- */

/* splitmix64: the stimulus generators' random numbers (advances *s). */
uint64_t rtl_stim_rnd(uint64_t *s);

/* FP16 specials: zeros, subnormal ends, normal ends, one and neighbours,
 * 65504, infinities, quiet/signalling/negative NaN. */
#define RTL_STIM_N_F16_SPECIAL 24
extern const uint16_t rtl_stim_f16_special[RTL_STIM_N_F16_SPECIAL];

/* Regimes of rtl_stim_f16: body (2^-6..2^7), tiny (2^-24..2^-6),
 * huge (2^5..65504), subnormal, raw bits, mixed (1/8 specials, else one
 * of the first five), special. */
enum { RTL_F16_BODY, RTL_F16_TINY, RTL_F16_HUGE, RTL_F16_SUB, RTL_F16_RAW,
       RTL_F16_MIXED, RTL_F16_SPECIAL };
/* A random FP16 operand of a regime (one rtl_stim_rnd draw). */
uint16_t rtl_stim_f16(uint64_t *s, int regime);
/* A random INT8: -128 one time in 6, +-127 often, else uniform. */
uint8_t rtl_stim_i8(uint64_t *s);
/* The largest finite |a[i]| of n FP16 values (0 if none): a per-tensor
 * INT8 activation scale is it / 127. */
double rtl_stim_f16_amax(const uint16_t *a, uint64_t n);

/* Random dots of the dot protocol (in_valid, in_last: a dot is `left`
 * beats, the last with in_last; the MAC-style PEs). */
struct rtl_stim_dots {
	uint64_t left;		/* beats left in the dot */
	unsigned bubble_pct;	/* edges of the dot without in_valid, % */
	uint64_t chaos;		/* edges left of fully random inputs */
};
/* Start a dot from the draw r: 1 time in 20 a stretch of 1..64 fully
 * random edges instead (false), else 1..12 beats (1 time in 40:
 * 13..212) with 0, 0, 10 or 50% bubbles (true). r's bits 24..31 and
 * 40.. are left for the family's own choices (regimes, formats). */
bool rtl_stim_dot_start(struct rtl_stim_dots *d, uint64_t r);

/* A GEMM's dots in pe_baseline_gemm.c's order: output (m, n) is the dot
 * of activation row m and weight row n, k in order; m, then n, advance
 * after each dot, wrapping at the end. */
struct rtl_stim_walk {
	uint64_t m, n, k;
};
/* The next beat: *ia = m K + k, *iw = n K + k; returns whether it is
 * the dot's last. */
bool rtl_stim_gemm_next(struct rtl_stim_walk *w, const struct pe_gemm *g,
			uint64_t *ia, uint64_t *iw);

/* One PE configuration with RTL. */
struct rtl_verify_pe {
	const char *name;		/* --pe: "bitmod", "mixpe_w4a16", ... */
	const char *family;		/* cfg_arch pe.family, the family whose
					 * table lists it: --pe FAMILY,
					 * --config picks by params */
	const char *golden;		/* pe_bt_find name */
	const char *what;		/* one line for --list */
	struct pe_params params;	/* what the RTL build was built for;
					 * the golden model's init gets it */
	const struct rtl_model_ops *rtl, *mutant;
	const char *mutant_define;	/* "MUTANT_FP16_FTZ", ... */
	const struct rtl_stim_ops *stim;
};

/* A verify entry's .rtl, .mutant and .mutant_define: the Verilated build
 * of rtl_models row NAME and its mutant build, with the row's define
 * (rtl_models.h, generated from the row). */
#define RTL_BUILDS(name)                                                  \
	.rtl = &rtl_##name##_ops, .mutant = &rtl_##name##_mutant_ops,      \
	.mutant_define = RTL_MUTANT_DEFINE_##name

/* A verify entry of family `fam`: golden model `top` (pe_bt_find name)
 * driven by the stimulus top##_stim, Verilated build `build` (RTL_BUILDS),
 * params the rest. */
#define RTL_VERIFY_PE(nm, fam, top, build, descr, ...)                    \
	{ .name = nm, .family = fam, .golden = #top, .what = descr,       \
	  .params = __VA_ARGS__, RTL_BUILDS(build), .stim = &top##_stim }

/* By name, or by family (the first of it); NULL: none. */
const struct rtl_verify_pe *rtl_verify_find(const char *name);
/* The PE of a family whose params equal p on every field the PE sets
 * (nonzero); NULL: no RTL build of that configuration. */
const struct rtl_verify_pe *rtl_verify_match(const char *family,
					     const struct pe_params *p);
/* Calls f for every PE in registry order. */
void rtl_verify_each(void (*f)(const struct rtl_verify_pe *pe, void *ctx),
		     void *ctx);

struct rtl_verify_opts {
	const struct rtl_verify_pe *pe;
	bool mutant;		/* verify the mutant build instead */
	uint64_t random;	/* random edges after the reset and corners */
	uint64_t seed;
	const struct pe_gemm *gemm;	/* trace operands (stim->use_gemm);
					 * NULL: random operands */
	const char *vcd_path;	/* VCD of the recorded edges around the
				 * first mismatch; NULL: none */
	const char *fst_path;	/* FST of the RTL re-run over the same
				 * window; NULL: none */
	unsigned window;	/* edges before the mismatch in the waveforms,
				 * and the run goes on window / 4 + 1 after it;
				 * 0 means 32 */
	FILE *log;		/* the mismatch report; NULL: silent */
};

struct rtl_verify_result {
	uint64_t cycles;	/* rising edges compared */
	uint64_t values;	/* output port values compared */
	uint64_t corner_edges, random_edges;
	uint64_t beats;		/* edges with in_valid (or the first input) set */
	uint64_t resets;	/* edges with rst */
	uint64_t changes;	/* edges after which some output changed */
	/* the first mismatch (mismatch false: none) */
	bool mismatch;
	uint64_t cycle;		/* 0-based rising edge */
	const char *port;
	uint64_t expected, actual;
	/* the waveforms: written, and the edges they cover */
	bool vcd_written, fst_written;
	uint64_t vcd_first, vcd_last;
};

/* PS_OK: no mismatch. PS_ECHECK: a mismatch (err says where; the report
 * with the inputs of the last edges went to opts->log, the waveforms to
 * their paths). PS_EINPUT: port tables that differ, a PE without
 * use_gemm given a GEMM, a golden model that rejects the params;
 * PS_EIO: a waveform could not be written (the result still holds the
 * mismatch); PS_ENOMEM. */
enum ps_status rtl_verify(const struct rtl_verify_opts *opts,
			  struct rtl_verify_result *res, struct ps_err *err);

#endif

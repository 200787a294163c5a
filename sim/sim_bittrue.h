/* sim_bittrue.h - bit-true mode: real (generated) operand data through the
 * PE family's stepped model, compared with an exact reference GEMM.
 *
 * Weights [N, K] come from wl_gen_weights(seed + 2 op) and are quantized
 * with the arch's quantizer for the phase (weights.prefill or weights.decode), activations
 * [M, K] from wl_gen_acts(seed + 2 op + 1) rounded to FP16: the same data a
 * bit-true trace's sidecar holds (compiler/cc_sidecar.h). The reference is
 * the exact double-precision GEMM of the FP16 activations and the dequantized
 * weights. Stepped cycles must equal the family's closed form; a difference
 * is a failed check (PS_ECHECK). */
#ifndef SIM_BITTRUE_H
#define SIM_BITTRUE_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_arch.h"
#include "pe.h"
#include "ps_status.h"
#include "sim.h"
#include "wl_model.h"
#include "wl_scenario.h"

/* One GEMM, accumulated into r (zero it first). */
enum ps_status sim_bittrue_gemm(const struct cfg_arch *a, int phase,
				uint64_t M, uint64_t K, uint64_t N,
				uint64_t seed, uint32_t op,
				struct sim_bt_result *r, struct ps_err *err);

/* Same, with given weights [N, K] (loaded from .npy / .safetensors) in
 * place of the generated ones. */
enum ps_status sim_bittrue_gemm_w(const struct cfg_arch *a, int phase,
				  uint64_t M, uint64_t K, uint64_t N,
				  uint64_t seed, uint32_t op, const float *weights,
				  struct sim_bt_result *r, struct ps_err *err);

/* The weight GEMMs (linears) of one layer of a plan's first phase.
 * Attention GEMMs multiply activations by activations and are skipped. */
enum ps_status sim_bittrue_layer(const struct cfg_arch *a,
				 const struct wl_plan *p, uint32_t layer,
				 uint64_t seed, struct sim_bt_result *r,
				 struct ps_err *err);

/* The GEMMs of a bit-true trace: operands from its sidecar "<trace>.h5"
 * (compiler/cc_sidecar.h), which must belong to arch a. */
enum ps_status sim_bittrue_trace(const struct cfg_arch *a, const char *trace,
				 struct sim_bt_result *r, struct ps_err *err);

/* One GEMM of a bit-true trace's sidecar with the arrays it owns. */
struct sim_trace_gemm {
	struct pe_gemm g;	/* points into arrays */
	int phase;
	char quant[48];		/* the quantizer spec, or "none" */
	float *w_deq;		/* [N, K] the dequantized weights */
	bool w_deq_owned;
	void *arrays[11];
};

/* GEMM op `op` (0-based) of the bit-true trace `trace` from its sidecar;
 * free it with sim_trace_gemm_free (also after an error). */
enum ps_status sim_bittrue_trace_gemm(const char *trace, uint32_t op,
				      struct sim_trace_gemm *t, struct ps_err *err);
void sim_trace_gemm_free(struct sim_trace_gemm *t);

#endif

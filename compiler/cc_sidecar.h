/* cc_sidecar.h - the operand data of a bit-true trace: "<trace>.h5".
 *
 * Layout (README "Bit-true traces"): root attributes schema_version,
 * pesim_version, git_sha, trace, arch_digest, seed; one group per GEMM op, /op<N>, with attributes M, K, N,
 * phase, quant (the spec, or "none"), code_bits, sqnr_db and
 *   a_f16      [M, K] uint16  activations as FP16 bit patterns
 *   w_f16      [N, K] uint16  weights as FP16 (quant "none" only)
 *   w_codes    [N, K] uint8   element codes (formats of pe_models/formats)
 *   w_deq      [N, K] float32 the dequantized weights (the reference's)
 *   scale      [N, G] float32 effective group (or channel) scale
 *   zero       [N, G] float32 zero points (asymmetric formats)
 *   gfmt       [N, G] uint8   BitMoD: format id per group
 *   scale_q    [N, G] uint8   BitMoD: integer group scale
 *   chan_scale [N]    float32 BitMoD: FP16 channel scale
 *   nm_meta, nm_vals           N:M metadata and kept codes, per row
 *                              (attributes nm_m, nm_blocks, nm_stride)
 * Weights are generated [N, K] by wl_gen_weights(seed + 2 op) and
 * activations [M, K] by wl_gen_acts(seed + 2 op + 1). */
#ifndef CC_SIDECAR_H
#define CC_SIDECAR_H

#include <stdint.h>

#include "cfg_arch.h"
#include "ps_status.h"

struct cc_sidecar;

enum ps_status cc_sidecar_open(struct cc_sidecar **s, const char *trace_path,
			       const struct cfg_arch *a, uint64_t seed,
			       struct ps_err *err);
/* Generate, quantize and store the operands of GEMM op `op`. */
enum ps_status cc_sidecar_gemm(struct cc_sidecar *s, uint32_t op, uint64_t M,
			       uint64_t K, uint64_t N, int phase,
			       struct ps_err *err);
enum ps_status cc_sidecar_close(struct cc_sidecar *s, struct ps_err *err);
void cc_sidecar_abort(struct cc_sidecar *s);

#endif

/* pe_flightllm.h - FlightLLM's configurable sparse DSP chain (CSD chain,
 * FPGA 2024; shared/reference/flightllm_dsp48.md): bit-true, one clock
 * edge per step, and its closed-form timing.
 *
 * A chain of `depth` DSP48E2 slices (pe_dsp48e2.h) in DSP groups (DGs) of
 * two, fed one wavefront per cycle: a block of 16 activation pairs (two
 * tokens, INT8 each) and, per DSP, a low-bit weight code and a 4-bit index.
 * In front of DSP k: the decode unit (sign-extend the code to INT8) and the
 * sparse MUX (pick the activation pair at the index); the operands then
 * wait k cycles (the cascade skew) and enter the DSP packed as
 * A = x0, D = x1 << 18, B = w, so P = (x1 w) 2^18 + x0 w (Xilinx WP486).
 * A reduction node (RN) after each DG either passes the cascade on or
 * closes the group: it extracts both lanes, lo = sext18(P[17:0]) and
 * hi = sext30(P[47:18]) + P[17], and the next DG restarts (Z-mux 000). The
 * overflow adjust unit (OAU) moves the low lane out of the cascade every 8
 * DSPs so a lane never sums more than 8 products. README.md has the ports,
 * the pipeline and the bounds. */
#ifndef PE_FLIGHTLLM_H
#define PE_FLIGHTLLM_H

#include <stdbool.h>
#include <stdint.h>

#include "pe.h"
#include "pe_bt.h"
#include "pe_dsp48e2.h"
#include "ps_status.h"

#define PE_FL_MAX_DEPTH 32		/* DSPs; the RTL top's port widths */
#define PE_FL_MAX_DG (PE_FL_MAX_DEPTH / 2)
#define PE_FL_M 16			/* N:M block (M = 16) */
#define PE_FL_OAU_SPAN 8		/* DSPs a lane may sum (flightllm_dsp48.md) */
#define PE_FL_RING 64			/* wavefront history, > depth + 3 */

enum pe_fl_oau { PE_FL_OAU_AUTO, PE_FL_OAU_ON, PE_FL_OAU_OFF };

struct pe_flightllm_cfg {
	uint32_t depth;		/* DSPs, even, 2..PE_FL_MAX_DEPTH */
	uint32_t wbits;		/* weight code bits, 2..8 (sign-extended) */
	int oau;		/* enum pe_fl_oau; AUTO: on iff depth > 8 */
	bool no_sign_fix;	/* fault injection: drop the +P[17] correction */
	bool structural;	/* step Xilinx-port DSP48E2 instances (slow,
				 * the netlist) instead of the inlined datapath */
};

/* Chain input ports (flightllm_chain), in pe_bt order, then the outputs.
 * act: pair j at bits [16j+15:16j] of act_0..3 = {x1[7:0], x0[7:0]};
 * w: DSP k's code at bits [8k+7:8k] of w_0..3 (low wbits used);
 * idx: DSP k's MUX index at bits [4k+3:4k] of idx_0..1;
 * rn_brk[g]: the RN after DG g closes its group (the last DG always does);
 * y_g = {hi[31:0], lo[31:0]}: RN g's result, valid when out_valid[g]. */
enum pe_fl_port {
	PE_FL_IN_VALID, PE_FL_ACT0, PE_FL_W0 = PE_FL_ACT0 + 4,
	PE_FL_IDX0 = PE_FL_W0 + 4, PE_FL_RN_BRK = PE_FL_IDX0 + 2, PE_FL_N_IN
};
enum pe_fl_out { PE_FL_OUT_Y0, PE_FL_OUT_VALID = PE_FL_MAX_DG, PE_FL_N_OUT };

/* One wavefront: the input ports, unpacked. */
struct pe_flightllm_wave {
	bool vld;
	uint16_t rn_brk;
	uint16_t act[PE_FL_M];		/* x1 << 8 | x0, two's complement bytes */
	uint8_t w[PE_FL_MAX_DEPTH];	/* weight codes */
	uint8_t idx[PE_FL_MAX_DEPTH];	/* 0..15 */
};

/* Action counters (cleared by init/reset). A separate energy table prices
 * them; nothing here is in joules. */
struct pe_flightllm_counters {
	uint64_t cycles;	/* rising edges */
	uint64_t waves;		/* edges that took a wavefront with vld = 1 */
	uint64_t dsp_slots;	/* DSP-cycles of valid wavefronts: depth per
				 * wave, each 2 INT8 MACs (zero weights too) */
	uint64_t nz_slots;	/* of those, with a non-zero decoded weight */
	uint64_t mux_selects;	/* sparse-MUX picks = decodes = dsp_slots */
	uint64_t rn_results;	/* valid RN results (each 2 dot products) */
	uint64_t oau_moves;	/* OAU low-lane transfers on valid waves */
};

/* The front end of one wave, per DSP: the packed pre-adder value
 * AD = x1 2^18 + x0 (27 bits, never wraps) and the decoded weight. */
struct pe_fl_front {
	int32_t ad[PE_FL_MAX_DEPTH];
	int8_t w[PE_FL_MAX_DEPTH];
	uint16_t rn_brk;
	bool vld;
};

/* The chain's state (flat; bt state_size). Read it, change it only through
 * the functions below. */
struct pe_flightllm_chain {
	struct pe_flightllm_cfg cfg;
	/* pe_flightllm_chain_step of this configuration (chain_init) */
	void (*step)(struct pe_flightllm_chain *c, const uint64_t *in,
		     uint64_t *out);
	bool oau;			/* resolved */
	uint64_t t;			/* edges since reset */
	/* structural datapath: front end of wave i at ring[i % RING] */
	struct pe_fl_front ring[PE_FL_RING];
	/* inlined datapath, per wave i at row i % RING: what its pass down
	 * the chain leaves in DSP k's P and side registers (after edge
	 * i+k+3: pw, sw, column k); per edge e at row e % RING of yo: the y
	 * ports after it (RN g's column written by wave e-2g-4); rn: bit g
	 * the RN after DG g closes the group (the last DG always), bit 31
	 * the wave is valid */
	int64_t pw[PE_FL_RING * PE_FL_MAX_DEPTH];
	int64_t sw[PE_FL_RING * PE_FL_MAX_DEPTH];
	uint64_t yo[PE_FL_RING * PE_FL_MAX_DG];
	uint32_t rn[PE_FL_RING];
	/* the products of the wave that entered at the last edge: its pass
	 * down the chain runs at this edge */
	int64_t mk[PE_FL_MAX_DEPTH];
	/* out_valid of the next 16 edges, byte d of the edge d after the
	 * next (depth <= 16: 8 RNs, wave t-4's RN g shows at edge t+2g) */
	uint64_t vq[2];
	/* per configuration: DSP k starts a group iff (rn | 1 << 31) &
	 * start_bit[k] (always past the chain, so P stays 0 there);
	 * oau_lane[k] = -1 at an OAU stage */
	uint64_t start_bit[PE_FL_MAX_DEPTH];
	int64_t oau_lane[PE_FL_MAX_DEPTH];
	/* the P register of every DSP, and the OAU low-lane carry that
	 * travels with it (the inlined datapath: after a clock call) */
	int64_t p[PE_FL_MAX_DEPTH];
	int64_t side[PE_FL_MAX_DEPTH];
	/* structural datapath */
	struct pe_dsp48e2 dsp[PE_FL_MAX_DEPTH];
	uint64_t din[PE_FL_MAX_DEPTH][PE_DSP_N_IN];
	uint64_t dout[PE_FL_MAX_DEPTH][PE_DSP_N_OUT];
	/* outputs after the last edge: out_valid; the y ports ({hi, lo},
	 * 0 past the chain's DGs) and y_lo/y_hi, y split, after a clock
	 * call (a step writes its out ports instead) */
	uint64_t y[PE_FL_MAX_DG];
	int32_t y_lo[PE_FL_MAX_DG], y_hi[PE_FL_MAX_DG];
	uint16_t y_vld;
	struct pe_flightllm_counters cnt;
};

enum ps_status pe_flightllm_chain_init(struct pe_flightllm_chain *c,
				       const struct pe_flightllm_cfg *cfg,
				       struct ps_err *err);
void pe_flightllm_chain_reset(struct pe_flightllm_chain *c);
/* One rising edge taking wavefront w; the results are in y_lo/y_hi/y_vld. */
void pe_flightllm_chain_clock(struct pe_flightllm_chain *c,
			      const struct pe_flightllm_wave *w);
/* The same through the port words (pe_bt step). */
void pe_flightllm_chain_step(struct pe_flightllm_chain *c, const uint64_t *in,
			     uint64_t *out);
void pe_flightllm_wave_pack(const struct pe_flightllm_wave *w, uint64_t *in);

/* Packed-lane extraction at a reduction node: lo = sext18(P[17:0]),
 * hi = sext30(P[47:18]) + P[17] (without the + P[17] if !fix). */
static inline void pe_fl_extract(int64_t p, bool fix, int32_t *lo, int32_t *hi)
{
	uint64_t u = (uint64_t)p & ((1ull << 48) - 1);
	int64_t l = (int64_t)((u & 0x3ffff) ^ 0x20000) - 0x20000;
	int64_t h = (int64_t)((u >> 18) ^ (1ull << 29)) - (1ll << 29);
	*lo = (int32_t)l;
	*hi = (int32_t)(h + (fix ? (int64_t)((u >> 17) & 1) : 0));
}

/* "flightllm_chain": init from pe_params: lanes = depth (DSPs), weight_bits
 * = code bits; OAU automatic. */
extern const struct pe_bt_ops pe_flightllm_chain_bt;

/* ---- GEMM through the stepped array (pe_flightllm_gemm.c) ---- */

/* Weights [n, k] as the compiler's N:M quantizer lays them out
 * (compiler/cc_quant.h): per row, per 16-block of K, `stride` = 1 + nm_n/2
 * bytes of metadata (a count byte, then 4-bit indices, ascending, two per
 * byte, low nibble first) and nm_n codes of the kept values in index
 * order. nm_n = 16 (dense): `codes` [n*k] instead. */
struct pe_flightllm_weights {
	uint64_t n, k;
	uint32_t nm_n;		/* 2, 4, 8 or 16 */
	const uint8_t *codes;	/* dense */
	const uint8_t *meta, *vals;	/* N:M */
};

/* What a stepped run saw. */
struct pe_flightllm_run {
	uint64_t cycles;	/* edges from the first wave to the edge that
				 * shows the last result */
	uint64_t waves;		/* wavefronts per chain */
	struct pe_flightllm_counters cnt;	/* summed over the chains */
};

/* out[m, n, G] += sum over each quantization group of K (`group` K-values,
 * a multiple of 16; 0: all of K) of act[m, k] x w[n, k], exact integers,
 * computed by stepping `chains` chains of cfg in lockstep (the array
 * arrangement of README "Array"): waves go pair of tokens, 16-block of K,
 * batch of output channels, slice (outermost first). out must hold
 * m * n * G int64 and be zeroed by the caller. */
enum ps_status pe_flightllm_run_gemm(const struct pe_flightllm_cfg *cfg,
				     uint32_t chains,
				     const struct pe_flightllm_weights *wt,
				     const int8_t *act, uint64_t m,
				     uint64_t group, int64_t *out,
				     struct pe_flightllm_run *run,
				     struct ps_err *err);

/* The same, handing every RN lane to a sink instead: token, output
 * channel, 16-block of K and the lane's value. Per (token, channel) the
 * blocks arrive in order. */
struct pe_fl_sink {
	void (*put)(void *ctx, uint64_t tok, uint64_t ch, uint64_t blk,
		    int64_t v);
	void *ctx;
};
enum ps_status pe_flightllm_run_gemm_to(const struct pe_flightllm_cfg *cfg,
					uint32_t chains,
					const struct pe_flightllm_weights *wt,
					const int8_t *act, uint64_t m,
					const struct pe_fl_sink *sink,
					struct pe_flightllm_run *run,
					struct ps_err *err);

/* The closed form of run_gemm's cycles (README "Timing"), and its
 * wavefront count. */
uint64_t pe_flightllm_tile_cycles(uint32_t depth, uint32_t chains,
				  uint32_t nm_n, uint64_t m, uint64_t n,
				  uint64_t k);
uint64_t pe_flightllm_tile_waves(uint32_t depth, uint32_t chains,
				 uint32_t nm_n, uint64_t m, uint64_t n,
				 uint64_t k);

/* Activations to INT8 per token (the SFU's job in FlightLLM; [assumption]
 * README.md "Bit-true GEMM"): s = fp16(max|a| / 127), q = nearest INT8
 * with the formats' tie rule. q holds g->M * g->K codes, sa (NULL: not
 * wanted) g->M scales. gemm_bt and the RTL stimulus both use it. */
enum ps_status pe_flightllm_quant_acts(const struct pe_gemm *g, int8_t *q,
				       double *sa, struct ps_err *err);

/* Timing-level ops of the family (pe_registry.c). */
extern const struct pe_ops pe_flightllm_ops;

#endif

// flightllm_rn.v - the lane extraction of a reduction node (RN) of
// FlightLLM's CSD chain: the P register of the DSP group's last DSP holds
// (x1 w) 2^18 + (x0 w) summed down the cascade (Xilinx WP486 packing), and
// the RN splits it into the two tokens' sums (shared/reference/
// flightllm_dsp48.md; pe_fl_extract in pe_models/flightllm/pe_flightllm.h):
//
//   lo = sext18(P[17:0]) + side        token 0 (x0)
//   hi = sext30(P[47:18]) + P[17]      token 1 (x1)
//
// The + P[17] is the signed correction: a negative low lane borrows one
// from the high lane. `side` is the overflow adjust unit's low-lane carry
// (flightllm_chain.v), the lanes the OAU moved out of the cascade.
// Exact integer arithmetic, no rounding; both results fit 21 bits and are
// driven sign-extended to 32.
//
//   p     48  P of the DG's last DSP
//   side  SW  OAU carry, two's complement
//   y     64  {hi[31:0], lo[31:0]}
//
// `define MUTANT_NO_P17 builds a wrong RN on purpose: hi without the + P[17]
// correction (the C model's `no_sign_fix`), one too small whenever the low
// lane's sum is negative.
`default_nettype none

module flightllm_rn #(
    parameter integer SW = 20
) (
    input  wire [47:0]   p,
    input  wire [SW-1:0] side,
    output wire [63:0]   y
);
    wire [31:0] lo = {{14{p[17]}}, p[17:0]} + {{(32 - SW){side[SW-1]}}, side};
`ifdef MUTANT_NO_P17
    wire [31:0] hi = {{2{p[47]}}, p[47:18]};
`else
    wire [31:0] hi = {{2{p[47]}}, p[47:18]} + {31'd0, p[17]};
`endif

    assign y = {hi, lo};
endmodule

`default_nettype wire

// flightllm_smux.v - the sparse MUX in front of one DSP of FlightLLM's CSD
// chain (shared/reference/flightllm_dsp48.md): for N:M sparsity with
// M = 16 the DSP's stored 4-bit index of its kept weight picks one of the
// 16 activation pairs of the wavefront. Golden model: front() in
// pe_models/flightllm/pe_flightllm_chain.c (`w->act[w->idx[k] & 15]`).
//
//   act   256  pair j at [16j+15:16j] = {x1[7:0], x0[7:0]} (x0: token 0,
//              x1: token 1), two's complement INT8
//   idx     4  the pair to pick
//   x0, x1  8  the picked pair's two activations
//
// `define MUTANT_SMUX_IDX3 builds a wrong MUX on purpose: index bit 3 is
// dropped (an 8:1 MUX, as if M were 8), so indices 8..15 pick pairs 0..7.
`default_nettype none

module flightllm_smux (
    input  wire [255:0] act,
    input  wire [3:0]   idx,
    output wire [7:0]   x0,
    output wire [7:0]   x1
);
`ifdef MUTANT_SMUX_IDX3
    wire [3:0] sel = {1'b0, idx[2:0]};
    wire unused_ok = &{1'b0, idx[3]};
`else
    wire [3:0] sel = idx;
`endif
    wire [15:0] pair = act[{sel, 4'b0000} +: 16];

    assign x0 = pair[7:0];
    assign x1 = pair[15:8];
endmodule

`default_nettype wire

// pe_int8_dp4_mac.v - the INT8 DP4 unit: the INT8 MAC (pe_int8_mac.v) four
// lanes wide, for the LUT Tensor Core's density comparison with INT8
// tables (README "pesim area"):
//   acc = acc + (a0 w0 + a1 w1) + (a2 w2 + a3 w3)
// signed 8 x 8 products, their exact sum, a 32-bit accumulator that wraps.
// Golden model: pe_models/baseline/pe_int8_dp4_bt.c ("int8_dp4_mac"); the
// ports, the two register stages and every output bit after every rising
// edge equal its `step` (`pesim verify --pe int8_dp4`).
//
// Ports (pe_bt.h order): in_valid, in_last, a and w (32: 4 x INT8, lane i
// at [8i+7:8i]); out_valid, out_acc (32, two's complement). rst is
// synchronous and active high and clears every register.
//
// Pipeline, as pe_int8_mac.v: stage 1 registers the four products' sum
// (int8_dp4_mul.v, int8_dp4_tree.v); stage 2 adds it into the
// accumulator (int32_accum.v); a last beat moves the sum to out_acc, pulses out_valid and
// restarts the accumulator at 0 (the registers: pe_bl_pipe.v).
//
// `define MUTANT_DP4_SUM16 (int8_dp4_tree.v) keeps the lanes' sum in 16
// bits: `pesim verify --pe int8_dp4 --mutant` must catch it.
`default_nettype none

module pe_int8_dp4_mac (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_last,
    input  wire [31:0] a,
    input  wire [31:0] w,
    output wire        out_valid,
    output wire [31:0] out_acc
);
    wire [63:0] p;
    wire [31:0] tree;
    int8_dp4_mul u_mul (.a(a), .w(w), .p(p));
    int8_dp4_tree u_tree (.p(p), .y(tree));

    // ---- stage 2: accumulate; the registers: pe_bl_pipe.v ----
    wire [31:0] s1_sum;
    wire [31:0] acc;
    wire [31:0] sum;
    int32_accum u_acc (.acc(acc), .x(s1_sum), .y(sum));     // mod 2^32
    pe_bl_pipe #(.S1W(32), .ACCW(32)) u_pipe (
        .clk(clk), .rst(rst), .in_valid(in_valid), .in_last(in_last),
        .s1_next(tree), .sum(sum), .s1(s1_sum), .acc(acc),
        .out_valid(out_valid), .out_acc(out_acc));
endmodule

`default_nettype wire

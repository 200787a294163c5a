// pe_fp16_dp4_mac.v - the FP16 DP4 unit: the FP16 MAC (pe_fp16_mac.v) four
// lanes wide, built from the same blocks (rtl/common/fp16_mul.v,
// fp16_add.v), for the LUT Tensor Core's density comparison (README
// "pesim area", lut_tensor_core.md: LUT DP4 vs FP16 DP4):
//   acc = fp16_add(acc, (p0 + p1) + (p2 + p3)),  p_i = fp16_mul(a_i, w_i)
// every product and sum rounded once (RNE, subnormals, default NaN).
// Golden model: pe_models/baseline/pe_fp16_dp4_bt.c ("fp16_dp4_mac"); the
// ports, the two register stages and every output bit after every rising
// edge equal its `step` (`pesim verify --pe fp16_dp4`).
//
// Ports (pe_bt.h order, inputs then outputs):
//   in_valid  1  this edge samples a beat (a, w); 0 is a bubble
//   in_last   1  the beat is the last of a dot product
//   a, w     64  4 x binary16, lane i at [16i+15:16i]
//   out_valid 1  one-cycle pulse: out_acc holds a new dot product
//   out_acc  16  registered result, held until the next pulse
// rst is synchronous and active high and clears every register.
//
// Pipeline, as pe_fp16_mac.v: stage 1 (edge t) registers the tree's sum
// of the four rounded products (rtl/baseline/fp16_tree4.v); stage 2 (edge t+1) adds it
// into the accumulator (rtl/baseline/fp16_accum.v); a last beat moves the sum to
// out_acc, pulses out_valid and restarts the accumulator at +0 (the
// registers: pe_bl_pipe.v).
//
// `define MUTANT_DP4_CHAIN (rtl/baseline/fp16_tree4.v) sums the products in a chain:
// `pesim verify --pe fp16_dp4 --mutant` must catch it.
`default_nettype none

module pe_fp16_dp4_mac (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_last,
    input  wire [63:0] a,
    input  wire [63:0] w,
    output wire        out_valid,
    output wire [15:0] out_acc
);
    // ---- stage 1: four products, their tree ----
    wire [63:0] p;
    genvar i;
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_mul
            fp16_mul u_mul (.a(a[16*i +: 16]), .b(w[16*i +: 16]), .y(p[16*i +: 16]));
        end
    endgenerate
    wire [15:0] tree;
    fp16_tree4 u_tree (.a(p), .y(tree));

    // ---- stage 2: accumulate; the registers: pe_bl_pipe.v ----
    wire [15:0] s1_sum;
    wire [15:0] acc;
    wire [15:0] sum;
    fp16_accum u_acc (.acc(acc), .x(s1_sum), .y(sum));
    pe_bl_pipe #(.S1W(16), .ACCW(16)) u_pipe (
        .clk(clk), .rst(rst), .in_valid(in_valid), .in_last(in_last),
        .s1_next(tree), .sum(sum), .s1(s1_sum), .acc(acc),
        .out_valid(out_valid), .out_acc(out_acc));
endmodule

`default_nettype wire

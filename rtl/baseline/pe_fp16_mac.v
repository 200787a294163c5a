// pe_fp16_mac.v - the FP16 baseline PE of BitMoD and MixPE: an IEEE
// binary16 multiply-accumulate, not fused: acc = add(acc, mul(a, w)), the
// product rounded to FP16 before the add (two roundings per element).
// Golden model: pe_models/baseline/pe_fp16_mac_bt.c ("fp16_mac"); the
// ports, the two register stages and every output bit after every rising
// edge equal its `step` (rtl/baseline/README.md, harness/).
//
// Ports (pe_bt.h order, inputs then outputs):
//   in_valid  1  this edge samples a beat (a, w); 0 is a bubble, the other
//                inputs are then ignored
//   in_last   1  the beat is the last of a dot product (ignored without
//                in_valid)
//   a, w     16  binary16 activation and weight
//   out_valid 1  one-cycle pulse: out_acc holds a new dot product
//   out_acc  16  registered result, held until the next pulse
// rst is synchronous and active high: the edge that samples it clears
// every register, as the model's reset() (a memset) does.
//
// Pipeline (pe_models/baseline/README.md "Pipeline and timing"):
//   stage 1 (edge t):   s1_prod <= RNE16(a * w), with valid and last;
//   stage 2 (edge t+1): sum = RNE16(acc + s1_prod); a last beat moves the
//                       sum to out_acc, pulses out_valid and restarts acc
//                       at +0, so dots follow each other with no bubble.
// The adder is the only feedback loop (acc -> fp16_add -> acc), one cycle.
// Arithmetic: rtl/common/fp16_mul.v and fp16_add.v (pe_f16_mul and
// pe_f16_add: RNE, subnormals kept, default NaN 16'h7e00, x + (-x) = +0).
//
// `define MUTANT_FP16_FTZ builds a wrong PE on purpose: subnormal operands
// and subnormal products and sums are flushed to a signed zero (an FTZ/DAZ
// datapath, the "fp16_mac_ftz" mutant of tests/unit/test_pe_baseline.c).
// The lockstep check must see it mismatch, which proves the check can fail.
`default_nettype none

module pe_fp16_mac (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_last,
    input  wire [15:0] a,
    input  wire [15:0] w,
    output wire        out_valid,
    output wire [15:0] out_acc
);
    // ---- stage 1: multiply, rounded to FP16 ----
    wire [15:0] mul_a;
    wire [15:0] mul_w;
    wire [15:0] prod_rnd;
    wire [15:0] prod;
`ifdef MUTANT_FP16_FTZ
    // exponent field 0: zero or subnormal -> signed zero
    assign mul_a = (|a[14:10]) ? a : {a[15], 15'd0};
    assign mul_w = (|w[14:10]) ? w : {w[15], 15'd0};
    assign prod  = (|prod_rnd[14:10]) ? prod_rnd : {prod_rnd[15], 15'd0};
`else
    assign mul_a = a;
    assign mul_w = w;
    assign prod  = prod_rnd;
`endif
    fp16_mul u_mul (.a(mul_a), .b(mul_w), .y(prod_rnd));

    // ---- stage 2: accumulate, rounded to FP16 (registers: pe_bl_pipe.v) ----
    wire [15:0] s1_prod;
    wire [15:0] acc;
    wire [15:0] sum_rnd;
    wire [15:0] sum;
    fp16_add u_add (.a(acc), .b(s1_prod), .y(sum_rnd));
`ifdef MUTANT_FP16_FTZ
    assign sum = (|sum_rnd[14:10]) ? sum_rnd : {sum_rnd[15], 15'd0};
`else
    assign sum = sum_rnd;
`endif

    pe_bl_pipe #(.S1W(16), .ACCW(16)) u_pipe (
        .clk(clk), .rst(rst), .in_valid(in_valid), .in_last(in_last),
        .s1_next(prod), .sum(sum), .s1(s1_prod), .acc(acc),
        .out_valid(out_valid), .out_acc(out_acc));
endmodule

`default_nettype wire

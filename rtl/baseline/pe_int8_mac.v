// pe_int8_mac.v - the INT8 baseline PE of MixPE: signed 8 x 8 -> 16-bit
// product, 32-bit two's complement accumulator that wraps modulo 2^32 (no
// saturation). Golden model: pe_models/baseline/pe_int8_mac_bt.c
// ("int8_mac"); ports, register stages and every output bit after every
// rising edge equal its `step` (rtl/baseline/README.md, harness/).
//
// Ports (pe_bt.h order, inputs then outputs):
//   in_valid  1  this edge samples a beat (a, w); 0 is a bubble, the other
//                inputs are then ignored
//   in_last   1  the beat is the last of a dot product (ignored without
//                in_valid)
//   a, w      8  signed two's complement operands, -128 included
//   out_valid 1  one-cycle pulse: out_acc holds a new dot product
//   out_acc  32  registered result (two's complement), held until the next
//                pulse
// rst is synchronous and active high: the edge that samples it clears
// every register, as the model's reset() (a memset) does.
//
// Pipeline as pe_fp16_mac.v: stage 1 registers the exact 16-bit product
// (-128 x -128 = 2^14 is the only one that needs all 16 bits), stage 2
// adds it, sign-extended, into the accumulator and on a last beat moves
// the sum to out_acc, pulses out_valid and restarts the accumulator at 0.
// The model keeps the product sign-extended to 32 bits; the register here
// holds 16 and extends at the adder, which is the same sum.
//
// `define MUTANT_INT8_ACC16 builds a wrong PE on purpose: a 16-bit
// accumulator that wraps modulo 2^16, its sum sign-extended onto out_acc
// (the "int8_mac_acc16" mutant of tests/unit/test_pe_baseline.c). The
// lockstep check must see it mismatch.
`default_nettype none

module pe_int8_mac (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_last,
    input  wire [7:0]  a,
    input  wire [7:0]  w,
    output wire        out_valid,
    output wire [31:0] out_acc
);
    // ---- stage 1: exact signed product ----
    wire signed [15:0] prod = $signed(a) * $signed(w);

    // ---- stage 2: wrapping accumulator (registers: pe_bl_pipe.v) ----
    wire [15:0] s1_prod;
`ifdef MUTANT_INT8_ACC16
    // acc holds the sign-extended 16-bit sum: only its low half is read
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] acc;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [15:0] sum16 = acc[15:0] + s1_prod;        // wraps mod 2^16
    wire [31:0] sum   = {{16{sum16[15]}}, sum16};
`else
    wire [31:0] acc;
    wire [31:0] sum   = acc + {{16{s1_prod[15]}}, s1_prod};  // mod 2^32
`endif

    pe_bl_pipe #(.S1W(16), .ACCW(32)) u_pipe (
        .clk(clk), .rst(rst), .in_valid(in_valid), .in_last(in_last),
        .s1_next(prod), .sum(sum), .s1(s1_prod), .acc(acc),
        .out_valid(out_valid), .out_acc(out_acc));
endmodule

`default_nettype wire

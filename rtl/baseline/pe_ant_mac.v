// pe_ant_mac.v - the ANT baseline PE as BitMoD evaluates it (the "FP16xINT8
// FMA" stand-in PE, bitmod.md): a 4-bit weight code, int4 or flint4 by
// w_fmt, decoded by a ROM to an INT8 value q and fed with an FP16
// activation to an FP16 x INT8 fused multiply-add into an FP16
// accumulator, acc = RNE16(acc + a * q), one rounding per element.
// Golden model: pe_models/baseline/pe_ant_bt.c ("ant_mac"); the ports, the
// two register stages and every output bit after every rising edge equal
// its `step` (rtl/baseline/README.md, `pesim verify --pe ant_mac`).
//
// Ports (pe_bt.h order, inputs then outputs):
//   in_valid  1  this edge samples a beat (w_fmt, a, w); 0 is a bubble, the
//                other inputs are then ignored
//   in_last   1  the beat is the last of a dot product (ignored without
//                in_valid)
//   w_fmt     1  the code's format: 0 int4 (+-7; 1000 = -8, reserved),
//                1 flint4 x4 (+-{0,1,2,3,4,6,8,16}); sampled with each beat
//   a        16  binary16 activation
//   w         4  weight code
//   out_valid 1  one-cycle pulse: out_acc holds a new dot product
//   out_acc  16  registered binary16 result, held until the next pulse
// rst is synchronous and active high: the edge that samples it clears
// every register, as the model's reset() does (the decoder is a ROM, no
// state: the model's table survives reset, as this one does).
//
// Pipeline (pe_models/baseline/README.md "Pipeline and timing"):
//   stage 1 (edge t):   s1_q <= decode(w_fmt, w), s1_a <= a, with valid and
//                       last (the model's s1_a, s1_q);
//   stage 2 (edge t+1): sum = FMA(acc, s1_a, s1_q); a last beat moves the
//                       sum to out_acc, pulses out_valid and restarts acc
//                       at +0, so dots follow each other with no bubble.
// The FMA (ant_fma.v) is the only feedback loop (acc -> FMA -> acc). The
// decoder is ant_decode.v (the model's dec[][] table).
//
// Mutants (wrong on purpose, same ports; the lockstep check must see them
// mismatch): `define MUTANT_ANT_FLINT_16 -- flint4's +-16 decodes to 0
// (ant_decode.v); `define MUTANT_ANT_ROUND_PRODUCT -- the product is
// rounded to binary16 before the add (ant_fma.v).
`default_nettype none

module pe_ant_mac (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_last,
    input  wire        w_fmt,
    input  wire [15:0] a,
    input  wire [3:0]  w,
    output wire        out_valid,
    output wire [15:0] out_acc
);
    // ---- stage 1: decode ----
    wire [7:0]  q;
    ant_decode u_dec (.fmt(w_fmt), .code(w), .q(q));

    // ---- stage 2: fused multiply-add into the accumulator (registers:
    // pe_bl_pipe.v, its stage 1 holding {a, q}) ----
    wire [15:0] s1_a;
    wire [7:0]  s1_q;
    wire [15:0] acc;
    wire [15:0] sum;
    ant_fma u_fma (.c(acc), .a(s1_a), .q(s1_q), .y(sum));

    pe_bl_pipe #(.S1W(24), .ACCW(16)) u_pipe (
        .clk(clk), .rst(rst), .in_valid(in_valid), .in_last(in_last),
        .s1_next({a, q}), .sum(sum), .s1({s1_a, s1_q}), .acc(acc),
        .out_valid(out_valid), .out_acc(out_acc));
endmodule

`default_nettype wire

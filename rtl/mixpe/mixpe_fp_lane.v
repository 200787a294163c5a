// mixpe_fp_lane.v - one W4A16 lane of the MixPE PE: an FP16 activation
// times a signed WBITS-bit weight without a multiplier, combinational.
//
// "A shift is an exponent add" (shared/reference/mixpe.md): the copy
// a << j is a with j added to its exponent, so every copy shares a's
// 11-bit significand m and their signed sum is the integer
//   P = -w[b-1] (m << (b-1)) + sum_{j<b-1} w[j] (m << j)
// (one shifted copy per set weight bit, all planes in the same cycle),
// exact in 11 + b + 1 bits. It is normalized and rounded once
// (fp16_round of rtl/common), so -8a beyond 65504 inside a w = -1 product cannot
// overflow early. Special cases as IEEE RNE16(a x w): NaN a or inf x 0 ->
// 16'h7e00; inf x w -> inf with sign(a) ^ w[b-1]; a zero product has sign
// sign(a) ^ w[b-1] (w = 0 is +0). Bit for bit pe_mixpe_fp_product
// (pe_models/mixpe/pe_mixpe_pe.c).
//
// `define MUTANT_MSB_POS adds the MSB copy instead of subtracting it (the
// weight read as unsigned; the C model's PE_MIXPE_BUG_MSB_POS): here the
// sign of an inf or zero product, in mixpe_shadd the sum.
`default_nettype none

module mixpe_fp_lane #(
    parameter integer WBITS = 4     // 2..4
) (
    input  wire [15:0]      a,
    input  wire [WBITS-1:0] w,
    output wire [15:0]      y
);
    localparam integer PW = 11 + WBITS + 1;   // signed width of P

    wire        sa  = a[15];
    wire [4:0]  ex  = a[14:10];
    wire [9:0]  fr  = a[9:0];
`ifdef MUTANT_MSB_POS
    wire        sw  = 1'b0;
`else
    wire        sw  = w[WBITS-1];
`endif
    wire [10:0] m   = {|ex, fr};                        // hidden bit
    wire [4:0]  e   = (ex == 5'd0) ? 5'd1 : ex;         // subnormal scale
    wire signed [PW-1:0] p;                             // the shift&add tree
    mixpe_shadd #(.WBITS(WBITS), .AW(11), .SIGNED(0), .PW(PW)) u_shadd (
        .a(m),
        .w(w),
        .p(p)
    );
    wire [PW-1:0] mag = p[PW-1] ? -p : p;
    wire [15:0] r;

    fp16_round #(.QW(PW), .XW(8)) u_round (
        .sign  (p[PW-1] ^ sa),
        .q     (mag),
        .sticky(1'b0),
        .x     ({3'd0, e} - 8'd25),
        .y     (r)
    );

    assign y = (&ex) ? (((|fr) | ~(|w)) ? 16'h7e00 : {sa ^ sw, 15'h7c00}) :
               (p == {PW{1'b0}}) ? {sa ^ sw, 15'd0} :
               r;
endmodule

`default_nettype wire

// lut_tc_dequant.v - the INT8-table dequantizer of one accumulator:
// y = RNE16(isum x scale), the exact product rounded once, combinational
// (pe_models/lut_tc/README.md "INT8-table option"; the C model's dequant
// in pe_lut_tc_tile.c).
//
// A NaN scale, and an infinite scale times 0, give NaN (16'h7e00); an
// infinite scale times a nonzero sum gives the signed infinity. Otherwise
// |isum| x scale = (|isum| m) 2^(e - 25) with m the scale's 11-bit
// significand (hidden bit 0 when subnormal) and e = max(field, 1): an
// exact integer of at most IW + 11 bits, rounded by fp16_round (rtl/common), whose
// precondition holds (a normal scale has m >= 2^10, so a nonzero product
// is >= 2^10; a subnormal one has x = -24). The sign is sign(isum) XOR
// sign(scale), also for a zero product (as the C double product gives).
`default_nettype none

module lut_tc_dequant #(
    parameter integer IW = 20       // isum width (two's complement)
) (
    input  wire [IW-1:0] isum,
    input  wire [15:0]   scale,
    output wire [15:0]   y
);
`ifndef SYNTHESIS
    initial begin
        if (IW < 2 || IW > 40)
            $fatal(1, "lut_tc_dequant: IW = %0d: 2..40", IW);
    end
`endif

    wire          neg   = isum[IW-1];
    wire [IW-1:0] mag   = neg ? {IW{1'b0}} - isum : isum;   // -2^(IW-1) fits unsigned
    wire [4:0]    fld   = scale[14:10];
    wire          s_nan = (&fld) & (|scale[9:0]);
    wire          s_inf = (&fld) & ~(|scale[9:0]);
    wire [4:0]    e     = fld | {4'd0, ~|fld};
    wire [10:0]   m     = {|fld, scale[9:0]};
    wire [IW+10:0] q    = {{11{1'b0}}, mag} * {{IW{1'b0}}, m};
    wire signed [7:0] x = $signed({3'd0, e}) - 8'sd25;
    wire          sgn   = neg ^ scale[15];
    wire [15:0]   y_r;
    fp16_round #(.QW(IW + 11), .XW(8)) u_rnd (
        .sign(sgn), .q(q), .sticky(1'b0), .x(x), .y(y_r));

    assign y = (s_nan | (s_inf & ~|isum)) ? 16'h7e00 :
               s_inf ? {sgn, 15'h7c00} :
               y_r;
endmodule

`default_nettype wire

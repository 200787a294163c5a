// fp16_round.v - an unsigned integer (plus a sticky fraction) times a
// power of two, rounded once to IEEE binary16 (to nearest, ties to even),
// combinational.
//
// y = sign * (q + f) * 2^x, where f is 0 (sticky = 0) or some value in
// (0, 1) (sticky = 1: q's bits below bit 0 were not all zero). It serves
// every single-rounding step of the RTL whose C model rounds an exact
// value once:
//   LUT Tensor Core (pe_models/lut_tc/README.md "Numerics"):
//     the INT8 table scale  RNE(max|T| / 127)   (lut_tc_quant8: q = the
//                                                quotient, sticky = rest != 0)
//     the INT8 dequantizer  RNE(isum x scale)   (lut_tc_dequant: exact)
//   MixPE (pe_models/mixpe/README.md "Numerics"), both exact, x = e - 25
//   with e = max(exponent field, 1) of the FP16 operand and q its 11-bit
//   significand times an integer:
//     the shift&add lane product |a w| = |P| 2^(e_a - 25)  (mixpe_fp_lane)
//     the INT8 dequantizer s x D = m_s |D| 2^(e_s - 25)     (mixpe_pe)
//
// The kept significand is q >> s with s = max(n - 11, -24 - x): n is q's
// bit length, so a normal result keeps 11 bits and a subnormal one (its
// quantum 2^-24) keeps the bits at and above 2^-24. Rounding adds the
// increment to the packed {field - 1, significand}, so a subnormal that
// rounds up to 2^-14 becomes the smallest normal, a rounded-up all-ones
// significand carries into the exponent, and 65504 rounded up becomes
// infinity (>= 16'h7c00), with one adder (the C models'
// pe_mixpe_fp_product does exactly this).
//
// Precondition (every user meets it; stated in their files): s >= 0, i.e.
// q >= 2^10 or x <= -24 (the value never needs a left shift), and q = 0
// only for an exact zero (sticky = 0), which gives the signed zero.
`default_nettype none

module fp16_round #(
    parameter integer QW = 31,      // width of q, 12..62
    parameter integer XW = 8        // width of the signed exponent x
) (
    input  wire                 sign,
    input  wire [QW-1:0]        q,
    input  wire                 sticky,
    input  wire signed [XW-1:0] x,
    output wire [15:0]          y
);
`ifndef SYNTHESIS
    initial begin
        if (QW < 12 || QW > 62)
            $fatal(1, "fp16_round: QW = %0d: 12..62", QW);
        if (XW < 6 || XW > 16)
            $fatal(1, "fp16_round: XW = %0d: 6..16", XW);
    end
`endif

    // bits needed for v (0 for 0)
    function automatic [7:0] bitlen(input [QW-1:0] v);
        integer i;
        begin
            bitlen = 8'd0;
            for (i = 0; i < QW; i = i + 1)
                if (v[i])
                    bitlen = i[7:0] + 8'd1;
        end
    endfunction

    localparam integer SMAX = QW + 1;
    wire signed [17:0] s_max = SMAX[17:0];
    // the two candidate shifts, as 18-bit signed values (|x| < 2^15)
    wire signed [17:0] x_w  = {{(18 - XW){x[XW-1]}}, x};
    wire signed [17:0] s_n  = $signed({10'd0, bitlen(q)}) - 18'sd11;
    wire signed [17:0] s_x  = -18'sd24 - x_w;
    wire signed [17:0] s_m  = (s_n > s_x) ? s_n : s_x;
    // precondition s_m >= 0; a shift past q's top bit keeps nothing
    wire signed [17:0] s_c  = (s_m < 18'sd0) ? 18'sd0 :
                              (s_m > s_max) ? s_max : s_m;
    wire [7:0]         s    = s_c[7:0];

    // kept bits, the guard bit (the highest dropped one) and the sticky
    // bits below it; with s = 0 nothing is dropped
    wire [QW:0]   qx    = {1'b0, q};
    wire [QW:0]   kept  = qx >> s;
    wire [QW:0]   g_bit = (s == 8'd0) ? {(QW + 1){1'b0}}
                                      : ({{QW{1'b0}}, 1'b1} << (s - 8'd1));
    wire          guard = |(qx & g_bit);
    wire          stk   = sticky | (|(qx & (g_bit - {{QW{1'b0}}, 1'b1})));
    wire          inc   = guard & (stk | kept[0]);
    // s >= n - 11: at most 11 kept bits, so kept[QW:11] is 0
    wire [11:0]   kr    = {1'b0, kept[10:0]} + {11'd0, inc};
    // field - 1 of the kept LSB's weight: s + x + 24 >= 0 by the choice of s
    wire signed [17:0] fe = s_c + x_w + 18'sd24;
    wire [27:0]   bits  = {fe[17:0], 10'd0} + {16'd0, kr};

    /* verilator lint_off UNUSEDSIGNAL */
    wire          unused = &{1'b0, kept[QW:11]};
    /* verilator lint_on UNUSEDSIGNAL */

    assign y = (q == {QW{1'b0}}) ? {sign, 15'd0} :
               (bits >= 28'h7c00) ? {sign, 15'h7c00} :
               {sign, bits[14:0]};
endmodule

`default_nettype wire

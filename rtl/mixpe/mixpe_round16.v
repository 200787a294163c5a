// mixpe_round16.v - an exact unsigned integer times a power of two,
// rounded once to IEEE binary16 (to nearest, ties to even), combinational.
//
// y = sign * q * 2^(e - 25), e in 1..30. That is the form of both of
// MixPE's single-rounding products (pe_models/mixpe/README.md
// "Numerics"): the shift&add lane product |a w| = |P| 2^(e_a - 25) and the
// INT8 dequantizer's s x D = m_s |D| 2^(e_s - 25), with e = max(exponent
// field, 1) of the FP16 operand and q its 11-bit significand times an
// integer. Precondition (true for both users): q >= 2^10 or e = 1, i.e. q
// comes from a normal operand (hidden bit set) or a subnormal one; then
// keeping the top 11 of q's n bits (s = n - 11 dropped) and adding the
// increment to the packed {e + s - 1, q} gives the normal result, a
// subnormal one (e = 1, q < 2^10), the carry of a rounded-up significand
// into the exponent, and overflow past 65504 into infinity, all from one
// addition: the C model's pe_mixpe_fp_product does exactly this.
// q = 0 gives a signed zero.
`default_nettype none

module mixpe_round16 #(
    parameter integer QW = 16       // width of q, >= 13
) (
    input  wire          sign,
    input  wire [QW-1:0] q,
    input  wire [4:0]    e,
    output wire [15:0]   y
);
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

    wire [7:0]    n     = bitlen(q);
    wire [7:0]    s     = (n > 8'd11) ? n - 8'd11 : 8'd0;  // bits dropped
    // the kept bits: after the shift only the low 11 can be set
    /* verilator lint_off UNUSEDSIGNAL */
    wire [QW-1:0] kept  = q >> s;
    /* verilator lint_on UNUSEDSIGNAL */
    // the guard bit (the highest dropped one), and the bits below it
    wire [QW-1:0] g_bit = (s == 8'd0) ? {QW{1'b0}} : ({{(QW-1){1'b0}}, 1'b1} << (s - 8'd1));
    wire          guard = |(q & g_bit);
    wire          stk   = |(q & (g_bit - {{(QW-1){1'b0}}, 1'b1}));
    wire          inc   = guard & (stk | kept[0]);   // s = 0: guard = 0
    wire [11:0]   qr    = {1'b0, kept[10:0]} + {11'd0, inc};
    wire [7:0]    ex    = {3'd0, e} + s - 8'd1;       // exponent field of q's bit 10
    wire [17:0]   bits  = {ex, 10'd0} + {6'd0, qr};

    assign y = (q == {QW{1'b0}}) ? {sign, 15'd0} :
               (bits >= 18'h7c00) ? {sign, 15'h7c00} :
               {sign, bits[14:0]};
endmodule

`default_nettype wire

// lut_tc_qcode.v - one INT8 table code: q = RNE(t / s) clamped to
// [-127, 127], combinational (pe_models/lut_tc/README.md "INT8-table
// option"; the C model's quant8 in pe_lut_tc_pre.c).
//
// t is a finite FP16 table entry, s the table's scale (positive, finite,
// nonzero: lut_tc_quant8 forces 2^-24 for a scale that rounds to 0 and
// sends no code at all for a NaN scale). The quotient is rounded once, to
// nearest with ties to even, from the exact ratio:
//   both significands are normalized (leading one at bit 10, subnormals
//   shifted up with their exponent lowered), so t/s = (mt/ms) 2^d with
//   mt/ms in (1/2, 2);
//   d >= 8: t/s > 128, the code clamps to 127;
//   d <= -2: t/s < 1/2, the code is 0;
//   else 2 t/s = (mt << (d + 1)) / ms, an integer division (19 by 11
//   bits) whose quotient's LSB is the half bit and whose remainder is the
//   sticky bit.
//
// `define MUTANT_PRE_TIE_AWAY rounds the quotient's ties away from zero
// (a wrong design on purpose: `pesim verify --pe lut_tc_pre --mutant`
// must catch it; the stimulus holds tables with exact .5 quotients).
`default_nettype none

module lut_tc_qcode (
    input  wire [15:0] t,
    input  wire [14:0] s,
    output wire [7:0]  code
);
    // leading zeros of an 11-bit significand (it is never 0 here)
    function automatic [3:0] clz11(input [10:0] v);
        integer i;
        begin
            clz11 = 4'd11;
            for (i = 0; i < 11; i = i + 1)
                if (v[i])
                    clz11 = 4'd10 - i[3:0];
        end
    endfunction

    // exponent field 0 scales like 1, hidden bit 0
    wire [4:0]  e_t = t[14:10] | {4'd0, ~|t[14:10]};
    wire [4:0]  e_s = s[14:10] | {4'd0, ~|s[14:10]};
    wire [10:0] m_t = {|t[14:10], t[9:0]};
    wire [10:0] m_s = {|s[14:10], s[9:0]};
    wire [3:0]  lz_t = clz11(m_t);
    wire [3:0]  lz_s = clz11(m_s);
    wire [10:0] n_t = m_t << lz_t;
    wire [10:0] n_s = m_s << lz_s;
    // d = (e_t - lz_t) - (e_s - lz_s), in -40..40
    wire signed [7:0] d = $signed({3'd0, e_t}) - $signed({4'd0, lz_t})
                        - $signed({3'd0, e_s}) + $signed({4'd0, lz_s});

    wire        gt_128  = d >= 8'sd8;
    wire        lt_half = d <= -8'sd2;
    // d + 1 in 0..8 when neither
    wire signed [7:0] sh_s = d + 8'sd1;
    wire [3:0]  sh    = (gt_128 | lt_half) ? 4'd0 : sh_s[3:0];
    wire [18:0] num   = {8'd0, n_t} << sh;
    wire [18:0] den   = {8'd0, n_s};
    wire [18:0] q2    = num / den;         // 2 t/s, truncated: < 512
    wire [18:0] rem   = num % den;
    wire [8:0]  qi    = q2[9:1];
    wire        half  = q2[0];
`ifdef MUTANT_PRE_TIE_AWAY
    wire        inc   = half;
    wire        unused_mutant = &{1'b0, rem, qi[0]};
`else
    wire        inc   = half & ((|rem) | qi[0]);
`endif
    wire [9:0]  qr    = {1'b0, qi} + {9'd0, inc};
    wire [6:0]  mag   = (~|m_t | lt_half) ? 7'd0 :
                        gt_128 ? 7'd127 :
                        (qr > 10'd127) ? 7'd127 : qr[6:0];

    /* verilator lint_off UNUSEDSIGNAL */
    wire        unused = &{1'b0, q2[18:10], sh_s[7:4]};
    /* verilator lint_on UNUSEDSIGNAL */

    assign code = t[15] ? 8'd0 - {1'b0, mag} : {1'b0, mag};
endmodule

`default_nettype wire

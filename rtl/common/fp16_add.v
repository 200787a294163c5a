// fp16_add.v - IEEE 754 binary16 adder, combinational.
//
// One rounding, to nearest with ties to even; subnormal operands and
// results; infinities; any NaN operand, and inf + (-inf), give the default
// quiet NaN 16'h7e00. An exact zero sum is +0 unless both operands are
// negative (x + (-x) = +0, -0 + -0 = -0; IEEE 754-2008 6.3). These are
// the semantics of pe_f16_add (pe_models/pe_fp16.c), the golden model that
// tests/unit/test_rtl_fp16.c checks this module against bit for bit.
//
// Datapath (the textbook guard/round/sticky adder): order the operands by
// magnitude, so the significand difference is never negative; align the
// smaller one with 2 extra bits (guard, round) and a sticky bit that ORs
// everything shifted further; add or subtract; normalize (one right shift
// on carry-out, or a left shift by the leading zeros, limited so the
// exponent stays >= 1: the result is then subnormal); round by adding the
// increment to the packed {exponent, fraction}, which carries a rounded-up
// all-ones fraction into the exponent and the largest finite number into
// infinity. Three extra bits suffice: bits are lost in alignment only when
// the exponents differ by >= 2, and then cancellation shifts left by <= 1.
//
// `define MUTANT_TIE_AWAY rounds ties away from zero instead (a wrong
// design on purpose): the cross-check test builds it as a second model and
// must see mismatches, which proves the check can fail.
`default_nettype none

module fp16_add (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output wire [15:0] y
);
    // leading zeros of a 14-bit vector (14 when it is zero)
    function automatic [3:0] clz14(input [13:0] v);
        integer i;
        begin
            clz14 = 4'd14;
            for (i = 0; i < 14; i = i + 1)
                if (v[i])
                    clz14 = 4'd13 - i[3:0];
        end
    endfunction

    wire        sa = a[15];
    wire        sb = b[15];
    wire        a_nan = (&a[14:10]) & (|a[9:0]);
    wire        b_nan = (&b[14:10]) & (|b[9:0]);
    wire        a_inf = (&a[14:10]) & ~(|a[9:0]);
    wire        b_inf = (&b[14:10]) & ~(|b[9:0]);
    wire        sub   = sa ^ sb;

    // l: the operand of larger magnitude, s: the other one
    wire        swap  = b[14:0] > a[14:0];
    wire [14:0] mag_l = swap ? b[14:0] : a[14:0];
    wire [14:0] mag_s = swap ? a[14:0] : b[14:0];
    wire        sgn_l = swap ? sb : sa;

    // exponent field 0 (zero, subnormal) scales like 1, hidden bit 0
    wire [4:0]  e_l = mag_l[14:10] | {4'd0, ~|mag_l[14:10]};
    wire [4:0]  e_s = mag_s[14:10] | {4'd0, ~|mag_s[14:10]};
    wire [10:0] m_l = {|mag_l[14:10], mag_l[9:0]};
    wire [10:0] m_s = {|mag_s[14:10], mag_s[9:0]};

    // alignment: a shift of 16 already moves every bit of m_s into sticky
    wire [4:0]  d     = e_l - e_s;
    wire [4:0]  d_c   = (d > 5'd16) ? 5'd16 : d;
    wire [26:0] sh    = {m_s, 16'd0} >> d_c;
    wire [13:0] x_al  = {m_l, 3'b000};             // significand, G, R, S
    wire [13:0] y_al  = {sh[26:14], |sh[13:0]};
    wire [14:0] sum   = sub ? {1'b0, x_al} - {1'b0, y_al}
                            : {1'b0, x_al} + {1'b0, y_al};

    // normalization
    wire        co    = sum[14];
    wire [3:0]  lz    = clz14(sum[13:0]);
    wire [4:0]  lim   = e_l - 5'd1;                 // keep the exponent >= 1
    wire [3:0]  ls    = ({1'b0, lz} > lim) ? lim[3:0] : lz;
    wire [13:0] n     = co ? {sum[14:2], sum[1] | sum[0]} : sum[13:0] << ls;
    wire [5:0]  e_n   = co ? {1'b0, e_l} + 6'd1 : {1'b0, e_l} - {2'd0, ls};

    // rounding: n = {hidden, fraction[9:0], guard, round, sticky}
`ifdef MUTANT_TIE_AWAY
    wire        inc   = n[2];
    wire        unused_mutant = &{1'b0, n[3], n[1:0]};
`else
    wire        inc   = n[2] & (n[3] | n[1] | n[0]);
`endif
    wire [4:0]  e_f   = n[13] ? e_n[4:0] : 5'd0;   // hidden bit 0: subnormal
    wire [14:0] rnd   = {e_f, n[12:3]} + {14'd0, inc};
    wire        ovf   = e_n[5] | (&e_n[4:0]);       // carried past 30: inf

    assign y = (a_nan | b_nan | (a_inf & b_inf & sub)) ? 16'h7e00 :
               a_inf ? a :
               b_inf ? b :
               (~|sum) ? {sa & sb, 15'd0} :
               ovf ? {sgn_l, 15'h7c00} :
               {sgn_l, rnd};
endmodule

`default_nettype wire

// fp16_mul.v - IEEE 754 binary16 multiplier, combinational.
//
// One rounding, to nearest with ties to even; subnormal operands and
// results; infinities; any NaN operand, and inf x 0, give the default
// quiet NaN 16'h7e00; the sign of a zero or infinite product is the XOR of
// the operand signs. The semantics of pe_f16_mul (pe_models/pe_fp16.c).
//
// Datapath: the exact 22-bit product of the 11-bit significands (hidden
// bit 0 for subnormals), normalized so its leading one sits at bit 21;
// when the biased exponent of that is <= 0 the result is subnormal and
// the product shifts right by 1 - E into a sticky bit; rounding adds the
// increment to the packed {exponent, fraction} (a rounded-up fraction
// carries into the exponent, the largest finite number into infinity).
// The product is exact, so a guard bit and a sticky bit decide rounding.
//
// `define MUTANT_TIE_AWAY rounds ties away from zero (wrong on purpose;
// see fp16_add.v).
`default_nettype none

module fp16_mul (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output wire [15:0] y
);
    // leading zeros of a 22-bit vector (22 when it is zero)
    function automatic [4:0] clz22(input [21:0] v);
        integer i;
        begin
            clz22 = 5'd22;
            for (i = 0; i < 22; i = i + 1)
                if (v[i])
                    clz22 = 5'd21 - i[4:0];
        end
    endfunction

    wire        s     = a[15] ^ b[15];
    wire        a_nan = (&a[14:10]) & (|a[9:0]);
    wire        b_nan = (&b[14:10]) & (|b[9:0]);
    wire        a_inf = (&a[14:10]) & ~(|a[9:0]);
    wire        b_inf = (&b[14:10]) & ~(|b[9:0]);
    wire        a_zero = ~|a[14:0];
    wire        b_zero = ~|b[14:0];

    wire [4:0]  e_a = a[14:10] | {4'd0, ~|a[14:10]};
    wire [4:0]  e_b = b[14:10] | {4'd0, ~|b[14:10]};
    wire [10:0] m_a = {|a[14:10], a[9:0]};
    wire [10:0] m_b = {|b[14:10], b[9:0]};

    wire [21:0] p   = m_a * m_b;
    wire [4:0]  lz  = clz22(p);
    wire [21:0] pn  = p << lz;
    // biased exponent of pn[21]: e_a + e_b - 15 for the product of two
    // hidden bits at bit 20, +1 for bit 21, -lz; range -33..46
    wire signed [7:0] e = $signed({3'd0, e_a}) + $signed({3'd0, e_b})
                          - 8'sd14 - $signed({3'd0, lz});
    wire        sub   = (e < 8'sd1);
    // right shift 1 - e for a subnormal result, 24 or more is all sticky
    wire signed [7:0] r_s = 8'sd1 - e;
    wire [4:0]  r     = sub ? ((r_s > 8'sd24) ? 5'd24 : r_s[4:0]) : 5'd0;
    wire [45:0] wide  = {pn, 24'd0} >> r;
    // nn[21], the hidden bit, is implied by e_f (1 exactly when not sub)
    /* verilator lint_off UNUSEDSIGNAL */
    wire [21:0] nn    = wide[45:24];
    /* verilator lint_on UNUSEDSIGNAL */
    wire        stk   = (|nn[9:0]) | (|wide[23:0]);
    wire        g     = nn[10];

`ifdef MUTANT_TIE_AWAY
    wire        inc   = g;
    wire        unused_mutant = &{1'b0, stk, nn[11]};
`else
    wire        inc   = g & (stk | nn[11]);
`endif
    wire [4:0]  e_f   = sub ? 5'd0 : e[4:0];
    wire [14:0] rnd   = {e_f, nn[20:11]} + {14'd0, inc};
    wire        ovf   = ~sub & (e > 8'sd30);

    assign y = (a_nan | b_nan | (a_inf & b_zero) | (b_inf & a_zero)) ? 16'h7e00 :
               (a_inf | b_inf) ? {s, 15'h7c00} :
               (~|p) ? {s, 15'd0} :
               ovf ? {s, 15'h7c00} :
               {s, rnd};
endmodule

`default_nettype wire

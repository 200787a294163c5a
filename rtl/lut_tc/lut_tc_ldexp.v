// lut_tc_ldexp.v - x * 2^b for an FP16 table entry and a bit position b in
// 0..7, combinational: the LUT Tensor Core applies a weight bit plane's
// position by adding it to the entry's exponent instead of shifting
// (shared/reference/lut_tensor_core.md "Tile"). The semantics are
// pe_f16_ldexp (pe_models/pe_fp16.c): value-exact unless the result
// overflows to a signed infinity; +-0 and +-inf pass; NaN gives 16'h7e00.
//
// A normal entry adds b to its exponent field (>= 31: infinity). A
// subnormal entry (field 0) has no hidden bit, so the add must
// renormalize: M = fraction << b (< 2^17, exact); M < 2^10 is still
// subnormal (the pattern is M), else the leading one of M becomes the
// hidden bit, the field is bitlen(M) - 10 and the fraction M's next 10
// bits (nothing is lost: M's low b bits are 0).
//
// `define MUTANT_TILE_EXP_NORENORM builds a wrong exponent adder on
// purpose: it adds b to the field of a nonzero subnormal entry too, as if
// it were normal (fraction kept, hidden bit made up; zeros still pass).
// `pesim verify --pe lut_tc --mutant` must catch it (subnormal entries at
// b >= 1).
`default_nettype none

module lut_tc_ldexp (
    input  wire [15:0] x,
    input  wire [2:0]  b,
    output wire [15:0] y
);
    // bits needed for v (0 for 0)
    function automatic [4:0] bitlen17(input [16:0] v);
        integer i;
        begin
            bitlen17 = 5'd0;
            for (i = 0; i < 17; i = i + 1)
                if (v[i])
                    bitlen17 = i[4:0] + 5'd1;
        end
    endfunction

    wire        sgn  = x[15];
    wire [4:0]  fld  = x[14:10];
    wire        nan  = (&fld) & (|x[9:0]);
    wire        inf  = (&fld) & ~(|x[9:0]);

    // normal: exponent add
    wire [5:0]  f_n  = {1'b0, fld} + {3'd0, b};
    wire [15:0] y_n  = (f_n >= 6'd31) ? {sgn, 15'h7c00} : {sgn, f_n[4:0], x[9:0]};

    // subnormal: shift, then renormalize
    wire [16:0] m_s  = {7'd0, x[9:0]} << b;
    wire [4:0]  n_s  = bitlen17(m_s);
    wire [4:0]  r_s  = (n_s > 5'd11) ? n_s - 5'd11 : 5'd0;
    wire [16:0] k_s  = m_s >> r_s;
    wire [4:0]  f_s  = n_s - 5'd10;
    wire [15:0] y_s  = (m_s < 17'd1024) ? {sgn, 5'd0, m_s[9:0]}
                                        : {sgn, f_s, k_s[9:0]};
    /* verilator lint_off UNUSEDSIGNAL */
    wire        unused = &{1'b0, k_s[16:10]};
    /* verilator lint_on UNUSEDSIGNAL */

`ifdef MUTANT_TILE_EXP_NORENORM
    // zeros still pass; a nonzero subnormal gets field b, fraction kept
    wire [15:0] y_sub = (x[9:0] == 10'd0) ? y_s : {sgn, f_n[4:0], x[9:0]};
`else
    wire [15:0] y_sub = y_s;
`endif

    assign y = nan ? 16'h7e00 :
               inf ? x :
               (fld == 5'd0) ? y_sub : y_n;
endmodule

`default_nettype wire

// bitmod_edge_scale.v - a row's channel-scale unit at the array's left
// edge: y = fp16(M * 2^(E - 28) * cscale), the exact product rounded once
// to nearest-even, as pe_bitmod_edge_scale (pe_models/bitmod/
// pe_bitmod_pe.c: a double product, exact, then fmt_f16_from_f64).
// Combinational.
//
// cscale = sig * 2^(ce - 25) (sig the 11-bit significand, ce = max(field,
// 1)), so the value is P * 2^k with P = |M| * sig (< 2^43, exact) and
// k = E + ce - 53. With n the index of P's leading one, the result's lsb
// exponent is L = max(n + k - 10, -24) (normal: 11 significant bits;
// below 2^-14 the subnormal grid 2^-24); P is shifted right by L - k
// with round-to-nearest-even (or left, exactly, when L - k < 0). The
// sign is sign(M) ^ sign(cscale), a zero M counting as +0 (IEEE's
// +0 * -c = -0). Specials: nan or a NaN cscale give 16'h7e00, as Inf *
// 0; Inf * nonzero is a signed Inf; beyond 65504 (after rounding) Inf.
//
// `define MUTANT_EDGE_RTZ rounds toward zero instead (the remainder is
// dropped): wrong on purpose, built as bitmod_array4x4_mutant.
`default_nettype none

module bitmod_edge_scale #(
    parameter integer MB = 32       // mantissa bits of M (<= 32)
) (
    input  wire [MB-1:0] m,         // two's complement
    input  wire [7:0]    e,
    input  wire          nan,
    input  wire [15:0]   cs,        // FP16 channel scale
    output wire [15:0]   y
);
    wire        cs_sign = cs[15];
    wire [4:0]  cs_ef   = cs[14:10];
    wire        cs_inf  = cs_ef == 5'd31 && cs[9:0] == 10'd0;
    wire        cs_nan  = cs_ef == 5'd31 && cs[9:0] != 10'd0;
    wire        cs_hid  = cs_ef != 5'd0;
    wire [10:0] cs_sig  = {cs_hid, cs[9:0]};
    wire [4:0]  cs_ce   = cs_hid ? cs_ef : 5'd1;

    wire          m_neg = m[MB-1];
    wire [MB-1:0] m_abs = m_neg ? -m : m;   // -2^(MB-1) stays 2^(MB-1)
    wire          sign  = m_neg ^ cs_sign;

    localparam integer PW = MB + 11;
    wire [PW-1:0] p = {11'd0, m_abs} * {{MB{1'b0}}, cs_sig};

    function automatic [5:0] msb(input [PW-1:0] v);
        integer k;
        begin
            msb = 6'd0;
            for (k = 0; k < PW; k = k + 1)
                if (v[k])
                    msb = k[5:0];
        end
    endfunction

    // signed exponent arithmetic, 11 bits: k in [-52, 232], n + k <= 274
    wire signed [10:0] k_exp = $signed({3'b000, e}) + $signed({6'd0, cs_ce}) - 11'sd53;
    wire        [5:0]  n     = msb(p);
    wire signed [10:0] nk    = $signed({5'd0, n}) + k_exp;     // exponent of P's lead
    wire               subn  = nk < -11'sd14;
    // shift right by L - k: normal n - 10, subnormal -24 - k (in [-10, 32])
    wire signed [10:0] sh    = subn ? -11'sd24 - k_exp : $signed({5'd0, n}) - 11'sd10;

    wire [5:0]  shr  = sh[5:0];             // used when sh > 0
    wire [3:0]  shl  = sh[3:0];             // -sh, used when sh <= 0
    // both shifts leave at most 11 significant bits (12 with the carry);
    // of p >> (sh - 1) only the guard bit counts
    /* verilator lint_off UNUSEDSIGNAL */
    wire [PW-1:0] q_r = p >> shr;
    wire [PW-1:0] q_l = p << (4'd0 - shl);
    wire [PW-1:0] p_g = p >> (shr - 6'd1);
    /* verilator lint_on UNUSEDSIGNAL */
    // guard = bit sh-1, sticky = the bits below it
    wire [PW-1:0] below = p & ((({{(PW-1){1'b0}}, 1'b1}) << shr) - {{(PW-1){1'b0}}, 1'b1});
    wire          guard = shr != 6'd0 && p_g[0];
    wire [PW-1:0] half  = shr != 6'd0 ? {{(PW-1){1'b0}}, 1'b1} << (shr - 6'd1) : {PW{1'b0}};
    wire          sticky = (below & ~half) != {PW{1'b0}};
`ifdef MUTANT_EDGE_RTZ
    wire          up    = 1'b0 & guard & (sticky | q_r[0]);
`else
    wire          up    = guard & (sticky | q_r[0]);
`endif
    // q <= 2^11: a round-up to 2^11 carries into the exponent field by itself
    wire [11:0] q = sh > 11'sd0 ? q_r[11:0] + {11'd0, up} : q_l[11:0];

    // biased exponent field minus 1 (normal: nk + 14, <= 29 when finite)
    wire        ovf  = !subn && nk > 11'sd15;
    wire [4:0]  efm1 = nk[4:0] + 5'd14;
    wire [14:0] mag  = subn ? {3'd0, q} : {efm1, 10'd0} + {3'd0, q};

    assign y = (nan || cs_nan || (cs_inf && m == {MB{1'b0}})) ? 16'h7e00 :
               p == {PW{1'b0}}  ? {sign, 15'd0} :
               (cs_inf || ovf)  ? {sign, 15'h7c00} :
                                  {sign, mag};
endmodule

`default_nettype wire

// ant_fma.v - FP16 x INT8 fused multiply-add, combinational:
//   y = RNE16(c + a * q)      c, a, y IEEE binary16, q signed INT8,
// one rounding (to nearest, ties to even) of the exact sum. This is
// BitMoD's "FP16xINT8 FMA" stand-in PE's arithmetic, bit for bit
// pe_bl_f16_fma_int(c, 1, &a, &q, {0}) (pe_models/baseline/
// pe_baseline_bt.c), which pe_ant_bt.c calls.
//
// Datapath, as an FP adder aligns: a 22-bit window with the operand whose
// field reaches higher on top, the other shifted right into it, the bits
// shifted out ORed into a sticky bit (ant_fma_align); one 24-bit signed
// add and its magnitude (ant_fma_add); normalization by a left shift and
// RNE of the top 11 bits, guard and sticky (ant_fma_round), after the
// 11 x 8 significand product (ant_fma_mul): one file each, so that
// `pesim area` counts each part (rtl_baseline.c).
//
// Why 22 bits and a sticky bit round exactly as the exact sum would
// (the C model rounds the exact sum once):
//   the product P = Ma * |q| < 2^19 (Ma the 11-bit significand, q up to
//   128) is P * 2^(ea - 25), its field top ea + 18 (ea = max(field, 1));
//   c = Mc * 2^(ec - 25), field top ec + 10.
//   P on top (P at window bits 21..3): c loses bits only when its top is
//   more than 11 below P's field top. For a normal a, P >= 2^10, so P's
//   leading one is at most 8 below its field top: c < P / 4, the sum's
//   leading one is at most one below P's, its 11-bit rounding position
//   lands at window bit 2 or above, and bits 1..0 plus the sticky are
//   below the guard bit. For a subnormal a (ea = 1) window bit 0 is below
//   2^-24, where every c bit sits: nothing is lost.
//   c on top (c at bits 21..11; P's field top below c's, so ec >= 10 and
//   c is normal): a shift of 1 keeps all 19 product bits (bit 2 and up),
//   exact under any cancellation; a shift of 2 or more leaves P < c / 2,
//   the rounding position at bit 9 or above.
//   A zero product goes below (c on top), so c passes exactly.
// A negative sum (the operand below was the larger) loses nothing: only
// c below P with the tops at most 8 apart can be larger, and c is shifted
// out from 12 apart.
//
// Normalization: a left shift by min(leading zeros, e0 + 11), e0 the
// exponent of window bit 0; the limit puts 2^-14, the smallest normal, at
// the top, so a smaller sum stays unshifted and is its own subnormal
// encoding (e0 + 11 >= 1 for every operand). The increment
// is added to the packed {exponent - 1, significand}, so a rounded-up
// all-ones significand carries into the exponent, a subnormal becomes the
// smallest normal and 65504 + half an ulp or more becomes infinity.
//
// Specials, as the C model: a NaN operand, inf x 0 (q = 0 included) and
// inf - inf give the default NaN 7e00; otherwise an infinite operand
// gives that infinity. An exact zero sum is -0 only when c is -0 and the
// product is a zero of negative sign (sign(a) xor q < 0; q = 0 is +0),
// else +0: x + (-x) = +0.
//
// Until 2026-12 this unit added on an exact 49-bit grid (LSB 2^-24) and
// normalized 48 bits; the results are the same bit for bit (both round
// the exact sum once), the area 22% less (README.md "ANT PE").
//
// `define MUTANT_ANT_ROUND_PRODUCT builds a wrong (unfused) unit on
// purpose: the product is rounded to binary16 first (an overflowing one
// becomes infinity) and then added, two roundings per element as an FP16
// MAC does. pe_ant_mac.v's MUTANT_ANT_FLINT_16 is the one `pesim verify`
// runs; this one is linted by Icarus and was checked as the mutant row
// (README.md).
`default_nettype none

module ant_fma (
    input  wire [15:0] c,
    input  wire [15:0] a,
    input  wire [7:0]  q,
    output wire [15:0] y
);
    // ---- operand classes ----
    wire        a_nan  = (&a[14:10]) & (|a[9:0]);
    wire        a_inf  = (&a[14:10]) & ~(|a[9:0]);
    wire        c_nan  = (&c[14:10]) & (|c[9:0]);
    wire        c_inf  = (&c[14:10]) & ~(|c[9:0]);
    wire        q_zero = (q == 8'd0);
    wire        ps     = a[15] ^ q[7];          // sign of the product
    wire        cs     = c[15];

    // ---- the product's significand, exponent ----
    wire [7:0]  q_mag  = q[7] ? 8'd0 - q : q;   // -128 -> 128
    wire [10:0] ma     = {|a[14:10], a[9:0]};
    wire [4:0]  ea     = (a[14:10] == 5'd0) ? 5'd1 : a[14:10];
    wire [18:0] pm;
    ant_fma_mul u_mul (.ma(ma), .qm(q_mag), .p(pm));
`ifdef MUTANT_ANT_ROUND_PRODUCT
    // the product rounded to binary16 (pm at bits 23..5: e0 = ea - 4),
    // then added as an FP16 operand: its significand with lsb 2^(e - 25)
    wire [14:0] p_rnd;
    ant_fma_round u_prnd (.v({pm, 5'd0}), .e0({2'd0, ea} - 7'd4), .y(p_rnd));
    wire        p_ovf  = (p_rnd == 15'h7c00);
    // (ant_fma_round's result for 0 is not 0: the sum's zero is special)
    wire [18:0] p_op   = (p_ovf || pm == 19'd0) ? 19'd0 :
                         {8'd0, |p_rnd[14:10], p_rnd[9:0]};
    wire [4:0]  ea_op  = (p_rnd[14:10] == 5'd0) ? 5'd1 : p_rnd[14:10];
    wire        p_inf  = a_inf | p_ovf;
`else
    wire [18:0] p_op   = pm;
    wire [4:0]  ea_op  = ea;
    wire        p_inf  = a_inf;
`endif
    wire [10:0] mc     = {|c[14:10], c[9:0]};
    wire [4:0]  ec     = (c[14:10] == 5'd0) ? 5'd1 : c[14:10];

    // ---- align, add, round ----
    wire [21:0] w_top, w_low;
    wire        w_sticky, p_top;
    wire [6:0]  e0;
    ant_fma_align u_align (.p(p_op), .ea(ea_op), .mc(mc), .ec(ec),
                           .top(w_top), .low(w_low), .sticky(w_sticky),
                           .p_top(p_top), .e0(e0));
    wire [23:0] s_mag;
    wire        s_neg;
    ant_fma_add u_add (.top(w_top), .low(w_low), .sticky(w_sticky),
                       .sub(ps ^ cs), .mag(s_mag), .neg(s_neg));
    wire [14:0] r_mag;
    ant_fma_round u_round (.v(s_mag), .e0(e0), .y(r_mag));

    // the top operand's sign, flipped when the one below was larger
    wire        s_sign = (p_top ? ps : cs) ^ s_neg;
    wire        s_zero = (s_mag == 24'd0);
    wire        z_neg  = (c == 16'h8000) & ((a[14:0] == 15'd0) | q_zero) & ps;
    wire        nan    = a_nan | c_nan | (a_inf & q_zero) |
                         (p_inf & c_inf & (ps != cs));

    assign y = nan            ? 16'h7e00 :
               p_inf          ? {ps, 15'h7c00} :
               c_inf          ? {cs, 15'h7c00} :
               s_zero         ? {z_neg, 15'd0} :
               {s_sign, r_mag};
endmodule

`default_nettype wire

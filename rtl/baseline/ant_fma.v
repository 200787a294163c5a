// ant_fma.v - FP16 x INT8 fused multiply-add, combinational:
//   y = RNE16(c + a * q)      c, a, y IEEE binary16, q signed INT8,
// one rounding (to nearest, ties to even) of the exact sum. This is
// BitMoD's "FP16xINT8 FMA" stand-in PE's arithmetic, bit for bit
// pe_bl_f16_fma_int(c, 1, &a, &q, {0}) (pe_models/baseline/
// pe_baseline_bt.c), which pe_ant_bt.c calls.
//
// Datapath: one fixed-point grid with the LSB 2^-24 (the binary16
// subnormal LSB) holds every finite operand exactly:
//   a = Ma * 2^(Ea - 25) = (Ma << (Ea - 1)) grid units, Ma the 11-bit
//   significand (hidden bit = exponent field != 0), Ea = max(field, 1);
//   |a * q| = (Ma * |q|) << (Ea - 1) < 2^18 * 2^29 = 2^47;
//   |c| < 2^40; |c +- a q| < 2^48.
// So: the exact 11 x 8 product (sign-magnitude), two left shifts onto the
// grid, one 49-bit signed add (the sign of the difference picks the
// result's sign and magnitude), then normalization and RNE: a 6-stage
// left shift by min(leading zeros, 37) -- 37 puts grid bit 10 (2^-14, the
// smallest normal) at the top, so a sum below 2^-14 stays unshifted and
// is its own subnormal encoding, exact -- the top 11 bits, the guard bit
// below them and the sticky OR of the rest; the increment is added to the
// packed {exponent - 1, significand}, so a rounded-up all-ones significand
// carries into the exponent, a subnormal becomes the smallest normal and
// 65504 + half an ulp or more becomes infinity (>= 7c00 clamps to 7c00).
//
// Specials, as the C model: a NaN operand, inf x 0 (q = 0 included) and
// inf - inf give the default NaN 7e00; otherwise an infinite operand or
// product gives that infinity. An exact zero sum is -0 only when c is -0
// and the product is a zero of negative sign (sign(a) xor q < 0; q = 0 is
// +0), else +0: x + (-x) = +0.
//
// `define MUTANT_ANT_ROUND_PRODUCT builds a wrong (unfused) unit on
// purpose: the product is rounded to binary16 first (an overflowing one
// becomes infinity) and then added, two roundings per element as an FP16
// MAC does. pe_ant_mac.v's MUTANT_ANT_FLINT_16 is the one `pesim verify`
// runs; this one is checked with the standalone harness (README.md).
`default_nettype none

module ant_fma (
    input  wire [15:0] c,
    input  wire [15:0] a,
    input  wire [7:0]  q,
    output wire [15:0] y
);
    // A finite binary16 magnitude on the 2^-24 grid (exponent field 31,
    // used only by the mutant, gives 2^40 = 65536).
    function automatic [47:0] grid16(input [14:0] h);
        reg [4:0] sh;
        begin
            sh = (h[14:10] == 5'd0) ? 5'd0 : h[14:10] - 5'd1;
            grid16 = {37'd0, |h[14:10], h[9:0]} << sh;
        end
    endfunction

    // RNE of a grid magnitude to a binary16 magnitude (7c00 on overflow).
    // The shifts are taken greedily from 32 down to 1 while the bits
    // shifted out are zero and the total stays <= 37: min(clz(v), 37).
    function automatic [14:0] rne16(input [47:0] v);
        reg [47:0] x;
        reg [5:0]  ls;
        reg [10:0] m;
        reg        inc;
        reg [16:0] bits;
        begin
            x  = v;
            ls = 6'd0;
            if (x[47:16] == 32'd0) begin
                x  = x << 32;
                ls = ls + 6'd32;
            end
            if (x[47:32] == 16'd0 && ls + 6'd16 <= 6'd37) begin
                x  = x << 16;
                ls = ls + 6'd16;
            end
            if (x[47:40] == 8'd0 && ls + 6'd8 <= 6'd37) begin
                x  = x << 8;
                ls = ls + 6'd8;
            end
            if (x[47:44] == 4'd0 && ls + 6'd4 <= 6'd37) begin
                x  = x << 4;
                ls = ls + 6'd4;
            end
            if (x[47:46] == 2'd0 && ls + 6'd2 <= 6'd37) begin
                x  = x << 2;
                ls = ls + 6'd2;
            end
            if (!x[47] && ls + 6'd1 <= 6'd37) begin
                x  = x << 1;
                ls = ls + 6'd1;
            end
            // x = {significand 11, guard, sticky bits 36}
            m    = x[47:37];
            inc  = x[36] & ((|x[35:0]) | m[0]);
            bits = {1'b0, 6'd37 - ls, 10'd0} + {6'd0, m} + {16'd0, inc};
            rne16 = (bits >= 17'h7c00) ? 15'h7c00 : bits[14:0];
        end
    endfunction

    // ---- operand classes ----
    wire        a_nan  = (&a[14:10]) & (|a[9:0]);
    wire        a_inf  = (&a[14:10]) & ~(|a[9:0]);
    wire        c_nan  = (&c[14:10]) & (|c[9:0]);
    wire        c_inf  = (&c[14:10]) & ~(|c[9:0]);
    wire        q_zero = (q == 8'd0);
    wire        ps     = a[15] ^ q[7];          // sign of the product
    wire        cs     = c[15];

    // ---- exact product on the grid ----
    wire [7:0]  q_mag  = q[7] ? 8'd0 - q : q;   // -128 -> 128
    wire [4:0]  a_sh   = (a[14:10] == 5'd0) ? 5'd0 : a[14:10] - 5'd1;
    wire [18:0] pm     = {8'd0, |a[14:10], a[9:0]} * {11'd0, q_mag};
    wire [47:0] p_ex   = {29'd0, pm} << a_sh;
`ifdef MUTANT_ANT_ROUND_PRODUCT
    wire [14:0] p_rnd  = rne16(p_ex);
    wire        p_ovf  = (p_rnd == 15'h7c00);
    wire [47:0] p_grid = p_ovf ? 48'd0 : grid16(p_rnd);
    wire        p_inf  = a_inf | p_ovf;
`else
    wire [47:0] p_grid = p_ex;
    wire        p_inf  = a_inf;
`endif
    wire [47:0] c_grid = grid16(c[14:0]);

    // ---- one signed add ----
    wire        sub    = ps ^ cs;
    wire [48:0] s      = sub ? {1'b0, p_grid} - {1'b0, c_grid}
                             : {1'b0, p_grid} + {1'b0, c_grid};
    wire        s_neg  = s[48];                 // only when subtracting
    wire [47:0] s_mag  = s_neg ? 48'd0 - s[47:0] : s[47:0];
    wire        s_sign = s_neg ? cs : ps;
    wire        s_zero = (s_mag == 48'd0);

    // ---- round, specials ----
    wire [14:0] r_mag  = rne16(s_mag);
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

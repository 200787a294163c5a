// lut_tc_quant8.v - INT8 quantization of one 8-entry table, combinational
// (the precompute unit's stage 3 in INT8 mode; pe_models/lut_tc/README.md
// "INT8-table option", the C model's quant8 in pe_lut_tc_pre.c):
//   any entry inf or NaN:  scale = NaN 16'h7e00, every code 0;
//   all entries +-0:       scale = 0, every code 0;
//   else                   scale = RNE16(max_j |T[j]| / 127), 2^-24 if that
//                          rounds to 0; q[j] = RNE(T[j] / scale) clamped
//                          to +-127 (lut_tc_qcode).
// max |T| is the largest of the entries' 15 magnitude bits (FP16 magnitudes
// order as unsigned integers). The division by 127 is exact-then-rounded:
// the significand m (normalized or not) is divided as m * 2^13 / 127, the
// quotient Q < 2^17 and the remainder's "nonzero" as a sticky bit, so the
// exact max/127 = (Q + f) 2^(e - 38) with e = max(field, 1), and
// fp16_round (rtl/common) rounds it once. Its precondition holds: a normal max has
// Q >= 2^16 (s = n - 11 >= 6), a subnormal one has x = -37 (s >= 13).
//
// Codes: q[j] at [8j+7:8j], two's complement.
`default_nettype none

module lut_tc_quant8 (
    input  wire [127:0] t,          // T[j] at [16j+15:16j], FP16
    output wire [63:0]  codes,
    output wire [15:0]  scale
);
    wire [7:0]  special;            // entry j is inf or NaN
    wire [14:0] mx;                 // max |T[j]|

    genvar j;
    generate
        for (j = 0; j < 8; j = j + 1) begin : g_spec
            assign special[j] = &t[16 * j + 14 : 16 * j + 10];
        end
    endgenerate

    // a tree of magnitude maxima
    wire [14:0] m01 = (t[14:0]    > t[30:16])   ? t[14:0]    : t[30:16];
    wire [14:0] m23 = (t[46:32]   > t[62:48])   ? t[46:32]   : t[62:48];
    wire [14:0] m45 = (t[78:64]   > t[94:80])   ? t[78:64]   : t[94:80];
    wire [14:0] m67 = (t[110:96]  > t[126:112]) ? t[110:96]  : t[126:112];
    wire [14:0] m03 = (m01 > m23) ? m01 : m23;
    wire [14:0] m47 = (m45 > m67) ? m45 : m67;
    assign mx = (m03 > m47) ? m03 : m47;

    // max / 127, rounded once
    wire [4:0]  e_mx = mx[14:10] | {4'd0, ~|mx[14:10]};
    wire [10:0] m_mx = {|mx[14:10], mx[9:0]};
    wire [23:0] num  = {m_mx, 13'd0};
    wire [23:0] quo  = num / 24'd127;      // < 2^17
    wire [23:0] rest = num % 24'd127;
    wire signed [7:0] x = $signed({3'd0, e_mx}) - 8'sd38;
    wire [15:0] sc_r;
    fp16_round #(.QW(18), .XW(8)) u_div (
        .sign(1'b0), .q(quo[17:0]), .sticky(|rest), .x(x), .y(sc_r));
    // a scale that rounds to 0 becomes the smallest subnormal
    wire [15:0] sc   = (sc_r == 16'd0) ? 16'd1 : sc_r;

    wire        nan  = |special;
    wire        zero = ~|mx;

    wire [63:0] q;
    generate
        for (j = 0; j < 8; j = j + 1) begin : g_code
            lut_tc_qcode u_q (.t(t[16 * j + 15 : 16 * j]), .s(sc[14:0]),
                              .code(q[8 * j + 7 : 8 * j]));
        end
    endgenerate

    /* verilator lint_off UNUSEDSIGNAL */
    wire        unused = &{1'b0, quo[23:18], sc[15]};
    /* verilator lint_on UNUSEDSIGNAL */

    assign scale = nan ? 16'h7e00 : zero ? 16'd0 : sc;
    assign codes = (nan | zero) ? 64'd0 : q;
endmodule

`default_nettype wire

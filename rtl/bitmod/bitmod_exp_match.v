// bitmod_exp_match.v - the BitMoD PE's exponent match (the paper's
// exp_match; bitmod_pe.v, pe_models/bitmod/README.md "PE pipeline"),
// combinational: per lane the activation's significand (0 when the lane
// has no product), its alignment shift, its sign; the cycle's exponent and
// its Inf/NaN flag.
//
// A lane i < LANES has a product iff the term's m = 1, sig != 0 and
// Ea != 31; sig = {hidden bit unless subnormal, fraction}; its exponent
// x = max(Ea, 1) + e. The lanes that take part in the maximum:
//   EMAX_ALL = 0  the lanes with a product (ours: a zero product never
//                 raises the exponent, so no lane loses bits to it)
//   EMAX_ALL = 1  every lane in use, as the paper and the authors'
//                 exp_match.v: max over all four lanes' Ea + e whatever
//                 the term or activation
// delta = emax - x for the lanes that take part (0 for the others, whose
// significand is 0 anyway), saturated at 15. The cycle's exponent is emax + bitpos, 0 when
// no lane takes part. Inf/NaN in a lane in use marks the output NaN.
`default_nettype none

module bitmod_exp_match #(
    parameter integer LANES = 4,    // 1..4
    parameter integer EMAX_ALL = 0  // 1: the paper's max over every lane
) (
    input  wire [63:0] a,           // 4 x FP16
    input  wire [15:0] w_term,      // 4 x {s, e[1:0], m}
    input  wire [2:0]  w_bitpos,
    output wire [43:0] mag,         // 4 x 11: sig, or 0 without a product
    output wire [15:0] sh,          // 4 x 4: min(delta, 15)
    output wire [3:0]  neg,         // s ^ sign(a)
    output wire [7:0]  e,           // emax + bitpos, or 0
    output wire        nan
);
    wire [3:0]  part;               // the lane takes part in the maximum
    wire [3:0]  inf;
    wire [23:0] x;                  // 4 x 6: ea + e
    wire [23:0] lx;                 // x of the lanes that take part, else 0

    genvar i;
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_lane
            wire [4:0]  ef  = a[16*i+14 : 16*i+10];
            wire        hid = ef != 5'd0;
            wire        on  = i < LANES;
            wire        tm  = w_term[4*i];
            wire [1:0]  te  = w_term[4*i+2 : 4*i+1];
            wire [10:0] sig = {hid, a[16*i+9 : 16*i]};
            assign inf[i] = on && ef == 5'd31;
            assign mag[11*i +: 11] = (on && tm && !inf[i]) ? sig : 11'd0;
            assign x[6*i +: 6] = {1'b0, ef[4:1], ef[0] | ~hid} + {4'd0, te};
            assign part[i] = EMAX_ALL != 0 ? on : mag[11*i +: 11] != 11'd0;
            assign lx[6*i +: 6] = part[i] ? x[6*i +: 6] : 6'd0;
            assign neg[i] = a[16*i+15] ^ w_term[4*i+3];
        end
    endgenerate

    wire [5:0] m01  = lx[5:0] > lx[11:6] ? lx[5:0] : lx[11:6];
    wire [5:0] m23  = lx[17:12] > lx[23:18] ? lx[17:12] : lx[23:18];
    wire [5:0] emax = m01 > m23 ? m01 : m23;

    // a delta of 14 or more shifts the 14-bit aligned value to 0: the
    // shift saturates at 15, so 4 bits carry it
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_sh
            wire [5:0] d = emax - x[6*i +: 6];
            assign sh[4*i +: 4] = !part[i] ? 4'd0 : d > 6'd15 ? 4'd15 : d[3:0];
        end
    endgenerate
    assign e   = part != 4'd0 ? {2'b0, emax} + {5'd0, w_bitpos} : 8'd0;
    assign nan = inf != 4'd0;
endmodule

`default_nettype wire

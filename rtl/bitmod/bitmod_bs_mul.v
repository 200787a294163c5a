// bitmod_bs_mul.v - the BitMoD PE's bit-serial multiplier (the paper's
// bs_mul without its adder tree; bitmod_pe.v), combinational: per lane the
// 1-bit product (the significand, already ANDed with m by
// bitmod_exp_match), right-aligned by delta keeping 3 guard bits (lower
// bits drop: truncation toward 0; a delta of 14 or 15 leaves 0), then
// negated by the product's sign: 4 x 17 bits two's complement.
`default_nettype none

module bitmod_bs_mul (
    input  wire [43:0] mag,         // 4 x 11
    input  wire [15:0] sh,          // 4 x 4
    input  wire [3:0]  neg,
    output wire [67:0] v            // 4 x 17
);
    genvar i;
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_lane
            wire [13:0] al = {mag[11*i +: 11], 3'b000} >> sh[4*i +: 4];
            wire [16:0] u  = {3'b000, al};
            assign v[17*i +: 17] = neg[i] ? -u : u;
        end
    endgenerate
endmodule

`default_nettype wire

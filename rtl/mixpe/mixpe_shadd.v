// mixpe_shadd.v - MixPE's product without a multiplier, combinational:
// an activation times a signed WBITS-bit weight as a sum of shifted
// copies, one copy of a per set weight bit, the MSB copy subtracted (two's
// complement weight; shared/reference/mixpe.md):
//   p = -w[b-1] (a << (b-1)) + sum_{j<b-1} w[j] (a << j)
// exact in PW bits. Both datapaths of mixpe_pe use it: the INT8 lanes
// (SIGNED = 1: a is a two's complement INT8) and mixpe_fp_lane (SIGNED =
// 0: a is an FP16 operand's 11-bit significand, every copy sharing its
// exponent).
//
// `define MUTANT_MSB_POS adds the MSB copy instead of subtracting it (the
// weight read as unsigned; the C model's PE_MIXPE_BUG_MSB_POS).
`default_nettype none

module mixpe_shadd #(
    parameter integer WBITS  = 4,   // weight bits b, 2..4
    parameter integer AW     = 8,   // width of a
    parameter integer SIGNED = 1,   // a is signed (1) or unsigned (0)
    parameter integer PW     = 14   // width of p, > AW + WBITS - 1
) (
    input  wire [AW-1:0]        a,
    input  wire [WBITS-1:0]     w,
    output reg  signed [PW-1:0] p
);
    wire signed [PW-1:0] ax = {{(PW - AW){SIGNED != 0 && a[AW-1]}}, a};

    integer j;
    always @(*) begin
        p = {PW{1'b0}};
        for (j = 0; j < WBITS; j = j + 1)
`ifdef MUTANT_MSB_POS
            if (w[j])
                p = p + (ax <<< j);
`else
            if (w[j])
                p = (j == WBITS - 1) ? p - (ax <<< j) : p + (ax <<< j);
`endif
    end
endmodule

`default_nettype wire

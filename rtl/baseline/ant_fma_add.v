// ant_fma_add.v - the ANT FMA's adder (ant_fma.v): the 24-bit signed sum
// of the window's operands and its magnitude; combinational.
`default_nettype none

module ant_fma_add (
    input  wire [21:0] top,
    input  wire [21:0] low,
    input  wire        sticky,
    input  wire        sub,
    output wire [23:0] mag,         // bits 23..1 the sum, bit 0 sticky
    output wire        neg          // the sum is negative (low > top)
);
    wire [24:0] t = {2'b0, top, 1'b0};
    wire [24:0] l = {2'b0, low, sticky};
    wire [24:0] s = sub ? t - l : t + l;
    assign neg = s[24];
    assign mag = neg ? 24'd0 - s[23:0] : s[23:0];
endmodule

`default_nettype wire

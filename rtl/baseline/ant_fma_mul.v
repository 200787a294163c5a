// ant_fma_mul.v - the ANT FMA's significand multiplier (ant_fma.v): the
// exact 11 x 8 product of |a|'s significand and |q|, combinational.
`default_nettype none

module ant_fma_mul (
    input  wire [10:0] ma,
    input  wire [7:0]  qm,
    output wire [18:0] p
);
    assign p = {8'd0, ma} * {11'd0, qm};
endmodule

`default_nettype wire

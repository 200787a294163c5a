// bitmod_tree.v - the BitMoD PE's adder tree (bitmod_pe.v): the 4-lane
// partial sum, 17 bits two's complement (the aligned lanes are < 2^14,
// the sum of four < 2^16), combinational.
`default_nettype none

module bitmod_tree (
    input  wire [67:0] v,           // 4 x 17
    output wire [16:0] t
);
    assign t = (v[16:0] + v[33:17]) + (v[50:34] + v[67:51]);
endmodule

`default_nettype wire

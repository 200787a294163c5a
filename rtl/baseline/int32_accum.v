// int32_accum.v - a 32-bit two's complement accumulator's adder,
// combinational: y = acc + x mod 2^32. Its own module so that `pesim area`
// counts the INT8 DP4 unit's accumulator apart from its control
// (pe_int8_dp4_mac.v, rtl_design.h "parts").
`default_nettype none

module int32_accum (
    input  wire [31:0] acc,
    input  wire [31:0] x,
    output wire [31:0] y
);
    assign y = acc + x;
endmodule

`default_nettype wire

// int8_dp4_tree.v - the INT8 DP4 unit's adder tree (pe_int8_dp4_mac.v),
// combinational: (p0 + p1) + (p2 + p3) of four 16-bit signed products,
// exact in 18 bits (|p| <= 2^14), sign-extended to 32.
//
// `define MUTANT_DP4_SUM16 builds a wrong tree on purpose: the sum kept
// in 16 bits (four -128 x -128 products wrap).
`default_nettype none

module int8_dp4_tree (
    input  wire [63:0] p,
    output wire [31:0] y
);
    wire signed [17:0] p0 = {{2{p[15]}}, p[15:0]}, p1 = {{2{p[31]}}, p[31:16]};
    wire signed [17:0] p2 = {{2{p[47]}}, p[47:32]}, p3 = {{2{p[63]}}, p[63:48]};
`ifdef MUTANT_DP4_SUM16
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [17:0] s = (p0 + p1) + (p2 + p3);
    /* verilator lint_on UNUSEDSIGNAL */
    assign y = {{16{s[15]}}, s[15:0]};
`else
    wire signed [17:0] s = (p0 + p1) + (p2 + p3);
    assign y = {{14{s[17]}}, s};
`endif
endmodule

`default_nettype wire

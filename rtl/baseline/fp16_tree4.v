// fp16_tree4.v - a four-input FP16 adder tree, combinational:
//   y = fp16_add(fp16_add(a0, a1), fp16_add(a2, a3))
// each add rounded once to nearest even (rtl/common/fp16_add.v = pe_f16_add). Its
// own module so that `pesim area` counts adder trees apart from
// accumulators (rtl_design.h "parts"). Used by pe_fp16_dp4_mac.v.
//
// `define MUTANT_DP4_CHAIN builds a wrong tree on purpose: the adds in a
// chain ((a0 + a1) + a2) + a3, which rounds differently.
`default_nettype none

module fp16_tree4 (
    input  wire [63:0] a,           // lane i at [16i+15:16i]
    output wire [15:0] y
);
    wire [15:0] s01, s23;
    fp16_add u01 (.a(a[15:0]), .b(a[31:16]), .y(s01));
`ifdef MUTANT_DP4_CHAIN
    fp16_add u23 (.a(s01), .b(a[47:32]), .y(s23));
    fp16_add u_y (.a(s23), .b(a[63:48]), .y(y));
`else
    fp16_add u23 (.a(a[47:32]), .b(a[63:48]), .y(s23));
    fp16_add u_y (.a(s01), .b(s23), .y(y));
`endif
endmodule

`default_nettype wire

// fp16_accum.v - an FP16 accumulator's adder, combinational:
// y = fp16_add(acc, x) (rtl/common/fp16_add.v). Only a name: its own module so that
// `pesim area` tells the accumulator's adder from those of an adder tree
// (rtl_design.h "parts", RTL_C_INHERIT).
`default_nettype none

module fp16_accum (
    input  wire [15:0] acc,
    input  wire [15:0] x,
    output wire [15:0] y
);
    fp16_add u_add (.a(acc), .b(x), .y(y));
endmodule

`default_nettype wire

// fp16_mac_standin.v - acc <= acc + a * b in binary16, each operation
// rounded (fp16_mul, then fp16_add), with a 16-bit accumulator register.
//
// A STAND-IN for the FP16 MAC baseline PE, used by `pesim area` as the
// reference every design is compared with and the design calibrated to
// BitMoD's FP16 MAC area (rtl/area-reference.yaml), until the baseline's
// own RTL (the pe_fp16_mac bit-true model's) exists. It has no input
// registers, so it holds fewer register bits than a pipelined MAC.
`default_nettype none

module fp16_mac_standin (
    input  wire        clk,
    input  wire        rst,      // synchronous: acc <= +0
    input  wire [15:0] a,
    input  wire [15:0] b,
    output reg  [15:0] acc
);
    wire [15:0] prod, sum;

    fp16_mul u_mul (.a(a), .b(b), .y(prod));
    fp16_add u_add (.a(prod), .b(acc), .y(sum));

    always @(posedge clk)
        if (rst)
            acc <= 16'd0;
        else
            acc <= sum;
endmodule

`default_nettype wire

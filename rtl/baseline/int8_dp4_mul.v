// int8_dp4_mul.v - the INT8 DP4 unit's four signed 8 x 8 multipliers
// (pe_int8_dp4_mac.v), combinational: p_i = a_i * w_i, 16 bits each.
`default_nettype none

module int8_dp4_mul (
    input  wire [31:0] a,           // lane i at [8i+7:8i]
    input  wire [31:0] w,
    output wire [63:0] p            // lane i at [16i+15:16i]
);
    genvar i;
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_lane
            wire signed [15:0] x = $signed(a[8*i +: 8]) * $signed(w[8*i +: 8]);
            assign p[16*i +: 16] = x;
        end
    endgenerate
endmodule

`default_nettype wire

// ant_fma_round.v - the ANT FMA's normalizer and rounder (ant_fma.v):
// a left shift by min(leading zeros, e0 + 11) and round to nearest even
// into a binary16 magnitude; combinational. v = 0 is not mapped to 0
// (ant_fma takes a zero sum apart).
`default_nettype none

module ant_fma_round (
    input  wire [23:0] v,           // bit i is 2^(e0 - 26 + i)
    input  wire [6:0]  e0,          // -10 .. 28 (two's complement)
    output wire [14:0] y
);
    wire [6:0] lim = e0 + 7'd11;    // 1 .. 39
    // greedy: each stage shifts when the bits it drops are zero and the
    // total stays within the limit
    wire [23:0] x0 = v;
    wire        s16 = x0[23:8] == 16'd0 && lim >= 7'd16;
    wire [23:0] x1 = s16 ? {x0[7:0], 16'd0} : x0;
    wire [4:0]  l1 = s16 ? 5'd16 : 5'd0;
    wire        s8 = x1[23:16] == 8'd0 && lim >= {2'd0, l1} + 7'd8;
    wire [23:0] x2 = s8 ? {x1[15:0], 8'd0} : x1;
    wire [4:0]  l2 = l1 + (s8 ? 5'd8 : 5'd0);
    wire        s4 = x2[23:20] == 4'd0 && lim >= {2'd0, l2} + 7'd4;
    wire [23:0] x3 = s4 ? {x2[19:0], 4'd0} : x2;
    wire [4:0]  l3 = l2 + (s4 ? 5'd4 : 5'd0);
    wire        s2 = x3[23:22] == 2'd0 && lim >= {2'd0, l3} + 7'd2;
    wire [23:0] x4 = s2 ? {x3[21:0], 2'd0} : x3;
    wire [4:0]  l4 = l3 + (s2 ? 5'd2 : 5'd0);
    wire        s1 = !x4[23] && lim >= {2'd0, l4} + 7'd1;
    wire [23:0] x5 = s1 ? {x4[22:0], 1'd0} : x4;
    wire [4:0]  ls = l4 + (s1 ? 5'd1 : 5'd0);
    // x5 = {significand 11, guard, sticky bits 12}
    wire [10:0] m   = x5[23:13];
    wire        inc = x5[12] & ((|x5[11:0]) | m[0]);
    // packed {field - 1, significand}: field - 1 = e0 + 11 - ls (>= 0)
    wire [7:0]  f1   = {1'b0, lim} - {3'd0, ls};
    wire [18:0] bits = {1'b0, f1, 10'd0} + {8'd0, m} + {18'd0, inc};
    assign y = (bits >= 19'h7c00) ? 15'h7c00 : bits[14:0];
endmodule

`default_nettype wire

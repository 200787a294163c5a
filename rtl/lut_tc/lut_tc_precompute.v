// lut_tc_precompute.v - the LUT Tensor Core's table precompute unit: four
// FP16 activations in, the 8 stored entries of their odd-symmetric table
// out, one table per cycle, three register stages
// (shared/reference/lut_tensor_core.md; our tree, pipeline and INT8
// rounding: pe_models/lut_tc/README.md). Ports, widths and every output bit
// after every rising edge are those of the bit-true C model
// "lut_tc_precompute" (pe_models/lut_tc/pe_lut_tc_pre.c, rtl_top
// "lut_tc_precompute"); rtl/lut_tc/README.md has the table.
//
// Entry j (bits j2 j1 j0) anchors a3 positive:
//   T[j] = a3 + s2 a2 + s1 a1 + s0 a0,  s_i = +1 if bit j_i is 1, else -1
// as a two-level tree of 12 FP16 adders (rtl/common/fp16_add.v =
// pe_f16_add: RNE, subnormals, default NaN 16'h7e00), negation a sign flip:
//   stage 1 (edge e):   u+ = a3 + a2, u- = a3 + (-a2), v+ = a1 + a0,
//                       v- = a1 + (-a0)
//   stage 2 (edge e+1): T[j] = u(j2) + v(j1 j0), u(1) = u+, u(0) = u-,
//                       v(11) = v+, v(10) = v-, v(01) = -v-, v(00) = -v+
//   stage 3 (edge e+2): out_valid; FP16 tables pass (tbl_0 = T[0..3],
//                       tbl_1 = T[4..7], scale = 0); INT8 tables are
//                       quantized by lut_tc_quant8 (tbl_0 = codes,
//                       tbl_1 = 0, scale); asum = T[7] in both modes.
// Each stage loads only behind a valid table; the data outputs hold while
// out_valid is 0. rst is synchronous and active high and clears every
// register (the model's reset() is a memset).
//
// Mutant: `define MUTANT_PRE_TIE_AWAY (in lut_tc_qcode) rounds the INT8
// codes' ties away from zero.
`default_nettype none

module lut_tc_precompute (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_int8,
    input  wire [63:0] act,
    output reg         out_valid,
    output reg  [63:0] tbl_0,
    output reg  [63:0] tbl_1,
    output reg  [15:0] scale,
    output reg  [15:0] asum
);
    // ---- stage 1: level-1 adds ----
    wire [15:0] a0 = act[15:0];
    wire [15:0] a1 = act[31:16];
    wire [15:0] a2 = act[47:32];
    wire [15:0] a3 = act[63:48];
    wire [15:0] up_d, um_d, vp_d, vm_d;
    fp16_add u_up (.a(a3), .b(a2), .y(up_d));
    fp16_add u_um (.a(a3), .b({~a2[15], a2[14:0]}), .y(um_d));
    fp16_add u_vp (.a(a1), .b(a0), .y(vp_d));
    fp16_add u_vm (.a(a1), .b({~a0[15], a0[14:0]}), .y(vm_d));

    reg         v1, i1;
    reg  [15:0] up, um, vp, vm;

    // ---- stage 2: level-2 adds ----
    // v(j1 j0) for j1 j0 = 00, 01, 10, 11
    wire [63:0]  vsel = {vp, vm, {~vm[15], vm[14:0]}, {~vp[15], vp[14:0]}};
    wire [127:0] t_d;
    genvar j;
    generate
        for (j = 0; j < 8; j = j + 1) begin : g_l2
            fp16_add u_t (.a((j & 4) != 0 ? up : um),
                          .b(vsel[16 * (j & 3) + 15 : 16 * (j & 3)]),
                          .y(t_d[16 * j + 15 : 16 * j]));
        end
    endgenerate

    reg          v2, i2;
    reg  [127:0] t;

    // ---- stage 3: pass or quantize ----
    wire [63:0] codes;
    wire [15:0] q_scale;
    lut_tc_quant8 u_quant (.t(t), .codes(codes), .scale(q_scale));

    always @(posedge clk) begin
        if (rst) begin
            v1 <= 1'b0;  i1 <= 1'b0;
            up <= 16'd0; um <= 16'd0; vp <= 16'd0; vm <= 16'd0;
            v2 <= 1'b0;  i2 <= 1'b0;
            t  <= 128'd0;
            out_valid <= 1'b0;
            tbl_0 <= 64'd0; tbl_1 <= 64'd0;
            scale <= 16'd0; asum  <= 16'd0;
        end else begin
            // stage 3 reads stage 2's registers as they were before the edge
            out_valid <= v2;
            if (v2) begin
                asum <= t[127:112];
                if (i2) begin
                    tbl_0 <= codes;
                    tbl_1 <= 64'd0;
                    scale <= q_scale;
                end else begin
                    tbl_0 <= t[63:0];
                    tbl_1 <= t[127:64];
                    scale <= 16'd0;
                end
            end
            v2 <= v1;
            if (v1) begin
                t  <= t_d;
                i2 <= i1;
            end
            v1 <= in_valid;
            if (in_valid) begin
                up <= up_d; um <= um_d; vp <= vp_d; vm <= vm_d;
                i1 <= in_int8;
            end
        end
    end
endmodule

`default_nettype wire

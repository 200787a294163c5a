// lut_tc_tile.v - the LUT Tensor Core's M2N64K4 tile: per cycle one bit
// plane of one K = 4 chunk; each of the N = 64 weight columns' folded
// nibble selects an entry of each of the M = 2 tables (bit 3 the sign,
// bits 2..0 the index), the plane's bit position b scales it, and
// M * N = 128 FP16 accumulators sum it (shared/reference/lut_tensor_core.md
// "Tile"; pipeline, INT8 option and read port are ours:
// pe_models/lut_tc/README.md). Ports, widths and every output bit after
// every rising edge are those of the bit-true C model "lut_tc_tile"
// (pe_models/lut_tc/pe_lut_tc_tile.c, rtl_top "lut_tc_tile");
// rtl/lut_tc/README.md has the table.
//
// Buses: the table bus {tbl_3, tbl_2, tbl_1, tbl_0} holds FP16 entry
// (m, j) at [16(8m + j) +: 16], or INT8 code (m, j) at [8(8m + j) +: 8]
// (tbl_0 = table 0, tbl_1 = table 1) with table m's scale at
// tscale[16m +: 16]; the weight plane {w_3, ..., w_0} holds column n's
// nibble at [4n +: 4]. Accumulator i = 64 m + n.
//
// Three register ranks (README "Pipeline"), each reading the previous
// rank's registers of the last edge:
//   S1 (edge e)    per table the 16 values a nibble can select (T-MAC's
//                  shuffle table): FP16 +-T[idx] x 2^b by the exponent add
//                  (lut_tc_ldexp, = pe_f16_ldexp), INT8 +-q[idx] << b
//                  (16 bits signed: |q| <= 128, b <= 7); one 16:1 MUX per
//                  column and table into p1 (128 x 16 bits), with the
//                  plane's control bits and the table scales.
//   S2 (edge e+1)  FP16: p1 moves to the lane's s2 register (the
//                  broadcast/MUX output register). INT8: s2 is the chunk's
//                  integer sum: a plane after a chunk's last (or after a
//                  reset, or after an FP16 plane) opens the chunk (s2 = p1),
//                  later ones add; clr and last are ORed over the chunk;
//                  the chunk's last plane (in_clast) releases it to S3.
//   S3 (edge e+2)  acc = (clr ? +0 : acc) + v, one fp16_add (= pe_f16_add),
//                  v = s2 (FP16) or RNE16(s2 x scale) (INT8, lut_tc_dequant,
//                  once per chunk); a `last` plane also loads the shadow
//                  bank with the new sums and pulses seg_done.
// The read port: rd_data <= shadow word rd_addr (accumulators 4 rd_addr ..
// 4 rd_addr + 3, the lowest at [15:0]) as it was before the edge.
//
// The INT8 integer sum is 20 bits (two's complement): exact for chunks of
// up to 31 planes whatever their codes and bit positions (a plane adds at
// most 128 x 2^7 = 2^14 in magnitude), 8 being what W <= 8 needs. The C
// model's int32 sum agrees while that holds; longer chunks are outside
// the protocol (README "Ports": in_clast marks a chunk's last plane).
//
// rst is synchronous and active high and clears every register (the
// model's reset() is a memset): accumulators, shadow bank and outputs
// read +0 afterwards.
//
// Mutant: `define MUTANT_TILE_EXP_NORENORM (in lut_tc_ldexp) adds the bit
// position to a subnormal entry's exponent field without renormalizing.
`default_nettype none

module lut_tc_tile (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_clr,
    input  wire        in_clast,
    input  wire        in_last,
    input  wire        in_int8,
    input  wire [2:0]  in_bitpos,
    input  wire [63:0] tbl_0,
    input  wire [63:0] tbl_1,
    input  wire [63:0] tbl_2,
    input  wire [63:0] tbl_3,
    input  wire [31:0] tscale,
    input  wire [63:0] w_0,
    input  wire [63:0] w_1,
    input  wire [63:0] w_2,
    input  wire [63:0] w_3,
    input  wire [4:0]  rd_addr,
    output reg  [63:0] rd_data,
    output reg         seg_done
);
    localparam integer M  = 2;
    localparam integer N  = 64;
    localparam integer NA = M * N;
    localparam integer IW = 20;         // INT8 chunk sum bits

    wire [255:0] tb = {tbl_3, tbl_2, tbl_1, tbl_0};
    wire [255:0] wb = {w_3, w_2, w_1, w_0};

    // ---- S1: select ----
    wire [16*NA-1:0] p1_d;
    genvar m, j, k, n;
    generate
        for (m = 0; m < M; m = m + 1) begin : g_tab
            // the 16 selectable values, value k at [16k +: 16]
            wire [255:0] sel;
            wire [127:0] le;            // T[j] x 2^b, FP16
            for (j = 0; j < 8; j = j + 1) begin : g_ent
                lut_tc_ldexp u_ldexp (.x(tb[16 * (8 * m + j) +: 16]), .b(in_bitpos),
                                      .y(le[16 * j +: 16]));
            end
            for (k = 0; k < 16; k = k + 1) begin : g_sel
                wire [15:0] e_f = le[16 * (k & 7) +: 16];
                wire [7:0]  c   = tb[64 * m + 8 * (k & 7) +: 8];
                wire [15:0] c16 = {{8{c[7]}}, c};
                // bit 3 clear: the entry's negation (for FP16 a sign flip)
                wire [15:0] v_f = (k & 8) != 0 ? e_f : {~e_f[15], e_f[14:0]};
                wire [15:0] v_i = ((k & 8) != 0 ? c16 : 16'd0 - c16) << in_bitpos;
                assign sel[16 * k +: 16] = in_int8 ? v_i : v_f;
            end
            for (n = 0; n < N; n = n + 1) begin : g_col
                assign p1_d[16 * (N * m + n) +: 16] = sel[16 * wb[4 * n +: 4] +: 16];
            end
        end
    endgenerate

    reg              v1, clr1, clast1, last1, int81;
    reg  [31:0]      sc1;
    reg  [16*NA-1:0] p1;

    // ---- S2 control (the lanes hold the data) ----
    reg         rdy2, clr2, last2, int82;
    reg         open2, iclr2, ilast2;   // INT8: a chunk is being summed
    reg  [31:0] sc2;
    wire        iclr_n  = (open2 & iclr2) | clr1;
    wire        ilast_n = (open2 & ilast2) | last1;

    // ---- the lanes: S2 data, S3 accumulators and shadow bank ----
    wire [16*NA-1:0] shadow_bus;
    genvar i;
    generate
        for (i = 0; i < NA; i = i + 1) begin : g_lane
            reg  [IW-1:0] s2;
            reg  [15:0]   acc, shadow;
            wire [15:0]   p  = p1[16 * i +: 16];
            wire [IW-1:0] ps = {{(IW - 16){p[15]}}, p};
            wire [15:0]   dq, sum;
            lut_tc_dequant #(.IW(IW)) u_dq (.isum(s2), .scale(sc2[16 * (i / N) +: 16]),
                                            .y(dq));
            fp16_add u_acc (.a(clr2 ? 16'd0 : acc), .b(int82 ? dq : s2[15:0]), .y(sum));
            always @(posedge clk) begin
                if (rst) begin
                    s2     <= {IW{1'b0}};
                    acc    <= 16'd0;
                    shadow <= 16'd0;
                end else begin
                    if (rdy2) begin
                        acc <= sum;
                        if (last2)
                            shadow <= sum;
                    end
                    if (v1)
                        s2 <= !int81 ? {{(IW - 16){1'b0}}, p} :
                              open2 ? s2 + ps : ps;
                end
            end
            assign shadow_bus[16 * i +: 16] = shadow;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            v1 <= 1'b0; clr1 <= 1'b0; clast1 <= 1'b0; last1 <= 1'b0; int81 <= 1'b0;
            sc1 <= 32'd0;
            p1 <= {16*NA{1'b0}};
            rdy2 <= 1'b0; clr2 <= 1'b0; last2 <= 1'b0; int82 <= 1'b0;
            open2 <= 1'b0; iclr2 <= 1'b0; ilast2 <= 1'b0;
            sc2 <= 32'd0;
            rd_data <= 64'd0;
            seg_done <= 1'b0;
        end else begin
            // read port: the shadow bank before this edge
            rd_data  <= shadow_bus[64 * rd_addr +: 64];
            // S3
            seg_done <= rdy2 & last2;
            // S2
            if (v1 & ~int81) begin
                rdy2  <= 1'b1;
                clr2  <= clr1;
                last2 <= last1;
                int82 <= 1'b0;
                open2 <= 1'b0;
            end else if (v1) begin
                iclr2  <= iclr_n;
                ilast2 <= ilast_n;
                open2  <= ~clast1;
                rdy2   <= clast1;
                clr2   <= iclr_n;
                last2  <= ilast_n;
                int82  <= 1'b1;
                sc2    <= sc1;
            end else begin
                rdy2 <= 1'b0;
            end
            // S1
            v1 <= in_valid;
            if (in_valid) begin
                clr1   <= in_clr;
                clast1 <= in_clast;
                last1  <= in_last;
                int81  <= in_int8;
                sc1    <= tscale;
                p1     <= p1_d;
            end
        end
    end
endmodule

`default_nettype wire

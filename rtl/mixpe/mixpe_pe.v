// mixpe_pe.v - the MixPE processing element: shift&add products of INT8
// (W4A8) or FP16 (W4A16) activations with signed INT2..INT4 weights,
// accumulated over one quantization group, dequantized once per group
// (shared/reference/mixpe.md; our reconstruction, pe_models/mixpe/
// README.md):
//   O = sum_G s (sum_{k in G} a w - z sum_{k in G} a)
// Ports, widths and behaviour edge for edge are those of the bit-true C
// model "mixpe_pe" (pe_models/mixpe/pe_mixpe_pe.c, rtl_top "mixpe_pe");
// rtl/mixpe/README.md has the table.
//
// Five register ranks, each sampling the previous one's registers:
//   P   products of the LANES lanes summed, and sum a; control registered
//   A   group accumulators (a fresh group loads); at a group end the pair
//       goes to D1 and the accumulators restart
//   D1  D = acc - z sum a
//   D2  y = s D, FP16
//   D3  out = y (output's first group) or out + y; at the output's last
//       group the result register res loads and done pulses
// plus the pass-through registers (*_out) the array chains through. res is
// also the PE's slot in its column's drain chain (README "Array").
//
// Numerics (README "Numerics"): INT8 products, sums and D are exact
// integers in registers sized from GROUP (they wrap like the C model's
// for a longer group); y = RNE16(s x D) rounds once. FP16 products round
// once each (mixpe_fp_lane), then every add and multiply rounds once
// (fp16_add / fp16_mul of rtl/common, = pe_f16_add / pe_f16_mul): lane
// tree ((p0 + p1) + (p2 + p3)), acc + tree, z x sa, acc - that, s x D,
// out + y, in that order.
//
// Reset is synchronous (rst, active high) to the C model's reset state:
// every register 0. Verilator starts every register at 0 as well, so a
// harness that never raises rst sees the same state.
//
// Mutants (wrong on purpose, to prove the lockstep check can fail):
// `define MUTANT_NO_ZERO_TERM drops z x sum a (PE_MIXPE_BUG_NO_ZERO);
// `define MUTANT_MSB_POS adds the weight's MSB copy (PE_MIXPE_BUG_MSB_POS).
`default_nettype none

module mixpe_pe #(
    parameter integer WBITS = 4,    // weight bits b, 2..4
    parameter integer FP16  = 0,    // activations: 0 INT8 (W4A8), 1 FP16 (W4A16)
    parameter integer LANES = 2,    // weight/activation pairs per edge, 1..4
    parameter integer GROUP = 128   // group size the accumulators hold, multiple of LANES
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_first,
    input  wire        in_glast,
    input  wire        in_last,
    input  wire [63:0] a_in,
    input  wire [15:0] w_in,
    input  wire [15:0] scale_in,
    input  wire [7:0]  zero_in,
    input  wire        sh_start,
    input  wire        sh_valid_in,
    input  wire        sh_drain_in,
    input  wire [15:0] sh_in,
    output reg         valid_out,
    output reg         first_out,
    output reg         glast_out,
    output reg         last_out,
    output reg  [63:0] a_out,
    output reg  [15:0] w_out,
    output reg  [15:0] scale_out,
    output reg  [7:0]  zero_out,
    output reg         done,
    output reg         res_valid,
    output reg         res_drain,
    output reg  [15:0] res
);
`ifndef SYNTHESIS
    initial begin
        if (WBITS < 2 || WBITS > 4)
            $fatal(1, "mixpe_pe: WBITS = %0d: the shift&add PE takes 2..4", WBITS);
        if (FP16 != 0 && FP16 != 1)
            $fatal(1, "mixpe_pe: FP16 = %0d: 0 (INT8) or 1 (FP16)", FP16);
        if (LANES < 1 || LANES > 4)
            $fatal(1, "mixpe_pe: LANES = %0d: 1..4", LANES);
        if (GROUP < 1 || GROUP > 65536 || GROUP % LANES != 0)
            $fatal(1, "mixpe_pe: GROUP = %0d: 1..65536, a multiple of LANES", GROUP);
    end
`endif

    // ---- control: the stages' valid bits and what travels with them ----
    reg        p_valid, p_first, p_end, p_last;
    reg [15:0] p_scale;
    reg [7:0]  p_zero;
    reg        g_open, g_ofirst;                  // a group is open; it is the output's first
    reg        q_valid, q_ofirst, q_last;
    reg [15:0] q_scale;
    reg [7:0]  q_zero;
    reg        d_valid, d_ofirst, d_last;
    reg [15:0] d_scale;
    reg        y_valid, y_ofirst, y_last;
    reg [15:0] y;
    reg [15:0] oacc;                              // output accumulator (FP16)

    wire fresh     = ~g_open | p_first;           // A: the group restarts
    wire ofirst_a  = g_ofirst | p_first;          // A: this group is the output's first
    wire en_acc    = p_valid & ~p_end;            // A: accumulate
    wire en_q      = p_valid & p_end;             // A: hand the group to D1
    wire [15:0] y_next;                           // D2 result (datapath below)

    always @(posedge clk) begin
        if (rst) begin
            p_valid <= 1'b0; p_first <= 1'b0; p_end <= 1'b0; p_last <= 1'b0;
            p_scale <= 16'd0; p_zero <= 8'd0;
            g_open <= 1'b0; g_ofirst <= 1'b0;
            q_valid <= 1'b0; q_ofirst <= 1'b0; q_last <= 1'b0;
            q_scale <= 16'd0; q_zero <= 8'd0;
            d_valid <= 1'b0; d_ofirst <= 1'b0; d_last <= 1'b0; d_scale <= 16'd0;
            y_valid <= 1'b0; y_ofirst <= 1'b0; y_last <= 1'b0; y <= 16'd0;
        end else begin
            // P
            p_valid <= in_valid;
            if (in_valid) begin
                p_first <= in_first;
                p_end   <= in_glast | in_last;
                p_last  <= in_last;
                p_scale <= scale_in;
                p_zero  <= zero_in;
            end
            // A
            q_valid <= en_q;
            if (en_q) begin
                q_ofirst <= ofirst_a;
                q_last   <= p_last;
                q_scale  <= p_scale;
                q_zero   <= p_zero;
                g_open   <= 1'b0;
                g_ofirst <= 1'b0;
            end else if (en_acc) begin
                g_open   <= 1'b1;
                g_ofirst <= ofirst_a;
            end
            // D1
            d_valid <= q_valid;
            if (q_valid) begin
                d_ofirst <= q_ofirst;
                d_last   <= q_last;
                d_scale  <= q_scale;
            end
            // D2
            y_valid <= d_valid;
            if (d_valid) begin
                y_ofirst <= d_ofirst;
                y_last   <= d_last;
                y        <= y_next;
            end
        end
    end

    // ---- the datapath registers P .. D1, shared by both modes ----
    // INT8 widths from GROUP (C: pe_mixpe_cfg_from_params): the largest
    // |group sum| is GROUP (-128)(-2^(b-1)) = GROUP 2^(b+6); sum a lies in
    // [-128 GROUP, 127 GROUP]; D = acc - z sa. FP16: every value is FP16.
    localparam integer AW  = $clog2((GROUP << (WBITS + 6)) + 1) + 1;
    localparam integer SW  = $clog2(128 * GROUP) + 1;
    localparam integer DX  = (AW - 1 > SW + 6) ? AW - 1 : SW + 6;
    localparam integer DW  = DX + 2;
    localparam integer PTW = WBITS + 10;     // |lane sum| <= 4 x 2^(b+6)
    localparam integer PSW = 11;             // sum of 4 INT8
    localparam integer RT  = (FP16 != 0) ? 16 : PTW;
    localparam integer RS  = (FP16 != 0) ? 16 : PSW;
    localparam integer RA  = (FP16 != 0) ? 16 : AW;
    localparam integer RSA = (FP16 != 0) ? 16 : SW;
    localparam integer RD  = (FP16 != 0) ? 16 : DW;

    reg  signed [RT-1:0]  p_t;                    // P: sum of the lane products
    reg  signed [RS-1:0]  p_sa;                   // P: sum of the activations
    reg  signed [RA-1:0]  acc, q_acc;             // A: group accumulator, D1's copy
    reg  signed [RSA-1:0] sa, q_sa;               // A: group sum a, D1's copy
    reg  signed [RD-1:0]  d_r;                    // D1: D
    wire signed [RT-1:0]  t_c;                    // their next values (datapath below)
    wire signed [RS-1:0]  sa_c;
    wire signed [RA-1:0]  acc_n;
    wire signed [RSA-1:0] sa_n;
    wire signed [RD-1:0]  d_n;

    always @(posedge clk) begin
        if (rst) begin
            p_t <= {RT{1'b0}}; p_sa <= {RS{1'b0}};
            acc <= {RA{1'b0}}; sa <= {RSA{1'b0}};
            q_acc <= {RA{1'b0}}; q_sa <= {RSA{1'b0}};
            d_r <= {RD{1'b0}};
        end else begin
            if (in_valid) begin
                p_t  <= t_c;
                p_sa <= sa_c;
            end
            if (en_q) begin
                q_acc <= acc_n;
                q_sa  <= sa_n;
            end else if (en_acc) begin
                acc <= acc_n;
                sa  <= sa_n;
            end
            if (q_valid)
                d_r <= d_n;
        end
    end

    // ---- datapath P .. D2, per activation mode ----
    generate
        if (FP16 == 0) begin : g_int
            localparam integer XW  = 32;             // wide enough for any wrap

            // a x w by shift&add, one mixpe_shadd per lane
            wire [PTW*LANES-1:0] pr;
            genvar li;
            for (li = 0; li < LANES; li = li + 1) begin : g_lane
                mixpe_shadd #(.WBITS(WBITS), .AW(8), .SIGNED(1), .PW(PTW)) u_shadd (
                    .a(a_in[16*li +: 8]),
                    .w(w_in[4*li +: WBITS]),
                    .p(pr[PTW*li +: PTW])
                );
            end

            reg  signed [PTW-1:0] t_s;               // P: sum of the lane products
            reg  signed [PSW-1:0] sa_s;              // P: sum of the activations
            integer i;
            always @(*) begin
                t_s  = {PTW{1'b0}};
                sa_s = {PSW{1'b0}};
                for (i = 0; i < LANES; i = i + 1) begin
                    t_s  = t_s + $signed(pr[PTW*i +: PTW]);
                    sa_s = sa_s + $signed({{(PSW-8){a_in[16*i+7]}}, a_in[16*i +: 8]});
                end
            end
            assign t_c  = t_s;
            assign sa_c = sa_s;

            // A: acc (+) t, sa (+) sum a, wrapping at AW / SW bits (the
            // bits above them are dropped: the C model's wrap())
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [XW-1:0] acc_x = (fresh ? {XW{1'b0}} : {{(XW-AW){acc[AW-1]}}, acc})
                                         + {{(XW-PTW){p_t[PTW-1]}}, p_t};
            wire signed [XW-1:0] sa_x  = (fresh ? {XW{1'b0}} : {{(XW-SW){sa[SW-1]}}, sa})
                                         + {{(XW-PSW){p_sa[PSW-1]}}, p_sa};
            /* verilator lint_on UNUSEDSIGNAL */
            assign acc_n = acc_x[AW-1:0];
            assign sa_n  = sa_x[SW-1:0];

            // D1: D = acc - z sa, exact in DW bits
            wire signed [DW-1:0] z_d   = {{(DW-8){q_zero[7]}}, q_zero};
            wire signed [DW-1:0] sa_d  = {{(DW-SW){q_sa[SW-1]}}, q_sa};
            wire signed [DW-1:0] acc_d = {{(DW-AW){q_acc[AW-1]}}, q_acc};
`ifdef MUTANT_NO_ZERO_TERM
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [DW-1:0] zsa_unused = z_d ^ sa_d;   // the dropped term's inputs
            /* verilator lint_on UNUSEDSIGNAL */
            assign d_n = acc_d;
`else
            assign d_n = acc_d - z_d * sa_d;
`endif

            // D2: y = RNE16(s x D): s's significand times |D|, exact, one
            // rounding; s inf/NaN and D = 0 as IEEE (C: f16_scale_int)
            wire [4:0]    s_ex  = d_scale[14:10];
            wire [9:0]    s_fr  = d_scale[9:0];
            wire          d_neg = d_r[DW-1];
            wire [DW-1:0] d_mag = d_neg ? -d_r : d_r;
            wire [DW+10:0] prod = {{DW{1'b0}}, |s_ex, s_fr} * {11'd0, d_mag};
            wire [15:0]   r;

            wire [4:0]    s_e   = (s_ex == 5'd0) ? 5'd1 : s_ex;
            fp16_round #(.QW(DW + 11), .XW(8)) u_round (
                .sign  (d_scale[15] ^ d_neg),
                .q     (prod),
                .sticky(1'b0),
                .x     ({3'd0, s_e} - 8'd25),
                .y     (r)
            );

            assign y_next = (&s_ex) ? (((|s_fr) | (d_r == {DW{1'b0}})) ? 16'h7e00
                                       : {d_scale[15] ^ d_neg, 15'h7c00})
                                    : r;
        end else begin : g_fp
            // P: per-lane shift&add products, then the pairwise lane tree
            // ((v0 + v1) + (v2 + v3)) of the products and of the activations
            wire [16*LANES-1:0] pr;
            genvar li;
            for (li = 0; li < LANES; li = li + 1) begin : g_lane
                mixpe_fp_lane #(.WBITS(WBITS)) u_lane (
                    .a(a_in[16*li +: 16]),
                    .w(w_in[4*li +: WBITS]),
                    .y(pr[16*li +: 16])
                );
            end

            if (LANES == 1) begin : g_tree1
                assign t_c  = pr[15:0];
                assign sa_c = a_in[15:0];
            end else begin : g_tree
                wire [15:0] t01, a01;
                fp16_add u_t01 (.a(pr[15:0]),   .b(pr[31:16]),   .y(t01));
                fp16_add u_a01 (.a(a_in[15:0]), .b(a_in[31:16]), .y(a01));
                if (LANES == 2) begin : g_l2
                    assign t_c  = t01;
                    assign sa_c = a01;
                end else if (LANES == 3) begin : g_l3
                    fp16_add u_t (.a(t01), .b(pr[47:32]),   .y(t_c));
                    fp16_add u_a (.a(a01), .b(a_in[47:32]), .y(sa_c));
                end else begin : g_l4
                    wire [15:0] t23, a23;
                    fp16_add u_t23 (.a(pr[47:32]),   .b(pr[63:48]),   .y(t23));
                    fp16_add u_a23 (.a(a_in[47:32]), .b(a_in[63:48]), .y(a23));
                    fp16_add u_t   (.a(t01), .b(t23), .y(t_c));
                    fp16_add u_a   (.a(a01), .b(a23), .y(sa_c));
                end
            end

            // A: a fresh group loads the tree (no add to zero)
            wire [15:0] acc_sum, sa_sum;
            fp16_add u_acc (.a(acc), .b(p_t),  .y(acc_sum));
            fp16_add u_sa  (.a(sa),  .b(p_sa), .y(sa_sum));
            assign acc_n = fresh ? p_t  : acc_sum;
            assign sa_n  = fresh ? p_sa : sa_sum;

            // D1: m = RNE16(z x sa), D = RNE16(acc - m); z is exact in FP16
            function automatic [15:0] i8_to_f16(input [7:0] z);
                integer k;
                reg [7:0] mag;
                reg [3:0] n;
                reg [9:0] frac;
                begin
                    mag = z[7] ? 8'd0 - z : z;       // 128 -> 8'h80
                    n = 4'd0;
                    for (k = 0; k < 8; k = k + 1)
                        if (mag[k])
                            n = k[3:0] + 4'd1;
                    frac = {2'b00, mag} << (4'd11 - n);  // the leading one drops out
                    i8_to_f16 = (mag == 8'd0) ? 16'h0000
                                : {z[7], 5'd14 + {1'b0, n}, frac};
                end
            endfunction

`ifdef MUTANT_NO_ZERO_TERM
            assign d_n = q_acc;
            /* verilator lint_off UNUSEDSIGNAL */
            wire [15:0] zsa_unused = i8_to_f16(q_zero) ^ q_sa;   // the dropped term's inputs
            /* verilator lint_on UNUSEDSIGNAL */
`else
            wire [15:0] zm;
            fp16_mul u_zm (.a(i8_to_f16(q_zero)), .b(q_sa), .y(zm));
            fp16_add u_d  (.a(q_acc), .b({~zm[15], zm[14:0]}), .y(d_n));
`endif

            // D2: y = RNE16(s x D)
            fp16_mul u_y (.a(d_scale), .b(d_r), .y(y_next));
        end
    endgenerate

    // ---- D3, the result register / drain-chain slot, the pass-through ----
    wire [15:0] o_sum;
    fp16_add u_out (.a(oacc), .b(y), .y(o_sum));
    wire [15:0] fin    = y_ofirst ? y : o_sum;
    wire        load   = y_valid & y_last;
    // take the value above iff it moves; ours leaves iff it moves; a new
    // result always wins the register (README "Array")
    wire        mv_in  = sh_valid_in & (sh_drain_in | sh_start);
    wire        mv_out = res_valid & (res_drain | sh_start);

    always @(posedge clk) begin
        if (rst) begin
            oacc <= 16'd0;
            done <= 1'b0; res_valid <= 1'b0; res_drain <= 1'b0; res <= 16'd0;
            valid_out <= 1'b0; first_out <= 1'b0; glast_out <= 1'b0; last_out <= 1'b0;
            a_out <= 64'd0; w_out <= 16'd0; scale_out <= 16'd0; zero_out <= 8'd0;
        end else begin
            if (y_valid)
                oacc <= fin;
            done <= load;
            if (load) begin
                res       <= fin;
                res_valid <= 1'b1;
                res_drain <= 1'b0;
            end else if (mv_in) begin
                res       <= sh_in;
                res_valid <= 1'b1;
                res_drain <= 1'b1;
            end else if (mv_out) begin
                res_valid <= 1'b0;
                res_drain <= 1'b0;
            end
            valid_out <= in_valid;
            first_out <= in_first;
            glast_out <= in_glast;
            last_out  <= in_last;
            a_out     <= a_in;
            w_out     <= w_in;
            scale_out <= scale_in;
            zero_out  <= zero_in;
        end
    end
endmodule

`default_nettype wire

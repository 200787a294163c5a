// bitmod_array4x4.v - 4x4 BitMoD PEs in an output-stationary array with
// the left-edge weight decoders, the result shadow chains and the rows'
// channel-scale units. Golden model: pe_models/bitmod/pe_bitmod_array.c
// ("bitmod_array4x4", README "Array"); every output bit after every
// rising edge equals its `step`.
//
// PE (r,c) accumulates out[m = c][n = r]. Row r's weight codes enter at
// the left edge, where bitmod_decode turns codes + w_type + term index into
// the PE's w_term / w_bitpos; that bundle (control, terms, bit position,
// the group scale's serial bit w_sbit) moves right one PE per edge
// through hop registers. Column c's activations enter at the top and move
// down one PE per edge. The driver skews row r by r edges and column c by
// c and serializes the group scales (the skew buffers and the scale
// serializers are outside), so PE (r,c) sees a term r + c edges after it
// entered.
//
// Each group's dequantized sum leaves its PE through a shadow chain per
// row toward the left edge: a PE's sum drops into its slot the edge after
// out_valid, otherwise a slot takes its right neighbour's (a sum landing
// while the right neighbour's slot is full is a collision: err). The slot
// at column 0 goes into the row's output accumulator on the next edge:
// one bitmod_bfp_add per row (MW+SB+1 bits) and an accumulator per
// column, the work the paper's PE leaves out; an output's last group
// (olast) loads the row's result register instead and clears the column's
// accumulator, and the edge after, the row's bitmod_edge_scale makes
// y = fp16(M * 2^(E - 28) * cscale), rounded once. w_cscale_r is sampled
// with an output's last term (valid & last & olast) into a 4-entry FIFO
// per row and popped when column 3's result leaves; a result leaving with
// the FIFO empty uses 16'h7e00 (NaN) and sets err, as a push into a full
// FIFO does (the pop of the same edge counts first), and so does an
// output exponent above 255.
//
// Ports (pe_bt.h order; per row r = 0..3, then per column, then outputs):
//   w_ctl_r     11  [0] valid [1] first [2] last [3] olast [5:4] term index
//                   [10:6] w_type (bitmod_decode)
//   w_code_r    32  4 x 8-bit weight code (lane i: bits [8i+7:8i])
//   w_sbit_r     1  the group's integer scale, a bit per edge, MSB first,
//                   on the 2nd .. SB+1th edges after its last term
//                   (bitmod_pe.v)
//   w_cscale_r  16  FP16 channel scale of output channel n = r (with olast)
//   a_c         64  4 x FP16 activations of column c
//   y_valid_r    1  a result leaves row r
//   y_r         16  its FP16 value
//   y_col_r      2  the column it came from
//   err          1  sticky: a PE's err, a shadow collision, channel-scale
//                   FIFO over/underflow, a valid cycle of reserved w_type,
//                   an output exponent above 255
// rst is synchronous and active high and clears every register (the
// model's reset()).
//
// Parameters LANES, SB, MW, EMAX_ALL as bitmod_pe (the same for every PE).
// Mutants (wrong on purpose, same ports):
//   MUTANT_EDGE_RTZ    the channel-scale units truncate instead of rounding
//                      to nearest-even (bitmod_edge_scale.v); built as
//                      bitmod_array4x4_mutant
//   MUTANT_NO_COLLIDE  a result dropped into its slot while the right
//                      neighbour's slot is full (the neighbour's result is
//                      lost) is not flagged; built as
//                      bitmod_array4x4_l2_sb2_mutant (with SB >= 2*4-1 = 7
//                      a collision needs a dequantizer overrun first, which
//                      already set err: only a small SB reaches it)
`default_nettype none

module bitmod_array4x4 #(
    parameter integer LANES = 4,
    parameter integer SB = 8,
    parameter integer MW = 15,
    parameter integer EMAX_ALL = 0
) (
    input  wire        clk,
    input  wire        rst,
    input  wire [10:0] w_ctl_0,
    input  wire [31:0] w_code_0,
    input  wire        w_sbit_0,
    input  wire [15:0] w_cscale_0,
    input  wire [10:0] w_ctl_1,
    input  wire [31:0] w_code_1,
    input  wire        w_sbit_1,
    input  wire [15:0] w_cscale_1,
    input  wire [10:0] w_ctl_2,
    input  wire [31:0] w_code_2,
    input  wire        w_sbit_2,
    input  wire [15:0] w_cscale_2,
    input  wire [10:0] w_ctl_3,
    input  wire [31:0] w_code_3,
    input  wire        w_sbit_3,
    input  wire [15:0] w_cscale_3,
    input  wire [63:0] a_0,
    input  wire [63:0] a_1,
    input  wire [63:0] a_2,
    input  wire [63:0] a_3,
    output wire        y_valid_0,
    output wire [15:0] y_0,
    output wire [1:0]  y_col_0,
    output wire        y_valid_1,
    output wire [15:0] y_1,
    output wire [1:0]  y_col_1,
    output wire        y_valid_2,
    output wire [15:0] y_2,
    output wire [1:0]  y_col_2,
    output wire        y_valid_3,
    output wire [15:0] y_3,
    output wire [1:0]  y_col_3,
    output wire        err
);
    localparam integer DW = MW + SB;        // a PE's group sum
    localparam integer OW = MW + SB + 1;    // an output's accumulator
    localparam integer BW = 24;             // hop bundle: sbit, term, bitpos, ctl
    localparam integer SW = 1 + 1 + 1 + 8 + 2 + DW;  // slot: valid nan olast e col m

    // the ports as vectors, row r / column c at index r / c
    wire [43:0]  w_ctl    = {w_ctl_3, w_ctl_2, w_ctl_1, w_ctl_0};
    wire [127:0] w_code   = {w_code_3, w_code_2, w_code_1, w_code_0};
    wire [3:0]   w_sbit   = {w_sbit_3, w_sbit_2, w_sbit_1, w_sbit_0};
    wire [63:0]  w_cscale = {w_cscale_3, w_cscale_2, w_cscale_1, w_cscale_0};
    wire [255:0] a_top    = {a_3, a_2, a_1, a_0};

    // per PE i = 4r + c
    wire [12*BW-1:0] hw_q;          // hop registers toward the right,
                                    // (r,c) c < 3 at 3r + c
    wire [12*64-1:0] ha_q;          // hop registers downward, (r,c) r < 3
                                    // at 4r + c
    wire [16*SW-1:0] slot_q;        // shadow chain slots
    wire [15:0]      pe_err;
    wire [15:0]      collide;
    wire [3:0]       row_err;       // decoder / FIFO / exponent errors of each row

    wire [3:0]  y_valid;
    wire [63:0] y;
    wire [7:0]  y_col;

    reg com_err;

    genvar r, c;
    generate
        for (r = 0; r < 4; r = r + 1) begin : g_row
            // ---- left-edge decoder ----
            wire [10:0] ctl = w_ctl[11*r +: 11];
            wire [2:0]  dec_bitpos;
            wire [15:0] dec_term;
            wire        dec_reserved;
            bitmod_decode #(.LANES(LANES)) u_dec (
                .valid(ctl[0]), .t(ctl[5:4]), .wt(ctl[10:6]),
                .w_code(w_code[32*r +: 32]),
                .bitpos(dec_bitpos), .term(dec_term), .reserved(dec_reserved));
            wire [BW-1:0] edge_in = {w_sbit[r], dec_term, dec_bitpos, ctl[3:0]};

            for (c = 0; c < 4; c = c + 1) begin : g_col
                localparam integer I = 4 * r + c;
                wire [BW-1:0] bin;
                wire [63:0]   ain;
                if (c == 0) begin : g_edge
                    assign bin = edge_in;
                end else begin : g_hop
                    assign bin = hw_q[BW*(3*r+c-1) +: BW];
                end
                if (r == 0) begin : g_top
                    assign ain = a_top[64*c +: 64];
                end else begin : g_down
                    assign ain = ha_q[64*(I-4) +: 64];
                end

                wire          o_valid, o_nan, o_olast, o_err;
                // out_man is DW bits sign-extended: the slot keeps DW
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0]   o_man;
                /* verilator lint_on UNUSEDSIGNAL */
                wire [7:0]    o_exp;
                bitmod_pe #(.LANES(LANES), .SB(SB), .MW(MW), .EMAX_ALL(EMAX_ALL)) u_pe (
                    .clk(clk), .rst(rst),
                    .in_valid(bin[0]), .in_first(bin[1]), .in_last(bin[2]),
                    .in_olast(bin[3]), .w_bitpos(bin[6:4]), .w_term(bin[22:7]),
                    .w_sbit(bin[23]), .a(ain),
                    .out_valid(o_valid), .out_man(o_man), .out_exp(o_exp),
                    .out_nan(o_nan), .out_olast(o_olast), .err(o_err));
                assign pe_err[I] = o_err;

                // hop registers: loaded every edge with what the PE saw
                // (none right of column 3 or below row 3)
                if (c < 3) begin : g_hw
                    reg [BW-1:0] hw;
                    always @(posedge clk)
                        hw <= rst ? {BW{1'b0}} : bin;
                    assign hw_q[BW*(3*r+c) +: BW] = hw;
                end
                if (r < 3) begin : g_ha
                    reg [63:0] ha;
                    always @(posedge clk)
                        ha <= rst ? 64'd0 : ain;
                    assign ha_q[64*I +: 64] = ha;
                end

                // shadow chain slot {valid, nan, olast, e, col, m}
                wire [SW-1:0] nx;
                if (c < 3) begin : g_nx
                    assign nx = slot_q[SW*(I+1) +: SW];
                end else begin : g_end
                    assign nx = {SW{1'b0}};
                end
                wire [1:0] col = c;
                reg [SW-1:0] slot;
                always @(posedge clk) begin
                    if (rst)
                        slot <= {SW{1'b0}};
                    else if (o_valid)
                        slot <= {1'b1, o_nan, o_olast, o_exp, col, o_man[DW-1:0]};
                    else
                        slot <= nx;
                end
                assign slot_q[SW*I +: SW] = slot;
`ifdef MUTANT_NO_COLLIDE
                assign collide[I] = 1'b0;
`else
                assign collide[I] = o_valid & nx[SW-1];
`endif
            end

            // ---- exit: output accumulator, channel-scale FIFO and unit ----
            wire [SW-1:0] s0      = slot_q[SW*4*r +: SW];
            wire          s0_valid = s0[SW-1];
            wire          s0_nan   = s0[SW-2];
            wire          s0_olast = s0[SW-3];
            wire [7:0]    s0_e     = s0[SW-4 -: 8];
            wire [1:0]    s0_col   = s0[DW+1 : DW];
            wire [DW-1:0] s0_m     = s0[DW-1:0];

            // the row's output accumulator: one adder, a register per column
            reg  [OW-1:0] om0, om1, om2, om3;
            reg  [7:0]    oe0, oe1, oe2, oe3;
            reg  [3:0]    onan;
            wire [OW-1:0] o_m = s0_col == 2'd0 ? om0 : s0_col == 2'd1 ? om1 :
                                s0_col == 2'd2 ? om2 : om3;
            wire [7:0]    o_e = s0_col == 2'd0 ? oe0 : s0_col == 2'd1 ? oe1 :
                                s0_col == 2'd2 ? oe2 : oe3;
            wire          o_n = onan[s0_col] | s0_nan;
            wire [OW-1:0] oa_sum;
            wire [8:0]    oa_esum;
            /* verilator lint_off PINCONNECTEMPTY */
            bitmod_bfp_add #(.AW(OW), .XW(DW), .W(OW)) u_oa (
                .m(o_m), .e(o_e), .x(s0_m), .ex(s0_e),
                .m_out(oa_sum), .e_out(oa_esum), .renorm());
            /* verilator lint_on PINCONNECTEMPTY */

            // the result register: an output, to the channel-scale unit
            reg           res_valid, res_nan;
            reg  [7:0]    res_e;
            reg  [1:0]    res_col;
            reg  [OW-1:0] res_m;

            reg  [15:0] fifo0, fifo1, fifo2, fifo3;
            reg  [1:0]  head;
            reg  [2:0]  cnt;
            // an underflow (as the model has it) cannot happen in the 4x4
            // (README.md "Array": the pushes a dropped one needs before it
            // cannot all survive the chain)
            wire [15:0] cs_head = cnt == 3'd0 ? 16'h7e00 :
                                  head == 2'd0 ? fifo0 :
                                  head == 2'd1 ? fifo1 :
                                  head == 2'd2 ? fifo2 : fifo3;
            wire        under = res_valid && cnt == 3'd0;
            wire        pop   = res_valid && res_col == 2'd3 && cnt != 3'd0;
            wire [2:0]  cnt1  = cnt - {2'd0, pop};
            wire        push  = ctl[0] & ctl[2] & ctl[3];
            wire        over  = push && cnt1 == 3'd4;
            wire        wr    = push && !over;
            wire [1:0]  wix   = head + cnt[1:0];    // (head + cnt) mod 4
            wire        eovf  = s0_valid && oa_esum[8];
            assign row_err[r] = under | over | dec_reserved | eovf;

            wire [15:0] ys;
            bitmod_edge_scale #(.MB(OW)) u_edge (
                .m(res_m), .e(res_e), .nan(res_nan), .cs(cs_head), .y(ys));

            reg        yv;
            reg [15:0] yr;
            reg [1:0]  yc;
            always @(posedge clk) begin
                if (rst) begin
                    om0 <= {OW{1'b0}}; om1 <= {OW{1'b0}};
                    om2 <= {OW{1'b0}}; om3 <= {OW{1'b0}};
                    oe0 <= 8'd0; oe1 <= 8'd0; oe2 <= 8'd0; oe3 <= 8'd0;
                    onan <= 4'd0;
                    res_valid <= 1'b0;
                    res_nan   <= 1'b0;
                    res_e     <= 8'd0;
                    res_col   <= 2'd0;
                    res_m     <= {OW{1'b0}};
                    fifo0 <= 16'd0;
                    fifo1 <= 16'd0;
                    fifo2 <= 16'd0;
                    fifo3 <= 16'd0;
                    head  <= 2'd0;
                    cnt   <= 3'd0;
                    yv    <= 1'b0;
                    yr    <= 16'd0;
                    yc    <= 2'd0;
                end else begin
                    // an output's last group: the result register, and the
                    // column's accumulator clears; else it accumulates
                    res_valid <= s0_valid & s0_olast;
                    if (s0_valid) begin
                        if (s0_olast) begin
                            res_nan <= o_n;
                            res_e   <= oa_esum[7:0];
                            res_col <= s0_col;
                            res_m   <= oa_sum;
                        end
                        if (s0_col == 2'd0) begin
                            om0 <= s0_olast ? {OW{1'b0}} : oa_sum;
                            oe0 <= s0_olast ? 8'd0 : oa_esum[7:0];
                        end
                        if (s0_col == 2'd1) begin
                            om1 <= s0_olast ? {OW{1'b0}} : oa_sum;
                            oe1 <= s0_olast ? 8'd0 : oa_esum[7:0];
                        end
                        if (s0_col == 2'd2) begin
                            om2 <= s0_olast ? {OW{1'b0}} : oa_sum;
                            oe2 <= s0_olast ? 8'd0 : oa_esum[7:0];
                        end
                        if (s0_col == 2'd3) begin
                            om3 <= s0_olast ? {OW{1'b0}} : oa_sum;
                            oe3 <= s0_olast ? 8'd0 : oa_esum[7:0];
                        end
                        onan[s0_col] <= s0_olast ? 1'b0 : o_n;
                    end
                    if (wr && wix == 2'd0) fifo0 <= w_cscale[16*r +: 16];
                    if (wr && wix == 2'd1) fifo1 <= w_cscale[16*r +: 16];
                    if (wr && wix == 2'd2) fifo2 <= w_cscale[16*r +: 16];
                    if (wr && wix == 2'd3) fifo3 <= w_cscale[16*r +: 16];
                    head <= head + {1'b0, pop};
                    cnt  <= cnt1 + {2'd0, wr};
                    yv   <= res_valid;
                    if (res_valid) begin
                        yr <= ys;
                        yc <= res_col;
                    end
                end
            end
            assign y_valid[r]       = yv;
            assign y[16*r +: 16]    = yr;
            assign y_col[2*r +: 2]  = yc;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst)
            com_err <= 1'b0;
        else if (collide != 16'd0 || row_err != 4'd0)
            com_err <= 1'b1;
    end
    assign err = com_err | (pe_err != 16'd0);

    assign y_valid_0 = y_valid[0];
    assign y_valid_1 = y_valid[1];
    assign y_valid_2 = y_valid[2];
    assign y_valid_3 = y_valid[3];
    assign y_0 = y[15:0];
    assign y_1 = y[31:16];
    assign y_2 = y[47:32];
    assign y_3 = y[63:48];
    assign y_col_0 = y_col[1:0];
    assign y_col_1 = y_col[3:2];
    assign y_col_2 = y_col[5:4];
    assign y_col_3 = y_col[7:6];
endmodule

`default_nettype wire

// bitmod_pe.v - the BitMoD processing element: four FP16 activations times
// four weight *terms* per cycle, a block-floating-point group accumulator,
// a bit-serial dequantizer by the group's integer scale and a block-FP
// output accumulator. Golden model: pe_models/bitmod/pe_bitmod_pe.c
// ("bitmod_pe", README there: ports, pipeline, every rounding rule); every
// output bit after every rising edge equals its `step`.
//
// Ports (pe_bt.h order, inputs then outputs; lane i of `a` is bits
// [16i+15:16i], of `w_term` bits [4i+3:4i]; lanes >= LANES are ignored):
//   in_valid   1  a term cycle
//   in_first   1  first term cycle of a group: the group accumulator restarts
//   in_last    1  last term cycle of a group: its sum goes to the dequantizer
//   in_olast   1  with in_last: the output's last group
//   w_bitpos   3  the cycle's bit position (shared by the lanes)
//   w_term    16  4 x {s, e[1:0], m}: the term (-1)^s * m * 2^(e + bitpos)
//   w_scale    8  the group's integer scale (its low SB bits), with in_last
//   a         64  4 x FP16 activation
//   out_valid  1  one-cycle pulse: an output is complete
//   out_man   32  its mantissa, two's complement, OW = MW+SB+1 bits
//                 sign-extended; value = out_man * 2^(out_exp - 28)
//   out_exp    8
//   out_nan    1  an Inf/NaN activation went into it
//   err        1  sticky: dequantizer overrun (in_last closer than SB
//                 cycles) or output exponent overflow
// rst is synchronous and active high: the edge that samples it clears
// every register, as the model's reset() (a memset) does.
//
// Pipeline (edges from a term's input edge; PE_BITMOD_PIPE = 3):
//   0       S1  exponent match: sig = 11-bit significand (hidden bit unless
//               subnormal), ea = max(Ea, 1); a lane has a product iff
//               m = 1, sig != 0 and Ea != 31; x = ea + e; emax over the
//               lanes with a product; delta = emax - x; the group exponent
//               of the cycle is emax + bitpos (0 without any product).
//               Inf/NaN in any lane marks the output NaN.
//   1       S2  AND-multiply (sig & m), (p << 3) >> delta (the 3 guard bits
//               are kept, lower bits drop: truncation toward 0), negate if
//               s ^ sign(a), 4-input adder tree, 17 bits signed
//   2       GA  group accumulator (bitmod_bfp_add, MW bits); in_first adds
//               to zero; in_last hands the sum and the scale to the group
//               result register and clears the accumulator
//   3..2+SB DQ  bit-serial dequantizer: acc = (acc << 1) + (bit ? M : 0),
//               scale bits MSB first, MW+SB bits; the first edge clears acc
//               (the authors' dequant.v never clears it: bitmod.md)
//   3+SB    OA  output accumulator (bitmod_bfp_add, OW bits); with olast
//               the sum goes to out_* (out_valid) and the accumulator clears
// So an output whose last term enters at edge t is on the ports after edge
// t + 3 + SB. A new group may hand over while the dequantizer still works
// (in_last less than SB cycles apart): err, and the dequantizer restarts
// on the new group while finishing bits read the new group's registers,
// exactly as the model.
//
// The widths: an aligned lane value < 2^14, the tree sum < 2^16 (17 bits
// signed); lane exponents x <= 30 + 3 + 1 (6 bits), the cycle's exponent
// <= 41; accumulator exponents are 8-bit registers (the model's uint8_t),
// an output exponent above 255 sets err.
//
// Mutants (wrong on purpose, same ports; the lockstep check must catch
// them):
//   MUTANT_GRP_NOALIGN  the group accumulator adds the incoming tree sum
//                       without aligning it when the accumulator's
//                       exponent is the larger one: the bug of the authors'
//                       grp_accum.v (bitmod.md). Built as bitmod_pe_mutant.
//   MUTANT_DQ_NOCLEAR   the dequantizer keeps its old accumulator on start
//                       (the authors' dequant.v; the C model's
//                       bug_dq_noclear). Built as bitmod_pe_l2_sb2_mutant.
`default_nettype none

module bitmod_pe #(
    parameter integer LANES = 4,    // 1..4: pe_params.lanes
    parameter integer SB = 8,       // 1..8: pe_params.scale_bits
    parameter integer MW = 15       // 4..23: pe_bitmod_cfg.mant_bits
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_first,
    input  wire        in_last,
    input  wire        in_olast,
    input  wire [2:0]  w_bitpos,
    input  wire [15:0] w_term,
    input  wire [7:0]  w_scale,
    input  wire [63:0] a,
    output reg         out_valid,
    output wire [31:0] out_man,
    output reg  [7:0]  out_exp,
    output reg         out_nan,
    output reg         err
);
    localparam integer DW = MW + SB;        // dequantized product
    localparam integer OW = MW + SB + 1;    // output accumulator
    localparam integer TW = 17;             // adder tree sum

`ifndef SYNTHESIS
    initial begin
        if (LANES < 1 || LANES > 4)
            $fatal(1, "bitmod_pe: LANES = %0d: 1..4", LANES);
        if (SB < 1 || SB > 8)
            $fatal(1, "bitmod_pe: SB = %0d: 1..8", SB);
        if (MW < 4 || MW > 23)
            $fatal(1, "bitmod_pe: MW = %0d: 4..23", MW);
    end
`endif

    // ================= S1: exponent match (edge 0) =================
    wire [3:0]  ln_prod;            // the lane has a nonzero AND product
    wire [3:0]  ln_nan;             // Inf/NaN activation in a used lane
    wire [43:0] ln_mag;             // 4 x 11: sig, or 0 without a product
    wire [23:0] ln_x;               // 4 x 6: ea + e, 0 without a product

    genvar i;
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_s1
            wire [4:0]  ef  = a[16*i+14 : 16*i+10];
            wire        hid = ef != 5'd0;
            wire        on  = i < LANES;
            wire        inf = on && ef == 5'd31;
            wire        tm  = w_term[4*i];
            wire [1:0]  te  = w_term[4*i+2 : 4*i+1];
            wire [10:0] sig = {hid, a[16*i+9 : 16*i]};
            wire [10:0] mag = (on && tm && !inf) ? sig : 11'd0;
            wire [5:0]  x   = {1'b0, ef[4:1], ef[0] | ~hid} + {4'd0, te};
            assign ln_prod[i]              = mag != 11'd0;
            assign ln_nan[i]               = inf;
            assign ln_mag[11*i+10 : 11*i]  = mag;
            assign ln_x[6*i+5 : 6*i]       = ln_prod[i] ? x : 6'd0;
        end
    endgenerate

    wire [5:0] x0 = ln_x[5:0], x1 = ln_x[11:6], x2 = ln_x[17:12], x3 = ln_x[23:18];
    wire [5:0] m01  = x0 > x1 ? x0 : x1;
    wire [5:0] m23  = x2 > x3 ? x2 : x3;
    wire [5:0] emax = m01 > m23 ? m01 : m23;

    reg        s1_valid, s1_first, s1_last, s1_olast;
    reg [43:0] s1_mag;
    reg [23:0] s1_sh;               // 4 x 6: delta = emax - x
    reg [3:0]  s1_neg;
    reg [7:0]  s1_e;
    reg        s1_nan;
    reg [7:0]  s1_scale;

    integer l;
    always @(posedge clk) begin
        if (rst) begin
            s1_valid <= 1'b0;
            s1_first <= 1'b0;
            s1_last  <= 1'b0;
            s1_olast <= 1'b0;
            s1_mag   <= 44'd0;
            s1_sh    <= 24'd0;
            s1_neg   <= 4'd0;
            s1_e     <= 8'd0;
            s1_nan   <= 1'b0;
            s1_scale <= 8'd0;
        end else begin
            // the control is loaded every edge, the data with in_valid
            s1_valid <= in_valid;
            s1_first <= in_first;
            s1_last  <= in_last;
            s1_olast <= in_olast;
            if (in_valid) begin
                s1_mag <= ln_mag;
                for (l = 0; l < 4; l = l + 1) begin
                    s1_sh[6*l +: 6] <= ln_prod[l] ? emax - ln_x[6*l +: 6] : 6'd0;
                    s1_neg[l]       <= a[16*l+15] ^ w_term[4*l+3];
                end
                s1_e     <= ln_prod != 4'd0 ? {2'b0, emax} + {5'd0, w_bitpos} : 8'd0;
                s1_nan   <= ln_nan != 4'd0;
                s1_scale <= w_scale;
            end
        end
    end

    // ====== S2: AND-multiply, align, negate, adder tree (edge 1) ======
    wire [4*TW-1:0] ln_v;           // 4 x 17: the signed aligned lane value
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_s2
            // 11 bits << 3 = 14 bits; a delta of 14 or more leaves 0
            wire [13:0]   al = {s1_mag[11*i+10 : 11*i], 3'b000} >> s1_sh[6*i+5 : 6*i];
            wire [TW-1:0] v  = {3'b000, al};
            assign ln_v[TW*i+TW-1 : TW*i] = s1_neg[i] ? -v : v;
        end
    endgenerate
    wire [TW-1:0] tree = (ln_v[TW-1:0] + ln_v[2*TW-1:TW]) +
                         (ln_v[3*TW-1:2*TW] + ln_v[4*TW-1:3*TW]);

    reg          s2_valid, s2_first, s2_last, s2_olast;
    reg [TW-1:0] s2_t;
    reg [7:0]    s2_e;
    reg          s2_nan;
    reg [7:0]    s2_scale;

    always @(posedge clk) begin
        if (rst) begin
            s2_valid <= 1'b0;
            s2_first <= 1'b0;
            s2_last  <= 1'b0;
            s2_olast <= 1'b0;
            s2_t     <= {TW{1'b0}};
            s2_e     <= 8'd0;
            s2_nan   <= 1'b0;
            s2_scale <= 8'd0;
        end else begin
            s2_valid <= s1_valid;
            s2_first <= s1_first;
            s2_last  <= s1_last;
            s2_olast <= s1_olast;
            if (s1_valid) begin
                s2_t     <= tree;
                s2_e     <= s1_e;
                s2_nan   <= s1_nan;
                s2_scale <= s1_scale;
            end
        end
    end

    // ============ GA: group accumulator (edge 2) ============
    reg [MW-1:0] gm;
    reg [7:0]    ge;
    reg          gnan;
    // in_first: the group starts from zero
    wire [MW-1:0] ga_m  = s2_first ? {MW{1'b0}} : gm;
    wire [7:0]    ga_e  = s2_first ? 8'd0 : ge;
    wire          ga_nan = (s2_first ? 1'b0 : gnan) | s2_nan;
    wire [MW-1:0] ga_sum;
    // the group exponent is an 8-bit register (the model's uint8_t ge and
    // gr_e): bit 8 is dropped, unreachable for real data (README "Widths")
    /* verilator lint_off UNUSEDSIGNAL */
    wire [8:0]    ga_esum;
    /* verilator lint_on UNUSEDSIGNAL */
`ifdef MUTANT_GRP_NOALIGN
    localparam integer GA_ALIGN = 0;
`else
    localparam integer GA_ALIGN = 1;
`endif
    /* verilator lint_off PINCONNECTEMPTY */
    // renorm feeds the model's action counter only
    bitmod_bfp_add #(.AW(MW), .XW(TW), .W(MW), .ALIGN_X(GA_ALIGN)) u_ga (
        .m(ga_m), .e(ga_e), .x(s2_t), .ex(s2_e),
        .m_out(ga_sum), .e_out(ga_esum), .renorm());
    /* verilator lint_on PINCONNECTEMPTY */

    // group result register: the dequantizer's operand
    reg          gr_valid, gr_olast, gr_nan;
    reg [7:0]    gr_scale, gr_e;
    reg [MW-1:0] gr_m;

    always @(posedge clk) begin
        if (rst) begin
            gm       <= {MW{1'b0}};
            ge       <= 8'd0;
            gnan     <= 1'b0;
            gr_valid <= 1'b0;
            gr_olast <= 1'b0;
            gr_nan   <= 1'b0;
            gr_scale <= 8'd0;
            gr_e     <= 8'd0;
            gr_m     <= {MW{1'b0}};
        end else begin
            // the dequantizer takes a handed-over group on the next edge
            gr_valid <= s2_valid & s2_last;
            if (s2_valid) begin
                if (s2_last) begin
                    gr_m     <= ga_sum;
                    gr_e     <= ga_esum[7:0];   // an 8-bit register
                    gr_scale <= s2_scale;
                    gr_olast <= s2_olast;
                    gr_nan   <= ga_nan;
                    gm       <= {MW{1'b0}};
                    ge       <= 8'd0;
                    gnan     <= 1'b0;
                end else begin
                    gm       <= ga_sum;
                    ge       <= ga_esum[7:0];
                    gnan     <= ga_nan;
                end
            end
        end
    end

    // ========== DQ: bit-serial dequantizer (edges 3 .. 2+SB) ==========
    reg          dq_done, dq_olast, dq_nan;
    reg [2:0]    dq_cnt;            // scale bits left after this one
    reg [7:0]    dq_e;
    reg [DW-1:0] dq_acc;

    localparam integer SBM1 = SB - 1;
    localparam [2:0] SB_TOP = SBM1[2:0];
    wire [2:0]    dq_bit_ix = gr_valid ? SB_TOP : dq_cnt - 3'd1;
    wire          dq_bit    = gr_scale[dq_bit_ix];
    wire [DW-1:0] dq_add    = dq_bit ? {{SB{gr_m[MW-1]}}, gr_m} : {DW{1'b0}};
`ifdef MUTANT_DQ_NOCLEAR
    wire [DW-1:0] dq_base   = {dq_acc[DW-2:0], 1'b0};
`else
    wire [DW-1:0] dq_base   = gr_valid ? {DW{1'b0}} : {dq_acc[DW-2:0], 1'b0};
`endif
    wire [DW-1:0] dq_next   = dq_base + dq_add;     // wraps at DW bits

    // ========== OA: output accumulator and output register ==========
    reg [OW-1:0] om;
    reg [7:0]    oe;
    reg          onan;
    reg [OW-1:0] out_m;
    wire [OW-1:0] oa_sum;
    wire [8:0]    oa_esum;
    /* verilator lint_off PINCONNECTEMPTY */
    bitmod_bfp_add #(.AW(OW), .XW(DW), .W(OW)) u_oa (
        .m(om), .e(oe), .x(dq_acc), .ex(dq_e),
        .m_out(oa_sum), .e_out(oa_esum), .renorm());
    /* verilator lint_on PINCONNECTEMPTY */

    generate
        if (OW < 32) begin : g_sext
            assign out_man = {{(32-OW){out_m[OW-1]}}, out_m};
        end else begin : g_full
            assign out_man = out_m;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            dq_done   <= 1'b0;
            dq_olast  <= 1'b0;
            dq_nan    <= 1'b0;
            dq_cnt    <= 3'd0;
            dq_e      <= 8'd0;
            dq_acc    <= {DW{1'b0}};
            om        <= {OW{1'b0}};
            oe        <= 8'd0;
            onan      <= 1'b0;
            out_valid <= 1'b0;
            out_m     <= {OW{1'b0}};
            out_exp   <= 8'd0;
            out_nan   <= 1'b0;
            err       <= 1'b0;
        end else begin
            // ---- dequantizer ----
            if (gr_valid) begin
                // start: the first (most significant) scale bit; a group
                // still in progress is an overrun
                if (dq_cnt != 3'd0)
                    err <= 1'b1;
                dq_acc   <= dq_next;
                dq_cnt   <= SB_TOP;
                dq_e     <= gr_e;
                dq_olast <= gr_olast;
                dq_nan   <= gr_nan;
                dq_done  <= SB_TOP == 3'd0;
            end else if (dq_cnt != 3'd0) begin
                dq_acc   <= dq_next;
                dq_cnt   <= dq_cnt - 3'd1;
                dq_done  <= dq_cnt == 3'd1;
            end else begin
                dq_done  <= 1'b0;
            end

            // ---- output accumulator: the edge after the last scale bit ----
            out_valid <= 1'b0;
            if (dq_done) begin
                if (oa_esum[8])
                    err <= 1'b1;
                if (dq_olast) begin
                    out_m     <= oa_sum;
                    out_exp   <= oa_esum[7:0];
                    out_nan   <= onan | dq_nan;
                    out_valid <= 1'b1;
                    om        <= {OW{1'b0}};
                    oe        <= 8'd0;
                    onan      <= 1'b0;
                end else begin
                    om        <= oa_sum;
                    oe        <= oa_esum[7:0];
                    onan      <= onan | dq_nan;
                end
            end
        end
    end
endmodule

`default_nettype wire

// bitmod_pe.v - the BitMoD processing element as the paper has it: four
// FP16 activations times four weight *terms* per cycle (exponent match,
// bit-serial multiplier, adder tree), a block-floating-point group
// accumulator and a bit-serial dequantizer by the group's integer scale,
// fed one scale bit per edge. Each group's dequantized sum leaves the PE;
// the sum over an output's groups is the row's job (bitmod_array4x4.v: one
// output accumulator per row, shared by its PEs). Golden model:
// pe_models/bitmod/pe_bitmod_pe.c ("bitmod_pe", README there: ports,
// pipeline, every rounding rule); every output bit after every rising edge
// equals its `step`.
//
// Ports (pe_bt.h order, inputs then outputs; lane i of `a` is bits
// [16i+15:16i], of `w_term` bits [4i+3:4i]; lanes >= LANES are ignored):
//   in_valid   1  a term cycle
//   in_first   1  first term cycle of a group: the group accumulator restarts
//   in_last    1  last term cycle of a group: its sum goes to the dequantizer
//   in_olast   1  with in_last: the output's last group (carried to out_olast)
//   w_bitpos   3  the cycle's bit position (shared by the lanes)
//   w_term    16  4 x {s, e[1:0], m}: the term (-1)^s * m * 2^(e + bitpos)
//   w_sbit     1  the group scale, one bit per edge, MSB first: for a group
//                 whose last term enters at edge t, scale bit SB-1-k at edge
//                 t + 2 + k (k = 0 .. SB-1); ignored at other edges
//   a         64  4 x FP16 activation
//   out_valid  1  one-cycle pulse: a group's dequantized sum is on out_*
//   out_man   32  the sum, two's complement, DW = MW+SB bits sign-extended;
//                 value = out_man * 2^(out_exp - 28); the dequantizer's
//                 register: between pulses it shows its partial sums
//   out_exp    8
//   out_nan    1  an Inf/NaN activation went into the group
//   out_olast  1  the group was its output's last
//   err        1  sticky: dequantizer overrun (in_last closer than SB
//                 cycles)
// rst is synchronous and active high: the edge that samples it clears the
// control, accumulator and output registers, as the model's reset() (a
// memset) does; the data registers behind a valid bit (S1, S2 and the
// group result) have no reset and no enable: nothing reads them until a
// valid bit that reset cleared says so.
//
// Pipeline (edges from a term's input edge; PE_BITMOD_PIPE = 2):
//   0       S1  exponent match (bitmod_exp_match, EMAX_ALL: which lanes
//               take part in the maximum); w_sbit into s1_sbit
//   1       S2  AND, align by delta keeping 3 guard bits, negate
//               (bitmod_bs_mul), 4-input adder tree (bitmod_tree)
//   2       GA  group accumulator (bitmod_bfp_add, MW bits); in_first adds
//               to zero; in_last hands the sum to the group result register
//               and clears the accumulator
//   3..2+SB DQ  bit-serial dequantizer (bitmod_dequant): the first edge
//               clears, acc = (acc << 1) + (s1_sbit ? M : 0), MW+SB bits;
//               the last edge pulses out_valid
// So a group whose last term enters at edge t is on the ports after edge
// t + 2 + SB. A new group may hand over while the dequantizer still works
// (in_last less than SB cycles apart): err, and the dequantizer restarts
// on the new group while finishing bits read the new group's registers,
// exactly as the model.
//
// The widths: an aligned lane value < 2^14, the tree sum < 2^16 (17 bits
// signed); lane exponents x <= 30 + 3 + 1 (6 bits), the cycle's exponent
// <= 41; the group exponent is an 8-bit register (the model's uint8_t).
//
// Until 2026-12 the PE also held the output accumulator (a second
// block-FP adder over the groups of an output, 24 bits), an output
// register, the scale's 8 bits in three ranks and enables and resets on
// every register: 292 flip-flops, 2.0x the FP16 MAC's area. The paper's PE
// (bitmod.md; the authors' exp_match, bs_mul, grp_accum, dequant) has none
// of those (README.md "Area").
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
    parameter integer MW = 15,      // 4..23: pe_bitmod_cfg.mant_bits
    parameter integer EMAX_ALL = 0  // 0/1: pe_bitmod_cfg.emax_all
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire        in_first,
    input  wire        in_last,
    input  wire        in_olast,
    input  wire [2:0]  w_bitpos,
    input  wire [15:0] w_term,
    input  wire        w_sbit,
    input  wire [63:0] a,
    output reg         out_valid,
    output wire [31:0] out_man,
    output reg  [7:0]  out_exp,
    output reg         out_nan,
    output reg         out_olast,
    output reg         err
);
    localparam integer DW = MW + SB;        // dequantized group sum
    localparam integer TW = 17;             // adder tree sum

`ifndef SYNTHESIS
    initial begin
        if (LANES < 1 || LANES > 4)
            $fatal(1, "bitmod_pe: LANES = %0d: 1..4", LANES);
        if (SB < 1 || SB > 8)
            $fatal(1, "bitmod_pe: SB = %0d: 1..8", SB);
        if (MW < 4 || MW > 23)
            $fatal(1, "bitmod_pe: MW = %0d: 4..23", MW);
        if (EMAX_ALL < 0 || EMAX_ALL > 1)
            $fatal(1, "bitmod_pe: EMAX_ALL = %0d: 0 or 1", EMAX_ALL);
    end
`endif

    // ================= S1: exponent match (edge 0) =================
    wire [43:0] em_mag;
    wire [15:0] em_sh;
    wire [3:0]  em_neg;
    wire [7:0]  em_e;
    wire        em_nan;
    bitmod_exp_match #(.LANES(LANES), .EMAX_ALL(EMAX_ALL)) u_em (
        .a(a), .w_term(w_term), .w_bitpos(w_bitpos),
        .mag(em_mag), .sh(em_sh), .neg(em_neg), .e(em_e), .nan(em_nan));

    reg        s1_valid, s1_first, s1_last, s1_olast, s1_sbit;
    reg [43:0] s1_mag;
    reg [15:0] s1_sh;               // 4 x 4: min(delta, 15)
    reg [3:0]  s1_neg;
    reg [7:0]  s1_e;
    reg        s1_nan;

    always @(posedge clk) begin
        if (rst) begin
            s1_valid <= 1'b0;
            s1_first <= 1'b0;
            s1_last  <= 1'b0;
            s1_olast <= 1'b0;
            s1_sbit  <= 1'b0;
        end else begin
            s1_valid <= in_valid;
            s1_first <= in_first;
            s1_last  <= in_last;
            s1_olast <= in_olast;
            s1_sbit  <= w_sbit;
        end
        // data: read only behind s1_valid
        s1_mag <= em_mag;
        s1_sh  <= em_sh;
        s1_neg <= em_neg;
        s1_e   <= em_e;
        s1_nan <= em_nan;
    end

    // ====== S2: AND-multiply, align, negate, adder tree (edge 1) ======
    wire [4*TW-1:0] ln_v;
    wire [TW-1:0]   tree;
    bitmod_bs_mul u_mul (.mag(s1_mag), .sh(s1_sh), .neg(s1_neg), .v(ln_v));
    bitmod_tree u_tree (.v(ln_v), .t(tree));

    reg          s2_valid, s2_first, s2_last, s2_olast;
    reg [TW-1:0] s2_t;
    reg [7:0]    s2_e;
    reg          s2_nan;

    always @(posedge clk) begin
        if (rst) begin
            s2_valid <= 1'b0;
            s2_first <= 1'b0;
            s2_last  <= 1'b0;
            s2_olast <= 1'b0;
        end else begin
            s2_valid <= s1_valid;
            s2_first <= s1_first;
            s2_last  <= s1_last;
            s2_olast <= s1_olast;
        end
        // data: read only behind s2_valid
        s2_t   <= tree;
        s2_e   <= s1_e;
        s2_nan <= s1_nan;
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
    reg [7:0]    gr_e;
    reg [MW-1:0] gr_m;

    always @(posedge clk) begin
        if (rst) begin
            gm       <= {MW{1'b0}};
            ge       <= 8'd0;
            gnan     <= 1'b0;
            gr_valid <= 1'b0;
        end else begin
            // the dequantizer takes a handed-over group on the next edge
            gr_valid <= s2_valid & s2_last;
            if (s2_valid) begin
                if (s2_last) begin
                    gm   <= {MW{1'b0}};
                    ge   <= 8'd0;
                    gnan <= 1'b0;
                end else begin
                    gm   <= ga_sum;
                    ge   <= ga_esum[7:0];
                    gnan <= ga_nan;
                end
            end
        end
        // data: read only behind gr_valid, held until the next hand-over
        if (s2_valid & s2_last) begin
            gr_m     <= ga_sum;
            gr_e     <= ga_esum[7:0];   // an 8-bit register
            gr_olast <= s2_olast;
            gr_nan   <= ga_nan;
        end
    end

    // ====== DQ: bit-serial dequantizer (edges 3 .. 2+SB), the output ======
    reg [2:0]    dq_cnt;            // scale bits left after this one
    reg [DW-1:0] dq_acc;

    localparam integer SBM1 = SB - 1;
    localparam [2:0] SB_TOP = SBM1[2:0];
    wire [DW-1:0] dq_next;
    bitmod_dequant #(.MW(MW), .DW(DW)) u_dq (
        .start(gr_valid), .bit_in(s1_sbit), .acc(dq_acc[DW-2:0]), .m(gr_m),
        .next(dq_next));

    generate
        if (DW < 32) begin : g_sext
            assign out_man = {{(32-DW){dq_acc[DW-1]}}, dq_acc};
        end else begin : g_full
            assign out_man = dq_acc;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            dq_cnt    <= 3'd0;
            dq_acc    <= {DW{1'b0}};
            out_valid <= 1'b0;
            out_exp   <= 8'd0;
            out_nan   <= 1'b0;
            out_olast <= 1'b0;
            err       <= 1'b0;
        end else begin
            if (gr_valid) begin
                // start: the first (most significant) scale bit; a group
                // still in progress is an overrun
                if (dq_cnt != 3'd0)
                    err <= 1'b1;
                dq_acc    <= dq_next;
                dq_cnt    <= SB_TOP;
                out_exp   <= gr_e;
                out_olast <= gr_olast;
                out_nan   <= gr_nan;
                out_valid <= SB_TOP == 3'd0;
            end else if (dq_cnt != 3'd0) begin
                dq_acc    <= dq_next;
                dq_cnt    <= dq_cnt - 3'd1;
                out_valid <= dq_cnt == 3'd1;
            end else begin
                out_valid <= 1'b0;
            end
        end
    end
endmodule

`default_nettype wire

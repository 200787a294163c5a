// bitmod_decode.v - the array's left-edge weight decoder of one row: the
// weight codes of the lanes, the group's 5-bit type and the term index
// become one term per lane and the cycle's bit position. Combinational.
// C: pe_bitmod_term / pe_bitmod_bitpos / pe_bitmod_wtype_terms
// (pe_models/bitmod/pe_bitmod_term.c, README "Terms").
//
// w_type: 0b0_bbbb INT-b, b = 2, 3, 4, 6, 8; 0b1_f_sss FP3 (f = 0) / FP4
// (f = 1), sss = the special value in the -0 code: 0 none, 1 ER_POS,
// 2 ER_NEG, 3 EA_POS, 4 EA_NEG. Every other encoding is reserved: its
// terms are 0 and, with a valid cycle, `reserved` flags the array's err.
//
// A term is {s, e[1:0], m}: (-1)^s * m * 2^(e + bitpos).
//   INT-b: radix-4 Booth over the code read as b-bit two's complement,
//     sign-extended, a zero below bit 0; term t is the digit of window
//     w[2t+1 : 2t-1], bitpos 2t: 000 0, 001 +1, 010 +1, 011 +2, 100 -2,
//     101 -1, 110 -1, 111 0 (|digit| = 2: e = 1). Windows beyond the code
//     are all sign bits: 0.
//   FP3 / FP4 (sign-magnitude, fmt.def's integer grid = E2M1 x2): the
//     magnitude g (< 32) has at most two one-bits; term 1 (bitpos 1)
//     carries the highest one-bit if it is above bit 0 (e = its position
//     - 1), term 0 (bitpos 0) the remaining one-bit (e = its position);
//     both carry the sign; terms 2, 3 are 0. The -0 code holds the special
//     value: FP3 +-3 (ER) / +-6 (EA), FP4 +-10 (ER) / +-16 (EA), 0 for
//     plain FP. The codes' magnitudes: FP3 {s, e[1:0]} -> 0, 1, 2, 4;
//     FP4 {s, e[1:0], m} -> m, 2 + m, 4 + 2m, 8 + 4m.
// The table comes from fmt.def in C (fmt_decode); the array's corner
// stimulus runs every type x code x term through both.
`default_nettype none

module bitmod_decode #(
    parameter integer LANES = 4     // lanes >= LANES get no term
) (
    input  wire        valid,       // w_ctl[0]
    input  wire [1:0]  t,           // w_ctl[5:4]: the term index
    input  wire [4:0]  wt,          // w_ctl[10:6]: w_type
    // lane i: bits [8i+7:8i]; lanes >= LANES unused
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [31:0] w_code,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [2:0]  bitpos,
    output wire [15:0] term,        // lane i: bits [4i+3:4i]
    output wire        reserved     // a valid cycle with a reserved w_type
);
    wire       fp = wt[4];

    // INT2, INT3, INT4, INT6, INT8, FP3/FP4 with sss 0..4
    wire used = fp ? wt[2:0] <= 3'd4
                   : (wt == 5'd2 || wt == 5'd3 || wt == 5'd4 ||
                      wt == 5'd6 || wt == 5'd8);
    assign reserved = valid & ~used;
    assign bitpos = fp ? (t == 2'd1 ? 3'd1 : 3'd0) : {t, 1'b0};

    // one lane's term
    function automatic [3:0] lane_term(input [4:0] ty, input [7:0] c,
                                       input [1:0] ti);
        reg [8:0] xs;               // the code sign-extended from b bits
        reg [9:0] z;                // ... with a zero appended below bit 0
        reg [2:0] w3;
        reg       s, f4, sp;
        reg [4:0] g, rest;
        reg [2:0] hi;
        reg [1:0] lo;               // the lower one-bit is below bit 4
        integer   k;
        begin
            lane_term = 4'd0;
            if (!ty[4]) begin
                case (ty[3:0])
                    4'd2: xs = {{7{c[1]}}, c[1:0]};
                    4'd3: xs = {{6{c[2]}}, c[2:0]};
                    4'd4: xs = {{5{c[3]}}, c[3:0]};
                    4'd6: xs = {{3{c[5]}}, c[5:0]};
                    default: xs = {c[7], c};
                endcase
                z  = {xs, 1'b0};
                w3 = z[{1'b0, ti, 1'b0} +: 3];
                case (w3)
                    3'b001, 3'b010: lane_term = 4'b0001;    // +1
                    3'b011:         lane_term = 4'b0011;    // +2
                    3'b100:         lane_term = 4'b1011;    // -2
                    3'b101, 3'b110: lane_term = 4'b1001;    // -1
                    default:        lane_term = 4'b0000;
                endcase
                if (!(ty[3:0] == 4'd2 || ty[3:0] == 4'd3 || ty[3:0] == 4'd4 ||
                      ty[3:0] == 4'd6 || ty[3:0] == 4'd8))
                    lane_term = 4'd0;
            end else if (ty[2:0] <= 3'd4 && ti[1] == 1'b0) begin
                f4 = ty[3];
                s  = f4 ? c[3] : c[2];
                sp = f4 ? c[3:0] == 4'b1000 : c[2:0] == 3'b100;
                if (f4) begin
                    case (c[2:1])
                        2'd0: g = {4'd0, c[0]};
                        2'd1: g = {3'd0, 1'b1, c[0]};
                        2'd2: g = {2'd0, 1'b1, c[0], 1'b0};
                        default: g = {1'b0, 1'b1, c[0], 2'b00};
                    endcase
                end else begin
                    case (c[1:0])
                        2'd0: g = 5'd0;
                        2'd1: g = 5'd1;
                        2'd2: g = 5'd2;
                        default: g = 5'd4;
                    endcase
                end
                if (sp) begin
                    // ER: FP3 3, FP4 10; EA: FP3 6, FP4 16; odd sss is POS
                    case (ty[2:0])
                        3'd1, 3'd2: g = f4 ? 5'd10 : 5'd3;
                        3'd3, 3'd4: g = f4 ? 5'd16 : 5'd6;
                        default:    g = 5'd0;
                    endcase
                    s = ty[2:0] == 3'd2 || ty[2:0] == 3'd4;
                end
                hi = 3'd0;
                for (k = 1; k < 5; k = k + 1)
                    if (g[k])
                        hi = k[2:0];
                rest = hi != 3'd0 ? g & ~(5'd1 << hi) : g;
                lo = 2'd0;
                for (k = 3; k >= 0; k = k - 1)
                    if (rest[k])
                        lo = k[1:0];
                if (ti[0]) begin
                    if (hi != 3'd0)
                        lane_term = {s, hi[1:0] - 2'd1, 1'b1};
                end else if (rest != 5'd0) begin
                    lane_term = {s, lo, 1'b1};
                end
            end
        end
    endfunction

    genvar i;
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_lane
            if (i < LANES) begin : g_on
                assign term[4*i+3 : 4*i] = lane_term(wt, w_code[8*i+7 : 8*i], t);
            end else begin : g_off
                assign term[4*i+3 : 4*i] = 4'd0;
            end
        end
    endgenerate
endmodule

`default_nettype wire

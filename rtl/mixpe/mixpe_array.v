// mixpe_array.v - a 4x4 output-stationary array of mixpe_pe, ports and
// behaviour edge for edge those of the bit-true C model "mixpe_array"
// (pe_models/mixpe/pe_mixpe_array.c, README "Array").
//
// PE (r,c) accumulates out[m][n] with m the column's row of A and n the
// row's column of B. Weights, scale/zero and the four control bits enter
// at the left of each row and move right through the PEs' *_out
// registers; activations enter at the top of each column and move down
// through a_out. Everything outside the PEs is wiring plus one output
// register per column:
//   - row 0's drain inputs are 0, PE (r,c)'s are PE (r-1,c)'s res_*;
//   - every PE of column c sees sh_start = the bottom PE's done (the skew
//     makes the bottom PE the column's last to finish a pass);
//   - the column's output register captures the value leaving the bottom
//     PE: res_valid & (res_drain | done), else 0.
// The skew of the operands is the feeder's job (pe_mixpe_feed).
//
// Buses: row r is bit r / field r of in_*, w_in [16r+15:16r], scale_in
// [16r+15:16r], zero_in [8r+7:8r]; column c is a_in_<c>, out_valid[c],
// out_data [16c+15:16c]. Parameters as mixpe_pe, the same for every PE.
// `define MUTANT_* reaches every PE (mixpe_pe.v).
`default_nettype none

module mixpe_array #(
    parameter integer WBITS = 4,
    parameter integer FP16  = 0,
    parameter integer LANES = 2,
    parameter integer GROUP = 128
) (
    input  wire        clk,
    input  wire        rst,
    input  wire [3:0]  in_valid,
    input  wire [3:0]  in_first,
    input  wire [3:0]  in_glast,
    input  wire [3:0]  in_last,
    input  wire [63:0] w_in,
    input  wire [63:0] scale_in,
    input  wire [31:0] zero_in,
    input  wire [63:0] a_in_0,
    input  wire [63:0] a_in_1,
    input  wire [63:0] a_in_2,
    input  wire [63:0] a_in_3,
    output reg  [3:0]  out_valid,
    output reg  [63:0] out_data
);
    localparam integer D = 4;
    localparam integer H = D * (D + 1);     // horizontal nodes: row r, position 0..D
    localparam integer V = (D + 1) * D;     // vertical nodes: position 0..D, column c

    // Horizontal node r*(D+1)+c enters PE (r,c) from the left; c = D is
    // the right edge (the last PE's *_out, left open).
    /* verilator lint_off UNUSEDSIGNAL */
    wire [H-1:0]    h_valid, h_first, h_glast, h_last;
    wire [16*H-1:0] h_w, h_scale;
    wire [8*H-1:0]  h_zero;
    // Vertical node r*D+c enters PE (r,c) from above; r = D is the bottom
    // edge (the bottom PE's a_out and res_*; res_* is read again below).
    wire [64*V-1:0] v_a;
    wire [V-1:0]    v_valid, v_drain;
    wire [16*V-1:0] v_res;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [D-1:0]    done_bot;               // each column's sh_start
    wire [D-1:0]    leave;                  // a value leaves column c's bottom
    wire [16*D-1:0] leave_d;                // ... this one (0 when none)

    genvar r, c;
    generate
        for (r = 0; r < D; r = r + 1) begin : g_left
            assign h_valid[r*(D+1)]            = in_valid[r];
            assign h_first[r*(D+1)]            = in_first[r];
            assign h_glast[r*(D+1)]            = in_glast[r];
            assign h_last[r*(D+1)]             = in_last[r];
            assign h_w[16*r*(D+1) +: 16]       = w_in[16*r +: 16];
            assign h_scale[16*r*(D+1) +: 16]   = scale_in[16*r +: 16];
            assign h_zero[8*r*(D+1) +: 8]      = zero_in[8*r +: 8];
        end
        assign v_a[64*0 +: 64] = a_in_0;
        assign v_a[64*1 +: 64] = a_in_1;
        assign v_a[64*2 +: 64] = a_in_2;
        assign v_a[64*3 +: 64] = a_in_3;
        for (c = 0; c < D; c = c + 1) begin : g_top
            assign v_valid[c]        = 1'b0;
            assign v_drain[c]        = 1'b0;
            assign v_res[16*c +: 16] = 16'd0;
        end

        for (r = 0; r < D; r = r + 1) begin : g_row
            for (c = 0; c < D; c = c + 1) begin : g_col
                localparam integer HI = r * (D + 1) + c;    // left input
                localparam integer HO = HI + 1;             // right output
                localparam integer VI = r * D + c;          // upper input
                localparam integer VO = VI + D;             // lower output
                wire done_rc;

                mixpe_pe #(
                    .WBITS(WBITS), .FP16(FP16), .LANES(LANES), .GROUP(GROUP)
                ) u_pe (
                    .clk        (clk),
                    .rst        (rst),
                    .in_valid   (h_valid[HI]),
                    .in_first   (h_first[HI]),
                    .in_glast   (h_glast[HI]),
                    .in_last    (h_last[HI]),
                    .a_in       (v_a[64*VI +: 64]),
                    .w_in       (h_w[16*HI +: 16]),
                    .scale_in   (h_scale[16*HI +: 16]),
                    .zero_in    (h_zero[8*HI +: 8]),
                    .sh_start   (done_bot[c]),
                    .sh_valid_in(v_valid[VI]),
                    .sh_drain_in(v_drain[VI]),
                    .sh_in      (v_res[16*VI +: 16]),
                    .valid_out  (h_valid[HO]),
                    .first_out  (h_first[HO]),
                    .glast_out  (h_glast[HO]),
                    .last_out   (h_last[HO]),
                    .a_out      (v_a[64*VO +: 64]),
                    .w_out      (h_w[16*HO +: 16]),
                    .scale_out  (h_scale[16*HO +: 16]),
                    .zero_out   (h_zero[8*HO +: 8]),
                    .done       (done_rc),
                    .res_valid  (v_valid[VO]),
                    .res_drain  (v_drain[VO]),
                    .res        (v_res[16*VO +: 16])
                );
                if (r == D - 1) begin : g_bot
                    assign done_bot[c] = done_rc;
                end else begin : g_mid
                    // only the bottom PE's done starts the column's drain
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire done_unused = done_rc;
                    /* verilator lint_on UNUSEDSIGNAL */
                end
            end
        end

        // the value leaving the bottom of each column's drain chain
        for (c = 0; c < D; c = c + 1) begin : g_out
            localparam integer VB = D * D + c;              // bottom edge node
            assign leave[c]             = v_valid[VB] & (v_drain[VB] | done_bot[c]);
            assign leave_d[16*c +: 16]  = leave[c] ? v_res[16*VB +: 16] : 16'd0;
        end
    endgenerate

    // the column output registers
    always @(posedge clk) begin
        if (rst) begin
            out_valid <= {D{1'b0}};
            out_data  <= {16*D{1'b0}};
        end else begin
            out_valid <= leave;
            out_data  <= leave_d;
        end
    end
endmodule

`default_nettype wire

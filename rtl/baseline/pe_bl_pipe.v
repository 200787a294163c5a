// pe_bl_pipe.v - the two register stages of a baseline PE (the stepped MAC
// of pe_models/baseline/pe_bl_mac.inc), written once for every baseline PE
// (pe_fp16_mac.v, pe_int8_mac.v, pe_ant_mac.v, pe_fp16_dp4_mac.v,
// pe_int8_dp4_mac.v):
//   stage 1 (edge t):   s1 <= s1_next (what the PE computed from the beat),
//                       with valid and last;
//   stage 2 (edge t+1): acc <= sum (the PE's adder of acc and s1); a last
//                       beat moves sum to out_acc, pulses out_valid and
//                       restarts acc at 0, so dots follow with no bubble.
// s1 and acc are outputs: the PE's adder sits outside, between them and
// sum (the one-cycle feedback loop). rst is synchronous and active high
// and clears every register, as the model's reset() (a memset); last and
// s1 load only with a beat (nobody reads them while s1_valid is 0).
`default_nettype none

module pe_bl_pipe #(
    parameter S1W  = 16,            // stage-1 register bits
    parameter ACCW = 16             // accumulator / out_acc bits
) (
    input  wire            clk,
    input  wire            rst,
    input  wire            in_valid,
    input  wire            in_last,
    input  wire [S1W-1:0]  s1_next,
    input  wire [ACCW-1:0] sum,
    output reg  [S1W-1:0]  s1,
    output reg  [ACCW-1:0] acc,
    output reg             out_valid,
    output reg  [ACCW-1:0] out_acc
);
    reg s1_valid;
    reg s1_last;

    always @(posedge clk) begin
        if (rst) begin
            s1_valid  <= 1'b0;
            s1_last   <= 1'b0;
            s1        <= {S1W{1'b0}};
            acc       <= {ACCW{1'b0}};
            out_valid <= 1'b0;
            out_acc   <= {ACCW{1'b0}};
        end else begin
            // stage 2 reads the stage-1 register as it was before the edge
            out_valid <= s1_valid & s1_last;
            if (s1_valid) begin
                if (s1_last) begin
                    out_acc <= sum;
                    acc     <= {ACCW{1'b0}};
                end else begin
                    acc     <= sum;
                end
            end
            s1_valid <= in_valid;
            if (in_valid) begin
                s1_last <= in_last;
                s1      <= s1_next;
            end
        end
    end
endmodule

`default_nettype wire

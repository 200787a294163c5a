// tb_mixpe_pe_vec.v - Icarus replay of a vector file written by
// mixpe_lockstep --dump (one line per edge: rst, the 12 inputs, the C
// model's 12 outputs after the edge, hex), so the RTL is checked under a
// second simulator against the same golden values. Parameters as the
// dump's run (-P tb_mixpe_pe_vec.FP16=1 ...), file by +vec=PATH.
// Not for Verilator (plain behavioural testbench).
`default_nettype none

module tb_mixpe_pe_vec;
    parameter integer WBITS = 4;
    parameter integer FP16  = 0;
    parameter integer LANES = 2;
    parameter integer GROUP = 128;

    reg         clk = 1'b0, rst = 1'b1;
    reg         in_valid = 0, in_first = 0, in_glast = 0, in_last = 0;
    reg  [63:0] a_in = 0;
    reg  [15:0] w_in = 0, scale_in = 0, sh_in = 0;
    reg  [7:0]  zero_in = 0;
    reg         sh_start = 0, sh_valid_in = 0, sh_drain_in = 0;
    wire        valid_out, first_out, glast_out, last_out, done, res_valid, res_drain;
    wire [63:0] a_out;
    wire [15:0] w_out, scale_out, res;
    wire [7:0]  zero_out;

    mixpe_pe #(.WBITS(WBITS), .FP16(FP16), .LANES(LANES), .GROUP(GROUP)) dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_first(in_first), .in_glast(in_glast), .in_last(in_last),
        .a_in(a_in), .w_in(w_in), .scale_in(scale_in), .zero_in(zero_in),
        .sh_start(sh_start), .sh_valid_in(sh_valid_in), .sh_drain_in(sh_drain_in), .sh_in(sh_in),
        .valid_out(valid_out), .first_out(first_out), .glast_out(glast_out), .last_out(last_out),
        .a_out(a_out), .w_out(w_out), .scale_out(scale_out), .zero_out(zero_out),
        .done(done), .res_valid(res_valid), .res_drain(res_drain), .res(res));

    reg [63:0] f [0:24];
    reg [63:0] got [0:11];
    integer fd, k, n, cyc, bad;
    reg [1023:0] path;

    initial begin
        if (!$value$plusargs("vec=%s", path)) begin
            $display("tb_mixpe_pe_vec: +vec=PATH missing");
            $finish;
        end
        fd = $fopen(path, "r");
        // one reset edge first: Icarus registers start at X, the C model at 0
        #1 clk = 1'b1; #1 clk = 1'b0;
        cyc = 0; bad = 0;
        while (!$feof(fd)) begin
            n = 0;
            for (k = 0; k < 25; k = k + 1)
                n = n + $fscanf(fd, "%h", f[k]);
            if (n == 25) begin
                rst = f[0][0];
                in_valid = f[1][0]; in_first = f[2][0]; in_glast = f[3][0]; in_last = f[4][0];
                a_in = f[5]; w_in = f[6][15:0]; scale_in = f[7][15:0]; zero_in = f[8][7:0];
                sh_start = f[9][0]; sh_valid_in = f[10][0]; sh_drain_in = f[11][0]; sh_in = f[12][15:0];
                #1 clk = 1'b1;
                #1;
                got[0] = {63'd0, valid_out}; got[1] = {63'd0, first_out};
                got[2] = {63'd0, glast_out}; got[3] = {63'd0, last_out};
                got[4] = a_out; got[5] = {48'd0, w_out}; got[6] = {48'd0, scale_out};
                got[7] = {56'd0, zero_out}; got[8] = {63'd0, done}; got[9] = {63'd0, res_valid};
                got[10] = {63'd0, res_drain}; got[11] = {48'd0, res};
                for (k = 0; k < 12; k = k + 1)
                    if (got[k] !== f[13 + k]) begin
                        if (bad < 5)
                            $display("MISMATCH cycle %0d output %0d: C %h, RTL %h", cyc, k, f[13 + k], got[k]);
                        bad = bad + 1;
                    end
                clk = 1'b0;
                cyc = cyc + 1;
            end
        end
        $display("icarus mixpe_pe W%0d FP16=%0d L%0d G%0d: cycles compared %0d, port mismatches %0d",
                 WBITS, FP16, LANES, GROUP, cyc, bad);
        $finish;
    end
endmodule

`default_nettype wire

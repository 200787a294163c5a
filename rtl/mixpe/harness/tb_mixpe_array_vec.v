// tb_mixpe_array_vec.v - Icarus replay of a mixpe_lockstep --dump vector
// file of the 4x4 array (rst, the 11 inputs, the C model's 2 outputs per
// line, hex); see tb_mixpe_pe_vec.v.
`default_nettype none

module tb_mixpe_array_vec;
    parameter integer WBITS = 4;
    parameter integer FP16  = 0;
    parameter integer LANES = 2;
    parameter integer GROUP = 128;

    reg         clk = 1'b0, rst = 1'b1;
    reg  [3:0]  in_valid = 0, in_first = 0, in_glast = 0, in_last = 0;
    reg  [63:0] w_in = 0, scale_in = 0, a_in_0 = 0, a_in_1 = 0, a_in_2 = 0, a_in_3 = 0;
    reg  [31:0] zero_in = 0;
    wire [3:0]  out_valid;
    wire [63:0] out_data;

    mixpe_array #(.WBITS(WBITS), .FP16(FP16), .LANES(LANES), .GROUP(GROUP)) dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_first(in_first), .in_glast(in_glast), .in_last(in_last),
        .w_in(w_in), .scale_in(scale_in), .zero_in(zero_in),
        .a_in_0(a_in_0), .a_in_1(a_in_1), .a_in_2(a_in_2), .a_in_3(a_in_3),
        .out_valid(out_valid), .out_data(out_data));

    reg [63:0] f [0:13];
    integer fd, k, n, cyc, bad;
    reg [1023:0] path;

    initial begin
        if (!$value$plusargs("vec=%s", path)) begin
            $display("tb_mixpe_array_vec: +vec=PATH missing");
            $finish;
        end
        fd = $fopen(path, "r");
        #1 clk = 1'b1; #1 clk = 1'b0;   // the reset edge (see tb_mixpe_pe_vec.v)
        cyc = 0; bad = 0;
        while (!$feof(fd)) begin
            n = 0;
            for (k = 0; k < 14; k = k + 1)
                n = n + $fscanf(fd, "%h", f[k]);
            if (n == 14) begin
                rst = f[0][0];
                in_valid = f[1][3:0]; in_first = f[2][3:0]; in_glast = f[3][3:0]; in_last = f[4][3:0];
                w_in = f[5]; scale_in = f[6]; zero_in = f[7][31:0];
                a_in_0 = f[8]; a_in_1 = f[9]; a_in_2 = f[10]; a_in_3 = f[11];
                #1 clk = 1'b1;
                #1;
                if ({60'd0, out_valid} !== f[12] || out_data !== f[13]) begin
                    if (bad < 5)
                        $display("MISMATCH cycle %0d: C %h %h, RTL %h %h", cyc, f[12], f[13], out_valid, out_data);
                    bad = bad + 1;
                end
                clk = 1'b0;
                cyc = cyc + 1;
            end
        end
        $display("icarus mixpe_array W%0d FP16=%0d L%0d G%0d: cycles compared %0d, mismatching cycles %0d",
                 WBITS, FP16, LANES, GROUP, cyc, bad);
        $finish;
    end
endmodule

`default_nettype wire

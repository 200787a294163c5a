// tb_icarus.v - replays a bl_lockstep --dump file (inputs and the golden
// model's outputs per rising edge) on a baseline PE under Icarus, so the
// RTL is simulated, not only parsed, by the second tool.
//
//   iverilog -g2012 -Wall -DBL_TOP=pe_int8_mac -DBL_AW=8 -DBL_OW=32 \
//       -o tb harness/tb_icarus.v pe_int8_mac.v
//   vvp -n tb +vec=int8.vec
//
// Inputs change half a period before the edge; outputs are compared half
// a period after it. Prints the first mismatch, then the cycle count and
// the mismatches; $fatal when there is one.
`default_nettype none

module tb_icarus;
    reg                clk = 1'b0;
    reg                rst = 1'b1;
    reg                in_valid = 1'b0;
    reg                in_last = 1'b0;
    reg  [`BL_AW-1:0]  a = {`BL_AW{1'b0}};
    reg  [`BL_AW-1:0]  w = {`BL_AW{1'b0}};
    wire               out_valid;
    wire [`BL_OW-1:0]  out_acc;

    `BL_TOP dut (
        .clk(clk), .rst(rst), .in_valid(in_valid), .in_last(in_last),
        .a(a), .w(w), .out_valid(out_valid), .out_acc(out_acc)
    );

    integer fd, n, cycles, errors;
    reg [63:0] v_rst, v_valid, v_last, v_a, v_w, e_valid, e_acc;
    reg [8*256-1:0] path;

    initial begin
        if (!$value$plusargs("vec=%s", path)) begin
            $display("tb_icarus: +vec=FILE missing");
            $fatal(1);
        end
        fd = $fopen(path, "r");
        if (fd == 0) begin
            $display("tb_icarus: cannot open %0s", path);
            $fatal(1);
        end
        cycles = 0;
        errors = 0;
        n = $fscanf(fd, "%h %h %h %h %h %h %h\n", v_rst, v_valid, v_last,
                    v_a, v_w, e_valid, e_acc);
        while (n == 7) begin
            rst      = v_rst[0];
            in_valid = v_valid[0];
            in_last  = v_last[0];
            a        = v_a[`BL_AW-1:0];
            w        = v_w[`BL_AW-1:0];
            #5 clk = 1'b1;
            #5 clk = 1'b0;
            if (out_valid !== e_valid[0] || out_acc !== e_acc[`BL_OW-1:0]) begin
                if (errors == 0)
                    $display("first MISMATCH at cycle %0d: out_valid %0d (expected %0d) out_acc %h (expected %h)",
                             cycles, out_valid, e_valid[0], out_acc,
                             e_acc[`BL_OW-1:0]);
                errors = errors + 1;
            end
            cycles = cycles + 1;
            n = $fscanf(fd, "%h %h %h %h %h %h %h\n", v_rst, v_valid, v_last,
                        v_a, v_w, e_valid, e_acc);
        end
        $fclose(fd);
        $display("tb_icarus %m: %0d cycles compared, %0d mismatches", cycles, errors);
        if (errors != 0 || cycles == 0)
            $fatal(1);
        $finish;
    end
endmodule

`default_nettype wire

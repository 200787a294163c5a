// ant_decode.v - the weight decoder of the ANT baseline PE: a 4-bit code,
// int4 or flint4 by `fmt`, to the signed INT8 value the FP16 x INT8 FMA
// multiplies by; a 32-entry ROM, combinational.
//
// The table is pe_ant_bt.c's dec[2][16] (built there at init from
// fmt_decode of formats/fmt.def), entry for entry:
//   fmt 0, int4:   two's complement, codes 0..7 -> 0..7, 9..15 -> -7..-1;
//                  the reserved code 1000 (the encoder never produces it)
//                  decodes to its two's complement value -8, as the model
//                  does;
//   fmt 1, flint4 (ANT's flint, on its x4 integer grid): sign-magnitude,
//                  bit 3 the sign, magnitude codes 0..7 -> 0, 1, 2, 3, 4,
//                  6, 8, 16 (value order; ANT's own bit patterns differ);
//                  1000 is -0 and decodes to 0.
// Every value fits 6 bits (-8..16); the output is the FMA's INT8 operand.
//
// `define MUTANT_ANT_FLINT_16 builds a wrong decoder on purpose: the
// flint4 magnitude is kept in a 4-bit field, so +-16 (codes 0111, 1111)
// wrap to 0. `pesim verify --pe ant_mac --mutant` must catch it.
`default_nettype none

module ant_decode (
    input  wire       fmt,      // 0 int4, 1 flint4
    input  wire [3:0] code,
    output wire [7:0] q         // signed INT8
);
    reg [4:0] mag;              // flint4 magnitude, 0..16
    always @* begin
        case (code[2:0])
            3'd0: mag = 5'd0;
            3'd1: mag = 5'd1;
            3'd2: mag = 5'd2;
            3'd3: mag = 5'd3;
            3'd4: mag = 5'd4;
            3'd5: mag = 5'd6;
            3'd6: mag = 5'd8;
`ifdef MUTANT_ANT_FLINT_16
            default: mag = 5'd0;        // 16 in a 4-bit field: 0
`else
            default: mag = 5'd16;
`endif
        endcase
    end

    wire [7:0] flint = code[3] ? 8'd0 - {3'd0, mag} : {3'd0, mag};
    wire [7:0] int4  = {{4{code[3]}}, code};

    assign q = fmt ? flint : int4;
endmodule

`default_nettype wire

// bitmod_dequant.v - one edge of the BitMoD PE's bit-serial dequantizer
// (the paper's dequant; bitmod_pe.v), combinational:
//   next = (start ? 0 : acc << 1) + (bit ? M : 0)      DW bits, wrapping
// the group sum M (MW bits, two's complement) times the integer scale, one
// scale bit per edge, MSB first. The first edge (start) clears: the
// authors' dequant.v never does (bitmod.md), which MUTANT_DQ_NOCLEAR
// re-creates.
`default_nettype none

module bitmod_dequant #(
    parameter integer MW = 15,
    parameter integer DW = 23       // MW + SB
) (
    input  wire          start,
    input  wire          bit_in,
    input  wire [DW-2:0] acc,       // the accumulator but its top bit
    input  wire [MW-1:0] m,
    output wire [DW-1:0] next
);
    wire [DW-1:0] add  = bit_in ? {{(DW-MW){m[MW-1]}}, m} : {DW{1'b0}};
`ifdef MUTANT_DQ_NOCLEAR
    wire [DW-1:0] base = {acc, 1'b0};
    /* verilator lint_off UNUSEDSIGNAL */
    wire          unused_start = start;
    /* verilator lint_on UNUSEDSIGNAL */
`else
    wire [DW-1:0] base = start ? {DW{1'b0}} : {acc, 1'b0};
`endif
    assign next = base + add;
endmodule

`default_nettype wire

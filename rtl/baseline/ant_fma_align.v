// ant_fma_align.v - the ANT FMA's aligner (ant_fma.v, which says why a
// 22-bit window and a sticky bit round exactly): the operand whose field
// reaches higher on top, the other shifted right, the bits that fall out
// ORed into a sticky bit; combinational.
`default_nettype none

module ant_fma_align (
    input  wire [18:0] p,           // product field, lsb 2^(ea - 25)
    input  wire [4:0]  ea,          // max(a's field, 1)
    input  wire [10:0] mc,          // c's significand, lsb 2^(ec - 25)
    input  wire [4:0]  ec,          // max(c's field, 1)
    output wire [21:0] top,         // the operand on top
    output wire [21:0] low,         // the other, aligned
    output wire        sticky,      // bits of `low` shifted out
    output wire        p_top,       // the product is on top
    output wire [6:0]  e0           // window bit 0 is 2^(e0 - 25), signed
);
    // field tops ea + 18 and ec + 10; a zero product goes below
    wire [5:0] tp = {1'b0, ea} + 6'd8;      // (ea + 18) - 10
    wire [5:0] tc = {1'b0, ec};             // (ec + 10) - 10
    assign p_top = p != 19'd0 && tp >= tc;
    wire [5:0] d  = p_top ? tp - tc : (tc > tp ? tc - tp : 6'd0);
    wire [21:0] pw = {p, 3'd0};
    wire [21:0] cw = {mc, 11'd0};
    assign top = p_top ? pw : cw;
    wire [21:0] x  = p_top ? cw : pw;
    // shift with the bits that fall out below: a shift of 22 or more
    // leaves only sticky
    wire [43:0] xs = d >= 6'd22 ? {22'd0, x} : {x, 22'd0} >> d;
    assign low    = xs[43:22];
    assign sticky = |xs[21:0];
    assign e0     = p_top ? {2'd0, ea} - 7'd3 : {2'd0, ec} - 7'd11;
endmodule

`default_nettype wire

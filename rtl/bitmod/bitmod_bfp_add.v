// bitmod_bfp_add.v - the block-floating-point add of both BitMoD
// accumulators (the group accumulator in each PE, the output accumulator
// at each row's edge of the array), as pe_bitmod_bfp_add in
// pe_models/bitmod/pe_bitmod_pe.c (README "Block-FP add").
// Combinational.
//
// A number is an integer mantissa with an exponent: M * 2^(E - 28). With
// the accumulator (m, e) and the input (x, ex):
//   en = max(e, ex)
//   s  = floor(m / 2^(en - e)) + floor(x / 2^(en - ex))   (arithmetic
//        shifts: only the operand with the smaller exponent loses bits)
//   r  = the smallest r >= 0 with floor(s / 2^r) in W signed bits
//   m_out = floor(s / 2^r), e_out = en + r
// No left normalisation: an accumulator's exponent only grows.
//
// Unlike the authors' grp_accum.v (bitmod.md: the incoming sum is not
// shifted when the accumulator's exponent is the larger one), both
// operands are aligned; ALIGN_X = 0 re-creates that bug (x enters
// unshifted whatever the exponents) for bitmod_pe's MUTANT_GRP_NOALIGN.
`default_nettype none

module bitmod_bfp_add #(
    parameter integer AW = 15,          // accumulator mantissa bits
    parameter integer XW = 17,          // input mantissa bits
    parameter integer W = 15,           // result mantissa bits (<= the sum's)
    parameter integer ALIGN_X = 1       // 0: the authors' grp_accum.v bug
) (
    input  wire [AW-1:0] m,             // two's complement
    input  wire [7:0]    e,
    input  wire [XW-1:0] x,             // two's complement
    input  wire [7:0]    ex,
    output wire [W-1:0]  m_out,         // two's complement
    output wire [8:0]    e_out,         // en + r <= 255 + SW - W
    output wire          renorm         // r != 0
);
    // the sum of two operands of at most max(AW, XW) bits
    localparam integer SW = (AW > XW ? AW : XW) + 1;

    // only the operand with the smaller exponent is shifted (floor toward
    // -inf, as C's asr64; a shift of SW or more leaves its sign): one
    // shifter behind a swap
    wire       e_big = e > ex;
    wire [7:0] en = e_big ? e : ex;
    wire [7:0] d  = e_big ? e - ex : ex - e;

    wire signed [SW-1:0] m_ext = $signed({{(SW-AW){m[AW-1]}}, m});
    wire signed [SW-1:0] x_ext = $signed({{(SW-XW){x[XW-1]}}, x});
    wire signed [SW-1:0] bg  = e_big ? m_ext : x_ext;    // the larger exponent's
    wire signed [SW-1:0] sml = e_big ? x_ext : m_ext;    // the other
    // ALIGN_X = 0: x enters unshifted when it is the smaller one
    wire signed [SW-1:0] al  = (ALIGN_X == 0 && e_big) ? sml : sml >>> d;
    wire signed [SW-1:0] s   = bg + al;     // exact: both fit SW-1 bits

    // bit length of the magnitude field (s, or ~s if negative): the sum
    // fits W signed bits iff that length is at most W-1
    wire [SW-1:0] u = s[SW-1] ? ~s : s;
    function automatic [5:0] bitlen(input [SW-1:0] v);
        integer k;
        begin
            bitlen = 6'd0;
            for (k = 0; k < SW; k = k + 1)
                if (v[k])
                    bitlen = k[5:0] + 6'd1;
        end
    endfunction
    localparam integer WM1I = W - 1;
    localparam [5:0]   WM1 = WM1I[5:0];
    wire [5:0] bl = bitlen(u);
    wire [5:0] r = bl > WM1 ? bl - WM1 : 6'd0;

    // after the shift the value fits W bits: the bits above are its sign
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [SW-1:0] sn = s >>> r;
    /* verilator lint_on UNUSEDSIGNAL */
    assign m_out  = sn[W-1:0];
    assign e_out  = {1'b0, en} + {3'b0, r};
    assign renorm = r != 6'd0;
endmodule

`default_nettype wire

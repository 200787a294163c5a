// flightllm_decode.v - the decode unit in front of one DSP of FlightLLM's
// CSD chain (shared/reference/flightllm_dsp48.md): a WBITS-bit weight code
// (a symmetric INT-WBITS code of the formats, two's complement) widened to
// the INT8 the DSP multiplies. The code 100..0 that the symmetric formats
// reserve decodes to -2^(WBITS-1), as in the C model. Golden model: front()
// in pe_models/flightllm/pe_flightllm_chain.c, `(code ^ sign) - sign` of
// the low `wbits` bits.
//
//   code  8  the code in its low WBITS bits (the bits above are ignored)
//   w     8  the code sign-extended to INT8
`default_nettype none

module flightllm_decode #(
    parameter integer WBITS = 4         // 2..8
) (
    input  wire [7:0] code,
    output wire [7:0] w
);
    // the code's sign bit to bit 7, then an arithmetic shift back: no
    // zero-width replication when WBITS = 8
    wire [7:0] up = code << (8 - WBITS);

    assign w = $signed(up) >>> (8 - WBITS);
endmodule

`default_nettype wire

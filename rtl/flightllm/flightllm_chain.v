// flightllm_chain.v - FlightLLM's configurable sparse DSP chain (CSD chain,
// FPGA 2024; shared/reference/flightllm_dsp48.md): DEPTH DSP48E2 slices in
// DSP groups (DGs) of two, fed one wavefront per cycle, with the decode
// unit and sparse MUX in front of every DSP, the cascade skew, the
// reduction nodes (RNs) after every DG and the overflow adjust unit (OAU).
// Golden model: "flightllm_chain" (pe_models/flightllm/pe_flightllm_chain.c,
// README.md there); ports, register stages and every output bit after every
// rising edge equal its `step`. Every DSP is an instance of the module
// DSP48E2 (DSP48E2.v, Xilinx's port and parameter names), so Xilinx's unisim
// simulation model can take its place.
//
// Ports (the model's pe_bt order after clk and rst; widths for the maximum
// depth 32, a shallower chain ignores the upper fields and drives 0 on the
// y_g of DGs it does not have):
//   in_valid      1  this edge takes a wavefront
//   act_0..act_3 64  16 activation pairs: pair j at bits [16j+15:16j] of
//                    {act_3, .., act_0} = {x1[7:0], x0[7:0]}, INT8
//   w_0..w_3     64  DSP k's weight code at [8k+7:8k] of {w_3, .., w_0}
//                    (the low WBITS bits)
//   idx_0, idx_1 64  DSP k's sparse-MUX index at [4k+3:4k] of {idx_1, idx_0}
//   rn_brk       16  bit g: the RN after DG g closes its group (the last DG
//                    always does)
//   y_0..y_15    64  RN g's result {hi[31:0], lo[31:0]}: lo = token 0's
//                    group sum, hi = token 1's
//   out_valid    16  bit g: y_g holds the result of a valid wave's group
// rst is synchronous and active high: the edge that samples it clears every
// fabric register and (RST* of every DSP) every DSP register, which is the
// model's reset(); y and out_valid are logic on those registers, so they
// read 0 after it.
//
// Per DSP k (wave i enters at edge i):
//   front end  decode (flightllm_decode) and sparse MUX (flightllm_smux) of
//              the wave on the ports, then k fabric registers (the cascade
//              skew), so DSP k sees wave t - k at edge t
//   packing    A = sext30(x0), D = sext(x1) << 18, B = sext18(w); INMODE
//              00101 (AD = D + A1), so the product is (x1 w) 2^18 + x0 w
//   DSP48E2    AREG = ACASCREG = 1, BREG = BCASCREG = 2, CREG = 0,
//              DREG = ADREG = MREG = PREG = 1, AMULTSEL = "AD", the mode
//              registers off (pe_dsp48e2_params_packed): A1/D/B1 at i+k,
//              AD/B2 at i+k+1, M at i+k+2, P at i+k+3
//   OPMODE     from wave t - k - 3 (the one whose product is in M): 0x005
//              (P = M, Z = 0) when k = 0 or the RN before DSP k (k even)
//              breaks; 0x195 (P = C + M + PCIN) at an OAU stage; else 0x015
//              (P = M + PCIN). The RN configuration travels down a control
//              delay line with the wave's in_valid.
//   OAU        at k = 8, 16, 24 (not starting a group; on iff DEPTH > 8 by
//              default): C = -sext(P[k-1][17:0]) clears the low lane in the
//              cascade, and the lane goes into a fabric side register that
//              travels with the cascade (side_k = side_k-1 + lane) and is
//              added back at the RN. [uncertain] circuit: the paper only says
//              the OAU exists (README.md of the C model).
// Per DG g (last DSP e = 2g + 1): the RN (flightllm_rn) extracts the lanes
// of P[e] plus side_e; out_valid[g] = in_valid and (g last or rn_brk[g]) of
// wave t - e - 3. A group ending at DSP e shows its result e + 4 edges after
// its wave entered (N + 3 for a full N-deep chain).
//
// Mutants (wrong on purpose; `pesim verify --mutant` must catch them):
// MUTANT_NO_P17 (flightllm_rn.v: no + P[17]), MUTANT_SMUX_IDX3
// (flightllm_smux.v: index bit 3 dropped), MUTANT_RN_NO_BREAK (here: an
// RN's break does not restart the next DG's cascade, Z stays PCIN, so the
// group sums run into the next one; out_valid still follows rn_brk),
// MUTANT_NO_OAU (here: no overflow adjust unit whatever OAU says; visible
// only where a low lane can pass 2^17 in a group, i.e. INT8-range weights
// on more than 8 DSPs: with INT4 codes 16 products stay below 2^14 and the
// OAU changes no output).
`default_nettype none

module flightllm_chain #(
    parameter integer DEPTH = 16,       // DSPs, even, 2..32
    parameter integer WBITS = 4,        // weight code bits, 2..8
    parameter integer OAU   = 0         // 0 auto (on iff DEPTH > 8), 1 on, 2 off
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    input  wire [63:0] act_0,
    input  wire [63:0] act_1,
    input  wire [63:0] act_2,
    input  wire [63:0] act_3,
    input  wire [63:0] w_0,
    input  wire [63:0] w_1,
    input  wire [63:0] w_2,
    input  wire [63:0] w_3,
    input  wire [63:0] idx_0,
    input  wire [63:0] idx_1,
    input  wire [15:0] rn_brk,
    output wire [63:0] y_0,
    output wire [63:0] y_1,
    output wire [63:0] y_2,
    output wire [63:0] y_3,
    output wire [63:0] y_4,
    output wire [63:0] y_5,
    output wire [63:0] y_6,
    output wire [63:0] y_7,
    output wire [63:0] y_8,
    output wire [63:0] y_9,
    output wire [63:0] y_10,
    output wire [63:0] y_11,
    output wire [63:0] y_12,
    output wire [63:0] y_13,
    output wire [63:0] y_14,
    output wire [63:0] y_15,
    output wire [15:0] out_valid
);
    localparam integer NDG    = DEPTH / 2;         // DSP groups = RNs
    localparam integer SPAN   = 8;                 // DSPs a low lane may sum
`ifdef MUTANT_NO_OAU
    localparam         OAU_ON = 0;
`else
    localparam         OAU_ON = (OAU == 1) || (OAU == 0 && DEPTH > SPAN);
`endif
    // OAU carry: at most 3 moved lanes of [-2^17, 2^17) (DEPTH <= 32)
    localparam integer SW     = 20;
    // control delay line: {in_valid, rn_brk[NDG-1:0]} of the last NCTL
    // waves; slot j holds wave t - j after edge t
    localparam integer CW     = NDG + 1;
    localparam integer NCTL   = DEPTH + 3;

    wire [255:0] act_bus = {act_3, act_2, act_1, act_0};
    wire [255:0] w_bus   = {w_3, w_2, w_1, w_0};
    wire [127:0] idx_bus = {idx_1, idx_0};

    reg  [CW*NCTL-1:0] ctl_q;
    always @(posedge clk)
        if (rst) ctl_q <= {CW*NCTL{1'b0}};
        else     ctl_q <= {ctl_q[CW*(NCTL-1)-1:0], in_valid, rn_brk[NDG-1:0]};

    // every DSP's P (= PCOUT) and OAU carry, DSP k at [48k +: 48], [SW k +: SW]
    wire [48*DEPTH-1:0] p_all;
    wire [48*DEPTH-1:0] pcout_all;
    wire [SW*DEPTH-1:0] side_all;

    genvar k, g;
    generate
        for (k = 0; k < DEPTH; k = k + 1) begin : g_dsp
            // ---- front end: decode unit and sparse MUX of the wave now on
            // the ports, then the cascade skew of k registers
            wire [7:0]  fx0, fx1, fw;
            wire [23:0] op;                   // {x1, x0, w} of wave t - k
            flightllm_smux u_smux (
                .act(act_bus), .idx(idx_bus[4*k +: 4]), .x0(fx0), .x1(fx1));
            flightllm_decode #(.WBITS(WBITS)) u_dec (
                .code(w_bus[8*k +: 8]), .w(fw));
            if (k == 0) begin : g_now
                assign op = {fx1, fx0, fw};
            end else if (k == 1) begin : g_skew1
                reg [23:0] sk;
                always @(posedge clk)
                    if (rst) sk <= 24'd0;
                    else     sk <= {fx1, fx0, fw};
                assign op = sk;
            end else begin : g_skew
                reg [24*k-1:0] sk;            // oldest wave in the top slot
                always @(posedge clk)
                    if (rst) sk <= {24*k{1'b0}};
                    else     sk <= {sk[24*(k-1)-1:0], fx1, fx0, fw};
                assign op = sk[24*k-1 -: 24];
            end
            wire [7:0] x1 = op[23:16];
            wire [7:0] x0 = op[15:8];
            wire [7:0] w  = op[7:0];

            // ---- the cascade into DSP k: PCIN, the low lane of the
            // previous P (for the OAU) and the previous carry
            wire [47:0]   pcin;
            wire [17:0]   lane;
            wire [SW-1:0] side_prev;
            if (k == 0) begin : g_first
                assign pcin      = 48'd0;
                assign lane      = 18'd0;
                assign side_prev = {SW{1'b0}};
            end else begin : g_next
                assign pcin      = pcout_all[48*(k-1) +: 48];
                assign lane      = p_all[48*(k-1) +: 18];
                assign side_prev = side_all[SW*(k-1) +: SW];
            end

            // ---- the Z-mux: does DSP k start a group for the wave whose
            // product is in its M register (wave t - k - 3, slot k + 2)?
            wire [CW-1:0] c = ctl_q[CW*(k+2) +: CW];
            wire start;
            if (k == 0) begin : g_st0
                assign start = 1'b1;
            end else if (k % 2 == 1) begin : g_st_dg
                assign start = 1'b0;          // inside a DG: fixed cascade
            end else begin : g_st_rn
`ifdef MUTANT_RN_NO_BREAK
                assign start = 1'b0;
`else
                assign start = c[k/2-1];      // the RN before DSP k breaks
`endif
            end
            wire        adj  = !start && OAU_ON && (k % SPAN == 0);
            wire [47:0] c_in = adj ? 48'd0 - {{30{lane[17]}}, lane} : 48'd0;
            wire [8:0]  opm  = start ? 9'h005 : adj ? 9'h195 : 9'h015;

            // ---- the OAU carry travels with the cascade
            reg [SW-1:0] side_q;
            always @(posedge clk)
                if (rst || start) side_q <= {SW{1'b0}};
                else if (adj)     side_q <= side_prev + {{(SW-18){lane[17]}}, lane};
                else              side_q <= side_prev;
            assign side_all[SW*k +: SW] = side_q;

            // ---- the slice (pe_dsp48e2_params_packed)
            wire [47:0] p, pcout;
            wire [29:0] acout;
            wire [17:0] bcout;
            DSP48E2 #(
                .AMULTSEL("AD"),
                .AREG(1), .ACASCREG(1), .BREG(2), .BCASCREG(2),
                .CREG(0), .DREG(1), .ADREG(1), .MREG(1), .PREG(1),
                .INMODEREG(0), .OPMODEREG(0), .ALUMODEREG(0),
                .CARRYINREG(0), .CARRYINSELREG(0)
            ) u_dsp (
                .CLK(clk),
                .A({{22{x0[7]}}, x0}),
                .B({{10{w[7]}}, w}),
                .C(c_in),
                .D({x1[7], x1, 18'd0}),
                .PCIN(pcin),
                .ACIN(30'd0),
                .BCIN(18'd0),
                .OPMODE(opm),
                .INMODE(5'b00101),
                .ALUMODE(4'b0000),
                .CARRYIN(1'b0),
                .CARRYINSEL(3'b000),
                .CEA1(1'b1), .CEA2(1'b1), .CEB1(1'b1), .CEB2(1'b1),
                .CEC(1'b1), .CED(1'b1), .CEAD(1'b1), .CEM(1'b1), .CEP(1'b1),
                .CECTRL(1'b1), .CEINMODE(1'b1), .CEALUMODE(1'b1),
                .CECARRYIN(1'b1),
                .RSTA(rst), .RSTB(rst), .RSTC(rst), .RSTD(rst), .RSTM(rst),
                .RSTP(rst), .RSTCTRL(rst), .RSTINMODE(rst), .RSTALUMODE(rst),
                .RSTALLCARRYIN(rst),
                .P(p),
                .PCOUT(pcout),
                .ACOUT(acout),
                .BCOUT(bcout)
            );
            assign p_all[48*k +: 48]     = p;
            assign pcout_all[48*k +: 48] = pcout;
            // ACOUT/BCOUT: no A/B cascade in the chain; c: only the bits of
            // this DSP's RN are read
            wire unused_ok = &{1'b0, acout, bcout, c};
        end

        // ---- reduction nodes: logic on the P registers after the edge
        for (g = 0; g < 16; g = g + 1) begin : g_rn
            wire [63:0] y;
            wire        v;
            if (g < NDG) begin : g_node
                // the wave whose sum is in P of DSP 2g + 1: slot 2g + 4
                wire [CW-1:0] c = ctl_q[CW*(2*g+4) +: CW];
                assign v = c[CW-1] && (g == NDG - 1 || c[g]);
                flightllm_rn #(.SW(SW)) u_rn (
                    .p(p_all[48*(2*g+1) +: 48]),
                    .side(side_all[SW*(2*g+1) +: SW]),
                    .y(y));
                wire unused_ok = &{1'b0, c};
            end else begin : g_none
                assign v = 1'b0;
                assign y = 64'd0;
            end
        end
    endgenerate

    assign y_0  = g_rn[0].y;
    assign y_1  = g_rn[1].y;
    assign y_2  = g_rn[2].y;
    assign y_3  = g_rn[3].y;
    assign y_4  = g_rn[4].y;
    assign y_5  = g_rn[5].y;
    assign y_6  = g_rn[6].y;
    assign y_7  = g_rn[7].y;
    assign y_8  = g_rn[8].y;
    assign y_9  = g_rn[9].y;
    assign y_10 = g_rn[10].y;
    assign y_11 = g_rn[11].y;
    assign y_12 = g_rn[12].y;
    assign y_13 = g_rn[13].y;
    assign y_14 = g_rn[14].y;
    assign y_15 = g_rn[15].y;
    assign out_valid = {g_rn[15].v, g_rn[14].v, g_rn[13].v, g_rn[12].v,
                        g_rn[11].v, g_rn[10].v, g_rn[9].v, g_rn[8].v,
                        g_rn[7].v, g_rn[6].v, g_rn[5].v, g_rn[4].v,
                        g_rn[3].v, g_rn[2].v, g_rn[1].v, g_rn[0].v};

    // fields past the chain's depth are not read; the last PCOUT has no
    // next DSP; an even DSP's P[47:18] has no reader (its sum goes on
    // through PCOUT, its low lane to the OAU)
    wire unused_ok = &{1'b0, w_bus, idx_bus, rn_brk, p_all,
                       pcout_all[48*DEPTH-1 -: 48]};

`ifndef SYNTHESIS
    initial begin
        if (DEPTH < 2 || DEPTH > 32 || DEPTH % 2 != 0)
            $fatal(1, "flightllm_chain: DEPTH = %0d: must be even, 2..32 (DSP groups of 2)", DEPTH);
        if (WBITS < 2 || WBITS > 8)
            $fatal(1, "flightllm_chain: WBITS = %0d: the decode unit widens 2..8-bit codes", WBITS);
        if (OAU < 0 || OAU > 2)
            $fatal(1, "flightllm_chain: OAU = %0d: not 0 (auto), 1 (on) or 2 (off)", OAU);
    end
`endif
endmodule

`default_nettype wire

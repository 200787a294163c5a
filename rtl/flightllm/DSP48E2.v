// DSP48E2.v - the part of Xilinx's UltraScale DSP48E2 slice that
// FlightLLM's packed INT8 MAC chain uses, with Xilinx's module, port and
// parameter names and widths (UG579), so an instance of this module can be
// swapped for Xilinx's unisim simulation model and back.
//
// Behaviour, stage by stage (shared/reference/flightllm_dsp48.md; the
// register-level details follow the unisim model as the C golden model
// pe_models/flightllm/pe_dsp48e2.c does, so the two agree port for port):
//   A1 <- A, A2 <- (AREG == 2 ? A1 : A); B1 <- B, B2 <- (BREG == 2 ? B1 : B)
//   pre-adder AD = (INMODE[2] ? D : 0) +/- (INMODE[1] ? 0 : INMODE[0] ? A1
//     : A2)[26:0], subtracting when INMODE[3]; 27 bits, wraps
//   M = AD (AMULTSEL = "AD") or A[26:0] (AMULTSEL = "A") times B2 (or B1
//     when INMODE[4]), signed 27 x 18, kept as Xilinx's two partial
//     products U, V: only X = 01 with Y = 01 sums them to the product
//   ALU = W + X + Y + Z + CARRYIN, 48 bits modulo, OPMODE = {W[8:7],
//     Z[6:4], Y[3:2], X[1:0]} (every value), ALUMODE as the unisim's
//     carry-save adder computes it: 0000 Z + W + X + Y + CIN, 0011
//     Z - (W + X + Y + CIN), and the logic modes
//   P <- ALU (PREG = 1) or P = ALU (PREG = 0); PCOUT = P
// Registers reset synchronously (RST* wins over CE*) and start at 0 (the
// FPGA's global set/reset). A stage whose *REG parameter is 0 is bypassed.
//
// Not modelled (README.md): the ACIN/BCIN cascades (A_INPUT/B_INPUT =
// "CASCADE"), BMULTSEL = "AD", PREADDINSEL = "B", SIMD modes, the pattern
// detector, the wide XOR, CARRYINSEL other than 000, CARRYCASCIN,
// MULTSIGNIN and the carry/overflow outputs. A parameter outside the subset
// stops elaboration, a CARRYINSEL other than 000 stops simulation ($fatal /
// $error, left out of synthesis by `ifndef SYNTHESIS).
`default_nettype none

module DSP48E2 #(
    // A/B input selection and cascade outputs
    parameter [63:0]  A_INPUT            = "DIRECT",
    parameter [63:0]  B_INPUT            = "DIRECT",
    parameter [63:0]  AMULTSEL           = "A",
    parameter [63:0]  BMULTSEL           = "B",
    parameter [63:0]  PREADDINSEL        = "A",
    parameter [63:0]  USE_MULT           = "MULTIPLY",
    parameter [63:0]  USE_SIMD           = "ONE48",
    parameter [79:0]  USE_PATTERN_DETECT = "NO_PATDET",
    parameter [79:0]  AUTORESET_PATDET   = "NO_RESET",
    parameter [39:0]  USE_WIDEXOR        = "FALSE",
    parameter [47:0]  RND                = 48'h0,
    // register stages
    parameter integer AREG          = 1,
    parameter integer BREG          = 1,
    parameter integer ACASCREG      = 1,
    parameter integer BCASCREG      = 1,
    parameter integer CREG          = 1,
    parameter integer DREG          = 1,
    parameter integer ADREG         = 1,
    parameter integer MREG          = 1,
    parameter integer PREG          = 1,
    parameter integer INMODEREG     = 1,
    parameter integer OPMODEREG     = 1,
    parameter integer ALUMODEREG    = 1,
    parameter integer CARRYINREG    = 1,
    parameter integer CARRYINSELREG = 1,
    // programmable inversions
    parameter [3:0]   IS_ALUMODE_INVERTED = 4'b0000,
    parameter [0:0]   IS_CARRYIN_INVERTED = 1'b0,
    parameter [0:0]   IS_CLK_INVERTED     = 1'b0,
    parameter [4:0]   IS_INMODE_INVERTED  = 5'b00000,
    parameter [8:0]   IS_OPMODE_INVERTED  = 9'b000000000
) (
    input  wire        CLK,
    input  wire [29:0] A,
    input  wire [17:0] B,
    input  wire [47:0] C,
    input  wire [26:0] D,
    input  wire [47:0] PCIN,
    input  wire [29:0] ACIN,
    input  wire [17:0] BCIN,
    input  wire [8:0]  OPMODE,
    input  wire [4:0]  INMODE,
    input  wire [3:0]  ALUMODE,
    input  wire        CARRYIN,
    input  wire [2:0]  CARRYINSEL,
    input  wire        CEA1, CEA2, CEB1, CEB2, CEC, CED, CEAD, CEM, CEP,
    input  wire        CECTRL, CEINMODE, CEALUMODE, CECARRYIN,
    input  wire        RSTA, RSTB, RSTC, RSTD, RSTM, RSTP,
    input  wire        RSTCTRL, RSTINMODE, RSTALUMODE, RSTALLCARRYIN,
    output wire [47:0] P,
    output wire [47:0] PCOUT,
    output wire [29:0] ACOUT,
    output wire [17:0] BCOUT
);
    // the unisim drops DREG and ADREG when the pre-adder cannot reach the
    // multiplier (its DREG_INT, ADREG_INT)
    localparam [63:0] S_AD   = "AD";
    localparam        AMULT_AD  = (AMULTSEL == S_AD);
    localparam        MULT_NONE = (USE_MULT == "NONE");
    localparam        PRE       = AMULT_AD && !MULT_NONE;
    localparam        DREG_I    = PRE && (DREG != 0);
    localparam        ADREG_I   = PRE && (ADREG != 0);

    reg [29:0] a1_r, a2_r;
    reg [17:0] b1_r, b2_r;
    reg [47:0] c_r;
    reg [26:0] d_r, ad_r;
    reg [44:0] u_r, v_r;
    reg [47:0] p_r;
    reg [8:0]  opmode_r;
    reg [4:0]  inmode_r;
    reg [3:0]  alumode_r;
    reg        carryin_r;

    // ---- control inputs (registered or straight from the fabric)
    wire [4:0] inmode_in  = INMODE ^ IS_INMODE_INVERTED;
    wire [8:0] opmode_in  = OPMODE ^ IS_OPMODE_INVERTED;
    wire [3:0] alumode_in = ALUMODE ^ IS_ALUMODE_INVERTED;
    wire       carryin_in = CARRYIN ^ IS_CARRYIN_INVERTED[0];
    wire [4:0] inm = (INMODEREG != 0) ? inmode_r : inmode_in;
    wire [8:0] opm = (OPMODEREG != 0) ? opmode_r : opmode_in;
    wire [3:0] alm = (ALUMODEREG != 0) ? alumode_r : alumode_in;
    wire       cin = (CARRYINREG != 0) ? carryin_r : carryin_in;

    // ---- A, B, C, D and the pre-adder
    wire [29:0] a_alu  = (AREG != 0) ? a2_r : A;
    wire [17:0] b2data = (BREG != 0) ? b2_r : B;
    wire [26:0] a2a1   = inm[1] ? 27'd0 : (inm[0] ? a1_r[26:0] : a_alu[26:0]);
    wire [17:0] b2b1   = inm[4] ? b1_r : b2data;
    wire [26:0] dd     = DREG_I ? d_r : D;
    wire [26:0] dmux   = inm[2] ? dd : 27'd0;
    wire [26:0] ad_in  = inm[3] ? dmux - a2a1 : dmux + a2a1;
    wire [26:0] ad_dat = ADREG_I ? ad_r : ad_in;
    wire [26:0] am     = AMULT_AD ? ad_dat : a2a1;
    wire [47:0] cdat   = (CREG != 0) ? c_r : C;

    // ---- multiplier: Xilinx's partial products U and V, 45 bits each
    wire signed [44:0] prod = $signed(am) * $signed(b2b1);
    wire [44:0] mult = MULT_NONE ? 45'd0 : prod;
    wire [44:0] u_in = {1'b1, mult[43:0] & 44'h55555555555};
    wire [44:0] v_in = {~mult[44], mult[43:0] & 44'haaaaaaaaaaa};
    wire [44:0] udat = (MREG != 0) ? u_r : u_in;
    wire [44:0] vdat = (MREG != 0) ? v_r : v_in;

    // ---- W, X, Y, Z multiplexers (MULTSIGNIN is 0)
    reg [47:0] xm, ym, zm, wm;
    always @(*) begin
        case (opm[1:0])
            2'b00:   xm = 48'd0;
            2'b01:   xm = {{3{udat[44]}}, udat};
            2'b10:   xm = p_r;
            default: xm = {a_alu, b2data};
        endcase
        case (opm[3:2])
            2'b00:   ym = 48'd0;
            2'b01:   ym = {3'd0, vdat};
            2'b10:   ym = {48{1'b1}};
            default: ym = cdat;
        endcase
        case (opm[6:4])
            3'b000:         zm = 48'd0;
            3'b001:         zm = PCIN;
            3'b010, 3'b100: zm = p_r;
            3'b011:         zm = cdat;
            3'b101:         zm = {{17{PCIN[47]}}, PCIN[47:17]};
            default:        zm = {{17{p_r[47]}}, p_r[47:17]};
        endcase
        case (opm[8:7])
            2'b00:   wm = 48'd0;
            2'b01:   wm = p_r;
            2'b10:   wm = RND;
            default: wm = cdat;
        endcase
    end

    // ---- ALU (USE_SIMD = "ONE48"): the unisim's carry-save form. Z is
    // inverted by ALUMODE[0] and the result by ALUMODE[1] (so 0011 is
    // Z - (W + X + Y + CIN)); ALUMODE[2] drops the carries and ALUMODE[3]
    // takes the carry word as the sum: the logic functions.
    wire [47:0] zi      = alm[0] ? ~zm : zm;
    wire [47:0] s3      = zi ^ xm ^ ym;
    wire [47:0] c3      = (xm & ym) | (zi & ym) | (xm & zi);
    wire [47:0] comux   = alm[2] ? 48'd0 : c3;
    wire [47:0] smux    = alm[3] ? c3 : s3;
    wire [47:0] sh      = {comux[46:0], 1'b0};
    wire [47:0] smux_w  = smux ^ sh ^ wm;
    wire [47:0] comux_w = (smux & sh) | (wm & sh) | (smux & wm);
    wire        cin_alu = cin & ~(alm[2] | alm[3]);
    wire [47:0] sum     = smux_w + {comux_w[46:0], cin_alu};
    wire [47:0] alu_out = alm[1] ? ~sum : sum;

    // ---- registers
    always @(posedge CLK) begin
        if (RSTA || AREG == 0) begin
            a1_r <= 30'd0;
            a2_r <= 30'd0;
        end else begin
            if (CEA1) a1_r <= A;
            if (CEA2) a2_r <= (AREG == 2) ? a1_r : A;
        end
        if (RSTB || BREG == 0) b1_r <= 18'd0;
        else if (CEB1)         b1_r <= B;
        if (RSTB)              b2_r <= 18'd0;
        else if (CEB2)         b2_r <= (BREG == 2) ? b1_r : B;
        if (RSTC || CREG == 0) c_r <= 48'd0;
        else if (CEC)          c_r <= C;
        if (RSTD || !DREG_I)   d_r <= 27'd0;
        else if (CED)          d_r <= D;
        if (RSTD)              ad_r <= 27'd0;
        else if (CEAD)         ad_r <= ad_in;
        if (RSTINMODE || INMODEREG == 0) inmode_r <= 5'd0;
        else if (CEINMODE)     inmode_r <= inmode_in;
        if (RSTCTRL)           opmode_r <= 9'd0;
        else if (CECTRL)       opmode_r <= opmode_in;
        if (RSTALUMODE)        alumode_r <= 4'd0;
        else if (CEALUMODE)    alumode_r <= alumode_in;
        if (RSTALLCARRYIN)     carryin_r <= 1'b0;
        else if (CECARRYIN)    carryin_r <= carryin_in;
        if (RSTM || MREG == 0) begin
            u_r <= 45'd0;
            v_r <= 45'd0;
        end else if (CEM) begin
            u_r <= u_in;
            v_r <= v_in;
        end
        if (RSTP)                   p_r <= 48'd0;
        else if (CEP && PREG != 0)  p_r <= alu_out;
    end

    assign P     = (PREG != 0) ? p_r : alu_out;
    assign PCOUT = P;
    // cascade outputs: the register ACASCREG/BCASCREG names (UG579)
    assign ACOUT = (AREG == 2 && ACASCREG == 1) ? a1_r : a_alu;
    assign BCOUT = (BREG == 2 && BCASCREG == 1) ? b1_r : b2data;

`ifndef SYNTHESIS
    // the FPGA's global set/reset: every register starts at 0
    initial begin
        a1_r = 30'd0; a2_r = 30'd0; b1_r = 18'd0; b2_r = 18'd0;
        c_r = 48'd0; d_r = 27'd0; ad_r = 27'd0; u_r = 45'd0; v_r = 45'd0;
        p_r = 48'd0; opmode_r = 9'd0; inmode_r = 5'd0; alumode_r = 4'd0;
        carryin_r = 1'b0;
    end

    // parameters outside the modelled subset stop elaboration
    initial begin
        if (AREG < 0 || AREG > 2) $fatal(1, "DSP48E2: AREG = %0d: not 0, 1 or 2", AREG);
        if (BREG < 0 || BREG > 2) $fatal(1, "DSP48E2: BREG = %0d: not 0, 1 or 2", BREG);
        if (!(ACASCREG == AREG || (AREG == 2 && ACASCREG == 1)))
            $fatal(1, "DSP48E2: ACASCREG = %0d: not AREG, or 1 with AREG = 2", ACASCREG);
        if (!(BCASCREG == BREG || (BREG == 2 && BCASCREG == 1)))
            $fatal(1, "DSP48E2: BCASCREG = %0d: not BREG, or 1 with BREG = 2", BCASCREG);
        if (CREG > 1 || DREG > 1 || ADREG > 1 || MREG > 1 || PREG > 1 ||
            INMODEREG > 1 || OPMODEREG > 1 || ALUMODEREG > 1 ||
            CARRYINREG > 1 || CARRYINSELREG > 1 ||
            CREG < 0 || DREG < 0 || ADREG < 0 || MREG < 0 || PREG < 0 ||
            INMODEREG < 0 || OPMODEREG < 0 || ALUMODEREG < 0 ||
            CARRYINREG < 0 || CARRYINSELREG < 0)
            $fatal(1, "DSP48E2: a CREG..CARRYINSELREG parameter is not 0 or 1");
        if (AMULTSEL != "A" && AMULTSEL != S_AD)
            $fatal(1, "DSP48E2: AMULTSEL = \"%0s\": not \"A\" or \"AD\"", AMULTSEL);
        if (BMULTSEL != "B")
            $fatal(1, "DSP48E2: BMULTSEL = \"%0s\": only \"B\" is modelled", BMULTSEL);
        if (PREADDINSEL != "A")
            $fatal(1, "DSP48E2: PREADDINSEL = \"%0s\": only \"A\" is modelled", PREADDINSEL);
        if (A_INPUT != "DIRECT" || B_INPUT != "DIRECT")
            $fatal(1, "DSP48E2: A_INPUT/B_INPUT: only \"DIRECT\" (no ACIN/BCIN cascade)");
        if (USE_MULT != "MULTIPLY" && USE_MULT != "DYNAMIC" && !MULT_NONE)
            $fatal(1, "DSP48E2: USE_MULT = \"%0s\": not MULTIPLY, DYNAMIC or NONE", USE_MULT);
        if (USE_SIMD != "ONE48")
            $fatal(1, "DSP48E2: USE_SIMD = \"%0s\": only \"ONE48\"", USE_SIMD);
        if (USE_PATTERN_DETECT != "NO_PATDET" || AUTORESET_PATDET != "NO_RESET")
            $fatal(1, "DSP48E2: the pattern detector is not modelled");
        if (USE_WIDEXOR != "FALSE")
            $fatal(1, "DSP48E2: USE_WIDEXOR: the wide XOR is not modelled");
        if (IS_CLK_INVERTED != 1'b0)
            $fatal(1, "DSP48E2: IS_CLK_INVERTED: an inverted clock is not modelled");
    end

    // CARRYIN is the only modelled carry source
    always @(posedge CLK)
        if (CARRYINSEL != 3'b000)
            $error("DSP48E2: CARRYINSEL = %b: only 000 (CARRYIN) is modelled", CARRYINSEL);
`endif

    // ACIN, BCIN: accepted for Xilinx's port list; A_INPUT/B_INPUT =
    // "DIRECT" leaves them unused, as on the silicon. comux[47] and
    // comux_w[47] would drive CARRYOUT, which is not modelled.
    wire unused_ok = &{1'b0, ACIN, BCIN, comux[47], comux_w[47]};
endmodule

`default_nettype wire

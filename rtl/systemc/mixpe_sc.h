// mixpe_sc.h - SystemC modules of the MixPE array co-simulation
// (README.md): mixpe_pe_c, an sc_module around the golden C model
// "mixpe_pe" (pe_bt.h) with the ports of the Verilated `--sc` build of
// rtl/mixpe/mixpe_pe.v; and mixpe_array_sc, the 4x4 array wired as
// rtl/mixpe/mixpe_array.v, each PE the RTL or the C module.
//
// Port types are Verilator's for --sc (1 bit: bool, 2..32 bits:
// uint32_t, 33..64 bits: uint64_t), so either kind of PE binds to the
// same signals.
#ifndef MIXPE_SC_H
#define MIXPE_SC_H

#include <cstdint>
#include <vector>

#include <systemc>

extern "C" {
#include "pe_bt.h"
}

// One PE: the golden C model stepped on every rising clock edge (rst
// high: its reset(), every output 0), outputs registered as the RTL's.
class mixpe_pe_c : public sc_core::sc_module {
public:
	sc_core::sc_in<bool> clk, rst;
	sc_core::sc_in<bool> in_valid, in_first, in_glast, in_last;
	sc_core::sc_in<uint64_t> a_in;
	sc_core::sc_in<uint32_t> w_in, scale_in, zero_in;
	sc_core::sc_in<bool> sh_start, sh_valid_in, sh_drain_in;
	sc_core::sc_in<uint32_t> sh_in;
	sc_core::sc_out<bool> valid_out, first_out, glast_out, last_out;
	sc_core::sc_out<uint64_t> a_out;
	sc_core::sc_out<uint32_t> w_out, scale_out, zero_out;
	sc_core::sc_out<bool> done, res_valid, res_drain;
	sc_core::sc_out<uint32_t> res;

	SC_HAS_PROCESS(mixpe_pe_c);
	// ops: "mixpe_pe"; the state is init'ed from p (the caller checked
	// that init accepts p)
	mixpe_pe_c(sc_core::sc_module_name name, const struct pe_bt_ops *ops,
		   const struct pe_params *p);

private:
	const struct pe_bt_ops *ops_;
	std::vector<unsigned char> state_;
	void tick();
};

// One PE's registered outputs as signals (also the row-edge inputs).
struct mixpe_pe_wires {
	sc_core::sc_signal<bool> valid, first, glast, last;
	sc_core::sc_signal<uint64_t> a;
	sc_core::sc_signal<uint32_t> w, scale, zero;
	sc_core::sc_signal<bool> done, res_valid, res_drain;
	sc_core::sc_signal<uint32_t> res;
};

// The 4x4 array, ports as mixpe_array.v (buses: row r is bit r / field r,
// column c is a_in[c], out_valid bit c, out_data [16c+15:16c]).
class mixpe_array_sc : public sc_core::sc_module {
public:
	static constexpr unsigned D = 4;
	sc_core::sc_in<bool> clk, rst;
	sc_core::sc_in<uint32_t> in_valid, in_first, in_glast, in_last;
	sc_core::sc_in<uint64_t> w_in, scale_in;
	sc_core::sc_in<uint32_t> zero_in;
	sc_core::sc_in<uint64_t> a_in[D];
	sc_core::sc_out<uint32_t> out_valid;
	sc_core::sc_out<uint64_t> out_data;

	SC_HAS_PROCESS(mixpe_array_sc);
	// rtl_mask bit 4r+c: PE (r,c) is the Verilated RTL; mutant_pe (-1:
	// none) is the mutant RTL build instead
	mixpe_array_sc(sc_core::sc_module_name name, uint16_t rtl_mask, int mutant_pe,
		       const struct pe_bt_ops *pe_ops, const struct pe_params *p);
	~mixpe_array_sc() override;

private:
	mixpe_pe_wires edge_[D];	// row r's left-edge inputs
	mixpe_pe_wires pe_[D * D];	// PE (r,c)'s outputs, row-major
	sc_core::sc_signal<bool> zero_b_;	// row 0's drain-chain inputs
	sc_core::sc_signal<uint32_t> zero_u_;
	std::vector<sc_core::sc_module *> mods_;
	void split();		// the input buses onto the row edges
	void column_out();	// the column output registers
};

#endif

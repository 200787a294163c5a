// rtl_sc_top.h - what a family's SystemC array is built from (README.md
// "Framework"): typed signals with a uint64_t face (rtl_sc::wire), one
// kind of PE with its golden C model and its Verilated models
// (rtl_sc::pe_kind), the top module that holds the array's ports and
// instantiates each PE as RTL or C (rtl_sc::top), and the description of
// a family's array the generic harness (rtl_sc.cpp) runs (rtl_sc_impl).
// A family's file (rtl_sc_<family>.cpp) only describes its PEs and their
// interconnect.
#ifndef RTL_SC_TOP_H
#define RTL_SC_TOP_H

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "rtl_sc.h"

extern "C" {
#include "pe_bt.h"
#include "rtl_verify.h"
}
#include "rtl_models.h"

namespace rtl_sc {

// One signal typed by its width (1 bit: bool, 2..32: uint32_t, 33..64:
// uint64_t, as Verilator types ports), read and written as a
// zero-extended uint64_t. A PE's port of that type binds to it.
class wire {
public:
	explicit wire(unsigned width) : width_(width) {}
	virtual ~wire() {}
	virtual uint64_t get() const = 0;
	virtual void put(uint64_t v) = 0;	// bits above the width dropped
	virtual const sc_core::sc_event &event() const = 0;	// value changed
	// Bind port p (an sc_in / sc_out of this wire's type); false: p is
	// of another type.
	virtual bool bind(sc_core::sc_object &p) = 0;
	unsigned width() const { return width_; }
	static std::unique_ptr<wire> make(const std::string &name, unsigned width);

private:
	unsigned width_;
};

// One kind of PE: the golden C model (its port table is the RTL's: names,
// order, widths) and the Verilated models of its RTL and of its mutant
// (rtl_models.h: the builds `pesim verify --pe` checks, behind the shim).
struct pe_kind {
	const char *golden;	// pe_bt name
	const struct rtl_model_ops *rtl, *mutant;
	bool has_rst;		// the RTL's rst is the C model's reset(); else
				// the family drives the PE's own reset pins
};

// The array under test. The harness makes the array's port wires (the
// golden array's port table) and the clock and reset; the family's build
// makes the PEs (pe), the wires between them (make, pe_wires) and its
// fabric modules (own).
class top : public sc_core::sc_module {
public:
	top(sc_core::sc_module_name name, const struct rtl_sc_impl &f, const struct pe_params *p,
	    const struct pe_bt_ops *golden, uint64_t rtl_mask, int mutant_pe);
	~top() override;

	sc_core::sc_signal<bool> clk;
	wire *rst;			// 1 bit
	std::vector<wire *> in, out;	// the golden array's ports, in order
	const struct pe_params *params;

	wire *make(const std::string &name, unsigned width);
	// a wire per output port of PE i of kind k, named pe<i>_<port>, in
	// the golden PE's port order; the inputs nullptr (the family fills
	// them with the wires that drive them); array_wires: PEs 0..n-1
	std::vector<wire *> pe_wires(unsigned i, const pe_kind &k);
	std::vector<std::vector<wire *>> array_wires(unsigned n, const pe_kind &k);
	// PE i of kind k: the RTL (the mutant build if i is the mutant PE)
	// where bit i of the mask is set, else the golden C model; its ports
	// (the golden PE's) bound to w, clk and rst to the top's
	void pe(unsigned i, const pe_kind &k, const std::vector<wire *> &w);
	// pe(i, k, w[i]) for every i
	void pes(const pe_kind &k, const std::vector<std::vector<wire *>> &w);
	void own(sc_core::sc_module *m);
	unsigned n_pes() const { return n_pes_; }	// PEs made by pe()
	// the index of port `name` of a golden model (throws if absent)
	static unsigned port(const struct pe_bt_ops *ops, const char *name);
	// the golden array's input / output wire by port name
	wire *in_port(const char *name);
	wire *out_port(const char *name);

private:
	const struct pe_bt_ops *golden_;
	uint64_t rtl_mask_;
	int mutant_pe_;
	unsigned n_pes_ = 0;
	std::vector<std::unique_ptr<wire>> wires_;
	std::vector<sc_core::sc_module *> mods_;
};

// The base of a family's fabric (the array's logic outside its PEs, its
// SC_METHODs reading and writing wires): the PEs' wires (pe[i], whose
// inputs the family's build fills in before top::pes) and the top.
class array_fabric : public sc_core::sc_module {
public:
	array_fabric(sc_core::sc_module_name name, top &t, std::vector<std::vector<wire *>> pes)
		: sc_core::sc_module(name), pe(std::move(pes)), t_(t)
	{
	}
	std::vector<std::vector<wire *>> pe;

protected:
	top &t_;
};

} // namespace rtl_sc

// A family's array as the harness runs it (rtl_sc_array.impl).
struct rtl_sc_impl {
	// the golden C array model (its ports are the top's)
	const struct pe_bt_ops *(*golden)(void);
	// the `pesim verify` entry whose pe_params configure the golden
	// models and the stimulus (rtl_verify_find)
	const char *verify_pe;
	// the stimulus and what it is; NULL: the verify entry's
	const struct rtl_stim_ops *(*stim)(void);
	const char *stim_what;
	// make the PEs, their wires and the fabric in t
	void (*build)(rtl_sc::top &t);
};

#endif

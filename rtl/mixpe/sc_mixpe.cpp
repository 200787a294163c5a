// rtl_sc_mixpe.cpp - the 4x4 MixPE arrays in SystemC (README.md "MixPE"):
// PE 4r+c is mixpe_pe at row r, column c, wired as rtl/mixpe/mixpe_array.v
// and pe_models/mixpe/pe_mixpe_array.c; descriptors rtl_sc_mixpe (W4A8)
// and rtl_sc_mixpe_w4a16.
//
// Controls, w, scale and zero enter PE (r,0) from row r's field of the
// buses and move right through each PE's *_out registers; a_in[c] enters
// PE (0,c) and moves down through a_out; the drain chain runs down the
// columns (row 0's sh_* inputs 0, PE (r,c)'s the res_* of PE (r-1,c)),
// every PE of column c takes sh_start from the bottom PE's done; one
// register per column captures res_valid & (res_drain | done) ? res : 0
// of the bottom PE.
#include <string>
#include <utility>

#include "rtl_sc_top.h"

using namespace sc_core;
using namespace rtl_sc;

namespace {

constexpr unsigned D = 4;
// what moves right: the input port (and the array's bus of the same
// name, row r its bit / field r), the output that passes it on
const char *const row_in[] = { "in_valid", "in_first", "in_glast", "in_last",
			       "w_in", "scale_in", "zero_in" };
const char *const row_out[] = { "valid_out", "first_out", "glast_out", "last_out",
				"w_out", "scale_out", "zero_out" };
constexpr unsigned NROW = sizeof row_in / sizeof row_in[0];

// The array's logic outside the PEs: the buses split onto the rows'
// left edges, and the column output registers.
class fabric : public array_fabric {
public:
	SC_HAS_PROCESS(fabric);
	fabric(sc_module_name name, top &t, const struct pe_bt_ops *ops,
	       std::vector<std::vector<wire *>> pes)
		: array_fabric(name, t, std::move(pes))
	{
		for (unsigned r = 0; r < D; r++)
			for (unsigned j = 0; j < NROW; j++) {
				unsigned w = ops->ports[top::port(ops, row_in[j])].width;
				edge[r][j] = t.make("edge" + std::to_string(r) + "_" + row_in[j], w);
			}
		for (unsigned j = 0; j < NROW; j++)
			bus_[j] = t.in_port(row_in[j]);
		res_valid_ = top::port(ops, "res_valid");
		res_drain_ = top::port(ops, "res_drain");
		done_ = top::port(ops, "done");
		res_ = top::port(ops, "res");
		out_valid_ = t.out_port("out_valid");
		out_data_ = t.out_port("out_data");
		SC_METHOD(split);
		for (unsigned j = 0; j < NROW; j++)
			sensitive << bus_[j]->event();
		SC_METHOD(column_out);
		sensitive << t.clk.posedge_event();
		dont_initialize();
	}
	wire *edge[D][NROW];	// row r's left-edge inputs

private:
	wire *bus_[NROW], *out_valid_, *out_data_;
	unsigned res_valid_, res_drain_, done_, res_;

	void split()
	{
		for (unsigned j = 0; j < NROW; j++) {
			unsigned w = edge[0][j]->width();
			for (unsigned r = 0; r < D; r++)
				edge[r][j]->put(bus_[j]->get() >> (w * r));
		}
	}

	// the value leaving each column's drain chain at this edge (the
	// bottom PE's outputs before the edge)
	void column_out()
	{
		uint64_t ov = 0, od = 0;
		if (!t_.rst->get())
			for (unsigned c = 0; c < D; c++) {
				const std::vector<wire *> &b = pe[(D - 1) * D + c];
				if (b[res_valid_]->get() && (b[res_drain_]->get() || b[done_]->get())) {
					ov |= 1u << c;
					od |= (b[res_]->get() & 0xffff) << (16 * c);
				}
			}
		out_valid_->put(ov);
		out_data_->put(od);
	}
};

void build(top &t, const pe_kind &k)
{
	const struct pe_bt_ops *ops = pe_bt_find(k.golden);
	auto *f = new fabric("fabric", t, ops, t.array_wires(D * D, k));
	t.own(f);
	wire *zb = t.make("zero_b", 1), *zu = t.make("zero_16", 16);
	auto P = [ops](const char *n) { return top::port(ops, n); };
	for (unsigned r = 0; r < D; r++)
		for (unsigned c = 0; c < D; c++) {
			std::vector<wire *> &w = f->pe[r * D + c];
			for (unsigned j = 0; j < NROW; j++)
				w[P(row_in[j])] = c ? f->pe[r * D + c - 1][P(row_out[j])] : f->edge[r][j];
			if (r) {
				const std::vector<wire *> &up = f->pe[(r - 1) * D + c];
				w[P("a_in")] = up[P("a_out")];
				w[P("sh_valid_in")] = up[P("res_valid")];
				w[P("sh_drain_in")] = up[P("res_drain")];
				w[P("sh_in")] = up[P("res")];
			} else {
				w[P("a_in")] = t.in_port(("a_in_" + std::to_string(c)).c_str());
				w[P("sh_valid_in")] = zb;
				w[P("sh_drain_in")] = zb;
				w[P("sh_in")] = zu;
			}
			w[P("sh_start")] = f->pe[(D - 1) * D + c][P("done")];
		}
	t.pes(k, f->pe);
}

const struct pe_bt_ops *golden()
{
	return pe_bt_find("mixpe_array");
}

// mixpe_pe verilated with --sc at the -G of the verify entries' builds
// (meson.build), and the PE mutants of those entries
const pe_kind w4a8 = { "mixpe_pe", &rtl_mixpe_pe_ops, &rtl_mixpe_pe_mutant_ops, true };
const pe_kind w4a16 = { "mixpe_pe", &rtl_mixpe_pe_w4a16_ops, &rtl_mixpe_pe_w4a16_mutant_ops,
			true };

void build_w4a8(top &t)
{
	build(t, w4a8);
}

void build_w4a16(top &t)
{
	build(t, w4a16);
}

const struct rtl_sc_impl w4a8_impl = { golden, "mixpe_array", nullptr, nullptr, build_w4a8 };
const struct rtl_sc_impl w4a16_impl = { golden, "mixpe_array_w4a16", nullptr, nullptr, build_w4a16 };

// a D x D array of one configuration
constexpr rtl_sc_array array(const char *name, const char *what, const char *mutant,
			     const rtl_sc_impl *impl)
{
	return { .name = name, .family = "mixpe", .what = what,
		 .pe_what = "mixpe_pe at row i/4, column i%4", .n_pes = D * D,
		 .mutant_define = mutant, .impl = impl, .run = rtl_sc_run };
}

} // namespace

extern "C" const struct rtl_sc_array rtl_sc_mixpe = array(
	"mixpe_array",
	"4x4 MixPE array W4A8: INT4 weights, INT8 activations, 2 lanes, groups of 128",
	"MUTANT_NO_ZERO_TERM", &w4a8_impl);

extern "C" const struct rtl_sc_array rtl_sc_mixpe_w4a16 = array(
	"mixpe_array_w4a16",
	"4x4 MixPE array W4A16: INT4 weights, FP16 activations, 2 lanes, groups of 128",
	"MUTANT_MSB_POS", &w4a16_impl);

/* the family's arrays (rtl_family_mixpe.systemc) */
extern "C" const struct rtl_sc_array *const rtl_sc_mixpe_arrays[] = {
	&rtl_sc_mixpe, &rtl_sc_mixpe_w4a16, nullptr,
};

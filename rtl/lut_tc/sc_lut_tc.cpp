// rtl_sc_lut_tc.cpp - the LUT Tensor Core in SystemC (README.md "LUT
// Tensor Core", rtl_sc_lut_tc.h): PE 0 and PE 1 are the table precompute
// units of activation rows 0 and 1 (lut_tc_precompute), PE 2 is the
// M2N64K4 tile (lut_tc_tile); descriptor rtl_sc_lut_tc.
//
// The tile has no finer unit with its own RTL (its 128 accumulator lanes
// are a generate loop inside lut_tc_tile.v), so the units that can be RTL
// or C are the ones the paper's core is made of: the precompute that
// builds the tables and the tile that looks them up. The fabric is the
// table bus: unit m's output registers drive table m (a MUX picks unit
// 1's codes onto tbl_1 for INT8 tables, and the scales are concatenated).
#include <string>

#include "rtl_sc_top.h"
#include "sc_lut_tc.h"

using namespace sc_core;
using namespace rtl_sc;

namespace {

const pe_kind pre = { "lut_tc_precompute", &rtl_lut_tc_pre_ops, &rtl_lut_tc_pre_mutant_ops,
		      true };
const pe_kind tile = { "lut_tc_tile", &rtl_lut_tc_tile_ops, &rtl_lut_tc_tile_mutant_ops,
		       true };

// tbl_1 and tscale of the tile from the units' outputs
class bus : public sc_module {
public:
	SC_HAS_PROCESS(bus);
	bus(sc_module_name name, top &t, wire *int8, wire *p0_tbl1, wire *p1_tbl0, wire *s0,
	    wire *s1)
		: sc_module(name), int8_(int8), p0_tbl1_(p0_tbl1), p1_tbl0_(p1_tbl0), s0_(s0),
		  s1_(s1)
	{
		tbl_1 = t.make("tile_tbl_1", 64);
		tscale = t.make("tile_tscale", 32);
		SC_METHOD(mux);
		sensitive << int8->event() << p0_tbl1->event() << p1_tbl0->event() << s0->event()
			  << s1->event();
	}
	wire *tbl_1, *tscale;

private:
	wire *int8_, *p0_tbl1_, *p1_tbl0_, *s0_, *s1_;

	void mux()
	{
		tbl_1->put(int8_->get() ? p1_tbl0_->get() : p0_tbl1_->get());
		tscale->put(s1_->get() << 16 | s0_->get());
	}
};

void build(top &t)
{
	const struct pe_bt_ops *po = pe_bt_find(pre.golden), *to = pe_bt_find(tile.golden);
	auto P = [](const struct pe_bt_ops *o, const char *n) { return top::port(o, n); };
	std::vector<wire *> u[2], w = t.pe_wires(2, tile);

	for (unsigned m = 0; m < 2; m++) {
		std::string pm = "pre" + std::to_string(m);
		u[m] = t.pe_wires(m, pre);
		u[m][P(po, "in_valid")] = t.in_port((pm + "_valid").c_str());
		u[m][P(po, "in_int8")] = t.in_port((pm + "_int8").c_str());
		u[m][P(po, "act")] = t.in_port((pm + "_act").c_str());
		u[m][P(po, "out_valid")] = t.out_port((pm + "_out_valid").c_str());
		u[m][P(po, "asum")] = t.out_port((pm + "_asum").c_str());
	}
	for (const char *n : { "in_valid", "in_clr", "in_clast", "in_last", "in_int8",
			       "in_bitpos", "w_0", "w_1", "w_2", "w_3", "rd_addr" })
		w[P(to, n)] = t.in_port(n);
	w[P(to, "rd_data")] = t.out_port("rd_data");
	w[P(to, "seg_done")] = t.out_port("seg_done");
	auto *b = new bus("bus", t, t.in_port("in_int8"), u[0][P(po, "tbl_1")],
			  u[1][P(po, "tbl_0")], u[0][P(po, "scale")], u[1][P(po, "scale")]);
	t.own(b);
	w[P(to, "tbl_0")] = u[0][P(po, "tbl_0")];
	w[P(to, "tbl_1")] = b->tbl_1;
	w[P(to, "tbl_2")] = u[1][P(po, "tbl_0")];
	w[P(to, "tbl_3")] = u[1][P(po, "tbl_1")];
	w[P(to, "tscale")] = b->tscale;
	t.pe(0, pre, u[0]);
	t.pe(1, pre, u[1]);
	t.pe(2, tile, w);
}

const struct rtl_stim_ops *stim()
{
	return &rtl_sc_lut_tc_stim;
}

const struct rtl_sc_impl impl = {
	rtl_sc_lut_tc_core, "lut_tc", stim,
	"`pesim verify --pe lut_tc_pre` on both units and `--pe lut_tc` on the tile's "
	"control, weight and read ports", build };

} // namespace

extern "C" const struct rtl_sc_array rtl_sc_lut_tc = {
	.name = "lut_tc_core",
	.family = "lut_tc",
	.what = "LUT Tensor Core: the M2N64K4 tile fed by two table precompute units "
		"(FP16 and INT8 tables)",
	.pe_what = "0, 1: lut_tc_precompute of table 0, 1; 2: lut_tc_tile",
	.n_pes = 3,
	.mutant_define = "MUTANT_PRE_TIE_AWAY (PE 0, 1), MUTANT_TILE_EXP_NORENORM (PE 2)",
	.impl = &impl,
	.run = rtl_sc_run,
};

/* the family's arrays (rtl_family_lut_tc.systemc) */
extern "C" const struct rtl_sc_array *const rtl_sc_lut_tc_arrays[] = {
	&rtl_sc_lut_tc, nullptr,
};

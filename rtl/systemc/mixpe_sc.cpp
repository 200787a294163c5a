// mixpe_sc.cpp - the SystemC modules of mixpe_sc.h.
#include "mixpe_sc.h"

#include <cstring>
#include <string>

#include "Vmixpe_pe_sc.h"
#include "Vmixpe_pe_sc_mutant.h"

using namespace sc_core;

// ---- the C model as an sc_module ----

mixpe_pe_c::mixpe_pe_c(sc_module_name name, const struct pe_bt_ops *ops,
		       const struct pe_params *p)
	: sc_module(name), ops_(ops), state_(ops->state_size)
{
	struct ps_err err;
	ops_->init(state_.data(), p, &err);
	SC_METHOD(tick);
	sensitive << clk.pos();
	dont_initialize();
}

// The ports in the model's order (pe_models/mixpe/pe_mixpe_pe.c: 12 in,
// 12 out); rtl_sc.cpp checks the table's names against these.
void mixpe_pe_c::tick()
{
	uint64_t in[12], out[12];
	if (rst.read()) {
		ops_->reset(state_.data());
		std::memset(out, 0, sizeof out);	// the reset state's outputs
	} else {
		in[0] = in_valid.read();
		in[1] = in_first.read();
		in[2] = in_glast.read();
		in[3] = in_last.read();
		in[4] = a_in.read();
		in[5] = w_in.read() & 0xffff;
		in[6] = scale_in.read() & 0xffff;
		in[7] = zero_in.read() & 0xff;
		in[8] = sh_start.read();
		in[9] = sh_valid_in.read();
		in[10] = sh_drain_in.read();
		in[11] = sh_in.read() & 0xffff;
		ops_->step(state_.data(), in, out);
	}
	valid_out.write(out[0] & 1);
	first_out.write(out[1] & 1);
	glast_out.write(out[2] & 1);
	last_out.write(out[3] & 1);
	a_out.write(out[4]);
	w_out.write((uint32_t)out[5]);
	scale_out.write((uint32_t)out[6]);
	zero_out.write((uint32_t)out[7]);
	done.write(out[8] & 1);
	res_valid.write(out[9] & 1);
	res_drain.write(out[10] & 1);
	res.write((uint32_t)out[11]);
}

// ---- the array ----

namespace {

// PE (r,c)'s ports onto the wires, as mixpe_array.v: controls, w, scale,
// zero from the left (or the row edge), a and the drain chain from above
// (row 0: the column input and 0), sh_start = the column's bottom done.
template <class PE>
void bind_pe(PE &pe, sc_in<bool> &clk, sc_in<bool> &rst, mixpe_pe_wires &left,
	     mixpe_pe_wires *up, sc_in<uint64_t> &a_top, sc_signal<bool> &zb,
	     sc_signal<uint32_t> &zu, sc_signal<bool> &start, mixpe_pe_wires &out)
{
	pe.clk(clk);
	pe.rst(rst);
	pe.in_valid(left.valid);
	pe.in_first(left.first);
	pe.in_glast(left.glast);
	pe.in_last(left.last);
	pe.w_in(left.w);
	pe.scale_in(left.scale);
	pe.zero_in(left.zero);
	if (up) {
		pe.a_in(up->a);
		pe.sh_valid_in(up->res_valid);
		pe.sh_drain_in(up->res_drain);
		pe.sh_in(up->res);
	} else {
		pe.a_in(a_top);
		pe.sh_valid_in(zb);
		pe.sh_drain_in(zb);
		pe.sh_in(zu);
	}
	pe.sh_start(start);
	pe.valid_out(out.valid);
	pe.first_out(out.first);
	pe.glast_out(out.glast);
	pe.last_out(out.last);
	pe.a_out(out.a);
	pe.w_out(out.w);
	pe.scale_out(out.scale);
	pe.zero_out(out.zero);
	pe.done(out.done);
	pe.res_valid(out.res_valid);
	pe.res_drain(out.res_drain);
	pe.res(out.res);
}

} // namespace

mixpe_array_sc::mixpe_array_sc(sc_module_name name, uint16_t rtl_mask, int mutant_pe,
			       const struct pe_bt_ops *pe_ops, const struct pe_params *p)
	: sc_module(name)
{
	for (unsigned r = 0; r < D; r++)
		for (unsigned c = 0; c < D; c++) {
			unsigned i = r * D + c;
			std::string n = "pe_" + std::to_string(r) + "_" + std::to_string(c);
			mixpe_pe_wires &left = c ? pe_[i - 1] : edge_[r];
			mixpe_pe_wires *up = r ? &pe_[i - D] : nullptr;
			sc_signal<bool> &start = pe_[(D - 1) * D + c].done;
			if ((int)i == mutant_pe) {
				auto *m = new Vmixpe_pe_sc_mutant(n.c_str());
				bind_pe(*m, clk, rst, left, up, a_in[c], zero_b_, zero_u_, start, pe_[i]);
				mods_.push_back(m);
			} else if (rtl_mask >> i & 1) {
				auto *m = new Vmixpe_pe_sc(n.c_str());
				bind_pe(*m, clk, rst, left, up, a_in[c], zero_b_, zero_u_, start, pe_[i]);
				mods_.push_back(m);
			} else {
				auto *m = new mixpe_pe_c(n.c_str(), pe_ops, p);
				bind_pe(*m, clk, rst, left, up, a_in[c], zero_b_, zero_u_, start, pe_[i]);
				mods_.push_back(m);
			}
		}
	SC_METHOD(split);
	sensitive << in_valid << in_first << in_glast << in_last << w_in << scale_in
		  << zero_in;
	SC_METHOD(column_out);
	sensitive << clk.pos();
	dont_initialize();
}

mixpe_array_sc::~mixpe_array_sc()
{
	for (sc_module *m : mods_)
		delete m;
}

void mixpe_array_sc::split()
{
	uint32_t v = in_valid.read(), f = in_first.read(), g = in_glast.read(),
		 l = in_last.read(), z = zero_in.read();
	uint64_t w = w_in.read(), s = scale_in.read();
	for (unsigned r = 0; r < D; r++) {
		edge_[r].valid.write(v >> r & 1);
		edge_[r].first.write(f >> r & 1);
		edge_[r].glast.write(g >> r & 1);
		edge_[r].last.write(l >> r & 1);
		edge_[r].w.write((uint32_t)(w >> (16 * r)) & 0xffff);
		edge_[r].scale.write((uint32_t)(s >> (16 * r)) & 0xffff);
		edge_[r].zero.write(z >> (8 * r) & 0xff);
	}
}

// The value leaving each column's drain chain at this edge:
// res_valid & (res_drain | done) of the bottom PE, else 0 (registered).
void mixpe_array_sc::column_out()
{
	uint32_t ov = 0;
	uint64_t od = 0;
	if (!rst.read())
		for (unsigned c = 0; c < D; c++) {
			const mixpe_pe_wires &b = pe_[(D - 1) * D + c];
			if (b.res_valid.read() && (b.res_drain.read() || b.done.read())) {
				ov |= 1u << c;
				od |= (uint64_t)(b.res.read() & 0xffff) << (16 * c);
			}
		}
	out_valid.write(ov);
	out_data.write(od);
}

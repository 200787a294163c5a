// rtl_sc_bitmod.cpp - the BitMoD 4x4 array in SystemC (README.md
// "BitMoD"): PE 4r+c is bitmod_pe at row r, column c, between the rows'
// edge decoders and channel-scale units, wired as
// rtl/bitmod/bitmod_array4x4.v and pe_models/bitmod/pe_bitmod_array.c;
// descriptor rtl_sc_bitmod.
//
// Outside the PEs (the fabric, C functions of the golden model where the
// Verilog has a unit): row r's decoder (bitmod_decode.v: pe_bitmod_term,
// _bitpos) turns w_ctl_r / w_code_r into terms for PE (r,0); hop
// registers pass the bundle a PE saw (w_sbit included) to its right
// neighbour and its activations down; a shadow chain per row carries each
// group's dequantized sum to the left edge, where the row's output
// accumulator (pe_bitmod_bfp_add, an accumulator per column) sums an
// output's groups into the row's result register, and a 4-entry FIFO of
// channel scales and the channel-scale unit (bitmod_edge_scale.v:
// pe_bitmod_edge_scale) make y_r from it; err is sticky over collisions,
// FIFO errors, reserved types and output exponents above 255, ORed with
// the PEs'.
#include <string>
#include <utility>

#include "rtl_sc_top.h"

extern "C" {
#include "bitmod/pe_bitmod_bt.h"
}

using namespace sc_core;
using namespace rtl_sc;

namespace {

constexpr unsigned D = 4;
// the bundle a PE takes from its left (and passes right): bitmod_pe's
// inputs but a; the activations come from above
enum { B_VALID, B_FIRST, B_LAST, B_OLAST, B_BITPOS, B_TERM, B_SBIT, NB };
const char *const bundle[NB] = { "in_valid", "in_first", "in_last", "in_olast",
				 "w_bitpos", "w_term", "w_sbit" };

struct slot {
	bool valid, nan, olast;
	uint8_t e, col;
	int64_t m;
};

struct oacc {			// a column's output accumulator
	int64_t m;
	uint8_t e;
	bool nan;
};

class fabric : public array_fabric {
public:
	SC_HAS_PROCESS(fabric);
	fabric(sc_module_name name, top &t, const struct pe_bt_ops *ops,
	       std::vector<std::vector<wire *>> pes)
		: array_fabric(name, t, std::move(pes))
	{
		for (unsigned r = 0; r < D; r++) {
			std::string rs = std::to_string(r);
			for (unsigned j = 0; j < NB; j++) {
				unsigned w = ops->ports[top::port(ops, bundle[j])].width;
				dec[r][j] = t.make("dec" + rs + "_" + bundle[j], w);
				for (unsigned c = 0; c + 1 < D; c++)
					hw[r][c][j] = t.make("hw" + rs + std::to_string(c) + "_" +
							     bundle[j], w);
			}
			for (unsigned c = 0; c < D; c++)
				ha[r][c] = r + 1 < D ? t.make("ha" + rs + std::to_string(c), 64)
						     : nullptr;
			ctl_[r] = t.in_port(("w_ctl_" + rs).c_str());
			code_[r] = t.in_port(("w_code_" + rs).c_str());
			sbit_[r] = t.in_port(("w_sbit_" + rs).c_str());
			cscale_[r] = t.in_port(("w_cscale_" + rs).c_str());
			y_valid_[r] = t.out_port(("y_valid_" + rs).c_str());
			y_[r] = t.out_port(("y_" + rs).c_str());
			y_col_[r] = t.out_port(("y_col_" + rs).c_str());
		}
		err_ = t.out_port("err");
		com_err_ = t.make("com_err", 1);
		lanes_ = t.params->lanes ? t.params->lanes : PE_BITMOD_MAX_LANES;
		ow_ = PE_BITMOD_MW_DEFAULT + 1 +
		      (t.params->scale_bits ? t.params->scale_bits : PE_BITMOD_SB_DEFAULT);
		o_valid_ = top::port(ops, "out_valid");
		o_man_ = top::port(ops, "out_man");
		o_exp_ = top::port(ops, "out_exp");
		o_nan_ = top::port(ops, "out_nan");
		o_olast_ = top::port(ops, "out_olast");
		o_err_ = top::port(ops, "err");
		a_ = top::port(ops, "a");
		SC_METHOD(decode);
		for (unsigned r = 0; r < D; r++)
			sensitive << ctl_[r]->event() << code_[r]->event() << sbit_[r]->event();
		SC_METHOD(error);
		sensitive << com_err_->event();
		for (unsigned i = 0; i < D * D; i++)
			sensitive << pe[i][o_err_]->event();
		SC_METHOD(seq);
		sensitive << t.clk.posedge_event();
		dont_initialize();
	}
	wire *dec[D][NB];		// row r's decoder: PE (r,0)'s bundle
	wire *hw[D][D - 1][NB];		// hop registers: PE (r,c+1)'s bundle
	wire *ha[D][D];			// PE (r+1,c)'s activations (r < 3)

private:
	wire *ctl_[D], *code_[D], *sbit_[D], *cscale_[D], *com_err_;
	wire *y_valid_[D], *y_[D], *y_col_[D], *err_;	// the array's outputs
	unsigned lanes_, ow_, o_valid_, o_man_, o_exp_, o_nan_, o_olast_, o_err_, a_;
	slot sh_[D][D] = {};		// shadow chains
	oacc oa_[D][D] = {};		// the rows' output accumulators
	slot res_[D] = {};		// the rows' result registers
	uint16_t fifo_[D][PE_BITMOD_CS_FIFO] = {};
	unsigned head_[D] = {}, cnt_[D] = {};

	// bitmod_decode.v per row, combinational
	void decode()
	{
		for (unsigned r = 0; r < D; r++) {
			unsigned ctl = (unsigned)ctl_[r]->get(), t = ctl >> 4 & 3, wt = ctl >> 6 & 31;
			uint64_t code = code_[r]->get(), term = 0;
			for (unsigned l = 0; l < lanes_; l++)
				term |= (uint64_t)pe_bitmod_term(wt, code >> 8 * l & 0xff, t) << 4 * l;
			for (unsigned j = B_VALID; j <= B_OLAST; j++)
				dec[r][j]->put(ctl >> j & 1);
			dec[r][B_BITPOS]->put(pe_bitmod_bitpos(wt, t));
			dec[r][B_TERM]->put(term);
			dec[r][B_SBIT]->put(sbit_[r]->get());
		}
	}

	void error()
	{
		uint64_t e = com_err_->get();
		for (unsigned i = 0; i < D * D; i++)
			e |= pe[i][o_err_]->get();
		err_->put(e);
	}

	wire *bundle_in(unsigned r, unsigned c, unsigned j) const
	{
		return c ? hw[r][c - 1][j] : dec[r][j];
	}

	// every register of the fabric at the rising edge, from the values
	// before it (as the Verilog's always blocks)
	void seq()
	{
		bool rst = t_.rst->get(), err = false;
		for (unsigned r = 0; r < D; r++) {
			for (unsigned c = 0; c + 1 < D; c++)
				for (unsigned j = 0; j < NB; j++)
					hw[r][c][j]->put(rst ? 0 : bundle_in(r, c, j)->get());
			if (r + 1 < D)
				for (unsigned c = 0; c < D; c++)
					ha[r][c]->put(rst ? 0 : pe[r * D + c][a_]->get());
			if (rst) {
				for (unsigned c = 0; c < D; c++) {
					sh_[r][c] = slot{};
					oa_[r][c] = oacc{};
				}
				res_[r] = slot{};
				head_[r] = cnt_[r] = 0;
				y_valid_[r]->put(0);
				y_[r]->put(0);
				y_col_[r]->put(0);
				continue;
			}
			// exit: the result register through the channel-scale unit
			// with the FIFO's head
			const slot res = res_[r];
			bool pop = res.valid && res.col == D - 1 && cnt_[r];
			if (res.valid) {
				uint16_t cs = cnt_[r] ? fifo_[r][head_[r]] : 0x7e00;
				err |= !cnt_[r];		// underflow
				y_[r]->put(pe_bitmod_edge_scale(res.m, res.e, res.nan, cs));
				y_col_[r]->put(res.col);
			}
			y_valid_[r]->put(res.valid);
			// slot 0 into its column's output accumulator; an output's
			// last group into the result register
			const slot s0 = sh_[r][0];
			res_[r] = slot{};
			if (s0.valid) {
				oacc &o = oa_[r][s0.col];
				int64_t m = o.m;
				unsigned e = o.e;
				bool nan = o.nan || s0.nan;
				pe_bitmod_bfp_add(&m, &e, s0.m, s0.e, ow_, nullptr);
				err |= e > 255;
				if (s0.olast) {
					res_[r] = slot{ true, nan, false, (uint8_t)e, s0.col, m };
					o = oacc{};
				} else {
					o = oacc{ m, (uint8_t)e, nan };
				}
			}
			// the shadow chain: a result drops into its slot, else the
			// slot takes its right neighbour's
			for (unsigned c = 0; c < D; c++) {
				const std::vector<wire *> &p = pe[r * D + c];
				slot nx = c + 1 < D ? sh_[r][c + 1] : slot{};
				if (p[o_valid_]->get()) {
					err |= nx.valid;	// collision
					sh_[r][c] = slot{ true, p[o_nan_]->get() != 0,
							  p[o_olast_]->get() != 0,
							  (uint8_t)p[o_exp_]->get(), (uint8_t)c,
							  (int64_t)(int32_t)p[o_man_]->get() };
				} else {
					sh_[r][c] = nx;
				}
			}
			// the FIFO: the pop counts before this edge's push
			unsigned ctl = (unsigned)ctl_[r]->get(), wt = ctl >> 6 & 31;
			unsigned cnt1 = cnt_[r] - pop;
			head_[r] = (head_[r] + pop) % PE_BITMOD_CS_FIFO;
			if ((ctl & 1) && !pe_bitmod_wtype_terms(wt))
				err = true;		// a valid cycle of a reserved type
			if ((ctl & 0xd) == 0xd) {	// valid, last, olast: push
				if (cnt1 == PE_BITMOD_CS_FIFO) {
					err = true;
				} else {
					fifo_[r][(head_[r] + cnt1) % PE_BITMOD_CS_FIFO] =
						(uint16_t)cscale_[r]->get();
					cnt1++;
				}
			}
			cnt_[r] = cnt1;
		}
		com_err_->put(rst ? 0 : com_err_->get() | err);
	}
};

void build(top &t, const pe_kind &k)
{
	const struct pe_bt_ops *ops = pe_bt_find(k.golden);
	auto *f = new fabric("fabric", t, ops, t.array_wires(D * D, k));
	t.own(f);
	for (unsigned r = 0; r < D; r++)
		for (unsigned c = 0; c < D; c++) {
			std::vector<wire *> &w = f->pe[r * D + c];
			for (unsigned j = 0; j < NB; j++)
				w[top::port(ops, bundle[j])] = c ? f->hw[r][c - 1][j] : f->dec[r][j];
			w[top::port(ops, "a")] = r ? f->ha[r - 1][c]
						   : t.in_port(("a_" + std::to_string(c)).c_str());
		}
	t.pes(k, f->pe);
}

// bitmod_pe verilated with --sc as `pesim verify --pe bitmod_array`'s
// build (LANES 4, SB 8, MW 15) and its MUTANT_GRP_NOALIGN build
const pe_kind pe4 = { "bitmod_pe", &rtl_bitmod_pe_ops, &rtl_bitmod_pe_mutant_ops, true };

void build4(top &t)
{
	build(t, pe4);
}

const struct pe_bt_ops *golden()
{
	return pe_bt_find("bitmod_array4x4");
}

const struct rtl_sc_impl impl = { golden, "bitmod_array", nullptr, nullptr, build4 };

} // namespace

extern "C" const struct rtl_sc_array rtl_sc_bitmod = {
	.name = "bitmod_array",
	.family = "bitmod",
	.what = "4x4 BitMoD array: 4 lanes, 8-bit group scales, edge decoders, "
		"row output accumulators and channel-scale units",
	.pe_what = "bitmod_pe at row i/4, column i%4",
	.n_pes = D * D,
	.mutant_define = "MUTANT_GRP_NOALIGN",
	.impl = &impl,
	.run = rtl_sc_run,
};

/* the family's arrays (rtl_family_bitmod.systemc) */
extern "C" const struct rtl_sc_array *const rtl_sc_bitmod_arrays[] = {
	&rtl_sc_bitmod, nullptr,
};

// rtl_sc_flightllm.cpp - FlightLLM's CSD chain in SystemC (README.md
// "FlightLLM"): PE k is DSP48E2 slice k of the chain, in the packed INT8
// MAC configuration (DSP48E2.v at the -G of dsp48e2_packed, or the golden
// pe_dsp48e2 "dsp48e2"); the chain around the slices is C in an
// sc_module, structured as rtl/flightllm/flightllm_chain.v: per DSP the
// decode unit and sparse MUX on the ports, the cascade skew (k registers
// of {x1, x0, w} before DSP k), the control delay line, the Z-mux/OPMODE
// of each DSP, the OAU (C = -lo(P of DSP k-1), a side register per DSP)
// and the reduction nodes; PCIN of DSP k is PCOUT of DSP k-1. Golden:
// the whole chain "flightllm_chain". Descriptors rtl_sc_flightllm (the
// 16-DSP INT4 chain of csd-2of16.yaml) and rtl_sc_flightllm_d32 (32 DSPs,
// INT8 codes: the configuration whose OAU changes results).
#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "rtl_sc_top.h"

extern "C" {
#include "flightllm/pe_flightllm.h"
}

using namespace sc_core;
using namespace rtl_sc;

namespace {

const pe_kind dsp = { "dsp48e2", &rtl_dsp48e2_ops, &rtl_dsp48e2_breg1_ops, false };

int64_t sext(uint64_t v, unsigned bits)
{
	uint64_t m = 1ull << (bits - 1);
	return (int64_t)((v & ((m << 1) - 1)) ^ m) - (int64_t)m;
}

uint64_t field(int64_t v, unsigned bits)
{
	return (uint64_t)v & ((1ull << bits) - 1);
}

// a DSP's operands after its decode unit and sparse MUX
struct ops {
	int32_t x0, x1, w;
};
// a wave's control in the delay line
struct ctl {
	bool vld;
	uint16_t rn_brk;
};

class fabric : public array_fabric {
public:
	SC_HAS_PROCESS(fabric);
	fabric(sc_module_name name, top &t, std::vector<std::vector<wire *>> d)
		: array_fabric(name, t, std::move(d)), n_(t.params->lanes),
		  wb_(pe_code_bits(t.params)), sk_(n_), slot_(n_ + 3), side_(n_)
	{
		const struct pe_bt_ops *o = pe_bt_find(dsp.golden);
		oau_ = n_ > PE_FL_OAU_SPAN;	// the RTL's OAU = 0: automatic
		p_ = top::port(o, "P");
		for (unsigned k = 0; k < n_; k++) {
			std::string ks = "dsp" + std::to_string(k) + "_";
			sk_[k].resize(k);
			for (const char *n : { "A", "B", "C", "D", "OPMODE" })
				dsp_in.push_back(t.make(ks + n, o->ports[top::port(o, n)].width));
		}
		one = t.make("one", 1);
		inmode = t.make("inmode", 5);
		zero1 = t.make("zero_1", 1);
		zero4 = t.make("zero_4", 4);
		zero48 = t.make("zero_48", 48);
		tick_ = t.make("tick", 64);
		SC_METHOD(comb);
		for (wire *w : t.in)
			sensitive << w->event();
		for (auto &w : pe)
			sensitive << w[p_]->event();
		sensitive << tick_->event();
		SC_METHOD(seq);
		sensitive << t.clk.posedge_event();
		dont_initialize();
	}
	std::vector<wire *> dsp_in;		// DSP k's A, B, C, D, OPMODE at 5k..
	wire *one, *inmode, *zero1, *zero4, *zero48;

private:
	unsigned n_, wb_, p_;
	bool oau_;
	std::vector<std::vector<ops>> sk_;	// DSP k's skew registers, [k-1] last
	std::vector<ctl> slot_;			// slot j: wave t - j after edge t
	std::vector<int32_t> side_;		// OAU carry travelling with the cascade
	wire *tick_;

	int64_t p(unsigned k) const { return sext(pe[k][p_]->get(), 48); }
	bool starts(const ctl &c, unsigned k) const
	{
		return k == 0 || (!(k & 1) && (c.rn_brk >> (k / 2 - 1) & 1));
	}
	bool adjusts(const ctl &c, unsigned k) const
	{
		return !starts(c, k) && oau_ && k % PE_FL_OAU_SPAN == 0;
	}

	// flightllm_decode.v and flightllm_smux.v of DSP k on the ports
	ops front(unsigned k) const
	{
		unsigned idx = t_.in[PE_FL_IDX0 + k / 16]->get() >> (4 * (k % 16)) & 15;
		uint64_t pair = t_.in[PE_FL_ACT0 + idx / 4]->get() >> (16 * (idx % 4)) & 0xffff;
		uint64_t code = t_.in[PE_FL_W0 + k / 8]->get() >> (8 * (k % 8));
		return { (int32_t)sext(pair, 8), (int32_t)sext(pair >> 8, 8),
			 (int32_t)sext(code, wb_) };
	}

	// the DSPs' inputs and the RNs' outputs, from the ports, the fabric's
	// registers and the DSPs' P registers
	void comb()
	{
		uint64_t vld = 0;
		unsigned ndg = n_ / 2;

		one->put(1);
		inmode->put(PE_DSP_INMODE_PACKED);
		for (unsigned k = 0; k < n_; k++) {
			const ops o = k ? sk_[k][k - 1] : front(0);
			const ctl &c = slot_[k + 2];	// the wave whose product is in M
			wire *const *w = &dsp_in[5 * k];
			w[0]->put(field(o.x0, 30));
			w[1]->put(field(o.w, 18));
			w[2]->put(adjusts(c, k) ? field(-sext(field(p(k - 1), 18), 18), 48) : 0);
			w[3]->put(field((int64_t)o.x1 * (1 << 18), 27));
			w[4]->put(starts(c, k) ? PE_DSP_OPM_MUL_RESTART
				  : adjusts(c, k) ? PE_DSP_OPM_MUL_PCIN_C : PE_DSP_OPM_MUL_PCIN);
		}
		for (unsigned g = 0; g < PE_FL_MAX_DG; g++) {
			uint64_t y = 0;
			if (g < ndg) {
				unsigned e = 2 * g + 1;
				const ctl &c = slot_[2 * g + 4];
				int32_t lo, hi;
				pe_fl_extract(p(e), true, &lo, &hi);
				lo += side_[e];
				y = (uint64_t)(uint32_t)hi << 32 | (uint32_t)lo;
				if (c.vld && (g == ndg - 1 || (c.rn_brk >> g & 1)))
					vld |= 1u << g;
			}
			t_.out[PE_FL_OUT_Y0 + g]->put(y);
		}
		t_.out[PE_FL_OUT_VALID]->put(vld);
	}

	void seq()
	{
		if (t_.rst->get()) {
			for (auto &s : sk_)
				std::fill(s.begin(), s.end(), ops{});
			std::fill(slot_.begin(), slot_.end(), ctl{});
			std::fill(side_.begin(), side_.end(), 0);
		} else {
			// last to first: each reads its predecessor's old side
			for (unsigned k = n_; k-- > 0;) {
				const ctl &c = slot_[k + 2];
				int32_t moved = adjusts(c, k) ? (int32_t)sext(field(p(k - 1), 18), 18) : 0;
				side_[k] = starts(c, k) ? 0 : side_[k - 1] + moved;
			}
			for (unsigned k = 1; k < n_; k++) {
				for (unsigned j = k - 1; j > 0; j--)
					sk_[k][j] = sk_[k][j - 1];
				sk_[k][0] = front(k);
			}
			for (size_t j = slot_.size() - 1; j > 0; j--)
				slot_[j] = slot_[j - 1];
			slot_[0] = { t_.in[PE_FL_IN_VALID]->get() != 0,
				     (uint16_t)t_.in[PE_FL_RN_BRK]->get() };
		}
		tick_->put(tick_->get() + 1);	// comb reads the new registers
	}
};

void build(top &t)
{
	const struct pe_bt_ops *o = pe_bt_find(dsp.golden);
	unsigned n = t.params->lanes;
	auto *f = new fabric("chain", t, t.array_wires(n, dsp));
	t.own(f);
	for (unsigned k = 0; k < n; k++) {
		std::vector<wire *> &w = f->pe[k];
		const char *fab[] = { "A", "B", "C", "D", "OPMODE" };
		for (unsigned j = 0; j < 5; j++)
			w[top::port(o, fab[j])] = f->dsp_in[5 * k + j];
		w[top::port(o, "PCIN")] = k ? f->pe[k - 1][top::port(o, "PCOUT")] : f->zero48;
		w[top::port(o, "INMODE")] = f->inmode;
		w[top::port(o, "ALUMODE")] = f->zero4;
		w[top::port(o, "CARRYIN")] = f->zero1;
		for (size_t i = 0; i < o->n_in; i++) {
			const char *pn = o->ports[i].name;
			if (!std::strncmp(pn, "CE", 2))
				w[i] = f->one;		// every clock enable on
			else if (!std::strncmp(pn, "RST", 3))
				w[i] = t.rst;		// the chain's rst on all ten
		}
	}
	t.pes(dsp, f->pe);
}

const struct pe_bt_ops *golden()
{
	return pe_bt_find("flightllm_chain");
}

const struct rtl_sc_impl impl16 = { golden, "flightllm", nullptr, nullptr, build };
const struct rtl_sc_impl impl32 = { golden, "flightllm_d32w8", nullptr, nullptr, build };

// a chain of `depth` DSP48E2 slices, its PE i slice i
constexpr rtl_sc_array chain(const char *name, const char *what, unsigned depth,
			     const rtl_sc_impl *impl)
{
	return { .name = name, .family = "flightllm", .what = what,
		 .pe_what = "DSP48E2 slice i of the cascade", .n_pes = depth,
		 .mutant_define = "-GBREG=1 -GBCASCREG=1 (one B register short)",
		 .impl = impl, .run = rtl_sc_run };
}

} // namespace

extern "C" const struct rtl_sc_array rtl_sc_flightllm = chain(
	"flightllm_chain",
	"FlightLLM CSD chain of 16 DSP48E2 (csd-2of16.yaml: INT4 codes, sparse MUX, "
	"RNs; its OAU at DSP 8 changes no INT4 result)", 16, &impl16);

extern "C" const struct rtl_sc_array rtl_sc_flightllm_d32 = chain(
	"flightllm_chain_d32",
	"FlightLLM CSD chain of 32 DSP48E2 (INT8 codes, sparse MUX, RNs, OAU at "
	"DSPs 8, 16, 24)", 32, &impl32);

/* the family's arrays (rtl_family_flightllm.systemc) */
extern "C" const struct rtl_sc_array *const rtl_sc_flightllm_arrays[] = {
	&rtl_sc_flightllm, &rtl_sc_flightllm_d32, nullptr,
};

// mixpe_lockstep.cpp - the MixPE RTL (rtl/mixpe/) against its C golden
// model, port for port and edge for edge.
//
// Built once per RTL configuration: -DTB_ARRAY=0 with the "mixpe_pe"
// shim (rtl_mixpe_pe.cpp), -DTB_ARRAY=1 with "mixpe_array"; the Verilog
// parameters (-G) must equal --wbits/--fp16/--lanes/--group given here,
// which configure the C model (pe_params, as pe_mixpe_cfg_from_params
// reads them). Every cycle: the same inputs into both, one rising edge,
// every output port compared. The loop is boring on purpose.
//
// Stimulus, in segments of random kind and length:
//   gemm   pe_mixpe_feed of a random quantized GEMM (the array's own
//          feeder; the PE alone gets a 1x1 schedule, with random idle
//          cycles and either the 1x1 array's drain wiring or random sh_*)
//   ctl    random control bits and data (odd protocols: groups without
//          in_first, in_last without in_glast, ...) and random sh_*
//   long   groups far longer than GROUP with extreme operands, half of
//          them all a = -128 (FP16 65504) and w = -2^(b-1), so the INT8
//          accumulators reach their bounds and wrap, FP16 sums overflow
//   bits   every input port uniformly random
// plus a synchronous reset now and then (RTL rst for one edge, the C
// model's reset(); all outputs must read 0 after it).
//
// Exit 0 when the run is as expected: no mismatch, or with
// --expect-mismatch at least one (a mutant RTL, or --bugs on the C side).
#include <array>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "fmt.h"
#include "pe_mixpe.h"
}
#include "rtl_model.h"

// TB_RTL: the shim's RTL_NAME (a variant build: -DTB_RTL=mixpe_pe_w4a16)
#if TB_ARRAY
#ifndef TB_RTL
#define TB_RTL mixpe_array
#endif
#define GOLDEN pe_mixpe_array_bt
#else
#ifndef TB_RTL
#define TB_RTL mixpe_pe
#endif
#define GOLDEN pe_mixpe_pe_bt
#endif
#define TB_CAT2(a, b) a##b
#define TB_CAT(a, b) TB_CAT2(a, b)
#define TB_DECLARE(n) RTL_MODEL_DECLARE(n)
TB_DECLARE(TB_RTL)
extern "C" void TB_CAT(TB_CAT(rtl_, TB_RTL), _set_rst)(struct rtl_model *m, int rst);
#define RTL_OPS TB_CAT(TB_CAT(rtl_, TB_RTL), _ops)
#define RTL_SET_RST TB_CAT(TB_CAT(rtl_, TB_RTL), _set_rst)

namespace {

constexpr size_t MAXP = 32;
using Word = std::array<uint64_t, MAXP>;

struct Opts {
	unsigned wbits = 4, fp16 = 0, lanes = 2, group = 128;
	uint32_t bugs = 0;
	uint64_t cycles = 1000000, seed = 1;
	bool expect_mismatch = false;
	unsigned show = 5;		// mismatches printed in detail
	const char *dump = nullptr;	// vector file for the Icarus replay
};

uint64_t mask(unsigned w)
{
	return w >= 64 ? ~0ull : (1ull << w) - 1;
}

struct Rng {
	std::mt19937_64 g;
	explicit Rng(uint64_t s) : g(s) {}
	uint64_t u64() { return g(); }
	uint64_t below(uint64_t n) { return n ? g() % n : 0; }
	bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(g) < p; }
	// lo .. hi inclusive (hi < lo gives lo)
	int64_t range(int64_t lo, int64_t hi)
	{
		return hi < lo ? lo : lo + (int64_t)below((uint64_t)(hi - lo + 1));
	}
};

// ---- operand values ----

// an INT8 activation slot: the low byte counts, the high byte is noise
uint16_t act_int8(Rng &r, bool extreme)
{
	static const int8_t ext[] = { -128, 127, 0, 1, -1, -127 };
	int8_t v = (extreme || r.chance(0.2)) ? ext[r.below(extreme ? 2 : 6)]
					      : (int8_t)r.u64();
	return (uint16_t)((r.u64() & 0xff00) | (uint8_t)v);
}

// FP16 bit patterns: mostly moderate normals, some large, small,
// subnormal, signed zeros, infinities and NaNs; special = their share
uint16_t f16_val(Rng &r, double special)
{
	static const uint16_t sp[] = { 0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe00,
				       0x7bff, 0xfbff, 0x0001, 0x8001, 0x03ff, 0x0400,
				       0x3c00, 0xbc00 };
	uint16_t s = (uint16_t)((r.u64() & 1) << 15), m = (uint16_t)(r.u64() & 0x3ff);
	if (r.chance(special)) {
		switch (r.below(4)) {
		case 0: return sp[r.below(sizeof sp / sizeof sp[0])];
		case 1: return (uint16_t)(s | 0x7c00 | (m ? m : 1));	// NaN, any payload
		case 2: return (uint16_t)(s | m);			// subnormal
		default: return (uint16_t)r.u64();			// any bits
		}
	}
	switch (r.below(10)) {
	case 0: return (uint16_t)(s | (r.range(24, 30) << 10) | m);	// large
	case 1: return (uint16_t)(s | (r.range(1, 6) << 10) | m);	// small
	default: return (uint16_t)(s | (r.range(9, 21) << 10) | m);	// moderate
	}
}

// FP16 activations of a GEMM: mostly |x| in 2^-7 .. 2^5 so that most
// outputs stay finite (one large value saturates its whole group), a few
// subnormals, zeros and large values, specials at the given share
uint16_t f16_gemm(Rng &r, double special)
{
	uint16_t s = (uint16_t)((r.u64() & 1) << 15), m = (uint16_t)(r.u64() & 0x3ff);
	if (r.chance(special))
		return f16_val(r, 1.0);
	unsigned k = (unsigned)r.below(1000);
	if (k < 1)
		return (uint16_t)(s | (r.range(22, 30) << 10) | m);	// large
	if (k < 10)
		return (uint16_t)(s | m);				// subnormal
	if (k < 20)
		return s;						// +-0
	if (k < 50)
		return (uint16_t)(s | (r.range(1, 7) << 10) | m);	// small
	return (uint16_t)(s | (r.range(8, 20) << 10) | m);
}

// a group scale: a small positive normal (a quantizer's), sometimes anything
uint16_t scale_val(Rng &r, double special)
{
	if (r.chance(special))
		return f16_val(r, 0.5);
	return (uint16_t)((r.range(5, 14) << 10) | (r.u64() & 0x3ff));
}

int8_t zero_val(Rng &r, unsigned wbits)
{
	int h = 1 << (wbits - 1);
	return r.chance(0.9) ? (int8_t)r.range(-h, h - 1) : (int8_t)r.u64();
}

int8_t weight_val(Rng &r, unsigned wbits, bool extreme)
{
	int h = 1 << (wbits - 1);
	if (extreme)
		return (int8_t)(r.chance(0.5) ? -h : h - 1);
	return (int8_t)r.range(-h, h - 1);
}

// ---- one cycle of stimulus ----

struct Cycle {
	Word in{};
	bool rst = false;
	bool sh_from_done = false;	// PE: sh_start = its own done (1x1 array)
	const char *kind = "";
};

// A random quantized GEMM and the schedule of the array that runs it.
struct Gemm {
	std::vector<uint16_t> a, scale, out;
	std::vector<int8_t> w, zero;
	pe_mixpe_gemm g{};
	pe_mixpe_sched s{};
	uint64_t cycles = 0;	// closed form: first operand in -> last result out

	bool make(Rng &r, const Opts &o, const pe_params &p, unsigned dim, uint64_t m,
		  uint64_t n, uint64_t k)
	{
		uint64_t groups = (k + o.group - 1) / o.group;
		double special = r.chance(0.5) ? 0.0 : 0.0003;
		bool wide = !o.fp16 && r.chance(0.3);	// extreme INT8 operands
		a.resize(m * k);
		w.resize(n * k);
		scale.resize(n * groups);
		zero.resize(n * groups);
		out.assign(m * n, 0);
		// a corner: every a the extreme (INT8 -128: the accumulators reach
		// their exact bounds; FP16 +-65504: a x (-1) must not overflow)
		bool corner = r.chance(0.05);
		int h = 1 << (o.wbits - 1);
		for (auto &x : a)
			x = corner ? (o.fp16 ? (uint16_t)(r.chance(0.5) ? 0x7bff : 0xfbff)
					     : (uint16_t)((r.u64() & 0xff00) | 0x80))
			    : o.fp16 ? f16_gemm(r, special) : act_int8(r, wide && r.chance(0.5));
		for (auto &x : w)
			x = corner && !o.fp16 ? (int8_t)-h : weight_val(r, o.wbits, wide && r.chance(0.5));
		for (auto &x : scale)
			x = scale_val(r, special);
		for (auto &x : zero) {
			static const int zc[] = { -128, 127, 0, 0 };
			x = corner ? (int8_t)(r.chance(0.5) ? zc[r.below(4)] : (r.chance(0.5) ? -h : h - 1))
				   : zero_val(r, o.wbits);
		}
		g = { m, n, k, a.data(), w.data(), scale.data(), zero.data(), out.data() };
		pe_array arr = { dim, dim, CFG_DF_OS };
		ps_err err;
		if (pe_mixpe_sched_init(&p, &arr, &g, &s, &err) != PS_OK) {
			fprintf(stderr, "sched_init: %s\n", err.msg);
			return false;
		}
		// README "Array timing": (R-1) + (C-1) + (P-1) max(S,R) + S + R + 4
		cycles = (s.rows - 1) + (s.cols - 1) + (s.passes - 1) * s.delta + s.S +
			 s.rows + PE_MIXPE_DQ_LATENCY;
		return true;
	}
};

struct Stim {
	const Opts &o;
	pe_params p{};
	Rng &r;
	std::vector<Cycle> seg;
	size_t pos = 0;
	uint64_t n_seg[4] = { 0, 0, 0, 0 };

	Stim(const Opts &opts, Rng &rng) : o(opts), r(rng)
	{
		p.lanes = o.lanes;
		p.weight_bits = o.wbits;
		p.act_bits = p.a_bits = o.fp16 ? 16 : 8;
		p.group_size = o.group;
	}

	bool bias = false;	// this long segment: every a -128 (or 65504), every w -2^(b-1)

	uint64_t data_a(double special, bool extreme)
	{
		uint64_t a = 0;
		if (extreme && bias)
			return o.fp16 ? 0x7bff7bff7bff7bffull : (r.u64() & 0xff00ff00ff00ff00ull) | 0x0080008000800080ull;
		for (unsigned i = 0; i < 4; i++)
			a |= (uint64_t)(o.fp16 ? (extreme ? (uint16_t)(((r.u64() & 1) << 15) |
								(r.range(27, 30) << 10) |
								(r.u64() & 0x3ff))
							  : f16_val(r, special))
					       : act_int8(r, extreme))
			     << (16 * i);
		return a;
	}

	uint64_t data_w(bool extreme)
	{
		uint64_t w = 0;
		if (extreme && bias) {
			uint64_t n = (1u << (o.wbits - 1)) & 0xf;	// -2^(b-1): the MSB alone
			return n * 0x1111u;
		}
		for (unsigned i = 0; i < 4; i++)	// bits above wbits are noise
			w |= (uint64_t)(((uint8_t)weight_val(r, o.wbits, extreme) & mask(o.wbits)) |
					(r.u64() & 0xf & ~mask(o.wbits)))
			     << (4 * i);
		return w;
	}

#if TB_ARRAY
	// ---- the 4x4 array: inputs in, in_first, ..., a_in_3 ----
	void gemm_seg()
	{
		Gemm gm;
		uint64_t m = r.range(1, 12), n = r.range(1, 12);
		uint64_t k = r.chance(0.3) ? r.range(1, 3 * o.lanes) : r.range(1, 3 * o.group);
		if (!gm.make(r, o, p, 4, m, n, k))
			exit(2);
		uint64_t T = gm.cycles + r.below(6);
		if (r.chance(0.1))	// the next segment cuts in before the drain ends
			T = r.below(gm.cycles) + 1;
		for (uint64_t t = 0; t < T; t++) {
			pe_mixpe_row_in row[4];
			uint64_t a_col[4];
			Cycle c;
			pe_mixpe_feed(&gm.s, &gm.g, t, row, a_col);
			for (unsigned i = 0; i < 4; i++) {
				c.in[0] |= (uint64_t)row[i].valid << i;
				c.in[1] |= (uint64_t)row[i].first << i;
				c.in[2] |= (uint64_t)row[i].glast << i;
				c.in[3] |= (uint64_t)row[i].last << i;
				c.in[4] |= (uint64_t)row[i].w << (16 * i);
				c.in[5] |= (uint64_t)row[i].scale << (16 * i);
				c.in[6] |= (uint64_t)row[i].zero << (8 * i);
				c.in[7 + i] = a_col[i];
			}
			c.kind = "gemm";
			seg.push_back(c);
		}
	}

	void rand_seg(bool bits, bool extreme)
	{
		uint64_t len = r.range(50, extreme ? 50 + 20 * o.group : bits ? 500 : 2000);
		double pv = r.chance(0.3) ? 1.0 : 0.7, pf = 0.05 + 0.2 * r.chance(0.5);
		double pg = extreme ? 0.5 / o.group : 0.05 + 0.4 * r.chance(0.5);
		double pl = extreme ? 0.1 / o.group : 0.05;
		bias = extreme && r.chance(0.5);
		for (uint64_t t = 0; t < len; t++) {
			Cycle c;
			c.kind = bits ? "bits" : extreme ? "long" : "ctl";
			if (bits) {
				for (unsigned i = 0; i < 11; i++)
					c.in[i] = r.u64();
				seg.push_back(c);
				continue;
			}
			for (unsigned i = 0; i < 4; i++) {
				c.in[0] |= (uint64_t)r.chance(pv) << i;
				c.in[1] |= (uint64_t)(t == 0 || r.chance(extreme ? 0.1 / o.group : pf)) << i;
				c.in[2] |= (uint64_t)r.chance(pg) << i;
				c.in[3] |= (uint64_t)r.chance(pl) << i;
				c.in[4] |= (data_w(extreme) & 0xffff) << (16 * i);
				c.in[5] |= (uint64_t)scale_val(r, 0.1) << (16 * i);
				c.in[6] |= (uint64_t)(uint8_t)zero_val(r, o.wbits) << (8 * i);
				c.in[7 + i] = data_a(0.05, extreme);
			}
			seg.push_back(c);
		}
	}
#else
	// ---- one PE: in_valid .. sh_in ----
	void gemm_seg()
	{
		Gemm gm;
		uint64_t m = r.range(1, 3), n = r.range(1, 3);
		uint64_t k = r.chance(0.3) ? r.range(1, 3 * o.lanes) : r.range(1, 3 * o.group);
		double stall = r.chance(0.5) ? 0.0 : r.chance(0.5) ? 0.05 : 0.4;
		bool wired = r.chance(0.7);	// the 1x1 array's drain wiring, else random sh_*
		if (!gm.make(r, o, p, 1, m, n, k))
			exit(2);
		for (uint64_t t = 0; t < gm.cycles + 2;) {
			Cycle c;
			c.kind = "gemm";
			c.sh_from_done = wired;
			if (!wired)
				rand_sh(c);
			if (r.chance(stall)) {	// an idle cycle, noise on the data ports
				c.in[4] = r.u64();
				c.in[5] = r.u64();
				seg.push_back(c);
				continue;
			}
			pe_mixpe_row_in row;
			uint64_t a_col;
			pe_mixpe_feed(&gm.s, &gm.g, t, &row, &a_col);
			c.in[0] = row.valid;
			c.in[1] = row.first;
			c.in[2] = row.glast;
			c.in[3] = row.last;
			c.in[4] = a_col;
			c.in[5] = row.w;
			c.in[6] = row.scale;
			c.in[7] = row.zero;
			seg.push_back(c);
			t++;
		}
	}

	void rand_sh(Cycle &c)
	{
		c.in[8] = r.chance(0.1);
		c.in[9] = r.chance(0.5);
		c.in[10] = r.chance(0.5);
		c.in[11] = o.fp16 || r.chance(0.5) ? f16_val(r, 0.1) : r.u64();
	}

	void rand_seg(bool bits, bool extreme)
	{
		uint64_t len = r.range(50, extreme ? 50 + 20 * o.group : bits ? 500 : 3000);
		double pv = r.chance(0.3) ? 1.0 : 0.7, pf = 0.02 + 0.2 * r.chance(0.5);
		double pg = extreme ? 0.5 / o.group : 0.05 + 0.4 * r.chance(0.5);
		double pl = extreme ? 0.1 / o.group : 0.02 + 0.1 * r.chance(0.5);
		bias = extreme && r.chance(0.5);
		for (uint64_t t = 0; t < len; t++) {
			Cycle c;
			if (bits) {
				for (unsigned i = 0; i < 12; i++)
					c.in[i] = r.u64();
			} else {
				c.in[0] = r.chance(pv);
				c.in[1] = t == 0 || r.chance(extreme ? 0.1 / o.group : pf);
				c.in[2] = r.chance(pg);
				c.in[3] = r.chance(pl);
				c.in[4] = data_a(0.05, extreme);
				c.in[5] = data_w(extreme);
				c.in[6] = scale_val(r, 0.1);
				c.in[7] = (uint8_t)zero_val(r, o.wbits);
				rand_sh(c);
			}
			c.kind = bits ? "bits" : extreme ? "long" : "ctl";
			seg.push_back(c);
		}
	}
#endif

	void refill()
	{
		seg.clear();
		pos = 0;
		unsigned k = (unsigned)r.below(10);
		if (k < 5) {
			gemm_seg();
			n_seg[0]++;
		} else if (k < 7) {
			rand_seg(false, false);
			n_seg[1]++;
		} else if (k < 8) {
			rand_seg(false, true);
			n_seg[2]++;
		} else {
			rand_seg(true, false);
			n_seg[3]++;
		}
		if (r.chance(0.03))
			seg[r.below(seg.size())].rst = true;
	}

	Cycle &next()
	{
		if (pos >= seg.size())
			refill();
		return seg[pos++];
	}
};

std::string hex(uint64_t v, unsigned w)
{
	char b[32];
	snprintf(b, sizeof b, "%0*" PRIx64, (int)((w + 3) / 4), v);
	return b;
}

void usage(const char *a0)
{
	fprintf(stderr,
		"usage: %s [--wbits B] [--fp16 0|1] [--lanes L] [--group G] [--bugs MASK]\n"
		"          [--cycles N] [--seed S] [--expect-mismatch] [--show N] [--dump FILE]\n"
		"  (--wbits/--fp16/--lanes/--group must equal the RTL's -G parameters)\n",
		a0);
	exit(2);
}

} // namespace

int main(int argc, char **argv)
{
	Opts o;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		auto val = [&]() -> uint64_t {
			if (i + 1 >= argc)
				usage(argv[0]);
			return strtoull(argv[++i], nullptr, 0);
		};
		if (a == "--wbits") o.wbits = (unsigned)val();
		else if (a == "--fp16") o.fp16 = (unsigned)val();
		else if (a == "--lanes") o.lanes = (unsigned)val();
		else if (a == "--group") o.group = (unsigned)val();
		else if (a == "--bugs") o.bugs = (uint32_t)val();
		else if (a == "--cycles") o.cycles = val();
		else if (a == "--seed") o.seed = val();
		else if (a == "--show") o.show = (unsigned)val();
		else if (a == "--expect-mismatch") o.expect_mismatch = true;
		else if (a == "--dump" && i + 1 < argc) o.dump = argv[++i];
		else usage(argv[0]);
	}

	const pe_bt_ops &gold = GOLDEN;
	const rtl_model_ops &rtl = RTL_OPS;

	// one port table: the RTL's must be the golden model's, name and width
	if (gold.n_in != rtl.n_in || gold.n_out != rtl.n_out) {
		fprintf(stderr, "port count: C %zu+%zu, RTL %zu+%zu\n", gold.n_in,
			gold.n_out, rtl.n_in, rtl.n_out);
		return 1;
	}
	for (size_t i = 0; i < gold.n_in + gold.n_out; i++)
		if (strcmp(gold.ports[i].name, rtl.ports[i].name) ||
		    gold.ports[i].width != rtl.ports[i].width) {
			fprintf(stderr, "port %zu: C %s[%u], RTL %s[%u]\n", i,
				gold.ports[i].name, gold.ports[i].width,
				rtl.ports[i].name, rtl.ports[i].width);
			return 1;
		}
	if (strcmp(gold.rtl_top, rtl.top)) {
		fprintf(stderr, "top: C says %s, RTL is %s\n", gold.rtl_top, rtl.top);
		return 1;
	}

	Rng rng(o.seed);
	Stim st(o, rng);
	ps_err err;
	std::vector<unsigned char> state(gold.state_size);
	if (gold.init(state.data(), &st.p, &err) != PS_OK) {
		fprintf(stderr, "%s init: %s\n", gold.name, err.msg);
		return 2;
	}
#if TB_ARRAY
	{
		pe_mixpe_pe *pes = pe_mixpe_array_pes(state.data());
		for (unsigned i = 0; i < PE_MIXPE_ARRAY_DIM * PE_MIXPE_ARRAY_DIM; i++)
			pes[i].cfg.bugs = o.bugs;
	}
#else
	reinterpret_cast<pe_mixpe_pe *>(state.data())->cfg.bugs = o.bugs;
#endif
	FILE *dump = o.dump ? fopen(o.dump, "w") : nullptr;
	if (o.dump && !dump) {
		perror(o.dump);
		return 2;
	}
	rtl_model *dut = rtl.create();
	if (!dut) {
		fprintf(stderr, "out of memory\n");
		return 2;
	}

	const size_t n_in = gold.n_in, n_out = gold.n_out;
	constexpr size_t HIST = 4;
	std::vector<Cycle> hist(HIST);
	Word exp{}, got{};
	uint64_t bad_cycles = 0, bad_ports = 0, resets = 0, events = 0;
	uint64_t ev[2][3] = {};		// [gemm segment?][finite, inf, NaN]
	uint64_t first_bad = 0;
#if !TB_ARRAY
	bool prev_done = false;
#endif

	for (uint64_t cyc = 0; cyc < o.cycles; cyc++) {
		Cycle c = st.next();
#if !TB_ARRAY
		if (c.sh_from_done) {	// a 1x1 array: the column's bottom PE is this one
			c.in[8] = prev_done;
			c.in[9] = c.in[10] = c.in[11] = 0;
		}
#endif
		for (size_t i = 0; i < n_in; i++)
			c.in[i] &= mask(gold.ports[i].width);
		hist[cyc % HIST] = c;
		if (c.rst) {
			gold.reset(state.data());
			exp.fill(0);	// the reset state: every output register 0
			RTL_SET_RST(dut, 1);
			rtl_model_cycle(&rtl, dut, c.in.data(), got.data());
			RTL_SET_RST(dut, 0);
			resets++;
		} else {
			gold.step(state.data(), c.in.data(), exp.data());
			rtl_model_cycle(&rtl, dut, c.in.data(), got.data());
		}

		if (dump) {	// rst, inputs, the C model's outputs: tb_*_vec.v
			fprintf(dump, "%x", c.rst ? 1 : 0);
			for (size_t i = 0; i < n_in; i++)
				fprintf(dump, " %" PRIx64, c.in[i]);
			for (size_t j = 0; j < n_out; j++)
				fprintf(dump, " %" PRIx64, exp[j]);
			fprintf(dump, "\n");
		}

		bool bad = false;
		for (size_t j = 0; j < n_out; j++) {
			if (exp[j] == got[j])
				continue;
			if (!bad_ports)
				first_bad = cyc;
			if (bad_ports < o.show) {
				const pe_port &pt = gold.ports[n_in + j];
				printf("MISMATCH cycle %" PRIu64 " (%s%s) %s: C %s, RTL %s\n", cyc,
				       c.kind, c.rst ? ", reset" : "", pt.name,
				       hex(exp[j], pt.width).c_str(), hex(got[j], pt.width).c_str());
				if (!bad_ports)	// the inputs that led here
					for (uint64_t h = cyc >= HIST - 1 ? cyc - (HIST - 1) : 0; h <= cyc; h++) {
						printf("  inputs at cycle %" PRIu64 ":", h);
						for (size_t i = 0; i < n_in; i++)
							printf(" %s=%s", gold.ports[i].name,
							       hex(hist[h % HIST].in[i], gold.ports[i].width).c_str());
						printf("\n");
					}
			}
			bad_ports++;
			bad = true;
		}
		bad_cycles += bad;

		// what the outputs carried: results and their class
#if TB_ARRAY
		for (unsigned col = 0; col < 4; col++) {
			if (!((exp[0] >> col) & 1))
				continue;
			uint16_t v = (uint16_t)(exp[1] >> (16 * col));
#else
		prev_done = exp[8] & 1;
		if (exp[8]) {
			uint16_t v = (uint16_t)exp[11];
#endif
			events++;
			ev[!strcmp(c.kind, "gemm")][(v & 0x7c00) != 0x7c00 ? 0 : (v & 0x3ff) ? 2 : 1]++;
		}
	}
	rtl.destroy(dut);
	if (dump)
		fclose(dump);

	printf("%s vs RTL %s: W%uA%s lanes %u group %u%s, seed %" PRIu64 "\n", gold.name,
	       rtl.top, o.wbits, o.fp16 ? "16 (FP16)" : "8 (INT8)", o.lanes, o.group,
	       o.bugs ? (o.bugs == PE_MIXPE_BUG_NO_ZERO ? ", C bug NO_ZERO"
			 : o.bugs == PE_MIXPE_BUG_MSB_POS ? ", C bug MSB_POS" : ", C bugs")
		      : "",
	       o.seed);
	printf("  segments: gemm %" PRIu64 ", ctl %" PRIu64 ", long %" PRIu64 ", bits %" PRIu64
	       ", resets %" PRIu64 "\n",
	       st.n_seg[0], st.n_seg[1], st.n_seg[2], st.n_seg[3], resets);
	printf("  results seen (%s): %" PRIu64 "; in gemm segments finite %" PRIu64
	       ", inf %" PRIu64 ", NaN %" PRIu64 "; elsewhere finite %" PRIu64 ", inf %" PRIu64
	       ", NaN %" PRIu64 "\n",
	       TB_ARRAY ? "out_valid" : "done", events, ev[1][0], ev[1][1], ev[1][2],
	       ev[0][0], ev[0][1], ev[0][2]);
	printf("  cycles compared %" PRIu64 ", ports per cycle %zu, mismatching cycles %" PRIu64
	       ", port mismatches %" PRIu64,
	       o.cycles, n_out, bad_cycles, bad_ports);
	if (bad_ports)
		printf(" (first at cycle %" PRIu64 ")", first_bad);
	printf("\n");
	bool ok = o.expect_mismatch ? bad_ports > 0 : bad_ports == 0;
	printf("  %s%s\n", ok ? "PASS" : "FAIL",
	       o.expect_mismatch ? " (mismatches expected)" : "");
	return ok ? 0 : 1;
}

// rtl_sc.cpp - rtl_sc.h: elaborate the mixed RTL / C MixPE array once, drive
// it with mixpe_array_stim, compare with the golden C array every edge.
#include "rtl_sc.h"

#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include <systemc>

#include "mixpe_sc.h"
#include "verilated.h"

extern "C" {
#include "pe_bt.h"
#include "stim_mixpe.h"
}

using namespace sc_core;

namespace {

// The one configuration: the --sc builds' -G values (meson.build) and
// `pesim verify --pe mixpe_array`'s params.
struct pe_params make_params()
{
	struct pe_params p;
	std::memset(&p, 0, sizeof p);
	p.lanes = 2;
	p.act_bits = p.a_bits = 8;
	p.group_size = 128;
	return p;
}
const struct pe_params sc_params = make_params();

// mixpe_pe_c's ports, in the golden model's order
const char *const pe_port_names[] = {
	"in_valid", "in_first", "in_glast", "in_last", "a_in", "w_in", "scale_in",
	"zero_in", "sh_start", "sh_valid_in", "sh_drain_in", "sh_in",
	"valid_out", "first_out", "glast_out", "last_out", "a_out", "w_out",
	"scale_out", "zero_out", "done", "res_valid", "res_drain", "res",
};
const uint8_t pe_port_widths[] = { 1, 1, 1, 1, 64, 16, 16, 8, 1, 1, 1, 16,
				   1, 1, 1, 1, 64, 16, 16, 8, 1, 1, 1, 16 };

// the array's ports (pe_mixpe_array.c): 11 in, 2 out
enum { A_VALID, A_FIRST, A_GLAST, A_LAST, A_W, A_SCALE, A_ZERO, A_A0, A_N_IN = A_A0 + 4 };
const char *const arr_port_names[] = { "in_valid", "in_first", "in_glast", "in_last",
				       "w_in", "scale_in", "zero_in", "a_in_0", "a_in_1",
				       "a_in_2", "a_in_3", "out_valid", "out_data" };

// Everything elaborated: kept for the life of the process (SystemC has
// one elaboration; the objects stay reachable through this pointer).
struct bench {
	sc_signal<bool> clk{ "clk" }, rst{ "rst" };
	sc_signal<uint32_t> in_valid{ "in_valid" }, in_first{ "in_first" },
		in_glast{ "in_glast" }, in_last{ "in_last" }, zero_in{ "zero_in" };
	sc_signal<uint64_t> w_in{ "w_in" }, scale_in{ "scale_in" };
	sc_signal<uint64_t> a_in[4];
	sc_signal<uint32_t> out_valid{ "out_valid" };
	sc_signal<uint64_t> out_data{ "out_data" };
	VerilatedContext *vctx = nullptr;	// the --sc models' context
	mixpe_array_sc *top = nullptr;
};
bench *the_bench;
bool elaborated;

bool tables_ok(const struct pe_bt_ops *pe, const struct pe_bt_ops *arr)
{
	if (pe->n_in != 12 || pe->n_out != 12 || arr->n_in != A_N_IN || arr->n_out != 2)
		return false;
	for (size_t i = 0; i < 24; i++)
		if (strcmp(pe->ports[i].name, pe_port_names[i]) ||
		    pe->ports[i].width != pe_port_widths[i])
			return false;
	for (size_t i = 0; i < 13; i++)
		if (strcmp(arr->ports[i].name, arr_port_names[i]))
			return false;
	return !strcmp(pe->rtl_top, "mixpe_pe") && !strcmp(arr->rtl_top, "mixpe_array");
}

uint64_t mask(unsigned w)
{
	return w >= 64 ? ~0ull : (1ull << w) - 1;
}

std::string pe_list(uint16_t m)
{
	std::string s;
	for (unsigned i = 0; i < RTL_SC_PES; i++)
		if (m >> i & 1)
			s += (s.empty() ? "" : ",") + std::to_string(i);
	return s.empty() ? "none" : s;
}

// one rising edge of the SystemC array: inputs, clock low, clock high
void sc_edge(bench &b, const uint64_t *in, bool rst)
{
	b.rst.write(rst);
	b.in_valid.write((uint32_t)in[A_VALID]);
	b.in_first.write((uint32_t)in[A_FIRST]);
	b.in_glast.write((uint32_t)in[A_GLAST]);
	b.in_last.write((uint32_t)in[A_LAST]);
	b.w_in.write(in[A_W]);
	b.scale_in.write(in[A_SCALE]);
	b.zero_in.write((uint32_t)in[A_ZERO]);
	for (unsigned c = 0; c < 4; c++)
		b.a_in[c].write(in[A_A0 + c]);
	b.clk.write(false);
	sc_start(5, SC_NS);
	b.clk.write(true);
	sc_start(5, SC_NS);
}

// the inputs of the last edges, oldest first
struct hist {
	static constexpr unsigned N = 4;
	uint64_t in[N][A_N_IN];
	bool rst[N];
};

} // namespace

extern "C" bool rtl_sc_elaborated(void)
{
	return elaborated;
}

extern "C" enum ps_status rtl_sc_verify(const struct rtl_sc_opts *o,
					struct rtl_sc_result *r, struct ps_err *err)
{
	const struct pe_bt_ops *pe = pe_bt_find("mixpe_pe"), *arr = pe_bt_find("mixpe_array");
	const struct rtl_stim_ops *so = &mixpe_array_stim;
	void *gs = nullptr, *ss = nullptr;
	enum ps_status st = PS_OK;
	hist h;

	std::memset(r, 0, sizeof *r);
	r->mutant_pe = -1;
	if (elaborated)
		return ps_errf(err, PS_EINPUT,
			       "SystemC array: already elaborated in this process (SystemC "
			       "allows one elaboration: run one configuration per process)");
	if (o->mutant && !o->rtl_pes)
		return ps_errf(err, PS_EINPUT, "SystemC array: a mutant needs an RTL PE");
	if (!pe || !arr || !tables_ok(pe, arr))
		return ps_errf(err, PS_EINPUT,
			       "SystemC array: the golden models' port tables are not mixpe_pe.v's / mixpe_array.v's");
	gs = std::calloc(1, arr->state_size);
	ss = std::calloc(1, so->state_size);
	if (!gs || !ss) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	if ((st = arr->init(gs, &sc_params, err)) || (st = so->init(ss, &sc_params, o->seed, err)))
		goto out;
	for (unsigned i = 0; i < RTL_SC_PES; i++)
		if (o->rtl_pes >> i & 1) {
			r->rtl_count++;
			if (o->mutant)
				r->mutant_pe = (int)i;
		}
	r->corner_edges = so->corner_edges(ss);
	if (o->log)
		std::fprintf(o->log,
			     "SystemC mixpe_array (W4A8: 4-bit weights, INT8 activations, 2 lanes, "
			     "groups of 128): RTL PEs %s%s%s, the other %u the C model; "
			     "golden model mixpe_array, seed %" PRIu64 "\n",
			     pe_list(o->rtl_pes).c_str(), r->mutant_pe >= 0 ? ", mutant (MUTANT_NO_ZERO_TERM) PE " : "",
			     r->mutant_pe >= 0 ? std::to_string(r->mutant_pe).c_str() : "",
			     RTL_SC_PES - r->rtl_count, o->seed);

	elaborated = true;
	// libsystemc prints its banner on first use unless this is set
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
	try {
		the_bench = new bench;
		bench &b = *the_bench;
		// A --sc model takes Verilated::threadContextp(), which the last
		// Verilated model made in this thread set to its own context:
		// after a `pesim verify` run (rtl_model's context, deleted with the
		// model) it would dangle. Ours lives as long as the models.
		b.vctx = new VerilatedContext;
		Verilated::threadContextp(b.vctx);
		b.top = new mixpe_array_sc("mixpe_array_sc", o->rtl_pes, r->mutant_pe, pe,
					   &sc_params);
		b.top->clk(b.clk);
		b.top->rst(b.rst);
		b.top->in_valid(b.in_valid);
		b.top->in_first(b.in_first);
		b.top->in_glast(b.in_glast);
		b.top->in_last(b.in_last);
		b.top->w_in(b.w_in);
		b.top->scale_in(b.scale_in);
		b.top->zero_in(b.zero_in);
		for (unsigned c = 0; c < 4; c++)
			b.top->a_in[c](b.a_in[c]);
		b.top->out_valid(b.out_valid);
		b.top->out_data(b.out_data);

		uint64_t total = 1 + r->corner_edges + o->random;
		for (uint64_t c = 0; c < total; c++) {
			uint64_t in[A_N_IN] = { 0 }, exp[2], got[2];
			bool rst = c == 0 ? true
				 : c <= r->corner_edges ? so->corner(ss, c - 1, in)
							: so->random(ss, in);
			for (unsigned i = 0; i < A_N_IN; i++)
				in[i] &= mask(arr->ports[i].width);
			std::memcpy(h.in[c % hist::N], in, sizeof in);
			h.rst[c % hist::N] = rst;
			sc_edge(b, in, rst);
			got[0] = b.out_valid.read();
			got[1] = b.out_data.read();
			if (rst) {
				arr->reset(gs);
				exp[0] = exp[1] = 0;
				r->resets++;
			} else {
				arr->step(gs, in, exp);
			}
			r->cycles++;
			r->values += 2;
			r->beats += in[A_VALID] != 0;
			r->results += (uint64_t)__builtin_popcountll(exp[0]);
			for (unsigned k = 0; k < 2; k++) {
				if (exp[k] == got[k])
					continue;
				r->mismatch = true;
				r->cycle = c;
				r->port = arr_port_names[A_N_IN + k];
				r->expected = exp[k];
				r->actual = got[k];
				break;
			}
			if (r->mismatch)
				break;
		}
		r->random_edges = r->cycles > 1 + r->corner_edges ? r->cycles - 1 - r->corner_edges : 0;
	} catch (const std::bad_alloc &) {
		st = ps_errf(err, PS_ENOMEM, "SystemC array: out of memory");
		goto out;
	} catch (const std::exception &e) {
		st = ps_errf(err, PS_EINPUT, "SystemC array: %s", e.what());
		goto out;
	}

	if (r->mismatch) {
		st = ps_errf(err, PS_ECHECK,
			     "SystemC array (RTL PEs %s) vs mixpe_array: mismatch at cycle %" PRIu64
			     ": %s expected 0x%" PRIx64 " actual 0x%" PRIx64,
			     pe_list(o->rtl_pes).c_str(), r->cycle, r->port, r->expected, r->actual);
		if (o->log) {
			std::fprintf(o->log, "first MISMATCH at cycle %" PRIu64 ": %s expected 0x%016" PRIx64
				     " actual 0x%016" PRIx64 "\n  inputs of the last edges, oldest first:\n",
				     r->cycle, r->port, r->expected, r->actual);
			uint64_t c0 = r->cycle >= hist::N - 1 ? r->cycle - (hist::N - 1) : 0;
			for (uint64_t c = c0; c <= r->cycle; c++) {
				std::fprintf(o->log, "    cycle %" PRIu64 ":%s", c,
					     h.rst[c % hist::N] ? " rst" : "");
				for (unsigned i = 0; i < A_N_IN; i++)
					std::fprintf(o->log, " %s=0x%" PRIx64, arr_port_names[i],
						     h.in[c % hist::N][i]);
				std::fprintf(o->log, "\n");
			}
		}
	} else if (o->log) {
		std::fprintf(o->log,
			     "  %" PRIu64 " cycles compared (1 reset + %" PRIu64 " corner + %" PRIu64
			     " random edges), %" PRIu64 " output values; %" PRIu64 " beats, %" PRIu64
			     " results, %" PRIu64 " resets\nOK: 0 mismatches\n",
			     r->cycles, r->corner_edges, r->random_edges, r->values, r->beats,
			     r->results, r->resets);
	}
out:
	if (ss && so->fini)
		so->fini(ss);
	std::free(ss);
	std::free(gs);
	return st;
}

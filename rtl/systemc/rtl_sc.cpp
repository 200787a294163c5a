// rtl_sc.cpp - the harness of every family's SystemC array (rtl_sc.h,
// rtl_sc_top.h): elaborate the top once, drive it edge by edge with the
// family's stimulus, compare every output with the golden C array after
// every edge, report; and the list of arrays.
#include "rtl_sc.h"

#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>

#include "rtl_sc_top.h"
extern "C" {
#include "rtl_family.h"
}

using namespace sc_core;

namespace {

bool elaborated;

// Everything elaborated stays alive for the life of the process (SystemC
// has one elaboration): reachable through this pointer, volatile so that
// the compiler keeps the store (nothing else reads it, and LeakSanitizer
// would report the objects).
rtl_sc::top *volatile the_top;

uint64_t mask(unsigned w)
{
	return w >= 64 ? ~0ull : (1ull << w) - 1;
}

std::string pe_list(uint64_t m)
{
	std::string s;
	for (unsigned i = 0; i < RTL_SC_MAX_PES; i++)
		if (m >> i & 1)
			s += (s.empty() ? "" : ",") + std::to_string(i);
	return s.empty() ? "none" : s;
}

// one rising edge of the SystemC array: inputs, clock low, clock high
void sc_edge(rtl_sc::top &t, const uint64_t *in, bool rst)
{
	t.rst->put(rst);
	for (size_t i = 0; i < t.in.size(); i++)
		t.in[i]->put(in[i]);
	t.clk.write(false);
	sc_start(5, SC_NS);
	t.clk.write(true);
	sc_start(5, SC_NS);
}

// the inputs of the last edges, oldest first
constexpr unsigned HIST = 4;

void report_mismatch(FILE *log, const struct pe_bt_ops *g, const struct rtl_sc_result *r,
		     const std::vector<uint64_t> &hist, const std::vector<bool> &hrst)
{
	size_t ni = g->n_in;
	std::fprintf(log, "first MISMATCH at cycle %" PRIu64 ": %s expected 0x%016" PRIx64
		     " actual 0x%016" PRIx64 "\n  inputs of the last edges, oldest first:\n",
		     r->cycle, r->port, r->expected, r->actual);
	uint64_t c0 = r->cycle >= HIST - 1 ? r->cycle - (HIST - 1) : 0;
	for (uint64_t c = c0; c <= r->cycle; c++) {
		std::fprintf(log, "    cycle %" PRIu64 ":%s", c, hrst[c % HIST] ? " rst" : "");
		for (size_t i = 0; i < ni; i++)
			std::fprintf(log, " %s=0x%" PRIx64, g->ports[i].name,
				     hist[(c % HIST) * ni + i]);
		std::fprintf(log, "\n");
	}
}

} // namespace

extern "C" bool rtl_sc_elaborated(void)
{
	return elaborated;
}

extern "C" enum ps_status rtl_sc_run(const struct rtl_sc_array *d,
				     const struct rtl_sc_opts *o, struct rtl_sc_result *r,
				     struct ps_err *err)
{
	using rtl_sc::top;
	const struct rtl_sc_impl &f = *d->impl;
	const struct pe_bt_ops *g = f.golden();
	const struct rtl_verify_pe *vp = rtl_verify_find(f.verify_pe);
	const struct rtl_stim_ops *so = f.stim ? f.stim() : vp ? vp->stim : nullptr;
	void *gs = nullptr, *ss = nullptr;
	enum ps_status st = PS_OK;

	std::memset(r, 0, sizeof *r);
	r->mutant_pe = -1;
	if (elaborated)
		return ps_errf(err, PS_EINPUT,
			       "SystemC %s: a SystemC array was already elaborated in this "
			       "process (SystemC allows one elaboration: run one configuration "
			       "per process)", d->name);
	if (d->n_pes < RTL_SC_MAX_PES && o->rtl_pes >> d->n_pes)
		return ps_errf(err, PS_EINPUT, "SystemC %s: RTL PEs %s: the array has PEs 0..%u",
			       d->name, pe_list(o->rtl_pes).c_str(), d->n_pes - 1);
	if (o->mutant && !o->rtl_pes)
		return ps_errf(err, PS_EINPUT, "SystemC %s: a mutant needs an RTL PE", d->name);
	if (!g || !vp || !so)
		return ps_errf(err, PS_EINPUT, "SystemC %s: no golden model, verify entry %s "
			       "or stimulus", d->name, f.verify_pe);
	gs = pe_bt_state_new(g);
	ss = std::calloc(1, so->state_size);
	std::vector<uint64_t> in(g->n_in), exp(g->n_out), prev(g->n_out), got(g->n_out);
	std::vector<uint64_t> hist(HIST * g->n_in);
	std::vector<bool> hrst(HIST);
	if (!gs || !ss) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	if ((st = g->init(gs, &vp->params, err)) || (st = so->init(ss, &vp->params, o->seed, err)))
		goto out;
	for (unsigned i = 0; i < d->n_pes; i++)
		if (o->rtl_pes >> i & 1) {
			r->rtl_count++;
			if (o->mutant)
				r->mutant_pe = (int)i;
		}
	r->corner_edges = so->corner_edges(ss);
	if (o->log)
		std::fprintf(o->log,
			     "SystemC %s (%s): RTL PEs %s%s%s, the other %u the golden C model "
			     "(PE i: %s); golden array %s, stimulus of %s%s%s, seed %" PRIu64 "\n",
			     d->name, d->what, pe_list(o->rtl_pes).c_str(),
			     r->mutant_pe >= 0 ? (std::string(", mutant (") + d->mutant_define +
						  ") PE ").c_str() : "",
			     r->mutant_pe >= 0 ? std::to_string(r->mutant_pe).c_str() : "",
			     d->n_pes - r->rtl_count, d->pe_what, g->name,
			     f.stim_what ? f.stim_what : "`pesim verify --pe ",
			     f.stim_what ? "" : f.verify_pe, f.stim_what ? "" : "`", o->seed);

	elaborated = true;
	// libsystemc prints its banner on first use unless this is set
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
	try {
		the_top = new top(d->name, f, &vp->params, g, o->rtl_pes, r->mutant_pe);
		top &t = *the_top;
		if (t.n_pes() != d->n_pes)
			throw std::runtime_error("the array has " + std::to_string(t.n_pes()) +
						 " PEs, its descriptor " +
						 std::to_string(d->n_pes));

		uint64_t total = 1 + r->corner_edges + o->random;
		for (uint64_t c = 0; c < total; c++) {
			std::fill(in.begin(), in.end(), 0);
			bool rst = c == 0 ? true
				 : c <= r->corner_edges ? so->corner(ss, c - 1, in.data())
							: so->random(ss, in.data());
			for (size_t i = 0; i < g->n_in; i++)
				in[i] &= mask(g->ports[i].width);
			std::copy(in.begin(), in.end(), hist.begin() + (c % HIST) * g->n_in);
			hrst[c % HIST] = rst;
			sc_edge(t, in.data(), rst);
			for (size_t k = 0; k < g->n_out; k++)
				got[k] = t.out[k]->get();
			if (rst) {
				g->reset(gs);
				std::fill(exp.begin(), exp.end(), 0);
				r->resets++;
			} else {
				g->step(gs, in.data(), exp.data());
			}
			r->cycles++;
			r->values += g->n_out;
			r->changes += c && exp != prev;
			prev = exp;
			for (size_t k = 0; k < g->n_out; k++) {
				if (exp[k] == got[k])
					continue;
				r->mismatch = true;
				r->cycle = c;
				r->port = g->ports[g->n_in + k].name;
				r->expected = exp[k];
				r->actual = got[k];
				break;
			}
			if (r->mismatch)
				break;
		}
		r->random_edges = r->cycles > 1 + r->corner_edges ? r->cycles - 1 - r->corner_edges : 0;
	} catch (const std::bad_alloc &) {
		st = ps_errf(err, PS_ENOMEM, "SystemC %s: out of memory", d->name);
		goto out;
	} catch (const std::exception &e) {
		st = ps_errf(err, PS_EINPUT, "SystemC %s: %s", d->name, e.what());
		goto out;
	}

	if (r->mismatch) {
		st = ps_errf(err, PS_ECHECK,
			     "SystemC %s (RTL PEs %s) vs %s: mismatch at cycle %" PRIu64
			     ": %s expected 0x%" PRIx64 " actual 0x%" PRIx64,
			     d->name, pe_list(o->rtl_pes).c_str(), g->name, r->cycle, r->port,
			     r->expected, r->actual);
		if (o->log)
			report_mismatch(o->log, g, r, hist, hrst);
	} else if (o->log) {
		std::fprintf(o->log,
			     "  %" PRIu64 " cycles compared (1 reset + %" PRIu64 " corner + %" PRIu64
			     " random edges), %" PRIu64 " output values (%zu ports, every edge)\n"
			     "  %" PRIu64 " resets, %" PRIu64 " edges changed an output\n"
			     "OK: 0 mismatches\n",
			     r->cycles, r->corner_edges, r->random_edges, r->values, g->n_out,
			     r->resets, r->changes);
	}
out:
	if (ss && so->fini)
		so->fini(ss);
	std::free(ss);
	std::free(gs);
	return st;
}

/* Every family's arrays, through its descriptor (rtl_family.systemc). */
extern "C" void rtl_sc_each(void (*fn)(const struct rtl_sc_array *a, void *ctx),
			    void *ctx)
{
	for (const struct rtl_family_entry *f = rtl_families; f->name; f++)
		for (const struct rtl_sc_array *const *a = f->rtl->systemc; a && *a; a++)
			fn(*a, ctx);
}

struct sc_find {
	const char *name;
	const struct rtl_sc_array *by_name, *by_family;
};

static void find_one(const struct rtl_sc_array *a, void *ctx)
{
	struct sc_find *f = static_cast<struct sc_find *>(ctx);
	if (!f->by_name && !std::strcmp(a->name, f->name))
		f->by_name = a;
	if (!f->by_family && !std::strcmp(a->family, f->name))
		f->by_family = a;
}

extern "C" const struct rtl_sc_array *rtl_sc_find(const char *name)
{
	struct sc_find f = { name, nullptr, nullptr };
	if (!name)
		return nullptr;
	rtl_sc_each(find_one, &f);
	return f.by_name ? f.by_name : f.by_family;
}

// rtl_sc_top.cpp - rtl_sc_top.h: the typed wires, a PE as an sc_module
// (its golden C model or its Verilated RTL), and the top that instantiates
// each PE as RTL or C and binds its ports.
#include "rtl_sc_top.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

using namespace sc_core;

namespace rtl_sc {

namespace {

uint64_t width_mask(unsigned w)
{
	return w >= 64 ? ~0ull : (1ull << w) - 1;
}

template <class T> class wire_t : public wire {
public:
	wire_t(const std::string &name, unsigned width)
		: wire(width), s_(name.c_str()), mask_(width_mask(width))
	{
	}
	uint64_t get() const override { return (uint64_t)s_.read(); }
	void put(uint64_t v) override { s_.write((T)(v & mask_)); }
	const sc_event &event() const override { return s_.value_changed_event(); }
	bool bind(sc_object &p) override
	{
		if (auto *i = dynamic_cast<sc_in<T> *>(&p)) {
			i->bind(s_);
			return true;
		}
		if (auto *o = dynamic_cast<sc_inout<T> *>(&p)) {	// sc_out<T>
			o->bind(s_);
			return true;
		}
		return false;
	}

private:
	sc_signal<T> s_;
	uint64_t mask_;
};

// A port of a PE module, typed by its width, with a uint64_t face.
struct port_io {
	virtual ~port_io() {}
	virtual uint64_t read() const = 0;
	virtual void write(uint64_t v) = 0;
	virtual sc_object &port() = 0;
};
template <class T> struct in_io : port_io {
	sc_in<T> p;
	explicit in_io(const char *n) : p(n) {}
	uint64_t read() const override { return (uint64_t)p.read(); }
	void write(uint64_t) override {}
	sc_object &port() override { return p; }
};
template <class T> struct out_io : port_io {
	sc_out<T> p;
	explicit out_io(const char *n) : p(n) {}
	uint64_t read() const override { return 0; }
	void write(uint64_t v) override { p.write((T)v); }
	sc_object &port() override { return p; }
};

template <template <class> class P> port_io *make_io(const char *name, unsigned width)
{
	if (width == 1)
		return new P<bool>(name);
	if (width <= 32)
		return new P<uint32_t>(name);
	return new P<uint64_t>(name);
}

// One PE as an sc_module with the golden model's ports (pe_bt_ops: names,
// order, widths): on every rising edge it reads the inputs (their values
// before the edge), takes the edge (edge(): the golden C model's step or
// the Verilated RTL's clock) and writes the outputs, which change after
// the edge as registers do. So it stands for PEs whose outputs are
// registered (every PE used here; pe_bt.h allows combinational ones).
class pe_module : public sc_module {
public:
	sc_in<bool> clk;
	sc_in<bool> rst;

	SC_HAS_PROCESS(pe_module);
	pe_module(sc_module_name name, const struct pe_bt_ops *ops, bool has_rst)
		: sc_module(name), clk("clk"), rst("rst"), ops_(ops), has_rst_(has_rst),
		  in_(ops->n_in), out_(ops->n_out)
	{
		for (size_t i = 0; i < ops->n_in + ops->n_out; i++)
			ports_.emplace_back(i < ops->n_in
				? make_io<in_io>(ops->ports[i].name, ops->ports[i].width)
				: make_io<out_io>(ops->ports[i].name, ops->ports[i].width));
		SC_METHOD(tick);
		sensitive << clk.pos();
		dont_initialize();
	}

	// port i of the golden table to w (of its width's type), clk and rst
	// to the top's
	void bind(sc_signal<bool> &c, wire &r, const std::vector<wire *> &w)
	{
		clk.bind(c);
		if (!r.bind(rst))
			throw std::runtime_error(std::string(basename()) + ": rst is not 1 bit");
		for (size_t i = 0; i < ports_.size(); i++)
			if (!w[i]->bind(ports_[i]->port()))
				throw std::runtime_error(std::string(basename()) + ": port " +
							 ops_->ports[i].name + " is not " +
							 std::to_string(ops_->ports[i].width) +
							 " bits wide as the wire");
	}

protected:
	const struct pe_bt_ops *ops_;
	// one edge: in[n_in] sampled, out[n_out] after it; rst: the PE's rst
	// is high (only with has_rst)
	virtual void edge(bool rst, const uint64_t *in, uint64_t *out) = 0;

private:
	bool has_rst_;
	std::vector<uint64_t> in_, out_;
	std::vector<std::unique_ptr<port_io>> ports_;

	void tick()
	{
		for (size_t i = 0; i < in_.size(); i++)
			in_[i] = ports_[i]->read();
		edge(has_rst_ && rst.read(), in_.data(), out_.data());
		for (size_t i = 0; i < out_.size(); i++)
			ports_[in_.size() + i]->write(out_[i]);
	}
};

// The golden C model: step, or with rst reset (every output 0, as the
// RTL's registers).
class c_pe : public pe_module {
public:
	c_pe(sc_module_name name, const struct pe_bt_ops *ops, const struct pe_params *p,
	     bool has_rst)
		: pe_module(name, ops, has_rst), state_(pe_bt_state_new(ops), std::free)
	{
		struct ps_err err;
		if (!state_)
			throw std::bad_alloc();
		if (ops->init(state_.get(), p, &err))
			throw std::runtime_error(std::string(ops->name) + ": " + err.msg);
	}

private:
	std::unique_ptr<void, void (*)(void *)> state_;

	void edge(bool rst, const uint64_t *in, uint64_t *out) override
	{
		if (rst) {
			ops_->reset(state_.get());
			std::fill(out, out + ops_->n_out, 0);
		} else {
			ops_->step(state_.get(), in, out);
		}
	}
};

// The Verilated RTL (rtl_model.h): the build `pesim verify --pe` checks,
// one clock per edge with the RTL's rst driven (set_reset) when it has
// one. Its shim takes the golden model's port table, so the ports are the
// same by construction; checked anyway.
class rtl_pe : public pe_module {
public:
	rtl_pe(sc_module_name name, const struct rtl_model_ops *r,
	       const struct pe_bt_ops *ops, bool has_rst)
		: pe_module(name, ops, has_rst), r_(r)
	{
		bool same = r->n_in == ops->n_in && r->n_out == ops->n_out;
		for (size_t i = 0; same && i < ops->n_in + ops->n_out; i++)
			same = !std::strcmp(r->ports[i].name, ops->ports[i].name) &&
			       r->ports[i].width == ops->ports[i].width;
		if (!same)
			throw std::runtime_error(std::string(r->name) + ": ports differ from " +
						 ops->name + "'s");
		if (has_rst && !r->set_reset)
			throw std::runtime_error(std::string(r->name) + " has no reset port");
		m_ = r->create();
		if (!m_)
			throw std::bad_alloc();
	}
	~rtl_pe() override { r_->destroy(m_); }

private:
	const struct rtl_model_ops *r_;
	struct rtl_model *m_;

	void edge(bool rst, const uint64_t *in, uint64_t *out) override
	{
		if (r_->set_reset)
			r_->set_reset(m_, rst);
		rtl_model_cycle(r_, m_, in, out);
	}
};

} // namespace

std::unique_ptr<wire> wire::make(const std::string &name, unsigned width)
{
	if (width == 1)
		return std::unique_ptr<wire>(new wire_t<bool>(name, width));
	if (width <= 32)
		return std::unique_ptr<wire>(new wire_t<uint32_t>(name, width));
	return std::unique_ptr<wire>(new wire_t<uint64_t>(name, width));
}

top::top(sc_module_name name, const struct rtl_sc_impl &f, const struct pe_params *p,
	 const struct pe_bt_ops *golden, uint64_t rtl_mask, int mutant_pe)
	: sc_module(name), clk("clk"), params(p), golden_(golden), rtl_mask_(rtl_mask),
	  mutant_pe_(mutant_pe)
{
	rst = make("rst", 1);
	for (size_t i = 0; i < golden->n_in + golden->n_out; i++)
		(i < golden->n_in ? in : out)
			.push_back(make(std::string("port_") + golden->ports[i].name,
					golden->ports[i].width));
	f.build(*this);
}

top::~top()
{
	for (sc_module *m : mods_)
		delete m;
}

wire *top::make(const std::string &name, unsigned width)
{
	wires_.push_back(wire::make(name, width));
	return wires_.back().get();
}

std::vector<wire *> top::pe_wires(unsigned i, const pe_kind &k)
{
	const struct pe_bt_ops *ops = pe_bt_find(k.golden);
	std::vector<wire *> w(ops->n_in + ops->n_out, nullptr);
	for (size_t j = ops->n_in; j < w.size(); j++)
		w[j] = make("pe" + std::to_string(i) + "_" + ops->ports[j].name,
			    ops->ports[j].width);
	return w;
}

std::vector<std::vector<wire *>> top::array_wires(unsigned n, const pe_kind &k)
{
	std::vector<std::vector<wire *>> w;
	for (unsigned i = 0; i < n; i++)
		w.push_back(pe_wires(i, k));
	return w;
}

void top::pes(const pe_kind &k, const std::vector<std::vector<wire *>> &w)
{
	for (unsigned i = 0; i < w.size(); i++)
		pe(i, k, w[i]);
}

void top::own(sc_module *m)
{
	mods_.push_back(m);
}

unsigned top::port(const struct pe_bt_ops *ops, const char *name)
{
	for (size_t i = 0; i < ops->n_in + ops->n_out; i++)
		if (!std::strcmp(ops->ports[i].name, name))
			return (unsigned)i;
	throw std::runtime_error(std::string(ops->name) + " has no port " + name);
}

wire *top::in_port(const char *name)
{
	unsigned i = port(golden_, name);
	if (i >= golden_->n_in)
		throw std::runtime_error(std::string(golden_->name) + ": " + name + " is an output");
	return in[i];
}

wire *top::out_port(const char *name)
{
	unsigned i = port(golden_, name);
	if (i < golden_->n_in)
		throw std::runtime_error(std::string(golden_->name) + ": " + name + " is an input");
	return out[i - golden_->n_in];
}

void top::pe(unsigned i, const pe_kind &k, const std::vector<wire *> &w)
{
	const struct pe_bt_ops *ops = pe_bt_find(k.golden);
	std::string n = "pe" + std::to_string(i);
	pe_module *m;

	if (!ops || w.size() != ops->n_in + ops->n_out ||
	    std::count(w.begin(), w.end(), nullptr))
		throw std::runtime_error(n + ": no golden model " + k.golden +
					 " or not one wire per port");
	if (rtl_mask_ >> i & 1)
		m = new rtl_pe(n.c_str(), (int)i == mutant_pe_ ? k.mutant : k.rtl, ops,
			       k.has_rst);
	else
		m = new c_pe(n.c_str(), ops, params, k.has_rst);
	mods_.push_back(m);
	n_pes_++;
	m->bind(clk, *rst, w);
}

} // namespace rtl_sc

// rtl_sc_top.cpp - rtl_sc_top.h: the typed wires, the golden C PE as an
// sc_module, and the top that instantiates each PE as RTL or C and binds
// its ports by name.
#include "rtl_sc_top.h"

#include <algorithm>
#include <cstring>
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

// A port of the C PE module, typed as the RTL's, with a uint64_t face.
struct port_io {
	virtual ~port_io() {}
	virtual uint64_t read() const = 0;
	virtual void write(uint64_t v) = 0;
};
template <class T> struct in_io : port_io {
	sc_in<T> p;
	explicit in_io(const char *n) : p(n) {}
	uint64_t read() const override { return (uint64_t)p.read(); }
	void write(uint64_t) override {}
};
template <class T> struct out_io : port_io {
	sc_out<T> p;
	explicit out_io(const char *n) : p(n) {}
	uint64_t read() const override { return 0; }
	void write(uint64_t v) override { p.write((T)v); }
};

template <template <class> class P> port_io *make_io(const char *name, unsigned width)
{
	if (width == 1)
		return new P<bool>(name);
	if (width <= 32)
		return new P<uint32_t>(name);
	return new P<uint64_t>(name);
}

// The golden C model of one PE (pe_bt_ops) as an sc_module with the RTL's
// ports: on every rising edge it reads the inputs (their values before the
// edge), calls step (or, with has_rst and rst high, reset: every output
// 0, as the RTL's registers) and writes the outputs, which change after
// the edge as registers do. So it stands for PEs whose outputs are
// registered (every PE used here; pe_bt.h allows combinational ones).
class c_pe : public sc_module {
public:
	sc_in<bool> clk;
	sc_in<bool> rst;

	SC_HAS_PROCESS(c_pe);
	c_pe(sc_module_name name, const struct pe_bt_ops *ops, const struct pe_params *p,
	     bool has_rst)
		: sc_module(name), clk("clk"), rst("rst"), ops_(ops), has_rst_(has_rst),
		  state_(ops->state_size), in_(ops->n_in), out_(ops->n_out)
	{
		struct ps_err err;
		if (ops_->init(state_.data(), p, &err))
			throw std::runtime_error(std::string(ops->name) + ": " + err.msg);
		for (size_t i = 0; i < ops->n_in + ops->n_out; i++)
			ports_.emplace_back(i < ops->n_in
				? make_io<in_io>(ops->ports[i].name, ops->ports[i].width)
				: make_io<out_io>(ops->ports[i].name, ops->ports[i].width));
		SC_METHOD(tick);
		sensitive << clk.pos();
		dont_initialize();
	}

private:
	const struct pe_bt_ops *ops_;
	bool has_rst_;
	std::vector<unsigned char> state_;
	std::vector<uint64_t> in_, out_;
	std::vector<std::unique_ptr<port_io>> ports_;

	void tick()
	{
		size_t ni = ops_->n_in;
		if (has_rst_ && rst.read()) {
			ops_->reset(state_.data());
			std::fill(out_.begin(), out_.end(), 0);
		} else {
			for (size_t i = 0; i < ni; i++)
				in_[i] = ports_[i]->read();
			ops_->step(state_.data(), in_.data(), out_.data());
		}
		for (size_t i = 0; i < out_.size(); i++)
			ports_[ni + i]->write(out_[i]);
	}
};

template <class T> bool is_port_of(sc_object &p)
{
	return dynamic_cast<sc_in<T> *>(&p) || dynamic_cast<sc_inout<T> *>(&p);
}

// the width class of a port's type (1, 32, 64; 0: another type)
unsigned type_width(sc_object &p)
{
	return is_port_of<bool>(p) ? 1 : is_port_of<uint32_t>(p) ? 32
		: is_port_of<uint64_t>(p) ? 64 : 0;
}

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
	sc_module *m;

	if (!ops || w.size() != ops->n_in + ops->n_out ||
	    std::count(w.begin(), w.end(), nullptr))
		throw std::runtime_error(n + ": no golden model " + k.golden +
					 " or not one wire per port");
	if (rtl_mask_ >> i & 1)
		m = ((int)i == mutant_pe_ ? k.mutant : k.rtl)(n.c_str());
	else
		m = new c_pe(n.c_str(), ops, params, k.has_rst);
	mods_.push_back(m);
	n_pes_++;
	bind_pe(*m, ops, w);
}

// Every port of m by name: the golden table's to w (the RTL's port must
// exist and be of its width's type), clk/CLK and rst to the top's, any
// other RTL port tied off (an input reads 0, an output goes nowhere), as
// the Verilog arrays leave them unconnected.
void top::bind_pe(sc_module &m, const struct pe_bt_ops *ops, const std::vector<wire *> &w)
{
	size_t np = ops->n_in + ops->n_out;
	std::vector<bool> bound(np, false);
	std::string mn = m.basename();

	for (sc_object *o : m.get_child_objects()) {
		if (!dynamic_cast<sc_port_base *>(o))
			continue;
		std::string n = o->basename();
		if (n == "clk" || n == "CLK") {
			auto *c = dynamic_cast<sc_in<bool> *>(o);
			if (!c)
				throw std::runtime_error(mn + ": " + n + " is not a 1-bit input");
			c->bind(clk);
			continue;
		}
		if (n == "rst") {
			if (!rst->bind(*o))
				throw std::runtime_error(mn + ": rst is not a 1-bit input");
			continue;
		}
		size_t i = 0;
		while (i < np && n != ops->ports[i].name)
			i++;
		if (i == np) {
			unsigned wd = type_width(*o);
			if (!wd || !make(mn + "_" + n + "_nc", wd)->bind(*o))
				throw std::runtime_error(mn + ": port " + n + " of a type "
							 "Verilator does not give 1..64 bits");
			continue;
		}
		if (!w[i]->bind(*o))
			throw std::runtime_error(mn + ": port " + n + " is not " +
						 std::to_string(ops->ports[i].width) +
						 " bits wide as " + ops->name + "'s");
		bound[i] = true;
	}
	for (size_t i = 0; i < np; i++)
		if (!bound[i])
			throw std::runtime_error(mn + " has no port " + ops->ports[i].name + " of " +
						 ops->name);
}

} // namespace rtl_sc

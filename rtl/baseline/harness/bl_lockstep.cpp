// bl_lockstep.cpp - lockstep check of the baseline PEs' RTL (rtl/baseline/,
// Verilated, behind the C shims of rtl/shim/rtl_model.h) against their
// golden C models (pe_models/baseline/*_bt.c, struct pe_bt_ops): the same
// stimulus into both, every output port compared after every rising edge.
//
// Usage: bl_lockstep --pe fp16_mac|int8_mac [--mutant] [--cycles N]
//                    [--seed S] [--dump FILE]
// --mutant runs the RTL built with the module's MUTANT_* define and then
// requires at least one mismatch (it proves the check can fail); without
// it, none is allowed. Exit 0 when the outcome is the expected one.
//
// Stimulus: one reset edge; directed corners (corner_inputs); N random
// edges (default 10^6): dots of random length, FP16 regime and bubble
// rate with garbage on the ignored inputs, stretches of fully random
// valid/last/data, rare resets (RTL rst for one edge, the C model's
// reset(); every output must read 0 after it), for INT8 one dot of 2^17
// products -128 x -128 that wraps to INT32_MIN. --dump writes one line
// per edge, hex: rst in_valid in_last a w and the model's out_valid
// out_acc, which tb_icarus.v replays on the same RTL under Icarus.
//
// The port tables of the C model and of the shim must be equal (names,
// widths, order): one input vector drives both. The loop is boring on
// purpose (STYLE.md): set inputs, one edge on each side, compare. The
// first mismatch prints cycle, port, expected, actual and the inputs of
// the cycles before (a window to open a waveform at).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" {
#include "pe_baseline.h"
#include "pe_fp16.h"
}
#include "rtl_model.h"

// The baseline PEs' shims (harness/rtl_pe_*.cpp); redeclaring what
// rtl_model.h may declare as well is harmless.
extern "C" {
RTL_MODEL_DECLARE(pe_fp16_mac)
RTL_MODEL_DECLARE(pe_fp16_mac_mutant)	/* MUTANT_FP16_FTZ */
RTL_MODEL_DECLARE(pe_int8_mac)
RTL_MODEL_DECLARE(pe_int8_mac_mutant)	/* MUTANT_INT8_ACC16 */
void rtl_pe_fp16_mac_set_rst(struct rtl_model *m, int rst);
void rtl_pe_fp16_mac_mutant_set_rst(struct rtl_model *m, int rst);
void rtl_pe_int8_mac_set_rst(struct rtl_model *m, int rst);
void rtl_pe_int8_mac_mutant_set_rst(struct rtl_model *m, int rst);
}

namespace {

// The baseline protocol (pe_models/baseline/README.md), in port order.
enum { IN_VALID, IN_LAST, IN_A, IN_W, OUT_VALID, OUT_ACC, N_PORTS };
const char *const port_names[N_PORTS] = { "in_valid", "in_last", "a", "w",
					  "out_valid", "out_acc" };

uint64_t rnd(uint64_t *s)	// splitmix64
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

// FP16 specials: zeros, subnormal ends, normal ends, one and neighbours,
// 65504, infinities, quiet/signalling/negative NaN.
const uint16_t f16_special[] = {
	0x0000, 0x8000, 0x0001, 0x8001, 0x0200, 0x03ff, 0x83ff, 0x0400,
	0x8400, 0x1400, 0x3c00, 0xbc00, 0x3c01, 0x3bff, 0x5bff, 0x5c00,
	0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe00, 0xc500,
};
const unsigned n_special = sizeof f16_special / sizeof f16_special[0];

// An FP16 operand: regime 0 body (2^-6..2^7), 1 tiny (2^-24..2^-6:
// subnormal products), 2 huge (2^5..65504: products near overflow),
// 3 subnormal, 4 raw bits, 5 mixed with 1/8 specials, 6 special.
uint16_t rand_f16(uint64_t *s, int regime)
{
	uint64_t r = rnd(s);
	uint16_t sign = (uint16_t)(r & 0x8000);
	uint16_t man = (uint16_t)((r >> 16) & 0x3ff);
	static const unsigned lo[] = { 9, 0, 20, 0 }, span[] = { 13, 10, 11, 1 };

	if (regime == 5)
		regime = (r >> 32) % 8 ? (int)((r >> 40) % 5) : 6;
	if (regime == 6)
		return f16_special[(r >> 48) % n_special];
	if (regime == 4)
		return (uint16_t)(r >> 24);
	return (uint16_t)(sign | ((lo[regime] + (r >> 32) % span[regime]) << 10) |
			  man);
}

uint8_t rand_i8(uint64_t *s)
{
	uint64_t x = rnd(s);
	if ((x >> 16) % 6 == 0)
		return 0x80;			// -128
	if ((x >> 20) % 8 == 0)
		return (x >> 24) & 1 ? 0x7f : 0x81;	// 127, -127
	return (uint8_t)x;
}

enum f16_class { C_PZERO, C_NZERO, C_SUB, C_NORM, C_INF, C_NAN, N_CLASS };
const char *const class_names[N_CLASS] = { "+0", "-0", "subnormal", "normal",
					   "inf", "NaN" };

int f16_class(uint16_t h)
{
	unsigned e = (h >> 10) & 0x1f, m = h & 0x3ff;
	if (e == 0x1f)
		return m ? C_NAN : C_INF;
	if (e == 0)
		return m ? C_SUB : (h & 0x8000 ? C_NZERO : C_PZERO);
	return C_NORM;
}

// The stimulus: dots of random length and regime, bubbles at a per-dot
// rate with garbage on every other input, stretches of fully random
// valid/last/data, rare resets; for INT8 one dot of 2^17 products of
// -128 x -128, which wraps the accumulator to 2^31 - 2^32 = INT32_MIN.
struct stim {
	uint64_t s;
	bool fp16;
	unsigned a_mask, w_mask;
	// current dot
	uint64_t left;		// beats left in the dot
	int regime;
	unsigned bubble_pct;
	uint64_t chaos;		// cycles left of fully random inputs
	bool long_dot;		// the INT8 wrap dot is running
	bool long_done;
};

void new_dot(stim *st)
{
	uint64_t r = rnd(&st->s);
	if (!st->fp16 && !st->long_done && (r % 997) == 0) {
		st->long_dot = true;
		st->long_done = true;
		st->left = 1ull << 17;
		st->bubble_pct = 0;
		return;
	}
	st->long_dot = false;
	if (r % 20 == 0) {
		st->chaos = 1 + (r >> 8) % 64;
		st->left = 0;
		return;
	}
	st->left = (r >> 8) % 40 == 0 ? 13 + (r >> 16) % 200 : 1 + (r >> 16) % 12;
	// of 16 dots: 6 body, 3 tiny, 1 huge, 2 subnormal, 1 raw, 3 mixed
	st->regime = "0000001112334555"[(r >> 24) % 16] - '0';
	static const unsigned pct[] = { 0, 0, 10, 50 };
	st->bubble_pct = pct[(r >> 32) % 4];
}

// Directed corners, two beats per dot, before the random stream. FP16:
// every special as accumulator (c x 1.0, exact), then every special pair
// as a x w (24^3 dots). INT8: -128 x -128, then every (a, w) pair (2^16
// dots). Returns the number of edges.
uint64_t corner_cycles(const stim *st)
{
	return st->fp16 ? 2ull * n_special * n_special * n_special : 2ull << 16;
}

void corner_inputs(const stim *st, uint64_t i, uint64_t *in)
{
	uint64_t dot = i / 2;
	in[IN_VALID] = 1;
	in[IN_LAST] = i & 1;
	if (st->fp16) {
		uint64_t ia = dot % n_special, iw = dot / n_special % n_special,
			 ic = dot / n_special / n_special;
		in[IN_A] = i & 1 ? f16_special[ia] : f16_special[ic];
		in[IN_W] = i & 1 ? f16_special[iw] : 0x3c00;
	} else {
		in[IN_A] = i & 1 ? dot & 0xff : 0x80;
		in[IN_W] = i & 1 ? dot >> 8 : 0x80;
	}
}

// Inputs of one random edge; returns whether rst is asserted.
bool next_inputs(stim *st, uint64_t *in)
{
	uint64_t r = rnd(&st->s);
	// rare reset with garbage inputs, never inside the wrap dot
	if (r % 20000 == 0 && !(st->long_dot && st->left)) {
		in[IN_VALID] = (r >> 20) & 1;
		in[IN_LAST] = (r >> 21) & 1;
		in[IN_A] = (r >> 24) & st->a_mask;
		in[IN_W] = (r >> 40) & st->w_mask;
		return true;
	}
	if (!st->left && !st->chaos)
		new_dot(st);
	if (st->chaos) {
		st->chaos--;
		in[IN_VALID] = (r >> 20) & 1;
		in[IN_LAST] = (r >> 21) & 1;
		in[IN_A] = st->fp16 ? rand_f16(&st->s, 5) : rand_i8(&st->s);
		in[IN_W] = st->fp16 ? rand_f16(&st->s, 5) : rand_i8(&st->s);
		return false;
	}
	if ((r >> 24) % 100 < st->bubble_pct) {	// bubble: garbage elsewhere
		in[IN_VALID] = 0;
		in[IN_LAST] = (r >> 20) & 1;
		in[IN_A] = (r >> 32) & st->a_mask;
		in[IN_W] = (r >> 48) & st->w_mask;
		return false;
	}
	in[IN_VALID] = 1;
	in[IN_LAST] = --st->left == 0;
	if (st->long_dot) {
		in[IN_A] = 0x80;
		in[IN_W] = 0x80;
	} else if (st->fp16) {
		in[IN_A] = rand_f16(&st->s, st->regime);
		in[IN_W] = rand_f16(&st->s, st->regime);
	} else {
		in[IN_A] = rand_i8(&st->s);
		in[IN_W] = rand_i8(&st->s);
	}
	return false;
}

struct pe_pair {
	const char *name;		// the golden model's registry name
	const struct pe_bt_ops *golden;
	const struct rtl_model_ops *rtl[2];	// real, mutant
	void (*set_rst[2])(struct rtl_model *m, int rst);
};

const pe_pair pairs[] = {
	{ "fp16_mac", &pe_fp16_mac_bt,
	  { &rtl_pe_fp16_mac_ops, &rtl_pe_fp16_mac_mutant_ops },
	  { rtl_pe_fp16_mac_set_rst, rtl_pe_fp16_mac_mutant_set_rst } },
	{ "int8_mac", &pe_int8_mac_bt,
	  { &rtl_pe_int8_mac_ops, &rtl_pe_int8_mac_mutant_ops },
	  { rtl_pe_int8_mac_set_rst, rtl_pe_int8_mac_mutant_set_rst } },
};

// The two port tables must be the baseline protocol, equal entry by entry.
bool ports_agree(const struct pe_bt_ops *g, const struct rtl_model_ops *r)
{
	if (g->n_in != 4 || g->n_out != 2 || r->n_in != 4 || r->n_out != 2 ||
	    strcmp(g->rtl_top, r->top) || !r->clocked)
		return false;
	for (int p = 0; p < N_PORTS; p++)
		if (strcmp(g->ports[p].name, port_names[p]) ||
		    strcmp(r->ports[p].name, port_names[p]) ||
		    g->ports[p].width != r->ports[p].width)
			return false;
	return true;
}

}  // namespace

int main(int argc, char **argv)
{
	const pe_pair *pe = nullptr;
	uint64_t cycles = 1000000, seed = 1;
	bool mutant = false;
	const char *dump_path = nullptr;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pe") && i + 1 < argc) {
			i++;
			for (const pe_pair &q : pairs)
				if (!strcmp(argv[i], q.name))
					pe = &q;
		} else if (!strcmp(argv[i], "--cycles") && i + 1 < argc)
			cycles = strtoull(argv[++i], nullptr, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], nullptr, 0);
		else if (!strcmp(argv[i], "--mutant"))
			mutant = true;
		else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
			dump_path = argv[++i];
		else
			pe = nullptr, i = argc;
	}
	if (!pe) {
		fprintf(stderr, "usage: %s --pe fp16_mac|int8_mac [--mutant] "
			"[--cycles N] [--seed S] [--dump FILE]\n", argv[0]);
		return 2;
	}
	const struct pe_bt_ops *ops = pe->golden;
	const struct rtl_model_ops *rops = pe->rtl[mutant];
	void (*set_rst)(struct rtl_model *, int) = pe->set_rst[mutant];
	if (!ports_agree(ops, rops)) {
		fprintf(stderr, "%s: the ports of model %s and RTL %s differ\n",
			argv[0], ops->name, rops->name);
		return 2;
	}
	const unsigned a_bits = ops->ports[IN_A].width;
	const unsigned w_bits = ops->ports[IN_W].width;
	const unsigned acc_bits = ops->ports[OUT_ACC].width;

	std::vector<unsigned char> state(ops->state_size);
	if (ops->init(state.data(), nullptr, nullptr) != PS_OK) {
		fprintf(stderr, "%s: init failed\n", ops->name);
		return 2;
	}
	struct rtl_model *m = rops->create();
	if (!m) {
		fprintf(stderr, "%s: out of memory\n", rops->name);
		return 2;
	}
	FILE *dump = nullptr;
	if (dump_path && !(dump = fopen(dump_path, "w"))) {
		perror(dump_path);
		rops->destroy(m);
		return 2;
	}

	stim st = {};
	st.s = seed;
	st.fp16 = a_bits == 16;
	st.a_mask = (1u << a_bits) - 1;
	st.w_mask = (1u << w_bits) - 1;

	// inputs of the last edges, for the mismatch report
	const unsigned hist_n = 6;
	uint64_t hist[hist_n][5] = {};

	uint64_t compared = 0, mismatches = 0, bad_results = 0, resets = 0,
		 beats = 0, results = 0, cls[N_CLASS] = {},
		 prod_cls[N_CLASS] = {}, int_min = 0, m128 = 0;
	uint64_t in[4] = {}, exp[2] = { 0, 0 }, act[2] = { 0, 0 };

	// edge 0: reset; then the corners; then the random stream
	const uint64_t n_corner = corner_cycles(&st);
	cycles += 1 + n_corner;
	for (uint64_t c = 0; c < cycles; c++) {
		bool rst = c == 0;
		if (c >= 1 && c <= n_corner)
			corner_inputs(&st, c - 1, in);
		else if (c > n_corner)
			rst = next_inputs(&st, in);

		set_rst(m, rst);
		rtl_model_cycle(rops, m, in, act);
		if (rst) {
			// rst is the model's reset(): every output register 0
			ops->reset(state.data());
			exp[0] = exp[1] = 0;
			resets++;
		} else {
			ops->step(state.data(), in, exp);
			if (in[IN_VALID]) {
				beats++;
				if (st.fp16)
					prod_cls[f16_class(pe_f16_mul(
						(uint16_t)in[IN_A],
						(uint16_t)in[IN_W]))]++;
				else
					m128 += in[IN_A] == 0x80 &&
						in[IN_W] == 0x80;
			}
		}
		if (dump)
			fprintf(dump, "%d %" PRIx64 " %" PRIx64 " %" PRIx64
				" %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", rst,
				in[IN_VALID], in[IN_LAST], in[IN_A], in[IN_W],
				exp[0], exp[1]);

		for (unsigned h = hist_n - 1; h > 0; h--)
			memcpy(hist[h], hist[h - 1], sizeof hist[0]);
		hist[0][0] = rst;
		memcpy(&hist[0][1], in, sizeof in);

		compared++;
		bool bad = false;
		for (int o = 0; o < 2; o++) {
			if (exp[o] == act[o])
				continue;
			if (!mismatches)
				printf("first MISMATCH at cycle %" PRIu64
				       " (0-based rising edge): %s expected 0x%"
				       PRIx64 " got 0x%" PRIx64 "\n", c,
				       port_names[OUT_VALID + o], exp[o], act[o]);
			bad = true;
		}
		if (bad) {
			if (!mismatches) {
				printf("  inputs, newest first (rst in_valid "
				       "in_last a w):\n");
				for (unsigned h = 0; h < hist_n && h <= c; h++)
					printf("    cycle %" PRIu64 ": %" PRIu64
					       " %" PRIu64 " %" PRIu64
					       " 0x%" PRIx64 " 0x%" PRIx64 "\n",
					       c - h, hist[h][0], hist[h][1],
					       hist[h][2], hist[h][3], hist[h][4]);
			}
			mismatches++;
			bad_results += exp[0] || act[0];
		}
		if (exp[0]) {
			results++;
			if (st.fp16)
				cls[f16_class((uint16_t)exp[1])]++;
			else
				int_min += exp[1] == 0x80000000u;
		}
	}
	rops->destroy(m);
	if (dump && fclose(dump)) {
		perror(dump_path);
		return 2;
	}

	printf("%s vs %s: %" PRIu64 " cycles compared, %" PRIu64
	       " mismatches (seed %" PRIu64 "; %" PRIu64 " of them on an "
	       "out_valid pulse)\n", rops->name, ops->name, compared,
	       mismatches, seed, bad_results);
	printf("  = 1 reset + %" PRIu64 " corner + %" PRIu64 " random edges\n",
	       n_corner, cycles - 1 - n_corner);
	printf("  beats %" PRIu64 ", bubbles %" PRIu64 ", resets %" PRIu64
	       ", results %" PRIu64 " (out_acc %u bits)\n", beats,
	       compared - beats - resets, resets, results, acc_bits);
	if (st.fp16) {
		printf("  result classes:");
		for (int k = 0; k < N_CLASS; k++)
			printf(" %s %" PRIu64, class_names[k], cls[k]);
		printf("\n  product classes:");
		for (int k = 0; k < N_CLASS; k++)
			printf(" %s %" PRIu64, class_names[k], prod_cls[k]);
		printf("\n");
	} else {
		printf("  -128 x -128 beats %" PRIu64 ", results INT32_MIN %"
		       PRIu64 ", 2^17-beat wrap dot %s\n", m128, int_min,
		       st.long_done ? "started" : "not reached");
	}
	bool ok = mutant ? mismatches > 0 : mismatches == 0;
	printf("%s: %s (%s)\n", rops->name, ok ? "PASS" : "FAIL",
	       mutant ? "mutant: mismatches expected"
		      : "no mismatch expected");
	return ok ? 0 : 1;
}

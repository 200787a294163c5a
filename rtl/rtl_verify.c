/* rtl_verify.c - golden C model and Verilated RTL in lockstep (rtl_verify.h). */
#include "rtl_verify.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pe_bt.h"

const struct rtl_verify_pe rtl_verify_pes[] = {
	{ "fp16_mac", &rtl_pe_fp16_mac_ops, &rtl_pe_fp16_mac_mutant_ops,
	  "MUTANT_FP16_FTZ" },
	{ "int8_mac", &rtl_pe_int8_mac_ops, &rtl_pe_int8_mac_mutant_ops,
	  "MUTANT_INT8_ACC16" },
	{ NULL, NULL, NULL, NULL },
};

const struct rtl_verify_pe *rtl_verify_find(const char *name)
{
	for (const struct rtl_verify_pe *p = rtl_verify_pes; name && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* The baseline protocol (pe_models/baseline/README.md), in port order. */
enum { IN_VALID, IN_LAST, IN_A, IN_W, N_IN, OUT_VALID = N_IN, OUT_ACC, N_PORTS };
#define N_OUT (N_PORTS - N_IN)
static const char *const port_names[N_PORTS] = { "in_valid", "in_last", "a",
						 "w", "out_valid", "out_acc" };

static uint64_t rnd(uint64_t *s)	/* splitmix64 */
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* FP16 specials: zeros, subnormal ends, normal ends, one and neighbours,
 * 65504, infinities, quiet/signalling/negative NaN. */
static const uint16_t f16_special[] = {
	0x0000, 0x8000, 0x0001, 0x8001, 0x0200, 0x03ff, 0x83ff, 0x0400,
	0x8400, 0x1400, 0x3c00, 0xbc00, 0x3c01, 0x3bff, 0x5bff, 0x5c00,
	0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe00, 0xc500,
};
#define N_SPECIAL (sizeof f16_special / sizeof f16_special[0])

/* An FP16 operand: regime 0 body (2^-6..2^7), 1 tiny (2^-24..2^-6:
 * subnormal products), 2 huge (2^5..65504: products near overflow),
 * 3 subnormal, 4 raw bits, 5 mixed with 1/8 specials, 6 special. */
static uint16_t rand_f16(uint64_t *s, int regime)
{
	uint64_t r = rnd(s);
	uint16_t sign = (uint16_t)(r & 0x8000);
	uint16_t man = (uint16_t)((r >> 16) & 0x3ff);
	static const unsigned lo[] = { 9, 0, 20, 0 }, span[] = { 13, 10, 11, 1 };

	if (regime == 5)
		regime = (r >> 32) % 8 ? (int)((r >> 40) % 5) : 6;
	if (regime == 6)
		return f16_special[(r >> 48) % N_SPECIAL];
	if (regime == 4)
		return (uint16_t)(r >> 24);
	return (uint16_t)(sign | ((lo[regime] + (r >> 32) % span[regime]) << 10) |
			  man);
}

static uint8_t rand_i8(uint64_t *s)
{
	uint64_t x = rnd(s);
	if ((x >> 16) % 6 == 0)
		return 0x80;				/* -128 */
	if ((x >> 20) % 8 == 0)
		return (x >> 24) & 1 ? 0x7f : 0x81;	/* 127, -127 */
	return (uint8_t)x;
}

struct stim {
	uint64_t s;
	bool fp16;
	uint64_t a_mask, w_mask;
	uint64_t left;		/* beats left in the dot */
	int regime;
	unsigned bubble_pct;
	uint64_t chaos;		/* edges left of fully random inputs */
	bool long_dot;		/* the INT8 wrap dot is running */
	bool long_done;
};

static void new_dot(struct stim *st)
{
	static const unsigned pct[] = { 0, 0, 10, 50 };
	uint64_t r = rnd(&st->s);

	if (!st->fp16 && !st->long_done && r % 997 == 0) {
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
	/* of 16 dots: 6 body, 3 tiny, 1 huge, 2 subnormal, 1 raw, 3 mixed */
	st->regime = "0000001112334555"[(r >> 24) % 16] - '0';
	st->bubble_pct = pct[(r >> 32) % 4];
}

static uint64_t corner_edges(const struct stim *st)
{
	return st->fp16 ? 2ull * N_SPECIAL * N_SPECIAL * N_SPECIAL : 2ull << 16;
}

static void corner_inputs(const struct stim *st, uint64_t i, uint64_t *in)
{
	uint64_t dot = i / 2;

	in[IN_VALID] = 1;
	in[IN_LAST] = i & 1;
	if (st->fp16) {
		uint64_t ia = dot % N_SPECIAL, iw = dot / N_SPECIAL % N_SPECIAL,
			 ic = dot / N_SPECIAL / N_SPECIAL;
		in[IN_A] = i & 1 ? f16_special[ia] : f16_special[ic];
		in[IN_W] = i & 1 ? f16_special[iw] : 0x3c00;
	} else {
		in[IN_A] = i & 1 ? dot & 0xff : 0x80;
		in[IN_W] = i & 1 ? dot >> 8 : 0x80;
	}
}

/* Inputs of one random edge; returns whether rst is asserted. */
static bool next_inputs(struct stim *st, uint64_t *in)
{
	uint64_t r = rnd(&st->s);

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
	if ((r >> 24) % 100 < st->bubble_pct) {	/* bubble: garbage elsewhere */
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

/* The two port tables must be the baseline protocol, entry by entry. */
static bool ports_agree(const struct pe_bt_ops *g, const struct rtl_model_ops *r)
{
	if (g->n_in != N_IN || g->n_out != N_OUT || r->n_in != N_IN ||
	    r->n_out != N_OUT || strcmp(g->rtl_top, r->top) || !r->clocked ||
	    !r->set_reset)
		return false;
	for (int p = 0; p < N_PORTS; p++)
		if (strcmp(g->ports[p].name, port_names[p]) ||
		    strcmp(r->ports[p].name, port_names[p]) ||
		    g->ports[p].width != r->ports[p].width)
			return false;
	return true;
}

/* One recorded edge: inputs sampled at it, outputs after it. */
struct rec {
	uint64_t cycle;
	bool rst;
	uint64_t in[N_IN], exp[N_OUT], act[N_OUT];
};

static void put_value(FILE *f, uint64_t v, unsigned width, char id)
{
	if (width == 1) {
		fprintf(f, "%c%c\n", v ? '1' : '0', id);
		return;
	}
	fputc('b', f);
	for (unsigned b = width; b-- > 0;)
		fputc(v >> b & 1 ? '1' : '0', f);
	fprintf(f, " %c\n", id);
}

/* The recorded edges as a VCD, period 10: inputs change at 10k (clock
 * low), the clock rises at 10k + 5 and the outputs after edge k change
 * then. Signals: clk, rst, cycle, the inputs, the RTL's outputs, the
 * model's (<port>_expected), mismatch. */
static enum ps_status write_vcd(const char *path, const struct rtl_model_ops *r,
				const struct pe_bt_ops *g, const struct rec *rec,
				size_t n, struct ps_err *err)
{
	/* ids: ! clk, " rst, # cycle, $ mismatch, then % + port */
	const char id0 = '%';
	FILE *f = fopen(path, "w");

	if (!f)
		return ps_errf(err, PS_EIO, "%s: cannot write the VCD", path);
	fprintf(f, "$comment pesim verify: golden model %s vs RTL %s, edges %"
		PRIu64 "..%" PRIu64 " $end\n$timescale 1ns $end\n"
		"$scope module %s $end\n", g->name, r->name, rec[0].cycle,
		rec[n - 1].cycle, r->top);
	fprintf(f, "$var wire 1 ! clk $end\n$var wire 1 \" rst $end\n"
		"$var wire 64 # cycle $end\n$var wire 1 $ mismatch $end\n");
	for (int p = 0; p < N_PORTS; p++)
		fprintf(f, "$var wire %u %c %s $end\n", r->ports[p].width,
			id0 + p, port_names[p]);
	for (int o = 0; o < N_OUT; o++)
		fprintf(f, "$var wire %u %c %s_expected $end\n",
			r->ports[N_IN + o].width, id0 + N_PORTS + o,
			port_names[N_IN + o]);
	fprintf(f, "$upscope $end\n$enddefinitions $end\n");
	for (size_t k = 0; k < n; k++) {
		const struct rec *e = &rec[k];
		bool bad = false;

		fprintf(f, "#%" PRIu64 "\n", (uint64_t)k * 10);
		if (k == 0) {
			fprintf(f, "$dumpvars\n0$\n");
			for (int o = 0; o < N_OUT; o++)
				fprintf(f, "%s%c\n%s%c\n",
					r->ports[N_IN + o].width > 1 ? "bx " : "x",
					id0 + N_IN + o,
					r->ports[N_IN + o].width > 1 ? "bx " : "x",
					id0 + N_PORTS + o);
		}
		put_value(f, 0, 1, '!');
		put_value(f, e->rst, 1, '"');
		put_value(f, e->cycle, 64, '#');
		for (int i = 0; i < N_IN; i++)
			put_value(f, e->in[i], r->ports[i].width, (char)(id0 + i));
		if (k == 0)
			fprintf(f, "$end\n");
		fprintf(f, "#%" PRIu64 "\n", (uint64_t)k * 10 + 5);
		put_value(f, 1, 1, '!');
		for (int o = 0; o < N_OUT; o++) {
			unsigned w = r->ports[N_IN + o].width;
			put_value(f, e->act[o], w, (char)(id0 + N_IN + o));
			put_value(f, e->exp[o], w, (char)(id0 + N_PORTS + o));
			bad |= e->act[o] != e->exp[o];
		}
		put_value(f, bad, 1, '$');
	}
	fprintf(f, "#%" PRIu64 "\n", (uint64_t)n * 10);
	put_value(f, 0, 1, '!');
	if (ferror(f) | fclose(f))
		return ps_errf(err, PS_EIO, "%s: cannot write the VCD", path);
	return PS_OK;
}

enum ps_status rtl_verify(const struct rtl_verify_opts *o,
			  struct rtl_verify_result *res, struct ps_err *err)
{
	const struct rtl_verify_pe *pe = rtl_verify_find(o->pe);
	const struct pe_bt_ops *g = pe ? pe_bt_find(pe->name) : NULL;
	const unsigned before = o->window ? o->window : 32;
	const unsigned after = before / 4 + 1;
	const size_t ring_n = (size_t)before + 1 + after;
	const unsigned hist_n = 6;	/* inputs printed before a mismatch */
	enum ps_status st = PS_OK;

	memset(res, 0, sizeof *res);
	if (!pe)
		return ps_errf(err, PS_EINPUT, "--pe %s: no PE with RTL "
			       "(fp16_mac, int8_mac)", o->pe ? o->pe : "(none)");
	if (!g)
		return ps_errf(err, PS_EINPUT, "%s: no golden model of that name",
			       pe->name);
	const struct rtl_model_ops *r = o->mutant ? pe->mutant : pe->rtl;
	if (!ports_agree(g, r))
		return ps_errf(err, PS_EINPUT, "the ports of model %s and RTL %s "
			       "differ", g->name, r->name);

	void *state = malloc(g->state_size ? g->state_size : 1);
	struct rec *ring = calloc(ring_n, sizeof *ring);
	struct rtl_model *m = r->create();
	if (!state || !ring || !m) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	if ((st = g->init(state, NULL, err)) != PS_OK) {
		ps_err_prefix(err, st, "%s: init", g->name);
		goto out;
	}

	struct stim sm = { .s = o->seed };
	sm.fp16 = g->ports[IN_A].width == 16;
	sm.a_mask = (1ull << g->ports[IN_A].width) - 1;
	sm.w_mask = (1ull << g->ports[IN_W].width) - 1;
	res->corner_edges = corner_edges(&sm);
	const uint64_t total = 1 + res->corner_edges + o->random;

	uint64_t in[N_IN] = { 0 }, exp[N_OUT] = { 0 }, act[N_OUT] = { 0 };
	uint64_t stop = UINT64_MAX;	/* last edge to run */
	for (uint64_t c = 0; c < total && c <= stop; c++) {
		bool rst = c == 0;
		if (c >= 1 && c <= res->corner_edges)
			corner_inputs(&sm, c - 1, in);
		else if (c > res->corner_edges) {
			rst = next_inputs(&sm, in);
			res->random_edges++;
		}
		r->set_reset(m, rst);
		rtl_model_cycle(r, m, in, act);
		if (rst) {	/* rst is the model's reset(): outputs read 0 */
			g->reset(state);
			memset(exp, 0, sizeof exp);
			res->resets++;
		} else {
			g->step(state, in, exp);
			res->beats += in[IN_VALID] != 0;
		}
		res->results += exp[0] != 0;

		struct rec *e = &ring[c % ring_n];
		e->cycle = c;
		e->rst = rst;
		memcpy(e->in, in, sizeof in);
		memcpy(e->exp, exp, sizeof exp);
		memcpy(e->act, act, sizeof act);

		res->cycles++;
		res->values += N_OUT;
		for (int k = 0; k < N_OUT && !res->mismatch; k++) {
			if (exp[k] == act[k])
				continue;
			res->mismatch = true;
			res->cycle = c;
			res->port = port_names[N_IN + k];
			res->expected = exp[k];
			res->actual = act[k];
			stop = c + after;
		}
		if (res->mismatch && c == res->cycle && o->log) {
			unsigned hw = (g->ports[OUT_ACC].width + 3) / 4;
			fprintf(o->log, "first MISMATCH at cycle %" PRIu64
				" (0-based rising edge), %s vs %s:\n", c, r->name,
				g->name);
			for (int k = 0; k < N_OUT; k++)
				if (exp[k] != act[k])
					fprintf(o->log, "  %s expected 0x%0*" PRIx64
						" actual 0x%0*" PRIx64 "\n",
						port_names[N_IN + k], (int)hw,
						exp[k], (int)hw, act[k]);
			fprintf(o->log, "  inputs of the last edges, oldest first "
				"(rst in_valid in_last a w -> expected out_valid "
				"out_acc):\n");
			for (unsigned h = hist_n; h-- > 0;) {
				if (h > c)
					continue;
				const struct rec *p = &ring[(c - h) % ring_n];
				fprintf(o->log, "    cycle %" PRIu64 ": %d %" PRIu64
					" %" PRIu64 " 0x%0*" PRIx64 " 0x%0*" PRIx64
					" -> %" PRIu64 " 0x%0*" PRIx64 "\n", p->cycle,
					p->rst, p->in[IN_VALID], p->in[IN_LAST],
					(int)(g->ports[IN_A].width / 4), p->in[IN_A],
					(int)(g->ports[IN_W].width / 4), p->in[IN_W],
					p->exp[0], (int)hw, p->exp[1]);
			}
		}
	}

	if (res->mismatch) {
		st = ps_errf(err, PS_ECHECK, "%s vs %s: mismatch at cycle %"
			     PRIu64 ": %s expected 0x%" PRIx64 " actual 0x%"
			     PRIx64, r->name, g->name, res->cycle, res->port,
			     res->expected, res->actual);
		if (o->vcd_path) {
			/* the ring holds the last min(cycles, ring_n) edges */
			size_t n = res->cycles < ring_n ? (size_t)res->cycles : ring_n;
			uint64_t first = res->cycles - n;
			struct rec *lin = malloc(n * sizeof *lin);
			if (!lin) {
				st = ps_errf(err, PS_ENOMEM, "out of memory");
				goto out;
			}
			for (size_t k = 0; k < n; k++)
				lin[k] = ring[(first + k) % ring_n];
			struct ps_err verr;
			enum ps_status vs = write_vcd(o->vcd_path, r, g, lin, n, &verr);
			free(lin);
			if (vs != PS_OK) {
				st = vs;
				if (err)
					*err = verr;
				goto out;
			}
			res->vcd_written = true;
			res->vcd_first = first;
			res->vcd_last = first + n - 1;
		}
	}
out:
	if (m)
		r->destroy(m);
	free(ring);
	free(state);
	return st;
}

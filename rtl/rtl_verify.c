/* rtl_verify.c - golden C model and Verilated RTL in lockstep (rtl_verify.h). */
#include "rtl_verify.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pe_bt.h"
#include "ps_file.h"
#include "ps_progress.h"

/* The two port tables must agree entry by entry. */
static bool ports_agree(const struct pe_bt_ops *g, const struct rtl_model_ops *r)
{
	if (g->n_in != r->n_in || g->n_out != r->n_out ||
	    strcmp(g->rtl_top, r->top) || !r->clocked || !r->set_reset)
		return false;
	for (size_t p = 0; p < g->n_in + g->n_out; p++)
		if (strcmp(g->ports[p].name, r->ports[p].name) ||
		    g->ports[p].width != r->ports[p].width)
			return false;
	return true;
}

/* The edges of one run: reset, corners, random (one stimulus state). */
struct edges {
	const struct rtl_stim_ops *ops;
	void *st;
	uint64_t corners;
};

static enum ps_status edges_init(struct edges *e, const struct rtl_verify_pe *pe,
				 const struct rtl_verify_opts *o, struct ps_err *err)
{
	enum ps_status st;

	e->ops = pe->stim;
	e->st = calloc(1, e->ops->state_size ? e->ops->state_size : 1);
	if (!e->st)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	if ((st = e->ops->init(e->st, &pe->params, o->seed, err)) != PS_OK)
		return ps_err_prefix(err, st, "%s: stimulus", pe->name);
	if (o->gemm) {
		if (!e->ops->use_gemm)
			return ps_errf(err, PS_EINPUT, "%s: no stimulus from a "
				       "trace for this PE", pe->name);
		if ((st = e->ops->use_gemm(e->st, o->gemm, err)) != PS_OK)
			return ps_err_prefix(err, st, "%s: trace stimulus", pe->name);
	}
	e->corners = e->ops->corner_edges ? e->ops->corner_edges(e->st) : 0;
	return PS_OK;
}

static void edges_free(struct edges *e)
{
	if (e->st && e->ops->fini)
		e->ops->fini(e->st);
	free(e->st);
	e->st = NULL;
}

/* Inputs of edge c; returns whether rst is high. */
static bool edges_next(struct edges *e, uint64_t c, uint64_t *in, size_t n_in)
{
	if (c == 0) {
		memset(in, 0, n_in * sizeof *in);
		return true;
	}
	if (c <= e->corners)
		return e->ops->corner(e->st, c - 1, in);
	return e->ops->random(e->st, in);
}

/* VCD identifiers: printable characters '!'..'~', base 94. */
static void vcd_id(char *buf, size_t k)
{
	int n = 0;
	do {
		buf[n++] = (char)('!' + k % 94);
		k /= 94;
	} while (k);
	buf[n] = 0;
}

static void put_value(FILE *f, uint64_t v, unsigned width, size_t id)
{
	char s[8];
	vcd_id(s, id);
	if (width == 1) {
		fprintf(f, "%c%s\n", v ? '1' : '0', s);
		return;
	}
	fputc('b', f);
	for (unsigned b = width; b-- > 0;)
		fputc(v >> b & 1 ? '1' : '0', f);
	fprintf(f, " %s\n", s);
}

/* One recorded edge: rst, inputs sampled at it, outputs after it. */
struct rec {
	uint64_t cycle;
	bool rst;
	uint64_t *in, *exp, *act;
};

/* The recorded edges as a VCD on the FST re-run's time axis (the shim's
 * step: two units of 1 ps per edge, from reset): edge c's inputs change at
 * 2c with the clock low, the clock rises at 2c + 1 and the outputs after
 * edge c change then, so the two waveforms overlay. Signals: clk, rst,
 * cycle, mismatch, the inputs, the RTL's outputs, the model's
 * (<port>_expected). Written through the output module. */
static enum ps_status write_vcd(const char *path, const struct rtl_model_ops *r,
				const struct pe_bt_ops *g, const struct rec *rec,
				size_t n, struct ps_err *err)
{
	enum { CLK, RST, CYC, BAD, PORT0 };
	const size_t ni = g->n_in, no = g->n_out, np = ni + no;
	char id[8];
	struct ps_out out;
	enum ps_status st = ps_out_open(&out, path, err);
	FILE *f = out.fp;

	if (st)
		return st;
	fprintf(f, "$comment pesim verify: golden model %s vs RTL %s, edges %"
		PRIu64 "..%" PRIu64 " $end\n$timescale 1ps $end\n"
		"$scope module %s $end\n", g->name, r->name, rec[0].cycle,
		rec[n - 1].cycle, r->top);
	static const char *const fixed[] = { "clk", "rst", "cycle", "mismatch" };
	for (int k = 0; k < 4; k++) {
		vcd_id(id, (size_t)k);
		fprintf(f, "$var wire %d %s %s $end\n", k == CYC ? 64 : 1, id,
			fixed[k]);
	}
	for (size_t p = 0; p < np; p++) {
		vcd_id(id, PORT0 + p);
		fprintf(f, "$var wire %u %s %s $end\n", g->ports[p].width, id,
			g->ports[p].name);
	}
	for (size_t o = 0; o < no; o++) {
		vcd_id(id, PORT0 + np + o);
		fprintf(f, "$var wire %u %s %s_expected $end\n",
			g->ports[ni + o].width, id, g->ports[ni + o].name);
	}
	fprintf(f, "$upscope $end\n$enddefinitions $end\n");
	for (size_t k = 0; k < n; k++) {
		const struct rec *e = &rec[k];
		bool bad = false;

		fprintf(f, "#%" PRIu64 "\n", e->cycle * 2);
		if (k == 0) {
			fprintf(f, "$dumpvars\n");
			put_value(f, 0, 1, BAD);
			for (size_t o = 0; o < no; o++)	/* outputs unknown */
				for (size_t x = 0; x < 2; x++) {
					vcd_id(id, PORT0 + (x ? np : ni) + o);
					fprintf(f, "%s%s\n", g->ports[ni + o].width > 1 ?
						"bx " : "x", id);
				}
		}
		put_value(f, 0, 1, CLK);
		put_value(f, e->rst, 1, RST);
		put_value(f, e->cycle, 64, CYC);
		for (size_t i = 0; i < ni; i++)
			put_value(f, e->in[i], g->ports[i].width, PORT0 + i);
		if (k == 0)
			fprintf(f, "$end\n");
		fprintf(f, "#%" PRIu64 "\n", e->cycle * 2 + 1);
		put_value(f, 1, 1, CLK);
		for (size_t o = 0; o < no; o++) {
			unsigned w = g->ports[ni + o].width;
			put_value(f, e->act[o], w, PORT0 + ni + o);
			put_value(f, e->exp[o], w, PORT0 + np + o);
			bad |= e->act[o] != e->exp[o];
		}
		put_value(f, bad, 1, BAD);
	}
	fprintf(f, "#%" PRIu64 "\n", rec[n - 1].cycle * 2 + 2);
	put_value(f, 0, 1, CLK);
	return ps_out_commit(&out, err);
}

/* Re-run the RTL alone from reset on the same stimulus with FST tracing,
 * dumping edges first..last (Verilator's own waveform: every signal) into
 * path. Returns an exit status for the child below: 0 written, 3 the
 * writer could not open the file, 4 out of memory or bad stimulus. */
static int fst_child(const struct rtl_verify_pe *pe, const struct rtl_model_ops *r,
		     const struct rtl_verify_opts *o, uint64_t first, uint64_t last,
		     const char *path)
{
	struct edges e = { 0 };
	struct rtl_model *m = r->create();
	uint64_t *in = calloc(r->n_in + r->n_out, sizeof *in);
	struct ps_err err;
	int rc = 0;

	if (!m || !in || edges_init(&e, pe, o, &err) != PS_OK)
		rc = 4;
	else if (!r->trace_open(m, path))
		rc = 3;
	for (uint64_t c = 0; !rc && c <= last; c++) {
		bool rst = edges_next(&e, c, in, r->n_in);
		r->trace_dump(m, c >= first);
		r->set_reset(m, rst);
		rtl_model_cycle(r, m, in, in + r->n_in);
	}
	if (!rc)
		r->trace_close(m);
	edges_free(&e);
	if (m)
		r->destroy(m);
	free(in);
	return rc;
}

/* The FST through the output module: Verilator's writer opens a file by
 * name (the temporary one, renamed into place when whole) and writes a
 * side file "<name>.hier" next to it. The writer maps its file and dies of
 * SIGBUS when the disk is full, so it runs in a child process: the parent
 * reports the failure and removes both files. */
static enum ps_status rerun_fst(const struct rtl_verify_pe *pe,
				const struct rtl_model_ops *r,
				const struct rtl_verify_opts *o, uint64_t first,
				uint64_t last, struct ps_err *err)
{
	struct ps_out fst;
	char side[PATH_MAX + 8];
	enum ps_status st = ps_out_open_name(&fst, o->fst_path, err);
	int status = 0, slot;
	pid_t pid;

	if (st)
		return st;
	snprintf(side, sizeof side, "%s.hier", fst.tmp);
	slot = ps_cleanup_add(side, false);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(fst_child(pe, r, o, first, last, fst.tmp));
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	unlink(side);
	ps_cleanup_del(slot);
	if (pid < 0)
		st = ps_errf(err, PS_EIO, "%s: cannot fork for the FST writer: %s",
			     o->fst_path, strerror(errno));
	else if (WIFSIGNALED(status))
		st = ps_errf(err, PS_EIO, "%s: Verilator's FST writer died of signal %d (%s); "
			     "disk full?", o->fst_path, WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) == 3)
		st = ps_errf(err, PS_EIO, "%s: cannot write the FST", o->fst_path);
	else if (WEXITSTATUS(status) == 4)
		st = ps_errf(err, PS_ENOMEM, "%s: out of memory re-running the RTL", o->fst_path);
	else if (WEXITSTATUS(status))	/* a sanitizer's report of that signal */
		st = ps_errf(err, PS_EIO, "%s: Verilator's FST writer failed (exit status %d); "
			     "disk full?", o->fst_path, WEXITSTATUS(status));
	if (st) {
		ps_out_abort(&fst);
		return st;
	}
	return ps_out_commit(&fst, err);
}

static void print_row(FILE *log, const struct pe_bt_ops *g, const struct rec *p)
{
	fprintf(log, "    cycle %" PRIu64 ":%s", p->cycle, p->rst ? " rst" : "");
	for (size_t i = 0; i < g->n_in; i++)
		fprintf(log, " %s=0x%" PRIx64, g->ports[i].name, p->in[i]);
	fprintf(log, "\n      ->");
	for (size_t k = 0; k < g->n_out; k++)
		fprintf(log, " %s=0x%" PRIx64, g->ports[g->n_in + k].name, p->exp[k]);
	fprintf(log, "\n");
}

static void report(FILE *log, const struct pe_bt_ops *g,
		   const struct rtl_model_ops *r, const struct rec *ring,
		   size_t ring_n, uint64_t c)
{
	const unsigned hist_n = 6;	/* edges printed before a mismatch */
	const struct rec *e = &ring[c % ring_n];

	fprintf(log, "first MISMATCH at cycle %" PRIu64 " (0-based rising edge), "
		"RTL %s vs golden model %s:\n", c, r->name, g->name);
	for (size_t k = 0; k < g->n_out; k++) {
		const struct pe_port *pt = &g->ports[g->n_in + k];
		int hw = (pt->width + 3) / 4;
		if (e->exp[k] != e->act[k])
			fprintf(log, "  %s expected 0x%0*" PRIx64 " actual 0x%0*"
				PRIx64 "\n", pt->name, hw, e->exp[k], hw, e->act[k]);
	}
	fprintf(log, "  inputs of the last edges, oldest first (-> the golden "
		"model's outputs after the edge):\n");
	for (unsigned h = hist_n; h-- > 0;)
		if (h <= c)
			print_row(log, g, &ring[(c - h) % ring_n]);
}

/* The index of input "in_valid" (else 0): what counts as a beat. */
static size_t valid_port(const struct pe_bt_ops *g)
{
	for (size_t i = 0; i < g->n_in; i++)
		if (!strcmp(g->ports[i].name, "in_valid"))
			return i;
	return 0;
}

enum ps_status rtl_verify(const struct rtl_verify_opts *o,
			  struct rtl_verify_result *res, struct ps_err *err)
{
	const struct rtl_verify_pe *pe = o->pe;
	const struct pe_bt_ops *g = pe ? pe_bt_find(pe->golden) : NULL;
	const unsigned before = o->window ? o->window : 32;
	const unsigned after = before / 4 + 1;
	const size_t ring_n = (size_t)before + 1 + after;
	enum ps_status st = PS_OK;
	struct edges ed = { 0 };

	memset(res, 0, sizeof *res);
	if (!pe)
		return ps_errf(err, PS_EINPUT, "no PE given");
	if (!g)
		return ps_errf(err, PS_EINPUT, "%s: no golden model %s", pe->name,
			       pe->golden);
	const struct rtl_model_ops *r = o->mutant ? pe->mutant : pe->rtl;
	if (!r)
		return ps_errf(err, PS_EINPUT, "%s: no %s RTL build", pe->name,
			       o->mutant ? "mutant" : "");
	if (!ports_agree(g, r))
		return ps_errf(err, PS_EINPUT, "the ports of model %s and RTL %s "
			       "differ", g->name, r->name);

	const size_t ni = g->n_in, no = g->n_out, per = ni + 2 * no;
	void *state = pe_bt_state_new(g);
	struct rec *ring = calloc(ring_n, sizeof *ring);
	uint64_t *words = calloc(ring_n * per + no, sizeof *words);
	struct rtl_model *m = r->create();
	if (!state || !ring || !words || !m) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < ring_n; k++) {
		ring[k].in = words + k * per;
		ring[k].exp = ring[k].in + ni;
		ring[k].act = ring[k].exp + no;
	}
	uint64_t *prev = words + ring_n * per;	/* expected outputs before */
	if ((st = g->init(state, &pe->params, err)) != PS_OK) {
		ps_err_prefix(err, st, "%s: init", g->name);
		goto out;
	}
	if ((st = edges_init(&ed, pe, o, err)) != PS_OK)
		goto out;
	res->corner_edges = ed.corners;

	const size_t vp = valid_port(g);
	const uint64_t total = 1 + ed.corners + o->random;
	uint64_t stop = UINT64_MAX;	/* last edge to run */
	struct ps_progress *bar = ps_progress_begin("verify", "edges", total);
	for (uint64_t c = 0; c < total && c <= stop; c++) {
		struct rec *e = &ring[c % ring_n];
		bool rst = edges_next(&ed, c, e->in, ni);

		if ((c & 4095) == 4095)
			ps_progress_add(bar, 4096);

		res->random_edges += c > ed.corners;
		e->cycle = c;
		e->rst = rst;
		r->set_reset(m, rst);
		rtl_model_cycle(r, m, e->in, e->act);
		if (rst) {	/* rst is the model's reset(): outputs read 0 */
			g->reset(state);
			memset(e->exp, 0, no * sizeof *e->exp);
			res->resets++;
		} else {
			g->step(state, e->in, e->exp);
			res->beats += e->in[vp] != 0;
		}
		res->changes += memcmp(prev, e->exp, no * sizeof *prev) != 0;
		memcpy(prev, e->exp, no * sizeof *prev);

		res->cycles++;
		res->values += no;
		for (size_t k = 0; k < no && !res->mismatch; k++) {
			if (e->exp[k] == e->act[k])
				continue;
			res->mismatch = true;
			res->cycle = c;
			res->port = g->ports[ni + k].name;
			res->expected = e->exp[k];
			res->actual = e->act[k];
			stop = c + after;
			if (o->log)
				report(o->log, g, r, ring, ring_n, c);
		}
	}
	ps_progress_end(bar);
	if (!res->mismatch)
		goto out;

	st = ps_errf(err, PS_ECHECK, "%s vs %s: mismatch at cycle %" PRIu64
		     ": %s expected 0x%" PRIx64 " actual 0x%" PRIx64, r->name,
		     g->name, res->cycle, res->port, res->expected, res->actual);
	/* the ring holds the last min(cycles, ring_n) edges */
	size_t n = res->cycles < ring_n ? (size_t)res->cycles : ring_n;
	uint64_t first = res->cycles - n;
	res->vcd_first = first;
	res->vcd_last = first + n - 1;
	struct ps_err werr;
	enum ps_status ws = PS_OK;
	if (o->vcd_path) {
		struct rec *lin = malloc(n * sizeof *lin);
		if (!lin) {
			st = ps_errf(err, PS_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < n; k++)
			lin[k] = ring[(first + k) % ring_n];
		ws = write_vcd(o->vcd_path, r, g, lin, n, &werr);
		free(lin);
		res->vcd_written = ws == PS_OK;
	}
	if (ws == PS_OK && o->fst_path) {
		ws = rerun_fst(pe, r, o, first, res->vcd_last, &werr);
		res->fst_written = ws == PS_OK;
	}
	if (ws != PS_OK) {
		st = ws;
		if (err)
			*err = werr;
	}
out:
	edges_free(&ed);
	if (m)
		r->destroy(m);
	free(words);
	free(ring);
	free(state);
	return st;
}

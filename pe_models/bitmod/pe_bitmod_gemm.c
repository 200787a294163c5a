/* pe_bitmod_gemm.c - a whole GEMM through the stepped BitMoD array, and
 * the closed form of the cycles it takes (README "Timing").
 *
 * Schedule (the controller's, the same for every row and column):
 *   passes  = ceil(M/cols) * ceil(N/rows), N blocks outer, M blocks inner;
 *             edge passes are zero-padded to the full array
 *   T       = term cycles per weight, ceil(floor(weight_bits)/2) as the
 *             timing model; every group of the GEMM runs T terms per
 *             lane-group (a type needing fewer gets zero terms)
 *   group g = idle cycles, then ceil(G_g/lanes) * T term cycles: a slot
 *             of max(terms, scale_bits, 2*cols-1) cycles, as the
 *             dequantizer takes scale_bits cycles per group and a row's
 *             groups leave through its shadow chain to the row's output
 *             accumulator, which they reach 2 cycles apart (the idle
 *             cycles come first so that consecutive LAST terms are a slot
 *             apart)
 *   pass    = its groups back to back (P cycles)
 *   w_sbit  = the group's scale, MSB first, on the 2nd .. (SB+1)th edges
 *             after its last term (README "PE ports")
 * The stream of a row is the passes back to back; row r runs it r cycles
 * behind row 0, column c's activations c cycles behind column 0. */
#include "pe_bitmod_bt.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

struct sched {
	uint64_t M, N, K, G, ng, L, T, SB, R, C;
	uint64_t nt_full, nt_last, slot_full, slot_last;
	uint64_t P0, P, mblocks, passes, stream;
};

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static void sched_init(const struct pe_params *p, const struct pe_array *a,
		       uint64_t M, uint64_t N, uint64_t K, struct sched *s)
{
	memset(s, 0, sizeof *s);
	s->M = M;
	s->N = N;
	s->K = K;
	s->L = p->lanes ? p->lanes : PE_BITMOD_MAX_LANES;
	s->T = pe_bitmod_term_cycles(pe_code_bits(p));
	s->SB = p->scale_bits ? p->scale_bits : PE_BITMOD_SB_DEFAULT;
	s->R = a->rows ? a->rows : 1;
	s->C = a->cols ? a->cols : 1;
	if (!M || !N || !K)
		return;
	s->G = p->group_size ? p->group_size : K;
	s->ng = cdiv(K, s->G);
	s->nt_full = cdiv(s->G, s->L) * s->T;
	s->nt_last = cdiv(K - (s->ng - 1) * s->G, s->L) * s->T;
	s->slot_full = max64(max64(s->nt_full, s->SB), 2 * s->C - 1);
	s->slot_last = max64(max64(s->nt_last, s->SB), 2 * s->C - 1);
	s->P = s->P0 = (s->ng - 1) * s->slot_full + s->slot_last;
	s->mblocks = cdiv(M, s->C);
	s->passes = s->mblocks * cdiv(N, s->R);
	/* up to and including the last term of the last pass */
	s->stream = s->passes * s->P;
}

/* The last term enters PE (R-1, C-1) R+C-2 edges after row 0 column 0
 * sees it; PIPE + SB edges later the PE's out_valid rises; its slot loads
 * on the next edge, shifts C-1 times to the left edge, the row's output
 * accumulator takes it into the result register on the edge after, and y
 * shows it one edge later:
 * stream + (R-1) + (C-1) + (PIPE + SB) + 1 + (C-1) + 1 + 1 edges. */
uint64_t pe_bitmod_tile_cycles(const struct pe_params *p,
			       const struct pe_array *a,
			       const struct pe_tile *t)
{
	struct sched s;
	sched_init(p, a, t->m, t->n, t->k, &s);
	if (!s.passes)
		return 0;
	return s.stream + (s.R - 1) + 2 * (s.C - 1) + PE_BITMOD_PIPE + s.SB + 3;
}

uint64_t pe_bitmod_tile_stream(const struct pe_params *p,
			       const struct pe_array *a,
			       const struct pe_tile *t)
{
	struct sched s;
	sched_init(p, a, t->m, t->n, t->k, &s);
	return s.stream;
}

/* Where stream index i falls: pass, group, term cycle within the group. */
struct at {
	bool term;
	uint64_t pass, g, j, t;
	bool first, last, olast;
	uint64_t gsize;		/* weights in group g */
};

static void locate(const struct sched *s, uint64_t i, struct at *x)
{
	uint64_t o, og, nt, lead, full = (s->ng - 1) * s->slot_full;

	memset(x, 0, sizeof *x);
	x->pass = i / s->P;
	o = i % s->P;
	if (x->pass >= s->passes)
		return;
	if (o < full) {
		x->g = o / s->slot_full;
		og = o % s->slot_full;
	} else {
		x->g = s->ng - 1;
		og = o - full;
	}
	nt = x->g == s->ng - 1 ? s->nt_last : s->nt_full;
	lead = (x->g == s->ng - 1 ? s->slot_last : s->slot_full) - nt;
	if (og < lead)
		return;
	og -= lead;
	x->term = true;
	x->j = og / s->T;
	x->t = og % s->T;
	x->first = og == 0;
	x->last = og == nt - 1;
	x->olast = x->last && x->g == s->ng - 1;
	x->gsize = x->g == s->ng - 1 ? s->K - (s->ng - 1) * s->G : s->G;
}

struct run {
	const struct sched *s;
	const struct pe_bitmod_gemm *g;
	uint8_t *wt;			/* [N*ng] w_type per group */
	struct pe_bitmod_row_in *w;	/* [R] */
	uint64_t *act;			/* [C] */
	struct pe_bitmod_row_out *y;	/* [R] */
	uint64_t *exits;		/* [R] */
};

/* Row r's scale bit at its stream index i: scale bit SB-1-k of the group
 * whose last term is at i - 2 - k, k < SB. Slots end with their last term
 * and are at least SB long, so i - 1 is within SB after at most one slot
 * end: the nearest one at or before it. */
static unsigned sbit_at(const struct run *u, uint64_t r, uint64_t i)
{
	const struct sched *s = u->s;
	uint64_t q, pass, o, b, gi, k, n;

	if (i < 2)
		return 0;
	q = i - 1;
	pass = q / s->P;
	o = q % s->P;
	b = o / s->slot_full;		/* slot ends of this pass at or before o */
	if (b > s->ng - 1)
		b = s->ng - 1;
	if (b == 0) {			/* the end of the previous pass */
		if (pass == 0)
			return 0;
		pass--;
		gi = s->ng - 1;
		k = o;
	} else {
		gi = b - 1;
		k = o - b * s->slot_full;
	}
	if (k >= s->SB || pass >= s->passes)
		return 0;
	n = pass / s->mblocks * s->R + r;
	if (n >= s->N)
		return 0;
	return u->g->scale_q[n * s->ng + gi] >> (s->SB - 1 - k) & 1;
}

static void row_input(const struct run *u, uint64_t r, uint64_t tau,
		      struct pe_bitmod_row_in *w)
{
	const struct sched *s = u->s;
	const struct pe_bitmod_gemm *g = u->g;
	struct at x;
	uint64_t n;
	unsigned wt = 2;	/* padded rows: INT2 zeros */

	memset(w, 0, sizeof *w);
	if (tau < r)
		return;
	w->sbit = (uint8_t)sbit_at(u, r, tau - r);
	locate(s, tau - r, &x);
	if (!x.term)
		return;
	n = x.pass / s->mblocks * s->R + r;
	if (n < s->N) {
		size_t gi = n * s->ng + x.g;
		wt = u->wt[gi];
		w->cscale = g->cscale[n];
		for (uint64_t l = 0; l < s->L; l++) {
			uint64_t kk = x.j * s->L + l;
			if (kk < x.gsize)
				w->code |= (uint32_t)g->w[n * s->K + x.g * s->G + kk]
					   << 8 * l;
		}
	}
	w->ctl = (uint16_t)(PE_BITMOD_W_VALID |
			    (x.first ? PE_BITMOD_W_FIRST : 0) |
			    (x.last ? PE_BITMOD_W_LAST : 0) |
			    (x.olast ? PE_BITMOD_W_OLAST : 0) |
			    PE_BITMOD_W_TIDX(x.t) | PE_BITMOD_W_TYPE(wt));
}

static uint64_t col_input(const struct run *u, uint64_t c, uint64_t tau)
{
	const struct sched *s = u->s;
	struct at x;
	uint64_t m, v = 0;

	if (tau < c)
		return 0;
	locate(s, tau - c, &x);
	if (!x.term)
		return 0;
	m = x.pass % s->mblocks * s->C + c;
	if (m >= s->M)
		return 0;
	for (uint64_t l = 0; l < s->L; l++) {
		uint64_t kk = x.j * s->L + l;
		if (kk < x.gsize)
			v |= (uint64_t)u->g->a[m * s->K + x.g * s->G + kk] << 16 * l;
	}
	return v;
}

static enum ps_status check_gemm(const struct sched *s,
				 const struct pe_bitmod_gemm *g, uint8_t *wt,
				 struct ps_err *err)
{
	for (uint64_t n = 0; n < s->N; n++) {
		for (uint64_t k = 0; k < s->ng; k++) {
			int f = g->wfmt ? g->wfmt[n * s->ng + k] : g->fmt;
			int t = pe_bitmod_wtype_of_fmt(f);
			const struct fmt_desc *d = fmt_get(f);
			if (t < 0)
				return ps_errf(err, PS_EINPUT,
					       "bitmod: row %llu group %llu: "
					       "format %s is not a BitMoD type",
					       (unsigned long long)n,
					       (unsigned long long)k,
					       d ? d->name : "?");
			if (pe_bitmod_wtype_terms((unsigned)t) > s->T)
				return ps_errf(err, PS_EINPUT,
					       "bitmod: %s needs %u term cycles, "
					       "weight_bits give %llu", d->name,
					       pe_bitmod_wtype_terms((unsigned)t),
					       (unsigned long long)s->T);
			wt[n * s->ng + k] = (uint8_t)t;
		}
	}
	return PS_OK;
}

enum ps_status pe_bitmod_run_gemm(const struct pe_params *p,
				  const struct pe_array *a,
				  const struct pe_bitmod_gemm *g,
				  uint64_t *cycles,
				  struct pe_bitmod_actions *act,
				  struct ps_err *err)
{
	struct sched s;
	struct pe_bitmod_cfg c;
	struct pe_bitmod_array *arr = NULL;
	struct run u = { .s = &s, .g = g };
	enum ps_status st;
	uint64_t done_rows = 0, tau, cap;

	*cycles = 0;
	if (a->dataflow != CFG_DF_OS)
		return ps_errf(err, PS_EINPUT,
			       "bitmod: the bit-true array is output-stationary");
	sched_init(p, a, g->M, g->N, g->K, &s);
	if (!s.passes)
		return PS_OK;
	pe_bitmod_cfg_default(p, &c);
	if (g->mant_bits)
		c.mant_bits = g->mant_bits;
	c.bug_dq_noclear = g->bug_dq_noclear;
	st = pe_bitmod_array_new(&c, (uint32_t)s.R, (uint32_t)s.C, &arr, err);
	if (st)
		return st;
	u.wt = malloc(s.N * s.ng);
	u.w = calloc(s.R, sizeof *u.w);
	u.act = calloc(s.C, sizeof *u.act);
	u.y = calloc(s.R, sizeof *u.y);
	u.exits = calloc(s.R, sizeof *u.exits);
	if (!u.wt || !u.w || !u.act || !u.y || !u.exits) {
		st = ps_errf(err, PS_ENOMEM, "bitmod: out of memory");
		goto out;
	}
	st = check_gemm(&s, g, u.wt, err);
	if (st)
		goto out;

	cap = 2 * (s.passes * s.P + s.R + 2 * s.C) + 64;
	for (tau = 0; done_rows < s.R; tau++) {
		if (tau > cap) {
			st = ps_errf(err, PS_ECHECK, "bitmod: array did not drain "
				     "in %llu cycles", (unsigned long long)cap);
			goto out;
		}
		for (uint64_t r = 0; r < s.R; r++)
			row_input(&u, r, tau, &u.w[r]);
		for (uint64_t cc = 0; cc < s.C; cc++)
			u.act[cc] = col_input(&u, cc, tau);
		pe_bitmod_array_step(arr, u.w, u.act, u.y);
		for (uint64_t r = 0; r < s.R; r++) {
			uint64_t e, pass, m, n;
			if (!u.y[r].valid)
				continue;
			e = u.exits[r]++;
			pass = e / s.C;
			if (u.y[r].col != e % s.C || pass >= s.passes) {
				st = ps_errf(err, PS_ECHECK, "bitmod: row %llu: "
					     "result %llu out of order",
					     (unsigned long long)r,
					     (unsigned long long)e);
				goto out;
			}
			m = pass % s.mblocks * s.C + e % s.C;
			n = pass / s.mblocks * s.R + r;
			if (m < s.M && n < s.N)
				g->out[m * s.N + n] = u.y[r].y;
			if (u.exits[r] == s.passes * s.C)
				done_rows++;
		}
	}
	*cycles = tau;
	if (pe_bitmod_array_err(arr))
		st = ps_errf(err, PS_ECHECK, "bitmod: the array flagged a "
			     "schedule error (dequantizer overrun, shadow "
			     "collision or channel-scale FIFO)");
	if (act)
		pe_bitmod_array_actions(arr, act);
out:
	pe_bitmod_array_free(arr);
	free(u.wt);
	free(u.w);
	free(u.act);
	free(u.y);
	free(u.exits);
	return st;
}

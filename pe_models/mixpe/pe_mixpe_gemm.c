/* pe_mixpe_gemm.c - a whole m x n x k tile through the stepped
 * output-stationary array: the controller's schedule, the edge stimulus
 * per cycle, and the order results leave the array (README.md "Array
 * timing"). The same stimulus drives the 4x4 "mixpe_array" bt model and,
 * later, its RTL.
 *
 * Pass p covers M chunk p / pn (cols rows of A) and N chunk p % pn (rows
 * columns of B). Row r of the array receives lane-group s (K indices
 * s*lanes .. s*lanes+lanes-1) of pass p at cycle p*delta + r + s, column c
 * at p*delta + c + s, so PE (r,c) computes it at p*delta + r + c + s.
 * delta = max(S, rows): a pass shorter than the drain waits for it.
 * Positions outside the tile (edge passes, K padding) carry zeros with the
 * full wavefront's control, so every PE and column runs the same schedule. */
#include "pe_mixpe.h"

#include <stdlib.h>
#include <string.h>

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

enum ps_status pe_mixpe_sched_init(const struct pe_params *p,
				   const struct pe_array *arr,
				   const struct pe_mixpe_gemm *g,
				   struct pe_mixpe_sched *s, struct ps_err *err)
{
	struct pe_mixpe_cfg c;
	enum ps_status st = pe_mixpe_cfg_from_params(p, &c, err);

	memset(s, 0, sizeof *s);
	if (st)
		return st;
	if (!arr->rows || !arr->cols || arr->rows > 4096 || arr->cols > 4096)
		return ps_errf(err, PS_EINPUT, "mixpe: array %ux%u", arr->rows,
			       arr->cols);
	if (arr->dataflow != CFG_DF_OS)
		return ps_errf(err, PS_EINPUT,
			       "mixpe: the stepped array is output-stationary (MixPE's dataflow)");
	s->rows = arr->rows;
	s->cols = arr->cols;
	s->lanes = c.lanes;
	s->group = c.group_max;
	s->groups = cdiv(g->k, s->group);
	s->S = cdiv(g->k, s->lanes);
	s->pn = cdiv(g->n, s->rows);
	s->passes = cdiv(g->m, s->cols) * s->pn;
	s->delta = s->S > s->rows ? s->S : s->rows;
	return PS_OK;
}

/* Pass and lane-group of an edge port at skew `skew`, false if idle. */
static bool slot(const struct pe_mixpe_sched *s, uint64_t t, unsigned skew,
		 uint64_t *pass, uint64_t *lg)
{
	uint64_t u;
	if (t < skew)
		return false;
	u = t - skew;
	*pass = u / s->delta;
	*lg = u % s->delta;
	return *pass < s->passes && *lg < s->S;
}

void pe_mixpe_feed(const struct pe_mixpe_sched *s, const struct pe_mixpe_gemm *g,
		   uint64_t t, struct pe_mixpe_row_in *row, uint64_t *a_col)
{
	uint64_t pass, lg;

	for (unsigned r = 0; r < s->rows; r++) {
		struct pe_mixpe_row_in *e = &row[r];
		uint64_t n, k0;
		memset(e, 0, sizeof *e);
		if (!slot(s, t, r, &pass, &lg))
			continue;
		n = (pass % s->pn) * s->rows + r;
		k0 = lg * s->lanes;
		e->valid = true;
		e->first = lg == 0;
		e->last = lg + 1 == s->S;
		e->glast = e->last || (k0 + s->lanes) % s->group == 0;
		if (n >= g->n)
			continue;
		for (unsigned i = 0; i < s->lanes && k0 + i < g->k; i++)
			e->w |= (uint16_t)(((unsigned)g->w[n * g->k + k0 + i] & 0xf) << (4 * i));
		if (e->glast) {
			uint64_t gi = n * s->groups + k0 / s->group;
			e->scale = g->scale[gi];
			e->zero = (uint8_t)g->zero[gi];
		}
	}
	for (unsigned c = 0; c < s->cols; c++) {
		uint64_t m, k0, a = 0;
		if (slot(s, t, c, &pass, &lg)) {
			m = (pass / s->pn) * s->cols + c;
			k0 = lg * s->lanes;
			for (unsigned i = 0; m < g->m && i < s->lanes && k0 + i < g->k; i++)
				a |= (uint64_t)g->a[m * g->k + k0 + i] << (16 * i);
		}
		a_col[c] = a;
	}
}

bool pe_mixpe_out_index(const struct pe_mixpe_sched *s,
			const struct pe_mixpe_gemm *g, unsigned c, uint64_t j,
			uint64_t *m, uint64_t *n)
{
	uint64_t pass = j / s->rows, r = s->rows - 1 - j % s->rows;
	*m = (pass / s->pn) * s->cols + c;
	*n = (pass % s->pn) * s->rows + r;
	return pass < s->passes && *m < g->m && *n < g->n;
}

enum ps_status pe_mixpe_run_gemm(const struct pe_params *p,
				 const struct pe_array *arr,
				 const struct pe_mixpe_gemm *g, uint32_t bugs,
				 uint64_t *cycles, struct pe_mixpe_actions *act,
				 struct ps_err *err)
{
	struct pe_mixpe_sched s;
	struct pe_mixpe_cfg c;
	struct pe_mixpe_array *pe = NULL;
	struct pe_mixpe_row_in *row = NULL;
	uint64_t *a_col = NULL, *got = NULL, want, left, limit, t;
	uint8_t *ov = NULL;
	uint16_t *od = NULL;
	enum ps_status st;

	*cycles = 0;
	if (act)
		memset(act, 0, sizeof *act);
	st = pe_mixpe_sched_init(p, arr, g, &s, err);
	if (st)
		return st;
	pe_mixpe_cfg_from_params(p, &c, NULL);
	c.bugs = bugs;
	if (!g->m || !g->n || !g->k)
		return PS_OK;
	st = pe_mixpe_array_new(&c, s.rows, s.cols, &pe, err);
	if (st)
		return st;
	row = calloc(s.rows, sizeof *row);
	a_col = calloc(s.cols, sizeof *a_col);
	got = calloc(s.cols, sizeof *got);
	ov = calloc(s.cols, 1);
	od = calloc(s.cols, sizeof *od);
	if (!row || !a_col || !got || !ov || !od) {
		st = ps_errf(err, PS_ENOMEM, "mixpe: out of memory for a %ux%u array",
			     s.rows, s.cols);
		goto out;
	}
	want = s.passes * s.rows;	/* results per column */
	left = want * s.cols;
	/* a healthy array has finished by the closed form; twice that plus
	 * slack means a protocol bug, reported rather than looped on */
	limit = 2 * (s.passes * s.delta + s.S + 2ull * s.rows + s.cols +
		     PE_MIXPE_DQ_LATENCY) + 16;
	for (t = 0; left && t < limit; t++) {
		pe_mixpe_feed(&s, g, t, row, a_col);
		pe_mixpe_array_step(pe, row, a_col, ov, od);
		for (unsigned col = 0; col < s.cols; col++) {
			uint64_t m, n;
			if (!ov[col])
				continue;
			if (got[col] >= want) {
				st = ps_errf(err, PS_ECHECK,
					     "mixpe: column %u produced more than %llu results (cycle %llu)",
					     col, (unsigned long long)want,
					     (unsigned long long)t);
				goto out;
			}
			if (pe_mixpe_out_index(&s, g, col, got[col], &m, &n))
				g->out[m * g->n + n] = od[col];
			got[col]++;
			left--;
		}
	}
	if (left) {
		st = ps_errf(err, PS_ECHECK,
			     "mixpe: %llu results missing after %llu cycles",
			     (unsigned long long)left, (unsigned long long)t);
		goto out;
	}
	*cycles = t;
	if (act)
		pe_mixpe_array_sum(pe, act);
out:
	pe_mixpe_array_free(pe);
	free(row);
	free(a_col);
	free(got);
	free(ov);
	free(od);
	return st;
}

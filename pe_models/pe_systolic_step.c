/* pe_systolic_step.c - the systolic array of pe_systolic.c stepped one
 * clock at a time, register by register, with the MAC baselines' INT8
 * multiply-accumulate PEs, so that a test can prove the closed form equal
 * to what stepping counts and the results equal the exact GEMM.
 *
 * The controller feeds the edges in order; everything else is local and
 * checked every cycle (an error names the PE and the cycle):
 *   - an operand register passes its word to the next PE one hop per
 *     cycle (left-edge streams to the right, top-edge streams down); the
 *     controller presents each word for `step` cycles (its terms) and
 *     skews the streams: row r's left-edge stream and column c's top-edge
 *     stream start r and c cycles late;
 *   - a PE computes on the word pair in its registers; they must belong
 *     to the same (pass, index) - else the schedule is wrong.
 * Output-stationary: PE (r,c) owns out[m = mb*C + c][n = nb*R + r]; its
 * MAC completes on the last cycle of a step's word; when all R PEs of a
 * column hold a finished pass, the results move in one cycle into the
 * column's shadow chain (if it is empty) and leave it one per cycle at
 * the bottom. A PE must not start a pass while its previous result has
 * not moved. The controller issues a pass's words back to back and the
 * next pass max(S*step, R) cycles after the previous one started (the
 * chain's R cycles).
 * Weight-stationary: PE (r,c) holds W[lane-group r][n = nb*C + c] of its
 * pass, shifted into its shadow weight register row by row (R cycles,
 * while the previous pass computes) and made active when the pass's first
 * activation arrives; activation rows enter row r at the left (lane-group
 * r); the partial sum of (i, c) leaves PE (r,c) for PE (r+1,c) when the
 * PE has added its product, and the bottom row's leave the array. The
 * controller starts a pass when its weights are in and the previous pass
 * has fed its rows.
 * cycles = from the edge the first word enters to the edge the last result
 * leaves. */
#include "pe.h"

#include <stdlib.h>
#include <string.h>

#define LMAX 8

struct word {
	bool valid;
	uint64_t pass, idx;
	int32_t v[LMAX];
};

static uint64_t cdiv(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static uint64_t umax(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static int32_t dotl(const int32_t *a, const int32_t *w, uint32_t L)
{
	int32_t s = 0;
	for (uint32_t l = 0; l < L; l++)
		s += a[l] * w[l];
	return s;
}

/* The controller's issue history: word issued at each cycle (the edges
 * read it back with their skew). */
struct hist {
	struct word *w;		/* [cycle][edge] */
	size_t edges, cap;
};

static struct word *hist_at(struct hist *h, uint64_t cyc, size_t e)
{
	static struct word none;
	if (cyc >= h->cap)
		return &none;
	return &h->w[cyc * h->edges + e];
}

static enum ps_status hist_grow(struct hist *h, uint64_t cyc, struct ps_err *err)
{
	if (cyc < h->cap)
		return PS_OK;
	{
		size_t cap = h->cap ? 2 * h->cap : 256;
		while (cap <= cyc)
			cap *= 2;
		void *p = realloc(h->w, cap * h->edges * sizeof *h->w);
		if (!p)
			return ps_errf(err, PS_ENOMEM, "out of memory");
		h->w = p;
		memset(h->w + h->cap * h->edges, 0, (cap - h->cap) * h->edges * sizeof *h->w);
		h->cap = cap;
	}
	return PS_OK;
}

static enum ps_status pe_error(struct ps_err *err, uint64_t r, uint64_t c, uint64_t cyc,
			       const char *what)
{
	return ps_errf(err, PS_ECHECK, "PE (%llu,%llu), cycle %llu: %s", (unsigned long long)r,
		       (unsigned long long)c, (unsigned long long)cyc, what);
}

static enum ps_status step_os(const struct pe_array *arr, const struct pe_tile *t,
			      uint32_t L, uint32_t step, const int8_t *A,
			      const int8_t *W, int32_t *out, uint64_t *cycles,
			      struct ps_err *err)
{
	uint64_t R = arr->rows, C = arr->cols, S = cdiv(t->k, L);
	uint64_t mb = cdiv(t->m, C), passes = mb * cdiv(t->n, R);
	uint64_t period = umax(S * step, R), left = passes * R * C, next = 0, pass_start = 0;
	size_t cells = R * C;
	struct hist hw = { NULL, R, 0 }, ha = { NULL, C, 0 };
	int32_t *acc = calloc(cells, sizeof *acc), *sh = calloc(cells, sizeof *sh);
	int32_t *chain = calloc(cells, sizeof *chain);		/* [c][r] */
	uint64_t *seen = calloc(cells, sizeof *seen), *sh_pass = calloc(cells, sizeof *sh_pass);
	uint64_t *ch_pass = calloc(C, sizeof *ch_pass), *ch_n = calloc(C, sizeof *ch_n);
	bool *sh_full = calloc(cells, sizeof *sh_full);
	enum ps_status st = PS_OK;

	if (!acc || !sh || !chain || !seen || !sh_pass || !ch_pass || !ch_n || !sh_full) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	for (uint64_t cyc = 0; left && !st; cyc++) {
		/* controller: word `next` = (pass p, step j), `step` cycles each;
		 * a pass starts `period` after the previous one */
		if ((st = hist_grow(&hw, cyc + R + C + 1, err)) ||
		    (st = hist_grow(&ha, cyc + R + C + 1, err)))
			break;
		if (next < passes * S * step) {
			uint64_t p = next / step / S, j = next / step % S;
			bool first = j == 0 && next % step == 0;
			if (!(first && p > 0 && cyc < pass_start + period)) {
				if (first)
					pass_start = cyc;
				for (uint64_t r = 0; r < R; r++) {
					struct word *w = hist_at(&hw, cyc, r);
					uint64_t n = p / mb * R + r;
					*w = (struct word){ .valid = true, .pass = p, .idx = j };
					for (uint32_t l = 0; l < L; l++) {
						uint64_t k = j * L + l;
						w->v[l] = n < t->n && k < t->k ? W[k * t->n + n] : 0;
					}
				}
				for (uint64_t c = 0; c < C; c++) {
					struct word *a = hist_at(&ha, cyc, c);
					uint64_t m = p % mb * C + c;
					*a = (struct word){ .valid = true, .pass = p, .idx = j };
					for (uint32_t l = 0; l < L; l++) {
						uint64_t k = j * L + l;
						a->v[l] = m < t->m && k < t->k ? A[m * t->k + k] : 0;
					}
				}
				next++;
			}
		}
		/* the output chains: the bottom value of each leaves */
		for (uint64_t c = 0; c < C; c++)
			if (ch_n[c]) {
				uint64_t r = R - ch_n[c], p = ch_pass[c];
				uint64_t m = p % mb * C + c, n = p / mb * R + r;
				if (m < t->m && n < t->n)
					out[m * t->n + n] = chain[c * R + r];
				ch_n[c]--;
				if (!--left)
					*cycles = cyc + 1;
			}
		/* the PEs: the word at PE (r,c) entered its edges r+c cycles ago
		 * (each stream is skewed by its edge index, then hops); on the
		 * word's last cycle the MAC completes, and a finished pass moves
		 * into the PE's shadow register, which must be free */
		for (uint64_t r = 0; r < R && !st; r++)
			for (uint64_t c = 0; c < C && !st; c++) {
				uint64_t i = r * C + c, lag = r + c;
				const struct word *w, *a;
				if (cyc < lag)
					continue;
				w = hist_at(&hw, cyc - lag, r);
				a = hist_at(&ha, cyc - lag, c);
				if (!w->valid && !a->valid)
					continue;
				if (w->valid != a->valid || w->pass != a->pass || w->idx != a->idx) {
					st = pe_error(err, r, c, cyc, "operands of different words");
					break;
				}
				if (++seen[i] % step)
					continue;
				acc[i] += dotl(a->v, w->v, L);
				if (w->idx + 1 < S)
					continue;
				if (sh_full[i]) {
					st = pe_error(err, r, c, cyc, "a result over a shadow register not yet drained");
					break;
				}
				sh[i] = acc[i];
				sh_pass[i] = w->pass;
				sh_full[i] = true;
				acc[i] = 0;
			}
		/* a column whose shadow registers all hold one pass loads them
		 * into its output chain, once that is empty */
		for (uint64_t c = 0; c < C && !st; c++) {
			bool all = !ch_n[c];
			for (uint64_t r = 0; r < R && all; r++)
				all = sh_full[r * C + c] && sh_pass[r * C + c] == sh_pass[c];
			for (uint64_t r = 0; all && r < R; r++) {
				chain[c * R + r] = sh[r * C + c];
				sh_full[r * C + c] = false;
			}
			if (all) {
				ch_pass[c] = sh_pass[c];
				ch_n[c] = R;
			}
		}
	}
out:
	free(hw.w); free(ha.w); free(acc); free(sh); free(chain); free(seen); free(sh_pass);
	free(ch_pass); free(ch_n); free(sh_full);
	return st;
}

static enum ps_status step_ws(const struct pe_array *arr, const struct pe_tile *t,
			      uint32_t L, uint32_t step, const int8_t *A,
			      const int8_t *W, int32_t *out, uint64_t *cycles,
			      struct ps_err *err)
{
	uint64_t R = arr->rows, C = arr->cols, G = cdiv(t->k, L), kb = cdiv(G, R);
	uint64_t passes = kb * cdiv(t->n, C), left = t->m * C * passes;
	uint64_t next = 0, loading = 1;
	size_t cells = R * C;
	struct hist ha = { NULL, R, 0 };
	/* when pass q's weights start into column 0 (column c: c later) */
	uint64_t *load_at = calloc(passes + 1, sizeof *load_at);
	struct word *act = calloc(cells, sizeof *act);	/* active weights */
	struct word *shd = calloc(cells, sizeof *shd);	/* shadow weights */
	struct word *trn = calloc(cells, sizeof *trn);	/* the loading chain */
	struct word *pw = calloc(cells, sizeof *pw);	/* partial sum leaving a PE */
	int64_t *ps = calloc(cells, sizeof *ps);
	uint64_t *seen = calloc(cells, sizeof *seen);
	bool *pvalid = calloc(cells, sizeof *pvalid);
	enum ps_status st = PS_OK;

	if (!act || !shd || !trn || !pw || !ps || !seen || !pvalid || !load_at) {
		st = ps_errf(err, PS_ENOMEM, "out of memory");
		goto out;
	}
	for (uint64_t cyc = 0; left && !st; cyc++) {
		uint64_t p = next / step / t->m, i = next / step % t->m;
		if ((st = hist_grow(&ha, cyc + R + C + 2, err)))
			break;
		/* controller: activation row i of pass p for `step` cycles; a
		 * pass starts once its weights are in (R cycles after their load
		 * started, the last column's R cycles later still) */
		if (next < passes * t->m * step) {
			bool first = i == 0 && next % step == 0;
			if (!first || (loading > p && cyc >= load_at[p] + R)) {
				if (first && loading < passes)
					load_at[loading++] = cyc;	/* the next pass's weights */
				for (uint64_t r = 0; r < R; r++) {
					struct word *a = hist_at(&ha, cyc, r);
					uint64_t g = p % kb * R + r;
					*a = (struct word){ .valid = true, .pass = p, .idx = i };
					for (uint32_t l = 0; l < L; l++) {
						uint64_t k = g * L + l;
						a->v[l] = k < t->k ? A[i * t->k + k] : 0;
					}
				}
				next++;
			}
		}
		/* the PEs, bottom row first (a partial sum moves one PE per
		 * cycle): PE (r,c) sees the activation that entered row r c
		 * cycles ago; the first of a pass takes the shadow weights (still
		 * this pass's: the next pass's reach the PE later this cycle); on
		 * the word's last cycle it adds its product to the partial sum
		 * PE (r-1,c) passed down */
		for (uint64_t rr = R; rr-- > 0 && !st;)
			for (uint64_t c = 0; c < C && !st; c++) {
				uint64_t x = rr * C + c, lag = rr + c;
				const struct word *a;
				int64_t in = 0;
				if (cyc < lag)
					continue;
				a = hist_at(&ha, cyc - lag, rr);
				if (!a->valid)
					continue;
				if (!act[x].valid || act[x].pass != a->pass) {
					if (!shd[x].valid || shd[x].pass != a->pass) {
						st = pe_error(err, rr, c, cyc, "its pass's weights are not in");
						break;
					}
					if (shd[x].idx != rr) {
						st = pe_error(err, rr, c, cyc, "weights of another row");
						break;
					}
					act[x] = shd[x];
				}
				if (++seen[x] % step)
					continue;
				if (rr) {
					uint64_t up = (rr - 1) * C + c;
					if (!pvalid[up] || pw[up].pass != a->pass || pw[up].idx != a->idx) {
						st = pe_error(err, rr, c, cyc, "partial sum of another row");
						break;
					}
					in = ps[up];
					pvalid[up] = false;
				}
				in += dotl(a->v, act[x].v, L);
				if (rr + 1 < R) {
					ps[x] = in;
					pw[x] = *a;
					pvalid[x] = true;
				} else {
					uint64_t n = a->pass / kb * C + c;
					if (n < t->n)
						out[a->idx * t->n + n] += (int32_t)in;
					if (!--left)
						*cycles = cyc + 1;
				}
			}
		/* the weight chains: column c's loading chain shifts down one row
		 * per cycle from c cycles after the load started, R times (the
		 * word for row R-1 enters first), then latches into the column's
		 * shadow registers (each PE took its previous shadow by then) */
		for (uint64_t c = 0; c < C && !st; c++) {
			uint64_t q = loading, j;
			/* the pass whose load window this cycle falls in (they do not
			 * overlap: a pass starts R after its load did) */
			for (uint64_t x = 0; x < loading; x++)
				if (cyc >= load_at[x] + c && cyc < load_at[x] + c + R)
					q = x;
			if (q == loading)
				continue;
			j = cyc - load_at[q] - c;
			for (uint64_t r = R - 1; r > 0; r--)
				trn[r * C + c] = trn[(r - 1) * C + c];
			{
				struct word *w = &trn[c];
				uint64_t r = R - 1 - j, g = q % kb * R + r, n = q / kb * C + c;
				*w = (struct word){ .valid = true, .pass = q, .idx = r };
				for (uint32_t l = 0; l < L; l++) {
					uint64_t k = g * L + l;
					w->v[l] = n < t->n && k < t->k ? W[k * t->n + n] : 0;
				}
			}
			if (j + 1 == R)
				for (uint64_t r = 0; r < R; r++) {
					uint64_t x = r * C + c;
					if (shd[x].valid && (!act[x].valid || act[x].pass != shd[x].pass)) {
						st = pe_error(err, r, c, cyc, "new weights over shadow weights not yet taken");
						break;
					}
					shd[x] = trn[x];
				}
		}
	}
out:
	free(load_at); free(ha.w); free(act); free(shd); free(trn); free(pw); free(ps); free(seen); free(pvalid);
	return st;
}

enum ps_status pe_systolic_step(const struct pe_array *arr, const struct pe_tile *t,
				uint32_t lanes, uint32_t step, const int8_t *A,
				const int8_t *W, int32_t *out, uint64_t *cycles,
				struct ps_err *err)
{
	if (!arr->rows || !arr->cols || !t->m || !t->n || !t->k || !lanes || lanes > LMAX || !step)
		return ps_errf(err, PS_EINPUT, "pe_systolic_step: empty array or tile, or lanes > %d", LMAX);
	memset(out, 0, t->m * t->n * sizeof *out);
	*cycles = 0;
	return arr->dataflow == CFG_DF_WS ? step_ws(arr, t, lanes, step, A, W, out, cycles, err) :
					    step_os(arr, t, lanes, step, A, W, out, cycles, err);
}

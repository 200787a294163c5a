/* test_pe_mixpe_array.c - the MixPE array model (pe_mixpe_array.c: the
 * PEs' registers field by field, the pass-through registers kept as the
 * decoded inputs) against the array as README "Array" draws it: a grid of
 * single PEs (pe_mixpe_pe_step) wired right and down, stepped bottom-right
 * first. Random edges on arrays of 1..6 x 1..6 in every mode, broken
 * variants included; out_valid and out_data compared at every edge and the
 * summed counters at the end. And the lane products the models compute
 * (pe_mixpe_stage.h) against the shift&add forms, on every operand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mixpe/pe_mixpe.h"
#include "mixpe/pe_mixpe_stage.h"
#include "test_util.h"

static uint64_t rng_state;
static uint64_t rnd(void) { return tu_rng(&rng_state); }
static bool chance(unsigned pct) { return tu_rng_below(&rng_state, 100) < pct; }

/* ---- the reference: single PEs wired as the RTL top wires them ---- */

static void ref_step(struct pe_mixpe_pe *pe, unsigned rows, unsigned cols,
		     const struct pe_mixpe_row_in *row, const uint64_t *a_col,
		     uint8_t *start, uint8_t *ov, uint16_t *out)
{
	const struct pe_mixpe_pe *bot = pe + (size_t)(rows - 1) * cols;

	for (unsigned c = 0; c < cols; c++) {
		start[c] = bot[c].slot.done;
		ov[c] = bot[c].slot.res_valid && (bot[c].slot.res_drain || start[c]);
		out[c] = ov[c] ? bot[c].slot.res : 0;
	}
	for (unsigned r = rows; r-- > 0;) {
		for (unsigned c = cols; c-- > 0;) {
			struct pe_mixpe_pe *x = pe + (size_t)r * cols + c;
			struct pe_mixpe_pe_in in = { .sh_start = start[c] };
			in.row = c == 0 ? row[r] : x[-1].row_out;
			if (r == 0) {
				in.a = a_col[c];
			} else {
				const struct pe_mixpe_pe *u = x - cols;
				in.a = u->a_out;
				in.sh_valid = u->slot.res_valid;
				in.sh_drain = u->slot.res_drain;
				in.sh = u->slot.res;
			}
			pe_mixpe_pe_step(x, &in);
		}
	}
}

/* ---- random edges ---- */

static uint16_t f16_any(void)
{
	if (chance(5))
		return (uint16_t)rnd();		/* specials, subnormals */
	return (uint16_t)((rnd() & 0x8000) | (10 + tu_rng_below(&rng_state, 11)) << 10 |
			  (rnd() & 0x3ff));
}

/* Control bits at random (groups without in_first, in_last without
 * in_glast, idle edges): the dequantizers and drain chains busy at once. */
static void rand_edge(const struct pe_mixpe_cfg *c, unsigned rows,
		      unsigned cols, struct pe_mixpe_row_in *row, uint64_t *a)
{
	for (unsigned r = 0; r < rows; r++)
		row[r] = (struct pe_mixpe_row_in){
			.valid = chance(80), .first = chance(10),
			.glast = chance(12), .last = chance(6),
			.w = (uint16_t)rnd(), .scale = f16_any(),
			.zero = (uint8_t)rnd(),
		};
	for (unsigned col = 0; col < cols; col++) {
		a[col] = rnd();
		if (c->fp16)
			for (unsigned l = 0; l < 4; l++)
				a[col] = (a[col] & ~(0xffffull << 16 * l)) |
					 (uint64_t)f16_any() << 16 * l;
	}
}

/* Edges through the array of cfg (bugs: the array's) and through the
 * reference (ref_bugs: its PEs'); returns the edges whose outputs differ.
 * Same bugs: the counters must agree too. */
static uint64_t run(const struct pe_mixpe_cfg *cfg, uint32_t bugs,
		    uint32_t ref_bugs, unsigned rows, unsigned cols,
		    uint64_t edges, uint64_t seed)
{
	size_t n = (size_t)rows * cols;
	struct pe_mixpe_pe *pe = calloc(n, sizeof *pe);
	struct pe_mixpe_row_in *row = calloc(rows, sizeof *row);
	uint64_t *a = calloc(cols, sizeof *a), bad = 0;
	uint8_t *st = calloc(cols, 1), *ov1 = calloc(cols, 1), *ov2 = calloc(cols, 1);
	uint16_t *o1 = calloc(cols, sizeof *o1), *o2 = calloc(cols, sizeof *o2);
	struct pe_mixpe_cfg c = *cfg, rc = *cfg;
	struct pe_mixpe_array *arr = NULL;
	struct pe_mixpe_actions s1, s2 = { 0 };
	struct ps_err err;

	assert_true(pe && row && a && st && ov1 && ov2 && o1 && o2);
	c.bugs = bugs;
	rc.bugs = ref_bugs;
	assert_int_equal(pe_mixpe_array_new(&c, rows, cols, &arr, &err), PS_OK);
	for (size_t i = 0; i < n; i++)
		pe_mixpe_pe_reset(&pe[i], &rc);
	rng_state = seed;
	for (uint64_t e = 0; e < edges; e++) {
		rand_edge(cfg, rows, cols, row, a);
		pe_mixpe_array_step(arr, row, a, ov1, o1);
		ref_step(pe, rows, cols, row, a, st, ov2, o2);
		bad += memcmp(ov1, ov2, cols) || memcmp(o1, o2, cols * sizeof *o1);
	}
	pe_mixpe_array_sum(arr, &s1);
	for (size_t i = 0; i < n; i++)
		pe_mixpe_actions_add(&s2, &pe[i].act);
	if (bugs == ref_bugs) {
		assert_memory_equal(&s1, &s2, sizeof s1);
		assert_true(s1.results > edges / 50);	/* the chains were busy */
	}
	pe_mixpe_array_free(arr);
	TU_FREE(pe, row, a, st, ov1, ov2, o1, o2);
	return bad;
}

static void cfg_of(unsigned wbits, unsigned lanes, unsigned a_bits,
		   struct pe_mixpe_cfg *c)
{
	struct pe_params p = { .weight_bits = wbits, .a_bits = a_bits,
			       .lanes = lanes, .group_size = 12 * lanes };
	assert_int_equal(pe_mixpe_cfg_from_params(&p, c, NULL), PS_OK);
}

/* Every mode on arrays of 1..6 x 1..6: the same outputs at every edge. */
static void test_array_is_its_pes(void **state)
{
	uint64_t seed = 0x3a77;
	(void)state;
	for (unsigned wbits = 2; wbits <= 4; wbits++)
		for (unsigned lanes = 1; lanes <= 4; lanes++)
			for (unsigned ab = 8; ab <= 16; ab += 8) {
				struct pe_mixpe_cfg c;
				unsigned rows = 1 + (unsigned)(seed % 6);
				unsigned cols = 1 + (unsigned)(seed / 6 % 6);
				cfg_of(wbits, lanes, ab, &c);
				assert_int_equal(run(&c, 0, 0, rows, cols, 3000, seed), 0);
				seed = seed * 0x9e3779b97f4a7c15ull + 1;
			}
	/* the registered 4x4 shape, both modes, and the broken variants
	 * (the array's bugs are the PEs') */
	for (unsigned ab = 8; ab <= 16; ab += 8) {
		struct pe_mixpe_cfg c;
		cfg_of(4, 2, ab, &c);
		assert_int_equal(run(&c, 0, 0, 4, 4, 20000, 11 + ab), 0);
		assert_int_equal(run(&c, PE_MIXPE_BUG_NO_ZERO, PE_MIXPE_BUG_NO_ZERO,
				     4, 4, 5000, 12 + ab), 0);
		assert_int_equal(run(&c, PE_MIXPE_BUG_MSB_POS, PE_MIXPE_BUG_MSB_POS,
				     4, 4, 5000, 13 + ab), 0);
	}
}

/* The check can fail: an array whose PEs have a bug the reference's lack
 * (or the other way round) differs on most edges that show a result. */
static void test_array_mutants_caught(void **state)
{
	static const uint32_t bugs[] = { PE_MIXPE_BUG_NO_ZERO, PE_MIXPE_BUG_MSB_POS };
	(void)state;
	for (unsigned ab = 8; ab <= 16; ab += 8)
		for (size_t i = 0; i < 2; i++) {
			struct pe_mixpe_cfg c;
			uint64_t x, y;
			cfg_of(4, 2, ab, &c);
			x = run(&c, bugs[i], 0, 4, 4, 5000, 21 + i);
			y = run(&c, 0, bugs[i], 3, 5, 5000, 23 + i);
			printf("A%u bug %u: %llu and %llu of 5000 edges differ\n", ab,
			       bugs[i], (unsigned long long)x, (unsigned long long)y);
			assert_true(x > 500 && y > 500);
		}
}

/* The registered "mixpe_array" (bt ports, reset) is the same machine. */
static void test_array_bt_ports(void **state)
{
	const struct pe_bt_ops *ops = &pe_mixpe_array_bt;
	struct pe_params p = { .weight_bits = 4, .a_bits = 16, .lanes = 2, .group_size = 24 };
	struct pe_mixpe_pe pe[16];
	struct pe_mixpe_cfg c;
	struct pe_mixpe_row_in row[4];
	uint64_t in[11], out[2], a[4], bad = 0;
	uint8_t st[4], ov[4];
	uint16_t o[4];
	void *s = malloc(ops->state_size);
	struct ps_err err;
	(void)state;

	assert_true(s != NULL);
	assert_int_equal(ops->init(s, &p, &err), PS_OK);
	pe_mixpe_cfg_from_params(&p, &c, NULL);
	for (unsigned i = 0; i < 16; i++)
		pe_mixpe_pe_reset(&pe[i], &c);
	rng_state = 0x5e7;
	for (unsigned e = 0; e < 20000; e++) {
		if (e == 7000) {	/* mid-stream reset */
			ops->reset(s);
			for (unsigned i = 0; i < 16; i++)
				pe_mixpe_pe_reset(&pe[i], &c);
		}
		rand_edge(&c, 4, 4, row, a);
		pe_mixpe_array_ports(row, a, in);
		ops->step(s, in, out);
		ref_step(pe, 4, 4, row, a, st, ov, o);
		for (unsigned col = 0; col < 4; col++) {
			bad += ((out[0] >> col) & 1) != ov[col];
			bad += (uint16_t)(out[1] >> (16 * col)) != o[col];
		}
	}
	assert_int_equal(bad, 0);
	free(s);
}

/* The models' lane products (plain products) are the shift&add ones, on
 * every FP16 pattern / INT8 value and every weight code of 2..4 bits,
 * unbroken and with the MSB read as unsigned. */
static void test_products_are_shift_add(void **state)
{
	static const uint32_t bugs[] = { 0, PE_MIXPE_BUG_MSB_POS };
	uint64_t bad = 0;
	(void)state;
	for (unsigned b = 2; b <= 4; b++)
		for (size_t k = 0; k < 2; k++) {
			struct pe_mixpe_cfg c;
			cfg_of(b, 1, 8, &c);
			c.bugs = bugs[k];
			for (unsigned code = 0; code < (1u << b); code++) {
				int wv = pe_mixpe_wval(&c, code);
				int ws = tu_sext(code, b);
				for (unsigned a = 0; a < 65536; a++)
					bad += pe_mixpe_f16_product((uint16_t)a, wv) !=
					       pe_mixpe_fp_product((uint16_t)a, ws, b, bugs[k]);
				for (unsigned a = 0; a < 256; a++) {
					int32_t sa;
					uint32_t terms;
					int32_t t = pe_mixpe_int_lanes(&c, a, (uint16_t)code,
								       &sa, &terms);
					bad += t != (int8_t)a * wv;
					bad += terms != pe_mixpe_terms(code);
				}
			}
		}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_products_are_shift_add),
		cmocka_unit_test(test_array_is_its_pes),
		cmocka_unit_test(test_array_mutants_caught),
		cmocka_unit_test(test_array_bt_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

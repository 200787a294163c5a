/* test_quant.c - the quantizers on hand-built groups whose right answer is
 * known, and on generated Llama-like weights.
 *
 * BitMoD must pick the special-value type that represents a group exactly;
 * OliVe must zero an outlier's victim and code the outlier in abfloat; N:M
 * must keep the largest magnitudes and its metadata must decode back; the
 * LUT-TC reinterpretation must not change a single dequantized bit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_quant.h"
#include "wl_tensor.h"

static void quant(const char *spec, const float *w, uint64_t n, uint64_t k,
		  struct cc_qtensor *t)
{
	struct fmt_qspec q;
	struct ps_err err = { "" };
	if (fmt_qspec_parse(spec, &q, &err) != PS_OK)
		fail_msg("%s", err.msg);
	if (cc_quantize(&q, w, n, k, t, &err) != PS_OK)
		fail_msg("%s: %s", spec, err.msg);
}

/* MSE of one group at scale max|w| / max|grid|, computed here. */
static double cand_mse(int id, const float *w, int n)
{
	const struct fmt_desc *d = fmt_get(id);
	double m = 0, e2 = 0;
	for (int i = 0; i < n; i++)
		m = fmax(m, fabs(w[i]));
	double s = m / d->max_abs;
	for (int i = 0; i < n; i++) {
		double v = fmt_decode(id, fmt_encode(id, w[i] / s)) * s;
		e2 += (w[i] - v) * (w[i] - v);
	}
	return e2 / n;
}

/* One group of 8; the candidate named must win and all others lose. */
static void bitmod_pick(const char *spec, const float *g, int want,
			const int cand[4])
{
	struct cc_qtensor t;
	quant(spec, g, 1, 8, &t);
	if (t.gfmt[0] != want)
		fail_msg("%s picked %s, want %s", spec, fmt_get(t.gfmt[0])->name,
			 fmt_get(want)->name);
	for (int i = 0; i < 4; i++)
		if (cand[i] != want)
			assert_true(cand_mse(want, g, 8) < cand_mse(cand[i], g, 8));
	/* one group per row: s_q = 255 and c = fp16(s / 255) */
	assert_int_equal(t.scale_q[0], 255);
	assert_true(t.scale[0] == 255 * t.chan_scale[0]);
	assert_true(t.st.sqnr_db > 40);	/* exact but for the 8-bit scale */
	assert_true(t.stored_bits == spec[6] - '0' + 1.0);	/* b + 8/8 */
	cc_qtensor_free(&t);
}

static void test_bitmod_select(void **state)
{
	static const int c4[4] = { FMT_FP4_ER_POS, FMT_FP4_ER_NEG, FMT_FP4_EA_POS,
				   FMT_FP4_EA_NEG };
	static const int c3[4] = { FMT_FP3_ER_POS, FMT_FP3_ER_NEG, FMT_FP3_EA_POS,
				   FMT_FP3_EA_NEG };
	/* -16 exists only in FP4_EA_NEG; the rest is on the FP4 grid */
	static const float ea_neg4[8] = { -0.16f, 0.01f, 0.02f, 0.03f, 0.04f, 0.06f,
					  0.08f, 0.12f };
	/* +10 only in FP4_ER_POS; max 12 keeps the ER scale */
	static const float er_pos4[8] = { 0.10f, -0.12f, 0.01f, -0.02f, 0.03f, 0.04f,
					  -0.06f, 0.08f };
	/* 3-bit: -6 only in FP3_EA_NEG; -3 only in FP3_ER_NEG */
	static const float ea_neg3[8] = { -0.6f, 0.1f, 0.2f, 0.4f, -0.1f, -0.2f,
					  -0.4f, 0 };
	static const float er_neg3[8] = { -0.3f, 0.4f, 0.1f, 0.2f, -0.4f, -0.1f,
					  0, 0.2f };
	(void)state;
	bitmod_pick("bitmod4-g8", ea_neg4, FMT_FP4_EA_NEG, c4);
	bitmod_pick("bitmod4-g8", er_pos4, FMT_FP4_ER_POS, c4);
	bitmod_pick("bitmod3-g8", ea_neg3, FMT_FP3_EA_NEG, c3);
	bitmod_pick("bitmod3-g8", er_neg3, FMT_FP3_ER_NEG, c3);

	/* equal MSE (plain FP4 values, max 12: ER_POS and ER_NEG both exact):
	 * the earlier candidate */
	static const float plain[8] = { 0.12f, -0.08f, 0.06f, -0.04f, 0.03f, 0.02f,
					-0.01f, 0 };
	struct cc_qtensor t;
	quant("bitmod4-g8", plain, 1, 8, &t);
	assert_int_equal(t.gfmt[0], FMT_FP4_ER_POS);
	cc_qtensor_free(&t);
}

/* Two-level scales: c = fp16(max s_g / 255), s_q = round(s_g / c). */
static void test_bitmod_scales(void **state)
{
	float w[24];
	struct cc_qtensor t;
	(void)state;
	for (int i = 0; i < 8; i++) {
		w[i] = 0.12f * (float)(i - 4) / 4;		/* max 0.12 */
		w[8 + i] = 0.06f * (float)(i - 4) / 4;		/* max 0.06 */
		w[16 + i] = 0;					/* all zero */
	}
	quant("bitmod4-g8", w, 1, 24, &t);
	/* {-16, -12, ..., 12} x s: exact only in FP4_EA_NEG (max|grid| 16) */
	assert_int_equal(t.gfmt[0], FMT_FP4_EA_NEG);
	assert_int_equal(t.gfmt[1], FMT_FP4_EA_NEG);
	assert_int_equal(t.gfmt[2], FMT_FP4_ER_POS);	/* all equal: the first */
	float s0 = (float)(0.12f / 16.0), s1 = (float)(0.06f / 16.0);
	double c = fmt_f16_round(s0 / 255.0);
	assert_true(t.chan_scale[0] == (float)c);
	assert_int_equal(t.scale_q[0], 255);
	assert_int_equal(t.scale_q[1], (int)floor(s1 / c + 0.5));
	assert_true(t.scale_q[1] >= 127 && t.scale_q[1] <= 128);
	assert_int_equal(t.scale_q[2], 0);
	for (int i = 0; i < 3; i++)
		assert_true(t.scale[i] == (float)(t.scale_q[i] * c));
	for (int i = 16; i < 24; i++)
		assert_true(t.deq[i] == 0);
	/* codes decode, with the group's type, to deq / scale */
	for (int i = 0; i < 24; i++)
		assert_true((float)(fmt_decode(t.gfmt[i / 8], t.codes[i]) * t.scale[i / 8]) ==
			    t.deq[i]);
	cc_qtensor_free(&t);
}

static void test_olive_victim(void **state)
{
	float w[64];
	struct cc_qtensor t;
	(void)state;
	for (int i = 0; i < 64; i++)
		w[i] = 0.01f * (float)((i * 37) % 21 - 10) / 10;
	w[11] = 5.0f;		/* an outlier; w[10] is its victim */
	w[40] = -0.5f;		/* large, but normal at the chosen scale? */
	quant("olive4", w, 1, 64, &t);
	/* pair (10, 11): identifier in the even slot, abfloat in the odd */
	assert_int_equal(t.codes[10], fmt_get(FMT_OLIVE4)->ovp_id);
	assert_true(t.deq[10] == 0);
	double ov = fmt_decode(FMT_ABF4_B5, t.codes[11]);
	assert_false(isnan(ov));
	assert_true(fabs(ov) >= 48);
	assert_true(t.deq[11] == (float)(ov * t.scale[0]));
	assert_true(fabs(t.deq[11] - 5.0) < 5.0 * 0.25);
	/* every pair decodes to deq / scale */
	for (int p = 0; p < 32; p++) {
		double v[2];
		uint32_t pc = (uint32_t)t.codes[2 * p + 1] << 4 | t.codes[2 * p];
		assert_int_equal(fmt_ovp_decode(FMT_OLIVE4, pc, v), FMT_CODE_VALUE);
		assert_true((float)(v[0] * t.scale[0]) == t.deq[2 * p]);
		assert_true((float)(v[1] * t.scale[0]) == t.deq[2 * p + 1]);
	}
	assert_true(t.outlier_pairs > 0 && t.outlier_pairs <= 2.0 / 32);
	cc_qtensor_free(&t);

	/* odd K: the last element pairs with an implicit 0 */
	quant("olive4i", w, 1, 63, &t);
	assert_int_equal(t.codes[10], 8);
	assert_true(t.deq[10] == 0);
	cc_qtensor_free(&t);
}

static void test_nm(void **state)
{
	/* block 0: distinct magnitudes; block 1: ties and only three
	 * non-zeros; block 2: four elements (K = 36) */
	float w[36] = {
		0.1f, -0.9f, 0.3f, 0.05f, -0.7f, 0.2f, 0.0f, 0.4f,
		-0.15f, 0.8f, 0.01f, -0.02f, 0.03f, 0.6f, -0.5f, 0.25f,
		0, 0.5f, 0, 0, -0.5f, 0, 0, 0, 0, 0, 0, 0, 0.5f, 0, 0, 0,
		0.2f, -0.2f, 0.2f, 0.1f,
	};
	static const uint8_t keep0[4] = { 1, 4, 9, 13 };	/* 0.9 0.7 0.8 0.6 */
	static const uint8_t keep1[3] = { 1, 4, 12 };
	static const uint8_t keep2[2] = { 0, 1 };		/* ties: lower index */
	float dense[36];
	struct cc_qtensor t;
	struct ps_err err;
	(void)state;

	quant("nm4of16-int4", w, 1, 36, &t);
	assert_int_equal(t.n_blocks, 3);
	assert_int_equal(t.nm_stride, 3);
	const uint8_t *m = t.nm_meta;
	assert_int_equal(m[0], 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal((m[1 + i / 2] >> (4 * (i & 1))) & 15, keep0[i]);
	assert_int_equal(m[3], 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal((m[4 + i / 2] >> (4 * (i & 1))) & 15, keep1[i]);
	(void)keep2;
	assert_int_equal(m[6], 4);	/* block 2 has 4 non-zeros: all kept */
	for (int i = 0; i < 36; i++) {
		bool kept = i < 16 ? memchr(keep0, i, 4) != NULL
			  : i < 32 ? memchr(keep1, i - 16, 3) != NULL : true;
		if (!kept)
			assert_true(t.deq[i] == 0);
		else
			assert_true(fabsf(t.deq[i] - w[i]) <= t.scale[0] / 2 * 1.001f);
	}
	assert_int_equal(cc_nm_expand(&t, dense, &err), PS_OK);
	assert_memory_equal(dense, t.deq, sizeof dense);
	/* bits: 3 count bytes + 11 kept x (4-bit index + 4-bit value) + one
	 * FP16 scale (K = 36 < 128), over 36 weights */
	assert_true(fabs(t.stored_bits - (24 + 11 * 8 + 16) / 36.0) < 1e-12);
	cc_qtensor_free(&t);

	quant("nm2of16-int4", w + 32, 1, 4, &t);
	assert_int_equal(t.nm_meta[0], 2);
	assert_int_equal(t.nm_meta[1], keep2[0] | keep2[1] << 4);
	assert_true(t.deq[2] == 0 && t.deq[3] == 0 && t.deq[0] != 0 && t.deq[1] != 0);
	cc_qtensor_free(&t);

	/* a corrupt index is caught */
	quant("nm4of16-int4", w, 1, 36, &t);
	t.nm_meta[1] = 0x11;	/* indices 1, 1: not ascending */
	assert_int_equal(cc_nm_expand(&t, dense, &err), PS_EINPUT);
	cc_qtensor_free(&t);

	/* dense mode (N = 16) has no metadata and equals int4-g128 */
	struct cc_qtensor a, b;
	quant("nm16of16-int4", w, 1, 36, &a);
	quant("int4-g128", w, 1, 36, &b);
	assert_null(a.nm_meta);
	assert_memory_equal(a.deq, b.deq, sizeof w);
	cc_qtensor_free(&a);
	cc_qtensor_free(&b);
}

static void test_lut_reinterpret(void **state)
{
	enum { N = 8, K = 300 };
	float *w = malloc(N * K * sizeof *w);
	struct cc_qtensor a, b;
	struct ps_err err;
	(void)state;
	assert_int_equal(wl_gen_weights(3, N, K, NULL, w, &err), PS_OK);
	for (int bits = 1; bits <= 4; bits++) {
		char s1[32], s2[32];
		snprintf(s1, sizeof s1, "int%da-g64", bits);
		snprintf(s2, sizeof s2, "lut-int%d-g64", bits);
		quant(s1, w, N, K, &a);
		float *before = malloc(N * K * sizeof *before);
		memcpy(before, a.deq, N * K * sizeof *before);
		float s0 = a.scale[0], z0 = a.zero[0];
		uint8_t c0 = a.codes[0];
		assert_int_equal(cc_lut_reinterpret(&a, &err), PS_OK);
		/* bit-identical dequantized values; codes unchanged */
		assert_memory_equal(before, a.deq, N * K * sizeof *before);
		assert_int_equal(a.codes[0], c0);
		assert_true(a.scale[0] == s0 / 2);
		assert_true(a.zero[0] == 2 * z0 + 1 - (1 << bits));
		assert_int_equal(a.fmt, FMT_PM1_W1 + bits - 1);
		assert_true(fmt_decode(a.fmt, c0) == 2.0 * c0 - ((1 << bits) - 1));
		/* a second reinterpretation is refused: no longer asymmetric INT */
		assert_int_equal(cc_lut_reinterpret(&a, &err), PS_EINPUT);
		quant(s2, w, N, K, &b);
		assert_memory_equal(before, b.deq, N * K * sizeof *before);
		assert_true(b.st.sqnr_db == a.st.sqnr_db);
		free(before);
		cc_qtensor_free(&a);
		cc_qtensor_free(&b);
	}
	/* symmetric INT cannot be reinterpreted */
	quant("int4-g64", w, N, K, &a);
	assert_int_equal(cc_lut_reinterpret(&a, &err), PS_EINPUT);
	cc_qtensor_free(&a);
	free(w);
}

static void test_int_asym_zero(void **state)
{
	/* all positive: the range is [0, max], z = 0; all negative: z = 15;
	 * mixed: z = round(-min/s) and 0 is exact */
	float w[24] = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.75f,
			-0.1f, -0.2f, -0.3f, -0.4f, -0.5f, -0.6f, -0.7f, -0.75f,
			-0.3f, 0, 0.45f, 0.1f, -0.1f, 0, 0.2f, 0.3f };
	struct cc_qtensor t;
	(void)state;
	quant("int4a-g8", w, 1, 24, &t);
	assert_true(t.zero[0] == 0);
	assert_true(t.zero[1] == 15);
	assert_true(t.scale[0] == fmt_f16_round(0.75 / 15));
	assert_true(t.zero[2] == (float)floor(0.3 / t.scale[2] + 0.5));
	assert_true(t.deq[17] == 0 && t.deq[21] == 0);
	for (int i = 0; i < 24; i++) {
		double q = fmt_decode(FMT_INT4A, t.codes[i]);
		assert_true(t.deq[i] == (float)((double)t.scale[i / 8] * (q - t.zero[i / 8])));
		assert_true(fabsf(t.deq[i] - w[i]) <= t.scale[i / 8] / 2 * 1.001f);
	}
	assert_true(fabs(t.stored_bits - (4 + 20.0 / 8)) < 1e-12);
	cc_qtensor_free(&t);

	/* a zero point where rounding and truncation differ: min -0.28, max
	 * 0.47, s = fp16(0.75 / 15) = 0.0499877..., -min/s = 5.601: the zero
	 * point rounds to 6 (truncating would give 5 and move every code) */
	{
		float r[8] = { -0.28f, 0.47f, 0.1f, -0.1f, 0.2f, 0, 0.33f, -0.05f };
		double x;
		quant("int4a-g8", r, 1, 8, &t);
		x = 0.28 / (double)t.scale[0];
		assert_true(x - floor(x) > 0.5);	/* the case the test is for */
		assert_true(t.zero[0] == 6);
		assert_true(fmt_decode(FMT_INT4A, t.codes[5]) == 6);	/* 0 is code 6 */
		assert_true(t.deq[5] == 0);
		for (int i = 0; i < 8; i++)
			assert_true(fabsf(t.deq[i] - r[i]) <= t.scale[0] / 2 * 1.001f);
		cc_qtensor_free(&t);
	}

	/* an all-zero group, and a short last group (K = 10, G = 8) */
	float z[10] = { 0, 0, 0, 0, 0, 0, 0, 0, 0.5f, -0.25f };
	quant("int4a-g8", z, 1, 10, &t);
	assert_int_equal(t.n_groups, 2);
	assert_true(t.scale[0] == 0 && t.zero[0] == 0);
	for (int i = 0; i < 8; i++)
		assert_true(t.deq[i] == 0);
	assert_true(t.zero[1] == 5);	/* -min/s = 0.25 / 0.05 */
	assert_true(fabsf(t.deq[8] - 0.5f) <= t.scale[1] / 2);
	assert_true(fabsf(t.deq[9] + 0.25f) <= t.scale[1] / 2);
	cc_qtensor_free(&t);

	/* symmetric: scale = max|w| / 7, the max is exact */
	quant("int4-g8", w, 1, 24, &t);
	assert_true(t.scale[0] == fmt_f16_round(0.75 / 7));
	assert_true(fabsf(t.deq[7] - 0.75f) < 1e-3f);
	assert_int_equal(t.codes[7], 7);
	assert_int_equal(t.codes[15], 9);	/* -7 in two's complement */
	cc_qtensor_free(&t);
}

/* ANT: a tensor on the int4 grid is exact only as int4; PoT data only as
 * pot4. */
static void test_ant_select(void **state)
{
	float w[2 * 64];
	struct cc_qtensor t;
	(void)state;
	/* power-of-two steps keep the FP16 scales exact */
	for (int i = 0; i < 128; i++)
		w[i] = (i < 64 ? 0x1p-7f : 0x1p-5f) * (float)((i * 7) % 15 - 7);
	quant("ant4", w, 2, 64, &t);
	assert_int_equal(t.fmt, FMT_INT4);
	assert_true(t.st.sum_e2 == 0);
	cc_qtensor_free(&t);
	for (int i = 0; i < 128; i++)
		w[i] = (i & 1 ? -1.0f : 1.0f) * 0x1p-10f * (float)(1 << (i % 7));
	quant("ant4", w, 2, 64, &t);
	assert_int_equal(t.fmt, FMT_POT4);
	assert_true(t.st.sum_e2 == 0);
	assert_true(strstr(t.note, "pot4") != NULL);
	cc_qtensor_free(&t);
	/* a single-type channel quantizer reports the same for pot4 data */
	quant("pot4", w, 2, 64, &t);
	assert_int_equal(t.fmt, FMT_POT4);
	assert_true(fabs(t.stored_bits - (4 + 16.0 / 64)) < 1e-12);
	cc_qtensor_free(&t);
}

static void test_spec_parse(void **state)
{
	static const char *good[][2] = {
		{ "int4-g128", "int4-g128" }, { "int4a-g64", "int4a-g64" },
		{ "bitmod4", "bitmod4" }, { "bitmod3-g64", "bitmod3-g64" },
		{ "flint4", "flint4" }, { "ant4", "ant4" }, { "olive4", "olive4" },
		{ "nm2of16-int4", "nm2of16-int4" }, { "lut-int2", "lut-int2" },
		{ "mixpe-int4", "mixpe-int4-g128" }, { "fp4_ea_neg-g32", "fp4_ea_neg-g32" },
	};
	static const char *bad[] = {
		"", "int5-g128", "int4-g0", "int4-g", "int4-gx", "int4a", "bitmod5",
		"bitmod", "nm3of16-int4", "nm2of8-int4", "nm2of16-int5", "lut-int5",
		"lut-int", "fp16-g128", "olive4-g128", "abfloat4_b5", "ant3",
		"mixpe-int4-g128x", "int8_act-g128",
	};
	struct fmt_qspec q, d[64];
	struct ps_err err;
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (fmt_qspec_parse(good[i][0], &q, &err) != PS_OK)
			fail_msg("%s: %s", good[i][0], err.msg);
		assert_string_equal(q.name, good[i][1]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (fmt_qspec_parse(bad[i], &q, &err) != PS_EINPUT)
			fail_msg("'%s' was accepted", bad[i]);
	assert_true(strstr(err.msg, "int8_act-g128") != NULL);
	assert_int_equal(fmt_qspec_defaults(5, d, 64), 0);
	for (int b = 1; b <= 8; b++) {
		int n = fmt_qspec_defaults(b, d, 64);
		for (int i = 0; i < n; i++)
			assert_int_equal(d[i].bits, b);
	}
	assert_true(fmt_qspec_defaults(4, d, 64) >= 10);
	assert_true(fmt_qspec_defaults(3, d, 64) >= 5);
}

static void test_bad_input(void **state)
{
	float w[4] = { 0.1f, NAN, 0, 0 };
	struct fmt_qspec q;
	struct cc_qtensor t;
	struct ps_err err;
	(void)state;
	assert_int_equal(fmt_qspec_parse("int4-g128", &q, &err), PS_OK);
	assert_int_equal(cc_quantize(&q, w, 1, 4, &t, &err), PS_EINPUT);
	assert_true(strstr(err.msg, "[0, 1]") != NULL);
	assert_null(t.deq);
	w[1] = 0;
	/* an all-zero tensor quantizes exactly: SQNR +inf */
	assert_int_equal(cc_quantize(&q, w + 1, 1, 3, &t, &err), PS_OK);
	assert_true(isinf(t.st.sqnr_db) && t.st.sqnr_db > 0);
	cc_qtensor_free(&t);
}

/* Generated Llama-like weights (Gaussian body, 0.5% outlier input channels
 * at 20x): BitMoD's mixture must beat per-group INT at the same bits. */
static void test_sqnr_llama_like(void **state)
{
	enum { N = 256, K = 4096 };
	static const char *order[][2] = {
		{ "bitmod4", "int4-g128" }, { "bitmod3", "int3-g128" },
		{ "bitmod4", "fp4-g128" }, { "bitmod3", "fp3-g128" },
		{ "int4-g128", "int3-g128" },
	};
	float *w = malloc(N * K * sizeof *w);
	struct ps_err err;
	(void)state;
	assert_int_equal(wl_gen_weights(1, N, K, NULL, w, &err), PS_OK);
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		struct cc_qtensor a, b;
		quant(order[i][0], w, N, K, &a);
		quant(order[i][1], w, N, K, &b);
		print_message("%-10s %6.2f dB  vs  %-10s %6.2f dB\n", order[i][0],
			      a.st.sqnr_db, order[i][1], b.st.sqnr_db);
		if (!(a.st.sqnr_db > b.st.sqnr_db))
			fail_msg("%s (%.2f dB) should beat %s (%.2f dB)", order[i][0],
				 a.st.sqnr_db, order[i][1], b.st.sqnr_db);
		/* SQNR is 10 log10(sum w^2 / sum e^2), recomputed here */
		double w2 = 0, e2 = 0;
		for (int j = 0; j < N * K; j++) {
			w2 += (double)w[j] * w[j];
			e2 += ((double)w[j] - a.deq[j]) * ((double)w[j] - a.deq[j]);
		}
		assert_true(fabs(10 * log10(w2 / e2) - a.st.sqnr_db) < 1e-9);
		assert_true(fabs(e2 / (N * K) - a.st.mse) < 1e-15);
		cc_qtensor_free(&a);
		cc_qtensor_free(&b);
	}
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmod_select),
		cmocka_unit_test(test_bitmod_scales),
		cmocka_unit_test(test_olive_victim),
		cmocka_unit_test(test_nm),
		cmocka_unit_test(test_lut_reinterpret),
		cmocka_unit_test(test_int_asym_zero),
		cmocka_unit_test(test_ant_select),
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_sqnr_llama_like),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

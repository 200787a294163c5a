/* test_wl_tensor.c - tensor generator, half/bfloat16 widening, .npy and
 * .safetensors readers.
 *
 * The readers are held to three things: exact values from files written
 * here and by numpy itself (the fuzz seed corpus), PS_EINPUT with a
 * "file: offset N: problem" message for every malformed file in
 * tests/data/bad/tensors, and no over-read on any truncation or byte flip
 * of a valid file (each probe gets an exact-size heap copy, so the ASan
 * build traps a read one byte past the end). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wl_tensor.h"

#define BAD_DIR PESIM_TEST_DATA "/bad/tensors"
#define CORPUS PESIM_SRCDIR "/tests/fuzz/corpus"
#define PINNED_W 0x2b25734ce7f8d4a7ull
#define PINNED_X 0x40965b3015d4bd53ull

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* ---- generator ---------------------------------------------------------- */

static float *gen(int acts, uint64_t seed, uint64_t rows, uint64_t K,
		  const struct wl_gen_params *p)
{
	struct ps_err err = { "" };
	float *out = malloc(rows * K * sizeof *out);
	enum ps_status st;

	assert_non_null(out);
	st = acts ? wl_gen_acts(seed, rows, K, p, out, &err)
		  : wl_gen_weights(seed, rows, K, p, out, &err);
	if (st != PS_OK)
		fail_msg("%s", err.msg);
	return out;
}

static void test_gen_deterministic(void **state)
{
	(void)state;
	for (int acts = 0; acts < 2; acts++) {
		const uint64_t R = 64, K = 256, n = R * K;
		float *a = gen(acts, 42, R, K, NULL), *b = gen(acts, 42, R, K, NULL);
		float *c = gen(acts, 43, R, K, NULL);
		size_t same = 0;

		assert_memory_equal(a, b, n * sizeof *a);
		for (uint64_t i = 0; i < n; i++)
			same += a[i] == c[i];
		assert_true(same < n / 100);
		free(a);
		free(b);
		free(c);
	}
}

/* Pinned output hashes: the generator is part of every bit-true golden, so
 * a change to its stream must be deliberate (update these and the goldens
 * together). They also catch a platform whose arithmetic differs. */
static void test_gen_pinned(void **state)
{
	(void)state;
	float *w = gen(0, 1, 16, 128, NULL), *x = gen(1, 1, 16, 128, NULL);
	uint64_t hw = fnv1a(w, 16 * 128 * sizeof *w), hx = fnv1a(x, 16 * 128 * sizeof *x);

	print_message("pinned: weights %016llx acts %016llx\n",
		      (unsigned long long)hw, (unsigned long long)hx);
	assert_int_equal(hw, PINNED_W);
	assert_int_equal(hx, PINNED_X);
	free(w);
	free(x);
}

/* Column (input-channel) std of a [R, K] matrix around the column mean. */
static void col_std(const float *v, uint64_t R, uint64_t K, double *sd)
{
	for (uint64_t k = 0; k < K; k++) {
		double s = 0, s2 = 0;
		for (uint64_t r = 0; r < R; r++) {
			s += v[r * K + k];
			s2 += (double)v[r * K + k] * v[r * K + k];
		}
		sd[k] = sqrt(s2 / R - (s / R) * (s / R));
	}
}

/* The columns whose std (sd[], col_std's) is above thresh: marked in
 * is_out; returns how many. */
static uint64_t mark_outliers(const double *sd, uint64_t K, double thresh,
			      unsigned char *is_out)
{
	uint64_t n = 0;
	for (uint64_t k = 0; k < K; k++) {
		is_out[k] = sd[k] > thresh;
		n += is_out[k];
	}
	return n;
}

/* Pooled std over the columns with (want_out) or without outliers. */
static double pooled(const float *v, uint64_t R, uint64_t K,
		     const unsigned char *is_out, int want_out)
{
	double s = 0, s2 = 0, n = 0;
	for (uint64_t r = 0; r < R; r++)
		for (uint64_t k = 0; k < K; k++)
			if (is_out[k] == want_out) {
				s += v[r * K + k];
				s2 += (double)v[r * K + k] * v[r * K + k];
				n++;
			}
	return sqrt(s2 / n - (s / n) * (s / n));
}

static void test_gen_weight_stats(void **state)
{
	const uint64_t R = 256, K = 4096;	/* 1M samples */
	struct wl_gen_params p;
	double *sd = malloc(K * sizeof *sd);
	unsigned char *is_out = calloc(K, 1);
	uint64_t n_out = 0;

	(void)state;
	wl_gen_params_default(&p);
	float *w = gen(0, 7, R, K, &p);
	col_std(w, R, K, sd);
	/* Body and outlier columns sit 20x apart; 5 sigma splits them. */
	n_out = mark_outliers(sd, K, 5 * p.sigma, is_out);
	for (uint64_t k = 0; k < K; k++)
		if (is_out[k])
			assert_true(fabs(sd[k] / (p.outlier_scale * p.sigma) - 1) < 0.25);
	assert_int_equal(n_out, (uint64_t)llround(p.outlier_frac * K));	/* 20 */
	assert_true(fabs(pooled(w, R, K, is_out, 0) / p.sigma - 1) < 0.05);
	assert_true(fabs(pooled(w, R, K, is_out, 1) / (p.outlier_scale * p.sigma) - 1) < 0.05);

	/* The same seed puts activation outliers on the same channels. With
	 * no channel spread, acts channels are 1 (body) or 50 (outlier). */
	p.act_channel_spread = 0;
	float *x = gen(1, 7, 256, K, &p);
	col_std(x, 256, K, sd);
	for (uint64_t k = 0; k < K; k++)
		assert_int_equal(sd[k] > 10 * p.act_sigma, is_out[k]);
	free(x);
	free(w);
	free(sd);
	free(is_out);
}

static void test_gen_outlier_count(void **state)
{
	struct wl_gen_params p;
	const uint64_t R = 2048, K = 16;
	double sd[16];

	(void)state;
	wl_gen_params_default(&p);
	for (int frac0 = 0; frac0 < 2; frac0++) {
		int n_out = 0;
		p.outlier_frac = frac0 ? 0 : 0.005;	/* round(0.08) = 0 -> 1 */
		float *w = gen(0, 3, R, K, &p);
		col_std(w, R, K, sd);
		for (uint64_t k = 0; k < K; k++)
			n_out += sd[k] > 5 * p.sigma;
		assert_int_equal(n_out, frac0 ? 0 : 1);
		free(w);
	}
}

static void test_gen_act_stats(void **state)
{
	const uint64_t R = 1024, K = 1024;	/* 1M samples */
	struct wl_gen_params p;
	double *sd = malloc(K * sizeof *sd);
	unsigned char *is_out = calloc(K, 1);
	double m4 = 0, m2 = 0, ls = 0, ls2 = 0, nb = 0;
	int n_out = 0;

	(void)state;
	wl_gen_params_default(&p);
	p.act_channel_spread = 0;
	float *x = gen(1, 11, R, K, &p);
	col_std(x, R, K, sd);
	n_out = (int)mark_outliers(sd, K, 10 * p.act_sigma, is_out);
	assert_int_equal(n_out, (int)llround(p.outlier_frac * K));	/* 5 */
	/* dof 4 is rescaled to unit variance, so act_sigma is the body std. */
	assert_true(fabs(pooled(x, R, K, is_out, 0) / p.act_sigma - 1) < 0.05);
	assert_true(fabs(pooled(x, R, K, is_out, 1) / (p.act_outlier_scale * p.act_sigma) - 1) < 0.10);
	/* Heavy tails: a Gaussian has kurtosis 3, Student-t(4) an unbounded
	 * one; a 1M-sample estimate lands far above 3. */
	for (uint64_t i = 0; i < R * K; i++)
		if (!is_out[i % K]) {
			double v = x[i] * x[i];
			m2 += v;
			m4 += v * v;
			nb++;
		}
	assert_true((m4 / nb) / ((m2 / nb) * (m2 / nb)) > 5);
	free(x);

	/* Channel spread: log of the body channel std has std ~ 0.5. */
	wl_gen_params_default(&p);
	x = gen(1, 11, R, K, &p);
	col_std(x, R, K, sd);
	nb = 0;
	for (uint64_t k = 0; k < K; k++)
		if (!is_out[k]) {
			ls += log(sd[k]);
			ls2 += log(sd[k]) * log(sd[k]);
			nb++;
		}
	double spread = sqrt(ls2 / nb - (ls / nb) * (ls / nb));
	assert_true(fabs(spread / p.act_channel_spread - 1) < 0.15);
	assert_true(fabs(ls / nb) < 0.1);	/* median channel std = act_sigma */
	free(x);
	free(sd);
	free(is_out);
}

static void test_gen_bad_params(void **state)
{
	struct wl_gen_params p;
	struct ps_err err = { "" };
	float out[4];

	(void)state;
	wl_gen_params_default(&p);
	p.sigma = 0;
	assert_int_equal(wl_gen_weights(1, 2, 2, &p, out, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "sigma"));
	wl_gen_params_default(&p);
	p.outlier_frac = NAN;
	assert_int_equal(wl_gen_weights(1, 2, 2, &p, out, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "outlier_frac"));
	wl_gen_params_default(&p);
	p.act_dof = 0.5;
	assert_int_equal(wl_gen_acts(1, 2, 2, &p, out, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "act_dof"));
	/* act_ parameters do not concern weights. */
	assert_int_equal(wl_gen_weights(1, 2, 2, &p, out, &err), PS_OK);
	assert_int_equal(wl_gen_weights(1, 2, 2, NULL, NULL, &err), PS_EINPUT);
	assert_int_equal(wl_gen_weights(1, UINT64_MAX, 3, NULL, out, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "do not fit"));
	assert_int_equal(wl_gen_acts(1, 0, 0, NULL, NULL, &err), PS_OK);
	p.act_dof = 1;		/* Cauchy still works */
	assert_int_equal(wl_gen_acts(1, 2, 2, &p, out, &err), PS_OK);
}

/* ---- half and bfloat16 -------------------------------------------------- */

static double ref_f16(uint16_t h)
{
	int e = (h >> 10) & 31, m = h & 1023;
	double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) :
		   ldexp(m + 1024, e - 25);
	return h & 0x8000 ? -v : v;
}

static double ref_bf16(uint16_t b)
{
	int e = (b >> 7) & 255, m = b & 127;
	double v = e == 0 ? ldexp(m, -133) : e == 255 ? (m ? NAN : INFINITY) :
		   ldexp(m + 128, e - 134);
	return b & 0x8000 ? -v : v;
}

static int widen_ok(float got, double want, uint16_t in, int man_bits)
{
	uint32_t u;
	memcpy(&u, &got, sizeof u);
	if (!!signbit(got) != !!(in & 0x8000))
		return 0;
	if (isnan(want))	/* NaN stays NaN, payload in the top mantissa bits */
		return isnan(got) && (u & 0x7fffff) >> (23 - man_bits) ==
				     (uint32_t)(in & ((1u << man_bits) - 1));
	return (double)got == want;
}

/* A converter with the classic bug: subnormal halves flushed to zero. */
static float f16_ftz(uint16_t h)
{
	return (h & 0x7c00) ? wl_f16_to_f32(h) : (h & 0x8000 ? -0.0f : 0.0f);
}

static void test_f16_bf16_exhaustive(void **state)
{
	int broken = 0;

	(void)state;
	for (uint32_t i = 0; i < 65536; i++) {
		uint16_t h = (uint16_t)i;
		if (!widen_ok(wl_f16_to_f32(h), ref_f16(h), h, 10))
			fail_msg("f16 0x%04x: got %a want %a", h,
				 (double)wl_f16_to_f32(h), ref_f16(h));
		if (!widen_ok(wl_bf16_to_f32(h), ref_bf16(h), h, 7))
			fail_msg("bf16 0x%04x: got %a want %a", h,
				 (double)wl_bf16_to_f32(h), ref_bf16(h));
		broken += !widen_ok(f16_ftz(h), ref_f16(h), h, 10);
	}
	/* The check can fail: it catches all 2 x 1023 flushed subnormals. */
	assert_int_equal(broken, 2 * 1023);
	/* Spot values that a wrong reference would also get wrong. */
	assert_true(wl_f16_to_f32(0x0001) == 0x1p-24f);
	assert_true(wl_f16_to_f32(0x03ff) == 0x3ffp-24f);
	assert_true(wl_f16_to_f32(0x7bff) == 65504.0f);
	assert_true(wl_bf16_to_f32(0x4049) == 3.140625f);
}

/* ---- .npy ---------------------------------------------------------------- */

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32f(unsigned char *p, float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(u >> (8 * i));
}

/* A .npy file as numpy lays it out: dict padded with spaces and a newline
 * so that the data starts on a 64-byte boundary. */
static size_t make_npy(unsigned char *buf, int version, const char *dict,
		       const unsigned char *data, size_t dlen)
{
	size_t pre = version == 1 ? 10 : 12, hl = strlen(dict);
	size_t pad = (64 - (pre + hl + 1) % 64) % 64, H = hl + pad + 1;

	memcpy(buf, "\x93NUMPY", 6);
	buf[6] = (unsigned char)version;
	buf[7] = 0;
	for (size_t i = 0; i < pre - 8; i++)
		buf[8 + i] = (unsigned char)(H >> (8 * i));
	memcpy(buf + pre, dict, hl);
	memset(buf + pre + hl, ' ', pad);
	buf[pre + hl + pad] = '\n';
	memcpy(buf + pre + H, data, dlen);
	return pre + H + dlen;
}

static void expect_bits(const struct wl_tensor *t, const uint32_t *want, size_t n)
{
	assert_int_equal(wl_tensor_numel(t), n);
	for (size_t i = 0; i < n; i++) {
		uint32_t u;
		memcpy(&u, &t->data[i], sizeof u);
		if (u != want[i])
			fail_msg("%s[%zu]: 0x%08x, want 0x%08x", t->name, i, u, want[i]);
	}
}

/* Write buf to a fresh temp file; returns its path in a static buffer. */
static const char *tmp_file(const unsigned char *buf, size_t n)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/pesim-wl-tensor-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
	return path;
}

/* A .npy of the given version and header holding the four 16-bit words
 * w, parsed (it must parse) as name into t. */
static void parse_16bit(int version, const char *dict, const uint16_t w[4],
			const char *name, struct wl_tensor *t)
{
	unsigned char buf[512], d[8];
	struct ps_err err = { "" };
	size_t n;

	for (int i = 0; i < 4; i++)
		put16(d + 2 * i, w[i]);
	n = make_npy(buf, version, dict, d, sizeof d);
	if (wl_npy_parse(buf, n, name, t, &err) != PS_OK)
		fail_msg("%s", err.msg);
}

static void test_npy_written_here(void **state)
{
	unsigned char buf[512], d[64];
	struct wl_tensor t;
	struct ps_err err = { "" };
	const char *path;
	size_t n;

	(void)state;
	/* v1 <f4 (2, 3), including the smallest negative subnormal. */
	static const uint32_t f4[6] = { 0x3f800000, 0xc0000000, 0x3f000000, 0,
					0x7f7fffff, 0x80000001 };
	for (int i = 0; i < 6; i++)
		for (int b = 0; b < 4; b++)
			d[4 * i + b] = (unsigned char)(f4[i] >> (8 * b));
	n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", d, 24);
	path = tmp_file(buf, n);
	if (wl_npy_load(path, &t, &err) != PS_OK)
		fail_msg("%s", err.msg);
	unlink(path);
	assert_int_equal(t.ndim, 2);
	assert_int_equal(t.shape[0], 2);
	assert_int_equal(t.shape[1], 3);
	assert_int_equal(t.src_dtype, WL_F32);
	assert_string_equal(t.name, strrchr(path, '/') + 1);
	expect_bits(&t, f4, 6);
	wl_tensor_free(&t);
	assert_null(t.data);

	/* v2 <f2 (4,): subnormal, inf, -0, 1/3 rounded. */
	static const uint16_t h[4] = { 0x0001, 0x7c00, 0x8000, 0x3555 };
	static const uint32_t hw[4] = { 0x33800000, 0x7f800000, 0x80000000, 0x3eaaa000 };
	parse_16bit(2, "{\"descr\":\"<f2\",\"fortran_order\":False,\"shape\":(4,)}", h,
		    "x/h.npy", &t);
	assert_int_equal(t.ndim, 1);
	assert_int_equal(t.src_dtype, WL_F16);
	assert_string_equal(t.name, "h.npy");
	expect_bits(&t, hw, 4);
	wl_tensor_free(&t);

	/* v3 <u2 as bfloat16 (2, 2), keys in another order. */
	static const uint16_t bf[4] = { 0x3f80, 0xc000, 0x0001, 0x7fc1 };
	static const uint32_t bw[4] = { 0x3f800000, 0xc0000000, 0x00010000, 0x7fc10000 };
	parse_16bit(3, "{'shape': (2, 2), 'fortran_order': False, 'descr': '<u2'}", bf, "b", &t);
	assert_int_equal(t.src_dtype, WL_BF16);
	expect_bits(&t, bw, 4);
	wl_tensor_free(&t);

	/* A scalar, shape (). */
	put32f(d, -6.5f);
	n = make_npy(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", d, 4);
	assert_int_equal(wl_npy_parse(buf, n, "s", &t, &err), PS_OK);
	assert_int_equal(t.ndim, 0);
	assert_true(t.data[0] == -6.5f);
	wl_tensor_free(&t);
}

/* Files numpy 1.24 wrote (tests/fuzz/corpus/make-corpus.py). */
static void test_npy_numpy_written(void **state)
{
	struct wl_tensor t;
	struct ps_err err = { "" };
	static const struct {
		const char *file;
		int ndim, dtype;
		uint64_t shape[4];
		float v[12];
		int n;
	} cases[] = {
		{ "f4-v1.npy", 2, WL_F32, { 3, 4 }, { -1, -0.75f, -0.5f, -0.25f, 0, 0.25f,
			0.5f, 0.75f, 1, 1.25f, 1.5f, 1.75f }, 12 },
		{ "f4-v2.npy", 3, WL_F32, { 2, 2, 2 }, { -3.5f, -2.5f, -1.5f, -0.5f, 0.5f,
			1.5f, 2.5f, 3.5f }, 8 },
		{ "f4-v3.npy", 1, WL_F32, { 2 }, { 1.5f, -0.0f }, 2 },
		{ "f2-v1.npy", 1, WL_F16, { 8 }, { 0, 1, -2, 65504, 0x1p-24f, INFINITY,
			-0.0f, 0.5f }, 8 },
		{ "u2-bf16-v1.npy", 1, WL_BF16, { 5 }, { 1, -2, INFINITY, 0x1p-133f,
			3.140625f }, 5 },
		{ "f4-scalar.npy", 0, WL_F32, { 0 }, { 3.5f }, 1 },
		{ "f4-empty.npy", 2, WL_F32, { 0, 4 }, { 0 }, 0 },
		{ "f4-4d.npy", 4, WL_F32, { 1, 2, 1, 3 }, { 0, 1, 2, 3, 4, 5 }, 6 },
	};

	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		char path[512];
		snprintf(path, sizeof path, "%s/npy/%s", CORPUS, cases[c].file);
		if (wl_npy_load(path, &t, &err) != PS_OK)
			fail_msg("%s", err.msg);
		assert_int_equal(t.ndim, cases[c].ndim);
		assert_int_equal(t.src_dtype, cases[c].dtype);
		for (int i = 0; i < t.ndim; i++)
			assert_int_equal(t.shape[i], cases[c].shape[i]);
		assert_int_equal(wl_tensor_numel(&t), (uint64_t)cases[c].n);
		for (int i = 0; i < cases[c].n; i++)
			if (memcmp(&t.data[i], &cases[c].v[i], sizeof(float)))
				fail_msg("%s[%d] = %a, want %a", cases[c].file, i,
					 (double)t.data[i], (double)cases[c].v[i]);
		wl_tensor_free(&t);
	}
}

/* ---- .safetensors -------------------------------------------------------- */

static size_t make_st(unsigned char *buf, const char *json,
		      const unsigned char *data, size_t dlen)
{
	size_t hl = strlen(json);
	for (int i = 0; i < 8; i++)
		buf[i] = (unsigned char)((uint64_t)hl >> (8 * i));
	memcpy(buf + 8, json, hl);
	memcpy(buf + 8 + hl, data, dlen);
	return 8 + hl + dlen;
}

/* F16 a[2] | BF16 b[2] | F32 c[1,1] | I64 ids[1], with metadata, padding
 * and an escaped UTF-8 name (e-acute, U+1F600). */
static const char MULTI[] =
	"{\"__metadata__\": {\"format\": \"pt\", \"q\\\"\": \"\\u00e9\"},\n"
	" \"a\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [0, 4]},\n"
	" \"l\\u00e9\\ud83d\\ude00\": {\"data_offsets\": [4, 8], \"shape\": [2], \"dtype\": \"BF16\"},\n"
	" \"c\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [8, 12]},\n"
	" \"ids\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [12, 20]}}    ";

static size_t make_multi(unsigned char *buf)
{
	unsigned char d[20] = { 0 };
	put16(d, 0x3c00);
	put16(d + 2, 0x0001);
	put16(d + 4, 0xc000);
	put16(d + 6, 0x7f80);
	put32f(d + 8, 0.75f);
	d[12] = 9;
	return make_st(buf, MULTI, d, sizeof d);
}

static void test_st_valid(void **state)
{
	unsigned char buf[1024], d[24];
	struct wl_tensor t;
	struct ps_err err = { "" };
	size_t n;

	(void)state;
	n = make_multi(buf);
	assert_int_equal(wl_safetensors_parse(buf, n, "m.st", "a", &t, &err), PS_OK);
	assert_int_equal(t.src_dtype, WL_F16);
	assert_string_equal(t.name, "a");
	expect_bits(&t, (const uint32_t[]){ 0x3f800000, 0x33800000 }, 2);
	wl_tensor_free(&t);
	assert_int_equal(wl_safetensors_parse(buf, n, "m.st", "l\xc3\xa9\xf0\x9f\x98\x80",
					      &t, &err), PS_OK);
	assert_int_equal(t.src_dtype, WL_BF16);
	expect_bits(&t, (const uint32_t[]){ 0xc0000000, 0x7f800000 }, 2);
	wl_tensor_free(&t);
	assert_int_equal(wl_safetensors_parse(buf, n, "m.st", "c", &t, &err), PS_OK);
	assert_int_equal(t.ndim, 2);
	assert_true(t.data[0] == 0.75f);
	wl_tensor_free(&t);

	/* Asking for the I64 tensor, for none, or for a missing one fails. */
	assert_int_equal(wl_safetensors_parse(buf, n, "m.st", "ids", &t, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "dtype I64 not supported"));
	assert_null(t.data);
	assert_int_equal(wl_safetensors_parse(buf, n, "m.st", NULL, &t, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "m.st: offset 8: file holds 4 tensors"));
	assert_int_equal(wl_safetensors_parse(buf, n, "m.st", "zz", &t, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "no tensor named 'zz'"));

	/* One tensor plus metadata: name NULL picks it; through a file. */
	for (int i = 0; i < 6; i++)
		put32f(d + 4 * i, (float)i - 2.5f);
	n = make_st(buf, "{\"__metadata__\":{},\"w\":{\"dtype\":\"F32\",\"shape\":[3,2],"
		    "\"data_offsets\":[0,24]},\"z\":{\"dtype\":\"F16\",\"shape\":[0],"
		    "\"data_offsets\":[24,24]}}", d, 24);
	assert_int_equal(wl_safetensors_parse(buf, n, "f", "w", &t, &err), PS_OK);
	wl_tensor_free(&t);
	n = make_st(buf, "{\"__metadata__\":{},\"w\":{\"dtype\":\"F32\",\"shape\":[3,2],"
		    "\"data_offsets\":[0,24]}}", d, 24);
	const char *path = tmp_file(buf, n);
	if (wl_safetensors_load(path, NULL, &t, &err) != PS_OK)
		fail_msg("%s", err.msg);
	unlink(path);
	assert_int_equal(t.shape[0], 3);
	assert_int_equal(t.shape[1], 2);
	assert_string_equal(t.name, "w");
	for (int i = 0; i < 6; i++)
		assert_true(t.data[i] == (float)i - 2.5f);
	wl_tensor_free(&t);

	assert_int_equal(wl_safetensors_load("/nonexistent/x.safetensors", NULL, &t, &err), PS_EINPUT);
	assert_int_equal(wl_npy_load("/nonexistent/x.npy", &t, &err), PS_EINPUT);
	assert_non_null(strstr(err.msg, "/nonexistent/x.npy"));
}

/* Every strict prefix of a valid file is an error, and no byte flip makes a
 * reader crash or over-read (exact-size copies let ASan see one byte past). */
static void probe(int npy, const unsigned char *src, size_t n, int expect_fail)
{
	unsigned char *c = malloc(n ? n : 1);
	struct wl_tensor t;
	struct ps_err err = { "" };
	enum ps_status st;

	memcpy(c, src, n);
	st = npy ? wl_npy_parse(c, n, "p", &t, &err)
		 : wl_safetensors_parse(c, n, "p", "a", &t, &err);
	if (expect_fail && st != PS_EINPUT)
		fail_msg("%s prefix of %zu bytes accepted", npy ? "npy" : "st", n);
	if (st != PS_OK && st != PS_EINPUT)
		fail_msg("status %d: %s", st, err.msg);
	assert_true(st != PS_OK || t.data != NULL);
	wl_tensor_free(&t);
	free(c);
}

static void test_truncation_and_flips(void **state)
{
	static const unsigned char flips[] = { 0, 0xff, ' ', '9', ',', '"', '\\', 0x80 };
	unsigned char bufs[2][1024], d[24] = { 0 };
	size_t lens[2];

	(void)state;
	lens[0] = make_npy(bufs[0], 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (3, 4), }", d, 24);
	lens[1] = make_multi(bufs[1]);
	for (int f = 0; f < 2; f++) {
		unsigned char m[1024];
		for (size_t k = 0; k < lens[f]; k++)
			probe(f == 0, bufs[f], k, 1);
		probe(f == 0, bufs[f], lens[f], 0);
		for (size_t i = 0; i < lens[f]; i++)
			for (size_t v = 0; v < sizeof flips; v++) {
				memcpy(m, bufs[f], lens[f]);
				m[i] = flips[v];
				probe(f == 0, m, lens[f], 0);
			}
	}
}

/* ---- malformed files ------------------------------------------------------ */

static const struct {
	const char *file, *msg;
} bad_files[] = {
	{ "npy-empty.npy", "offset 0: bad magic" },
	{ "npy-bad-magic.npy", "offset 0: bad magic" },
	{ "npy-version-9.npy", "offset 6: unsupported .npy version 9.0" },
	{ "npy-truncated-header.npy", "offset 8: header length 118 beyond end of file (40 bytes)" },
	{ "npy-header-beyond.npy", "header length 65535 beyond end of file" },
	{ "npy-v2-header-beyond.npy", "header length 4294967295 beyond end of file" },
	{ "npy-truncated-body.npy", "shape needs 24 data bytes but the file has 20" },
	{ "npy-trailing-bytes.npy", "shape needs 24 data bytes but the file has 28" },
	{ "npy-big-endian.npy", "big-endian dtype '>f4' not supported" },
	{ "npy-native-order.npy", "byte order '=' is ambiguous" },
	{ "npy-dtype-i8.npy", "dtype '<i8' not supported" },
	{ "npy-fortran.npy", "fortran_order True not supported" },
	{ "npy-negative-shape.npy", "negative dimension" },
	{ "npy-huge-shape.npy", "shape product overflows 64 bits" },
	{ "npy-5d.npy", "more than 4 dimensions" },
	{ "npy-not-tuple.npy", "is not a tuple" },
	{ "npy-bad-dict.npy", "expected ',' or '}'" },
	{ "npy-missing-shape.npy", "header lacks key 'shape'" },
	{ "npy-unknown-key.npy", "unknown header key 'x'" },
	{ "st-short.safetensors", "offset 0: file too short" },
	{ "st-header-beyond.safetensors", "offset 0: header length 1000 beyond end of file" },
	{ "st-header-huge.safetensors", "over the 100 MB limit" },
	{ "st-bad-json.safetensors", "bad JSON: expected a string" },
	{ "st-trailing-comma.safetensors", "bad JSON: expected a string" },
	{ "st-junk-after.safetensors", "junk after the header object" },
	{ "st-lone-surrogate.safetensors", "offset 11: bad JSON: invalid escape" },
	{ "st-overlong-utf8.safetensors", "offset 11: bad JSON: invalid UTF-8" },
	{ "st-not-object.safetensors", "header is not an object" },
	{ "st-dtype-i64.safetensors", "dtype I64 not supported" },
	{ "st-dtype-unknown.safetensors", "dtype Q7 not supported" },
	{ "st-negative-shape.safetensors", "negative number" },
	{ "st-huge-shape.safetensors", "shape product overflows 64 bits" },
	{ "st-size-mismatch.safetensors", "span 12 bytes but shape x itemsize is 16" },
	{ "st-offsets-beyond.safetensors", "outside the 16-byte data region" },
	{ "st-offsets-reversed.safetensors", "run backwards" },
	{ "st-overlap.safetensors", "data_offsets of 'b' overlap those of 'a'" },
	{ "st-duplicate.safetensors", "duplicate tensor 'a'" },
	{ "st-missing-field.safetensors", "tensor lacks field 'data_offsets'" },
	{ "st-metadata-number.safetensors", "__metadata__ values must be strings" },
	{ "st-5d.safetensors", "more than 4 dimensions" },
	{ "st-fraction.safetensors", "not a fraction" },
};
#define N_BAD (sizeof bad_files / sizeof bad_files[0])

static void test_bad_files(void **state)
{
	struct wl_tensor t;
	struct ps_err err = { "" };
	struct dirent *de;
	DIR *dir;
	size_t n_files = 0;

	(void)state;
	for (size_t i = 0; i < N_BAD; i++) {
		char path[512], prefix[600];
		int npy = strstr(bad_files[i].file, ".npy") != NULL;
		enum ps_status st;

		snprintf(path, sizeof path, "%s/%s", BAD_DIR, bad_files[i].file);
		snprintf(prefix, sizeof prefix, "%s: offset ", path);
		st = npy ? wl_npy_load(path, &t, &err) : wl_safetensors_load(path, NULL, &t, &err);
		if (st != PS_EINPUT || strncmp(err.msg, prefix, strlen(prefix)) ||
		    !strstr(err.msg, bad_files[i].msg))
			fail_msg("%s: status %d, message \"%s\", want \"%s\"",
				 bad_files[i].file, st, err.msg, bad_files[i].msg);
		assert_null(t.data);
		wl_tensor_free(&t);
		/* The other reader must refuse it too. */
		st = npy ? wl_safetensors_load(path, NULL, &t, &err) : wl_npy_load(path, &t, &err);
		assert_int_equal(st, PS_EINPUT);
		wl_tensor_free(&t);
	}
	/* Every file in the directory has an expectation above. */
	dir = opendir(BAD_DIR);
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		int found = 0;
		if (!strstr(de->d_name, ".npy") && !strstr(de->d_name, ".safetensors"))
			continue;
		n_files++;
		for (size_t i = 0; i < N_BAD; i++)
			found |= !strcmp(bad_files[i].file, de->d_name);
		if (!found)
			fail_msg("%s has no entry in bad_files[]", de->d_name);
	}
	closedir(dir);
	assert_int_equal(n_files, N_BAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_deterministic),
		cmocka_unit_test(test_gen_pinned),
		cmocka_unit_test(test_gen_weight_stats),
		cmocka_unit_test(test_gen_outlier_count),
		cmocka_unit_test(test_gen_act_stats),
		cmocka_unit_test(test_gen_bad_params),
		cmocka_unit_test(test_f16_bf16_exhaustive),
		cmocka_unit_test(test_npy_written_here),
		cmocka_unit_test(test_npy_numpy_written),
		cmocka_unit_test(test_st_valid),
		cmocka_unit_test(test_truncation_and_flips),
		cmocka_unit_test(test_bad_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* wl_gen.c - seeded tensors with LLM-like statistics.
 *
 * Defaults (wl_gen_params_default) and why they look like an LLM:
 *   sigma 0.02          the initializer_range of GPT-2, OPT and LLaMA configs;
 *                       trained linear weights of 7B-class models keep a
 *                       per-matrix std of the same order [approximate].
 *   outlier_frac 0.005  AWQ (Lin et al. 2024) protects 0.1-1% salient input
 *                       channels; LLM.int8() (Dettmers et al. 2022) finds the
 *                       outlier features in a handful of hidden dims (about
 *                       20 of 4096 here).
 *   outlier_scale 20    makes an outlier channel own the max-abs of every
 *                       quantization group it falls in, the effect BitMoD and
 *                       OliVe design for; a knob, not a measurement.
 *   act_sigma 1.0       activations leave RMSNorm/LayerNorm at unit scale.
 *   act_dof 4           heavy tails: finite variance, unbounded kurtosis,
 *                       like the per-token activation histograms of OPT/LLaMA.
 *   act_channel_spread  0.5: channel magnitudes differ by e^{+-0.5} at one
 *                       sigma (SmoothQuant, Xiao et al. 2023, Fig. 4 shows
 *                       per-channel ranges varying widely but smoothly).
 *   act_outlier_scale   50: between LLM.int8()'s "up to 20x" and
 *                       SmoothQuant's "~100x" outlier magnitudes.
 *
 * Determinism on every platform: the bits come from xoshiro256** seeded by
 * splitmix64, and every transcendental (log, exp) is computed here from
 * +,-,*,/ and the exact frexp/ldexp/floor/sqrt, so the output does not
 * depend on the libm in use. Outlier channels depend only on (seed, K,
 * outlier_frac), so weights and activations generated with the same seed
 * share their outlier channels, as salient weight channels line up with
 * activation outlier channels in real models (AWQ Sec. 3.1). */
#include "wl_tensor.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "wl_tensor_io.h"

/* Fused multiply-add would change the rounding of det_log/det_exp and with
 * it the stream. GCC keeps -ffp-contract=off under -std=c11 (meson's
 * c_std); clang needs the pragma. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

void wl_gen_params_default(struct wl_gen_params *p)
{
	p->sigma = 0.02;
	p->outlier_frac = 0.005;
	p->outlier_scale = 20.0;
	p->act_sigma = 1.0;
	p->act_dof = 4.0;
	p->act_channel_spread = 0.5;
	p->act_outlier_scale = 50.0;
}

/* Independent streams per purpose, so that e.g. the outlier choice does not
 * shift when N changes. */
enum { STREAM_OUTLIERS = 1, STREAM_SCALES = 2, STREAM_VALUES = 3 };

struct rng {
	uint64_t s[4];
	bool has_spare;
	double spare;
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_init(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);
	/* One extra round decorrelates seeds that differ in a single bit. */
	x = splitmix64(&x);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = false;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next_u64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in the open interval (0, 1): never 0, so log() is safe. */
static double uniform(struct rng *r)
{
	return ((double)(next_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Unbiased integer in [0, n) for n >= 1. */
static uint64_t below(struct rng *r, uint64_t n)
{
	uint64_t thr = (0 - n) % n, x;
	do
		x = next_u64(r);
	while (x < thr);
	return x % n;
}

#define LN2_HI 6.93147180369123816490e-01	/* fdlibm split of ln 2 */
#define LN2_LO 1.90821492927058770002e-10
#define SQRT1_2 0.70710678118654752440

/* log(x) for finite x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), then
 * log m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172; 12 odd terms reach
 * double precision. */
static double det_log(double x)
{
	int e;
	double m = frexp(x, &e);
	if (m < SQRT1_2) {
		m *= 2;
		e--;
	}
	double s = (m - 1) / (m + 1), s2 = s * s, term = s, sum = 0;
	for (int k = 1; k <= 23; k += 2) {
		sum += term / k;
		term *= s2;
	}
	return e * LN2_HI + (e * LN2_LO + 2 * sum);
}

/* exp(x): x = k ln2 + r with |r| <= ln2/2, Taylor to r^18, then scale. */
static double det_exp(double x)
{
	if (x > 709.0)
		return HUGE_VAL;
	if (x < -745.0)
		return 0.0;
	double k = floor(x / (LN2_HI + LN2_LO) + 0.5);
	double r = (x - k * LN2_HI) - k * LN2_LO, p = 1.0;
	for (int i = 18; i >= 1; i--)
		p = 1.0 + r * p / i;
	return ldexp(p, (int)k);
}

/* Standard normal, Marsaglia's polar method (no trig, only log and the
 * correctly rounded sqrt). */
static double normal(struct rng *r)
{
	double u, v, s;

	if (r->has_spare) {
		r->has_spare = false;
		return r->spare;
	}
	do {
		u = 2 * uniform(r) - 1;
		v = 2 * uniform(r) - 1;
		s = u * u + v * v;
	} while (s >= 1 || s == 0);
	double f = sqrt(-2 * det_log(s) / s);
	r->spare = v * f;
	r->has_spare = true;
	return u * f;
}

/* Gamma(a, 1) by Marsaglia-Tsang; for a < 1 boost to a + 1 and scale by
 * U^(1/a). */
static double gamma_rv(struct rng *r, double a)
{
	if (a < 1) {
		double g = gamma_rv(r, a + 1);
		return g * det_exp(det_log(uniform(r)) / a);
	}
	double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9 * d);
	for (;;) {
		double x, v, u;
		do {
			x = normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = uniform(r);
		if (u < 1 - 0.0331 * x * x * x * x)
			return d * v;
		if (det_log(u) < 0.5 * x * x + d * (1 - v + det_log(v)))
			return d * v;
	}
}

static enum ps_status check_params(const struct wl_gen_params *p, bool acts,
				   struct ps_err *err)
{
#define POS(f) if (!(isfinite(p->f) && p->f > 0)) \
	return ps_errf(err, PS_EINPUT, "wl_gen: " #f ": must be finite and > 0 (got %g)", p->f)
	POS(sigma);
	POS(outlier_scale);
	if (!(p->outlier_frac >= 0 && p->outlier_frac <= 1))
		return ps_errf(err, PS_EINPUT, "wl_gen: outlier_frac: must be in [0, 1] (got %g)",
			       p->outlier_frac);
	if (acts) {
		POS(act_sigma);
		POS(act_outlier_scale);
		/* Below one degree of freedom the mean does not exist and
		 * U^(2/dof) underflows; no activation is that heavy-tailed. */
		if (!(isfinite(p->act_dof) && p->act_dof >= 1))
			return ps_errf(err, PS_EINPUT, "wl_gen: act_dof: must be finite and >= 1 (got %g)",
				       p->act_dof);
		if (!(p->act_channel_spread >= 0 && p->act_channel_spread <= 10))
			return ps_errf(err, PS_EINPUT, "wl_gen: act_channel_spread: must be in [0, 10] (got %g)",
				       p->act_channel_spread);
	}
#undef POS
	return PS_OK;
}

/* Shared set-up: the defaults for a NULL *pp (held in *def), validate,
 * size-check and choose outlier channels. *mask (K bytes, 1 = outlier)
 * is malloc'd; NULL when K == 0. */
static enum ps_status prepare(uint64_t seed, uint64_t rows, uint64_t K,
			      const struct wl_gen_params **pp, struct wl_gen_params *def,
			      bool acts, const float *out, unsigned char **mask,
			      struct ps_err *err)
{
	uint64_t numel, bytes;
	enum ps_status st;
	const struct wl_gen_params *p;

	if (!*pp) {
		wl_gen_params_default(def);
		*pp = def;
	}
	p = *pp;
	st = check_params(p, acts, err);
	*mask = NULL;
	if (st != PS_OK)
		return st;
	if (!wl_io_mul_ok(rows, K, &numel) || !wl_io_mul_ok(numel, sizeof(float), &bytes) ||
	    bytes > (uint64_t)PTRDIFF_MAX)
		return ps_errf(err, PS_EINPUT, "wl_gen: %llu x %llu elements do not fit in memory",
			       (unsigned long long)rows, (unsigned long long)K);
	if (numel && !out)
		return ps_errf(err, PS_EINPUT, "wl_gen: output buffer is NULL");
	if (K == 0)
		return PS_OK;
	*mask = calloc((size_t)K, 1);
	if (!*mask)
		return ps_errf(err, PS_ENOMEM, "wl_gen: out of memory for %llu channels",
			       (unsigned long long)K);

	/* round(frac * K), at least one when outliers are asked for at all:
	 * a small K must still exercise the outlier path. */
	uint64_t m = 0;
	if (p->outlier_frac > 0) {
		double want = floor(p->outlier_frac * (double)K + 0.5);
		m = want < 1 ? 1 : (want >= (double)K ? K : (uint64_t)want);
	}
	/* Floyd's sampling: a uniform m-subset of [0, K) in m draws. */
	struct rng r;
	rng_init(&r, seed, STREAM_OUTLIERS);
	for (uint64_t j = K - m; j < K; j++) {
		uint64_t t = below(&r, j + 1);
		(*mask)[(*mask)[t] ? j : t] = 1;
	}
	return PS_OK;
}

enum ps_status wl_gen_weights(uint64_t seed, uint64_t N, uint64_t K,
			      const struct wl_gen_params *p, float *out,
			      struct ps_err *err)
{
	struct wl_gen_params def;
	unsigned char *mask;
	struct rng r;

	enum ps_status st = prepare(seed, N, K, &p, &def, false, out, &mask, err);
	if (st != PS_OK)
		return st;
	rng_init(&r, seed, STREAM_VALUES);
	for (uint64_t n = 0; n < N; n++)
		for (uint64_t k = 0; k < K; k++) {
			double s = p->sigma * (mask[k] ? p->outlier_scale : 1.0);
			float v = (float)(s * normal(&r));
			if (!isfinite(v)) {
				free(mask);
				return ps_errf(err, PS_EINPUT,
					       "wl_gen: sigma %g x outlier_scale %g overflows float",
					       p->sigma, p->outlier_scale);
			}
			out[n * K + k] = v;
		}
	free(mask);
	return PS_OK;
}

enum ps_status wl_gen_acts(uint64_t seed, uint64_t M, uint64_t K,
			   const struct wl_gen_params *p, float *out,
			   struct ps_err *err)
{
	struct wl_gen_params def;
	unsigned char *mask;
	double *scale = NULL;
	struct rng r;

	enum ps_status st = prepare(seed, M, K, &p, &def, true, out, &mask, err);
	if (st != PS_OK || K == 0)
		return st;
	scale = malloc((size_t)K * sizeof *scale);
	if (!scale) {
		free(mask);
		return ps_errf(err, PS_ENOMEM, "wl_gen: out of memory for %llu channels",
			       (unsigned long long)K);
	}
	/* Per-channel std: log-normal with median act_sigma, times the
	 * outlier factor. */
	rng_init(&r, seed, STREAM_SCALES);
	for (uint64_t k = 0; k < K; k++)
		scale[k] = p->act_sigma * det_exp(p->act_channel_spread * normal(&r)) *
			   (mask[k] ? p->act_outlier_scale : 1.0);
	free(mask);

	/* Student-t = Z / sqrt(chi2(dof) / dof), chi2(dof) = 2 Gamma(dof/2).
	 * For dof > 2 rescale to unit variance so act_sigma is the body std;
	 * at dof <= 2 the variance is infinite and act_sigma is the scale. */
	double dof = p->act_dof;
	double unit = dof > 2 ? sqrt((dof - 2) / dof) : 1.0;
	rng_init(&r, seed, STREAM_VALUES);
	for (uint64_t m = 0; m < M; m++)
		for (uint64_t k = 0; k < K; k++) {
			double z = normal(&r);
			double chi2 = 2 * gamma_rv(&r, dof / 2);
			float v = (float)(scale[k] * unit * z / sqrt(chi2 / dof));
			if (!isfinite(v)) {
				free(scale);
				return ps_errf(err, PS_EINPUT,
					       "wl_gen: act_sigma %g, act_channel_spread %g, act_outlier_scale %g overflow float",
					       p->act_sigma, p->act_channel_spread,
					       p->act_outlier_scale);
			}
			out[m * K + k] = v;
		}
	free(scale);
	return PS_OK;
}

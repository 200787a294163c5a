/* wl_tensor.h - tensor data for bit-true runs and quantization studies:
 * a seeded generator with LLM-like statistics, and readers for .npy and
 * .safetensors files. In memory a tensor is always float32, row-major.
 *
 * Weight convention (PyTorch nn.Linear): [out_features, in_features] =
 * [N, K]; quantization groups run along K (contiguous in a row).
 * Activation convention: [tokens, in_features] = [M, K]. */
#ifndef WL_TENSOR_H
#define WL_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"

#define WL_TENSOR_MAX_DIMS 4

enum wl_dtype { WL_F32, WL_F16, WL_BF16 };

struct wl_tensor {
	float *data;			/* malloc'd, row-major */
	uint64_t shape[WL_TENSOR_MAX_DIMS];
	int ndim;
	int src_dtype;			/* enum wl_dtype of the file */
	char name[128];			/* safetensors key, or file name */
};

static inline uint64_t wl_tensor_numel(const struct wl_tensor *t)
{
	uint64_t n = 1;
	for (int i = 0; i < t->ndim; i++)
		n *= t->shape[i];
	return n;
}

void wl_tensor_free(struct wl_tensor *t);

/* Generator parameters (README "Tensor data"). Weights: a Gaussian body of
 * std `sigma` per element; `outlier_channels` input channels (columns of K,
 * chosen by the seed) have their std multiplied by `outlier_scale`.
 * Activations: per-channel std drawn log-normally (`act_channel_spread`),
 * Student-t body with `act_dof` degrees of freedom, and outlier channels as
 * for weights. */
struct wl_gen_params {
	double sigma;			/* weight body std (default 0.02) */
	double outlier_frac;		/* fraction of K channels that are outliers (0.005) */
	double outlier_scale;		/* std multiplier of outlier channels (20) */
	double act_sigma;		/* activation body std (1.0) */
	double act_dof;			/* Student-t degrees of freedom (4) */
	double act_channel_spread;	/* log-normal sigma of channel scales (0.5) */
	double act_outlier_scale;	/* (50) */
};

void wl_gen_params_default(struct wl_gen_params *p);

/* Fill out[N*K] (weights [N, K]) or out[M*K] (activations [M, K]).
 * Deterministic for a seed on every platform (own PRNG, no rand()). */
enum ps_status wl_gen_weights(uint64_t seed, uint64_t N, uint64_t K,
			      const struct wl_gen_params *p, float *out,
			      struct ps_err *err);
enum ps_status wl_gen_acts(uint64_t seed, uint64_t M, uint64_t K,
			   const struct wl_gen_params *p, float *out,
			   struct ps_err *err);

/* .npy v1-v3, little-endian <f4, <f2, and <u2 read as bf16; C order only. */
enum ps_status wl_npy_load(const char *path, struct wl_tensor *t,
			   struct ps_err *err);
enum ps_status wl_npy_parse(const void *buf, size_t n, const char *name,
			    struct wl_tensor *t, struct ps_err *err);

/* .safetensors with F16/BF16/F32 tensors. name NULL: the file must hold
 * exactly one tensor (metadata excluded). */
enum ps_status wl_safetensors_load(const char *path, const char *name,
				   struct wl_tensor *t, struct ps_err *err);
enum ps_status wl_safetensors_parse(const void *buf, size_t n,
				    const char *file, const char *name,
				    struct wl_tensor *t, struct ps_err *err);

/* Half and bfloat16 bit patterns to float (exact). */
float wl_f16_to_f32(uint16_t h);
float wl_bf16_to_f32(uint16_t b);

#endif

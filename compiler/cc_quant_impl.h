/* cc_quant_impl.h - private to compiler/cc_quant*.c: the quantizers behind
 * cc_quantize and the loops they share. */
#ifndef CC_QUANT_IMPL_H
#define CC_QUANT_IMPL_H

#include <stdbool.h>

#include "cc_quant.h"

/* Arrays cc_qt_alloc allocates. deq always. */
enum {
	CC_A_CODES = 1, CC_A_SCALE = 2, CC_A_ZERO = 4, CC_A_GFMT = 8,
	CC_A_SCALEQ = 16, CC_A_CHAN = 32,
};

/* Set up t for (n, k, group) and allocate deq plus the arrays in `what`
 * (per-group arrays get n * n_groups entries, zeroed). group 0 = per row. */
enum ps_status cc_qt_alloc(struct cc_qtensor *t, const struct fmt_qspec *q,
			   uint64_t n, uint64_t k, uint64_t group,
			   unsigned what, struct ps_err *err);

/* A scale as stored in FP16 (round to nearest even), kept positive and
 * finite: a positive scale below the FP16 range becomes its smallest
 * subnormal, one above it the largest finite value. */
float cc_scale16(double s);

static inline uint64_t cc_glen(const struct cc_qtensor *t, uint64_t g)
{
	uint64_t start = g * t->group;
	return t->k - start < t->group ? t->k - start : t->group;
}

/* Symmetric encode of len weights with one scale s on format d: codes and
 * deq written when non-NULL; returns the sum of squared errors. s = 0
 * encodes every element as 0. */
double cc_sym_encode(const struct fmt_desc *d, const float *w, uint64_t len,
		     float s, uint8_t *codes, float *deq);

/* The same error without writing anything (the search loops). */
double cc_sym_err(const struct fmt_desc *d, const float *w, uint64_t len,
		  float s);

static inline float cc_max_abs(const float *w, uint64_t len)
{
	float m = 0;
	for (uint64_t i = 0; i < len; i++) {
		float a = w[i] < 0 ? -w[i] : w[i];
		if (a > m)
			m = a;
	}
	return m;
}

/* The quantizer of each method (cc_quantize dispatches on q->method):
 * quantize w [n, k] with q into t. */
typedef enum ps_status cc_quantizer(const struct fmt_qspec *q, const float *w,
				    uint64_t n, uint64_t k, struct cc_qtensor *t,
				    struct ps_err *err);
cc_quantizer cc_quant_group, cc_quant_mixpe, cc_quant_lut, cc_quant_channel,
	cc_quant_olive, cc_quant_bitmod, cc_quant_nm;

#endif

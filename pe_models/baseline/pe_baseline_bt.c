/* pe_baseline_bt.c - what the baseline bit-true models share: counters,
 * the stream closed form, and the FP16 x integer fused multiply-add of the
 * ANT and OliVe PEs (BitMoD's FP16xINT8 FMA stand-in, bitmod.md). */
#include "pe_baseline.h"

#include <string.h>

#include "pe_fp16.h"

void pe_bl_actions(const void *state, struct pe_bl_actions *out)
{
	/* Every baseline state struct starts with its counters. */
	memcpy(out, state, sizeof *out);
}

uint64_t pe_bl_stream_cycles(uint64_t dots, uint64_t beats_per_dot)
{
	/* One beat per edge, then one edge through stage 2 for the last
	 * result; earlier results overlap the next dot's beats. */
	if (!dots || !beats_per_dot)
		return 0;
	return dots * beats_per_dot + 1;
}

enum ps_status pe_bl_check_params(const char *model, unsigned lanes,
				  const struct pe_params *p,
				  struct ps_err *err)
{
	if (p && p->lanes > lanes)
		return ps_errf(err, PS_EINPUT,
			       "%s: lanes %u: the PE has %u (an array of PEs "
			       "gives more)", model, (unsigned)p->lanes, lanes);
	return PS_OK;
}

static bool f16_is_nan(uint16_t h)
{
	return (h & 0x7c00) == 0x7c00 && (h & 0x03ff);
}

static bool f16_is_inf(uint16_t h)
{
	return (h & 0x7fff) == 0x7c00;
}

uint16_t pe_bl_f16_fma_int(uint16_t acc, unsigned n, const uint16_t *a,
			   const int8_t *m, const uint8_t *e)
{
	bool pinf = false, ninf = false, neg_zero = (acc == 0x8000);
	double sum;

	if (f16_is_nan(acc))
		return 0x7e00;
	if (f16_is_inf(acc))
		*(acc & 0x8000 ? &ninf : &pinf) = true;
	sum = pe_f16_to_f64(acc);
	for (unsigned i = 0; i < n; i++) {
		bool neg = ((a[i] >> 15) != 0) != (m[i] < 0);
		if (f16_is_nan(a[i]))
			return 0x7e00;
		if (f16_is_inf(a[i])) {
			if (!m[i])
				return 0x7e00;	/* inf x 0 */
			*(neg ? &ninf : &pinf) = true;
			continue;
		}
		/* A zero product carries the XOR of the signs (the integer
		 * converts as +0 when it is 0). */
		if (!(a[i] & 0x7fff) || !m[i])
			neg_zero = neg_zero && neg;
		else
			neg_zero = false;
		sum += pe_f16_to_f64(a[i]) * m[i] * (double)(1u << e[i]);
	}
	if (pinf && ninf)
		return 0x7e00;
	if (pinf || ninf)
		return ninf ? 0xfc00 : 0x7c00;
	if (sum == 0)
		return neg_zero ? 0x8000 : 0x0000;
	return pe_f16_from_f64(sum);
}

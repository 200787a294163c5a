/* fmt_ovp.c - OliVe outlier-victim pairs (ISCA 2023; bitmod.md "OliVe").
 *
 * Values are paired (even, odd). A pair of normal values is two normal
 * codes. A pair holding an outlier stores the outlier in the outlier part
 * (abfloat) and gives its neighbour, the victim, the identifier code, the
 * one code the normal part never uses (the -0 of sign-magnitude flint, the
 * -2^(b-1) of symmetric int). The victim's value is lost (it becomes 0); in
 * exchange the format stays memory aligned, with no sparse index. */
#include "fmt.h"

#include <math.h>

uint32_t fmt_ovp_encode(int id, double x0, double x1)
{
	const struct fmt_desc *d = fmt_get(id);
	double v[2];
	if (!d || d->layout != FMT_L_OVP)
		return 0;
	return fmt_ovp_encode_fast(d, fmt_get(d->ovp_normal),
				   fmt_get(d->ovp_outlier), x0, x1, v);
}

int fmt_ovp_decode(int id, uint32_t pair, double v[2])
{
	const struct fmt_desc *d = fmt_get(id);
	v[0] = v[1] = NAN;
	if (!d || d->layout != FMT_L_OVP || pair >= d->n_codes)
		return FMT_CODE_RESERVED;
	uint32_t mask = (1u << d->bits) - 1;
	uint32_t c0 = pair & mask, c1 = pair >> d->bits;
	bool id0 = c0 == d->ovp_id, id1 = c1 == d->ovp_id;
	double o;

	if (id0 && id1)
		return FMT_CODE_RESERVED;
	if (!id0 && !id1) {
		v[0] = fmt_decode(d->ovp_normal, c0);
		v[1] = fmt_decode(d->ovp_normal, c1);
		/* Both parts here have no aliases: a normal code is a value. */
		return isnan(v[0]) || isnan(v[1]) ? FMT_CODE_RESERVED
						   : FMT_CODE_VALUE;
	}
	o = fmt_decode(d->ovp_outlier, id0 ? c1 : c0);
	if (isnan(o)) {
		v[0] = v[1] = NAN;
		return FMT_CODE_RESERVED;
	}
	v[id0 ? 1 : 0] = o;
	v[id0 ? 0 : 1] = 0;
	return FMT_CODE_VALUE;
}

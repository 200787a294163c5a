/* pe_fp16.c - the reference binary16 add, multiply and scale by 2^e
 * (pe_fp16.h): the exact intermediate in double, narrowed once by
 * fmt_f16_from_f64 (formats/fmt_ieee16.c). The models use the inline fast
 * path of pe_fp16.h; the tests and bench_fp16 compare the two. */
#include "pe_fp16.h"

#include <math.h>

#include "fmt.h"

static int is_nan(uint16_t h)
{
	return (h & 0x7c00) == 0x7c00 && (h & 0x03ff);
}

uint16_t pe_f16_add_ref(uint16_t a, uint16_t b)
{
	double x, y, s;
	if (is_nan(a) || is_nan(b))
		return 0x7e00;
	x = fmt_f16_to_f64(a);
	y = fmt_f16_to_f64(b);
	if (isinf(x) && isinf(y) && (x > 0) != (y > 0))
		return 0x7e00;
	s = x + y;
	/* x + (-x) is +0 in round-to-nearest; -0 + -0 is -0 */
	if (s == 0)
		return (a & b & 0x8000) ? 0x8000 : 0x0000;
	return fmt_f16_from_f64(s);
}

uint16_t pe_f16_mul_ref(uint16_t a, uint16_t b)
{
	double x, y;
	if (is_nan(a) || is_nan(b))
		return 0x7e00;
	x = fmt_f16_to_f64(a);
	y = fmt_f16_to_f64(b);
	if ((isinf(x) && y == 0) || (isinf(y) && x == 0))
		return 0x7e00;
	return fmt_f16_from_f64(x * y);
}

uint16_t pe_f16_ldexp_ref(uint16_t x, int e)
{
	if (is_nan(x))
		return 0x7e00;
	return fmt_f16_from_f64(ldexp(fmt_f16_to_f64(x), e));
}

const char *pe_f16_impl(void)
{
#ifdef __F16C__
	return "F16C";
#else
	return "portable C";
#endif
}

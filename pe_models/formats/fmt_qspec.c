/* fmt_qspec.c - weight-format specs (fmt_qspec.h): grammar and stored bits. */
#include "fmt_qspec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const int fmt_ant_types[4] = { FMT_INT4, FMT_FLINT4, FMT_POT4, FMT_FP4 };

static bool take_uint(const char **p, unsigned *v)
{
	unsigned x = 0;
	const char *s = *p;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		if (x > 100000000u)
			return false;
		x = x * 10 + (unsigned)(*s++ - '0');
	}
	*p = s;
	*v = x;
	return true;
}

static bool take(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n))
		return false;
	*p += n;
	return true;
}

/* "" or "-g<G>" (G >= 1) to the end of the string. */
static bool take_group(const char *p, uint32_t *g, bool *given)
{
	unsigned v;
	*given = false;
	*g = FMT_GROUP_DEFAULT;
	if (!*p)
		return true;
	if (!take(&p, "-g") || !take_uint(&p, &v) || *p || v < 1)
		return false;
	*g = v;
	*given = true;
	return true;
}

static int int_fmt(unsigned bits, bool asym)
{
	char nm[16];
	snprintf(nm, sizeof nm, "int%u%s", bits, asym ? "a" : "");
	return fmt_find(nm);
}

static bool weight_grid(const struct fmt_desc *d)
{
	return d->grid && !d->activation && d->layout != FMT_L_OVP &&
	       d->kind != FMT_K_ABFLOAT && d->layout != FMT_L_IEEE;
}

/* Stored bits per weight (fmt_qspec.h), from the parsed fields. */
static double stored(const struct fmt_qspec *q)
{
	double b = q->bits, G = q->group;
	switch (q->method) {
	case FMT_QM_GROUP:
		return b + 16.0 / G + (fmt_get(q->fmt)->kind == FMT_K_UINT ? b / G : 0);
	case FMT_QM_BITMOD:
		return b + 8.0 / G;
	case FMT_QM_NM:
		if (q->nm_n == q->nm_m)
			return b + 16.0 / G;
		return (8.0 + q->nm_n * (4.0 + b)) / q->nm_m + 16.0 / G;
	case FMT_QM_LUT:
	case FMT_QM_MIXPE:
		return b + (16.0 + b) / G;
	case FMT_QM_NONE:
		return 16;
	default:	/* per channel: the row scale is not counted */
		return b;
	}
}

static enum ps_status parse_base(const char *s, struct fmt_qspec *q)
{
	const char *p = s;
	unsigned b, nn, mm;
	bool given;
	uint32_t g;

	if (!strcmp(s, "none")) {
		q->method = FMT_QM_NONE;
		q->fmt = FMT_FP16;
		q->bits = 16;
		snprintf(q->name, sizeof q->name, "none");
		return PS_OK;
	}
	if (take(&p, "bitmod-int")) {
		if (!take_uint(&p, &b) || int_fmt(b, false) < 0 ||
		    !take_group(p, &g, &given))
			return PS_EINPUT;
		q->method = FMT_QM_BITMOD;
		q->fmt = int_fmt(b, false);
		q->bits = (int)b;
		q->group = g;
		snprintf(q->name, sizeof q->name, given ? "bitmod-int%u-g%u" : "bitmod-int%u", b, g);
		return PS_OK;
	}
	if (take(&p, "bitmod")) {
		if (!take_uint(&p, &b) || (b != 3 && b != 4) || !take_group(p, &g, &given))
			return PS_EINPUT;
		q->method = FMT_QM_BITMOD;
		q->fmt = b == 3 ? FMT_FP3_ER_POS : FMT_FP4_ER_POS;
		q->bits = (int)b;
		q->group = g;
		snprintf(q->name, sizeof q->name, given ? "bitmod%u-g%u" : "bitmod%u", b, g);
		return PS_OK;
	}
	if (!strcmp(s, "ant4")) {
		q->method = FMT_QM_ANT;
		q->fmt = fmt_ant_types[0];
		q->bits = 4;
		snprintf(q->name, sizeof q->name, "ant4");
		return PS_OK;
	}
	if (take(&p, "nm")) {
		if (!take_uint(&p, &nn) || !take(&p, "of") || !take_uint(&p, &mm) ||
		    !take(&p, "-int") || !take_uint(&p, &b) || !take_group(p, &g, &given))
			return PS_EINPUT;
		if (mm != 16 || (nn != 2 && nn != 4 && nn != 8 && nn != 16) ||
		    int_fmt(b, false) < 0)
			return PS_EINPUT;
		q->method = FMT_QM_NM;
		q->fmt = int_fmt(b, false);
		q->bits = (int)b;
		q->group = g;
		q->nm_n = (int)nn;
		q->nm_m = (int)mm;
		snprintf(q->name, sizeof q->name, given ? "nm%uof%u-int%u-g%u" : "nm%uof%u-int%u",
			 nn, mm, b, g);
		return PS_OK;
	}
	if (take(&p, "lut-int") || take(&p, "mixpe-int")) {
		bool lut = s[0] == 'l';
		if (!take_uint(&p, &b) || !take_group(p, &g, &given) || int_fmt(b, true) < 0 ||
		    (lut && b > 4))
			return PS_EINPUT;
		q->method = lut ? FMT_QM_LUT : FMT_QM_MIXPE;
		q->fmt = int_fmt(b, true);
		q->bits = (int)b;
		q->group = g;
		if (lut)
			snprintf(q->name, sizeof q->name, given ? "lut-int%u-g%u" : "lut-int%u", b, g);
		else
			snprintf(q->name, sizeof q->name, "mixpe-int%u-g%u", b, g);
		return PS_OK;
	}

	/* <fmt>-g<G> or <fmt> */
	char nm[40];
	const char *dash = strstr(s, "-g");
	size_t len = dash ? (size_t)(dash - s) : strlen(s);
	if (len >= sizeof nm)
		return PS_EINPUT;
	memcpy(nm, s, len);
	nm[len] = 0;
	int id = fmt_find(nm);
	const struct fmt_desc *d = fmt_get(id);
	if (!d || !take_group(s + len, &g, &given))
		return PS_EINPUT;
	q->fmt = id;
	q->bits = d->bits;
	if (d->layout == FMT_L_OVP && !given) {
		q->method = FMT_QM_OLIVE;
		snprintf(q->name, sizeof q->name, "%s", d->name);
		return PS_OK;
	}
	if (!weight_grid(d))
		return PS_EINPUT;
	if (given) {
		q->method = FMT_QM_GROUP;
		q->group = g;
		snprintf(q->name, sizeof q->name, "%s-g%u", d->name, g);
		return PS_OK;
	}
	if (d->kind == FMT_K_UINT)
		return PS_EINPUT;	/* asymmetric needs a group: int4a-g128 */
	q->method = FMT_QM_CHANNEL;
	snprintf(q->name, sizeof q->name, "%s", d->name);
	return PS_OK;
}

/* <spec>[@<B>] */
static enum ps_status parse(const char *s, struct fmt_qspec *q)
{
	char base[48];
	const char *at = strchr(s, '@');
	size_t len = at ? (size_t)(at - s) : strlen(s);

	memset(q, 0, sizeof *q);
	if (len >= sizeof base)
		return PS_EINPUT;
	memcpy(base, s, len);
	base[len] = 0;
	if (parse_base(base, q))
		return PS_EINPUT;
	q->stored_bits = stored(q);
	if (at) {
		char *end;
		double v = strtod(at + 1, &end);
		if (end == at + 1 || *end || !(v >= 1 && v <= 16) ||
		    q->method == FMT_QM_NONE)
			return PS_EINPUT;
		q->avg_bits = q->stored_bits = v;
		len = strlen(q->name);
		snprintf(q->name + len, sizeof q->name - len, "@%s", at + 1);
	}
	return PS_OK;
}

enum ps_status fmt_qspec_parse(const char *s, struct fmt_qspec *q,
			       struct ps_err *err)
{
	if (!s || parse(s, q) != PS_OK)
		return ps_errf(err, PS_EINPUT,
			       "unknown weight format '%s' (expected none, <fmt>-g<G>, <fmt>, "
			       "ant4, bitmod3|4[-g<G>], bitmod-int<b>[-g<G>], olive4|olive4i, "
			       "nm<N>of16-int<b>[-g<G>], lut-int<W>[-g<G>], "
			       "mixpe-int<b>[-g<G>], each optionally @<avg bits>)",
			       s ? s : "(null)");
	return PS_OK;
}

static const char *const defaults_by_bits[9][16] = {
	[1] = { "lut-int1" },
	[2] = { "int2-g128", "int2a-g128", "lut-int2", "mixpe-int2-g128",
		"nm8of16-int2" },
	[3] = { "int3-g128", "int3a-g128", "fp3-g128", "bitmod3", "int3",
		"lut-int3", "mixpe-int3-g128", "nm8of16-int3" },
	[4] = { "int4-g128", "int4a-g128", "fp4-g128", "flint4-g128",
		"bitmod4", "int4", "flint4", "ant4", "olive4", "olive4i",
		"lut-int4", "mixpe-int4-g128", "nm8of16-int4" },
	[6] = { "int6-g128", "int6a-g128", "fp6_e2m3-g128", "fp6_e3m2-g128",
		"int6" },
	[8] = { "int8-g128", "int8a-g128", "int8", "mixpe-int8-g128",
		"nm8of16-int8" },
};

int fmt_qspec_defaults(int bits, struct fmt_qspec *out, int max)
{
	int n = 0;
	if (bits < 1 || bits > 8)
		return 0;
	for (int i = 0; i < 16 && defaults_by_bits[bits][i] && n < max; i++)
		if (parse(defaults_by_bits[bits][i], &out[n]) == PS_OK)
			n++;
	return n;
}

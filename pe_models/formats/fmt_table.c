/* fmt_table.c - the format table built from fmt.def: value sets, code
 * classes, encode and decode.
 *
 * The rows of fmt.def give each format's layout and, for sign-magnitude
 * formats, the magnitudes in code order (what the papers' tables list). The
 * sorted value set, each value's canonical code and the encode lookup tables
 * are derived from that once, on first use (C11 call_once), so there is one
 * place to read a format and no second copy to drift. */
#include "fmt.h"

#include <math.h>
#include <string.h>
#include <threads.h>

#define MAGS(...) { __VA_ARGS__ }
#define MAX_MAGS 32

struct fmt_row {
	const char *name, *summary;
	int bits, kind, layout, neg0;
	double special;
	int a, b;
	double mags[MAX_MAGS];
};

static const struct fmt_row rows[FMT_COUNT] = {
#define FMT(id, nm, bits_, kind_, layout_, n0, sp, a_, b_, mags_, sum)	\
	[FMT_##id] = { .name = nm, .summary = sum, .bits = bits_,	\
		       .kind = kind_, .layout = layout_, .neg0 = n0,	\
		       .special = sp, .a = a_, .b = b_, .mags = mags_ },
#include "fmt.def"
#undef FMT
};

/* A sign-magnitude row lists exactly 2^(bits-1) magnitudes. */
#define FMT(id, nm, bits_, kind_, layout_, n0, sp, a_, b_, mags_, sum)	\
	_Static_assert((layout_) != FMT_L_SM ||				\
		       sizeof((const double[])mags_) / sizeof(double) ==	\
		       (1u << ((bits_) - 1)), #id ": magnitude count");
#include "fmt.def"
#undef FMT

static struct fmt_desc descs[FMT_COUNT];
static once_flag once = ONCE_FLAG_INIT;

/* Encode lookup tables of all grid formats, carved from one pool. */
static uint8_t lut_pool[1u << 16];
static size_t lut_used;

/* Value of a code straight from the row; NaN if the code is reserved.
 * *alias is set when the code is the redundant -0 of a sign-magnitude
 * format. */
static double row_decode(const struct fmt_row *r, uint32_t code, bool *alias)
{
	uint32_t top = 1u << (r->bits - 1), n = 1u << r->bits;
	*alias = false;
	if (code >= n)
		return NAN;
	switch (r->layout) {
	case FMT_L_TWOS:
		if (code == top && r->neg0 == FMT_N0_RESERVED)
			return NAN;
		return code & top ? (double)code - n : (double)code;
	case FMT_L_UINT:
		return code;
	case FMT_L_OFFSET:
		return (int)code - r->a > r->a ? NAN : (double)((int)code - r->a);
	case FMT_L_PM1:
		return 2.0 * code - (n - 1);
	case FMT_L_SM: {
		uint32_t m = code & (top - 1);
		double mag = r->mags[m];
		if (mag == FMT_RSV)
			return NAN;
		if ((code & top) && m == 0 && mag == 0) {
			if (r->neg0 == FMT_N0_VALUE)
				return r->special;
			if (r->neg0 == FMT_N0_ALIAS) {
				*alias = true;
				return 0;
			}
			return NAN;
		}
		return code & top ? -mag : mag;
	}
	default:
		return NAN;
	}
}

static int cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

/* Reference nearest-value search with the documented tie rule. */
int fmt_nearest_slow(const struct fmt_desc *d, double x)
{
	int lo = 0, hi = d->n_values - 1;
	if (x != x)
		return d->zero_idx;
	if (x <= d->values[0])
		return 0;
	if (x >= d->values[hi])
		return hi;
	while (hi - lo > 1) {	/* invariant: values[lo] < x < values[hi] */
		int mid = (lo + hi) / 2;
		if (d->values[mid] == x)
			return mid;
		if (d->values[mid] < x)
			lo = mid;
		else
			hi = mid;
	}
	switch (cmp_double(x - d->values[lo], d->values[hi] - x)) {
	case -1:
		return lo;
	case 1:
		return hi;
	default:
		if (fabs(d->values[lo]) < fabs(d->values[hi]))
			return lo;
		return hi;	/* smaller magnitude, or +v over -v */
	}
}

static void add_value(struct fmt_desc *d, double v, uint32_t code)
{
	int i = d->n_values;
	for (int j = 0; j < d->n_values; j++)
		if (d->values[j] == v)
			return;	/* first (lowest) code wins; aliases come later */
	while (i > 0 && d->values[i - 1] > v) {
		d->values[i] = d->values[i - 1];
		d->code_of[i] = d->code_of[i - 1];
		i--;
	}
	d->values[i] = v;
	d->code_of[i] = (uint16_t)code;
	d->n_values++;
}

static void build_lut(struct fmt_desc *d)
{
	int lo = (int)floor(2 * d->vmin) - 1, hi = (int)ceil(2 * d->vmax) + 1;
	size_t n = (size_t)(hi - lo + 1);
	uint8_t *bin, *edge;
	if (!d->grid || d->n_values > 256 || lut_used + 2 * n > sizeof lut_pool)
		return;		/* binary search instead */
	bin = lut_pool + lut_used;
	edge = bin + n;
	lut_used += 2 * n;
	for (int k = lo; k <= hi; k++) {
		edge[k - lo] = (uint8_t)fmt_nearest_slow(d, k / 2.0);
		bin[k - lo] = (uint8_t)fmt_nearest_slow(d, (k + 0.5) / 2.0);
	}
	d->lut_lo = lo;
	d->lut_bin = bin;
	d->lut_edge = edge;
}

static void finish_values(struct fmt_desc *d)
{
	double best = INFINITY;
	d->vmin = d->values[0];
	d->vmax = d->values[d->n_values - 1];
	d->max_abs = fmax(fabs(d->vmin), fabs(d->vmax));
	for (int i = 0; i < d->n_values; i++)
		if (fabs(d->values[i]) <= best) {
			best = fabs(d->values[i]);
			d->zero_idx = i;	/* ascending: +v wins over -v */
		}
	d->grid = true;
	for (int i = 0; i < d->n_values; i++)
		if (d->values[i] != floor(d->values[i]))
			d->grid = false;
}

static void build(void)
{
	for (int id = 0; id < FMT_COUNT; id++) {
		const struct fmt_row *r = &rows[id];
		struct fmt_desc *d = &descs[id];
		memset(d, 0, sizeof *d);
		d->id = id;
		d->name = r->name;
		d->summary = r->summary;
		d->bits = r->bits;
		d->kind = r->kind;
		d->layout = r->layout;
		d->neg0 = r->neg0;
		d->n_codes = 1u << r->bits;
		d->ovp_normal = d->ovp_outlier = -1;
		d->activation = id == FMT_INT8_ACT || r->layout == FMT_L_IEEE;
		if (r->layout == FMT_L_IEEE) {
			d->ieee_e = r->a;
			d->ieee_m = r->b;
			d->max_abs = id == FMT_FP16 ? 65504.0 : 0x1.fep127;
			d->vmax = d->max_abs;
			d->vmin = -d->max_abs;
			continue;
		}
		if (r->layout == FMT_L_OVP)
			continue;	/* after its parts, below */
		for (uint32_t c = 0; c < d->n_codes; c++) {
			bool alias;
			double v = row_decode(r, c, &alias);
			if (v == v && !alias)
				add_value(d, v, c);
		}
		finish_values(d);
		build_lut(d);
	}
	for (int id = 0; id < FMT_COUNT; id++) {
		const struct fmt_row *r = &rows[id];
		struct fmt_desc *d = &descs[id];
		if (r->layout != FMT_L_OVP)
			continue;
		const struct fmt_desc *n = &descs[r->a], *o = &descs[r->b];
		double omin = INFINITY;
		d->n_codes = 1u << (2 * r->bits);
		d->ovp_normal = r->a;
		d->ovp_outlier = r->b;
		d->ovp_id = 1u << (r->bits - 1);
		for (int i = 0; i < n->n_values; i++)
			add_value(d, n->values[i], 0);
		for (int i = 0; i < o->n_values; i++) {
			add_value(d, o->values[i], 0);
			omin = fmin(omin, fabs(o->values[i]));
		}
		d->ovp_threshold = (n->max_abs + omin) / 2;
		finish_values(d);
	}
}

const struct fmt_desc *fmt_get(int id)
{
	if (id < 0 || id >= FMT_COUNT)
		return NULL;
	call_once(&once, build);
	return &descs[id];
}

int fmt_find(const char *name)
{
	for (int id = 0; id < FMT_COUNT; id++)
		if (name && !strcmp(rows[id].name, name))
			return id;
	return -1;
}

int fmt_code_class(int id, uint32_t code)
{
	const struct fmt_desc *d = fmt_get(id);
	bool alias;
	if (!d || code >= d->n_codes)
		return FMT_CODE_RESERVED;
	if (d->layout == FMT_L_IEEE)
		return FMT_CODE_VALUE;
	if (d->layout == FMT_L_OVP) {
		double v[2];
		return fmt_ovp_decode(id, code, v);
	}
	if (isnan(row_decode(&rows[id], code, &alias)))
		return FMT_CODE_RESERVED;
	return alias ? FMT_CODE_ALIAS : FMT_CODE_VALUE;
}

double fmt_decode(int id, uint32_t code)
{
	const struct fmt_desc *d = fmt_get(id);
	bool alias;
	if (!d || code >= d->n_codes)
		return NAN;
	if (d->layout == FMT_L_IEEE)
		return id == FMT_FP16 ? fmt_f16_to_f64((uint16_t)code)
				      : fmt_bf16_to_f64((uint16_t)code);
	return row_decode(&rows[id], code, &alias);
}

uint32_t fmt_encode(int id, double x)
{
	const struct fmt_desc *d = fmt_get(id);
	if (!d || d->layout == FMT_L_OVP)
		return 0;
	if (d->layout == FMT_L_IEEE)
		return id == FMT_FP16 ? fmt_f16_from_f64(x) : fmt_bf16_from_f64(x);
	return d->code_of[fmt_nearest(d, x)];
}

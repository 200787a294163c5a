/* pe_family.c - the family registry, generated from families.def, and what
 * every family shares: loading an arch, its weight formats, pe_params. */
#include "pe.h"

#include <stdio.h>
#include <string.h>

#include "cfg_yaml.h"

#define PE_FAMILY(n, f) extern const struct pe_family pe_family_##n;
#include "families.def"
#undef PE_FAMILY

const struct pe_family *const pe_families[] = {
#define PE_FAMILY(n, f) &pe_family_##n,
#include "families.def"
#undef PE_FAMILY
	NULL
};

enum { N_FAMILIES = sizeof pe_families / sizeof *pe_families - 1 };

size_t pe_family_count(void)
{
	return N_FAMILIES;
}

const struct pe_family *pe_family_find(const char *name)
{
	for (size_t i = 0; name && i < N_FAMILIES; i++)
		if (!strcmp(pe_families[i]->name, name))
			return pe_families[i];
	return NULL;
}

const struct pe_family *pe_family_of(const struct cfg_arch *a)
{
	if (a->pe.family < 0 || (size_t)a->pe.family >= N_FAMILIES)
		return NULL;
	return pe_families[a->pe.family];
}

/* One weight format spec of the file: parsed, and run by the family. */
static enum ps_status check_spec(const struct cfg_arch *a,
				 const struct pe_family *f, const char *field,
				 const char *spec, struct ps_err *err)
{
	struct fmt_qspec q;
	struct ps_err e;
	char why[200] = "";
	if (fmt_qspec_parse(spec, &q, &e))
		return cfg_arch_errf(a, field, err, "%s", e.msg);
	if (f->runs && !f->runs(&q, why, sizeof why))
		return cfg_arch_errf(a, field, err, "pe.family %s does not run %s weights: %s",
				     f->name, q.name, why);
	return PS_OK;
}

static struct cfg_family_schema schema_of(const struct pe_family *g)
{
	return (struct cfg_family_schema){ g->name, g->cfg_fields,
					   g->cfg_defaults, g->cfg_size };
}

enum ps_status pe_arch_load(const char *path, struct cfg_arch *a,
			    struct ps_err *err)
{
	return pe_arch_load_set(path, NULL, a, err);
}

enum ps_status pe_arch_value(const struct cfg_arch *a, const char *path,
			     char *buf, size_t n, struct ps_err *err)
{
	struct cfg_family_schema sch = schema_of(pe_family_of(a));
	return cfg_arch_value(a, &sch, path, buf, n, err);
}

enum ps_status pe_arch_load_set(const char *path, const struct cfg_sets *sets,
				struct cfg_arch *a, struct ps_err *err)
{
	struct cfg_family_schema sch[N_FAMILIES];
	const struct cfg_family_schema *ps[N_FAMILIES];
	const struct pe_family *f;
	enum ps_status st;

	for (size_t i = 0; i < N_FAMILIES; i++) {
		sch[i] = schema_of(pe_families[i]);
		ps[i] = &sch[i];
	}
	if ((st = cfg_arch_parse_set(path, sets, ps, N_FAMILIES, a, err)))
		return st;
	f = pe_family_of(a);
	if (!a->weights.prefill[0])
		snprintf(a->weights.prefill, sizeof a->weights.prefill, "%s", f->default_weights);
	if (!a->weights.decode[0])
		snprintf(a->weights.decode, sizeof a->weights.decode, "%s", f->default_weights);
	return pe_arch_check(a, err);
}

enum ps_status pe_arch_check(const struct cfg_arch *a, struct ps_err *err)
{
	const struct pe_family *f = pe_family_of(a);
	unsigned modes = f->array_modes ? f->array_modes :
			 PE_DF(CFG_DF_WS) | PE_DF(CFG_DF_OS) | PE_FOLDS(CFG_FOLDS_OVERLAPPED);
	enum ps_status st;

	if ((st = cfg_arch_check(a, err)))
		return st;
	if (!(modes & PE_DF(a->array.dataflow)))
		return cfg_arch_errf(a, "array.dataflow", err, "pe.family %s does not run a %s array",
				     f->name, cfg_dataflow_names[a->array.dataflow]);
	if (!(modes & PE_FOLDS(a->array.folds)))
		return cfg_arch_errf(a, "array.folds", err,
				     "pe.family %s has no %s fold timing (its folds are not a systolic wavefront)",
				     f->name, cfg_folds_names[a->array.folds]);
	if ((st = check_spec(a, f, "weights.prefill", a->weights.prefill, err)) ||
	    (st = check_spec(a, f, "weights.decode", a->weights.decode, err)))
		return st;
	for (size_t i = 0; i < a->weights.n_per_model; i++) {
		const struct cfg_model_weights *m = &a->weights.per_model[i];
		char field[64];
		for (int ph = 0; ph < 2; ph++) {
			const char *s = ph ? m->decode : m->prefill;
			snprintf(field, sizeof field, "weights.per_model[%zu].%s", i,
				 ph ? "decode" : "prefill");
			if (s[0] && (st = check_spec(a, f, field, s, err)))
				return st;
		}
	}
	return f->check ? f->check(a, err) : PS_OK;
}

void pe_layout_dequant(const struct cfg_arch *a, const struct pe_params *p,
		       struct pe_layout *l)
{
	(void)a;
	(void)p;
	l->dequant = true;
}

void pe_weight_format(const struct cfg_arch *a, const char *model, int phase,
		      struct fmt_qspec *q)
{
	/* pe_arch_load checked every spec: this parse cannot fail */
	if (fmt_qspec_parse(cfg_arch_weight_spec(a, model, phase), q, NULL))
		fmt_qspec_parse("none", q, NULL);
}

double pe_weight_bits(const struct cfg_arch *a, const char *model, int phase)
{
	struct fmt_qspec q;
	pe_weight_format(a, model, phase, &q);
	return q.stored_bits;
}

void pe_params_from_arch(const struct cfg_arch *a, const char *model,
			 int phase, struct pe_params *p)
{
	const struct pe_family *f = pe_family_of(a);
	memset(p, 0, sizeof *p);
	pe_weight_format(a, model, phase, &p->wq);
	p->lanes = a->pe.lanes;
	p->weight_bits = p->wq.stored_bits;
	p->code_bits = (uint32_t)p->wq.bits;
	p->group_size = p->wq.group;
	p->act_bits = a->pe.act_bits;
	p->a_bits = a->pe.act_bits;
	if (f && f->params)
		f->params(a, p);
}

void pe_fusion(const struct cfg_arch *a, const struct pe_params *p,
	       uint32_t *pmax, uint32_t *pmin)
{
	const struct pe_family *f = pe_family_of(a);
	if (f->fusion) {
		f->fusion(p, pmax, pmin);
		return;
	}
	*pmax = *pmin = p->act_bits ? p->act_bits : 16;
}

void pe_array_of(const struct cfg_arch *a, int phase, struct pe_array *arr)
{
	const struct cfg_shape *sh = cfg_arch_shape(a, phase);
	arr->rows = sh->rows;
	arr->cols = sh->cols;
	arr->dataflow = a->array.dataflow;
	arr->folds = a->array.folds;
}

void pe_tile_read_bits(const struct cfg_arch *a, int phase,
		       const struct pe_tile *t, const struct pe_tile_timing *tt,
		       uint32_t wbits, uint32_t abits, uint64_t *w, uint64_t *x)
{
	const struct cfg_shape *sh = cfg_arch_shape(a, phase);
	const struct pe_family *f = pe_family_of(a);
	uint64_t L = a->pe.lanes;
	if (f && f->read_bits) {
		struct pe_array arr;
		pe_array_of(a, phase, &arr);
		f->read_bits(a, &arr, t, tt, wbits, abits, w, x);
		return;
	}
	if (a->array.dataflow == CFG_DF_OS) {
		*w = tt->steps * sh->rows * L * wbits;
		*x = tt->steps * sh->cols * L * abits;
	} else {
		*w = t->k * t->n * wbits;
		*x = tt->steps * sh->rows * L * abits;
	}
}

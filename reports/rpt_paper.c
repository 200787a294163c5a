/* rpt_paper.c - loader of published figures. */
#include "rpt_paper.h"

#include <math.h>
#include <string.h>

#include "cfg_yaml.h"

#define FG(f) offsetof(struct rpt_figure, f)
#define FS(f) .size = sizeof(((struct rpt_figure *)0)->f)
static const struct cfg_field figure_fields[] = {
	{ .key = "metric", .type = CFG_STR, .offset = FG(metric), FS(metric), .required = true },
	{ .key = "scenario", .type = CFG_STR, .offset = FG(scenario), FS(scenario), .required = true },
	{ .key = "design", .type = CFG_STR, .offset = FG(design), FS(design), .required = true },
	{ .key = "baseline", .type = CFG_STR, .offset = FG(baseline), FS(baseline) },
	{ .key = "model", .type = CFG_STR, .offset = FG(model), FS(model) },
	{ .key = "value", .type = CFG_DOUBLE, .offset = FG(value), .required = true },
	{ .key = "digits", .type = CFG_UINT, .offset = FG(digits), .required = true, .min = 0, .max = 6 },
	{ .key = "source", .type = CFG_STR, .offset = FG(source), FS(source), .meta = true },
	{ 0 }
};

static const struct cfg_field paper_fields[] = {
	{ .key = "paper", .type = CFG_STR, .offset = offsetof(struct rpt_paper, paper),
	  .size = sizeof(((struct rpt_paper *)0)->paper), .required = true },
	{ .key = "artifact", .type = CFG_STR, .offset = offsetof(struct rpt_paper, artifact),
	  .size = sizeof(((struct rpt_paper *)0)->artifact), .meta = true },
	{ .key = "figures", .type = CFG_SEQ, .offset = offsetof(struct rpt_paper, figures),
	  .size = sizeof(struct rpt_figure), .required = true, .item = CFG_MAP,
	  .fields = figure_fields, .count_offset = offsetof(struct rpt_paper, n),
	  .max_items = RPT_MAX_FIGURES },
	{ 0 }
};

enum ps_status rpt_paper_load(const char *path, struct rpt_paper *p,
			      struct ps_err *err)
{
	memset(p, 0, sizeof *p);
	return cfg_load_file(path, paper_fields, p, err);
}

const struct rpt_figure *rpt_paper_find_model(const struct rpt_paper *p,
					      const char *metric,
					      const char *scenario,
					      const char *design,
					      const char *baseline,
					      const char *model)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct rpt_figure *f = &p->figures[i];
		if (!strcmp(f->metric, metric) && !strcmp(f->scenario, scenario) &&
		    !strcmp(f->design, design) && !strcmp(f->baseline, baseline) &&
		    !strcmp(f->model, model))
			return f;
	}
	return NULL;
}

const struct rpt_figure *rpt_paper_find(const struct rpt_paper *p,
					const char *metric,
					const char *scenario,
					const char *design,
					const char *baseline)
{
	return rpt_paper_find_model(p, metric, scenario, design, baseline, "");
}

double rpt_paper_value(const struct rpt_paper *p, const char *metric,
		       const char *scenario, const char *design,
		       const char *baseline, const char *model)
{
	const struct rpt_figure *f = rpt_paper_find_model(p, metric, scenario, design,
							  baseline, model);
	return f ? f->value : NAN;
}

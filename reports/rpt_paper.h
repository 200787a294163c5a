/* rpt_paper.h - published figures (reports/reference/NAME.yaml), printed only
 * as "paper" beside our numbers. */
#ifndef RPT_PAPER_H
#define RPT_PAPER_H

#include <stddef.h>

#include "ps_status.h"

#define RPT_MAX_FIGURES 256

struct rpt_figure {
	char metric[32], scenario[32], design[32], baseline[32];
	char model[32];		/* "" for a mean over the paper's models */
	double value;
	unsigned digits;	/* decimals the paper printed */
	char source[96];	/* where in the paper (or artifact) */
};

struct rpt_paper {
	char paper[160];
	char artifact[160];	/* the authors' public artifact, if cited */
	struct rpt_figure figures[RPT_MAX_FIGURES];
	size_t n;
};

enum ps_status rpt_paper_load(const char *path, struct rpt_paper *p,
			      struct ps_err *err);
const struct rpt_figure *rpt_paper_find(const struct rpt_paper *p,
					const char *metric,
					const char *scenario,
					const char *design,
					const char *baseline);

/* The same with a model ("" for the mean). */
const struct rpt_figure *rpt_paper_find_model(const struct rpt_paper *p,
					      const char *metric,
					      const char *scenario,
					      const char *design,
					      const char *baseline,
					      const char *model);
/* Its value, NaN when not published. */
double rpt_paper_value(const struct rpt_paper *p, const char *metric,
		       const char *scenario, const char *design,
		       const char *baseline, const char *model);

#endif

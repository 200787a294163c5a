/* rpt_paper.h - published figures (reports/reference/NAME.yaml), printed only
 * as "paper" beside our numbers. */
#ifndef RPT_PAPER_H
#define RPT_PAPER_H

#include <stddef.h>

#include "ps_status.h"

#define RPT_MAX_FIGURES 64

struct rpt_figure {
	char metric[32], scenario[32], design[32], baseline[32];
	double value;
	unsigned digits;	/* decimals the paper printed */
};

struct rpt_paper {
	char paper[160];
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

#endif

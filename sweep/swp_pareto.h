/* swp_pareto.h - the non-dominated points of a sweep's table for chosen
 * objectives, and their plot. */
#ifndef SWP_PARETO_H
#define SWP_PARETO_H

#include <stdbool.h>

#include "swp_table.h"

#define SWP_MAX_OBJ 8

struct swp_objective {
	int col;		/* column of the table */
	bool maximize;
};

/* Rows of t (status ok, every objective a number) that no other such row
 * dominates (at least as good in every objective, better in one), in
 * ascending order of the first objective (as optimized). *rows malloc'd. */
enum ps_status swp_pareto(const struct swp_table *t,
			  const struct swp_objective *obj, size_t nobj,
			  uint64_t **rows, uint64_t *n, struct ps_err *err);

/* A point's label: the file's label template ("{array.prefill.rows}x{...}")
 * filled in, else "field=value" of each swept field (last path key). */
void swp_point_label(const struct swp_table *t, uint64_t row, char *buf,
		     size_t n);

/* PNG (gnuplot) of every ok point and the front over the first two
 * objectives, axes labelled with the metrics' labels and units, the front's
 * points labelled with their swept fields. */
enum ps_status swp_pareto_png(const struct swp_table *t,
			      const struct swp_objective *obj, size_t nobj,
			      const uint64_t *front, uint64_t nf,
			      const char *path, struct ps_err *err);

#endif

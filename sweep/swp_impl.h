/* swp_impl.h - internal to sweep/: the sweep file's schema, shared by the
 * loader (swp_file.c) and the per-point request walk (swp_point.c). */
#ifndef SWP_IMPL_H
#define SWP_IMPL_H

#include "swp.h"

/* What the schema walk of a sweep file fills (set:, vary: are read from
 * the node tree by swp_file.c). */
struct swp_doc {
	char name[64], description[256], label[256];
	struct swp_run run;
	char where[SWP_MAX_WHERE][SWP_WHERE_LEN];
	size_t n_where;
};

extern const struct cfg_field swp_doc_fields[];
extern const struct cfg_field swp_run_fields[];

/* Walk the sweep file (overrides of run.* applied) into d; lines may be
 * NULL. */
enum ps_status swp_doc_walk(const char *path, const struct cfg_sets *sets,
			    struct swp_doc *d, struct cfg_lines *lines,
			    struct ps_err *err);

/* A path in the sweep file (an arch, a model file): relative to the sweep
 * file's folder when it exists there, else as given. */
void swp_resolve(const struct swp_sweep *s, const char *rel, char *buf,
		 size_t n);

/* The origin of an override from the sweep file, "file:line: path=value"
 * (cut to fit, always the same way). */
void swp_origin(const struct swp_sweep *s, unsigned line, const char *path,
		const char *value, char *buf, size_t n);

#endif

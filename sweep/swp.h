/* swp.h - design-space sweeps (README "Sweeps").
 *
 * A sweep file names a base request (its run: block, pesim run's options),
 * fixed overrides (set:), the fields to vary (vary: lists, linear and
 * power-of-two ranges, products and zips) and constraints (where:) that
 * prune points before they run. Every field is a --set path (cfg_yaml.h):
 * "run.KEY" the request, "model.KEY" the model's YAML, anything else the
 * arch, so any schema field can be swept and the schema checks it, with
 * errors naming the sweep file's line.
 *
 * Points are numbered 0..n_points-1 in expansion order (the first vary
 * entry varies slowest), after pruning; shard i of N runs the points
 * p % N == i. Each point runs through sim_run in a worker process
 * (swp_exec.c); its result is committed to a journal before it counts, so
 * a rerun resumes (swp_journal.c); the output (swp_table.c) holds every
 * point in index order, so it is the same whatever -j or sharding. */
#ifndef SWP_H
#define SWP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg_arch.h"
#include "cfg_yaml.h"
#include "ps_status.h"
#include "wl_model.h"
#include "wl_scenario.h"

#define SWP_MAX_FIELDS 32
#define SWP_MAX_WHERE 16
#define SWP_WHERE_LEN 256
#define SWP_ERR_LEN 512
#define SWP_MAX_POINTS (1u << 22)

enum swp_vtype { SWP_V_INT, SWP_V_F64, SWP_V_STR };

/* A swept field: a column of /points. */
struct swp_field {
	char path[CFG_SET_PATH];
	uint32_t line;		/* the sweep-file line that varies it */
	int type;		/* enum swp_vtype: what all its values parse as */
	size_t width;		/* SWP_V_STR: longest value + 1 */
	char **vals;		/* its values, as written */
	uint32_t n_vals;
	uint32_t *val_line;	/* each value's line */
};

struct swp_expr;		/* a parsed constraint (swp_expr.c) */

/* The request of a point (the run: block; pesim run's options). */
struct swp_run {
	char arch[512];		/* relative paths: from the sweep file's folder */
	char model[256];	/* zoo name or path */
	char scenario[128];
	char gemm[64];		/* MxKxN instead of a model */
	int mode;		/* enum sim_mode */
	bool decode;		/* gemm on the decode array */
	int64_t seed;		/* bit-true data */
	uint32_t layer;		/* bit-true: the layer whose linears run */
	int compat_attn;	/* enum sim_compat_attn */
	char compat_method[16];	/* sim_request.compat_method ("" bitmod) */
	bool compat_assumptions;
};

struct swp_sweep {
	char path[1024];	/* the sweep file */
	char dir[1024];		/* its folder */
	char name[64], description[256];
	char label[256];	/* plot label template: "{array.prefill.rows}x..." */
	uint64_t digest;	/* FNV-1a of the file's bytes */
	struct cfg_sets fixed;	/* set: */
	struct swp_field fields[SWP_MAX_FIELDS];
	size_t n_fields;
	struct swp_expr *where[SWP_MAX_WHERE];
	char where_text[SWP_MAX_WHERE][SWP_WHERE_LEN];
	uint32_t where_line[SWP_MAX_WHERE];
	size_t n_where;
	uint32_t *vi;		/* [n_points][n_fields]: value index per field */
	uint64_t n_points;	/* after the constraints */
	uint64_t n_expanded, n_pruned;
};

/* Parse, expand and prune a sweep file; every problem of the file is
 * "file:line: what: problem" (PS_EINPUT). A swept value that no point can
 * load (its override fails in every point that has it) is such a problem. */
enum ps_status swp_load(const char *path, struct swp_sweep *s,
			struct ps_err *err);
void swp_free(struct swp_sweep *s);

/* The text of field f's value in point p. */
const char *swp_value(const struct swp_sweep *s, uint64_t p, size_t f);

/* The overrides of point p: the fixed ones, then its fields' values, each
 * with its origin "file:line: path=value". */
enum ps_status swp_point_sets(const struct swp_sweep *s, uint64_t p,
			      struct cfg_sets *out, struct ps_err *err);

/* A point's configuration: its request, arch and model loaded with its
 * overrides, the scenario parsed. */
struct swp_config {
	struct swp_run run;
	struct cfg_arch arch;
	struct wl_model model;
	bool has_model;
	struct wl_scenario scen;
	uint64_t M, K, N;	/* the gemm */
};
enum ps_status swp_point_load(const struct swp_sweep *s, uint64_t p,
			      struct swp_config *c, struct ps_err *err);
/* A field of a loaded point by path ("run.mode", "model.layers",
 * "pe.area_um2"), as text. */
enum ps_status swp_config_value(const struct swp_config *c, const char *path,
				char *buf, size_t n, struct ps_err *err);

/* ---- metrics and results (swp_metric.c, swp_point.c) ---- */

struct swp_metric {
	const char *name;	/* column and dataset name */
	const char *units;	/* "" dimensionless */
	const char *label;	/* axis label of plots */
};
enum { SWP_N_METRICS = 23 };
extern const struct swp_metric swp_metrics[SWP_N_METRICS];
int swp_metric_find(const char *name);

enum swp_status { SWP_OK, SWP_FAILED, SWP_STATUS_N };
extern const char *const swp_status_names[];

struct swp_result {
	uint64_t index;
	int32_t status;		/* enum swp_status */
	uint32_t pad;
	double m[SWP_N_METRICS];	/* NaN: not measured in this mode */
	char error[SWP_ERR_LEN];
};

struct sim_result;
void swp_metrics_fill(const struct sim_result *r, const struct swp_config *c,
		      double *m);

/* Run point p through sim_run; always fills r (a failure is a result). */
void swp_point_run(const struct swp_sweep *s, uint64_t p,
		   struct swp_result *r);

/* ---- constraints (swp_expr.c) ---- */

/* Resolves a name to its value in a point (text); PS_EINPUT if none. */
typedef enum ps_status (*swp_lookup_fn)(void *ctx, const char *name,
					char *buf, size_t n,
					struct ps_err *err);
enum ps_status swp_expr_parse(const char *text, struct swp_expr **e,
			      struct ps_err *err);
/* *keep: the constraint holds. */
enum ps_status swp_expr_eval(const struct swp_expr *e, swp_lookup_fn look,
			     void *ctx, bool *keep, struct ps_err *err);
void swp_expr_free(struct swp_expr *e);

#endif

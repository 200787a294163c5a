/* ps_path.h - where pesim's data folders are (the model zoo, configs/,
 * rtl/, reference data): one finder for all of them. */
#ifndef PS_PATH_H
#define PS_PATH_H

#include <stddef.h>

/* The folder `rel` of the source tree ("workloads/models", "rtl", ...):
 * $env when that variable is set and not empty, else <source tree>/rel
 * when it exists (the tree pesim was built from), else rel beside the
 * executable's folder (<exe dir>/../rel: an installed binary whose build
 * tree is gone), else rel itself. Written into buf; returns buf. */
const char *ps_data_dir(const char *env, const char *rel, char *buf, size_t n);

#endif

/* ps_json.h - a minimal streaming JSON writer (objects, arrays, scalars).
 * Keeps a nesting stack to place commas; numbers print with %.17g so values
 * round-trip. */
#ifndef PS_JSON_H
#define PS_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct ps_json {
	FILE *fp;
	int depth;
	bool first[64];
	bool after_key;
};

void ps_json_init(struct ps_json *j, FILE *fp);
void ps_json_obj_begin(struct ps_json *j, const char *key);	/* key NULL in arrays/top */
void ps_json_obj_end(struct ps_json *j);
void ps_json_arr_begin(struct ps_json *j, const char *key);
void ps_json_arr_end(struct ps_json *j);
void ps_json_str(struct ps_json *j, const char *key, const char *v);
void ps_json_num(struct ps_json *j, const char *key, double v);
void ps_json_u64(struct ps_json *j, const char *key, uint64_t v);
void ps_json_bool(struct ps_json *j, const char *key, bool v);
/* "pesim_version" and "git_sha" (git describe): first in every object
 * pesim prints, as in every HDF5 file's root attributes. */
void ps_json_provenance(struct ps_json *j);

#endif

/* cfg_yaml.h - a small schema walker from YAML (libfyaml) into C structs.
 *
 * A schema is a table of struct cfg_field: key, type, offset into the target
 * struct, range and, for mappings and sequences, a nested table. Sequences
 * fill fixed arrays (no allocation): `count_offset` names the size_t that
 * receives the item count, `max_items` the capacity. The caller fills default
 * values before loading; a field marked required must appear.
 *
 * Every error is one line "file:line: field.path: problem" (line 1-based) and
 * the status PS_EINPUT: syntax errors, unknown keys, wrong types, values out of
 * range, missing required fields, too many items, missing file. */
#ifndef CFG_YAML_H
#define CFG_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ps_status.h"

enum cfg_type {
	CFG_END = 0,
	CFG_INT,	/* int64_t */
	CFG_UINT,	/* uint32_t */
	CFG_DOUBLE,	/* double */
	CFG_BOOL,	/* bool */
	CFG_STR,	/* char[size] */
	CFG_ENUM,	/* int, index into names[] */
	CFG_MAP,	/* nested struct at offset, fields[] */
	CFG_SEQ,	/* array at offset of max_items elements of size; item */
	CFG_SKIP,	/* any node, neither checked nor stored (another
			 * reader's part of the document) */
};

struct cfg_field {
	const char *key;
	enum cfg_type type;
	size_t offset;
	size_t size;		/* CFG_STR: buffer bytes; CFG_SEQ: element bytes */
	bool required;
	double min, max;	/* numeric range (inclusive) when min < max */
	const char *const *names;	/* CFG_ENUM: NULL-terminated */
	const struct cfg_field *fields;	/* CFG_MAP, or CFG_SEQ of mappings */
	enum cfg_type item;	/* CFG_SEQ: item type (CFG_MAP, CFG_DOUBLE, ...) */
	size_t count_offset;	/* CFG_SEQ: where the item count (size_t) goes */
	size_t max_items;	/* CFG_SEQ */
	const char *help;	/* one line for the README / errors */
	/* Metadata: the value is carried into outputs (names, provenance)
	 * but changes no result. Every other field of a config that shapes
	 * a run changes a result or is refused (test_arch_fields checks). */
	bool meta;
};

/* An override of one field, applied to a parsed document before its walk
 * (cfg_doc_apply), so that the schema checks it exactly like the file's own
 * keys. path: keys joined by '.', a sequence item by index ("buffers[1]")
 * or by its `name` ("buffers.input.size_kib"). value: YAML (a scalar, a
 * flow collection; "~" or "null" removes the key). origin names it in
 * errors, which read "ORIGIN: field: problem" ("--set pe.lanes=x: pe.lanes:
 * expected an integer, got 'x'"). */
#define CFG_MAX_SETS 32
#define CFG_SET_PATH 96
#define CFG_SET_VALUE 256
#define CFG_SET_ORIGIN 256
struct cfg_set {
	char path[CFG_SET_PATH];
	char value[CFG_SET_VALUE];
	char origin[CFG_SET_ORIGIN];
};
struct cfg_sets {
	size_t n;
	struct cfg_set s[CFG_MAX_SETS];
};

/* Add "path=value" (a --set argument); origin NULL: "--set path=value". */
enum ps_status cfg_sets_add(struct cfg_sets *ss, const char *arg,
			    const char *origin, struct ps_err *err);
/* Add one already split. */
enum ps_status cfg_sets_add2(struct cfg_sets *ss, const char *path,
			     const char *value, const char *origin,
			     struct ps_err *err);
/* The sets of `all` whose path starts with "prefix." (prefix stripped), or
 * with prefix NULL those whose first key is none of skip[] (NULL-ended). */
void cfg_sets_select(const struct cfg_sets *all, const char *prefix,
		     const char *const *skip, struct cfg_sets *out);

/* The line of every key a walk read ("pe.lanes", "buffers[1].banks"), for
 * checks made after loading; a key an override set says so, and errors about
 * it name the override. Keys beyond CFG_MAX_LINES are not recorded. */
#define CFG_MAX_LINES 160
struct cfg_lines {
	size_t n;
	struct {
		char path[44];
		uint32_t line;
		uint8_t set;	/* 0: from the file; k: by sets[k - 1] */
	} e[CFG_MAX_LINES];
	size_t n_sets;
	char sets[CFG_MAX_SETS][CFG_SET_ORIGIN];	/* their origins */
};

/* Line of a recorded key, 0 if none (or set by an override). */
uint32_t cfg_lines_find(const struct cfg_lines *l, const char *path);
/* Where a key came from: "file:line", the override's origin, or "file"
 * when unknown. */
void cfg_lines_where(const struct cfg_lines *l, const char *file,
		     const char *path, char *buf, size_t n);

/* A parsed YAML file, walked in steps: open, look at scalars (a key that
 * selects the rest of the schema), walk into a struct, close. */
struct cfg_doc;
enum ps_status cfg_doc_open(const char *path, struct cfg_doc **d,
			    struct ps_err *err);
/* The scalar at a key path ("pe.family") into buf (at most n - 1 bytes),
 * *line its line; PS_OK with buf "" and *line 0 when the key is absent,
 * PS_EINPUT ("file:line: key: expected a string") when it is not a scalar. */
enum ps_status cfg_doc_scalar(struct cfg_doc *d, const char *path, char *buf,
			      size_t n, int *line, struct ps_err *err);
/* Apply overrides (struct cfg_set) to the document; errors in their paths
 * name their origin. The walk then checks their values. */
enum ps_status cfg_doc_apply(struct cfg_doc *d, const struct cfg_sets *ss,
			     struct ps_err *err);
/* Walk the document into dst; lines (may be NULL) records each key's line. */
enum ps_status cfg_doc_walk(struct cfg_doc *d, const struct cfg_field *fields,
			    void *dst, struct cfg_lines *lines,
			    struct ps_err *err);
const char *cfg_doc_name(const struct cfg_doc *d);
/* For readers of parts the schema leaves to them (CFG_SKIP): the root
 * node of the libfyaml tree, a node's 1-based line (0 unknown) and its
 * text (a scalar's, a collection in YAML flow style; malloc'd, NULL when
 * out of memory). */
struct fy_node;
struct fy_node *cfg_doc_root(struct cfg_doc *d);
int cfg_node_line(struct fy_node *n);
char *cfg_node_text(struct fy_node *n);
void cfg_doc_close(struct cfg_doc *d);

/* Load file into the struct at dst according to fields (with --set
 * overrides ss, may be NULL; lines, when not NULL, gets the line of each
 * field as cfg_doc_walk gives it). */
enum ps_status cfg_load_file_lines(const char *path, const struct cfg_sets *ss,
				   const struct cfg_field *fields, void *dst,
				   struct cfg_lines *lines, struct ps_err *err);
enum ps_status cfg_load_file_set(const char *path, const struct cfg_sets *ss,
				 const struct cfg_field *fields, void *dst,
				 struct ps_err *err);
enum ps_status cfg_load_file(const char *path, const struct cfg_field *fields,
			     void *dst, struct ps_err *err);

/* Same, from a string; name is used in messages. */
enum ps_status cfg_load_string(const char *name, const char *text,
			       const struct cfg_field *fields, void *dst,
			       struct ps_err *err);

/* The value of the field at path in a struct loaded by fields, as text
 * (integers in decimal, numbers %.17g, booleans true/false, enums by name):
 * the file's, an override's or the default. Paths as for cfg_set;
 * PS_EINPUT "path: no such field" otherwise. */
enum ps_status cfg_value(const struct cfg_field *fields, const void *src,
			 const char *path, char *buf, size_t n,
			 struct ps_err *err);

/* Next step of a field path: a key (returns 1, key filled) or an item
 * index "[i]" (returns 2, *index set); 0 at the end, -1 if malformed. */
int cfg_path_next(const char **p, char *key, size_t n, long *index);

/* Index of name in a NULL-terminated table, or -1. */
int cfg_enum_find(const char *const *names, const char *name);

#endif

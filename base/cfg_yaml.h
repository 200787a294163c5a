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

/* The line of every key a walk read ("pe.lanes", "buffers[1].banks"), for
 * checks made after loading. Keys beyond CFG_MAX_LINES are not recorded. */
#define CFG_MAX_LINES 160
struct cfg_lines {
	size_t n;
	struct {
		char path[44];
		uint32_t line;
	} e[CFG_MAX_LINES];
};

/* Line of a recorded key, 0 if none. */
uint32_t cfg_lines_find(const struct cfg_lines *l, const char *path);

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
/* Walk the document into dst; lines (may be NULL) records each key's line. */
enum ps_status cfg_doc_walk(struct cfg_doc *d, const struct cfg_field *fields,
			    void *dst, struct cfg_lines *lines,
			    struct ps_err *err);
const char *cfg_doc_name(const struct cfg_doc *d);
void cfg_doc_close(struct cfg_doc *d);

/* Load file into the struct at dst according to fields. */
enum ps_status cfg_load_file(const char *path, const struct cfg_field *fields,
			     void *dst, struct ps_err *err);

/* Same, from a string; name is used in messages. */
enum ps_status cfg_load_string(const char *name, const char *text,
			       const struct cfg_field *fields, void *dst,
			       struct ps_err *err);

/* Index of name in a NULL-terminated table, or -1. */
int cfg_enum_find(const char *const *names, const char *name);

#endif

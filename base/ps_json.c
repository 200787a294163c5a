/* ps_json.c - minimal streaming JSON writer. */
#include "ps_json.h"
#include "ps_version.h"

#include <inttypes.h>
#include <math.h>

void ps_json_init(struct ps_json *j, FILE *fp)
{
	j->fp = fp;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

static void put_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static void sep(struct ps_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->fp);
	j->first[j->depth] = false;
	if (key) {
		put_string(j->fp, key);
		fputc(':', j->fp);
	}
}

static void jopen(struct ps_json *j, const char *key, char c)
{
	sep(j, key);
	fputc(c, j->fp);
	if (j->depth < 63)
		j->depth++;
	j->first[j->depth] = true;
}

void ps_json_obj_begin(struct ps_json *j, const char *key) { jopen(j, key, '{'); }
void ps_json_arr_begin(struct ps_json *j, const char *key) { jopen(j, key, '['); }

void ps_json_obj_end(struct ps_json *j)
{
	j->depth--;
	fputc('}', j->fp);
	if (j->depth == 0)
		fputc('\n', j->fp);
}

void ps_json_arr_end(struct ps_json *j)
{
	j->depth--;
	fputc(']', j->fp);
}

void ps_json_str(struct ps_json *j, const char *key, const char *v)
{
	sep(j, key);
	put_string(j->fp, v);
}

void ps_json_num(struct ps_json *j, const char *key, double v)
{
	sep(j, key);
	if (isfinite(v))
		fprintf(j->fp, "%.17g", v);
	else
		fputs("null", j->fp);
}

void ps_json_u64(struct ps_json *j, const char *key, uint64_t v)
{
	sep(j, key);
	fprintf(j->fp, "%" PRIu64, v);
}

void ps_json_bool(struct ps_json *j, const char *key, bool v)
{
	sep(j, key);
	fputs(v ? "true" : "false", j->fp);
}

void ps_json_provenance(struct ps_json *j)
{
	ps_json_str(j, "pesim_version", PESIM_VERSION);
	ps_json_str(j, "git_sha", PESIM_GIT_SHA);
}

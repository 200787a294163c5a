/* ps_table.c - a column table's CSV and JSON forms (ps_table.h); HDF5 is
 * ps_h5_table. */
#include "ps_table.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "ps_json.h"

void ps_csv_header(FILE *fp, const struct ps_col *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? "," : "", cols[i].name);
	fputc('\n', fp);
}

void ps_put_quoted(FILE *fp, const char *s, char q)
{
	fputc(q, fp);
	for (; *s; s++) {
		if (*s == q)
			fputc(q, fp);
		fputc(*s, fp);
	}
	fputc(q, fp);
}

void ps_csv_str(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\n\r"))
		ps_put_quoted(fp, s, '"');
	else
		fputs(s, fp);
}

void ps_csv_row(FILE *fp, const struct ps_col *cols, size_t n, const void *row)
{
	const char *r = row;
	for (size_t i = 0; i < n; i++) {
		const char *at = r + cols[i].offset;
		if (i)
			fputc(',', fp);
		if (cols[i].type == PS_COL_STR) {
			ps_csv_str(fp, at);
		} else if (cols[i].type == PS_COL_U64) {
			uint64_t v;
			memcpy(&v, at, sizeof v);
			fprintf(fp, "%" PRIu64, v);
		} else {
			double v;
			memcpy(&v, at, sizeof v);
			fprintf(fp, "%.17g", v);
		}
	}
	fputc('\n', fp);
}

void ps_json_row(struct ps_json *j, const struct ps_col *cols, size_t n,
		 const void *row)
{
	const char *r = row;
	for (size_t i = 0; i < n; i++) {
		const char *at = r + cols[i].offset;
		if (cols[i].type == PS_COL_STR) {
			ps_json_str(j, cols[i].name, at);
		} else if (cols[i].type == PS_COL_U64) {
			uint64_t v;
			memcpy(&v, at, sizeof v);
			ps_json_u64(j, cols[i].name, v);
		} else {
			double v;
			memcpy(&v, at, sizeof v);
			ps_json_num(j, cols[i].name, v);
		}
	}
}

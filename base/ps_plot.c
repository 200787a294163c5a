/* ps_plot.c - gnuplot PNGs (ps_plot.h). */
#include "ps_plot.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"

/* A PNG ends with its IEND chunk: a truncated file (full disk) does not. */
static bool png_complete(const char *path)
{
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D',
						0xae, 0x42, 0x60, 0x82 };
	unsigned char tail[12];
	FILE *fp = fopen(path, "rb");
	bool ok = fp && fseek(fp, -12, SEEK_END) == 0 &&
		  fread(tail, 1, sizeof tail, fp) == sizeof tail &&
		  !memcmp(tail, iend, sizeof tail);
	if (fp)
		fclose(fp);
	return ok;
}

enum ps_status ps_plot_png(const char *path, const char *script, size_t len,
			   struct ps_err *err)
{
	static char *const argv[] = { "gnuplot", NULL };
	struct ps_out o;
	enum ps_status st = ps_out_open(&o, path, err);

	if (!st)
		st = ps_out_run(&o, argv, script, len, err);
	if (!st)
		st = ps_out_finish(&o, err);
	if (!st && !png_complete(o.tmp))
		st = ps_errf(err, PS_EIO, "%s: gnuplot wrote an incomplete PNG (disk full?)", path);
	if (st) {
		ps_out_abort(&o);
		return st;
	}
	return ps_out_commit(&o, err);
}

FILE *ps_plot_begin(struct ps_plot *p)
{
	p->script = NULL;
	p->len = 0;
	p->gp = open_memstream(&p->script, &p->len);
	return p->gp;
}

enum ps_status ps_plot_end(struct ps_plot *p, const char *path, struct ps_err *err)
{
	enum ps_status st;

	if (fclose(p->gp) != 0)
		st = ps_errf(err, PS_ENOMEM, "out of memory");
	else
		st = ps_plot_png(path, p->script, p->len, err);
	free(p->script);
	p->gp = NULL;
	p->script = NULL;
	return st;
}

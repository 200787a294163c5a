/* ps_file.c - atomic output files and directory creation. */
#include "ps_file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ps_tmp_name(char *buf, size_t n, const char *path)
{
	snprintf(buf, n, "%s.tmp.%ld", path, (long)getpid());
}

enum ps_status ps_rename(const char *tmp, const char *path,
			 struct ps_err *err)
{
	if (rename(tmp, path) != 0) {
		int e = errno;
		remove(tmp);
		return ps_errf(err, PS_EIO, "%s: cannot rename into place: %s",
			       path, strerror(e));
	}
	return PS_OK;
}

enum ps_status ps_out_open(struct ps_out *out, const char *path,
			   struct ps_err *err)
{
	if (strlen(path) >= sizeof out->path)
		return ps_errf(err, PS_EINPUT, "%s: path too long", path);
	snprintf(out->path, sizeof out->path, "%s", path);
	ps_tmp_name(out->tmp, sizeof out->tmp, path);
	out->fp = fopen(out->tmp, "wb");
	if (!out->fp)
		return ps_errf(err, PS_EIO, "%s: cannot create: %s", out->tmp,
			       strerror(errno));
	return PS_OK;
}

enum ps_status ps_out_commit(struct ps_out *out, struct ps_err *err)
{
	int bad = ferror(out->fp);
	if (fclose(out->fp) != 0)
		bad = 1;
	out->fp = NULL;
	if (bad) {
		remove(out->tmp);
		return ps_errf(err, PS_EIO, "%s: write failed", out->path);
	}
	return ps_rename(out->tmp, out->path, err);
}

void ps_out_abort(struct ps_out *out)
{
	if (out->fp)
		fclose(out->fp);
	out->fp = NULL;
	remove(out->tmp);
}

enum ps_status ps_mkdirs(const char *dir, struct ps_err *err)
{
	char buf[1024];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof buf)
		return ps_errf(err, PS_EINPUT, "bad directory name '%s'", dir);
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return ps_errf(err, PS_EIO, "%s: cannot create directory: %s",
				       buf, strerror(errno));
		buf[i] = c;
	}
	return PS_OK;
}

/* ps_path.c - the data-folder finder (ps_path.h). */
#include "ps_path.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool dir_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *ps_data_dir(const char *env, const char *rel, char *buf, size_t n)
{
	const char *v = env ? getenv(env) : NULL;
	char exe[PATH_MAX];
	ssize_t len;

	if (v && *v) {
		snprintf(buf, n, "%s", v);
		return buf;
	}
#ifdef PESIM_SRCDIR
	snprintf(buf, n, "%s/%s", PESIM_SRCDIR, rel);
	if (dir_exists(buf))
		return buf;
#endif
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		char *slash;
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, n, "%s/../%s", exe, rel);
			return buf;
		}
	}
	snprintf(buf, n, "%s", rel);
	return buf;
}

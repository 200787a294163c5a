/* ps_file.c - output files that appear whole or not at all (ps_file.h):
 * target resolution, temporary files, checked writes, stale temporary
 * files, running a writer program, input checks, stdout. The signal-time
 * cleanup registry is ps_cleanup.c. */
#include "ps_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps_file_impl.h"

extern char **environ;

/* ---- paths ---- */

const char *ps_base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

void ps_dir_name(const char *path, char *buf, size_t n)
{
	const char *s = strrchr(path, '/');
	if (!s)
		snprintf(buf, n, ".");
	else if (s == path)
		snprintf(buf, n, "/");
	else
		snprintf(buf, n, "%.*s", (int)(s - path), path);
}

const char *ps_file_type(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISSOCK(m) ? "a socket" : S_ISLNK(m) ? "a symbolic link" :
	       "not a regular file";
}

enum ps_status ps_out_target(const char *path, char *buf, size_t n,
			     struct ps_err *err)
{
	char cur[PATH_MAX], link[PATH_MAX], dir[PATH_MAX];
	struct stat sb;
	const char *base;

	if (!path || !*path)
		return ps_errf(err, PS_EINPUT, "empty output file name");
	if (strlen(path) >= sizeof cur)
		return ps_errf(err, PS_EINPUT, "%.64s...: path too long", path);
	snprintf(cur, sizeof cur, "%s", path);
	for (int hop = 0;; hop++) {
		ssize_t l;
		if (lstat(cur, &sb) != 0) {
			if (errno != ENOENT)
				return ps_errf(err, PS_EIO, "%s: %s", cur, strerror(errno));
			break;	/* a new file */
		}
		if (!S_ISLNK(sb.st_mode)) {
			if (!S_ISREG(sb.st_mode))
				return ps_errf(err, PS_EINPUT,
					       "%s: exists and is %s; pesim replaces only regular files",
					       cur, ps_file_type(sb.st_mode));
			break;
		}
		if (hop == 40)
			return ps_errf(err, PS_EINPUT, "%s: too many levels of symbolic links", path);
		l = readlink(cur, link, sizeof link - 1);
		if (l < 0)
			return ps_errf(err, PS_EIO, "%s: %s", cur, strerror(errno));
		link[l] = '\0';
		if (link[0] == '/') {
			snprintf(cur, sizeof cur, "%s", link);
		} else {
			ps_dir_name(cur, dir, sizeof dir);
			if ((size_t)snprintf(cur, sizeof cur, "%s/%s", dir, link) >= sizeof cur)
				return ps_errf(err, PS_EINPUT, "%s: path too long", path);
		}
	}
	base = ps_base_name(cur);
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return ps_errf(err, PS_EINPUT, "%s: is a directory name, not a file name", path);
	if (strlen(cur) >= n)
		return ps_errf(err, PS_EINPUT, "%s: path too long", path);
	snprintf(buf, n, "%s", cur);
	return PS_OK;
}

/* ---- stale temporary files ---- */

#define TMP_SUFFIX ".pesim-tmp"

/* Is "name" the temporary file ".<base>.<pid>.pesim-tmp" of a process that
 * no longer exists (or of this process, from before)? */
bool ps_stale_name(const char *name, const char *prefix, const char *suffix)
{
	size_t lp = strlen(prefix), ls = strlen(suffix), ln = strlen(name);
	const char *p;
	char *end;
	long pid;

	if (ln <= lp + ls || strncmp(name, prefix, lp))
		return false;
	/* the name ends with suffix, or has one more extension after it (a
	 * side file a writer made next to its temporary file) */
	{
		const char *x = strstr(name + lp, suffix);
		if (!x || (x[ls] && (x[ls] != '.' || strchr(x + ls + 1, '/'))))
			return false;
		ln = (size_t)(x - name) + ls;
	}
	p = name + lp;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno || pid <= 0 || pid > INT32_MAX)
		return false;
	if (*end != '-' && end != name + ln - ls)
		return false;
	if (pid == (long)getpid())
		return true;	/* an earlier process with our pid */
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static void remove_stale(const char *dir, const char *base)
{
	char prefix[NAME_MAX + 8], p[PATH_MAX];
	DIR *d;
	struct dirent *e;

	snprintf(prefix, sizeof prefix, ".%s.", base);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (ps_stale_name(e->d_name, prefix, TMP_SUFFIX) &&
		    (size_t)snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < sizeof p)
			unlink(p);
	closedir(d);
}

/* ---- single files ---- */

static enum ps_status open_tmp(struct ps_out *o, const char *path, bool by_name,
			       struct ps_err *err)
{
	char dir[PATH_MAX];
	struct stat sb;
	enum ps_status st;
	int fd;

	memset(o, 0, sizeof *o);
	o->slot = -1;
	if ((st = ps_out_target(path, o->path, sizeof o->path, err)))
		return st;
	ps_dir_name(o->path, dir, sizeof dir);
	if ((size_t)snprintf(o->tmp, sizeof o->tmp, "%s/.%s.%ld" TMP_SUFFIX, dir,
			     ps_base_name(o->path), (long)getpid()) >= sizeof o->tmp) {
		o->tmp[0] = '\0';
		return ps_errf(err, PS_EINPUT, "%s: path too long", path);
	}
	remove_stale(dir, ps_base_name(o->path));
	o->slot = ps_cleanup_add(o->tmp, false);
	fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		int e = errno;
		ps_cleanup_del(o->slot);
		o->slot = -1;
		o->tmp[0] = '\0';
		if (stat(dir, &sb) != 0)
			return ps_errf(err, PS_EIO, "%s: cannot create: directory %s: %s",
				       path, dir, strerror(e));
		return ps_errf(err, PS_EIO, "%s: cannot create a file in %s: %s",
			       path, dir, strerror(e));
	}
	if (stat(o->path, &sb) == 0)	/* keep the permissions it had */
		(void)fchmod(fd, sb.st_mode & 07777);
	if (by_name) {
		close(fd);
		return PS_OK;
	}
	o->fp = fdopen(fd, "wb");
	if (!o->fp) {
		close(fd);
		ps_out_abort(o);
		return ps_errf(err, PS_ENOMEM, "%s: out of memory", path);
	}
	return PS_OK;
}

enum ps_status ps_out_open(struct ps_out *out, const char *path,
			   struct ps_err *err)
{
	return open_tmp(out, path, false, err);
}

enum ps_status ps_out_open_name(struct ps_out *out, const char *path,
				struct ps_err *err)
{
	return open_tmp(out, path, true, err);
}

static enum ps_status fail(struct ps_out *o, int e, const char *what,
			   struct ps_err *err)
{
	ps_out_abort(o);
	return ps_errf(err, PS_EIO, "%s: %s: %s", o->path, what,
		       e ? strerror(e) : "write error");
}

enum ps_status ps_out_finish(struct ps_out *o, struct ps_err *err)
{
	int e = 0;
	if (o->finished)
		return PS_OK;
	if (o->fp) {
		FILE *fp = o->fp;
		bool bad = ferror(fp);
		errno = 0;
		if (fflush(fp) != 0)
			e = errno, bad = true;
		if (!bad && fsync(fileno(fp)) != 0 && errno != EINVAL)
			e = errno, bad = true;
		o->fp = NULL;
		if (fclose(fp) != 0 && !bad)
			e = errno, bad = true;
		if (bad)
			return fail(o, e, "cannot write", err);
	} else {
		struct stat sb;
		int fd = open(o->tmp, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fail(o, errno, "the temporary file vanished", err);
		if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			close(fd);
			return fail(o, 0, "the temporary file is not a regular file", err);
		}
		if (fsync(fd) != 0 && errno != EINVAL) {
			e = errno;
			close(fd);
			return fail(o, e, "cannot write", err);
		}
		close(fd);
	}
	o->finished = true;
	return PS_OK;
}

void ps_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

enum ps_status ps_out_commit(struct ps_out *o, struct ps_err *err)
{
	char dir[PATH_MAX];
	enum ps_status st = ps_out_finish(o, err);
	if (st)
		return st;
	if (rename(o->tmp, o->path) != 0)
		return fail(o, errno, "cannot rename into place", err);
	ps_cleanup_del(o->slot);
	o->slot = -1;
	o->tmp[0] = '\0';
	ps_dir_name(o->path, dir, sizeof dir);
	ps_sync_dir(dir);
	return PS_OK;
}

void ps_out_abort(struct ps_out *o)
{
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = '\0';
	ps_cleanup_del(o->slot);
	o->slot = -1;
	o->finished = false;
}

static size_t xfer(int fd, char *p, size_t n, bool wr)
{
	size_t done = 0;
	while (done < n) {
		ssize_t k = wr ? write(fd, p + done, n - done) : read(fd, p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	return done;
}

size_t ps_read_full(int fd, void *buf, size_t n)
{
	return xfer(fd, buf, n, false);
}

size_t ps_write_full(int fd, const void *buf, size_t n)
{
	return xfer(fd, (char *)buf, n, true);
}

enum ps_status ps_out_run(struct ps_out *o, char *const argv[], const char *in,
			  size_t n, struct ps_err *err)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int fd = memfd_create("pesim-input", MFD_CLOEXEC), rc, status = 0;
	FILE *tf = NULL;

	if (fd < 0 && (tf = tmpfile()))	/* kernels without memfd */
		fd = fileno(tf);
	if (fd < 0)
		return ps_errf(err, PS_EIO, "%s: cannot hold %s's input: %s", o->path,
			       argv[0], strerror(errno));
	if (ps_write_full(fd, in, n) != n) {
		int e = errno;
		tf ? fclose(tf) : close(fd);
		return ps_errf(err, PS_EIO, "%s: cannot hold %s's input: %s",
			       o->path, argv[0], strerror(e));
	}
	lseek(fd, 0, SEEK_SET);
	fflush(o->fp);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(o->fp), 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	tf ? fclose(tf) : close(fd);
	if (rc)
		return ps_errf(err, PS_EIO, "%s: cannot run %s: %s (is it installed?)",
			       o->path, argv[0], strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return ps_errf(err, PS_EIO, "%s: waitpid: %s", o->path, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return ps_errf(err, PS_EIO, "%s: %s failed (%s %d)%s", o->path, argv[0],
			       WIFEXITED(status) ? "exit status" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			       WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
				       "; is it installed?" : "");
	return PS_OK;
}

/* ---- inputs, directories, stdout ---- */

enum ps_status ps_in_check(const char *path, struct ps_err *err)
{
	struct stat sb;
	if (!path || !*path)
		return ps_errf(err, PS_EINPUT, "empty input file name");
	if (stat(path, &sb) != 0)
		return ps_errf(err, PS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return ps_errf(err, PS_EINPUT, "%s: is a directory, not a file", path);
	return PS_OK;
}

enum ps_status ps_mkdirs(const char *dir, struct ps_err *err)
{
	char buf[PATH_MAX];
	struct stat sb;
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
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return ps_errf(err, PS_EINPUT, "%s: exists and is not a directory", dir);
	return PS_OK;
}

enum ps_status ps_stdout_close(struct ps_err *err)
{
	bool bad = ferror(stdout);
	int e = 0;
	errno = 0;
	if (fflush(stdout) != 0)
		e = errno, bad = true;
	if (fclose(stdout) != 0 && !bad)
		e = errno, bad = true;
	if (bad)
		return ps_errf(err, PS_EIO, "stdout: %s", e ? strerror(e) : "write error");
	return PS_OK;
}

/* ps_outset.c - a set of output files replaced together (ps_file.h).
 *
 * Layout in the output directory D, for the set "tables":
 *   tables.md -> .tables.pesim-set/tables.md     one link per file, made once
 *   .tables.pesim-set -> .tables.<pid>-<n>.pesim-gen   the switch
 *   .tables.<pid>-<n>.pesim-gen/tables.md ...    a generation: the files
 * A run writes a new generation (the staging directory), then renames a
 * new ".tables.pesim-set" link over the old one: that one rename makes the
 * whole new set visible; the old generation is removed after. Killed before
 * the rename, the old set stays (and the half-written generation is removed
 * by the next run); killed after, the new set is there (and the old
 * generation is removed by the next run). Files left as regular files by
 * an older pesim are first hard-linked into a generation of their own, so
 * every name shows old or new content at every instant. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_file.h"
#include "ps_file_impl.h"

#define SET_MAX 16
#define GEN_SUFFIX ".pesim-gen"
#define TMP_SUFFIX ".pesim-tmp"

struct ps_outset {
	char dir[PATH_MAX];		/* D, resolved */
	char name[NAME_MAX + 1];	/* "tables" */
	char ptr[NAME_MAX + 1];		/* ".tables.pesim-set" */
	char gen[NAME_MAX + 1];		/* the new generation's name */
	char stage[PATH_MAX];		/* D/gen */
	size_t n;
	char files[SET_MAX][NAME_MAX + 1];
	char paths[SET_MAX][PATH_MAX];	/* stage/file */
	int slots[SET_MAX + 1];		/* files, then the directory */
};

static unsigned gen_counter;

/* buf = a b c, or -1 when it does not fit */
static int cat3(char *buf, size_t n, const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	if (la + lb + lc >= n)
		return -1;
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb);
	memcpy(buf + la + lb, c, lc + 1);
	return 0;
}

static int path_in(char *buf, size_t n, const char *dir, const char *name)
{
	return cat3(buf, n, dir, "/", name);
}

/* ".<name>.<pid>-<n>.pesim-gen" */
static void gen_name(char *buf, size_t n, const char *name)
{
	char id[48];
	snprintf(id, sizeof id, ".%ld-%u" GEN_SUFFIX, (long)getpid(), ++gen_counter);
	if (cat3(buf, n, ".", name, id))
		buf[0] = '\0';
}

/* A generation directory holds regular files only. */
static void rm_gen(const char *dir, const char *gen)
{
	char p[PATH_MAX];
	DIR *d;
	struct dirent *e;
	if (path_in(p, sizeof p, dir, gen))
		return;
	d = opendir(p);
	if (d) {
		int fd = dirfd(d);
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(fd, e->d_name, 0);
		closedir(d);
	}
	rmdir(p);
}

static bool is_gen(const struct ps_outset *s, const char *name)
{
	size_t l = strlen(s->name), n = strlen(name);
	return n > l + 2 + strlen(GEN_SUFFIX) && name[0] == '.' &&
	       !strncmp(name + 1, s->name, l) && name[l + 1] == '.' &&
	       !strcmp(name + n - strlen(GEN_SUFFIX), GEN_SUFFIX) && !strchr(name, '/');
}

static void current_gen(const struct ps_outset *s, char *buf, size_t n)
{
	char p[PATH_MAX];
	ssize_t l = -1;
	if (!path_in(p, sizeof p, s->dir, s->ptr))
		l = readlink(p, buf, n - 1);
	buf[l < 0 ? 0 : l] = '\0';
}

/* Generations and link temporaries of killed runs. */
static void remove_stale(const struct ps_outset *s)
{
	char cur[NAME_MAX + 1], pre[NAME_MAX + 8], ptmp[NAME_MAX + 8], p[PATH_MAX];
	DIR *d = opendir(s->dir);
	struct dirent *e;
	if (!d)
		return;
	current_gen(s, cur, sizeof cur);
	snprintf(pre, sizeof pre, ".%s.", s->name);
	snprintf(ptmp, sizeof ptmp, "%s.", s->ptr);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, cur) && ps_stale_name(e->d_name, pre, GEN_SUFFIX))
			rm_gen(s->dir, e->d_name);
		else if (ps_stale_name(e->d_name, ptmp, TMP_SUFFIX) &&
			 !path_in(p, sizeof p, s->dir, e->d_name))
			unlink(p);
	}
	closedir(d);
}

/* What stands at a visible name: 0 absent, 1 our link, 2 a regular file. */
static int visible(const struct ps_outset *s, size_t i, struct ps_err *err)
{
	char p[PATH_MAX], want[2 * NAME_MAX + 4], got[PATH_MAX];
	struct stat sb;
	ssize_t l;
	if (path_in(p, sizeof p, s->dir, s->files[i]))
		return ps_errf(err, PS_EINPUT, "%s/%s: path too long", s->dir, s->files[i]), -1;
	if (lstat(p, &sb) != 0)
		return errno == ENOENT ? 0 :
		       (ps_errf(err, PS_EIO, "%s: %s", p, strerror(errno)), -1);
	if (S_ISREG(sb.st_mode))
		return 2;
	if (!S_ISLNK(sb.st_mode)) {
		ps_errf(err, PS_EINPUT, "%s: exists and is %s; pesim replaces only regular files",
			p, ps_file_type(sb.st_mode));
		return -1;
	}
	snprintf(want, sizeof want, "%s/%s", s->ptr, s->files[i]);
	l = readlink(p, got, sizeof got - 1);
	got[l < 0 ? 0 : l] = '\0';
	if (l < 0 || strcmp(got, want)) {
		ps_errf(err, PS_EINPUT,
			"%s: a symbolic link to %s, not pesim's; the files of a report are "
			"replaced together through %s/%s, so remove the link or choose another directory",
			p, got, s->dir, s->ptr);
		return -1;
	}
	return 1;
}

enum ps_status ps_outset_begin(struct ps_outset **out, const char *dir,
			       const char *name, const char *const *files,
			       struct ps_err *err)
{
	struct ps_outset *s;
	enum ps_status st;

	*out = NULL;
	if ((st = ps_mkdirs(dir, err)))
		return st;
	if (!(s = calloc(1, sizeof *s)))
		return ps_errf(err, PS_ENOMEM, "out of memory");
	for (size_t i = 0; i < SET_MAX + 1; i++)
		s->slots[i] = -1;
	if (!realpath(dir, s->dir)) {
		st = ps_errf(err, PS_EIO, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	snprintf(s->name, sizeof s->name, "%s", name);
	snprintf(s->ptr, sizeof s->ptr, ".%s.pesim-set", name);
	for (s->n = 0; files[s->n]; s->n++)
		if (s->n == SET_MAX || !*files[s->n] || strchr(files[s->n], '/') ||
		    files[s->n][0] == '.' || strlen(files[s->n]) > NAME_MAX - 8) {
			st = ps_errf(err, PS_EINPUT, "internal: bad set file name '%s'", files[s->n]);
			goto fail;
		}
	for (size_t i = 0; i < s->n; i++) {
		snprintf(s->files[i], sizeof s->files[i], "%s", files[i]);
		if (visible(s, i, err) < 0) {
			st = PS_EINPUT;
			goto fail;
		}
	}
	remove_stale(s);
	gen_name(s->gen, sizeof s->gen, name);
	if (!s->gen[0] || path_in(s->stage, sizeof s->stage, s->dir, s->gen)) {
		st = ps_errf(err, PS_EINPUT, "%s: path too long", s->dir);
		goto fail;
	}
	s->slots[SET_MAX] = ps_cleanup_add(s->stage, true);
	if (mkdir(s->stage, 0777) != 0) {
		st = ps_errf(err, PS_EIO, "%s: cannot create the staging directory %s: %s",
			     s->dir, s->gen, strerror(errno));
		ps_cleanup_del(s->slots[SET_MAX]);
		s->slots[SET_MAX] = -1;
		goto fail;
	}
	for (size_t i = 0; i < s->n; i++) {
		path_in(s->paths[i], sizeof s->paths[i], s->stage, s->files[i]);
		s->slots[i] = ps_cleanup_add(s->paths[i], false);
	}
	*out = s;
	return PS_OK;
fail:
	free(s);
	return st;
}

const char *ps_outset_path(const struct ps_outset *s, size_t i)
{
	return i < s->n ? s->paths[i] : NULL;
}

static enum ps_status link_at(const struct ps_outset *s, const char *target,
			      const char *name, bool replace, struct ps_err *err)
{
	char p[PATH_MAX], t[PATH_MAX];
	if (path_in(p, sizeof p, s->dir, name))
		return ps_errf(err, PS_EINPUT, "%s/%s: path too long", s->dir, name);
	if (!replace) {
		if (symlink(target, p) != 0 && errno != EEXIST)
			return ps_errf(err, PS_EIO, "%s: cannot create the link: %s", p,
				       strerror(errno));
		return PS_OK;
	}
	{
		char tail[48], base[NAME_MAX + 2];
		snprintf(tail, sizeof tail, ".%ld" TMP_SUFFIX, (long)getpid());
		if (cat3(base, sizeof base, ".", name, tail) || path_in(t, sizeof t, s->dir, base))
			return ps_errf(err, PS_EINPUT, "%s: path too long", p);
	}
	unlink(t);
	if (symlink(target, t) != 0 || rename(t, p) != 0) {
		int e = errno;
		unlink(t);
		return ps_errf(err, PS_EIO, "%s: cannot replace it with a link: %s", p,
			       strerror(e));
	}
	return PS_OK;
}

/* Regular files of an older pesim become generation "old" first. */
static enum ps_status adopt_old(struct ps_outset *s, const int *kind,
				struct ps_err *err)
{
	char gen[NAME_MAX + 1], g[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	gen_name(gen, sizeof gen, s->name);
	if (!gen[0] || path_in(g, sizeof g, s->dir, gen) || mkdir(g, 0777) != 0)
		return ps_errf(err, PS_EIO, "%s: cannot create %s: %s", s->dir, gen,
			       strerror(errno));
	for (size_t i = 0; i < s->n; i++) {
		if (kind[i] != 2)
			continue;
		path_in(a, sizeof a, s->dir, s->files[i]);
		path_in(b, sizeof b, g, s->files[i]);
		if (link(a, b) != 0) {
			int e = errno;
			rm_gen(s->dir, gen);
			return ps_errf(err, PS_EIO, "%s: cannot keep it while the set is replaced: %s",
				       a, strerror(e));
		}
	}
	ps_sync_dir(g);
	return link_at(s, gen, s->ptr, true, err);
}

enum ps_status ps_outset_commit(struct ps_outset *s, struct ps_err *err)
{
	char old[NAME_MAX + 1], target[2 * NAME_MAX + 4];
	int kind[SET_MAX];
	enum ps_status st = PS_OK;
	bool any_regular = false;
	struct stat sb;
	sigset_t mask;

	for (size_t i = 0; i < s->n; i++)
		if (stat(s->paths[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
			st = ps_errf(err, PS_EIO, "%s: was not written", s->paths[i]);
			goto out;
		}
	ps_sync_dir(s->stage);
	for (size_t i = 0; i < s->n; i++) {
		if ((kind[i] = visible(s, i, err)) < 0) {
			st = PS_EINPUT;
			goto out;
		}
		any_regular |= kind[i] == 2;
	}
	current_gen(s, old, sizeof old);
	if (!old[0] && any_regular) {
		if ((st = adopt_old(s, kind, err)))
			goto out;
		current_gen(s, old, sizeof old);
	}
	for (size_t i = 0; i < s->n && !st; i++) {
		snprintf(target, sizeof target, "%s/%s", s->ptr, s->files[i]);
		if (kind[i] != 1)
			st = link_at(s, target, s->files[i], kind[i] == 2, err);
	}
	if (st)
		goto out;
	/* from here the generation is the set: no signal may remove it, and
	 * a SIGINT or SIGTERM waits until the old generation is gone, so an
	 * interrupted run leaves one generation (kill -9 may leave the old
	 * one to the next run) */
	for (size_t i = 0; i < SET_MAX + 1; i++) {
		ps_cleanup_del(s->slots[i]);
		s->slots[i] = -1;
	}
	ps_cleanup_hold(&mask);
	if ((st = link_at(s, s->gen, s->ptr, true, err))) {
		ps_cleanup_release(&mask);
		goto out;
	}
	ps_sync_dir(s->dir);
	if (old[0] && strcmp(old, s->gen) && is_gen(s, old))
		rm_gen(s->dir, old);
	s->gen[0] = '\0';	/* nothing to remove */
	ps_cleanup_release(&mask);
out:
	ps_outset_abort(s);
	return st;
}

void ps_outset_abort(struct ps_outset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < SET_MAX + 1; i++)
		ps_cleanup_del(s->slots[i]);
	if (s->gen[0])
		rm_gen(s->dir, s->gen);
	free(s);
}

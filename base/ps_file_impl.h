/* ps_file_impl.h - internal to ps_file.c and ps_outset.c. */
#ifndef PS_FILE_IMPL_H
#define PS_FILE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

const char *ps_base_name(const char *path);
void ps_dir_name(const char *path, char *buf, size_t n);
const char *ps_file_type(mode_t m);
/* name = prefix <pid> [-...] suffix, of a process that is gone */
bool ps_stale_name(const char *name, const char *prefix, const char *suffix);
void ps_sync_dir(const char *dir);

#endif

/* atomic.h - files that appear under their final name only when complete and durable. */
#ifndef LB_ATOMIC_H
#define LB_ATOMIC_H

#include <dirent.h>
#include <stddef.h>
#include <stdio.h>

/* A file being written to "DIR/.NAME.tmp", renamed to its final name by
 * atomic_commit after fflush + fsync, then the directory is fsynced. */
typedef struct atomic_file {
  FILE *fp;     /* write here */
  char *path;   /* final name */
  char *tmp;    /* temporary name */
} atomic_file;

/* Open a temporary file next to `path`. Returns 0 or LB_EIO/LB_ENOMEM
 * (errno kept). */
int atomic_open(atomic_file *af, const char *path);
/* Flush, fsync, rename over the final name, fsync the directory. On any
 * failure the temporary is removed and LB_EIO returned. af is closed either way. */
int atomic_commit(atomic_file *af);

/* As atomic_commit without the fsyncs: the file is whole under its name
 * (rename) but not durable until atomic_sync_tree of a folder holding it
 * returns, or it is fsynced. For many files written together (a round's PDFs,
 * fsynced together before the ledger records them). */
int atomic_commit_unsynced(atomic_file *af);

/* fsync every file and folder under path (and path), files before their
 * folder. LB_OK, LB_EIO (errno set) or LB_ENOMEM. */
int atomic_sync_tree(const char *path);

/* fn("path/NAME", ctx) for each entry of the folder dp (opened from path) but
 * "." and "..", in readdir's order, until fn returns non-zero: that value, or
 * LB_ENOMEM, or LB_OK after the last entry. The walk of atomic_sync_tree and
 * of the snapshot's rm -r. */
int atomic_each_entry(DIR *dp, const char *path, int (*fn)(const char *sub, void *ctx), void *ctx);

/* Rename from (a file or a whole folder, durable already) to `to` and fsync to's folder: the name is durable
 * when it returns. LB_OK, LB_EIO (errno set) or LB_ENOMEM. */
int atomic_rename(const char *from, const char *to);

/* fsync the one file or folder at path. LB_OK or LB_EIO (errno set). */
int atomic_sync(const char *path);

/* atomic_write without the fsyncs (see atomic_commit_unsynced). */
int atomic_write_unsynced(const char *path, const void *data, size_t len);
/* Drop the temporary file (NULL-safe on a closed af). */
void atomic_abort(atomic_file *af);

/* Write a whole buffer atomically. */
int atomic_write(const char *path, const void *data, size_t len);

/* mkdir -p. Returns 0 or LB_EIO. */
int atomic_mkdirs(const char *path);

#endif

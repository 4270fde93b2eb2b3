/* e2e.h - end-to-end test helpers: scratch copies of an input set, files patched, licbill run as a child. */
#ifndef LB_TEST_E2E_H
#define LB_TEST_E2E_H

#include <stddef.h>

/* What a child process left behind. */
typedef struct e2e_result {
  int code;  /* exit status; 128 + signal number when killed by a signal; -1 when it could not start */
  char *out; /* everything written to stdout (malloc'd, NUL-terminated, never NULL after e2e_run) */
  char *err; /* everything written to stderr (same) */
} e2e_result;

/* The licbill binary under test: $LICBILL, or ./build/licbill-san when unset
 * or empty. Not owned by the caller. */
const char *e2e_licbill(void);

/* The release build of licbill ($LICBILL_REL; tests/run_all.sh sets ./licbill), for a step that repeats code
 * another step of the same test runs under the sanitizers on the same input: a run killed at a crash point
 * (the prefix of the uninterrupted run before it), a fixture made by a command tested elsewhere. e2e_licbill()
 * when unset or empty. Not owned by the caller. */
const char *e2e_licbill_rel(void);

/* "dir/rel" in a malloc'd string (caller frees); NULL on allocation failure. */
char *e2e_path(const char *dir, const char *rel);

/* Where tests put scratch files: $TMPDIR, or /tmp when unset or empty (tests/run_all.sh points TMPDIR at a
 * tmpfs when there is one). Not owned by the caller. */
const char *e2e_tmpdir(void);

/* A fresh empty directory e2e_tmpdir()/lb-TAG-XXXXXX. Returns the malloc'd
 * path (caller frees and removes it with e2e_rm_tree), NULL on failure. */
char *e2e_mkdtemp(const char *tag);

/* Copy the tree at src (regular files and folders) to dst, which must not
 * exist yet. 0 on success, -1 with errno set on failure. */
int e2e_copy_tree(const char *src, const char *dst);

/* Remove a tree (files, folders, symlinks not followed). NULL-safe. 0 or -1. */
int e2e_rm_tree(const char *dir);

/* Whole file in a malloc'd NUL-terminated buffer (caller frees); *len gets
 * the byte count when len != NULL. NULL when the file cannot be read. */
char *e2e_read_file(const char *path, size_t *len);

/* Create or overwrite path with exactly these bytes. 0 or -1. */
int e2e_write_file(const char *path, const void *data, size_t len);

/* Append bytes to path (created if missing). 0 or -1. */
int e2e_append_file(const char *path, const void *data, size_t len);

/* Replace the only occurrence of `from` in the file with `to` (both taken as
 * bytes up to their NUL). Returns 0; -1 when `from` does not occur exactly
 * once (the file is then unchanged) or on I/O failure. A patch that silently
 * matched nothing would test nothing, hence the strictness. */
int e2e_patch_file(const char *path, const char *from, const char *to);

/* Delete every line of the file that starts with `prefix` (the line's '\n'
 * included). Returns the number of lines removed, -1 on I/O failure. */
int e2e_delete_lines(const char *path, const char *prefix);

/* 1 if path exists (any type), else 0. */
int e2e_exists(const char *path);

/* Run argv[0] with argv (NULL-terminated) in folder cwd (NULL = the
 * caller's), stdin from /dev/null, capturing stdout and stderr. A relative
 * argv[0] is resolved against the caller's folder before changing to cwd.
 * The environment is inherited. Fills *r (clear it with e2e_result_clear)
 * and returns 0; -1 when the child could not be started (r->code = -1). */
int e2e_run(e2e_result *r, const char *cwd, const char *const argv[]);

/* Free the captured output. NULL-safe; r is zeroed. */
void e2e_result_clear(e2e_result *r);

/* Run a shell command line (printf-style) with stderr merged into stdout.
 * Returns the exit status (128 + signal when killed); *out (may be NULL)
 * gets the output, malloc'd. */
int e2e_sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

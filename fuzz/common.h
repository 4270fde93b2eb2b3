/* common.h - what the libFuzzer harnesses share: a scratch folder per process, files written into it, and
 * the checks every parser's errors must pass ("nothing silent"). */
#ifndef LB_FUZZ_COMMON_H
#define LB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

/* The checkout the harness was built in (set by the makefile): sample/ and templates/ are read from it. */
#ifndef FUZZ_ROOT
#error "FUZZ_ROOT must name the checkout (-DFUZZ_ROOT=\"...\")"
#endif

/* The scratch folder of this process: made once under /dev/shm (or $TMPDIR, /tmp), removed at exit.
 * Aborts when it cannot be made. */
const char *fz_dir(void);

/* "SCRATCH/name" in a new string the caller frees; aborts on ENOMEM. */
char *fz_path(const char *name);

/* A new string formatted like printf; the caller frees it. Aborts on ENOMEM. */
char *fz_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write n bytes to path as a new file (whatever was there, a link say, is removed first). Aborts on
 * failure: the harness cannot test anything else. */
void fz_write(const char *path, const uint8_t *data, size_t n);

/* Copy file src to dst (a new file). Aborts on failure. */
void fz_copy(const char *src, const char *dst);

/* Make `link` a symbolic link to `target`, replacing whatever `link` was. Aborts on failure. */
void fz_link(const char *target, const char *link);

/* Abort with "fuzz harness: what" on stderr unless ok: a broken promise of a parser's header. */
void fz_require(int ok, const char *what);

/* The selector line of a multi-file harness: when the input's first line (up to '\n') is one of
 * names[0..n-1], that name is chosen and *data, *size are moved past the line; otherwise the name is
 * names[data[0] % n] and the whole input is the content. Returns the index chosen (0 for empty input). */
size_t fz_pick(const uint8_t **data, size_t *size, const char *const *names, size_t n);

/* How fz_check counts lines of the fuzzed file. */
enum fz_lines {
  FZ_LINES_CSV, /* LF, CR LF or a lone CR ends a line (input/csvfile.c) */
  FZ_LINES_LF   /* only LF ends a line (getline: render/template.c) */
};

/* Abort unless the result of a parse is an honest one:
 *  - rc is LB_OK or one of the codes of core/errors.h;
 *  - LB_EINPUT comes with at least one record in d (a rejection is never silent);
 *  - every record has a file and a non-empty message;
 *  - a record about `path` (the fuzzed file) points inside it: 0 <= line <= its lines + 1, and
 *    0 <= column <= the bytes of that line + 1 (a column counts characters, never more than bytes).
 * data/size: the fuzzed file's content as written. */
void fz_check(int rc, const diag_list *d, const char *path, const uint8_t *data, size_t size, enum fz_lines lines);

#endif

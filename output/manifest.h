/* manifest.h - a month folder's MANIFEST: sha256 and size of each file, chained to the previous month's MANIFEST. */
#ifndef LB_MANIFEST_H
#define LB_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/date.h"

#define MANIFEST_NAME "MANIFEST"
#define MANIFEST_MAGIC "licbill-manifest 1"
/* The "previous" hash of the first month of a chain. */
#define MANIFEST_NO_PREVIOUS "0000000000000000000000000000000000000000000000000000000000000000"

/* The text, line by line (LF, UTF-8, no trailing spaces):
 *
 *   licbill-manifest 1
 *   month 2026-11
 *   previous 2026-10 <sha256 of 2026-10/MANIFEST>     or: previous none <64 zeros>
 *   licbill <version>                                 the licbill that sealed the month (since 0.2.0;
 *   rulebook <sha256 of docs/rules.md>                 both absent in older MANIFESTs)
 *   file <sha256> <size> <path>                       one per file, paths in byte order
 *
 * <path> is relative to the month folder with '/' between folders and may
 * hold spaces (it runs to the end of the line); it never holds a newline,
 * never starts with '/' and has no "." or ".." part. MANIFEST itself and
 * names starting with '.' (temporary files of output/atomic.h) are not
 * listed. The same folder always gives the same bytes. */

typedef struct manifest_entry {
  char *path;        /* relative path (owned) */
  char sha256[65];   /* lowercase hex */
  uint64_t size;     /* bytes */
} manifest_entry;

typedef struct manifest {
  lb_month month;        /* the month the folder holds */
  lb_month prev_month;   /* MONTH_NONE: the first month of the chain */
  char prev_sha256[65];  /* sha256 of the previous month's MANIFEST, or MANIFEST_NO_PREVIOUS */
  char version[32];      /* the sealing licbill's version; "" = not stated (an older MANIFEST), line left out */
  char rulebook_sha256[65]; /* sha256 of the rule book it computed by; "" with version */
  manifest_entry *v;     /* sorted by path (byte order) */
  size_t n, cap;
} manifest;

/* An empty manifest: no files, no previous month, month MONTH_NONE. */
void manifest_init(manifest *m);
/* Free the entries (m keeps its month and previous link and is reusable). NULL-safe. */
void manifest_clear(manifest *m);

/* Stream the file at path through SHA-256. sha gets 64 hex digits and a
 * NUL, *size (may be NULL) the byte count. LB_OK, LB_EIO (errno kept). */
int manifest_hash_file(const char *path, char sha[65], uint64_t *size);

/* Hash every regular file below dir and call fn with each, in path order
 * (sorted in core/xsort.h's bounded memory, whatever the number of files).
 * A name that starts with '.' is skipped, and so is DIR/MANIFEST. Anything
 * else that is not a regular file or a folder (a symlink, a fifo) or a name
 * with a newline is an error in d (LB_EINPUT, and fn is never called);
 * LB_EIO when dir (or a temporary file) cannot be read or written; LB_ENOMEM;
 * or what fn returned when not 0. */
typedef int (*manifest_fn)(void *ctx, const char *path, const char sha[65], uint64_t size);
int manifest_walk(const char *dir, manifest_fn fn, void *ctx, diag_list *d);

/* Fill m (emptied first) with every file manifest_walk gives; m->month and
 * the previous link are left as they were. Returns as manifest_walk. */
int manifest_scan(manifest *m, const char *dir, diag_list *d);

/* The MANIFEST text of m (format above) in a malloc'd buffer the caller
 * frees; *len without the terminating NUL. LB_OK or LB_ENOMEM. */
int manifest_format(const manifest *m, char **text, size_t *len);
/* The same text in pieces, so that a MANIFEST of any size can be streamed:
 * the header lines of m, then one "file" line per file (each malloc'd). */
int manifest_format_head(const manifest *m, char **text, size_t *len);
int manifest_format_file(const char *path, const char sha[65], uint64_t size, char **text, size_t *len);

/* Parse MANIFEST text into m (emptied first). Problems are reported in d as
 * name:LINE:COLUMN and give LB_EINPUT, leaving m empty. LB_ENOMEM. */
int manifest_parse(manifest *m, const char *text, size_t len, const char *name, diag_list *d);

/* manifest_parse of the file at path (LB_EIO when it cannot be read). */
int manifest_read(manifest *m, const char *path, diag_list *d);

/* The entry for a relative path, or NULL (binary search). */
const manifest_entry *manifest_find(const manifest *m, const char *path);

/* Append an entry (path copied). The caller keeps the order; use
 * manifest_sort after appending out of order. LB_OK or LB_ENOMEM. */
int manifest_add(manifest *m, const char *path, const char sha[65], uint64_t size);
void manifest_sort(manifest *m);

#endif

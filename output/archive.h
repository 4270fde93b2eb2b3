/* archive.h - seals a month: MANIFEST, then archive/YYYY-MM.tar.gz (libarchive tar + gzip over zlib), read back before it counts. */
#ifndef LB_ARCHIVE_H
#define LB_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/date.h"

#define ARCHIVE_SUBDIR "archive"
/* Beside each archive: "<sha256>  YYYY-MM.tar.gz\n" (sha256sum -c reads it),
 * so that a damaged byte the gzip CRC does not cover (its header) still shows. */
#define ARCHIVE_SUM_EXT ".sha256"

/* Seal month m of output_dir, once its files are final:
 *   1. DIR/YYYY-MM/MANIFEST: every file of the folder (manifest.h), linked
 *      to the MANIFEST of the latest earlier month that has one (in its
 *      folder or, when the folder was pruned, in its archive);
 *   2. DIR/archive/YYYY-MM.tar.gz: the folder's files and MANIFEST as
 *      members "YYYY-MM/PATH" with their folders, in byte order of name,
 *      mtime the last day of the month 00:00 UTC, mode 0644/0755, uid and
 *      gid 0 without owner names, pax-restricted tar (plain ustar unless a
 *      name needs more), gzip without timestamp or name: the same files
 *      always give the same bytes;
 *      written to a temporary name, read back (every gzip member's CRC32 and
 *      length; every member's bytes against the file's), then renamed;
 *   3. DIR/archive/YYYY-MM.tar.gz.sha256.
 * Sealing again with unchanged files rewrites the same bytes. A month that a
 * later sealed month already links to is not sealed again with different
 * files (that would break the chain): LB_EINPUT and nothing is changed.
 * Returns LB_OK; LB_EINPUT (problems in d: no month folder, a file that is
 * not regular, a refused re-seal, a read-back mismatch); LB_EIO (d has the
 * path and errno text); LB_ENOMEM. On failure no archive is left under its
 * final name that was not there before. */
int archive_seal_month(const char *output_dir, lb_month m, diag_list *d);

/* "DIR/archive/YYYY-MM.tar.gz" (malloc'd, caller frees), NULL on ENOMEM. */
char *archive_month_path(const char *output_dir, lb_month m);

/* The months present in output_dir: folders named YYYY-MM and archives
 * archive/YYYY-MM.tar.gz, ascending, each once. *months is malloc'd (caller
 * frees; NULL when *n is 0). LB_OK, LB_EIO (output_dir unreadable), LB_ENOMEM. */
int archive_months(const char *output_dir, lb_month **months, size_t *n);

/* The MANIFEST text of month m: DIR/YYYY-MM/MANIFEST when the folder has
 * one (*where = 1), else member YYYY-MM/MANIFEST of its archive (*where = 2).
 * Returns LB_OK with *text malloc'd (NUL-terminated, caller frees), 1 when
 * neither exists (*text NULL, *where 0), LB_EIO / LB_ENOMEM. A damaged
 * archive that still yields its MANIFEST counts as found. */
int archive_month_manifest(const char *output_dir, lb_month m, char **text, size_t *len, int *where);

/* The link a MANIFEST of month m gets: the latest month before m with a
 * MANIFEST and the sha256 of that MANIFEST's bytes; MONTH_NONE and
 * MANIFEST_NO_PREVIOUS when there is none. LB_OK, LB_EIO, LB_ENOMEM. */
int archive_previous_link(const char *output_dir, lb_month m, lb_month *prev, char sha[65]);

/* Reading an archive member by member (archive_walk). */
typedef struct archive_visitor {
  void *ctx; /* passed to every callback */
  /* MUST: a member starts; is_dir for a folder. Return 0 to go on, 1 to end
   * the walk here (not an error), negative to fail the walk with that code. */
  int (*begin)(void *ctx, const char *name, int is_dir, uint64_t size);
  /* MAY be NULL: the next piece of the member's bytes. 0 or a negative code. */
  int (*data)(void *ctx, const void *buf, size_t n);
  /* MAY be NULL: the member ended; sha256 (hex) and count of the bytes read. */
  int (*end)(void *ctx, const char sha[65], uint64_t size);
  /* MUST: a problem of the archive itself, in plain words, with what was
   * expected and what was found (either may be NULL): a gzip member whose
   * CRC32 or length (ISIZE) does not match its data, a truncated file,
   * damaged deflate data, bytes after the last member, a broken tar stream. */
  void (*problem)(void *ctx, const char *what, const char *expected, const char *actual);
} archive_visitor;

/* Walk the .tar.gz at path: every gzip member is inflated with zlib and its
 * CRC32 and length checked against its trailer; the tar stream is read with
 * libarchive. file_sha (may be NULL) gets the sha256 of the whole file when
 * the walk reached its end ("" otherwise). Returns LB_OK when no problem was
 * reported, LB_EINPUT when one was, LB_EIO when the file cannot be opened or
 * read (errno kept), LB_ENOMEM, or a visitor's negative code. */
int archive_walk(const char *path, const archive_visitor *v, char file_sha[65]);

#endif

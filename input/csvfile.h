/* csvfile.h - RFC 4180 reader on libcsv that knows the line and column of every field. */
#ifndef LB_CSVFILE_H
#define LB_CSVFILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

/* One parsed row. Valid until the next csvf_next() or csvf_close(). */
typedef struct csv_row {
  size_t nfields;
  char **fields;       /* NUL-terminated UTF-8 text of each field */
  size_t *lens;        /* byte length of each field */
  long line;           /* physical line on which the row starts (1-based) */
  int64_t offset;      /* byte offset of the row's first byte in the file */
  int64_t end;         /* byte offset just after the row's terminator */
} csv_row;

typedef struct csvf_opts {
  char delim;          /* ',' ';' '\t' or 0 = detect from the first line that has a separator */
  int latin1_fallback; /* 1: a file that is not valid UTF-8 is read as ISO-8859-1 */
  int64_t start, end;  /* byte range to read; end < 0 = to end of file */
  long first_line;     /* line number of the byte at `start` (1 when start = 0) */
} csvf_opts;

typedef struct csvf csvf;

/* Open `path` for reading rows. `opts` may be NULL (comma, UTF-8 only,
 * whole file). A UTF-8 BOM at offset 0 is skipped. On failure *out is
 * untouched and an error naming the file is added to d.
 * Returns LB_OK, LB_EIO or LB_ENOMEM. Ownership: caller frees with csvf_close. */
int csvf_open(csvf **out, const char *path, const csvf_opts *opts, diag_list *d);

/* Read the next non-blank row (rows whose fields are all empty are skipped).
 * Returns 1 with *row set, 0 at end of file, LB_EINPUT on a structural
 * error (stray or unterminated quote; recorded in d with line:column; the
 * rest of the file cannot be read), LB_EIO or LB_ENOMEM. */
int csvf_next(csvf *f, const csv_row **row, diag_list *d);

/* Line and 1-based column (in characters) where field `i` of the row last
 * returned starts; i == nfields gives the end of the row. */
void csvf_pos(const csvf *f, size_t i, long *line, long *col);

/* 1 if the file was read as ISO-8859-1 and converted. */
int csvf_is_latin1(const csvf *f);
char csvf_delim(const csvf *f);
const char *csvf_path(const csvf *f);

/* NULL-safe. */
void csvf_close(csvf *f);


#endif

/* table.h - header-driven columns and strictly typed fields over csvfile, every error pointed at. */
#ifndef LB_TABLE_H
#define LB_TABLE_H

#include <stdint.h>

#include "core/date.h"
#include "core/money.h"
#include "input/csvfile.h"
#include "core/diag.h"

#define TABLE_MAXCOLS 32

/* No field of an input file is longer than this many characters
 * (TABLE_TEXT_MAX for the columns that may hold line breaks). */
#define TABLE_FIELD_MAX 255
#define TABLE_TEXT_MAX 1000

typedef struct col_spec {
  const char *name; /* column name in the header row */
  int required;     /* 1: the header must name it */
  int lines;        /* 1: a quoted value may hold line breaks (an address) */
} col_spec;

typedef struct table {
  csvf *f;
  const char *path;          /* as given to table_open (not owned) */
  const col_spec *spec;
  int nspec;
  int map[TABLE_MAXCOLS];    /* spec index -> field index, -1 = absent */
  unsigned char lines[TABLE_MAXCOLS]; /* field index -> col_spec.lines */
  size_t ncols;              /* fields in the header */
  const csv_row *row;        /* current row */
  int row_bad;               /* current row is ragged or not UTF-8 (already reported) */
  int failed;                /* fields of the current row reported bad (reset by table_next) */
  const char *customer;      /* customer errors are attributed to (may be NULL) */
  diag_list *d;
} table;

/* Open `path` and read its header. Unknown, duplicate and missing required
 * columns are errors (reported, LB_EINPUT). opts may be NULL. With
 * header_map != NULL the header is not read: the range in opts starts
 * at a data row and the column map is copied from header_map (a table
 * opened earlier on the same file). Caller closes with table_close. */
int table_open(table *t, const char *path, const col_spec *spec, int nspec, const csvf_opts *opts,
               const table *header_map, diag_list *d);
void table_close(table *t);

/* Next data row: 1, 0 at end, negative on a structural error (reported).
 * A ragged row (wrong number of fields), or a field that is not UTF-8,
 * holds a control character (NUL, ESC ...; a line break only where the
 * column allows it) or is longer than TABLE_FIELD_MAX characters, is
 * reported and flagged with t->row_bad = 1 but still returned, so the
 * caller can tell whose row it was. */
int table_next(table *t);

/* Raw text of column c (spec index); "" when absent or empty. */
const char *tbl_str(const table *t, int c);
int tbl_given(const table *t, int c);
/* Position of column c of the current row. */
void tbl_pos(const table *t, int c, long *line, long *col);
/* LB_EINPUT when a field of the current row was reported bad (by a typed
 * getter or tbl_error), else LB_OK: read every field, then ask once, so
 * that a row reports all its bad fields. */
int tbl_failed(const table *t);

/* Report an error at column c of the current row (returns LB_EINPUT). */
int tbl_error(table *t, int c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Typed getters: 0 on success (value written), LB_EINPUT after reporting.
 * With required == 0 an empty cell gives 0 and leaves *out as `dflt`.
 * Messages quote at most TEXT_SHOW_CHARS characters of a value. */
int tbl_text(table *t, int c, int required, const char **out);
int tbl_date(table *t, int c, int required, lb_date *out);
int tbl_month(table *t, int c, int required, lb_month *out);
int tbl_decimal(table *t, int c, int required, int places, money *out);
int tbl_int(table *t, int c, int required, int64_t min, int64_t max, int64_t *out);
int tbl_flag(table *t, int c, int required, int *out);
/* names: NULL-terminated list; *out = index. */
int tbl_enum(table *t, int c, int required, const char *const *names, int *out);

#endif

/* table.c - binds header columns by name and parses typed fields with exact error positions. */
#include "input/table.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int spec_index(const table *t, const char *name)
{
  for(int i = 0; i < t->nspec; i++)
    if(strcmp(t->spec[i].name, name) == 0)
      return i;
  return -1;
}

static void expected_columns(const table *t, char *buf, size_t n)
{
  size_t k = 0;
  buf[0] = '\0';
  for(int i = 0; i < t->nspec && k < n; i++)
    k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? ", " : "", t->spec[i].name);
}

static int read_header(table *t)
{
  const csv_row *r;
  char names[1024];
  long line, col;
  int rc = csvf_next(t->f, &r, t->d);
  int bad = 0;
  if(rc < 0)
    return rc;
  if(rc == 0)
    return diag_add(t->d, t->path, 1, 1, NULL, "the file is empty, expected a header row naming the columns");
  if(r->nfields > TABLE_MAXCOLS) {
    csvf_pos(t->f, TABLE_MAXCOLS, &line, &col);
    return diag_add(t->d, t->path, line, col, NULL, "too many columns (%zu), expected at most %d",
                    r->nfields, TABLE_MAXCOLS);
  }
  t->ncols = r->nfields;
  for(size_t i = 0; i < r->nfields; i++) {
    int s = spec_index(t, r->fields[i]);
    csvf_pos(t->f, i, &line, &col);
    if(s < 0) {
      expected_columns(t, names, sizeof(names));
      char b[TEXT_SHOW_MAX];
      diag_add(t->d, t->path, line, col, NULL, "unknown column %s, expected one of: %s",
               utf8_show(b, r->fields[i], 1), names);
      bad = 1;
    } else if(t->map[s] >= 0) {
      char b[TEXT_SHOW_MAX];
      diag_add(t->d, t->path, line, col, NULL, "column %s appears twice, expected each column once",
               utf8_show(b, r->fields[i], 1));
      bad = 1;
    } else {
      t->map[s] = (int)i;
      t->lines[i] = (unsigned char)t->spec[s].lines;
    }
  }
  for(int s = 0; s < t->nspec; s++)
    if(t->spec[s].required && t->map[s] < 0) {
      diag_add(t->d, t->path, r->line, 0, NULL, "missing required column '%s' in the header row",
               t->spec[s].name);
      bad = 1;
    }
  return bad ? LB_EINPUT : LB_OK;
}

int table_open(table *t, const char *path, const col_spec *spec, int nspec, const csvf_opts *opts,
               const table *header_map, diag_list *d)
{
  int rc;
  memset(t, 0, sizeof(*t));
  t->path = path;
  t->spec = spec;
  t->nspec = nspec;
  t->d = d;
  for(int i = 0; i < TABLE_MAXCOLS; i++)
    t->map[i] = -1;
  rc = csvf_open(&t->f, path, opts, d);
  if(rc)
    return rc;
  if(header_map) {
    memcpy(t->map, header_map->map, sizeof(t->map));
    memcpy(t->lines, header_map->lines, sizeof(t->lines));
    t->ncols = header_map->ncols;
    return LB_OK;
  }
  rc = read_header(t);
  if(rc) {
    csvf_close(t->f);
    t->f = NULL;
  }
  return rc;
}

void table_close(table *t)
{
  csvf_close(t->f);
  t->f = NULL;
}

/* Field i of the current row (valid UTF-8) is text an invoice can carry:
 * no control character (a NUL would cut a printed name or order number),
 * line breaks only where the column allows them, and not longer than the
 * column's limit. Else reported, the row flagged bad, and 0. */
static int field_plain(table *t, size_t i)
{
  const char *f = t->row->fields[i];
  size_t n = t->row->lens[i], at;
  long line, col;
  int c = utf8_find_control(f, n, t->lines[i], 0, &at);
  if(c >= 0) {
    csvf_pos(t->f, i, &line, &col);
    diag_add(t->d, t->path, line, col, NULL,
             "control character U+%04X (%s) at character %zu of the field, expected printable text%s", c,
             utf8_control_name(c), at, c == '\n' || c == '\r' ? " (a line break is allowed only in an address)" : "");
    t->row_bad = 1;
    t->failed++;
    return 0;
  }
  size_t chars = utf8_chars(f, n), max = t->lines[i] ? TABLE_TEXT_MAX : TABLE_FIELD_MAX;
  if(chars > max) {
    csvf_pos(t->f, i, &line, &col);
    diag_add(t->d, t->path, line, col, NULL, "a field of %zu characters, expected at most %zu", chars, max);
    t->row_bad = 1;
    t->failed++;
    return 0;
  }
  return 1;
}

int table_next(table *t)
{
  long line, col;
  size_t bad;
  int rc = csvf_next(t->f, &t->row, t->d);
  t->row_bad = 0;
  t->failed = 0;
  if(rc <= 0)
    return rc;
  if(t->row->nfields != t->ncols) {
    size_t at = t->row->nfields < t->ncols ? t->row->nfields : t->ncols;
    csvf_pos(t->f, at, &line, &col);
    if(t->row->nfields < t->ncols)
      diag_add(t->d, t->path, line, col, NULL,
               "row has %zu fields, expected %zu as in the header row (missing fields at the end)",
               t->row->nfields, t->ncols);
    else
      diag_add(t->d, t->path, line, col, NULL,
               "row has %zu fields, expected %zu as in the header row (extra field here)",
               t->row->nfields, t->ncols);
    t->row_bad = 1;
    t->failed++;
    return 1;
  }
  for(size_t i = 0; i < t->row->nfields; i++)
    if(!utf8_valid(t->row->fields[i], t->row->lens[i], &bad)) {
      csvf_pos(t->f, i, &line, &col);
      diag_add(t->d, t->path, line, col, NULL,
               "invalid UTF-8 (byte 0x%02X at byte %zu of the field), expected UTF-8 text",
               (unsigned char)t->row->fields[i][bad], bad + 1);
      t->row_bad = 1;
      t->failed++;
      return 1;
    } else if(!field_plain(t, i))
      return 1;
  return 1;
}

int tbl_given(const table *t, int c)
{
  int fi = t->map[c];
  return fi >= 0 && (size_t)fi < t->row->nfields && t->row->lens[fi] > 0;
}

const char *tbl_str(const table *t, int c)
{
  int fi = t->map[c];
  if(fi < 0 || (size_t)fi >= t->row->nfields)
    return "";
  return t->row->fields[fi];
}

void tbl_pos(const table *t, int c, long *line, long *col)
{
  int fi = t->map[c];
  csvf_pos(t->f, fi < 0 ? 0 : (size_t)fi, line, col);
}

int tbl_failed(const table *t) { return t->failed ? LB_EINPUT : LB_OK; }

int tbl_error(table *t, int c, const char *fmt, ...)
{
  char *msg = NULL;
  long line, col;
  va_list ap;
  va_start(ap, fmt);
  if(vasprintf(&msg, fmt, ap) < 0)
    msg = NULL;
  va_end(ap);
  tbl_pos(t, c, &line, &col);
  diag_add(t->d, t->path, line, col, t->customer, "%s", msg ? msg : "(out of memory)");
  free(msg);
  t->failed++;
  return LB_EINPUT;
}

static int missing(table *t, int c, const char *what)
{
  return tbl_error(t, c, "column '%s' is empty, expected %s", t->spec[c].name, what);
}

int tbl_text(table *t, int c, int required, const char **out)
{
  if(!tbl_given(t, c)) {
    if(required)
      return missing(t, c, "a value");
    *out = NULL;
    return LB_OK;
  }
  *out = tbl_str(t, c);
  return LB_OK;
}

int tbl_date(table *t, int c, int required, lb_date *out)
{
  const char *s = tbl_str(t, c);
  size_t ep;
  lb_date v;
  if(!tbl_given(t, c)) {
    if(required)
      return missing(t, c, "a date YYYY-MM-DD");
    *out = DATE_NONE;
    return LB_OK;
  }
  char b[TEXT_SHOW_MAX];
  int rc = date_parse(&v, s, strlen(s), &ep);
  if(rc == DATE_ERANGE)
    return tbl_error(t, c, "column '%s': %s is not a calendar date, expected a real date YYYY-MM-DD",
                     t->spec[c].name, utf8_show(b, s, 1));
  if(rc)
    return tbl_error(t, c, "column '%s': %s is not a date, expected YYYY-MM-DD", t->spec[c].name,
                     utf8_show(b, s, 1));
  *out = v;
  return LB_OK;
}

int tbl_month(table *t, int c, int required, lb_month *out)
{
  const char *s = tbl_str(t, c);
  size_t ep;
  lb_month v;
  if(!tbl_given(t, c)) {
    if(required)
      return missing(t, c, "a month YYYY-MM");
    *out = MONTH_NONE;
    return LB_OK;
  }
  char b[TEXT_SHOW_MAX];
  if(month_parse(&v, s, strlen(s), &ep))
    return tbl_error(t, c, "column '%s': %s is not a month, expected YYYY-MM", t->spec[c].name,
                     utf8_show(b, s, 1));
  *out = v;
  return LB_OK;
}

int tbl_decimal(table *t, int c, int required, int places, money *out)
{
  const char *s = tbl_str(t, c);
  size_t ep;
  money v;
  if(!tbl_given(t, c)) {
    if(required)
      return missing(t, c, "a decimal number");
    *out = 0;
    return LB_OK;
  }
  char b[TEXT_SHOW_MAX];
  int rc = money_parse(&v, s, strlen(s), places, &ep);
  if(rc == LB_EPLACES)
    return tbl_error(t, c, "column '%s': %s has more than %d decimal places, expected at most %d",
                     t->spec[c].name, utf8_show(b, s, 1), places, places);
  if(rc == LB_EOVERFLOW)
    return tbl_error(t, c, "column '%s': %s is too large, expected a number below 922337203685477",
                     t->spec[c].name, utf8_show(b, s, 1));
  if(rc)
    return tbl_error(t, c, "column '%s': %s is not a decimal number, expected digits with an optional "
                     "'.' and no thousands separators", t->spec[c].name, utf8_show(b, s, 1));
  *out = v;
  return LB_OK;
}

int tbl_int(table *t, int c, int required, int64_t min, int64_t max, int64_t *out)
{
  const char *s = tbl_str(t, c);
  int64_t v = 0;
  size_t i = 0;
  int neg = 0;
  if(!tbl_given(t, c)) {
    if(required)
      return missing(t, c, "a whole number");
    return LB_OK;
  }
  if(s[0] == '-') {
    neg = 1;
    i = 1;
  }
  if(!s[i])
    goto bad;
  for(; s[i]; i++) {
    if(s[i] < '0' || s[i] > '9')
      goto bad;
    if(__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v))
      goto range;
  }
  if(neg)
    v = -v;
  if(v < min || v > max)
    goto range;
  *out = v;
  return LB_OK;
  char b[TEXT_SHOW_MAX];
bad:
  return tbl_error(t, c, "column '%s': %s is not a whole number, expected digits only", t->spec[c].name,
                   utf8_show(b, s, 1));
range:
  return tbl_error(t, c, "column '%s': %s is out of range, expected %lld to %lld", t->spec[c].name,
                   utf8_show(b, s, 0), (long long)min, (long long)max);
}

int tbl_flag(table *t, int c, int required, int *out)
{
  static const char *const yn[] = {"no", "yes", NULL};
  return tbl_enum(t, c, required, yn, out);
}

int tbl_enum(table *t, int c, int required, const char *const *names, int *out)
{
  const char *s = tbl_str(t, c);
  char list[512];
  size_t k = 0;
  if(!tbl_given(t, c)) {
    if(required)
      return missing(t, c, "a value");
    return LB_OK;
  }
  for(int i = 0; names[i]; i++)
    if(strcmp(names[i], s) == 0) {
      *out = i;
      return LB_OK;
    }
  list[0] = '\0';
  for(int i = 0; names[i] && k < sizeof(list); i++)
    k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s", i ? ", " : "", names[i]);
  char b[TEXT_SHOW_MAX];
  return tbl_error(t, c, "column '%s': unknown value %s, expected one of: %s", t->spec[c].name,
                   utf8_show(b, s, 1), list);
}

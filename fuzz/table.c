/* table.c - libFuzzer harness of the CSV layer (input/csvfile.c, input/table.c). The input is any CSV
 * with a header row; its columns are named by that header, and each is read with the typed getter its
 * name suggests (a date for installed_on, a flag for tsad, ...; unknown names by a hash). The file is
 * read three ways:
 *  1. as the per-customer and shared files are: comma, UTF-8, the header read by table_open;
 *  2. from its second data row to its end with the header map of pass 1, as cust_load reads a span;
 *  3. with csvfile alone as an SCRT report is: separator detected, ISO-8859-1 fallback, every field's
 *     position asked for. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/common.h"
#include "input/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum getter { G_STR, G_TEXT, G_DATE, G_MONTH, G_DECIMAL, G_INT, G_FLAG, G_ENUM, G__N };

static const char *const some_names[] = {"monthly", "quarterly", "period", "renewal", "yes", "AWLC", NULL};

static int has(const char *s, const char *part) { return strstr(s, part) != NULL; }

static uint32_t hash(const char *s)
{
  uint32_t h = 2166136261u;
  while(*s)
    h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}

/* The getter licbill uses for a column of this name, else one picked by the name's hash. */
static enum getter getter_of(const char *name)
{
  size_t n = strlen(name);
  if((n > 3 && !strcmp(name + n - 3, "_on")) || has(name, "_from") || has(name, "period_") || has(name, "date"))
    return G_DATE;
  if(has(name, "month") || !strcmp(name, "subcap_start"))
    return G_MONTH;
  if(has(name, "pct") || has(name, "price") || has(name, "charge") || has(name, "per_msu") ||
     !strcmp(name, "value"))
    return G_DECIMAL;
  if(has(name, "msu") || has(name, "qty") || has(name, "days") || has(name, "engines") ||
     has(name, "quantity") || has(name, "rating"))
    return G_INT;
  if(!strcmp(name, "tsad") || has(name, "is_") || has(name, "eligible") || !strcmp(name, "prsm") ||
     has(name, "secure") || has(name, "test_") || !strcmp(name, "extension"))
    return G_FLAG;
  if(has(name, "class") || has(name, "cycle") || !strcmp(name, "kind") || !strcmp(name, "pricing") ||
     !strcmp(name, "family") || !strcmp(name, "component"))
    return G_ENUM;
  if(has(name, "_id") || has(name, "name") || !strcmp(name, "serial"))
    return G_TEXT;
  return (enum getter)(hash(name) % G__N);
}

static void read_field(table *t, int c, enum getter g, int required)
{
  const char *s;
  lb_date dt;
  lb_month m;
  money v;
  int64_t i = 0;
  int flag = 0, e = 0;
  long line, col;
  tbl_pos(t, c, &line, &col);
  fz_require(line >= t->row->line && col >= 1, "a field's position is before its row");
  switch(g) {
  case G_STR:
    s = tbl_str(t, c);
    fz_require(tbl_given(t, c) || s[0] == '\0', "tbl_str has text where tbl_given says none");
    break;
  case G_TEXT:
    if(tbl_text(t, c, required, &s) == LB_OK && s)
      (void)strlen(s);
    break;
  case G_DATE:
    tbl_date(t, c, required, &dt);
    break;
  case G_MONTH:
    tbl_month(t, c, required, &m);
    break;
  case G_DECIMAL:
    tbl_decimal(t, c, required, 1 + (int)(hash(t->spec[c].name) % 4), &v);
    break;
  case G_INT:
    tbl_int(t, c, required, required ? 0 : -1000, 1000000, &i);
    break;
  case G_FLAG:
    tbl_flag(t, c, required, &flag);
    break;
  case G_ENUM:
    tbl_enum(t, c, required, some_names, &e);
    break;
  case G__N:
    break;
  }
}

/* Read every data row of t; the first row's place goes to *second (the range pass 2 reads). */
static int read_rows(table *t, const enum getter *g, int64_t *second, long *second_line, int64_t *end)
{
  int rc, rows = 0;
  while((rc = table_next(t)) > 0) {
    rows++;
    if(rows == 2) {
      *second = t->row->offset;
      *second_line = t->row->line;
    }
    *end = t->row->end;
    fz_require(t->row->offset < t->row->end, "a row ends before it starts");
    if(t->row_bad) {
      fz_require(tbl_failed(t) == LB_EINPUT, "a bad row is not marked failed");
      continue;
    }
    for(int c = 0; c < t->nspec; c++)
      read_field(t, c, g[c], t->spec[c].required);
    tbl_failed(t);
  }
  return rc;
}

/* The header's names, at most TABLE_MAXCOLS, each once: the table's column spec. */
typedef struct header {
  col_spec spec[TABLE_MAXCOLS];
  enum getter g[TABLE_MAXCOLS];
  char *names[TABLE_MAXCOLS];
  int n;
} header;

static void header_read(header *h, const char *path)
{
  csvf *f;
  const csv_row *r;
  diag_list d;
  diag_init(&d);
  memset(h, 0, sizeof(*h));
  if(csvf_open(&f, path, NULL, &d) == LB_OK) {
    if(csvf_next(f, &r, &d) == 1)
      for(size_t i = 0; i < r->nfields && h->n < TABLE_MAXCOLS; i++) {
        int dup = 0;
        for(int k = 0; k < h->n; k++)
          dup |= !strcmp(h->names[k], r->fields[i]);
        if(dup)
          continue;
        h->names[h->n] = strdup(r->fields[i]);
        fz_require(h->names[h->n] != NULL, "out of memory");
        h->spec[h->n].name = h->names[h->n];
        h->spec[h->n].required = (int)(hash(h->names[h->n]) & 1);
        h->spec[h->n].lines = (int)(hash(h->names[h->n]) >> 1 & 1); /* an address-like column */
        h->g[h->n] = getter_of(h->names[h->n]);
        h->n++;
      }
    csvf_close(f);
  }
  diag_clear(&d);
  if(h->n == 0) { /* no header row: the table reports it */
    h->spec[0] = (col_spec){"customer_id", 1, 0};
    h->g[0] = G_TEXT;
    h->n = 1;
  }
}

static void header_free(header *h)
{
  for(int i = 0; i < TABLE_MAXCOLS; i++)
    free(h->names[i]);
}

/* Pass 3: csvfile alone, as scrt.c reads a report. */
static void raw_pass(const char *path, const uint8_t *data, size_t size)
{
  csvf_opts o = {.delim = 0, .latin1_fallback = 1, .start = 0, .end = -1, .first_line = 1};
  csvf *f;
  const csv_row *r;
  diag_list d;
  int rc;
  diag_init(&d);
  rc = csvf_open(&f, path, &o, &d);
  if(rc == LB_OK) {
    char delim = csvf_delim(f);
    fz_require(delim == ',' || delim == ';' || delim == '\t', "a separator that is not , ; or tab");
    while((rc = csvf_next(f, &r, &d)) > 0) {
      for(size_t i = 0; i <= r->nfields; i++) {
        long line, col;
        csvf_pos(f, i, &line, &col);
        fz_require(line >= r->line && col >= 1, "a field's position is before its row");
      }
      (void)csvf_is_latin1(f);
    }
    csvf_close(f);
  }
  fz_check(rc, &d, path, data, size, FZ_LINES_CSV);
  diag_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static char *path;
  header h;
  table t1, t2;
  diag_list d;
  int64_t second = -1, end = -1;
  long second_line = 0;
  int rc;
  if(!path)
    path = fz_path("table.csv");
  fz_write(path, data, size);
  header_read(&h, path);
  diag_init(&d);
  rc = table_open(&t1, path, h.spec, h.n, NULL, NULL, &d);
  if(rc == LB_OK) {
    rc = read_rows(&t1, h.g, &second, &second_line, &end);
    table_close(&t1);
  }
  fz_check(rc < 0 ? rc : LB_OK, &d, path, data, size, FZ_LINES_CSV);
  diag_clear(&d);
  if(rc == 0 && second >= 0) {
    csvf_opts o = {.delim = ',', .start = second, .end = end, .first_line = second_line};
    int64_t s2 = -1, e2 = -1;
    long l2 = 0;
    rc = table_open(&t2, path, h.spec, h.n, &o, &t1, &d);
    if(rc == LB_OK) {
      rc = read_rows(&t2, h.g, &s2, &l2, &e2);
      table_close(&t2);
    }
    fz_check(rc < 0 ? rc : LB_OK, &d, path, data, size, FZ_LINES_CSV);
    diag_clear(&d);
  }
  header_free(&h);
  raw_pass(path, data, size);
  return 0;
}

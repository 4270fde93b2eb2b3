/* scrt.c - reads SCRT reports as the tool writes them and as customers' tools re-save them. */
#include "input/scrt.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "input/csvfile.h"

/* The public evidence for every layout read here is in tests/data/scrt/README.md. */

enum section { SEC_NONE, SEC_B5, SEC_C5, SEC_E5, SEC_N5, SEC_OTHER };

/* At most TEXT_SHOW_CHARS characters of a field are quoted in a message. */
#define SHOW_MAX TEXT_SHOW_MAX

static const char *skip_ws(const char *s)
{
  while(*s == ' ' || *s == '\t')
    s++;
  return s;
}

static int month_abbrev(const char *s, int *m)
{
  static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                "jul", "aug", "sep", "oct", "nov", "dec"};
  for(int i = 0; i < 12; i++)
    if(strncasecmp(s, names[i], 3) == 0) {
      *m = i + 1;
      return 0;
    }
  return -1;
}

/* "2 Jun, 2026" -> date; advances *sp */
static int parse_day(const char **sp, lb_date *out)
{
  const char *s = skip_ws(*sp);
  char *end;
  long d = strtol(s, &end, 10);
  int m, y;
  if(end == s)
    return -1;
  s = skip_ws(end);
  if(month_abbrev(s, &m))
    return -1;
  while(isalpha((unsigned char)*s))
    s++;
  s = skip_ws(s);
  if(*s == ',')
    s = skip_ws(s + 1);
  y = (int)strtol(s, &end, 10);
  if(end == s || !date_valid(y, m, (int)d))
    return -1;
  *out = date_from_ymd(y, m, (int)d);
  *sp = end;
  return 0;
}

int scrt_parse_period(const char *s, lb_date *start, lb_date *end, int *days)
{
  lb_date a, b;
  char *e;
  if(parse_day(&s, &a))
    return -1;
  s = skip_ws(s);
  if(*s != '-')
    return -1;
  s++;
  if(parse_day(&s, &b) || b < a)
    return -1;
  s = skip_ws(s);
  if(strncasecmp(s, "inclusive", 9) == 0)
    s = skip_ws(s + 9);
  int n = b - a + 1;
  if(*s == '(') {
    long given = strtol(s + 1, &e, 10);
    if(e == s + 1 || given != n)
      return -1;
  }
  *start = a;
  *end = b;
  *days = n;
  return 0;
}

const char *scrt_table_name(enum scrt_table t)
{
  switch(t) {
  case SCRT_TABLE_MLC:
    return "MLC";
  case SCRT_TABLE_IPLA:
    return "IPLA";
  case SCRT_TABLE_UNITS:
    return "non-MSU";
  case SCRT_TABLE_MSU:
    break;
  }
  return "MSU";
}

/* Whole number of MSUs: digits only (a trailing ".0" style fraction is not SCRT). */
static int parse_msu(const char *s, int64_t *out)
{
  s = skip_ws(s);
  int64_t v = 0;
  size_t n = strlen(s);
  while(n && s[n - 1] == ' ')
    n--;
  if(!n)
    return -1;
  for(size_t i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9')
      return -1;
    if(__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v))
      return -1;
  }
  *out = v;
  return 0;
}

static const char *show(char out[SHOW_MAX], const char *s) { return utf8_show(out, s, 1); }
static const char *bare(char out[SHOW_MAX], const char *s) { return utf8_show(out, s, 0); }

void scrt_free(scrt_report *r)
{
  if(!r)
    return;
  for(size_t i = 0; i < r->nproducts; i++) {
    free(r->products[i].name);
    free(r->products[i].product_id);
    free(r->products[i].comment);
    free(r->products[i].footnotes);
  }
  for(size_t i = 0; i < r->nlpars; i++) {
    free(r->lpars[i].name);
    free(r->lpars[i].when);
    free(r->lpars[i].when2);
  }
  for(size_t i = 0; i < r->nmachines; i++) {
    free(r->machines[i].id);
    free(r->machines[i].serial);
    free(r->machines[i].type_model);
  }
  free(r->products);
  free(r->lpars);
  free(r->machines);
  free(r->path);
  free(r->customer_number);
  free(r->customer_name);
  free(r->serial);
  free(r->type_model);
  free(r->tool_release);
  free(r->run_datetime);
  free(r);
}

const scrt_product *scrt_find_product(const scrt_report *r, const char *product_id)
{
  for(size_t i = 0; i < r->nproducts; i++)
    if(!r->products[i].is_units && strcmp(r->products[i].product_id, product_id) == 0)
      return &r->products[i];
  return NULL;
}

/* One row as the reader sees it: cells trimmed, a wrapping pair of single
 * quotes removed, a line packed into one field re-split. */
typedef struct srow {
  size_t nall;           /* cells, trailing empty ones included (they keep their columns) */
  size_t n;              /* cells up to the last non-empty one: spreadsheet padding dropped */
  size_t nfilled;        /* non-empty cells */
  char **cell;
  long *col;             /* 1-based column (characters) where each cell starts on its line */
  long *cline;           /* the physical line each cell starts on: a quoted cell may hold line breaks */
  size_t *off;           /* offsets into text while the row is built */
  size_t cap;
  char *text;
  size_t tlen, tcap;
  long line;
} srow;

static int srow_reserve(srow *s, size_t n)
{
  if(n <= s->cap)
    return LB_OK;
  size_t ncap = s->cap ? s->cap : 16;
  while(ncap < n)
    ncap *= 2;
  char **nc = realloc(s->cell, ncap * sizeof(*nc));
  if(!nc)
    return LB_ENOMEM;
  s->cell = nc;
  long *ncol = realloc(s->col, ncap * sizeof(*ncol));
  if(!ncol)
    return LB_ENOMEM;
  s->col = ncol;
  long *nline = realloc(s->cline, ncap * sizeof(*nline));
  if(!nline)
    return LB_ENOMEM;
  s->cline = nline;
  size_t *noff = realloc(s->off, ncap * sizeof(*noff));
  if(!noff)
    return LB_ENOMEM;
  s->off = noff;
  s->cap = ncap;
  return LB_OK;
}

/* Append one cell: blanks around it and a wrapping pair of single quotes
 * (an export that quotes with ' instead of ") are not part of the value. */
static int srow_add(srow *s, const char *v, size_t len, long line, long col)
{
  while(len && (*v == ' ' || *v == '\t')) {
    v++;
    len--;
  }
  while(len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
    len--;
  if(len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
    v++;
    len -= 2;
    while(len && (*v == ' ' || *v == '\t')) {
      v++;
      len--;
    }
    while(len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
      len--;
  }
  if(srow_reserve(s, s->nall + 1))
    return LB_ENOMEM;
  if(s->tlen + len + 1 > s->tcap) {
    size_t ncap = s->tcap ? s->tcap : 256;
    while(ncap < s->tlen + len + 1)
      ncap *= 2;
    char *nt = realloc(s->text, ncap);
    if(!nt)
      return LB_ENOMEM;
    s->text = nt;
    s->tcap = ncap;
  }
  memcpy(s->text + s->tlen, v, len);
  s->text[s->tlen + len] = '\0';
  s->off[s->nall] = s->tlen;
  s->col[s->nall] = col;
  s->cline[s->nall] = line;
  s->tlen += len + 1;
  s->nall++;
  if(len) {
    s->n = s->nall;
    s->nfilled++;
  }
  return LB_OK;
}

/* Pointers into text only once it has stopped moving. */
static void srow_finish(srow *s)
{
  for(size_t i = 0; i < s->nall; i++)
    s->cell[i] = s->text + s->off[i];
}

static void srow_free(srow *s)
{
  free(s->cell);
  free(s->col);
  free(s->cline);
  free(s->off);
  free(s->text);
}

static const char *cell(const srow *s, int i) { return i >= 0 && (size_t)i < s->nall ? s->cell[i] : ""; }

/* Column of cell i; a cell past the row's end is reported at its last cell. */
static long ccol(const srow *s, int i)
{
  if(!s->nall)
    return 1;
  if(i < 0)
    i = 0;
  return (size_t)i < s->nall ? s->col[i] : s->col[s->nall - 1];
}

/* Line of cell i, the one ccol's column is on. */
static long cline(const srow *s, int i)
{
  if(!s->nall)
    return s->line;
  if(i < 0)
    i = 0;
  return (size_t)i < s->nall ? s->cline[i] : s->cline[s->nall - 1];
}

/* Advance *line and *col (the file position of t[from]) to that of t[to],
 * in a packed field: one column per character, one more per quote (the
 * file doubles it), and a line break inside the field starts a new line. */
static void packed_advance(const char *t, size_t from, size_t to, long *line, long *col)
{
  for(size_t i = from; i < to; i++) {
    if(t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n')) {
      ++*line;
      *col = 1;
    } else if(t[i] != '\r' && ((unsigned char)t[i] & 0xC0) != 0x80)
      *col += 1 + (t[i] == '"');
  }
}

/* Re-split the text of a line that an export packed into one quoted CSV
 * field ("Customer Name,""X""" for "Customer Name","X"). Each inner cell
 * is reported where it starts in the file: the packed field's opening
 * quote at base_line:base_col, then one column per character of the inner
 * text and one more per inner quote, which the file doubles. */
static int srow_resplit(srow *s, const char *t, char delim, long base_line, long base_col)
{
  size_t n = strlen(t), i = 0, at = 0;
  long line = base_line, col = base_col + 1;
  char *v = malloc(n + 1);
  int rc = LB_OK;
  if(!v)
    return LB_ENOMEM;
  for(;;) {
    packed_advance(t, at, i, &line, &col);
    at = i;
    size_t k = 0;
    /* blanks before an opening quote */
    size_t j = i;
    while(j < n && (t[j] == ' ' || t[j] == '\t') && t[j] != delim)
      j++;
    if(j < n && t[j] == '"') {
      i = j + 1;
      while(i < n) {
        if(t[i] == '"') {
          if(i + 1 < n && t[i + 1] == '"') {
            v[k++] = '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v[k++] = t[i++];
      }
      /* anything between the closing quote and the separator is kept */
      while(i < n && t[i] != delim)
        v[k++] = t[i++];
    } else {
      while(i < n && t[i] != delim)
        v[k++] = t[i++];
    }
    rc = srow_add(s, v, k, line, col);
    if(rc || i >= n)
      break;
    i++; /* the separator */
  }
  free(v);
  return rc;
}

typedef struct ecols {
  int name, id, tool, customer, comment, footnotes;
  enum scrt_table table;
  int ipla; /* the Product Name or Product ID header starts with "IPLA" (MSU or non-MSU table) */
} ecols;

typedef struct ncols {
  int name, msu, when, msu2, when2, license;
} ncols;

/* The reader's state across rows. */
typedef struct rd {
  const char *path;
  csvf *f;
  scrt_report *r;
  diag_list *d;
  int header_only, bad;
  srow row;
  enum section sec;
  size_t pcap, lcap, mcap;
  /* B5 machine matrix: the column of each machine, while its rows last */
  int matrix;
  int *slot;
  size_t nslot;
  /* E5 */
  int in_table, footnotes, e5_headers, e5_bad_header;
  long e5_first_header;
  ecols ec;
  /* N5: header text gathered per column until the first LPAR row */
  int n5_data;
  char **n5_head;
  size_t n5_nhead;
  ncols nc;
  long e5_count, n5_count;
  int serial_rows;       /* "Machine Serial Number" rows seen */
  int matrix_serial_rows; /* ... of them in the B5 machine matrix */
  int nul_seen;          /* a NUL byte was reported (once per report) */
} rd;

static int has_ci(const char *s, const char *w) { return strcasestr(s, w) != NULL; }
static int starts_ci(const char *s, const char *w) { return strncasecmp(skip_ws(s), w, strlen(w)) == 0; }

static int set_str(char **slot, const char *v)
{
  free(*slot);
  *slot = strdup(v);
  return *slot ? LB_OK : LB_ENOMEM;
}

/* Build x->row from the next CSV row. A NUL byte is no text: the first
 * is reported at its cell (a UTF-16 file would have one in every cell),
 * and each cell ends at its first for the reader, which handles cells as
 * C strings (a cell counted filled that read empty sent the E5 scan for
 * the filled cell past the row's end). */
static int build_row(rd *x, const csv_row *cr)
{
  srow *s = &x->row;
  size_t filled = 0, only = 0;
  long line, col;
  int rc;
  s->nall = s->n = s->nfilled = 0;
  s->tlen = 0;
  s->line = cr->line;
  for(size_t i = 0; i < cr->nfields; i++) {
    const char *nul = memchr(cr->fields[i], '\0', cr->lens[i]);
    if(nul && !x->nul_seen) {
      csvf_pos(x->f, i, &line, &col);
      diag_add(x->d, x->path, line, col, NULL, "NUL byte at byte %zu of the cell, expected a text file in "
               "UTF-8 or ISO-8859-1 (not UTF-16)", (size_t)(nul - cr->fields[i]) + 1);
      x->nul_seen = x->bad = 1;
    }
  }
  for(size_t i = 0; i < cr->nfields; i++)
    if(*skip_ws(cr->fields[i])) {
      filled++;
      only = i;
    }
  const char *t = filled == 1 && only == 0 ? skip_ws(cr->fields[0]) : NULL;
  char delim = x->r->delim;
  /* A line packed into one field: the field holds the separator and quotes
   * of the original line, or starts with a quote (the original's first
   * cell was quoted). Once a file is seen to be packed, a packed line
   * without any quote (only bare numbers) is re-split as well. */
  if(t && ((strchr(t, delim) && (strchr(t, '"') || x->r->packed)) || *t == '"')) {
    x->r->packed = 1;
    csvf_pos(x->f, 0, &line, &col);
    rc = srow_resplit(s, t, delim, line, col);
  } else {
    rc = LB_OK;
    for(size_t i = 0; i < cr->nfields && !rc; i++) {
      csvf_pos(x->f, i, &line, &col);
      rc = srow_add(s, cr->fields[i], strnlen(cr->fields[i], cr->lens[i]), line, col);
    }
  }
  if(!rc)
    srow_finish(s);
  return rc;
}

/* "==E5====..." -> 'E5'; 0 when the row opens no section by a code. */
static int marker_code(const char *c0, char code[3])
{
  c0 = skip_ws(c0);
  if(strncmp(c0, "==", 2) != 0)
    return 0;
  while(*c0 == '=')
    c0++;
  if(!isalpha((unsigned char)c0[0]) || !isdigit((unsigned char)c0[1]) ||
     !(c0[2] == '=' || c0[2] == ' ' || c0[2] == '\0'))
    return 0;
  code[0] = (char)toupper((unsigned char)c0[0]);
  code[1] = c0[1];
  code[2] = '\0';
  return 1;
}

/* Older releases name sections by title rows only (SCRTReport.java of
 * IBM's BRAVO); the titles also follow the markers in current ones. */
static int title_section(const char *t, enum section *sec)
{
  static const struct {
    const char *title;
    enum section sec;
  } titles[] = {
    {"TOOL INFORMATION", SEC_C5},
    {"PRODUCT SUMMARY INFORMATION", SEC_E5},
    {"DETAIL LPAR DATA SECTION", SEC_N5},
    {"DETAIL LPAR DATA", SEC_N5},
    {"DETAIL LPAR USAGE DATA SECTION", SEC_OTHER},
    {"DETAIL LPAR USAGE DATA", SEC_OTHER},
    {"PRODUCT MAX CONTRIBUTORS", SEC_OTHER},
    {"PRODUCT GRID SNAPSHOT", SEC_OTHER},
    {"DETAIL DATA COLLECTION", SEC_OTHER},
  };
  char buf[128];
  size_t n;
  while(*t == '=' || *t == ' ')
    t++;
  n = strlen(t);
  while(n && (t[n - 1] == '=' || t[n - 1] == ' '))
    n--;
  if(n >= sizeof(buf))
    return 0;
  memcpy(buf, t, n);
  buf[n] = '\0';
  for(size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
    if(strcasecmp(buf, titles[i].title) == 0) {
      *sec = titles[i].sec;
      return 1;
    }
  if((has_ci(buf, "SUB-CAPACITY") || has_ci(buf, "ENTERPRISE")) && has_ci(buf, "REPORT")) {
    *sec = SEC_B5;
    return 1;
  }
  return 0;
}

static void clear_n5_head(rd *x)
{
  for(size_t i = 0; i < x->n5_nhead; i++)
    free(x->n5_head[i]);
  free(x->n5_head);
  x->n5_head = NULL;
  x->n5_nhead = 0;
  x->n5_data = 0;
}

/* Enter a section at `line`. Returns 1 when a header-only read is done. */
static int enter_section(rd *x, enum section sec, long line)
{
  scrt_report *r = x->r;
  x->sec = sec;
  x->in_table = x->footnotes = 0;
  x->matrix = 0;
  clear_n5_head(x);
  if(sec == SEC_E5) {
    /* two E5 sections are two reports in one file: which machine's
     * products would be billed is a guess */
    if(x->e5_count++ && r->nmachines <= 1) {
      diag_add(x->d, x->path, line, 1, NULL, "a second E5 PRODUCT SUMMARY INFORMATION section (the first is at "
               "line %ld), expected one report per file", r->e5_line);
      x->bad = 1;
    }
    if(!r->e5_line)
      r->e5_line = line;
    if(x->header_only)
      return 1;
  } else if(sec == SEC_N5) {
    if(x->n5_count++ && r->nmachines <= 1) {
      diag_add(x->d, x->path, line, 1, NULL, "a second N5 DETAIL LPAR DATA section (the first is at line %ld), "
               "expected one report per file", r->n5_line);
      x->bad = 1;
    }
    if(!r->n5_line)
      r->n5_line = line;
  } else if(sec == SEC_C5 && !r->c5_line)
    r->c5_line = line;
  return 0;
}

static int add_machine(rd *x, const char *id, const char *serial, long line, long col, scrt_machine **out)
{
  scrt_report *r = x->r;
  if(r->nmachines == x->mcap) {
    size_t ncap = x->mcap ? x->mcap * 2 : 4;
    scrt_machine *nm = realloc(r->machines, ncap * sizeof(*nm));
    if(!nm)
      return LB_ENOMEM;
    r->machines = nm;
    x->mcap = ncap;
  }
  scrt_machine *m = &r->machines[r->nmachines++];
  memset(m, 0, sizeof(*m));
  m->rated_msu = -1;
  m->line = line;
  m->col = col;
  m->id = strdup(id);
  m->serial = strdup(serial);
  m->type_model = strdup("");
  if(!m->id || !m->serial || !m->type_model)
    return LB_ENOMEM;
  if(out)
    *out = m;
  return LB_OK;
}

static void bad_rated(rd *x, const char *v, long line, long col)
{
  char b[SHOW_MAX];
  diag_add(x->d, x->path, line, col, NULL, "Machine Rated Capacity %s is not a whole number of MSUs, expected "
           "digits only", show(b, v));
  x->bad = 1;
}

/* A row of the B5 machine matrix: one value per machine column. Returns
 * 1 when the row was one, 0 when the matrix has ended. */
static int matrix_row(rd *x, const char *key, int *rc)
{
  const srow *s = &x->row;
  scrt_report *r = x->r;
  static const char *other[] = {"Machine Peak Utilization", "Machine MSU Consumed", "Machine Model Changed",
                                "Exclude Data", "Missing LPAR Data", "Missing CPC Data"};
  *rc = LB_OK;
  if(strcasecmp(key, "Machine Serial Number") == 0) {
    x->matrix_serial_rows++;
    for(size_t k = 0; k < x->nslot; k++) {
      scrt_machine *m = &r->machines[r->nmachines - x->nslot + k];
      const char *v = cell(s, x->slot[k]);
      m->line = cline(s, x->slot[k]);
      m->col = ccol(s, x->slot[k]);
      if(!*v) {
        char b[SHOW_MAX];
        diag_add(x->d, x->path, m->line, m->col, NULL, "Machine Serial Number of machine %s is empty, expected a "
                 "serial like 82-C5DC8", bare(b, m->id));
        x->bad = 1;
      }
      if((*rc = set_str(&m->serial, v)))
        return 1;
    }
    return 1;
  }
  if(strcasecmp(key, "Machine Type and Model") == 0) {
    for(size_t k = 0; k < x->nslot; k++)
      if((*rc = set_str(&r->machines[r->nmachines - x->nslot + k].type_model, cell(s, x->slot[k]))))
        return 1;
    return 1;
  }
  if(strcasecmp(key, "Machine Rated Capacity (MSUs)") == 0) {
    r->rated_line = s->line;
    for(size_t k = 0; k < x->nslot; k++) {
      scrt_machine *m = &r->machines[r->nmachines - x->nslot + k];
      if(parse_msu(cell(s, x->slot[k]), &m->rated_msu))
        bad_rated(x, cell(s, x->slot[k]), cline(s, x->slot[k]), ccol(s, x->slot[k]));
    }
    return 1;
  }
  if(strcasecmp(key, "Customer Number") == 0) {
    if(!r->customer_number)
      *rc = set_str(&r->customer_number, cell(s, x->slot[0]));
    return 1;
  }
  for(size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
    if(strcasecmp(key, other[i]) == 0)
      return 1;
  return 0;
}

/* The first non-empty cell after the key, or cell 1. */
static int value_index(const srow *s)
{
  for(size_t i = 1; i < s->n; i++)
    if(*s->cell[i])
      return (int)i;
  return 1;
}

/* Header facts: key/value rows, and the B5 machine matrix. Returns 1 when
 * the row was a fact. */
static int fact_row(rd *x, int *rc)
{
  const srow *s = &x->row;
  scrt_report *r = x->r;
  const char *key = cell(s, 0);
  int vi = value_index(s);
  const char *v = cell(s, vi);
  long vline = cline(s, vi), vcol = ccol(s, vi);
  char b[SHOW_MAX];
  *rc = LB_OK;
  if(x->matrix) {
    if(matrix_row(x, key, rc))
      return 1;
    x->matrix = 0;
  }
  if(strcasecmp(key, "Machine identifier") == 0 && s->nfilled > 1) {
    /* Enterprise (multiplex) layout: one column per machine (scrtParser.js) */
    free(x->slot);
    x->slot = malloc(s->n * sizeof(*x->slot));
    x->nslot = 0;
    if(!x->slot) {
      *rc = LB_ENOMEM;
      return 1;
    }
    for(size_t i = 1; i < s->n; i++)
      if(*s->cell[i]) {
        x->slot[x->nslot++] = (int)i;
        if((*rc = add_machine(x, s->cell[i], "", s->cline[i], s->col[i], NULL)))
          return 1;
      }
    x->matrix = 1;
    return 1;
  }
  if(strcasecmp(key, "Machine Serial Number") == 0) {
    x->serial_rows++;
    if(s->nfilled <= 1) {
      diag_add(x->d, x->path, cline(s, 1), ccol(s, 1), NULL,
               "Machine Serial Number is empty, expected a serial like 82-C5DC8");
      x->bad = 1;
      return 1;
    }
    /* Each value is a machine: several on one row, or a second serial row
     * (two reports in one file), make a multiplex listing. */
    for(size_t i = 1; i < s->n; i++) {
      if(!*s->cell[i])
        continue;
      int seen = 0;
      for(size_t k = 0; k < r->nmachines; k++)
        seen |= strcmp(r->machines[k].serial, s->cell[i]) == 0;
      if(!seen && (*rc = add_machine(x, "", s->cell[i], s->cline[i], s->col[i], NULL)))
        return 1;
    }
    return 1;
  }
  if(strcasecmp(key, "Machine Type and Model") == 0) {
    if(!r->type_model)
      *rc = set_str(&r->type_model, v);
    if(!*rc && r->nmachines && !*r->machines[r->nmachines - 1].type_model)
      *rc = set_str(&r->machines[r->nmachines - 1].type_model, v);
    return 1;
  }
  if(strcasecmp(key, "Machine Rated Capacity (MSUs)") == 0) {
    int64_t m;
    if(parse_msu(v, &m)) {
      bad_rated(x, v, vline, vcol);
      return 1;
    }
    if(!r->rated_line) {
      r->rated_line = s->line;
      r->rated_msu = m;
    }
    if(r->nmachines && r->machines[r->nmachines - 1].rated_msu < 0)
      r->machines[r->nmachines - 1].rated_msu = m;
    return 1;
  }
  if(strcasecmp(key, "Reporting Period") == 0) {
    lb_date a, e;
    int days;
    if(scrt_parse_period(v, &a, &e, &days)) {
      diag_add(x->d, x->path, vline, vcol, NULL, "Reporting Period %s cannot be read, expected "
               "'2 Jun, 2026 - 1 Jul, 2026 inclusive (30 days)'", show(b, v));
      x->bad = 1;
      if(!r->period_line)
        r->period_line = s->line;
      return 1;
    }
    if(r->period_start != DATE_NONE && (a != r->period_start || e != r->period_end)) {
      diag_add(x->d, x->path, vline, vcol, NULL, "a second Reporting Period %s differs from the one at line %ld, "
               "expected one reporting period per report", show(b, v), r->period_line);
      x->bad = 1;
      return 1;
    }
    if(r->period_start == DATE_NONE) {
      r->period_line = s->line;
      r->period_start = a;
      r->period_end = e;
      r->period_days = days;
    }
    return 1;
  }
  if(strcasecmp(key, "Customer Number") == 0) {
    if(!r->customer_number)
      *rc = set_str(&r->customer_number, v);
    return 1;
  }
  if(strcasecmp(key, "Customer Name") == 0) {
    if(!r->customer_name)
      *rc = set_str(&r->customer_name, v);
    return 1;
  }
  if(strcasecmp(key, "Tool Release") == 0 || strcasecmp(key, "SCRT Tool Release") == 0) {
    if(!r->tool_release)
      *rc = set_str(&r->tool_release, v);
    return 1;
  }
  if(strcasecmp(key, "Run Date/Time") == 0) {
    if(!r->run_datetime)
      *rc = set_str(&r->run_datetime, v);
    return 1;
  }
  return 0;
}

/* An E5 table header: its columns by role, whatever the prefix (MLC,
 * IPLA, none) or suffix ("- non-MSU based", "(255 chars max)"). */
static int e5_header(const srow *s, ecols *c)
{
  int name = -1, id = -1, tool = -1, customer = -1, comment = -1, foot = -1, units = 0, nonmsu = 0;
  for(size_t i = 0; i < s->n; i++) {
    const char *h = s->cell[i];
    if(name < 0 && has_ci(h, "Product Name")) {
      name = (int)i;
      nonmsu = has_ci(h, "non-MSU");
    } else if(id < 0 && has_ci(h, "Product ID"))
      id = (int)i;
    else if(tool < 0 && starts_ci(h, "Tool") && (has_ci(h, "MSU") || has_ci(h, "Unit"))) {
      tool = (int)i;
      units = has_ci(h, "Unit") && !has_ci(h, "MSU");
    } else if(comment < 0 && starts_ci(h, "Customer Comment"))
      comment = (int)i;
    else if(customer < 0 && starts_ci(h, "Customer") && (has_ci(h, "MSU") || has_ci(h, "Unit")))
      customer = (int)i;
    else if(foot < 0 && starts_ci(h, "Footnote"))
      foot = (int)i;
  }
  if(id < 0 || (name < 0 && tool < 0))
    return 0;
  c->name = name;
  c->id = id;
  c->tool = tool;
  c->customer = customer;
  c->comment = comment;
  c->footnotes = foot;
  c->ipla = (name >= 0 && starts_ci(s->cell[name], "IPLA")) || starts_ci(s->cell[id], "IPLA");
  if(units || nonmsu)
    c->table = SCRT_TABLE_UNITS;
  else if(name >= 0 && starts_ci(s->cell[name], "MLC"))
    c->table = SCRT_TABLE_MLC;
  else if(name >= 0 && starts_ci(s->cell[name], "IPLA"))
    c->table = SCRT_TABLE_IPLA;
  else
    c->table = SCRT_TABLE_MSU;
  return 1;
}

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

static int e5_row(rd *x)
{
  const srow *s = &x->row;
  scrt_report *r = x->r;
  const ecols *c = &x->ec;
  char b1[SHOW_MAX], b2[SHOW_MAX];
  ecols h;
  if(e5_header(s, &h)) {
    if(!x->e5_first_header)
      x->e5_first_header = s->line;
    x->e5_headers++;
    x->footnotes = 0;
    if(h.tool < 0) {
      diag_add(x->d, x->path, s->line, 1, NULL, "product table header has no 'Tool MSUs' or 'Tool Units' column, "
               "expected the E5 PRODUCT SUMMARY layout ('... Product Name', '... Product ID', 'Tool MSUs', "
               "'Customer MSUs', ...)");
      x->bad = x->e5_bad_header = 1;
      x->in_table = 0;
      return LB_OK;
    }
    x->ec = h;
    x->in_table = 1;
    return LB_OK;
  }
  /* titles, "Footnotes:", footnote text: only the first cell is filled,
   * whatever padding a spreadsheet added */
  if(s->nfilled == 1 && *cell(s, 0)) {
    if(starts_ci(cell(s, 0), "Footnotes"))
      x->footnotes = 1;
    return LB_OK;
  }
  /* a footnote whose text an unquoted re-save split at a separator */
  if(x->footnotes && cell(s, 0)[0] == '(')
    return LB_OK;
  if(s->nfilled == 1) {
    size_t at = 0;
    while(!*s->cell[at])
      at++;
    diag_add(x->d, x->path, s->cline[at], s->col[at], NULL,
             "row of section E5 has only the value %s, in column %zu, expected a product row with its Product "
             "ID and Tool MSUs", show(b1, s->cell[at]), at + 1);
    x->bad = 1;
    return LB_OK;
  }
  if(!x->in_table) {
    if(!x->e5_bad_header) {
      diag_add(x->d, x->path, s->line, 1, NULL, "row with values in section E5 before any product table header, "
               "expected a header row ('... Product Name', '... Product ID', 'Tool MSUs', ...) above it");
      x->bad = 1;
    }
    return LB_OK;
  }
  const char *name = cell(s, c->name), *id = cell(s, c->id);
  /* "z/OS Unreduced","(All)",N: a figure for the whole table, not a product */
  if(*id == '(' || strcasecmp(name, "z/OS Unreduced") == 0) {
    if(strcasecmp(name, "z/OS Unreduced") != 0) {
      diag_add(x->d, x->path, cline(s, c->id), ccol(s, c->id), NULL, "%s is not a product id (row %s), expected a "
               "product id like 5655-YA1; only the 'z/OS Unreduced' row carries '(All)'", show(b1, id),
               show(b2, name));
      x->bad = 1;
      return LB_OK;
    }
    int64_t v;
    if(parse_msu(cell(s, c->tool), &v)) {
      diag_add(x->d, x->path, cline(s, c->tool), ccol(s, c->tool), NULL,
               "z/OS Unreduced %s is not a whole number, expected MSUs as digits, 0 or more",
               show(b1, cell(s, c->tool)));
      x->bad = 1;
      return LB_OK;
    }
    if(r->zos_unreduced_line && v != r->zos_unreduced_msu) {
      diag_add(x->d, x->path, cline(s, c->tool), ccol(s, c->tool), NULL,
               "a second 'z/OS Unreduced' row with %lld MSUs (the one at line %ld has %lld), expected one "
               "figure per report", (long long)v, r->zos_unreduced_line, (long long)r->zos_unreduced_msu);
      x->bad = 1;
      return LB_OK;
    }
    if(!r->zos_unreduced_line) {
      r->zos_unreduced_msu = v;
      r->zos_unreduced_line = s->line;
      r->zos_unreduced_col = ccol(s, c->tool);
    }
    return LB_OK;
  }
  if(r->nproducts == x->pcap) {
    size_t ncap = x->pcap ? x->pcap * 2 : 16;
    scrt_product *np = realloc(r->products, ncap * sizeof(*np));
    if(!np)
      return LB_ENOMEM;
    r->products = np;
    x->pcap = ncap;
  }
  int units = c->table == SCRT_TABLE_UNITS;
  scrt_product *p = &r->products[r->nproducts];
  memset(p, 0, sizeof(*p));
  p->line = s->line;
  p->tool_col = ccol(s, c->tool);
  p->customer_col = c->customer >= 0 ? ccol(s, c->customer) : p->tool_col;
  p->comment_col = c->comment >= 0 ? ccol(s, c->comment) : p->tool_col;
  p->id_col = ccol(s, c->id);
  p->is_units = units;
  p->table = c->table;
  p->ipla = c->ipla;
  p->customer_msu = -1;
  p->name = dup_or_empty(name);
  p->product_id = dup_or_empty(id);
  p->comment = dup_or_empty(cell(s, c->comment));
  p->footnotes = dup_or_empty(cell(s, c->footnotes));
  r->nproducts++;
  if(!p->name || !p->product_id || !p->comment || !p->footnotes)
    return LB_ENOMEM;
  if(!*p->product_id) {
    diag_add(x->d, x->path, cline(s, c->id), p->id_col, NULL,
             "product row without a Product ID, expected an id like 5655-YA1");
    x->bad = 1;
  }
  if(parse_msu(cell(s, c->tool), &p->tool_msu)) {
    diag_add(x->d, x->path, cline(s, c->tool), p->tool_col, NULL,
             "%s %s for %s is not a whole number, expected %s as digits, 0 or more",
             units ? "Tool Units" : "Tool MSUs", show(b1, cell(s, c->tool)), bare(b2, p->product_id),
             units ? "units" : "MSUs");
    x->bad = 1;
  }
  const char *cu = cell(s, c->customer);
  if(*cu && parse_msu(cu, &p->customer_msu)) {
    diag_add(x->d, x->path, cline(s, c->customer >= 0 ? c->customer : c->tool), p->customer_col, NULL,
             "%s %s for %s is not a whole number, expected %s as digits or an empty cell",
             units ? "Customer Units" : "Customer MSUs", show(b1, cu), bare(b2, p->product_id),
             units ? "units" : "MSUs");
    p->customer_msu = -1;
    x->bad = 1;
  }
  return LB_OK;
}

/* R-W12: an N5 row of an LPAR IPLed with LICENSE=ZNALC: "ZNALC" in the
 * License column, or a cell reading "LICENSE=ZNALC" anywhere in the row. */
static int is_znalc_flag(const srow *s, int license_col)
{
  for(size_t i = 0; i < s->n; i++)
    if(strcasecmp(s->cell[i], "LICENSE=ZNALC") == 0 ||
       ((int)i == license_col && strcasecmp(s->cell[i], "ZNALC") == 0))
      return 1;
  return 0;
}

static int is_date_head(const char *h) { return has_ci(h, "Date") || has_ci(h, "Time"); }
static int is_second_head(const char *h) { return has_ci(h, "Second") || has_ci(h, "2nd"); }

/* N5 columns by role from the header text gathered per column (a header
 * may take two rows, like P5's). Without a header: name then MSUs, the
 * order IBM's BRAVO read. */
static void n5_resolve(rd *x)
{
  ncols *c = &x->nc;
  char **h = x->n5_head;
  int n = (int)x->n5_nhead;
  c->name = c->when = c->msu2 = c->when2 = c->license = -1;
  c->msu = -1;
  for(int i = 0; i < n; i++)
    if(c->name < 0 && has_ci(h[i], "LPAR"))
      c->name = i;
  if(c->name < 0)
    c->name = 0;
  for(int i = 0; i < n; i++) {
    if(i == c->name || !*h[i])
      continue;
    if(strcasecmp(h[i], "License") == 0) {
      c->license = i;
      continue;
    }
    if(is_date_head(h[i]))
      continue;
    if(is_second_head(h[i])) {
      if(c->msu2 < 0)
        c->msu2 = i;
    } else if(c->msu < 0 && (has_ci(h[i], "MSU") || has_ci(h[i], "Highest")))
      c->msu = i;
  }
  if(c->msu < 0)
    c->msu = c->name + 1;
  /* the date/time of each peak is the first date column after it */
  for(int i = c->msu + 1; i < n; i++)
    if(is_date_head(h[i]) && (c->msu2 < 0 || i < c->msu2 || c->msu2 < c->msu)) {
      c->when = i;
      break;
    }
  if(c->msu2 >= 0)
    for(int i = c->msu2 + 1; i < n; i++)
      if(is_date_head(h[i])) {
        c->when2 = i;
        break;
      }
}

/* Gather a header row's text under the cells above it. */
static int n5_add_head(rd *x)
{
  const srow *s = &x->row;
  if(s->n > x->n5_nhead) {
    char **nh = realloc(x->n5_head, s->n * sizeof(*nh));
    if(!nh)
      return LB_ENOMEM;
    x->n5_head = nh;
    /* counted one by one, so that a failed strdup leaves nothing unfreed */
    while(x->n5_nhead < s->n) {
      if(!(nh[x->n5_nhead] = strdup("")))
        return LB_ENOMEM;
      x->n5_nhead++;
    }
  }
  for(size_t i = 0; i < s->n; i++) {
    if(!*s->cell[i])
      continue;
    char *j;
    if(asprintf(&j, "%s%s%s", x->n5_head[i], *x->n5_head[i] ? " " : "", s->cell[i]) < 0)
      return LB_ENOMEM;
    free(x->n5_head[i]);
    x->n5_head[i] = j;
  }
  return LB_OK;
}

static int n5_row(rd *x)
{
  const srow *s = &x->row;
  scrt_report *r = x->r;
  char b1[SHOW_MAX], b2[SHOW_MAX];
  int64_t msu, msu2 = -1;
  if(s->nfilled == 1 && *cell(s, 0))
    return LB_OK; /* title */
  if(!x->n5_data) {
    /* header rows until the first row with a whole number after its name */
    int data = 0;
    for(size_t i = 1; i < s->n && *cell(s, 0); i++) {
      int64_t v;
      data |= !parse_msu(s->cell[i], &v);
    }
    if(!data)
      return n5_add_head(x);
    x->n5_data = 1;
    n5_resolve(x);
  }
  const ncols *c = &x->nc;
  const char *name = cell(s, c->name);
  long mcol = ccol(s, c->msu);
  if(parse_msu(cell(s, c->msu), &msu)) {
    diag_add(x->d, x->path, cline(s, c->msu), mcol, NULL,
             "LPAR %s: %s is not a whole number of MSUs, expected digits, 0 or more", show(b1, name),
             show(b2, cell(s, c->msu)));
    x->bad = 1;
    return LB_OK;
  }
  if(c->msu2 >= 0 && *cell(s, c->msu2) && parse_msu(cell(s, c->msu2), &msu2)) {
    diag_add(x->d, x->path, cline(s, c->msu2), ccol(s, c->msu2), NULL,
             "LPAR %s: second-highest %s is not a whole number of MSUs, expected digits or an empty cell",
             show(b1, name), show(b2, cell(s, c->msu2)));
    x->bad = 1;
    return LB_OK;
  }
  if(strcasecmp(name, "CPC") == 0) {
    r->cpc_msu = msu;
    r->cpc_msu2 = msu2;
    r->cpc_line = s->line;
    r->cpc_col = mcol;
    return LB_OK;
  }
  if(r->nlpars == x->lcap) {
    size_t ncap = x->lcap ? x->lcap * 2 : 8;
    scrt_lpar *nl = realloc(r->lpars, ncap * sizeof(*nl));
    if(!nl)
      return LB_ENOMEM;
    r->lpars = nl;
    x->lcap = ncap;
  }
  scrt_lpar *lp = &r->lpars[r->nlpars++];
  memset(lp, 0, sizeof(*lp));
  lp->name = strdup(name);
  lp->when = strdup(cell(s, c->when));
  lp->when2 = strdup(cell(s, c->when2));
  lp->msu = msu;
  lp->msu2 = msu2;
  lp->license_znalc = is_znalc_flag(s, c->license);
  lp->line = s->line;
  lp->col = mcol;
  if(!lp->name || !lp->when || !lp->when2)
    return LB_ENOMEM;
  return LB_OK;
}

/* The rows of one report, section by section. Returns LB_OK, LB_ENOMEM,
 * LB_EIO or LB_EINPUT for a file libcsv cannot read (recorded in d). */
/* A control character in a cell (an escape sequence in a comment, a form
 * feed in a product id): the report is an error. Tabs and line breaks
 * inside a quoted cell are text; a NUL byte is build_row's (reported once a
 * report, as a UTF-16 file has one in every cell). */
static void control_cells(rd *x, const csv_row *cr)
{
  for(size_t i = 0; i < cr->nfields; i++) {
    size_t at;
    long line, col;
    int c = utf8_find_control(cr->fields[i], cr->lens[i], 1, 1, &at);
    if(c <= 0)
      continue;
    csvf_pos(x->f, i, &line, &col);
    diag_add(x->d, x->path, line, col, NULL, "control character U+%04X (%s) at character %zu of the cell, "
             "expected printable text", c, utf8_control_name(c), at);
    x->bad = 1;
  }
}

static int read_rows(rd *x)
{
  const csv_row *cr;
  int rc;
  while((rc = csvf_next(x->f, &cr, x->d)) > 0) {
    control_cells(x, cr);
    if((rc = build_row(x, cr)))
      return rc;
    const srow *s = &x->row;
    if(!s->nfilled)
      continue;
    const char *c0 = cell(s, 0);
    char code[3];
    enum section tsec;
    if(marker_code(c0, code)) {
      enum section sec = strcmp(code, "B5") == 0 ? SEC_B5 : strcmp(code, "C5") == 0 ? SEC_C5
                         : strcmp(code, "E5") == 0 ? SEC_E5 : strcmp(code, "N5") == 0 ? SEC_N5 : SEC_OTHER;
      if(enter_section(x, sec, s->line))
        return LB_OK;
      continue;
    }
    /* a title row names its section: under a marker for it, nothing
     * changes; a report title opens B5 only at the top, so that no
     * footnote that mentions the report can move the reader back there */
    if(s->nfilled == 1 && *c0 && title_section(c0, &tsec) && (tsec != SEC_B5 || x->sec == SEC_NONE)) {
      if(tsec != x->sec && enter_section(x, tsec, s->line))
        return LB_OK;
      continue;
    }
    rc = LB_OK;
    if(!x->in_table && x->sec != SEC_N5) {
      if(fact_row(x, &rc)) {
        if(rc)
          return rc;
        continue;
      }
    }
    if(x->sec == SEC_E5)
      rc = e5_row(x);
    else if(x->sec == SEC_N5)
      rc = n5_row(x);
    if(rc)
      return rc;
  }
  return rc;
}

/* After the last row (or a CSV error): one machine or several. */
static int resolve_machines(rd *x)
{
  scrt_report *r = x->r;
  int rc = LB_OK;
  if(r->nmachines > 1) {
    /* Never one machine picked out of several. Each listed machine gets
     * its own error at its serial, so that each owner is told. */
    char list[1024], b[SHOW_MAX];
    size_t n = 0;
    list[0] = '\0';
    for(size_t i = 0; i < r->nmachines && n < sizeof(list); i++)
      n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", bare(b, r->machines[i].serial));
    if(n >= sizeof(list)) /* dozens of machines: the list ends with "..." */
      memcpy(list + sizeof(list) - 4, "...", 4);
    r->multiplex = 1;
    for(size_t i = 0; i < r->nmachines; i++)
      diag_add(x->d, x->path, r->machines[i].line, r->machines[i].col, NULL, "machine %s is one of %zu machines "
               "this report lists (%s): a multiplex report gives no product MSUs per machine, expected a "
               "single-machine Sub-Capacity Report for each machine", bare(b, r->machines[i].serial),
               r->nmachines, list);
    x->bad = 1;
    return set_str(&r->serial, "");
  }
  if(r->nmachines == 1) {
    scrt_machine *m = &r->machines[0];
    if((rc = set_str(&r->serial, m->serial)))
      return rc;
    r->serial_line = m->line;
    r->serial_col = m->col;
    if(x->matrix || *m->id) {
      /* a one-machine matrix: its column holds the machine's facts */
      if(!r->type_model && (rc = set_str(&r->type_model, m->type_model)))
        return rc;
      if(r->rated_msu < 0)
        r->rated_msu = m->rated_msu;
    }
  }
  return LB_OK;
}

/* After the last row: what a report must hold. */
static void final_checks(rd *x)
{
  scrt_report *r = x->r;
  if(r->multiplex)
    return; /* reported per machine; what else is missing follows from it */
  if(!r->nmachines && !x->serial_rows) {
    diag_add(x->d, x->path, 0, 0, NULL, "no 'Machine Serial Number' row, expected the SCRT report header facts");
    x->bad = 1;
  }
  if(r->nmachines == 1 && !x->serial_rows && !x->matrix_serial_rows) {
    /* a 'Machine identifier' column whose matrix ended before its serial row */
    char b[SHOW_MAX];
    diag_add(x->d, x->path, r->machines[0].line, r->machines[0].col, NULL, "machine %s has no 'Machine Serial "
             "Number' row, expected one among the rows that follow the 'Machine identifier' row", bare(b, r->machines[0].id));
    x->bad = 1;
  }
  if(r->period_start == DATE_NONE && !r->period_line) {
    diag_add(x->d, x->path, 0, 0, NULL, "no 'Reporting Period' row, expected the SCRT report header facts");
    x->bad = 1;
  }
  if(x->header_only)
    return;
  if(!r->e5_line) {
    diag_add(x->d, x->path, 0, 0, NULL, "no E5 PRODUCT SUMMARY INFORMATION section, expected the product table");
    x->bad = 1;
  } else if(!x->e5_headers) {
    diag_add(x->d, x->path, r->e5_line, 1, NULL, "section E5 PRODUCT SUMMARY INFORMATION has no product table, "
             "expected a header row naming '... Product Name', '... Product ID' and 'Tool MSUs' columns (with or "
             "without an MLC or IPLA prefix)");
    x->bad = 1;
  } else if(!r->nproducts && !x->e5_bad_header) {
    diag_add(x->d, x->path, x->e5_first_header, 1, NULL, "the product tables of section E5 have no product rows%s, "
             "expected at least one row with a Product ID and Tool MSUs",
             r->zos_unreduced_line ? " (only the 'z/OS Unreduced' total)" : "");
    x->bad = 1;
  }
}

int scrt_read(scrt_report **out, const char *path, int header_only, diag_list *d)
{
  csvf_opts o = {.delim = 0, .latin1_fallback = 1, .start = 0, .end = -1, .first_line = 1};
  rd x;
  int rc;
  memset(&x, 0, sizeof(x));
  x.path = path;
  x.d = d;
  x.header_only = header_only;
  x.r = calloc(1, sizeof(*x.r));
  if(!x.r)
    return LB_ENOMEM;
  scrt_report *r = x.r;
  r->rated_msu = -1;
  r->cpc_msu = -1;
  r->cpc_msu2 = -1;
  r->zos_unreduced_msu = -1;
  r->period_start = r->period_end = DATE_NONE;
  r->path = strdup(path);
  if(!r->path) {
    rc = LB_ENOMEM;
    goto out;
  }
  rc = csvf_open(&x.f, path, &o, d);
  if(rc)
    goto out;
  r->latin1 = csvf_is_latin1(x.f);
  r->delim = csvf_delim(x.f);
  rc = read_rows(&x);
  if(rc == LB_ENOMEM || rc == LB_EIO)
    goto out;
  /* after a CSV error too: the serial read so far names whose report it is */
  int mrc = resolve_machines(&x);
  if(mrc) {
    rc = mrc;
    goto out;
  }
  if(rc)
    goto out;
  final_checks(&x);
  rc = x.bad ? LB_EINPUT : LB_OK;
out:
  csvf_close(x.f);
  srow_free(&x.row);
  clear_n5_head(&x);
  free(x.slot);
  if(rc && !(rc == LB_EINPUT && (r->multiplex || (header_only && r->serial && *r->serial)))) {
    scrt_free(r);
    r = NULL;
  }
  *out = r;
  return rc;
}

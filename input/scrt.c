/* scrt.c - reads SCRT reports as the tool writes them: section markers, key/value facts, tables. */
#include "input/scrt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/csvfile.h"

enum section { SEC_NONE, SEC_B5, SEC_E5, SEC_N5, SEC_OTHER };

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

static char *dup_trim(const char *s)
{
  s = skip_ws(s);
  size_t n = strlen(s);
  while(n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  return strndup(s, n);
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

static int is_blank(const char *s) { return *skip_ws(s) == '\0'; }

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
  }
  free(r->products);
  free(r->lpars);
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

/* column map of a table header row */
typedef struct cols {
  int name, id, tool, customer, comment, footnotes, msu, when, license;
} cols;

static int find_col(const csv_row *row, const char *want)
{
  for(size_t i = 0; i < row->nfields; i++)
    if(strcasecmp(skip_ws(row->fields[i]), want) == 0)
      return (int)i;
  return -1;
}

static const char *cell(const csv_row *row, int i) { return i >= 0 && (size_t)i < row->nfields ? row->fields[i] : ""; }

static long colpos(const csvf *f, int i)
{
  long line, col;
  csvf_pos(f, i < 0 ? 0 : (size_t)i, &line, &col);
  return col;
}

/* R-W12: an N5 row of an LPAR IPLed with LICENSE=ZNALC: "ZNALC" in the
 * License column, or a cell reading "LICENSE=ZNALC" anywhere in the row. */
static int is_znalc_flag(const csv_row *row, int license_col)
{
  char v[32];
  for(size_t i = 0; i < row->nfields; i++) {
    const char *s = skip_ws(row->fields[i]);
    size_t n = strlen(s);
    while(n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
      n--;
    if(n >= sizeof(v))
      continue;
    memcpy(v, s, n);
    v[n] = '\0';
    if(strcasecmp(v, "LICENSE=ZNALC") == 0 || ((int)i == license_col && strcasecmp(v, "ZNALC") == 0))
      return 1;
  }
  return 0;
}

static int set_fact(char **slot, const char *v)
{
  free(*slot);
  *slot = dup_trim(v);
  return *slot ? 0 : LB_ENOMEM;
}

int scrt_read(scrt_report **out, const char *path, int header_only, diag_list *d)
{
  csvf_opts o = {.delim = 0, .latin1_fallback = 1, .start = 0, .end = -1, .first_line = 1};
  csvf *f = NULL;
  const csv_row *row;
  scrt_report *r = calloc(1, sizeof(*r));
  enum section sec = SEC_NONE;
  int in_table = 0, units_table = 0, bad = 0, rc;
  size_t pcap = 0, lcap = 0;
  cols c = {-1, -1, -1, -1, -1, -1, -1, -1, -1};

  if(!r)
    return LB_ENOMEM;
  r->rated_msu = -1;
  r->cpc_msu = -1;
  r->period_start = r->period_end = DATE_NONE;
  r->path = strdup(path);
  if(!r->path) {
    rc = LB_ENOMEM;
    goto out;
  }
  rc = csvf_open(&f, path, &o, d);
  if(rc)
    goto out;
  r->latin1 = csvf_is_latin1(f);
  r->delim = csvf_delim(f);
  while((rc = csvf_next(f, &row, d)) > 0) {
    const char *f0 = skip_ws(row->fields[0]);
    long line = row->line;
    if(strncmp(f0, "==", 2) == 0) {
      /* a section marker: ==XX===... */
      const char *code = f0 + 2;
      in_table = 0;
      if(strncmp(code, "B5", 2) == 0)
        sec = SEC_B5;
      else if(strncmp(code, "E5", 2) == 0) {
        sec = SEC_E5;
        r->e5_line = line;
        if(header_only)
          break;
      } else if(strncmp(code, "N5", 2) == 0) {
        sec = SEC_N5;
        r->n5_line = line;
      } else
        sec = SEC_OTHER;
      continue;
    }
    /* header facts: key/value rows, wherever they stand outside tables */
    if(!in_table && row->nfields >= 2) {
      const char *v = row->fields[1];
      int fact = 1;
      rc = LB_OK;
      if(strcasecmp(f0, "Customer Number") == 0)
        rc = set_fact(&r->customer_number, v);
      else if(strcasecmp(f0, "Customer Name") == 0)
        rc = set_fact(&r->customer_name, v);
      else if(strcasecmp(f0, "Machine Serial Number") == 0) {
        rc = set_fact(&r->serial, v);
        r->serial_line = line;
        r->serial_col = colpos(f, 1);
        if(!rc && !*r->serial) {
          diag_add(d, path, line, colpos(f, 1), NULL, "Machine Serial Number is empty, expected a serial "
                   "like 82-C5DC8");
          bad = 1;
        }
      } else if(strcasecmp(f0, "Machine Type and Model") == 0)
        rc = set_fact(&r->type_model, v);
      else if(strcasecmp(f0, "Machine Rated Capacity (MSUs)") == 0) {
        r->rated_line = line;
        if(parse_msu(v, &r->rated_msu)) {
          diag_add(d, path, line, colpos(f, 1), NULL, "Machine Rated Capacity '%s' is not a whole number "
                   "of MSUs, expected digits only", v);
          bad = 1;
        }
      } else if(strcasecmp(f0, "Reporting Period") == 0) {
        r->period_line = line;
        if(scrt_parse_period(v, &r->period_start, &r->period_end, &r->period_days)) {
          diag_add(d, path, line, colpos(f, 1), NULL, "Reporting Period '%s' cannot be read, expected "
                   "'2 Jun, 2026 - 1 Jul, 2026 inclusive (30 days)'", v);
          bad = 1;
        }
      } else if(strcasecmp(f0, "Tool Release") == 0 || strcasecmp(f0, "SCRT Tool Release") == 0)
        rc = set_fact(&r->tool_release, v);
      else if(strcasecmp(f0, "Run Date/Time") == 0)
        rc = set_fact(&r->run_datetime, v);
      else
        fact = 0;
      if(rc)
        goto out;
      if(fact)
        continue;
    }
    if(sec == SEC_E5) {
      if(find_col(row, "Product ID") >= 0) {
        c.name = find_col(row, "Product Name");
        c.id = find_col(row, "Product ID");
        c.tool = find_col(row, "Tool MSUs");
        c.customer = find_col(row, "Customer MSUs");
        units_table = 0;
        if(c.tool < 0) {
          c.tool = find_col(row, "Tool Units");
          c.customer = find_col(row, "Customer Units");
          units_table = 1;
        }
        c.comment = find_col(row, "Customer Comment");
        c.footnotes = find_col(row, "Footnotes");
        if(c.tool < 0) {
          diag_add(d, path, line, 1, NULL, "product table header has no 'Tool MSUs' or 'Tool Units' "
                   "column, expected the E5 PRODUCT SUMMARY layout");
          bad = 1;
          in_table = 0;
        } else
          in_table = 1;
        continue;
      }
      if(!in_table || row->nfields < 2)
        continue; /* title rows */
      if(r->nproducts == pcap) {
        size_t ncap = pcap ? pcap * 2 : 16;
        scrt_product *np = realloc(r->products, ncap * sizeof(*np));
        if(!np) {
          rc = LB_ENOMEM;
          goto out;
        }
        r->products = np;
        pcap = ncap;
      }
      scrt_product *p = &r->products[r->nproducts];
      memset(p, 0, sizeof(*p));
      p->line = line;
      p->tool_col = colpos(f, c.tool);
      p->customer_col = colpos(f, c.customer);
      p->comment_col = colpos(f, c.comment);
      p->is_units = units_table;
      p->customer_msu = -1;
      p->name = dup_trim(cell(row, c.name));
      p->product_id = dup_trim(cell(row, c.id));
      p->comment = dup_trim(cell(row, c.comment));
      p->footnotes = dup_trim(cell(row, c.footnotes));
      r->nproducts++;
      if(!p->name || !p->product_id || !p->comment || !p->footnotes) {
        rc = LB_ENOMEM;
        goto out;
      }
      if(!*p->product_id) {
        diag_add(d, path, line, colpos(f, c.id), NULL, "product row without a Product ID, expected an id "
                 "like 5655-YA1");
        bad = 1;
      }
      if(parse_msu(cell(row, c.tool), &p->tool_msu)) {
        diag_add(d, path, line, p->tool_col, NULL, "%s '%s' for %s is not a whole number, expected MSUs "
                 "as digits, 0 or more", units_table ? "Tool Units" : "Tool MSUs", cell(row, c.tool),
                 p->product_id);
        bad = 1;
      }
      if(!is_blank(cell(row, c.customer)) && parse_msu(cell(row, c.customer), &p->customer_msu)) {
        diag_add(d, path, line, p->customer_col, NULL, "%s '%s' for %s is not a whole number, expected "
                 "MSUs as digits or an empty cell", units_table ? "Customer Units" : "Customer MSUs",
                 cell(row, c.customer), p->product_id);
        p->customer_msu = -1;
        bad = 1;
      }
    } else if(sec == SEC_N5) {
      int name = find_col(row, "LPAR Name");
      if(name >= 0) {
        c.name = name;
        c.msu = -1;
        for(size_t i = 0; i < row->nfields; i++)
          if(strcasestr(row->fields[i], "MSU")) {
            c.msu = (int)i;
            break;
          }
        c.when = find_col(row, "Date/Time of Highest");
        c.license = find_col(row, "License");
        in_table = c.msu >= 0;
        continue;
      }
      if(!in_table || row->nfields < 2)
        continue;
      int64_t msu;
      long mcol = colpos(f, c.msu);
      if(parse_msu(cell(row, c.msu), &msu)) {
        diag_add(d, path, line, mcol, NULL, "LPAR %s: '%s' is not a whole number of MSUs, expected digits, "
                 "0 or more", cell(row, c.name), cell(row, c.msu));
        bad = 1;
        continue;
      }
      if(strcasecmp(skip_ws(cell(row, c.name)), "CPC") == 0) {
        r->cpc_msu = msu;
        r->cpc_line = line;
        continue;
      }
      if(r->nlpars == lcap) {
        size_t ncap = lcap ? lcap * 2 : 8;
        scrt_lpar *nl = realloc(r->lpars, ncap * sizeof(*nl));
        if(!nl) {
          rc = LB_ENOMEM;
          goto out;
        }
        r->lpars = nl;
        lcap = ncap;
      }
      scrt_lpar *lp = &r->lpars[r->nlpars++];
      lp->name = dup_trim(cell(row, c.name));
      lp->when = dup_trim(cell(row, c.when));
      lp->msu = msu;
      lp->license_znalc = is_znalc_flag(row, c.license);
      lp->line = line;
      lp->col = mcol;
      if(!lp->name || !lp->when) {
        rc = LB_ENOMEM;
        goto out;
      }
    }
  }
  if(rc < 0)
    goto out;
  if(!r->serial) {
    diag_add(d, path, 0, 0, NULL, "no 'Machine Serial Number' row, expected the SCRT report header facts");
    bad = 1;
  }
  if(r->period_start == DATE_NONE && !r->period_line) {
    diag_add(d, path, 0, 0, NULL, "no 'Reporting Period' row, expected the SCRT report header facts");
    bad = 1;
  }
  if(!header_only && !r->e5_line) {
    diag_add(d, path, 0, 0, NULL, "no E5 PRODUCT SUMMARY INFORMATION section, expected the product table");
    bad = 1;
  }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  csvf_close(f);
  if(rc && !(rc == LB_EINPUT && header_only && r->serial && *r->serial)) {
    scrt_free(r);
    r = NULL;
  }
  *out = r;
  return rc;
}

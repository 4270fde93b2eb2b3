/* reprice.c - a sealed month priced again from its archive, compared amount by amount with what was issued. */
#include "batch/reprice.h"

#include <archive.h>
#include <archive_entry.h>
#include <csv.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/run.h"
#include "core/about.h"
#include "core/invoice.h"
#include "core/money.h"

/* ---- a CSV file as rows of fields ---- */
typedef struct table_rows {
  char ***rows;  /* rows[i][j], NUL-terminated fields; row 0 is the header */
  size_t *nf;
  size_t n, cap;
  char **cur;
  size_t ncur, curcap;
  int oom;
} table_rows;

static void cb_field(void *s, size_t len, void *data)
{
  table_rows *t = data;
  char *f = strndup(s ? s : "", s ? len : 0);
  if(!f || (t->ncur == t->curcap && !(t->cur = realloc(t->cur, (t->curcap = t->curcap ? 2 * t->curcap : 16) *
                                                      sizeof(char *))))) {
    free(f);
    t->oom = 1;
    return;
  }
  t->cur[t->ncur++] = f;
}

static void cb_row(int c, void *data)
{
  table_rows *t = data;
  (void)c;
  if(t->oom)
    return;
  if(t->n == t->cap) {
    size_t nc = t->cap ? 2 * t->cap : 64;
    char ***r = realloc(t->rows, nc * sizeof(*r));
    size_t *f = r ? realloc(t->nf, nc * sizeof(*f)) : NULL;
    if(r)
      t->rows = r;
    if(!f) {
      t->oom = 1;
      return;
    }
    t->nf = f;
    t->cap = nc;
  }
  t->rows[t->n] = t->cur;
  t->nf[t->n++] = t->ncur;
  t->cur = NULL;
  t->ncur = t->curcap = 0;
}

static void rows_free(table_rows *t)
{
  for(size_t i = 0; i < t->n; i++) {
    for(size_t j = 0; j < t->nf[i]; j++)
      free(t->rows[i][j]);
    free(t->rows[i]);
  }
  for(size_t j = 0; j < t->ncur; j++)
    free(t->cur[j]);
  free(t->cur);
  free(t->rows);
  free(t->nf);
  memset(t, 0, sizeof(*t));
}

static int rows_read(table_rows *t, const char *path, FILE *out)
{
  struct csv_parser p;
  char buf[65536];
  size_t n;
  FILE *fp = fopen(path, "rb");
  memset(t, 0, sizeof(*t));
  if(!fp) {
    fprintf(out, "%s: cannot read: %s; expected it in the archive\n", path, strerror(errno));
    return -1;
  }
  csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
  while((n = fread(buf, 1, sizeof(buf), fp)) > 0)
    if(csv_parse(&p, buf, n, cb_field, cb_row, t) != n)
      break;
  int bad = ferror(fp) || csv_error(&p) != CSV_SUCCESS;
  csv_fini(&p, cb_field, cb_row, t);
  csv_free(&p);
  fclose(fp);
  if(bad || t->oom || !t->n) {
    fprintf(out, "%s: not a readable CSV file (%s)\n", path, t->oom ? "out of memory" : "broken or empty");
    rows_free(t);
    return -1;
  }
  return 0;
}

/* column index of name in the header, or -1 */
static int col(const table_rows *t, const char *name)
{
  for(size_t j = 0; j < t->nf[0]; j++)
    if(!strcmp(t->rows[0][j], name))
      return (int)j;
  return -1;
}

static const char *cell(const table_rows *t, size_t i, int c)
{
  return c >= 0 && (size_t)c < t->nf[i] ? t->rows[i][c] : "";
}

/* ---- the comparison ---- */
typedef struct rp {
  FILE *out;
  const char *month;     /* "YYYY-MM" */
  table_rows inv, chg;
  int ci_num, ci_cust, ci_month, ci_kind, ci_corr, ci_sub, ci_disc, ci_tax, ci_total;
  int cc_num, cc_line, cc_amount;
  char *seen;            /* invoices.csv rows matched by a priced invoice */
  long differences;
} rp;

static void fmt(char buf[32], money m)
{
  money_format(buf, m, m % MONEY_CENT ? 4 : 2);
}

/* the row of the live invoice of customer for the month: an invoice that no credit note of the archive cancels */
static long live_row(const rp *r, const char *customer)
{
  for(size_t i = 1; i < r->inv.n; i++) {
    const char *num = cell(&r->inv, i, r->ci_num);
    if(strcmp(cell(&r->inv, i, r->ci_cust), customer) || strcmp(cell(&r->inv, i, r->ci_month), r->month) ||
       strcmp(cell(&r->inv, i, r->ci_kind), "invoice"))
      continue;
    int cancelled = 0;
    for(size_t k = 1; k < r->inv.n && !cancelled; k++)
      cancelled = !strcmp(cell(&r->inv, k, r->ci_corr), num);
    if(!cancelled)
      return (long)i;
  }
  return -1;
}

static void differ(rp *r, const char *num, const char *what, const char *old, const char *now)
{
  if(strcmp(old, now)) {
    fprintf(r->out, "%s%s %s -> %s\n", num, what, old, now);
    r->differences++;
  }
}

static int on_priced(void *ctx, const invoice *inv)
{
  rp *r = ctx;
  char a[32], what[64];
  long i = live_row(r, inv->customer_id);
  if(i < 0) {
    fmt(a, inv->total);
    fprintf(r->out, "customer %s: priced now (total %s %s), but the archive has no invoice of %s for it\n",
            inv->customer_id, a, inv->currency, r->month);
    r->differences++;
    return 0;
  }
  r->seen[i] = 1;
  const char *num = cell(&r->inv, (size_t)i, r->ci_num);
  money disc = inv->discount;
  if(inv->prompt_pay_pct && money_add(&disc, disc, inv->prompt_pay_discount))
    return -1;
  /* the lines, as charges.csv lists them */
  size_t nold = 0;
  for(size_t k = 1; k < r->chg.n; k++) {
    if(strcmp(cell(&r->chg, k, r->cc_num), num))
      continue;
    nold++;
    long ln = atol(cell(&r->chg, k, r->cc_line));
    const charge_line *l = NULL;
    for(size_t j = 0; j < inv->nlines && !l; j++)
      if(inv->lines[j].line == ln)
        l = &inv->lines[j];
    snprintf(what, sizeof(what), " line %ld: amount", ln);
    if(l)
      fmt(a, l->amount);
    differ(r, num, what, cell(&r->chg, k, r->cc_amount), l ? a : "(no such line now)");
  }
  for(size_t j = 0; j < inv->nlines; j++)
    if((size_t)inv->lines[j].line > nold) {
      snprintf(what, sizeof(what), " line %d: amount", inv->lines[j].line);
      fmt(a, inv->lines[j].amount);
      differ(r, num, what, "(no such line then)", a);
    }
  fmt(a, inv->subtotal);
  differ(r, num, ": subtotal", cell(&r->inv, (size_t)i, r->ci_sub), a);
  fmt(a, disc);
  differ(r, num, ": discount", cell(&r->inv, (size_t)i, r->ci_disc), a);
  fmt(a, inv->tax);
  differ(r, num, ": tax", cell(&r->inv, (size_t)i, r->ci_tax), a);
  fmt(a, inv->total);
  differ(r, num, ": total", cell(&r->inv, (size_t)i, r->ci_total), a);
  return 0;
}

/* ---- extraction ---- */
static int extract(const char *archive_path, const char *dir, FILE *out)
{
  struct archive *a = archive_read_new(), *w = archive_write_disk_new();
  struct archive_entry *e;
  int rc = -1, r;
  if(!a || !w)
    goto out;
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  /* names are checked below to be relative (they get the temporary folder in front) */
  archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  if(archive_read_open_filename(a, archive_path, 65536) != ARCHIVE_OK) {
    fprintf(out, "%s: cannot read: %s\n", archive_path, archive_error_string(a));
    goto out;
  }
  while((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    char *p = NULL;
    const char *name = archive_entry_pathname(e);
    if(!name || name[0] == '/') {
      fprintf(out, "%s: member %s is not a relative name, expected a licbill archive\n", archive_path,
              name ? name : "(none)");
      goto out;
    }
    if(asprintf(&p, "%s/%s", dir, name) < 0)
      goto out;
    archive_entry_set_pathname(e, p);
    free(p);
    if(archive_write_header(w, e) != ARCHIVE_OK)
      goto bad;
    const void *buf;
    size_t sz;
    la_int64_t off;
    while((r = archive_read_data_block(a, &buf, &sz, &off)) == ARCHIVE_OK)
      if(archive_write_data_block(w, buf, sz, off) != ARCHIVE_OK)
        goto bad;
    if(r != ARCHIVE_EOF || archive_write_finish_entry(w) != ARCHIVE_OK)
      goto bad;
  }
  if(r != ARCHIVE_EOF)
    goto bad;
  rc = 0;
  goto out;
bad:
  fprintf(out, "%s: cannot extract: %s\n", archive_path,
          archive_error_string(w) ? archive_error_string(w) : archive_error_string(a) ? archive_error_string(a) : "?");
out:
  if(a)
    archive_read_free(a);
  if(w)
    archive_write_free(w);
  return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* the value after "key " on the line starting with it in text, up to a space or the line's end */
static void about_field(const char *text, const char *key, char *buf, size_t n)
{
  size_t kl = strlen(key);
  buf[0] = '\0';
  for(const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
    if(!strncmp(l, key, kl) && l[kl] == ' ') {
      size_t m = strcspn(l + kl + 1, " \n");
      snprintf(buf, n, "%.*s", (int)(m < n ? m : n - 1), l + kl + 1);
      return;
    }
}

int reprice_archive(const char *archive_path, const char *ledger_path, FILE *out)
{
  char tmpl[] = "/tmp/licbill-reprice-XXXXXX", mon[8], *base = NULL, *p = NULL, about[4096], ver[64], rb[80];
  const char *slash = strrchr(archive_path, '/');
  rp r;
  int code = EXIT_IO;
  lb_month m;
  size_t ep;
  memset(&r, 0, sizeof(r));
  r.out = out;
  base = strdup(slash ? slash + 1 : archive_path);
  if(!base || strlen(base) != 14 || strcmp(base + 7, ".tar.gz") || month_parse(&m, base, 7, &ep)) {
    fprintf(stderr, "licbill: %s: expected an archive named YYYY-MM.tar.gz\n", archive_path);
    free(base);
    return EXIT_USAGE;
  }
  month_format(mon, m);
  r.month = mon;
  if(!mkdtemp(tmpl)) {
    fprintf(stderr, "licbill: cannot create a temporary folder: %s\n", strerror(errno));
    free(base);
    return EXIT_IO;
  }
  if(extract(archive_path, tmpl, out))
    goto out;
  /* what computed it */
  FILE *fp = (asprintf(&p, "%s/%s/ABOUT", tmpl, mon) < 0) ? NULL : fopen(p, "rb");
  if(!fp) {
    fprintf(out, "%s: no %s/ABOUT: sealed by a licbill before 0.2.0, which kept no inputs; nothing to re-price\n",
            archive_path, mon);
    goto out;
  }
  size_t an = fread(about, 1, sizeof(about) - 1, fp);
  fclose(fp);
  about[an] = '\0';
  about_field(about, "licbill", ver, sizeof(ver));
  about_field(about, "rulebook", rb, sizeof(rb));
  if(strcmp(ver, licbill_version) || strcmp(rb, rulebook_sha256))
    fprintf(out, "%s: sealed by licbill %s (rule book sha256 %s); re-priced by licbill %s (rule book sha256 %s)\n",
            archive_path, ver, rb, licbill_version, rulebook_sha256);
  free(p);
  p = NULL;
  if(asprintf(&p, "%s/%s/invoices.csv", tmpl, mon) < 0 || rows_read(&r.inv, p, out))
    goto out;
  free(p);
  p = NULL;
  if(asprintf(&p, "%s/%s/charges.csv", tmpl, mon) < 0 || rows_read(&r.chg, p, out))
    goto out;
  r.ci_num = col(&r.inv, "invoice_number"), r.ci_cust = col(&r.inv, "customer_id");
  r.ci_month = col(&r.inv, "month"), r.ci_kind = col(&r.inv, "kind"), r.ci_corr = col(&r.inv, "corrects");
  r.ci_sub = col(&r.inv, "subtotal"), r.ci_disc = col(&r.inv, "discount"), r.ci_tax = col(&r.inv, "tax");
  r.ci_total = col(&r.inv, "total");
  r.cc_num = col(&r.chg, "invoice_number"), r.cc_line = col(&r.chg, "line"), r.cc_amount = col(&r.chg, "amount");
  int ci_issue = col(&r.inv, "issue_date");
  if(r.ci_num < 0 || r.ci_cust < 0 || r.ci_month < 0 || r.ci_kind < 0 || r.ci_corr < 0 || r.ci_sub < 0 ||
     r.ci_disc < 0 || r.ci_tax < 0 || r.ci_total < 0 || ci_issue < 0 || r.cc_num < 0 || r.cc_line < 0 ||
     r.cc_amount < 0) {
    fprintf(out, "%s: invoices.csv or charges.csv lacks a column re-pricing compares\n", archive_path);
    goto out;
  }
  /* the archived issue date: the latest of the month's invoices (amounts do not depend on it) */
  lb_date issue = DATE_NONE;
  for(size_t i = 1; i < r.inv.n; i++) {
    lb_date dd;
    const char *s = cell(&r.inv, i, ci_issue);
    if(!strcmp(cell(&r.inv, i, r.ci_month), mon) && !date_parse(&dd, s, strlen(s), &ep) && (issue == DATE_NONE ||
                                                                                        dd > issue))
      issue = dd;
  }
  if(issue == DATE_NONE) {
    fprintf(out, "%s: invoices.csv lists no document of %s; nothing to re-price\n", archive_path, mon);
    code = 0;
    goto out;
  }
  if(!(r.seen = calloc(r.inv.n, 1)))
    goto out;
  if(!ledger_path)
    fprintf(out, "%s: no ledger given: priced without the state earlier months carried (right for a first month; "
            "give --output DIR with its ledger.db otherwise)\n", archive_path);
  char *in = NULL, *tp = NULL;
  if(asprintf(&in, "%s/%s/input", tmpl, mon) < 0 || asprintf(&tp, "%s/%s/template", tmpl, mon) < 0)
    goto out;
  run_opts o;
  memset(&o, 0, sizeof(o));
  o.input = in;
  o.template_dir = tp;
  o.month = m;
  o.check_only = 1;
  o.jobs = 1;
  o.number_year = -1;
  o.issue_date = issue;
  o.allow_open_month = 1;
  o.ledger_path = ledger_path;
  o.priced = on_priced;
  o.priced_ctx = &r;
  int rc = run_month(&o);
  free(in);
  free(tp);
  if(rc != EXIT_ALL_INVOICED && rc != EXIT_SOME_REJECTED) {
    fprintf(out, "%s: the archived inputs of %s could not be priced (exit %d)\n", archive_path, mon, rc);
    goto out;
  }
  /* invoices the archive holds that are not priced now (the customer is rejected) */
  for(size_t i = 1; i < r.inv.n; i++)
    if(!r.seen[i] && !strcmp(cell(&r.inv, i, r.ci_kind), "invoice") && !strcmp(cell(&r.inv, i, r.ci_month), mon) &&
       live_row(&r, cell(&r.inv, i, r.ci_cust)) == (long)i) {
      fprintf(out, "%s: total %s -> (customer %s not priced now)\n", cell(&r.inv, i, r.ci_num),
              cell(&r.inv, i, r.ci_total), cell(&r.inv, i, r.ci_cust));
      r.differences++;
    }
  if(r.differences)
    fprintf(out, "%s: %ld amount%s differ%s from what was issued\n", archive_path, r.differences,
            r.differences == 1 ? "" : "s", r.differences == 1 ? "s" : "");
  else
    fprintf(out, "%s: every amount of %s re-priced equal to what was issued\n", archive_path, mon);
  code = r.differences ? 1 : 0;
out:
  nftw(tmpl, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  rows_free(&r.inv);
  rows_free(&r.chg);
  free(r.seen);
  free(p);
  free(base);
  return code;
}

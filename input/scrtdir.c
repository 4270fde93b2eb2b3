/* scrtdir.c - indexes the scrt/ folder and received.csv for the period a month is billed from. */
#include "input/scrtdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/scrt.h"
#include "input/table.h"

enum { RC_SERIAL, RC_PERIOD_END, RC_RECEIVED, RC_EXTENSION, RC__N };
static const col_spec received_cols[RC__N] = {
  {"serial", 1}, {"period_end", 1}, {"received_on", 1}, {"extension", 1}};

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int cmp_entry(const void *a, const void *b)
{
  return strcmp(((const scrt_entry *)a)->serial, ((const scrt_entry *)b)->serial);
}
static int cmp_receipt(const void *a, const void *b)
{
  return strcmp(((const receipt *)a)->serial, ((const receipt *)b)->serial);
}
/* qsort is not stable: ties broken by file and line so that the
 * "second report/receipt" messages name the same one on every run */
static int cmp_entry_path(const void *a, const void *b)
{
  int r = cmp_entry(a, b);
  return r ? r : strcmp(((const scrt_entry *)a)->path, ((const scrt_entry *)b)->path);
}
static int cmp_receipt_line(const void *a, const void *b)
{
  int r = cmp_receipt(a, b);
  long x = ((const receipt *)a)->line, y = ((const receipt *)b)->line;
  return r ? r : (x > y) - (x < y);
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Tag the newest diagnostics (from index `from`) with the owner's id. */
static void attribute(diag_list *d, size_t from, const cust_index *ix, long owner)
{
  if(owner < 0)
    return;
  for(size_t i = from; i < d->n; i++)
    if(!d->v[i].customer_id)
      d->v[i].customer_id = strdup(ix->v[owner].id);
}

static int list_reports(char ***names, size_t *n, const char *scrtdir, diag_list *d)
{
  DIR *dp = opendir(scrtdir);
  struct dirent *de;
  size_t cap = 0;
  *names = NULL;
  *n = 0;
  if(!dp) {
    if(errno == ENOENT)
      return LB_OK;
    diag_add(d, scrtdir, 0, 0, NULL, "cannot read the folder: %s", strerror(errno));
    return LB_EIO;
  }
  while((de = readdir(dp))) {
    if(!ends_with(de->d_name, ".csv") || strcmp(de->d_name, "received.csv") == 0)
      continue;
    if(*n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      char **nn = realloc(*names, ncap * sizeof(*nn));
      if(!nn)
        goto nomem;
      *names = nn;
      cap = ncap;
    }
    if(asprintf(&(*names)[*n], "%s/%s", scrtdir, de->d_name) < 0)
      goto nomem;
    (*n)++;
  }
  closedir(dp);
  /* readdir order is not stable: sort for deterministic runs */
  if(*n)
    qsort(*names, *n, sizeof(char *), cmp_name);
  return LB_OK;
nomem:
  closedir(dp);
  return LB_ENOMEM;
}

static int load_reports(scrt_dir *sd, const char *scrtdir, lb_date period_end, const cust_index *ix,
                        diag_list *d)
{
  char **names;
  size_t n, cap = 0;
  int rc = list_reports(&names, &n, scrtdir, d);
  if(rc)
    return rc;
  for(size_t i = 0; i < n; i++) {
    scrt_report *r = NULL;
    size_t mark = d->n;
    int e = scrt_read(&r, names[i], 1, d);
    if(e == LB_ENOMEM || e == LB_EIO) {
      rc = e;
      goto out;
    }
    if(e) {
      /* reported; when the serial could be read, its owner is rejected rather
       * than billed as if no report had come (never an invoice from a guess) */
      if(r)
        attribute(d, mark, ix, cust_index_serial_owner(ix, r->serial));
      scrt_free(r);
      continue;
    }
    if(r->period_end != period_end) {
      scrt_free(r);
      continue; /* another month's report */
    }
    long owner = cust_index_serial_owner(ix, r->serial);
    if(owner < 0) {
      diag_add(d, names[i], r->serial_line, r->serial_col, NULL,
               "SCRT report for machine %s, which no customer owns (not in machines.csv), expected a "
               "report for a known machine", r->serial);
      scrt_free(r);
      continue;
    }
    attribute(d, mark, ix, owner);
    if(sd->nreports == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      scrt_entry *ne = realloc(sd->reports, ncap * sizeof(*ne));
      if(!ne) {
        scrt_free(r);
        rc = LB_ENOMEM;
        goto out;
      }
      sd->reports = ne;
      cap = ncap;
    }
    scrt_entry *en = &sd->reports[sd->nreports++];
    en->serial = r->serial;
    r->serial = NULL;
    en->path = names[i];
    names[i] = NULL;
    en->owner = owner;
    en->bad = 0;
    scrt_free(r);
  }
  if(sd->nreports)
    qsort(sd->reports, sd->nreports, sizeof(scrt_entry), cmp_entry_path);
  for(size_t i = 1; i < sd->nreports; i++)
    if(strcmp(sd->reports[i].serial, sd->reports[i - 1].serial) == 0) {
      scrt_entry *a = &sd->reports[i - 1], *b = &sd->reports[i];
      a->bad = b->bad = 1;
      diag_add(d, b->path, 0, 0, ix->v[b->owner].id,
               "a second SCRT report for machine %s and the same reporting period (also %s), expected one "
               "report per machine and period", b->serial, a->path);
    }
out:
  for(size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

static int load_receipts(scrt_dir *sd, lb_date period_end, const cust_index *ix, diag_list *d)
{
  table t;
  size_t cap = 0;
  struct stat st;
  int rc;
  if(stat(sd->received_path, &st) < 0)
    return errno == ENOENT ? LB_OK : LB_EIO;
  rc = table_open(&t, sd->received_path, received_cols, RC__N, NULL, NULL, d);
  if(rc)
    return rc;
  while((rc = table_next(&t)) > 0) {
    const char *serial = tbl_str(&t, RC_SERIAL);
    long owner = cust_index_serial_owner(ix, serial);
    lb_date pend, recv;
    int ext = 0;
    t.customer = owner >= 0 ? ix->v[owner].id : NULL;
    if(t.row_bad) {
      if(owner >= 0 && d->n && !d->v[d->n - 1].customer_id)
        d->v[d->n - 1].customer_id = strdup(ix->v[owner].id);
      continue;
    }
    tbl_date(&t, RC_PERIOD_END, 1, &pend);
    tbl_date(&t, RC_RECEIVED, 1, &recv);
    tbl_flag(&t, RC_EXTENSION, 1, &ext);
    if(tbl_failed(&t))
      continue;
    if(pend != period_end)
      continue;
    if(owner < 0) {
      tbl_error(&t, RC_SERIAL, "receipt for machine %s, which no customer owns, expected a known machine",
                serial);
      continue;
    }
    if(sd->nreceipts == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      receipt *nr = realloc(sd->receipts, ncap * sizeof(*nr));
      if(!nr) {
        rc = LB_ENOMEM;
        break;
      }
      sd->receipts = nr;
      cap = ncap;
    }
    receipt *r = &sd->receipts[sd->nreceipts];
    r->serial = strdup(serial);
    if(!r->serial) {
      rc = LB_ENOMEM;
      break;
    }
    r->received_on = recv;
    r->extension = ext;
    r->line = t.row->line;
    sd->nreceipts++;
  }
  table_close(&t);
  if(rc < 0)
    return rc;
  if(sd->nreceipts)
    qsort(sd->receipts, sd->nreceipts, sizeof(receipt), cmp_receipt_line);
  for(size_t i = 1; i < sd->nreceipts; i++)
    if(strcmp(sd->receipts[i].serial, sd->receipts[i - 1].serial) == 0) {
      long owner = cust_index_serial_owner(ix, sd->receipts[i].serial);
      diag_add(d, sd->received_path, sd->receipts[i].line, 1, ix->v[owner].id,
               "a second receipt for machine %s and the same period (also line %ld), expected one",
               sd->receipts[i].serial, sd->receipts[i - 1].line);
    }
  return LB_OK;
}

int scrt_dir_load(scrt_dir *sd, const char *dir, lb_date period_end, const cust_index *ix, diag_list *d)
{
  char *scrtdir = NULL;
  int rc = LB_ENOMEM;
  memset(sd, 0, sizeof(*sd));
  if(asprintf(&scrtdir, "%s/scrt", dir) < 0)
    return LB_ENOMEM;
  if(asprintf(&sd->received_path, "%s/received.csv", scrtdir) < 0) {
    sd->received_path = NULL;
    goto out;
  }
  rc = load_reports(sd, scrtdir, period_end, ix, d);
  if(rc)
    goto out;
  rc = load_receipts(sd, period_end, ix, d);
out:
  free(scrtdir);
  return rc;
}

void scrt_dir_clear(scrt_dir *sd)
{
  for(size_t i = 0; i < sd->nreports; i++) {
    free(sd->reports[i].serial);
    free(sd->reports[i].path);
  }
  for(size_t i = 0; i < sd->nreceipts; i++)
    free(sd->receipts[i].serial);
  free(sd->reports);
  free(sd->receipts);
  free(sd->received_path);
  memset(sd, 0, sizeof(*sd));
}

const scrt_entry *scrt_dir_report(const scrt_dir *sd, const char *serial)
{
  scrt_entry key = {.serial = (char *)serial};
  if(!sd->nreports)
    return NULL;
  return bsearch(&key, sd->reports, sd->nreports, sizeof(scrt_entry), cmp_entry);
}

const receipt *scrt_dir_receipt(const scrt_dir *sd, const char *serial)
{
  receipt key = {.serial = (char *)serial};
  if(!sd->nreceipts)
    return NULL;
  return bsearch(&key, sd->receipts, sd->nreceipts, sizeof(receipt), cmp_receipt);
}

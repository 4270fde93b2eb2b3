/* scrtdir.c - indexes the scrt/ folder and received.csv for the period a month is billed from. */
#include "input/scrtdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "input/scrt.h"
#include "input/table.h"

enum { RC_SERIAL, RC_PERIOD_END, RC_RECEIVED, RC_EXTENSION, RC__N };
static const col_spec received_cols[RC__N] = {
  {"serial", 1, 0}, {"period_end", 1, 0}, {"received_on", 1, 0}, {"extension", 1, 0}};

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

static int ends_with_nocase(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
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

/* A multiplex report has one error per listed machine, at its serial's
 * cell: each goes to the owner of that machine. */
static void attribute_multiplex(diag_list *d, size_t from, const cust_index *ix, const scrt_report *r)
{
  for(size_t i = from; i < d->n; i++)
    for(size_t k = 0; k < r->nmachines && !d->v[i].customer_id; k++)
      if(d->v[i].line == r->machines[k].line && d->v[i].col == r->machines[k].col) {
        long owner = cust_index_serial_owner(ix, r->machines[k].serial);
        if(owner >= 0)
          d->v[i].customer_id = strdup(ix->v[owner].id);
      }
}

#define NAME_SERIAL_MIN 4
#define NAME_SERIAL_MAX 32

static int serial_char(char c) { return isalnum((unsigned char)c) || c == '-'; }

/* The owner of the machine whose serial the file name spells as a word
 * ("82-C5DC8-2026-10-01.csv", "scrt_0a-9d001.txt"); -1 when the name names
 * no known machine, or machines of two customers. */
static long owner_by_name(const cust_index *ix, const char *name, char serial[NAME_SERIAL_MAX + 1])
{
  size_t n = strlen(name);
  long found = -1;
  for(size_t i = 0; i < n; i++) {
    if(i && isalnum((unsigned char)name[i - 1]))
      continue;
    for(size_t len = NAME_SERIAL_MIN; len <= NAME_SERIAL_MAX && i + len <= n; len++) {
      if(!serial_char(name[i + len - 1]))
        break;
      if(i + len < n && isalnum((unsigned char)name[i + len]))
        continue;
      char w[NAME_SERIAL_MAX + 1];
      memcpy(w, name + i, len);
      w[len] = '\0';
      long o = cust_index_serial_owner(ix, w);
      if(o < 0) {
        for(size_t k = 0; k < len; k++)
          w[k] = (char)toupper((unsigned char)w[k]);
        o = cust_index_serial_owner(ix, w);
      }
      if(o < 0)
        continue;
      if(found >= 0 && o != found)
        return -1;
      found = o;
      memcpy(serial, w, len + 1);
    }
  }
  return found;
}

/* What an entry of scrt/ is. Names starting with '.' are not listed (as ls does). */
typedef enum { ENT_REPORT, ENT_RECEIPTS, ENT_OTHER, ENT_FOLDER } entry_kind;

typedef struct entry {
  char *path;
  const char *name; /* inside path */
  entry_kind kind;
} entry;

static int cmp_entry_name(const void *a, const void *b)
{
  return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

static void entries_free(entry *v, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(v[i].path);
  free(v);
}

/* Every entry of scrt/, sorted by name (readdir's order is not stable). */
static int list_entries(entry **out, size_t *n, const char *scrtdir, diag_list *d)
{
  DIR *dp = opendir(scrtdir);
  struct dirent *de;
  entry *v = NULL;
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  if(!dp) {
    if(errno == ENOENT || errno == ENOTDIR) {
      diag_add(d, scrtdir, 0, 0, NULL, "no such folder, expected scrt/ with the month's SCRT reports and "
               "received.csv (without it every sub-capacity machine would be billed at full capacity)");
      return LB_EINPUT;
    }
    diag_add(d, scrtdir, 0, 0, NULL, "cannot read the folder: %s", strerror(errno));
    return LB_EIO;
  }
  while((de = readdir(dp))) {
    struct stat st;
    if(de->d_name[0] == '.')
      continue;
    if(*n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      entry *nv = realloc(v, ncap * sizeof(*nv));
      if(!nv)
        goto nomem;
      v = nv;
      cap = ncap;
    }
    entry *e = &v[*n];
    if(asprintf(&e->path, "%s/%s", scrtdir, de->d_name) < 0)
      goto nomem;
    e->name = e->path + strlen(scrtdir) + 1;
    (*n)++;
    if(stat(e->path, &st) == 0 && S_ISDIR(st.st_mode))
      e->kind = ENT_FOLDER;
    else if(strcasecmp(e->name, "received.csv") == 0)
      e->kind = ENT_RECEIPTS;
    else if(ends_with_nocase(e->name, ".csv") || ends_with_nocase(e->name, ".txt"))
      e->kind = ENT_REPORT;
    else
      e->kind = ENT_OTHER;
  }
  closedir(dp);
  if(*n)
    qsort(v, *n, sizeof(entry), cmp_entry_name);
  *out = v;
  return LB_OK;
nomem:
  closedir(dp);
  entries_free(v, *n);
  *n = 0;
  return LB_ENOMEM;
}

/* Serials whose report was found unreadable or unread (their receipts need no second error). */
typedef struct serial_list {
  char **v;
  size_t n, cap;
} serial_list;

static int serial_list_add(serial_list *l, const char *serial)
{
  if(l->n == l->cap) {
    size_t ncap = l->cap ? l->cap * 2 : 8;
    char **nv = realloc(l->v, ncap * sizeof(*nv));
    if(!nv)
      return LB_ENOMEM;
    l->v = nv;
    l->cap = ncap;
  }
  if(!(l->v[l->n] = strdup(serial)))
    return LB_ENOMEM;
  l->n++;
  return LB_OK;
}

static int serial_list_has(const serial_list *l, const char *serial)
{
  for(size_t i = 0; i < l->n; i++)
    if(!strcmp(l->v[i], serial))
      return 1;
  return 0;
}

static void serial_list_free(serial_list *l)
{
  for(size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
}

/* A file or folder of scrt/ that is not read: reported, and when its name
 * names a known machine, its owner is rejected (its report may be in it). */
static int report_unread(const entry *e, const cust_index *ix, serial_list *unreadable, diag_list *d)
{
  char serial[NAME_SERIAL_MAX + 1];
  long owner = owner_by_name(ix, e->name, serial);
  char who[NAME_SERIAL_MAX + 200];
  if(owner >= 0)
    snprintf(who, sizeof(who), "; its name names machine %s, so customer %s is not billed this month", serial,
             ix->v[owner].id);
  else
    who[0] = '\0';
  if(e->kind == ENT_FOLDER)
    diag_add(d, e->path, 0, 0, owner >= 0 ? ix->v[owner].id : NULL,
             "a folder inside scrt/, which licbill does not read%s, expected the reports directly in scrt/", who);
  else
    diag_add(d, e->path, 0, 0, owner >= 0 ? ix->v[owner].id : NULL,
             "a file licbill does not read (not .csv or .txt)%s, expected SCRT reports saved as CSV (.csv or "
             ".txt, any case) and received.csv", who);
  return owner >= 0 ? serial_list_add(unreadable, serial) : LB_OK;
}

/* An unreadable report: whose it is, from its content or else its name. */
static int attribute_unreadable(const entry *e, const scrt_report *r, diag_list *d, size_t mark,
                                const cust_index *ix, serial_list *unreadable)
{
  char serial[NAME_SERIAL_MAX + 1];
  const char *which = NULL;
  long owner = -1;
  if(r && r->multiplex) {
    attribute_multiplex(d, mark, ix, r);
    for(size_t i = 0; i < r->nmachines; i++)
      if(serial_list_add(unreadable, r->machines[i].serial))
        return LB_ENOMEM;
    return LB_OK;
  }
  if(r && r->serial && *r->serial && (owner = cust_index_serial_owner(ix, r->serial)) >= 0)
    which = r->serial;
  if(owner < 0 && (owner = owner_by_name(ix, e->name, serial)) >= 0)
    which = serial;
  attribute(d, mark, ix, owner);
  return which ? serial_list_add(unreadable, which) : LB_OK;
}

static int load_reports(scrt_dir *sd, const entry *ents, size_t nents, lb_date period_end, const cust_index *ix,
                        serial_list *unreadable, diag_list *d)
{
  size_t cap = 0;
  for(size_t i = 0; i < nents; i++) {
    const entry *en = &ents[i];
    scrt_report *r = NULL;
    size_t mark = d->n;
    if(en->kind == ENT_RECEIPTS)
      continue;
    if(en->kind != ENT_REPORT) {
      if(report_unread(en, ix, unreadable, d))
        return LB_ENOMEM;
      continue;
    }
    int e = scrt_read(&r, en->path, 1, d);
    if(e == LB_ENOMEM || e == LB_EIO) {
      scrt_free(r);
      return e;
    }
    if(e) {
      if(r && !r->multiplex && r->period_end != DATE_NONE && r->period_end != period_end) {
        diag_truncate(d, mark); /* another month's report: not this month's business */
        scrt_free(r);
        continue;
      }
      /* reported; its owner is rejected rather than billed as if no report
       * had come (never an invoice from a guess) */
      int ae = attribute_unreadable(en, r, d, mark, ix, unreadable);
      scrt_free(r);
      if(ae)
        return ae;
      continue;
    }
    if(r->period_end != period_end) {
      scrt_free(r);
      continue; /* another month's report */
    }
    long owner = cust_index_serial_owner(ix, r->serial);
    if(owner < 0) {
      diag_add(d, en->path, r->serial_line, r->serial_col, NULL,
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
        return LB_ENOMEM;
      }
      sd->reports = ne;
      cap = ncap;
    }
    scrt_entry *se = &sd->reports[sd->nreports];
    se->serial = r->serial;
    r->serial = NULL;
    se->path = strdup(en->path);
    se->owner = owner;
    se->line = r->serial_line;
    se->col = r->serial_col;
    se->bad = 0;
    scrt_free(r);
    if(!se->path) {
      free(se->serial);
      return LB_ENOMEM;
    }
    sd->nreports++;
  }
  if(sd->nreports)
    qsort(sd->reports, sd->nreports, sizeof(scrt_entry), cmp_entry_path);
  for(size_t i = 1; i < sd->nreports; i++)
    if(strcmp(sd->reports[i].serial, sd->reports[i - 1].serial) == 0) {
      scrt_entry *a = &sd->reports[i - 1], *b = &sd->reports[i];
      a->bad = b->bad = 1;
      diag_add(d, b->path, b->line, b->col, ix->v[b->owner].id,
               "a second SCRT report for machine %s and the same reporting period (also %s), expected one "
               "report per machine and period", b->serial, a->path);
    }
  return LB_OK;
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
    if(recv <= pend) {
      /* the tool can only report a period after it ended (R-T2: due from the 2nd) */
      char a[11], b[11];
      tbl_error(&t, RC_RECEIVED, "received_on %s is not after the reporting period ended (%s), expected a date "
                "from the day after it", date_format(a, recv), date_format(b, pend));
      continue;
    }
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

/* R-T2: a receipt says the report came; without a readable report the
 * machine is not billed as if none had come (full capacity): its owner is
 * rejected. */
static void receipts_without_report(const scrt_dir *sd, lb_date period_end, const cust_index *ix,
                                    const serial_list *unreadable, diag_list *d)
{
  char due[11];
  for(size_t i = 0; i < sd->nreceipts; i++) {
    const receipt *r = &sd->receipts[i];
    if(scrt_dir_report(sd, r->serial) || serial_list_has(unreadable, r->serial))
      continue; /* a report, or an unreadable one already reported to the owner */
    long owner = cust_index_serial_owner(ix, r->serial);
    diag_add(d, sd->received_path, r->line, 1, owner >= 0 ? ix->v[owner].id : NULL,
             "receipt of the SCRT report for machine %s and the period ending %s, but scrt/ holds no readable "
             "report of that machine and period, expected the report the receipt records (the machine is not "
             "billed at full capacity on a guess)", r->serial, date_format(due, period_end));
  }
}

int scrt_dir_load(scrt_dir *sd, const char *dir, lb_date period_end, const cust_index *ix, diag_list *d)
{
  char *scrtdir = NULL;
  entry *ents = NULL;
  size_t nents = 0;
  serial_list unreadable = {0};
  int rc = LB_ENOMEM;
  memset(sd, 0, sizeof(*sd));
  if(asprintf(&scrtdir, "%s/scrt", dir) < 0)
    return LB_ENOMEM;
  rc = list_entries(&ents, &nents, scrtdir, d);
  if(rc)
    goto out;
  /* received.csv in any case; two spellings leave no way to know which holds the receipts */
  for(size_t i = 0; i < nents; i++)
    if(ents[i].kind == ENT_RECEIPTS) {
      if(sd->received_path) {
        rc = diag_add(d, ents[i].path, 0, 0, NULL, "a second receipts file (also %s), expected one "
                      "received.csv", sd->received_path);
        goto out;
      }
      if(!(sd->received_path = strdup(ents[i].path))) {
        rc = LB_ENOMEM;
        goto out;
      }
    }
  if(!sd->received_path && asprintf(&sd->received_path, "%s/received.csv", scrtdir) < 0) {
    sd->received_path = NULL;
    rc = LB_ENOMEM;
    goto out;
  }
  rc = load_reports(sd, ents, nents, period_end, ix, &unreadable, d);
  if(rc)
    goto out;
  rc = load_receipts(sd, period_end, ix, d);
  if(!rc)
    receipts_without_report(sd, period_end, ix, &unreadable, d);
out:
  serial_list_free(&unreadable);
  entries_free(ents, nents);
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

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

#include "core/xsort.h"
#include "input/scrt.h"
#include "input/table.h"

enum { RC_SERIAL, RC_PERIOD_END, RC_RECEIVED, RC_EXTENSION, RC__N };
static const col_spec received_cols[RC__N] = {
  {"serial", 1, 0}, {"period_end", 1, 0}, {"received_on", 1, 0}, {"extension", 1, 0}};

/* Records of the sorts below: a report is "SERIAL\0PATH\0" and its facts, a receipt "SERIAL\0" and its facts. */
typedef struct report_facts {
  int64_t owner, line, col;
} report_facts;
typedef struct receipt_facts {
  int64_t line;
  int32_t received_on, extension;
} receipt_facts;

/* One record of the join below: "OWNER SERIAL\0 KIND" and the facts of a report (then its path) or a receipt. */
enum { JOIN_REPORT, JOIN_RECEIPT };
typedef struct join_report {
  int64_t line, col;
  int32_t bad;
} join_report;

/* A machine of a customer in sd->machines, followed by its serial and its report's path, each with a NUL. */
typedef struct mach_rec {
  uint32_t len;             /* of the record with its strings */
  uint32_t serial_len, path_len;
  int32_t has_report, has_receipt, bad;
  int64_t line, col;        /* the report's serial cell */
  int64_t rline;            /* the receipt's line */
  int32_t received_on, extension;
} mach_rec;

/* Join records by owner, serial, then reports before receipts. */
static int cmp_join(const void *a, size_t an, const void *b, size_t bn)
{
  (void)an;
  (void)bn;
  uint32_t x, y;
  memcpy(&x, a, sizeof(x));
  memcpy(&y, b, sizeof(y));
  if(x != y)
    return x < y ? -1 : 1;
  const char *p = (const char *)a + sizeof(x), *q = (const char *)b + sizeof(y);
  int r = strcmp(p, q);
  if(r)
    return r;
  return (unsigned char)p[strlen(p) + 1] - (unsigned char)q[strlen(q) + 1];
}

/* Add a join record: owner, serial, kind, then n bytes of facts and an optional string. */
static int join_add(xsort *join, long owner, const char *serial, int kind, const void *facts, size_t n,
                    const char *str)
{
  uint32_t o = (uint32_t)owner;
  size_t ls = strlen(serial) + 1, lstr = str ? strlen(str) + 1 : 0, len = sizeof(o) + ls + 1 + n + lstr;
  unsigned char *rec = malloc(len), *p = rec;
  int rc;
  if(!rec)
    return LB_ENOMEM;
  memcpy(p, &o, sizeof(o));
  p += sizeof(o);
  memcpy(p, serial, ls);
  p += ls;
  *p++ = (unsigned char)kind;
  memcpy(p, facts, n);
  p += n;
  if(str)
    memcpy(p, str, lstr);
  rc = xsort_add(join, rec, len);
  free(rec);
  return rc;
}

/* Reports by serial, ties by path (so that the "second report" messages name the same one on every run). */
static int cmp_report(const void *a, size_t an, const void *b, size_t bn)
{
  (void)an;
  (void)bn;
  const char *x = a, *y = b;
  int r = strcmp(x, y);
  return r ? r : strcmp(x + strlen(x) + 1, y + strlen(y) + 1);
}

/* Receipts by serial, ties by line. */
static int cmp_receipt(const void *a, size_t an, const void *b, size_t bn)
{
  const char *x = a, *y = b;
  int r = strcmp(x, y);
  if(r)
    return r;
  receipt_facts p, q;
  memcpy(&p, (const char *)a + an - sizeof(p), sizeof(p));
  memcpy(&q, (const char *)b + bn - sizeof(q), sizeof(q));
  return (p.line > q.line) - (p.line < q.line);
}

static int ends_with_nocase(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Tag the newest diagnostics (from index `from`) with the owner's id. LB_OK, LB_ENOMEM or LB_EIO. */
static int attribute(diag_list *d, size_t from, const cust_index *ix, long owner)
{
  char *id = NULL;
  int rc = LB_OK;
  if(owner < 0)
    return LB_OK;
  for(size_t i = from; i < d->n && !rc; i++)
    if(!d->v[i].customer_id && (id || !(rc = cust_index_id(ix, (size_t)owner, &id))))
      d->v[i].customer_id = strdup(id);
  free(id);
  return rc;
}

/* A multiplex report has one error per listed machine, at its serial's
 * cell: each goes to the owner of that machine. */
static int attribute_multiplex(diag_list *d, size_t from, const cust_index *ix, const scrt_report *r)
{
  for(size_t i = from; i < d->n; i++)
    for(size_t k = 0; k < r->nmachines && !d->v[i].customer_id; k++)
      if(d->v[i].line == r->machines[k].line && d->v[i].col == r->machines[k].col) {
        long owner = cust_index_serial_owner(ix, r->machines[k].serial);
        if(owner == LB_EIO)
          return LB_EIO;
        if(owner >= 0 && cust_index_id(ix, (size_t)owner, &d->v[i].customer_id) == LB_EIO)
          return LB_EIO;
      }
  return LB_OK;
}

#define NAME_SERIAL_MIN 4
#define NAME_SERIAL_MAX 32

static int serial_char(char c) { return isalnum((unsigned char)c) || c == '-'; }

/* The owner of the machine whose serial the file name spells as a word
 * ("82-C5DC8-2026-10-01.csv", "scrt_0a-9d001.txt"); -1 when the name names
 * no known machine, or machines of two customers; LB_EIO. */
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
      if(o == -1) {
        for(size_t k = 0; k < len; k++)
          w[k] = (char)toupper((unsigned char)w[k]);
        o = cust_index_serial_owner(ix, w);
      }
      if(o == LB_EIO)
        return o;
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
  const char *path;
  const char *name; /* inside path */
  entry_kind kind;
} entry;

/* A sorted entry's record: its kind, then its path. */
static int cmp_entry_name(const void *a, size_t an, const void *b, size_t bn)
{
  size_t n = an < bn ? an : bn;
  int r = memcmp((const char *)a + 1, (const char *)b + 1, n - 1);
  return r ? r : (an > bn) - (an < bn);
}

/* Every entry of scrt/, sorted by name (readdir's order is not stable) into *out. */
static int list_entries(xsort **out, const char *scrtdir, diag_list *d)
{
  DIR *dp = opendir(scrtdir);
  struct dirent *de;
  char *path = NULL;
  int rc;
  *out = NULL;
  if(!dp) {
    if(errno == ENOENT || errno == ENOTDIR) {
      diag_add(d, scrtdir, 0, 0, NULL, "no such folder, expected scrt/ with the month's SCRT reports and "
               "received.csv (without it every sub-capacity machine would be billed at full capacity)");
      return LB_EINPUT;
    }
    diag_add(d, scrtdir, 0, 0, NULL, "cannot read the folder: %s", strerror(errno));
    return LB_EIO;
  }
  if((rc = xsort_new(out, cmp_entry_name, 0)))
    goto out;
  while((de = readdir(dp))) {
    struct stat st;
    if(de->d_name[0] == '.')
      continue;
    /* the record: the kind, then the path */
    if(asprintf(&path, "?%s/%s", scrtdir, de->d_name) < 0) {
      path = NULL;
      rc = LB_ENOMEM;
      goto out;
    }
    const char *name = path + 1 + strlen(scrtdir) + 1;
    entry_kind kind;
    if(stat(path + 1, &st) == 0 && S_ISDIR(st.st_mode))
      kind = ENT_FOLDER;
    else if(strcasecmp(name, "received.csv") == 0)
      kind = ENT_RECEIPTS;
    else if(ends_with_nocase(name, ".csv") || ends_with_nocase(name, ".txt"))
      kind = ENT_REPORT;
    else
      kind = ENT_OTHER;
    path[0] = (char)('0' + kind);
    if((rc = xsort_add(*out, path, strlen(path))))
      goto out;
    free(path);
    path = NULL;
  }
out:
  closedir(dp);
  free(path);
  if(rc) {
    xsort_free(*out);
    *out = NULL;
  }
  return rc;
}

/* The next entry of the sorted listing, copied into *buf (grown as needed): 1, 0 at the end, or a code. */
static int next_entry(xsort *x, const char *scrtdir, char **buf, size_t *cap, entry *e)
{
  const void *rec;
  size_t n;
  int rc = xsort_next(x, &rec, &n);
  if(rc != 1)
    return rc;
  if(n > *cap) {
    char *nb = realloc(*buf, n);
    if(!nb)
      return LB_ENOMEM;
    *buf = nb;
    *cap = n;
  }
  memcpy(*buf, (const char *)rec + 1, n - 1);
  (*buf)[n - 1] = '\0';
  e->kind = (entry_kind)(((const char *)rec)[0] - '0');
  e->path = *buf;
  e->name = *buf + strlen(scrtdir) + 1;
  return 1;
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
  char who[NAME_SERIAL_MAX + 200], *id = NULL;
  int rc;
  if(owner == LB_EIO)
    return LB_EIO;
  if(owner >= 0 && (rc = cust_index_id(ix, (size_t)owner, &id)))
    return rc;
  if(owner >= 0)
    snprintf(who, sizeof(who), "; its name names machine %s, so customer %s is not billed this month", serial, id);
  else
    who[0] = '\0';
  if(e->kind == ENT_FOLDER)
    diag_add(d, e->path, 0, 0, id,
             "a folder inside scrt/, which licbill does not read%s, expected the reports directly in scrt/", who);
  else
    diag_add(d, e->path, 0, 0, id,
             "a file licbill does not read (not .csv or .txt)%s, expected SCRT reports saved as CSV (.csv or "
             ".txt, any case) and received.csv", who);
  free(id);
  return owner >= 0 ? serial_list_add(unreadable, serial) : LB_OK;
}

/* An unreadable report: whose it is, from its content or else its name. */
static int attribute_unreadable(const entry *e, const scrt_report *r, diag_list *d, size_t mark,
                                const cust_index *ix, serial_list *unreadable)
{
  char serial[NAME_SERIAL_MAX + 1];
  const char *which = NULL;
  long owner = -1;
  int rc;
  if(r && r->multiplex) {
    if((rc = attribute_multiplex(d, mark, ix, r)))
      return rc;
    for(size_t i = 0; i < r->nmachines; i++)
      if(serial_list_add(unreadable, r->machines[i].serial))
        return LB_ENOMEM;
    return LB_OK;
  }
  if(r && r->serial && *r->serial && (owner = cust_index_serial_owner(ix, r->serial)) >= 0)
    which = r->serial;
  if(owner == -1 && (owner = owner_by_name(ix, e->name, serial)) >= 0)
    which = serial;
  if(owner == LB_EIO)
    return LB_EIO;
  if((rc = attribute(d, mark, ix, owner)))
    return rc;
  return which ? serial_list_add(unreadable, which) : LB_OK;
}

/* One entry of scrt/ read: a report of the period goes into reps, anything else is reported. */
static int load_entry(const entry *en, lb_date period_end, const cust_index *ix, serial_list *unreadable,
                      xsort *reps, diag_list *d)
{
  scrt_report *r = NULL;
  size_t mark = d->n;
  int rc;
  if(en->kind == ENT_RECEIPTS)
    return LB_OK;
  if(en->kind != ENT_REPORT)
    return report_unread(en, ix, unreadable, d);
  int e = scrt_read(&r, en->path, 1, d);
  if(e == LB_ENOMEM || e == LB_EIO) {
    scrt_free(r);
    return e;
  }
  if(e) {
    if(r && !r->multiplex && r->period_end != DATE_NONE && r->period_end != period_end) {
      diag_truncate(d, mark); /* another month's report: not this month's business */
      scrt_free(r);
      return LB_OK;
    }
    /* reported; its owner is rejected rather than billed as if no report
     * had come (never an invoice from a guess) */
    rc = attribute_unreadable(en, r, d, mark, ix, unreadable);
    scrt_free(r);
    return rc;
  }
  if(r->period_end != period_end) {
    scrt_free(r);
    return LB_OK; /* another month's report */
  }
  long owner = cust_index_serial_owner(ix, r->serial);
  if(owner == LB_EIO) {
    scrt_free(r);
    return LB_EIO;
  }
  if(owner < 0) {
    diag_add(d, en->path, r->serial_line, r->serial_col, NULL,
             "SCRT report for machine %s, which no customer owns (not in machines.csv), expected a "
             "report for a known machine", r->serial);
    scrt_free(r);
    return LB_OK;
  }
  rc = attribute(d, mark, ix, owner);
  /* "SERIAL\0PATH\0" and the facts */
  size_t ls = strlen(r->serial) + 1, lp = strlen(en->path) + 1;
  report_facts f = {owner, r->serial_line, r->serial_col};
  char *rec = rc ? NULL : malloc(ls + lp + sizeof(f));
  if(!rc && !rec)
    rc = LB_ENOMEM;
  if(!rc) {
    memcpy(rec, r->serial, ls);
    memcpy(rec + ls, en->path, lp);
    memcpy(rec + ls + lp, &f, sizeof(f));
    rc = xsort_add(reps, rec, ls + lp + sizeof(f));
  }
  free(rec);
  scrt_free(r);
  return rc;
}

/* A copy of the n bytes at rec (a record xsort_next lends until its next call) in *buf, grown to *cap. */
static int keep_record(char **buf, size_t *cap, const void *rec, size_t n)
{
  if(n > *cap) {
    char *nb = realloc(*buf, n);
    if(!nb)
      return LB_ENOMEM;
    *buf = nb;
    *cap = n;
  }
  memcpy(*buf, rec, n);
  return LB_OK;
}

/* A report record ("SERIAL\0PATH\0" and its facts) into the join, bad when its machine has two. */
static int join_first(xsort *join, const char *rec, int bad)
{
  const char *serial = rec, *path = serial + strlen(serial) + 1;
  report_facts f;
  memcpy(&f, path + strlen(path) + 1, sizeof(f));
  join_report jr = {f.line, f.col, bad};
  return join_add(join, (long)f.owner, serial, JOIN_REPORT, &jr, sizeof(jr), path);
}

/* The reports of the period by serial: two of one machine are both bad and reported; the first of each
 * machine (by path) goes into the join. */
static int index_reports(scrt_dir *sd, xsort *reps, xsort *join, const cust_index *ix, diag_list *d)
{
  const void *rec;
  size_t n, cap = 0;
  char *prev = NULL;         /* the previous record */
  char *first = NULL;        /* the first record of prev's serial */
  size_t first_cap = 0;
  int bad = 0, rc;
  while((rc = xsort_next(reps, &rec, &n)) == 1) {
    const char *serial = rec, *path = serial + strlen(serial) + 1;
    report_facts f;
    memcpy(&f, path + strlen(path) + 1, sizeof(f));
    sd->nreports++;
    if(prev && !strcmp(prev, serial)) {
      char *id = NULL;
      bad = 1;
      if((rc = cust_index_id(ix, (size_t)f.owner, &id)))
        break;
      diag_add(d, path, f.line, f.col, id,
               "a second SCRT report for machine %s and the same reporting period (also %s), expected one "
               "report per machine and period", serial, prev + strlen(prev) + 1);
      free(id);
    } else {
      if(first && (rc = join_first(join, first, bad)))
        break;
      if((rc = keep_record(&first, &first_cap, rec, n)))
        break;
      bad = 0;
    }
    if((rc = keep_record(&prev, &cap, rec, n)))
      break;
  }
  if(!rc && first)
    rc = join_first(join, first, bad);
  free(prev);
  free(first);
  return rc < 0 ? rc : LB_OK;
}

/* received.csv's receipts of the period into recs (errors reported as read, with the machine's owner). */
static int load_receipts(scrt_dir *sd, lb_date period_end, const cust_index *ix, xsort *recs, diag_list *d)
{
  table t;
  struct stat st;
  dmap_cursor near;     /* received.csv lists machines in about machines.csv's order */
  int rc;
  if(stat(sd->received_path, &st) < 0)
    return errno == ENOENT ? LB_OK : LB_EIO;
  rc = table_open(&t, sd->received_path, received_cols, RC__N, NULL, NULL, d);
  if(rc)
    return rc;
  memset(&near, 0, sizeof(near));
  while((rc = table_next(&t)) > 0) {
    const char *serial = tbl_str(&t, RC_SERIAL);
    long owner = cust_index_serial_owner_near(ix, &near, serial);
    lb_date pend, recv;
    int ext = 0;
    size_t mark = d->n;
    if(owner == LB_EIO) {
      rc = LB_EIO;
      break;
    }
    /* the row's problems name the owner (attributed after the row: its id is read only when needed) */
    if(t.row_bad) {
      if(mark && !d->v[mark - 1].customer_id && (rc = attribute(d, mark - 1, ix, owner)))
        break;
      continue;
    }
    tbl_date(&t, RC_PERIOD_END, 1, &pend);
    tbl_date(&t, RC_RECEIVED, 1, &recv);
    tbl_flag(&t, RC_EXTENSION, 1, &ext);
    if(tbl_failed(&t)) {
      if((rc = attribute(d, mark, ix, owner)))
        break;
      continue;
    }
    if(pend != period_end)
      continue;
    if(recv <= pend) {
      /* the tool can only report a period after it ended (R-T2: due from the 2nd) */
      char a[11], b[11];
      tbl_error(&t, RC_RECEIVED, "received_on %s is not after the reporting period ended (%s), expected a date "
                "from the day after it", date_format(a, recv), date_format(b, pend));
      if((rc = attribute(d, mark, ix, owner)))
        break;
      continue;
    }
    if(owner < 0) {
      tbl_error(&t, RC_SERIAL, "receipt for machine %s, which no customer owns, expected a known machine",
                serial);
      continue;
    }
    /* "SERIAL\0" and the facts */
    size_t ls = strlen(serial) + 1;
    receipt_facts f = {t.row->line, recv, ext};
    int64_t o = owner;
    char *rec = malloc(ls + sizeof(o) + sizeof(f));
    if(!rec) {
      rc = LB_ENOMEM;
      break;
    }
    memcpy(rec, serial, ls);
    memcpy(rec + ls, &o, sizeof(o));
    memcpy(rec + ls + sizeof(o), &f, sizeof(f));
    rc = xsort_add(recs, rec, ls + sizeof(o) + sizeof(f));
    free(rec);
    if(rc)
      break;
  }
  table_close(&t);
  dmap_cursor_clear(&near);
  return rc < 0 ? rc : LB_OK;
}

/* A receipt record's owner and facts. */
static void receipt_of(const void *rec, size_t n, int64_t *owner, receipt_facts *f)
{
  memcpy(f, (const char *)rec + n - sizeof(*f), sizeof(*f));
  memcpy(owner, (const char *)rec + n - sizeof(*f) - sizeof(*owner), sizeof(*owner));
}

/* The receipts by serial: a second receipt of a machine is reported; the first of each goes into the join. */
static int index_receipts(scrt_dir *sd, xsort *recs, xsort *join, const cust_index *ix, diag_list *d)
{
  const void *rec;
  size_t n;
  char *prev = NULL;
  size_t cap = 0;
  receipt_facts pf;
  int rc;
  memset(&pf, 0, sizeof(pf));
  while((rc = xsort_next(recs, &rec, &n)) == 1) {
    const char *serial = rec;
    receipt_facts f;
    int64_t owner;
    receipt_of(rec, n, &owner, &f);
    sd->nreceipts++;
    if(prev && !strcmp(prev, serial)) {
      char *id = NULL;
      if((rc = cust_index_id(ix, (size_t)owner, &id)))
        break;
      diag_add(d, sd->received_path, f.line, 1, id, "a second receipt for machine %s and the same period (also "
               "line %ld)", serial, (long)pf.line);
      free(id);
    } else if((rc = join_add(join, (long)owner, serial, JOIN_RECEIPT, &f, sizeof(f), NULL)))
      break;
    if((rc = keep_record(&prev, &cap, rec, n)))
      break;
    pf = f;
  }
  free(prev);
  return rc < 0 ? rc : LB_OK;
}

/* R-T2: a receipt says the report came; without a readable report the
 * machine is not billed as if none had come (full capacity): its owner is
 * rejected. Every receipt, in serial order, beside the reports in serial
 * order (recs and reps again from their start). */
static int receipts_without_report(const scrt_dir *sd, lb_date period_end, const cust_index *ix,
                                   const serial_list *unreadable, xsort *recs, xsort *reps, diag_list *d)
{
  const void *rec, *rep = NULL;
  size_t n, rn;
  char due[11];
  int more_reps, rc = xsort_rewind(recs);
  if(!rc)
    rc = xsort_rewind(reps);
  if(rc)
    return rc;
  more_reps = xsort_next(reps, &rep, &rn);
  while(more_reps >= 0 && (rc = xsort_next(recs, &rec, &n)) == 1) {
    const char *serial = rec;
    receipt_facts f;
    int64_t owner;
    char *id = NULL;
    receipt_of(rec, n, &owner, &f);
    while(more_reps == 1 && strcmp(rep, serial) < 0)
      more_reps = xsort_next(reps, &rep, &rn);
    if(more_reps < 0)
      break;
    if((more_reps == 1 && !strcmp(rep, serial)) || serial_list_has(unreadable, serial))
      continue; /* a report, or an unreadable one already reported to the owner */
    if((rc = cust_index_id(ix, (size_t)owner, &id)))
      break;
    diag_add(d, sd->received_path, f.line, 1, id,
             "receipt of the SCRT report for machine %s and the period ending %s, but scrt/ holds no readable "
             "report of that machine and period, expected the report the receipt records (the machine is not "
             "billed at full capacity on a guess)", serial, date_format(due, period_end));
    free(id);
  }
  if(more_reps < 0)
    rc = more_reps;
  return rc < 0 ? rc : LB_OK;
}

/* The join, by owner and serial, into sd->machines, and where each customer's begin into sd->starts. */
static int write_machines(scrt_dir *sd, xsort *join)
{
  const void *rec;
  size_t n;
  mach_rec m;
  char *serial = NULL, *path = NULL;
  size_t scap = 0;
  uint64_t next_k = 0;  /* the customers whose start is written: 0..next_k-1 */
  int64_t owner = -1;
  int rc, have = 0;
  memset(&m, 0, sizeof(m));
  for(;;) {
    rc = xsort_next(join, &rec, &n);
    if(rc < 0)
      break;
    const unsigned char *p = rec;
    uint32_t o = 0;
    const char *ser = NULL;
    if(rc == 1) {
      memcpy(&o, p, sizeof(o));
      ser = (const char *)p + sizeof(o);
    }
    /* the machine before is complete */
    if(have && (rc == 0 || o != (uint32_t)owner || strcmp(ser, serial))) {
      uint32_t lp = m.has_report ? (uint32_t)strlen(path) + 1 : 0;
      m.serial_len = (uint32_t)strlen(serial) + 1;
      m.path_len = lp;
      m.len = (uint32_t)(sizeof(m) + m.serial_len + lp);
      int e = spill_append(&sd->machines, &m, sizeof(m), NULL);
      if(!e)
        e = spill_append(&sd->machines, serial, m.serial_len, NULL);
      if(!e && lp)
        e = spill_append(&sd->machines, path, lp, NULL);
      if(e) {
        rc = e;
        break;
      }
      memset(&m, 0, sizeof(m));
      have = 0;
    }
    if(rc == 0)
      break;
    /* the customers up to this one start here */
    for(; next_k <= o && next_k < sd->ncust; next_k++) {
      uint64_t at = sd->machines.size;
      if((rc = spill_append(&sd->starts, &at, sizeof(at), NULL)))
        goto out;
    }
    size_t ls = strlen(ser) + 1;
    if((rc = keep_record(&serial, &scap, ser, ls)))
      break;
    owner = o;
    have = 1;
    const unsigned char *facts = (const unsigned char *)ser + ls + 1;
    if(ser[ls] == JOIN_REPORT) {
      join_report jr;
      memcpy(&jr, facts, sizeof(jr));
      m.has_report = 1;
      m.line = jr.line;
      m.col = jr.col;
      m.bad = jr.bad;
      free(path);
      if(!(path = strdup((const char *)facts + sizeof(jr)))) {
        rc = LB_ENOMEM;
        break;
      }
    } else {
      receipt_facts f;
      memcpy(&f, facts, sizeof(f));
      m.has_receipt = 1;
      m.rline = f.line;
      m.received_on = f.received_on;
      m.extension = f.extension;
    }
  }
  /* the customers after the last one, and the end */
  for(; rc == 0 && next_k <= sd->ncust; next_k++) {
    uint64_t at = sd->machines.size;
    rc = spill_append(&sd->starts, &at, sizeof(at), NULL);
  }
out:
  free(serial);
  free(path);
  return rc;
}

int scrt_dir_load(scrt_dir *sd, const char *dir, lb_date period_end, const cust_index *ix, diag_list *d)
{
  char *scrtdir = NULL, *buf = NULL;
  size_t cap = 0;
  xsort *ents = NULL, *reps = NULL, *recs = NULL, *join = NULL;
  entry en;
  serial_list unreadable = {0};
  int rc = LB_ENOMEM;
  memset(sd, 0, sizeof(*sd));
  sd->ncust = ix->n;
  if(asprintf(&scrtdir, "%s/scrt", dir) < 0)
    return LB_ENOMEM;
  rc = list_entries(&ents, scrtdir, d);
  if(rc)
    goto out;
  /* received.csv in any case; two spellings leave no way to know which holds the receipts */
  while((rc = next_entry(ents, scrtdir, &buf, &cap, &en)) == 1)
    if(en.kind == ENT_RECEIPTS) {
      if(sd->received_path) {
        rc = diag_add(d, en.path, 0, 0, NULL, "a second receipts file (also %s), expected one "
                      "received.csv", sd->received_path);
        goto out;
      }
      if(!(sd->received_path = strdup(en.path))) {
        rc = LB_ENOMEM;
        goto out;
      }
    }
  if(rc < 0)
    goto out;
  if(!sd->received_path && asprintf(&sd->received_path, "%s/received.csv", scrtdir) < 0) {
    sd->received_path = NULL;
    rc = LB_ENOMEM;
    goto out;
  }
  if((rc = xsort_new(&reps, cmp_report, 0)) || (rc = xsort_new(&recs, cmp_receipt, 0)) ||
     (rc = xsort_new(&join, cmp_join, 0)) || (rc = xsort_rewind(ents)))
    goto out;
  while((rc = next_entry(ents, scrtdir, &buf, &cap, &en)) == 1)
    if((rc = load_entry(&en, period_end, ix, &unreadable, reps, d)))
      goto out;
  if(rc < 0 || (rc = index_reports(sd, reps, join, ix, d)))
    goto out;
  rc = load_receipts(sd, period_end, ix, recs, d);
  if(!rc)
    rc = index_receipts(sd, recs, join, ix, d);
  if(!rc)
    rc = receipts_without_report(sd, period_end, ix, &unreadable, recs, reps, d);
  if(!rc)
    rc = write_machines(sd, join);
out:
  /* a spill that failed: the environment, said where */
  if(rc == LB_EIO && (sd->machines.err || sd->starts.err))
    diag_add(d, spill_dir(), 0, 0, NULL, "cannot keep the SCRT index in a temporary file there: %s",
             strerror(errno));
  serial_list_free(&unreadable);
  xsort_free(ents);
  xsort_free(reps);
  xsort_free(recs);
  xsort_free(join);
  free(buf);
  free(scrtdir);
  return rc;
}

void scrt_dir_clear(scrt_dir *sd)
{
  spill_clear(&sd->machines);
  spill_clear(&sd->starts);
  free(sd->received_path);
  memset(sd, 0, sizeof(*sd));
}

void scrt_cust_clear(scrt_cust *c)
{
  free(c->v);
  free(c->reports);
  free(c->receipts);
  free(c->buf);
  memset(c, 0, sizeof(*c));
}

int scrt_dir_customer(const scrt_dir *sd, size_t k, scrt_cust *c)
{
  uint64_t at[2];
  size_t len, n = 0;
  int rc;
  memset(c, 0, sizeof(*c));
  if(k >= sd->ncust || sd->starts.size < (k + 2) * sizeof(uint64_t))
    return k >= sd->ncust ? LB_OK : LB_EIO; /* a customer the index did not have: nothing */
  if((rc = spill_read(&sd->starts, k * sizeof(uint64_t), at, sizeof(at))))
    return rc;
  if(at[1] < at[0] || at[1] > sd->machines.size)
    return LB_EIO;
  len = (size_t)(at[1] - at[0]);
  if(!len)
    return LB_OK;
  if(!(c->buf = malloc(len)))
    return LB_ENOMEM;
  if((rc = spill_read(&sd->machines, at[0], c->buf, len))) {
    scrt_cust_clear(c);
    return rc;
  }
  for(size_t off = 0; off + sizeof(mach_rec) <= len; n++) {
    mach_rec m;
    memcpy(&m, c->buf + off, sizeof(m));
    if(m.len < sizeof(m) || m.len > len - off) {
      scrt_cust_clear(c);
      return LB_EIO;
    }
    off += m.len;
  }
  c->v = calloc(n, sizeof(*c->v));
  c->reports = calloc(n, sizeof(*c->reports));
  c->receipts = calloc(n, sizeof(*c->receipts));
  if(!c->v || !c->reports || !c->receipts) {
    scrt_cust_clear(c);
    return LB_ENOMEM;
  }
  size_t off = 0;
  for(size_t i = 0; i < n; i++) {
    mach_rec m;
    memcpy(&m, c->buf + off, sizeof(m));
    char *serial = (char *)c->buf + off + sizeof(m), *path = serial + m.serial_len;
    c->v[i].serial = serial;
    if(m.has_report) {
      c->reports[i] = (scrt_entry){serial, path, (long)k, (long)m.line, (long)m.col, m.bad};
      c->v[i].report = &c->reports[i];
    }
    if(m.has_receipt) {
      c->receipts[i] = (receipt){serial, m.received_on, m.extension, (long)m.rline};
      c->v[i].rcpt = &c->receipts[i];
    }
    off += m.len;
  }
  c->n = n;
  return LB_OK;
}

const scrt_held *scrt_cust_find(const scrt_cust *c, const char *serial)
{
  size_t lo = 0, hi = c->n;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int r = strcmp(c->v[mid].serial, serial);
    if(!r)
      return &c->v[mid];
    if(r < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

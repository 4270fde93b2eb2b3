/* plan.c - the files of a month billed on several machines: PLAN, part-K-of-N.plan, part-K-of-N.done. */
#include "batch/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "output/atomic.h"
#include "output/digest.h"

/* Every line of these files is fields separated by tabs; numbers are written as the program holds them
 * (months, dates, money as integers), so that a worker reads exactly what the coordinator had. */
#define PLAN_MAGIC "licbill-plan 1"
#define PART_MAGIC "licbill-plan-part 1"
#define RECEIPT_MAGIC "licbill-part-receipt 1"
#define MAX_FIELDS 8

char *plan_dir(const char *output, lb_month m)
{
  char mb[8], *p = NULL;
  if(asprintf(&p, "%s/.parts/%s", output, month_format(mb, m)) < 0)
    return NULL;
  return p;
}

char *plan_part_path(const char *dir, int k, int n, const char *ext)
{
  char *p = NULL;
  if(asprintf(&p, "%s/part-%d-of-%d.%s", dir, k, n, ext) < 0)
    return NULL;
  return p;
}

/* A value that would break the line format. */
static int bad_field(const char *s) { return s && strpbrk(s, "\t\n\r") != NULL; }

/* A growing string. */
typedef struct sbuf {
  char *p;
  size_t n, cap;
  int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
  va_list ap;
  if(b->oom)
    return;
  for(;;) {
    size_t room = b->cap - b->n;
    va_start(ap, fmt);
    int k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
    va_end(ap);
    if(k < 0) {
      b->oom = 1;
      return;
    }
    if((size_t)k < room) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 512;
    while(cap - b->n <= (size_t)k)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if(!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
}

int plan_entry_format(char **out, const char *customer_id, const char *number, const char *replaces,
                      lb_date issue_date, const char *content_sha, const carry_history *h,
                      const ledger_line_hist *lines, size_t nlines, const ledger_capacity *caps, size_t ncaps,
                      diag_list *d)
{
  sbuf b = {0};
  int bad = bad_field(customer_id) || bad_field(number) || bad_field(replaces);
  for(size_t i = 0; h && i < h->n; i++)
    bad |= bad_field(h->v[i].subject);
  for(size_t i = 0; i < nlines; i++)
    bad |= bad_field(lines[i].serial) || bad_field(lines[i].product_id);
  for(size_t i = 0; i < ncaps; i++)
    bad |= bad_field(caps[i].serial);
  if(bad)
    return diag_add(d, "plan", 0, 0, customer_id, "a value of customer %s holds a tab or line break, expected "
                    "printable text", customer_id);
  sb_printf(&b, "entry\t%s\t%s\t%s\t%" PRId32 "\t%s\n", customer_id, number, replaces && *replaces ? replaces : "-",
            issue_date, content_sha);
  for(size_t i = 0; h && i < h->n; i++)
    sb_printf(&b, "carried\t%d\t%s\t%" PRId32 "\t%" PRId32 "\t%" PRId64 "\n", (int)h->v[i].kind, h->v[i].subject,
              h->v[i].set_in, h->v[i].value.month, h->v[i].value.num);
  for(size_t i = 0; i < nlines; i++)
    sb_printf(&b, "line\t%" PRId32 "\t%s\t%s\t%ld\t%" PRId64 "\n", lines[i].month, lines[i].serial,
              lines[i].product_id, lines[i].quantity, lines[i].amount);
  for(size_t i = 0; i < ncaps; i++)
    sb_printf(&b, "cap\t%" PRId32 "\t%s\t%ld\n", caps[i].month, caps[i].serial, caps[i].msus);
  sb_printf(&b, "end\n");
  if(b.oom) {
    free(b.p);
    return LB_ENOMEM;
  }
  *out = b.p;
  return LB_OK;
}

/* Split line (modified) at tabs into at most MAX_FIELDS fields; returns the count. */
static int split(char *line, char *f[MAX_FIELDS])
{
  int n = 0;
  char *s = line;
  for(;;) {
    if(n == MAX_FIELDS)
      return MAX_FIELDS + 1;
    f[n++] = s;
    char *t = strchr(s, '\t');
    if(!t)
      return n;
    *t = '\0';
    s = t + 1;
  }
}

/* The next line of a file read whole into a NUL-terminated buffer, split at
 * tabs into f; *cur moves past its '\n'. Returns the field count (1 or
 * more), 0 at the end, -1 for a last line without its '\n' (a file cut
 * short). */
static int next_row(char **cur, char *f[MAX_FIELDS])
{
  char *line = *cur, *nl;
  if(!*line)
    return 0;
  if(!(nl = strchr(line, '\n')))
    return -1;
  *nl = '\0';
  *cur = nl + 1;
  return split(line, f);
}

static int parse_i64(const char *s, int64_t *out)
{
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if(!*s || *end || errno)
    return -1;
  *out = v;
  return 0;
}

static int parse_i32(const char *s, int32_t *out)
{
  int64_t v;
  if(parse_i64(s, &v) || v < INT32_MIN || v > INT32_MAX)
    return -1;
  *out = (int32_t)v;
  return 0;
}

static int is_sha(const char *s) { return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64; }

/* Read a whole file (NUL-terminated) and its sha256. NULL with errno set when it cannot be read. */
static char *slurp(const char *path, size_t *len, char sha[65])
{
  FILE *fp = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  if(!fp)
    return NULL;
  for(;;) {
    if(cap - n < 65536) {
      char *p = realloc(buf, cap + 65536 + 1);
      if(!p) {
        free(buf);
        fclose(fp);
        errno = ENOMEM;
        return NULL;
      }
      buf = p;
      cap += 65536;
    }
    size_t k = fread(buf + n, 1, cap - n, fp);
    n += k;
    if(k == 0)
      break;
  }
  int err = ferror(fp);
  fclose(fp);
  if(err) {
    free(buf);
    errno = EIO;
    return NULL;
  }
  buf[n] = '\0';
  if(sha)
    digest_sha256_hex(buf, n, sha);
  if(len)
    *len = n;
  return buf;
}

void plan_entries_free(plan_entry *v, size_t n)
{
  for(size_t i = 0; v && i < n; i++) {
    free(v[i].customer_id);
    free(v[i].number);
    free(v[i].replaces);
    for(size_t j = 0; j < v[i].ncarried; j++)
      free((char *)v[i].carried[j].subject);
    free(v[i].carried);
    ledger_history_free(v[i].lines, v[i].nlines, v[i].caps, v[i].ncaps);
  }
  free(v);
}

/* Grow *v (of *cap elements of size sz) to hold n + 1. 0 or -1. */
static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
  if(n < *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 8;
  void *p = realloc(*v, c * sz);
  if(!p)
    return -1;
  memset((char *)p + *cap * sz, 0, (c - *cap) * sz);
  *v = p;
  *cap = c;
  return 0;
}

int plan_part_read(const char *path, plan_entry **out, size_t *nout, char sha[65], diag_list *d)
{
  size_t len, n = 0, cap = 0, lno = 0, ccap = 0, lcap = 0, kcap = 0;
  plan_entry *v = NULL, *e = NULL;
  char *buf = slurp(path, &len, sha), *f[MAX_FIELDS + 1];
  int rc = LB_OK;
  if(!buf) {
    if(errno == ENOMEM)
      return LB_ENOMEM;
    diag_add(d, path, 0, 0, NULL, "cannot read this part of the plan: %s, expected the file `licbill plan` wrote",
             strerror(errno));
    return LB_EIO;
  }
  for(char *cur = buf;;) {
    int nf = next_row(&cur, f);
    if(nf < 0)
      goto bad;
    if(!nf)
      break;
    lno++;
    if(lno == 1) {
      if(nf != 1 || strcmp(f[0], PART_MAGIC))
        goto bad;
      continue;
    }
    if(!strcmp(f[0], "entry") && nf == 6 && !e) {
      if(grow((void **)&v, &cap, n, sizeof(*v)))
        goto oom;
      e = &v[n++];
      ccap = lcap = kcap = 0;
      if(!is_sha(f[5]) || parse_i32(f[4], &e->issue_date))
        goto bad;
      e->customer_id = strdup(f[1]);
      e->number = strdup(f[2]);
      e->replaces = strcmp(f[3], "-") ? strdup(f[3]) : NULL;
      memcpy(e->content_sha, f[5], 65);
      if(!e->customer_id || !e->number || (strcmp(f[3], "-") && !e->replaces))
        goto oom;
    } else if(!strcmp(f[0], "carried") && nf == 6 && e) {
      int32_t kind;
      if(grow((void **)&e->carried, &ccap, e->ncarried, sizeof(*e->carried)))
        goto oom;
      carried *c = &e->carried[e->ncarried];
      if(parse_i32(f[1], &kind) || kind < 0 || kind >= CARRY__COUNT || parse_i32(f[3], &c->set_in) ||
         parse_i32(f[4], &c->value.month) || parse_i64(f[5], &c->value.num))
        goto bad;
      c->kind = (carry_kind)kind;
      if(!(c->subject = strdup(f[2])))
        goto oom;
      e->ncarried++;
    } else if(!strcmp(f[0], "line") && nf == 6 && e) {
      int64_t q;
      if(grow((void **)&e->lines, &lcap, e->nlines, sizeof(*e->lines)))
        goto oom;
      ledger_line_hist *h = &e->lines[e->nlines];
      if(parse_i32(f[1], &h->month) || parse_i64(f[4], &q) || parse_i64(f[5], &h->amount))
        goto bad;
      h->quantity = (long)q;
      h->serial = strdup(f[2]);
      h->product_id = strdup(f[3]);
      e->nlines++;
      if(!h->serial || !h->product_id)
        goto oom;
    } else if(!strcmp(f[0], "cap") && nf == 4 && e) {
      int64_t m;
      if(grow((void **)&e->caps, &kcap, e->ncaps, sizeof(*e->caps)))
        goto oom;
      ledger_capacity *c = &e->caps[e->ncaps];
      if(parse_i32(f[1], &c->month) || parse_i64(f[3], &m))
        goto bad;
      c->msus = (long)m;
      if(!(c->serial = strdup(f[2])))
        goto oom;
      e->ncaps++;
    } else if(!strcmp(f[0], "end") && nf == 1 && e)
      e = NULL;
    else
      goto bad;
  }
  if(lno == 0 || e)
    goto bad;
  free(buf);
  *out = v;
  *nout = n;
  return LB_OK;
bad:
  diag_add(d, path, (long)lno, 0, NULL, "this part of the plan is damaged, expected what `licbill plan` wrote: "
           "plan the month again");
  rc = LB_EIO;
  goto fail;
oom:
  rc = LB_ENOMEM;
fail:
  plan_entries_free(v, n);
  free(buf);
  return rc;
}

int plan_head_add(plan_head *h, const char *number, const char *customer_id, const char *content_sha)
{
  if(grow((void **)&h->docs, &h->docs_cap, h->ndocs, sizeof(*h->docs)))
    return LB_ENOMEM;
  plan_doc *p = &h->docs[h->ndocs++];
  memset(p, 0, sizeof(*p));
  p->idx = (long)h->ndocs;
  p->part = (int)((h->ndocs - 1) % (size_t)h->nparts) + 1;
  snprintf(p->number, sizeof(p->number), "%s", number);
  snprintf(p->customer_id, sizeof(p->customer_id), "%s", customer_id);
  snprintf(p->content_sha, sizeof(p->content_sha), "%s", content_sha);
  return LB_OK;
}

int plan_head_write(const char *dir, const plan_head *h)
{
  atomic_file af;
  char *path = NULL;
  if(asprintf(&path, "%s/PLAN", dir) < 0)
    return LB_ENOMEM;
  int rc = atomic_open(&af, path);
  free(path);
  if(rc)
    return LB_EIO;
  fprintf(af.fp, "%s\n", PLAN_MAGIC);
  fprintf(af.fp, "month\t%" PRId32 "\nfiled_in\t%" PRId32 "\nissue_date\t%" PRId32 "\nrun\t%lld\n", h->month,
          h->filed_in, h->issue_date, h->run_id);
  fprintf(af.fp, "no_corrections\t%d\ninputs\t%s\ntemplate\t%s\nversion\t%s\nparts\t%d\n", h->no_corrections,
          h->inputs_sha, h->template_sha, h->version, h->nparts);
  for(int k = 0; k < h->nparts; k++)
    fprintf(af.fp, "part\t%d\t%s\n", k + 1, h->part_sha[k]);
  for(size_t i = 0; i < h->ndocs; i++)
    fprintf(af.fp, "doc\t%ld\t%d\t%s\t%s\t%s\n", h->docs[i].idx, h->docs[i].part, h->docs[i].number,
            h->docs[i].customer_id, h->docs[i].content_sha);
  fprintf(af.fp, "documents\t%zu\n", h->ndocs);
  return atomic_commit(&af) ? LB_EIO : LB_OK;
}

void plan_head_clear(plan_head *h)
{
  free(h->part_sha);
  free(h->docs);
  memset(h, 0, sizeof(*h));
}

int plan_head_read(const char *dir, plan_head *h, diag_list *d)
{
  char *path = NULL, *buf, *f[MAX_FIELDS + 1];
  size_t len, lno = 0;
  long ndocs = -1;
  int seen_parts = 0;
  memset(h, 0, sizeof(*h));
  if(asprintf(&path, "%s/PLAN", dir) < 0)
    return LB_ENOMEM;
  if(!(buf = slurp(path, &len, h->id))) {
    int e = errno;
    if(e != ENOMEM)
      diag_add(d, path, 0, 0, NULL, "cannot read the plan: %s, expected `licbill plan` for this month first",
               strerror(e));
    free(path);
    return e == ENOMEM ? LB_ENOMEM : LB_EIO;
  }
  for(char *cur = buf;;) {
    int nf = next_row(&cur, f);
    int32_t v;
    if(nf < 0)
      goto bad;
    if(!nf)
      break;
    lno++;
    if(lno == 1) {
      if(nf != 1 || strcmp(f[0], PLAN_MAGIC))
        goto bad;
    } else if(nf == 2 && !strcmp(f[0], "month") && !parse_i32(f[1], &v))
      h->month = v;
    else if(nf == 2 && !strcmp(f[0], "filed_in") && !parse_i32(f[1], &v))
      h->filed_in = v;
    else if(nf == 2 && !strcmp(f[0], "issue_date") && !parse_i32(f[1], &v))
      h->issue_date = v;
    else if(nf == 2 && !strcmp(f[0], "run") && !parse_i32(f[1], &v))
      h->run_id = v;
    else if(nf == 2 && !strcmp(f[0], "no_corrections") && !parse_i32(f[1], &v))
      h->no_corrections = v;
    else if(nf == 2 && !strcmp(f[0], "inputs") && is_sha(f[1]))
      memcpy(h->inputs_sha, f[1], 65);
    else if(nf == 2 && !strcmp(f[0], "template") && is_sha(f[1]))
      memcpy(h->template_sha, f[1], 65);
    else if(nf == 2 && !strcmp(f[0], "version") && strlen(f[1]) < sizeof(h->version))
      snprintf(h->version, sizeof(h->version), "%s", f[1]);
    else if(nf == 2 && !strcmp(f[0], "parts") && !parse_i32(f[1], &v) && v >= 1 && v <= 100000 && !h->part_sha) {
      h->nparts = v;
      if(!(h->part_sha = calloc((size_t)v, sizeof(*h->part_sha))))
        goto oom;
    } else if(nf == 3 && !strcmp(f[0], "part") && h->part_sha && !parse_i32(f[1], &v) && v == seen_parts + 1 &&
              v <= h->nparts && is_sha(f[2])) {
      memcpy(h->part_sha[v - 1], f[2], 65);
      seen_parts++;
    } else if(nf == 6 && !strcmp(f[0], "doc") && h->nparts && is_sha(f[5]) && strlen(f[3]) < 64 &&
              strlen(f[4]) < 64) {
      if(plan_head_add(h, f[3], f[4], f[5]))
        goto oom;
      if(parse_i32(f[1], &v) || v != h->docs[h->ndocs - 1].idx || parse_i32(f[2], &v) ||
         v != h->docs[h->ndocs - 1].part)
        goto bad;
    } else if(nf == 2 && !strcmp(f[0], "documents") && !parse_i32(f[1], &v))
      ndocs = v;
    else
      goto bad;
  }
  if(ndocs < 0 || (size_t)ndocs != h->ndocs || seen_parts != h->nparts || !h->nparts)
    goto bad;
  free(buf);
  free(path);
  return LB_OK;
bad:
  diag_add(d, path, (long)lno, 0, NULL, "the plan is damaged or incomplete, expected what `licbill plan` wrote: "
           "plan the month again");
  free(buf);
  free(path);
  plan_head_clear(h);
  return LB_EIO;
oom:
  free(buf);
  free(path);
  plan_head_clear(h);
  return LB_ENOMEM;
}

plan_doc *plan_head_find(plan_head *h, const char *number)
{
  for(size_t i = 0; i < h->ndocs; i++)
    if(!strcmp(h->docs[i].number, number))
      return &h->docs[i];
  return NULL;
}

int plan_receipt_write(const char *path, const char *plan_id, int k, int n, const plan_receipt_row *rows,
                       size_t nrows)
{
  atomic_file af;
  if(atomic_open(&af, path))
    return LB_EIO;
  fprintf(af.fp, "%s\nplan\t%s\npart\t%d\t%d\n", RECEIPT_MAGIC, plan_id, k, n);
  for(size_t i = 0; i < nrows; i++)
    fprintf(af.fp, "doc\t%s\t%s\t%s\n", rows[i].number, rows[i].inv_sha, rows[i].ev_sha);
  fprintf(af.fp, "documents\t%zu\n", nrows);
  return atomic_commit(&af) ? LB_EIO : LB_OK;
}

/* Does the file at path have this sha256? Adds the problem to d when not. 0 yes, 1 no, -1 ENOMEM. */
static int file_matches(const char *path, const char *want, const char *number, int k, int n, diag_list *d)
{
  char sha[65];
  size_t len;
  char *buf = slurp(path, &len, sha);
  if(!buf) {
    if(errno == ENOMEM)
      return -1;
    diag_add(d, path, 0, 0, NULL, "%s of part %d/%d is missing (%s), expected the file the part's receipt names",
             number, k, n, strerror(errno));
    return 1;
  }
  free(buf);
  if(strcmp(sha, want)) {
    diag_add(d, path, 0, 0, NULL, "%s of part %d/%d is damaged: sha256 %s, expected %s as the part's receipt says",
             number, k, n, sha, want);
    return 1;
  }
  return 0;
}

long plan_receipt_check(plan_head *h, const char *dir, const char *monthdir, int k, diag_list *d)
{
  char *path = plan_part_path(dir, k, h->nparts, "done"), *buf = NULL, *f[MAX_FIELDS + 1];
  size_t len, lno = 0, want = 0, got = 0;
  long problems = 0;
  long ndocs = -1;
  int head_ok = 0;
  if(!path)
    return -1;
  for(size_t i = 0; i < h->ndocs; i++)
    if(h->docs[i].part == k)
      want++;
  buf = slurp(path, &len, NULL);
  if(!buf) {
    if(errno == ENOMEM) {
      free(path);
      return -1;
    }
    diag_add(d, path, 0, 0, NULL, "part %d/%d has not finished (%zu document%s): no receipt, expected `licbill "
             "render --part %d/%d` to have run to its end", k, h->nparts, want, want == 1 ? "" : "s", k, h->nparts);
    free(path);
    return 1;
  }
  for(char *cur = buf;;) {
    int nf = next_row(&cur, f);
    int32_t v;
    if(nf < 0)
      goto bad;
    if(!nf)
      break;
    lno++;
    if(lno == 1) {
      if(nf != 1 || strcmp(f[0], RECEIPT_MAGIC))
        goto bad;
    } else if(lno == 2) {
      if(nf != 2 || strcmp(f[0], "plan"))
        goto bad;
      if(strcmp(f[1], h->id)) {
        diag_add(d, path, 0, 0, NULL, "part %d/%d was rendered from an earlier plan, expected a receipt of plan "
                 "%.12s: render the part again", k, h->nparts, h->id);
        free(buf);
        free(path);
        return 1;
      }
    } else if(lno == 3) {
      if(nf != 3 || strcmp(f[0], "part") || parse_i32(f[1], &v) || v != k || parse_i32(f[2], &v) || v != h->nparts)
        goto bad;
      head_ok = 1;
    } else if(nf == 4 && !strcmp(f[0], "doc") && head_ok && is_sha(f[2]) && is_sha(f[3])) {
      plan_doc *p = plan_head_find(h, f[1]);
      if(!p || p->part != k || p->inv_sha[0])
        goto bad;
      memcpy(p->inv_sha, f[2], 65);
      memcpy(p->ev_sha, f[3], 65);
      got++;
    } else if(nf == 2 && !strcmp(f[0], "documents") && !parse_i32(f[1], &v))
      ndocs = v;
    else
      goto bad;
  }
  if(ndocs < 0 || (size_t)ndocs != got || got != want)
    goto bad;
  /* each document the receipt names, as it is on disk now */
  for(size_t i = 0; i < h->ndocs; i++) {
    plan_doc *p = &h->docs[i];
    char *ip = NULL, *ep = NULL;
    if(p->part != k)
      continue;
    if(asprintf(&ip, "%s/invoices/%s.pdf", monthdir, p->number) < 0)
      ip = NULL;
    if(asprintf(&ep, "%s/evidence/%s-audit.pdf", monthdir, p->number) < 0)
      ep = NULL;
    int a = ip ? file_matches(ip, p->inv_sha, p->number, k, h->nparts, d) : -1;
    int b = ep ? file_matches(ep, p->ev_sha, p->number, k, h->nparts, d) : -1;
    free(ip);
    free(ep);
    if(a < 0 || b < 0) {
      problems = -1;
      break;
    }
    problems += a + b;
  }
  free(buf);
  free(path);
  return problems;
bad:
  diag_add(d, path, (long)lno, 0, NULL, "the receipt of part %d/%d is damaged, expected what `licbill render "
           "--part %d/%d` writes: render the part again", k, h->nparts, k, h->nparts);
  for(size_t i = 0; i < h->ndocs; i++)
    if(h->docs[i].part == k)
      h->docs[i].inv_sha[0] = h->docs[i].ev_sha[0] = '\0';
  free(buf);
  free(path);
  return 1;
}

/* plan.c - the files of a month billed on several machines: PLAN, part-K-of-N.plan, part-K-of-N.done. */
#include "batch/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "output/atomic.h"
#include "output/digest.h"
#include "output/manifest.h"

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

/* A file read line by line and hashed as it is read: a plan of any size costs one line of memory. */
typedef struct line_reader {
  FILE *fp;
  char *line;
  size_t cap;
  struct sha256_ctx c;
} line_reader;

/* 0, or -1 with errno set. */
static int lr_open(line_reader *r, const char *path)
{
  memset(r, 0, sizeof(*r));
  sha256_init(&r->c);
  r->fp = fopen(path, "rb");
  return r->fp ? 0 : -1;
}

static void lr_close(line_reader *r)
{
  if(r->fp)
    fclose(r->fp);
  free(r->line);
  memset(r, 0, sizeof(*r));
}

/* The next line split at tabs into f: the field count (1 or more), 0 at the end, -1 for a last line
 * without its '\n' (a file cut short), -2 when it cannot be read (errno set). */
static int lr_next(line_reader *r, char *f[MAX_FIELDS])
{
  errno = 0;
  ssize_t n = getline(&r->line, &r->cap, r->fp);
  if(n < 0)
    return ferror(r->fp) || errno == ENOMEM ? -2 : 0;
  sha256_update(&r->c, (size_t)n, (const uint8_t *)r->line);
  if(r->line[n - 1] != '\n')
    return -1;
  r->line[n - 1] = '\0';
  return split(r->line, f);
}

/* The sha256 of everything read. */
static void lr_sha(line_reader *r, char sha[65])
{
  uint8_t h[SHA256_DIGEST_SIZE];
  sha256_digest(&r->c, sizeof(h), h);
  for(int i = 0; i < SHA256_DIGEST_SIZE; i++)
    snprintf(sha + 2 * i, 3, "%02x", h[i]);
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

void plan_entry_clear(plan_entry *e)
{
  if(!e)
    return;
  free(e->customer_id);
  free(e->number);
  free(e->replaces);
  for(size_t j = 0; j < e->ncarried; j++)
    free((char *)e->carried[j].subject);
  free(e->carried);
  ledger_history_free(e->lines, e->nlines, e->caps, e->ncaps);
  memset(e, 0, sizeof(*e));
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

/* The line reader and where it is. */
typedef struct part_reader {
  line_reader lr;
  size_t lno;
} part_reader;

int plan_part_open(plan_part *p, const char *path, diag_list *d)
{
  part_reader *r = calloc(1, sizeof(*r));
  p->path = path;
  p->lr = r;
  if(!r)
    return LB_ENOMEM;
  if(lr_open(&r->lr, path)) {
    diag_add(d, path, 0, 0, NULL, "cannot read this part of the plan: %s, expected the file `licbill plan` wrote",
             strerror(errno));
    return LB_EIO;
  }
  return LB_OK;
}

void plan_part_close(plan_part *p)
{
  part_reader *r = p->lr;
  if(r) {
    lr_close(&r->lr);
    free(r);
  }
  p->lr = NULL;
}

int plan_part_next(plan_part *p, plan_entry *out, char sha[65], diag_list *d)
{
  part_reader *r = p->lr;
  size_t ccap = 0, lcap = 0, kcap = 0;
  plan_entry e;
  char *f[MAX_FIELDS + 1];
  int have = 0, rc;
  memset(&e, 0, sizeof(e));
  memset(out, 0, sizeof(*out));
  for(;;) {
    int nf = lr_next(&r->lr, f);
    if(nf == -2) {
      if(errno == ENOMEM)
        goto oom;
      diag_add(d, p->path, (long)r->lno, 0, NULL, "cannot read this part of the plan: %s, expected the file "
               "`licbill plan` wrote", strerror(errno));
      rc = LB_EIO;
      goto fail;
    }
    if(nf < 0)
      goto bad;
    if(!nf) {
      if(r->lno == 0 || have)
        goto bad;
      if(sha)
        lr_sha(&r->lr, sha);
      return 0;
    }
    r->lno++;
    if(r->lno == 1) {
      if(nf != 1 || strcmp(f[0], PART_MAGIC))
        goto bad;
      continue;
    }
    if(!strcmp(f[0], "entry") && nf == 6 && !have) {
      have = 1;
      if(!is_sha(f[5]) || parse_i32(f[4], &e.issue_date))
        goto bad;
      e.customer_id = strdup(f[1]);
      e.number = strdup(f[2]);
      e.replaces = strcmp(f[3], "-") ? strdup(f[3]) : NULL;
      memcpy(e.content_sha, f[5], 65);
      if(!e.customer_id || !e.number || (strcmp(f[3], "-") && !e.replaces))
        goto oom;
    } else if(!strcmp(f[0], "carried") && nf == 6 && have) {
      int32_t kind;
      if(grow((void **)&e.carried, &ccap, e.ncarried, sizeof(*e.carried)))
        goto oom;
      carried *c = &e.carried[e.ncarried];
      if(parse_i32(f[1], &kind) || kind < 0 || kind >= CARRY__COUNT || parse_i32(f[3], &c->set_in) ||
         parse_i32(f[4], &c->value.month) || parse_i64(f[5], &c->value.num))
        goto bad;
      c->kind = (carry_kind)kind;
      if(!(c->subject = strdup(f[2])))
        goto oom;
      e.ncarried++;
    } else if(!strcmp(f[0], "line") && nf == 6 && have) {
      int64_t q;
      if(grow((void **)&e.lines, &lcap, e.nlines, sizeof(*e.lines)))
        goto oom;
      ledger_line_hist *h = &e.lines[e.nlines];
      if(parse_i32(f[1], &h->month) || parse_i64(f[4], &q) || parse_i64(f[5], &h->amount))
        goto bad;
      h->quantity = (long)q;
      h->serial = strdup(f[2]);
      h->product_id = strdup(f[3]);
      e.nlines++;
      if(!h->serial || !h->product_id)
        goto oom;
    } else if(!strcmp(f[0], "cap") && nf == 4 && have) {
      int64_t m;
      if(grow((void **)&e.caps, &kcap, e.ncaps, sizeof(*e.caps)))
        goto oom;
      ledger_capacity *c = &e.caps[e.ncaps];
      if(parse_i32(f[1], &c->month) || parse_i64(f[3], &m))
        goto bad;
      c->msus = (long)m;
      if(!(c->serial = strdup(f[2])))
        goto oom;
      e.ncaps++;
    } else if(!strcmp(f[0], "end") && nf == 1 && have) {
      *out = e;
      return 1;
    } else
      goto bad;
  }
bad:
  diag_add(d, p->path, (long)r->lno, 0, NULL, "this part of the plan is damaged, expected what `licbill plan` "
           "wrote: plan the month again");
  rc = LB_EIO;
  goto fail;
oom:
  rc = LB_ENOMEM;
fail:
  plan_entry_clear(&e);
  return rc;
}

/* A PLAN "doc" line. */
static int doc_line(char **out, size_t idx, int part, const char *number, const char *customer_id,
                    const char *content_sha)
{
  int n = asprintf(out, "doc\t%zu\t%d\t%s\t%s\t%s\n", idx, part, number, customer_id, content_sha);
  if(n < 0)
    *out = NULL;
  return n;
}

int plan_head_add(plan_head *h, const char *number, const char *customer_id, const char *content_sha, int *part)
{
  char num[64], cust[64], *line;
  size_t idx = h->ndocs + 1;
  int p = (int)((idx - 1) % (size_t)h->nparts) + 1;
  /* as a plan_doc holds them */
  snprintf(num, sizeof(num), "%s", number);
  snprintf(cust, sizeof(cust), "%s", customer_id);
  int n = doc_line(&line, idx, p, num, cust, content_sha);
  if(n < 0)
    return LB_ENOMEM;
  int rc = spill_append(&h->doc_lines, line, (size_t)n, NULL);
  free(line);
  if(rc)
    return rc;
  h->ndocs++;
  if(part)
    *part = p;
  return LB_OK;
}

int plan_head_write(const char *dir, const plan_head *h)
{
  atomic_file af;
  char *path = NULL, buf[8192];
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
  for(uint64_t off = 0; off < h->doc_lines.size;) {
    size_t n = h->doc_lines.size - off < sizeof(buf) ? (size_t)(h->doc_lines.size - off) : sizeof(buf);
    if(spill_read(&h->doc_lines, off, buf, n) || fwrite(buf, 1, n, af.fp) != n) {
      atomic_abort(&af);
      return LB_EIO;
    }
    off += n;
  }
  fprintf(af.fp, "documents\t%zu\n", h->ndocs);
  return atomic_commit(&af) ? LB_EIO : LB_OK;
}

void plan_head_clear(plan_head *h)
{
  free(h->part_sha);
  spill_clear(&h->doc_lines);
  memset(h, 0, sizeof(*h));
}

int plan_head_read(const char *dir, plan_head *h, int (*doc_fn)(void *ctx, const plan_doc *doc), void *ctx,
                   diag_list *d)
{
  char *path = NULL, *f[MAX_FIELDS + 1];
  line_reader lr;
  size_t lno = 0;
  long ndocs = -1;
  int seen_parts = 0, rc = LB_OK;
  memset(h, 0, sizeof(*h));
  if(asprintf(&path, "%s/PLAN", dir) < 0)
    return LB_ENOMEM;
  if(lr_open(&lr, path)) {
    int e = errno;
    diag_add(d, path, 0, 0, NULL, "cannot read the plan: %s, expected `licbill plan` for this month first",
             strerror(e));
    free(path);
    return LB_EIO;
  }
  for(;;) {
    int nf = lr_next(&lr, f);
    int32_t v;
    if(nf == -2 && errno == ENOMEM)
      goto oom;
    if(nf == -2) {
      diag_add(d, path, 0, 0, NULL, "cannot read the plan: %s, expected `licbill plan` for this month first",
               strerror(errno));
      rc = LB_EIO;
      goto fail;
    }
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
      plan_doc doc;
      memset(&doc, 0, sizeof(doc));
      doc.idx = (long)h->ndocs + 1;
      doc.part = (int)(h->ndocs % (size_t)h->nparts) + 1;
      snprintf(doc.number, sizeof(doc.number), "%s", f[3]);
      snprintf(doc.customer_id, sizeof(doc.customer_id), "%s", f[4]);
      snprintf(doc.content_sha, sizeof(doc.content_sha), "%s", f[5]);
      if(parse_i32(f[1], &v) || v != doc.idx || parse_i32(f[2], &v) || v != doc.part)
        goto bad;
      h->ndocs++;
      if(doc_fn && (rc = doc_fn(ctx, &doc)))
        goto fail;
    } else if(nf == 2 && !strcmp(f[0], "documents") && !parse_i32(f[1], &v))
      ndocs = v;
    else
      goto bad;
  }
  if(ndocs < 0 || (size_t)ndocs != h->ndocs || seen_parts != h->nparts || !h->nparts)
    goto bad;
  lr_sha(&lr, h->id);
  lr_close(&lr);
  free(path);
  return LB_OK;
bad:
  diag_add(d, path, (long)lno, 0, NULL, "the plan is damaged or incomplete, expected what `licbill plan` wrote: "
           "plan the month again");
  rc = LB_EIO;
  goto fail;
oom:
  rc = LB_ENOMEM;
fail:
  lr_close(&lr);
  free(path);
  plan_head_clear(h);
  return rc;
}

int plan_receipt_row(spill *rows, const char *number, const char *inv_sha, const char *ev_sha)
{
  char *line = NULL;
  int n = asprintf(&line, "doc\t%s\t%s\t%s\n", number, inv_sha, ev_sha);
  if(n < 0)
    return LB_ENOMEM;
  int rc = spill_append(rows, line, (size_t)n, NULL);
  free(line);
  return rc;
}

int plan_receipt_write(const char *path, const char *plan_id, int k, int n, const spill *rows, size_t nrows)
{
  atomic_file af;
  char buf[8192];
  if(atomic_open(&af, path))
    return LB_EIO;
  fprintf(af.fp, "%s\nplan\t%s\npart\t%d\t%d\n", RECEIPT_MAGIC, plan_id, k, n);
  for(uint64_t off = 0; off < rows->size;) {
    size_t m = rows->size - off < sizeof(buf) ? (size_t)(rows->size - off) : sizeof(buf);
    if(spill_read(rows, off, buf, m) || fwrite(buf, 1, m, af.fp) != m) {
      atomic_abort(&af);
      return LB_EIO;
    }
    off += m;
  }
  fprintf(af.fp, "documents\t%zu\n", nrows);
  return atomic_commit(&af) ? LB_EIO : LB_OK;
}

/* Does the file at path have this sha256? Adds the problem to d when not. 0 yes, 1 no, -1 ENOMEM. */
static int file_matches(const char *path, const char *want, const char *number, int k, int n, diag_list *d)
{
  char sha[65];
  int rc = manifest_hash_file(path, sha, NULL);
  if(rc == LB_ENOMEM)
    return -1;
  if(rc) {
    diag_add(d, path, 0, 0, NULL, "%s of part %d/%d is missing (%s), expected the file the part's receipt names",
             number, k, n, strerror(errno));
    return 1;
  }
  if(strcmp(sha, want)) {
    diag_add(d, path, 0, 0, NULL, "%s of part %d/%d is damaged: sha256 %s, expected %s as the part's receipt says",
             number, k, n, sha, want);
    return 1;
  }
  return 0;
}

/* The documents of part k among the plan's ndocs: idx k, k + n, k + 2n, ... */
static size_t docs_of_part(size_t ndocs, int k, int n)
{
  return (size_t)k > ndocs ? 0 : (ndocs - (size_t)k) / (size_t)n + 1;
}

long plan_receipt_check(const plan_head *h, dmap *docs, const char *dir, const char *monthdir, int k, diag_list *d)
{
  char *path = plan_part_path(dir, k, h->nparts, "done"), *f[MAX_FIELDS + 1];
  line_reader lr;
  size_t lno = 0, want = docs_of_part(h->ndocs, k, h->nparts), got = 0;
  long problems = 0;
  long ndocs = -1;
  int head_ok = 0, r;
  if(!path)
    return -1;
  if(lr_open(&lr, path)) {
    diag_add(d, path, 0, 0, NULL, "part %d/%d has not finished (%zu document%s): no receipt, expected `licbill "
             "render --part %d/%d` to have run to its end", k, h->nparts, want, want == 1 ? "" : "s", k, h->nparts);
    free(path);
    return 1;
  }
  /* the receipt: each document of the part once, its files' sha256 recorded in docs */
  for(;;) {
    int nf = lr_next(&lr, f);
    int32_t v;
    if(nf == -2 && errno == ENOMEM) {
      problems = -1;
      goto out;
    }
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
        problems = 1;
        goto out;
      }
    } else if(lno == 3) {
      if(nf != 3 || strcmp(f[0], "part") || parse_i32(f[1], &v) || v != k || parse_i32(f[2], &v) || v != h->nparts)
        goto bad;
      head_ok = 1;
    } else if(nf == 4 && !strcmp(f[0], "doc") && head_ok && is_sha(f[2]) && is_sha(f[3])) {
      plan_doc p;
      if((r = dmap_get(docs, f[1], &p, NULL)) < 0) {
        problems = -1;
        goto out;
      }
      if(!r || p.part != k || p.inv_sha[0])
        goto bad;
      memcpy(p.inv_sha, f[2], 65);
      memcpy(p.ev_sha, f[3], 65);
      if(dmap_set(docs, f[1], &p) < 0) {
        problems = -1;
        goto out;
      }
      got++;
    } else if(nf == 2 && !strcmp(f[0], "documents") && !parse_i32(f[1], &v))
      ndocs = v;
    else
      goto bad;
  }
  if(ndocs < 0 || (size_t)ndocs != got || got != want)
    goto bad;
  /* each document the receipt names, as it is on disk now (the receipt again: the part's documents in order) */
  lr_close(&lr);
  if(lr_open(&lr, path)) {
    diag_add(d, path, 0, 0, NULL, "cannot read the receipt of part %d/%d again: %s", k, h->nparts, strerror(errno));
    problems = 1;
    goto out;
  }
  for(int nf; (nf = lr_next(&lr, f)) > 0;) {
    char *ip = NULL, *ep = NULL;
    if(nf != 4 || strcmp(f[0], "doc"))
      continue;
    if(asprintf(&ip, "%s/invoices/%s.pdf", monthdir, f[1]) < 0)
      ip = NULL;
    if(asprintf(&ep, "%s/evidence/%s-audit.pdf", monthdir, f[1]) < 0)
      ep = NULL;
    int a = ip ? file_matches(ip, f[2], f[1], k, h->nparts, d) : -1;
    int b = ep ? file_matches(ep, f[3], f[1], k, h->nparts, d) : -1;
    free(ip);
    free(ep);
    if(a < 0 || b < 0) {
      problems = -1;
      break;
    }
    problems += a + b;
  }
  goto out;
bad:
  diag_add(d, path, (long)lno, 0, NULL, "the receipt of part %d/%d is damaged, expected what `licbill render "
           "--part %d/%d` writes: render the part again", k, h->nparts, k, h->nparts);
  problems = 1;
out:
  lr_close(&lr);
  free(path);
  return problems;
}

/* custindex.c - one pass per file recording each customer's row spans and machine owners, in spills. */
#include "input/custindex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xsort.h"

/* A customer's spans in one file: the first in place, the others one after another in ix->more. */
typedef struct span_rec {
  span first;
  uint64_t more;       /* where the second span is in ix->more; the third follows it, ... */
  uint64_t rows;       /* of every span */
  uint32_t n;          /* spans */
  uint32_t pad;
} span_rec;

/* What the index knows of customer k, at k * sizeof(cust_rec) in ix->recs. */
#define REC_ID 28
typedef struct cust_rec {
  uint64_t id_at;      /* the id's record in ix->ids */
  int64_t line;        /* in customers.csv */
  uint32_t duplicate;  /* customer_id appears more than once: rejected */
  uint32_t id_len;
  char id[REC_ID];     /* the id itself when it is short (most are): one read gives it */
  uint32_t pad;
  span_rec files[CF__COUNT];
} cust_rec;

/* A further span as the build finds it: sorted by customer, file and place, they go into ix->more. */
typedef struct span_node {
  uint32_t k;
  uint32_t f;
  span s;
} span_node;

static int cmp_node(const void *a, size_t an, const void *b, size_t bn)
{
  span_node x, y;
  (void)an;
  (void)bn;
  memcpy(&x, a, sizeof(x));
  memcpy(&y, b, sizeof(y));
  if(x.k != y.k)
    return x.k < y.k ? -1 : 1;
  if(x.f != y.f)
    return x.f < y.f ? -1 : 1;
  return (x.s.start > y.s.start) - (x.s.start < y.s.start);
}

static int rec_read(const cust_index *ix, size_t k, cust_rec *r)
{
  if(k >= ix->n)
    return LB_EIO;
  return spill_read(&ix->recs, (uint64_t)k * sizeof(*r), r, sizeof(*r));
}

long cust_index_find(const cust_index *ix, const char *id)
{
  uint32_t k;
  int rc = dmap_get(&ix->ids, id, &k, NULL);
  return rc == 1 ? (long)k : rc == 0 ? -1 : LB_EIO;
}

long cust_index_serial_owner(const cust_index *ix, const char *serial)
{
  uint32_t k;
  int rc = dmap_get(&ix->serials, serial, &k, NULL);
  return rc == 1 ? (long)k : rc == 0 ? -1 : LB_EIO;
}

/* The id of a record, malloc'd. */
static int rec_id(const cust_index *ix, const cust_rec *r, char **id)
{
  if(r->id_len > REC_ID)
    return dmap_key(&ix->ids, r->id_at, id);
  if(!(*id = malloc((size_t)r->id_len + 1)))
    return LB_ENOMEM;
  memcpy(*id, r->id, r->id_len);
  (*id)[r->id_len] = '\0';
  return LB_OK;
}

long cust_index_serial_owner_near(const cust_index *ix, dmap_cursor *c, const char *serial)
{
  uint32_t k;
  int rc = dmap_get_near(&ix->serials, c, serial, &k);
  return rc == 1 ? (long)k : rc == 0 ? -1 : LB_EIO;
}

int cust_index_id(const cust_index *ix, size_t k, char **id)
{
  cust_rec r;
  int rc = rec_read(ix, k, &r);
  *id = NULL;
  return rc ? rc : rec_id(ix, &r, id);
}

int cust_index_entry(const cust_index *ix, size_t k, cust_entry *e)
{
  cust_rec r;
  int rc = rec_read(ix, k, &r);
  memset(e, 0, sizeof(*e));
  if(rc || (rc = rec_id(ix, &r, &e->id)))
    return rc;
  e->line = (long)r.line;
  e->duplicate = r.duplicate != 0;
  for(int f = 0; f < CF__COUNT; f++) {
    span_cursor *c = &e->spans[f];
    c->rows = r.files[f].rows;
    c->nspans = r.files[f].n;
    c->first = r.files[f].first;
    c->next = r.files[f].more;
  }
  return LB_OK;
}

void cust_entry_clear(cust_entry *e)
{
  free(e->id);
  memset(e, 0, sizeof(*e));
}

int cust_index_next_span(const cust_index *ix, span_cursor *c, span *s)
{
  if(c->i >= c->nspans)
    return 0;
  if(c->i++ == 0) {
    *s = c->first;
    return 1;
  }
  /* the further spans are together: read a few at a time */
  if(c->nbuf == 0 || c->at >= c->nbuf) {
    uint32_t left = c->nspans - c->i + 1, n = left < SPAN_BATCH ? left : SPAN_BATCH;
    if(spill_read(&ix->more, c->next, c->buf, n * sizeof(span)))
      return LB_EIO;
    c->next += n * sizeof(span);
    c->nbuf = n;
    c->at = 0;
  }
  *s = c->buf[c->at++];
  return 1;
}

/* ---- building ----------------------------------------------------------------- */

/* One pass over the files. Rows of a customer come together, and the files
 * mostly list customers in the same order: the records are read and written
 * through a window of WINDOW consecutive customers, the next customer's id
 * is tried before the map, and the span being read grows here until a row
 * ends it. */
#define WINDOW 64

typedef struct builder {
  cust_index *ix;
  cust_rec win[WINDOW]; /* records base..base+nwin-1 */
  size_t base, nwin;
  int dirty;
  long open_k;          /* customer of the open span, -1 = none */
  cust_file open_f;
  span open;
  int open_first;       /* it is the record's first span of the file (else it goes to extra) */
  xsort *extra;         /* the further spans, sorted into ix->more at the end */
  char *last_id;        /* the id last looked up, and its index */
  size_t last_cap;
  long last_k;
} builder;

static int tmp_fail(cust_index *ix, diag_list *d)
{
  if(!ix->tmp_failed)
    diag_add(d, spill_dir(), 0, 0, NULL, "cannot keep the customer index in a temporary file there: %s",
             strerror(errno));
  ix->tmp_failed = 1;
  return LB_EIO;
}

static int win_flush(builder *b)
{
  int rc = LB_OK;
  if(b->dirty && b->nwin)
    rc = spill_write(&b->ix->recs, (uint64_t)b->base * sizeof(cust_rec), b->win, b->nwin * sizeof(cust_rec));
  if(!rc)
    b->dirty = 0;
  return rc;
}

/* Customer k's record, in the window (which moves to k when k is outside it). NULL when the spill fails. */
static cust_rec *rec_at(builder *b, size_t k)
{
  if(k < b->base || k >= b->base + b->nwin) {
    size_t n = b->ix->n - k < WINDOW ? b->ix->n - k : WINDOW;
    if(win_flush(b))
      return NULL;
    b->nwin = 0;
    if(spill_read(&b->ix->recs, (uint64_t)k * sizeof(cust_rec), b->win, n * sizeof(cust_rec)))
      return NULL;
    b->base = k;
    b->nwin = n;
  }
  return &b->win[k - b->base];
}

/* The open span in its place. */
static int close_span(builder *b)
{
  if(b->open_k < 0)
    return LB_OK;
  long k = b->open_k;
  b->open_k = -1;
  if(b->open_first) {
    cust_rec *r = rec_at(b, (size_t)k);
    if(!r)
      return LB_EIO;
    r->files[b->open_f].first = b->open;
    b->dirty = 1;
    return LB_OK;
  }
  span_node nd;
  memset(&nd, 0, sizeof(nd));
  nd.k = (uint32_t)k;
  nd.f = (uint32_t)b->open_f;
  nd.s = b->open;
  return xsort_add(b->extra, &nd, sizeof(nd));
}

static int add_span(builder *b, long k, cust_file f, int64_t start, int64_t end, long line)
{
  cust_rec *r;
  int rc;
  if(b->open_k == k && b->open_f == f && b->open.end == start) {
    /* the row right after the last one added (any row between, even one skipped, ends a span) */
    if(!(r = rec_at(b, (size_t)k)))
      return LB_EIO;
    b->open.end = end;
    b->open.rows++;
    r->files[f].rows++;
    b->dirty = 1;
    return LB_OK;
  }
  if((rc = close_span(b)))
    return rc;
  if(!(r = rec_at(b, (size_t)k)))
    return LB_EIO;
  span_rec *sr = &r->files[f];
  b->open_first = sr->n == 0;
  sr->n++;
  sr->rows++;
  b->dirty = 1;
  b->open = (span){start, end, line, 1};
  b->open_k = k;
  b->open_f = f;
  return LB_OK;
}

/* A new customer: 0, or 1 when its id is there already (*prev gets that customer), or a code. */
/* The further spans, sorted by customer, file and place, into ix->more; each record points at its first. */
static int place_extra(builder *b)
{
  const void *rec;
  size_t n;
  int rc;
  uint32_t k = UINT32_MAX, f = UINT32_MAX;
  while((rc = xsort_next(b->extra, &rec, &n)) == 1) {
    span_node nd;
    uint64_t off;
    memcpy(&nd, rec, sizeof(nd));
    if((rc = spill_append(&b->ix->more, &nd.s, sizeof(nd.s), &off)))
      return rc;
    if(nd.k != k || nd.f != f) {
      cust_rec *r = rec_at(b, nd.k);
      if(!r)
        return LB_EIO;
      r->files[nd.f].more = off;
      b->dirty = 1;
      k = nd.k;
      f = nd.f;
    }
  }
  return rc;
}

static int add_customer(builder *b, const char *id, long line, long *prev)
{
  cust_index *ix = b->ix;
  cust_rec r;
  uint32_t k = (uint32_t)ix->n, old;
  size_t len = strlen(id);
  int rc;
  memset(&r, 0, sizeof(r));
  r.line = line;
  r.id_len = (uint32_t)len;
  if(len <= REC_ID)
    memcpy(r.id, id, len);
  if((rc = dmap_put(&ix->ids, id, &k, &old, &r.id_at))) {
    *prev = old;
    return rc;
  }
  /* the new record joins the window, or starts the next one */
  if(b->base + b->nwin != k || b->nwin == WINDOW) {
    if((rc = win_flush(b)))
      return rc;
    b->base = k;
    b->nwin = 0;
  }
  b->win[b->nwin++] = r;
  b->dirty = 1;
  ix->n++;
  return LB_OK;
}

/* The index of id: the last one looked up, or the customer after it (the
 * files list customers in the same order, mostly), or the map's answer. */
static long find_cached(builder *b, const char *id)
{
  if(b->last_id && strcmp(b->last_id, id) == 0)
    return b->last_k;
  long k = -1;
  size_t n = strlen(id);
  /* the customers after the last one, as far as the window goes (a file may skip some) */
  size_t g = b->last_k >= 0 && (size_t)b->last_k + 1 > b->base ? (size_t)b->last_k + 1 : b->base;
  for(; k < 0 && n <= REC_ID && g < b->base + b->nwin; g++) {
    const cust_rec *r = &b->win[g - b->base];
    if(r->id_len == n && memcmp(r->id, id, n) == 0)
      k = (long)g;
  }
  if(k < 0 && (k = cust_index_find(b->ix, id)) == LB_EIO)
    return k;
  if(n + 1 > b->last_cap) {
    char *p = realloc(b->last_id, n + 1);
    if(!p)
      return k; /* just not cached */
    b->last_id = p;
    b->last_cap = n + 1;
  }
  memcpy(b->last_id, id, n + 1);
  b->last_k = k;
  return k;
}

/* Lines of the file at path, an upper bound of its rows (0 when it cannot be read): the maps are made that
 * large at once instead of doubling. */
static uint64_t count_lines(const char *path)
{
  char buf[65536];
  uint64_t lines = 0;
  ssize_t n;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return 0;
  while((n = read(fd, buf, sizeof(buf))) > 0)
    for(const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
      lines++;
  close(fd);
  return lines;
}

/* With header_only the header is checked and no row is read: without a
 * usable customers.csv every row would name an "unknown" customer. */
static int index_file(builder *b, cust_file f, int header_only, diag_list *d)
{
  cust_index *ix = b->ix;
  int ncols;
  const col_spec *cols = cust_file_columns(f, &ncols);
  table *t = &ix->headers[f];
  diag_list scratch;
  char *other = NULL;
  int rc;
  diag_init(&scratch);
  rc = table_open(t, ix->paths[f], cols, ncols, NULL, NULL, d);
  if(rc || header_only)
    goto out;
  t->d = &scratch;
  if(f == CF_CUSTOMERS || f == CF_MACHINES) {
    rc = dmap_reserve(f == CF_CUSTOMERS ? &ix->ids : &ix->serials, count_lines(ix->paths[f]));
    if(rc)
      goto spilled;
  }
  while((rc = table_next(t)) > 0) {
    const csv_row *r = t->row;
    int fi = t->map[0];
    const char *id = (fi >= 0 && (size_t)fi < r->nfields) ? r->fields[fi] : "";
    long k = *id ? (f == CF_CUSTOMERS ? -2 : find_cached(b, id)) : -1;
    if(k == LB_EIO) {
      rc = LB_EIO;
      goto spilled;
    }
    /* row-level problems are reported again, with the customer, when the
     * customer is loaded; here only rows that belong to nobody are */
    if(k == -1) {
      diag_move(d, &scratch);
      t->d = d;
      if(*id)
        tbl_error(t, 0, "customer_id '%s' is not in customers.csv, expected a known customer", id);
      else if(!t->row_bad)
        tbl_error(t, 0, "column 'customer_id' is empty, expected the customer the row belongs to");
      t->d = &scratch;
      continue;
    }
    if(f == CF_CUSTOMERS) {
      long prev = -1;
      if((rc = add_customer(b, id, r->line, &prev)) < 0)
        goto spilled;
      if(rc == 1) {
        cust_rec *pr = rec_at(b, (size_t)prev);
        if(!pr) {
          rc = LB_EIO;
          goto spilled;
        }
        pr->duplicate = 1;
        b->dirty = 1;
        t->d = d;
        t->customer = id;
        tbl_error(t, 0, "customer_id '%s' appears twice (first on line %ld), expected each customer once",
                  id, (long)pr->line);
        t->customer = NULL;
        t->d = &scratch;
        continue;
      }
      k = (long)ix->n - 1;
    }
    if((rc = add_span(b, k, f, r->offset, r->end, r->line)))
      goto spilled;
    if(f == CF_MACHINES && !t->row_bad && tbl_given(t, M_SERIAL)) {
      const char *serial = tbl_str(t, M_SERIAL);
      uint32_t mine = (uint32_t)k, owner;
      int there = dmap_put(&ix->serials, serial, &mine, &owner, NULL);
      if(there < 0) {
        rc = there;
        goto spilled;
      }
      if(there && (long)owner != k) {
        const cust_rec *orec = rec_at(b, owner);
        if(!orec) {
          rc = LB_EIO;
          goto spilled;
        }
        if((rc = rec_id(ix, orec, &other)))
          goto spilled;
        t->customer = id; /* this row's customer */
        t->d = d;
        tbl_error(t, M_SERIAL, "machine %s is also listed for customer %s, expected a machine to belong "
                  "to one customer", serial, other);
        t->customer = NULL;
        t->d = &scratch;
        free(other);
        other = NULL;
      }
    }
    diag_clear(&scratch);
  }
  goto out;
spilled:
  /* the spills failed, not the input */
  if(rc == LB_EIO)
    rc = tmp_fail(ix, d);
out:
  if(rc < 0)
    diag_move(d, &scratch);
  t->d = d;
  if(t->f) {
    csvf_close(t->f);
    t->f = NULL;
  }
  free(other);
  diag_clear(&scratch);
  return rc;
}

int cust_index_build(cust_index *ix, const char *dir, diag_list *d)
{
  builder b; /* its window is a few dozen KB: on the stack */
  int rc = LB_ENOMEM;
  memset(ix, 0, sizeof(*ix));
  memset(&b, 0, sizeof(b));
  dmap_init(&ix->ids, sizeof(uint32_t));
  dmap_init(&ix->serials, sizeof(uint32_t));
  b.ix = ix;
  b.open_k = b.last_k = -1;
  ix->dir = strdup(dir);
  if(!ix->dir)
    return rc;
  for(int f = 0; f < CF__COUNT; f++)
    if(asprintf(&ix->paths[f], "%s/%s", dir, cust_file_names[f]) < 0) {
      ix->paths[f] = NULL;
      return LB_ENOMEM;
    }
  if((rc = xsort_new(&b.extra, cmp_node, 0)))
    return rc;
  for(int f = 0; f < CF__COUNT; f++) {
    int r = index_file(&b, (cust_file)f, f != CF_CUSTOMERS && rc < 0, d);
    if(r == LB_ENOMEM || r == LB_EIO) {
      rc = r;
      goto out;
    }
    if(r < 0)
      rc = r;
  }
  /* the further spans in order, each customer's of a file together, and the records written back */
  int r = close_span(&b);
  if(!r)
    r = place_extra(&b);
  if(!r)
    r = win_flush(&b);
  if(r)
    rc = r == LB_EIO ? tmp_fail(ix, d) : r;
out:
  xsort_free(b.extra);
  free(b.last_id);
  return rc;
}

void cust_index_clear(cust_index *ix)
{
  for(int f = 0; f < CF__COUNT; f++)
    free(ix->paths[f]);
  dmap_clear(&ix->ids);
  dmap_clear(&ix->serials);
  spill_clear(&ix->recs);
  spill_clear(&ix->more);
  free(ix->dir);
  memset(ix, 0, sizeof(*ix));
}

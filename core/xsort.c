/* xsort.c - external merge sort: runs sorted in memory, written to a spill, merged through a heap. */
#include "core/xsort.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/spill.h"

#define RUN_BUF (32 * 1024) /* read buffer of one run while merging */

typedef struct item {
  size_t off;   /* in buf; also the order of adding, for ties */
  uint32_t len;
} item;

/* One run being read: records are a uint32 length and the bytes. */
typedef struct reader {
  const spill *sp;
  uint64_t start, pos, end; /* the run, and the next record */
  unsigned char *buf;       /* bytes bpos..bpos+have-1 of the spill */
  size_t cap, have;
  uint64_t bpos;
  const unsigned char *rec; /* the current record, NULL when the run is done */
  size_t rlen;
} reader;

struct xsort {
  xsort_cmp cmp;
  size_t budget;
  unsigned char *buf;       /* records gathered for the next run */
  size_t blen, bcap;
  item *items;
  size_t n, cap;
  spill runs;
  uint64_t *bounds;         /* run i is bytes bounds[i]..bounds[i+1]-1 of runs */
  size_t nruns, bcount;
  int reading;
  size_t at;                /* in memory: the next item */
  reader rd[XSORT_FANIN];
  size_t nrd;
  size_t heap[XSORT_FANIN];
  size_t nheap;
  int advance;              /* the heap's top was returned: move it on first */
};

int xsort_new(xsort **out, xsort_cmp cmp, size_t budget)
{
  xsort *x = calloc(1, sizeof(*x));
  *out = NULL;
  if(!x)
    return LB_ENOMEM;
  x->cmp = cmp;
  x->budget = budget ? budget : XSORT_MEM;
  spill_init(&x->runs, 0);
  *out = x;
  return LB_OK;
}

void xsort_free(xsort *x)
{
  if(!x)
    return;
  free(x->buf);
  free(x->items);
  free(x->bounds);
  for(size_t i = 0; i < XSORT_FANIN; i++)
    free(x->rd[i].buf);
  spill_clear(&x->runs);
  free(x);
}

static int cmp_items(const void *a, const void *b, void *arg)
{
  const xsort *x = arg;
  const item *p = a, *q = b;
  int c = x->cmp(x->buf + p->off, p->len, x->buf + q->off, q->len);
  if(c)
    return c;
  return p->off < q->off ? -1 : p->off > q->off;
}

/* Room for one more run's end in bounds. */
static int grow_bounds(xsort *x)
{
  if(x->nruns + 2 <= x->bcount)
    return LB_OK;
  size_t nc = x->bcount ? x->bcount * 2 : 16;
  uint64_t *nb = realloc(x->bounds, nc * sizeof(*nb));
  if(!nb)
    return LB_ENOMEM;
  x->bounds = nb;
  x->bcount = nc;
  return LB_OK;
}

/* The gathered records, sorted, as a new run. */
static int flush_run(xsort *x)
{
  int rc;
  if(!x->n)
    return LB_OK;
  qsort_r(x->items, x->n, sizeof(item), cmp_items, x);
  if((rc = grow_bounds(x)))
    return rc;
  x->bounds[x->nruns] = x->runs.size;
  for(size_t i = 0; i < x->n; i++) {
    uint32_t len = x->items[i].len;
    if((rc = spill_append(&x->runs, &len, sizeof(len), NULL)) ||
       (rc = spill_append(&x->runs, x->buf + x->items[i].off, len, NULL)))
      return rc;
  }
  x->bounds[x->nruns + 1] = x->runs.size;
  x->nruns++;
  x->n = 0;
  x->blen = 0;
  return LB_OK;
}

int xsort_add(xsort *x, const void *rec, size_t n)
{
  int rc;
  if(x->reading || n > UINT32_MAX)
    return LB_EBUG;
  if(x->n && x->blen + n + (x->n + 1) * sizeof(item) > x->budget && (rc = flush_run(x)))
    return rc;
  if(x->blen + n > x->bcap) {
    size_t nc = x->bcap ? x->bcap : 4096;
    while(nc < x->blen + n)
      nc *= 2;
    unsigned char *nb = realloc(x->buf, nc);
    if(!nb)
      return LB_ENOMEM;
    x->buf = nb;
    x->bcap = nc;
  }
  if(x->n == x->cap) {
    size_t nc = x->cap ? x->cap * 2 : 256;
    item *ni = realloc(x->items, nc * sizeof(*ni));
    if(!ni)
      return LB_ENOMEM;
    x->items = ni;
    x->cap = nc;
  }
  memcpy(x->buf + x->blen, rec, n);
  x->items[x->n++] = (item){x->blen, (uint32_t)n};
  x->blen += n;
  return LB_OK;
}

/* ---- merging ---------------------------------------------------------------- */

static void reader_open(reader *r, const spill *sp, uint64_t start, uint64_t end)
{
  r->sp = sp;
  r->start = r->pos = start;
  r->end = end;
  r->have = 0;
  r->bpos = 0;
  r->rec = NULL;
}

/* Bytes pos..pos+n-1 in the buffer. */
static int reader_window(reader *r, uint64_t pos, size_t n)
{
  if(pos >= r->bpos && pos + n <= r->bpos + r->have)
    return LB_OK;
  size_t want = n > RUN_BUF ? n : RUN_BUF;
  if(want > r->end - pos)
    want = (size_t)(r->end - pos);
  if(want < n)
    return LB_EIO; /* a record running past its run: the spill is not what was written */
  if(want > r->cap) {
    unsigned char *nb = realloc(r->buf, want);
    if(!nb)
      return LB_ENOMEM;
    r->buf = nb;
    r->cap = want;
  }
  int rc = spill_read(r->sp, pos, r->buf, want);
  if(rc)
    return rc;
  r->bpos = pos;
  r->have = want;
  return LB_OK;
}

/* Move to the run's next record (r->rec NULL at its end). */
static int reader_next(reader *r)
{
  uint32_t len;
  int rc;
  r->rec = NULL;
  if(r->pos >= r->end)
    return LB_OK;
  if((rc = reader_window(r, r->pos, sizeof(len))))
    return rc;
  memcpy(&len, r->buf + (r->pos - r->bpos), sizeof(len));
  if((rc = reader_window(r, r->pos, sizeof(len) + len)))
    return rc;
  r->rec = r->buf + (r->pos - r->bpos) + sizeof(len);
  r->rlen = len;
  r->pos += sizeof(len) + len;
  return LB_OK;
}

/* Heap order: the smaller record, then the earlier run. */
static int before(const xsort *x, size_t a, size_t b)
{
  int c = x->cmp(x->rd[a].rec, x->rd[a].rlen, x->rd[b].rec, x->rd[b].rlen);
  return c < 0 || (c == 0 && a < b);
}

static void sift_down(xsort *x, size_t i)
{
  for(;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if(l < x->nheap && before(x, x->heap[l], x->heap[m]))
      m = l;
    if(r < x->nheap && before(x, x->heap[r], x->heap[m]))
      m = r;
    if(m == i)
      return;
    size_t t = x->heap[i];
    x->heap[i] = x->heap[m];
    x->heap[m] = t;
    i = m;
  }
}

/* Readers on runs first..first+n-1, each at its first record, in a heap. */
static int merge_start(xsort *x, size_t first, size_t n)
{
  int rc;
  x->nrd = n;
  x->nheap = 0;
  x->advance = 0;
  for(size_t i = 0; i < n; i++) {
    reader_open(&x->rd[i], &x->runs, x->bounds[first + i], x->bounds[first + i + 1]);
    if((rc = reader_next(&x->rd[i])))
      return rc;
    if(x->rd[i].rec)
      x->heap[x->nheap++] = i;
  }
  for(size_t i = x->nheap / 2; i-- > 0;)
    sift_down(x, i);
  return LB_OK;
}

/* The smallest record of the merge: 1, or 0 when every run is done. */
static int merge_next(xsort *x, const void **rec, size_t *n)
{
  int rc;
  if(x->advance) {
    x->advance = 0;
    reader *r = &x->rd[x->heap[0]];
    if((rc = reader_next(r)))
      return rc;
    if(!r->rec)
      x->heap[0] = x->heap[--x->nheap];
    if(x->nheap)
      sift_down(x, 0);
  }
  if(!x->nheap)
    return 0;
  *rec = x->rd[x->heap[0]].rec;
  *n = x->rd[x->heap[0]].rlen;
  x->advance = 1;
  return 1;
}

/* Merge the runs XSORT_FANIN at a time into fewer, longer runs, until one merge can read them all. */
static int merge_pass(xsort *x)
{
  spill out;
  uint64_t *nb = calloc(x->nruns / XSORT_FANIN + 2, sizeof(*nb));
  size_t nn = 0;
  int rc = nb ? LB_OK : LB_ENOMEM;
  spill_init(&out, 0);
  for(size_t g = 0; !rc && g < x->nruns; g += XSORT_FANIN) {
    size_t k = x->nruns - g < XSORT_FANIN ? x->nruns - g : XSORT_FANIN;
    const void *rec = NULL;
    size_t len = 0;
    nb[nn] = out.size;
    rc = merge_start(x, g, k);
    while(!rc && (rc = merge_next(x, &rec, &len)) == 1) {
      uint32_t l = (uint32_t)len;
      if(!(rc = spill_append(&out, &l, sizeof(l), NULL)))
        rc = spill_append(&out, rec, len, NULL);
    }
    nn++;
  }
  if(rc) {
    spill_clear(&out);
    free(nb);
    return rc;
  }
  nb[nn] = out.size;
  spill_clear(&x->runs);
  x->runs = out;
  free(x->bounds);
  x->bounds = nb;
  x->bcount = x->nruns / XSORT_FANIN + 2;
  x->nruns = nn;
  return LB_OK;
}

static int start_reading(xsort *x)
{
  int rc;
  x->reading = 1;
  if(!x->nruns) {
    if(x->n)
      qsort_r(x->items, x->n, sizeof(item), cmp_items, x);
    x->at = 0;
    return LB_OK;
  }
  if((rc = flush_run(x)))
    return rc;
  free(x->buf);
  free(x->items);
  x->buf = NULL;
  x->items = NULL;
  x->bcap = x->cap = 0;
  while(x->nruns > XSORT_FANIN)
    if((rc = merge_pass(x)))
      return rc;
  return merge_start(x, 0, x->nruns);
}

int xsort_next(xsort *x, const void **rec, size_t *n)
{
  int rc;
  if(!x->reading && (rc = start_reading(x)))
    return rc;
  if(!x->nruns) {
    if(x->at == x->n)
      return 0;
    *rec = x->buf + x->items[x->at].off;
    *n = x->items[x->at].len;
    x->at++;
    return 1;
  }
  return merge_next(x, rec, n);
}

int xsort_rewind(xsort *x)
{
  if(!x->reading)
    return start_reading(x);
  if(!x->nruns) {
    x->at = 0;
    return LB_OK;
  }
  return merge_start(x, 0, x->nruns);
}

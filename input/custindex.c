/* custindex.c - one pass per file recording each customer's row spans and machine owners. */
#include "input/custindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static uint64_t hash_str(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  while(*s)
    h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
  return h;
}

static int rehash(uint32_t **slots, size_t *nslots, size_t count, char **(*key)(void *, size_t),
                  void *ctx)
{
  size_t ns = *nslots ? *nslots * 2 : 1024;
  uint32_t *s = calloc(ns, sizeof(*s));
  if(!s)
    return LB_ENOMEM;
  for(size_t i = 0; i < count; i++) {
    size_t h = hash_str(*key(ctx, i)) & (ns - 1);
    while(s[h])
      h = (h + 1) & (ns - 1);
    s[h] = (uint32_t)(i + 1);
  }
  free(*slots);
  *slots = s;
  *nslots = ns;
  return LB_OK;
}

static char **cust_key(void *ctx, size_t i) { return &((cust_index *)ctx)->v[i].id; }
static char **serial_key(void *ctx, size_t i) { return &((cust_index *)ctx)->serials[i]; }

long cust_index_find(const cust_index *ix, const char *id)
{
  if(!ix->nslots)
    return -1;
  size_t h = hash_str(id) & (ix->nslots - 1);
  while(ix->slots[h]) {
    if(strcmp(ix->v[ix->slots[h] - 1].id, id) == 0)
      return (long)ix->slots[h] - 1;
    h = (h + 1) & (ix->nslots - 1);
  }
  return -1;
}

long cust_index_serial_owner(const cust_index *ix, const char *serial)
{
  if(!ix->nserial_slots)
    return -1;
  size_t h = hash_str(serial) & (ix->nserial_slots - 1);
  while(ix->serial_slots[h]) {
    uint32_t i = ix->serial_slots[h] - 1;
    if(strcmp(ix->serials[i], serial) == 0)
      return (long)ix->serial_owner[i];
    h = (h + 1) & (ix->nserial_slots - 1);
  }
  return -1;
}

static int add_customer(cust_index *ix, const char *id, long line)
{
  if(ix->n == ix->cap) {
    size_t ncap = ix->cap ? ix->cap * 2 : 256;
    cust_entry *nv = realloc(ix->v, ncap * sizeof(*nv));
    if(!nv)
      return LB_ENOMEM;
    ix->v = nv;
    ix->cap = ncap;
  }
  cust_entry *e = &ix->v[ix->n];
  memset(e, 0, sizeof(*e));
  e->id = strdup(id);
  if(!e->id)
    return LB_ENOMEM;
  e->line = line;
  ix->n++;
  if(ix->n * 2 > ix->nslots)
    return rehash(&ix->slots, &ix->nslots, ix->n, cust_key, ix);
  size_t h = hash_str(id) & (ix->nslots - 1);
  while(ix->slots[h])
    h = (h + 1) & (ix->nslots - 1);
  ix->slots[h] = (uint32_t)ix->n;
  return LB_OK;
}

static int add_serial(cust_index *ix, const char *serial, size_t owner)
{
  if(ix->nserials == ix->serial_cap) {
    size_t ncap = ix->serial_cap ? ix->serial_cap * 2 : 256;
    char **ns = realloc(ix->serials, ncap * sizeof(*ns));
    if(!ns)
      return LB_ENOMEM;
    ix->serials = ns;
    uint32_t *no = realloc(ix->serial_owner, ncap * sizeof(*no));
    if(!no)
      return LB_ENOMEM;
    ix->serial_owner = no;
    ix->serial_cap = ncap;
  }
  ix->serials[ix->nserials] = strdup(serial);
  if(!ix->serials[ix->nserials])
    return LB_ENOMEM;
  ix->serial_owner[ix->nserials] = (uint32_t)owner;
  ix->nserials++;
  if(ix->nserials * 2 > ix->nserial_slots)
    return rehash(&ix->serial_slots, &ix->nserial_slots, ix->nserials, serial_key, ix);
  size_t h = hash_str(serial) & (ix->nserial_slots - 1);
  while(ix->serial_slots[h])
    h = (h + 1) & (ix->nserial_slots - 1);
  ix->serial_slots[h] = (uint32_t)ix->nserials;
  return LB_OK;
}

static int add_span(span_list *l, int64_t start, int64_t end, long line)
{
  span *last = l->n == 0 ? NULL : l->n == 1 ? &l->one : &l->more[l->n - 2];
  if(last && last->end == start) {
    last->end = end;
    last->rows++;
    return LB_OK;
  }
  if(l->n == 0) {
    l->one = (span){start, end, line, 1};
    l->n = 1;
    return LB_OK;
  }
  if(l->n - 1 == l->cap) {
    uint32_t ncap = l->cap ? l->cap * 2 : 4;
    span *nm = realloc(l->more, ncap * sizeof(*nm));
    if(!nm)
      return LB_ENOMEM;
    l->more = nm;
    l->cap = ncap;
  }
  l->more[l->n - 1] = (span){start, end, line, 1};
  l->n++;
  return LB_OK;
}

size_t cust_index_nspans(const cust_index *ix, size_t k, cust_file f) { return ix->v[k].files[f].n; }

const span *cust_index_span(const cust_index *ix, size_t k, cust_file f, size_t i)
{
  const span_list *l = &ix->v[k].files[f];
  return i == 0 ? &l->one : &l->more[i - 1];
}

/* With header_only the header is checked and no row is read: without a
 * usable customers.csv every row would name an "unknown" customer. */
static int index_file(cust_index *ix, cust_file f, int header_only, diag_list *d)
{
  int ncols;
  const col_spec *cols = cust_file_columns(f, &ncols);
  table *t = &ix->headers[f];
  diag_list scratch;
  int rc;
  diag_init(&scratch);
  rc = table_open(t, ix->paths[f], cols, ncols, NULL, NULL, d);
  if(rc || header_only)
    goto out;
  t->d = &scratch;
  while((rc = table_next(t)) > 0) {
    const csv_row *r = t->row;
    int fi = t->map[0];
    const char *id = (fi >= 0 && (size_t)fi < r->nfields) ? r->fields[fi] : "";
    long k = *id ? (f == CF_CUSTOMERS ? -2 : cust_index_find(ix, id)) : -1;
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
      long prev = cust_index_find(ix, id);
      if(prev >= 0) {
        ix->v[prev].duplicate = 1;
        t->d = d;
        t->customer = id;
        tbl_error(t, 0, "customer_id '%s' appears twice (first on line %ld), expected each customer once",
                  id, ix->v[prev].line);
        t->customer = NULL;
        t->d = &scratch;
        continue;
      }
      rc = add_customer(ix, id, r->line);
      if(rc)
        goto out;
      k = (long)ix->n - 1;
    }
    rc = add_span(&ix->v[k].files[f], r->offset, r->end, r->line);
    if(rc)
      goto out;
    if(f == CF_MACHINES && !t->row_bad && tbl_given(t, M_SERIAL)) {
      const char *serial = tbl_str(t, M_SERIAL);
      long owner = cust_index_serial_owner(ix, serial);
      if(owner >= 0 && owner != k) {
        t->customer = ix->v[k].id;
        t->d = d;
        tbl_error(t, M_SERIAL, "machine %s is also listed for customer %s, expected a machine to belong "
                  "to one customer", serial, ix->v[owner].id);
        t->customer = NULL;
        t->d = &scratch;
      } else if(owner < 0 && (rc = add_serial(ix, serial, (size_t)k)))
        goto out;
    }
    diag_clear(&scratch);
  }
out:
  if(rc < 0)
    diag_move(d, &scratch);
  t->d = d;
  if(t->f) {
    csvf_close(t->f);
    t->f = NULL;
  }
  diag_clear(&scratch);
  return rc;
}

int cust_index_build(cust_index *ix, const char *dir, diag_list *d)
{
  int rc = LB_ENOMEM;
  memset(ix, 0, sizeof(*ix));
  ix->dir = strdup(dir);
  if(!ix->dir)
    return rc;
  for(int f = 0; f < CF__COUNT; f++)
    if(asprintf(&ix->paths[f], "%s/%s", dir, cust_file_names[f]) < 0) {
      ix->paths[f] = NULL;
      return LB_ENOMEM;
    }
  rc = LB_OK;
  for(int f = 0; f < CF__COUNT; f++) {
    int r = index_file(ix, (cust_file)f, f != CF_CUSTOMERS && rc < 0, d);
    if(r == LB_ENOMEM || r == LB_EIO)
      return r;
    if(r < 0)
      rc = r;
  }
  return rc;
}

void cust_index_clear(cust_index *ix)
{
  for(size_t i = 0; i < ix->n; i++) {
    free(ix->v[i].id);
    for(int f = 0; f < CF__COUNT; f++)
      free(ix->v[i].files[f].more);
  }
  for(size_t i = 0; i < ix->nserials; i++)
    free(ix->serials[i]);
  for(int f = 0; f < CF__COUNT; f++)
    free(ix->paths[f]);
  free(ix->serials);
  free(ix->serial_owner);
  free(ix->serial_slots);
  free(ix->v);
  free(ix->slots);
  free(ix->dir);
  memset(ix, 0, sizeof(*ix));
}

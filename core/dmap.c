/* dmap.c - string keys to fixed-size values, hashed with open addressing, everything in spills. */
#include "core/dmap.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"

/* A slot carries its key and value when they are short, so that a lookup is one read. */
#define SLOT_KEY 36
#define SLOT_VAL 8
typedef struct slot {
  uint64_t hash;
  uint64_t ref;                /* record offset + 1; 0 = empty */
  uint32_t klen;
  char key[SLOT_KEY];          /* the key, when klen <= SLOT_KEY */
  unsigned char val[SLOT_VAL]; /* the value, when vsize <= SLOT_VAL */
} slot;

#define FIRST_SLOTS 1024
#define PROBE 4      /* slots read at once */
#define KEY_STACK 256

static uint64_t hash_key(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  while(*s)
    h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
  return h;
}

void dmap_init(dmap *m, size_t vsize)
{
  memset(m, 0, sizeof(*m));
  m->vsize = vsize;
}

void dmap_clear(dmap *m)
{
  if(!m)
    return;
  spill_clear(&m->recs);
  spill_clear(&m->slots);
  memset(m, 0, sizeof(*m));
}

/* 1 when the record at ref - 1 holds key (klen bytes), its value then copied to val (may be NULL); 0 when
 * not. One read: the record's length, key and value together. */
static int same_key(const dmap *m, uint64_t ref, const char *key, uint32_t klen, void *val)
{
  unsigned char stack[KEY_STACK + 64], *buf = stack;
  size_t n = sizeof(uint32_t) + klen + m->vsize;
  uint32_t have;
  int rc;
  if(ref - 1 + n > m->recs.size)
    return 0; /* a record of this key and its value would fit */
  if(n > sizeof(stack) && !(buf = malloc(n)))
    return LB_ENOMEM;
  rc = spill_read(&m->recs, ref - 1, buf, n);
  if(!rc) {
    memcpy(&have, buf, sizeof(have));
    rc = have == klen && memcmp(buf + sizeof(have), key, klen) == 0;
    if(rc == 1 && val)
      memcpy(val, buf + sizeof(have) + klen, m->vsize);
  }
  if(buf != stack)
    free(buf);
  return rc;
}

/* Probe for key in a table of nslots slots: 1 found (*at = its slot, *ref its record, its value copied to val
 * when not NULL), 0 absent (*at = the first empty slot). With key NULL, only the empty slot is looked for. */
static int probe(const spill *slots, uint64_t nslots, const dmap *m, const char *key, uint64_t h, uint64_t *at,
                 uint64_t *ref, void *val)
{
  uint64_t mask = nslots - 1, i = h & mask;
  uint32_t klen = key ? (uint32_t)strlen(key) : 0;
  slot blk[PROBE];
  for(;;) {
    uint64_t c = nslots - i < PROBE ? nslots - i : PROBE;
    int rc = spill_read(slots, i * sizeof(slot), blk, (size_t)c * sizeof(slot));
    if(rc)
      return rc;
    for(uint64_t j = 0; j < c; j++) {
      const slot *sl = &blk[j];
      if(!sl->ref) {
        *at = i + j;
        return 0;
      }
      if(!key || sl->hash != h || sl->klen != klen)
        continue;
      if(klen <= SLOT_KEY) {
        if(memcmp(sl->key, key, klen))
          continue;
        if(val && m->vsize <= SLOT_VAL)
          memcpy(val, sl->val, m->vsize);
        else if(val && (rc = spill_read(&m->recs, sl->ref - 1 + sizeof(uint32_t) + klen, val, m->vsize)))
          return rc;
      } else if((rc = same_key(m, sl->ref, key, klen, val)) <= 0) {
        if(rc < 0)
          return rc;
        continue;
      }
      *at = i + j;
      *ref = sl->ref;
      return 1;
    }
    i = (i + c) & mask;
  }
}

/* Twice the slots: every record re-placed in a new slot table. */
static int rehash(dmap *m)
{
  spill ns;
  uint64_t nn = m->nslots ? m->nslots * 2 : FIRST_SLOTS, chunk = SPILL_TAIL / sizeof(slot);
  slot *buf = malloc((size_t)chunk * sizeof(slot));
  int rc;
  spill_init(&ns, 0);
  if(!buf)
    return LB_ENOMEM;
  rc = spill_grow(&ns, nn * sizeof(slot));
  for(uint64_t i = 0; !rc && i < m->nslots; i += chunk) {
    uint64_t c = m->nslots - i < chunk ? m->nslots - i : chunk;
    rc = spill_read(&m->slots, i * sizeof(slot), buf, (size_t)c * sizeof(slot));
    for(uint64_t j = 0; !rc && j < c; j++) {
      uint64_t at, ref;
      if(!buf[j].ref)
        continue;
      rc = probe(&ns, nn, m, NULL, buf[j].hash, &at, &ref, NULL);
      if(!rc)
        rc = spill_write(&ns, at * sizeof(slot), &buf[j], sizeof(slot));
    }
  }
  free(buf);
  if(rc) {
    spill_clear(&ns);
    return rc;
  }
  spill_clear(&m->slots);
  m->slots = ns;
  m->nslots = nn;
  return LB_OK;
}

int dmap_reserve(dmap *m, uint64_t n)
{
  uint64_t ns = FIRST_SLOTS;
  if(m->n || m->nslots)
    return LB_OK; /* in use: it grows as it goes */
  while(ns < 2 * n + 2)
    ns *= 2;
  int rc = spill_grow(&m->slots, ns * sizeof(slot));
  if(!rc)
    m->nslots = ns;
  return rc;
}

int dmap_get(const dmap *m, const char *key, void *val, uint64_t *where)
{
  uint64_t at, ref = 0;
  if(!m->nslots)
    return 0;
  int rc = probe(&m->slots, m->nslots, m, key, hash_key(key), &at, &ref, val);
  if(rc == 1 && where)
    *where = ref - 1;
  return rc;
}

int dmap_put(dmap *m, const char *key, const void *val, void *old, uint64_t *where)
{
  uint64_t h = hash_key(key), at, ref = 0, off;
  uint32_t klen = (uint32_t)strlen(key);
  int rc;
  if((m->n + 1) * 2 > m->nslots && (rc = rehash(m)))
    return rc;
  rc = probe(&m->slots, m->nslots, m, key, h, &at, &ref, old);
  if(rc == 1) {
    if(where)
      *where = ref - 1;
    return 1;
  }
  if(rc)
    return rc;
  if((rc = spill_append(&m->recs, &klen, sizeof(klen), &off)) || (rc = spill_append(&m->recs, key, klen, NULL)) ||
     (rc = spill_append(&m->recs, val, m->vsize, NULL)))
    return rc;
  slot sl;
  memset(&sl, 0, sizeof(sl));
  sl.hash = h;
  sl.ref = off + 1;
  sl.klen = klen;
  if(klen <= SLOT_KEY)
    memcpy(sl.key, key, klen);
  if(m->vsize <= SLOT_VAL)
    memcpy(sl.val, val, m->vsize);
  if((rc = spill_write(&m->slots, at * sizeof(slot), &sl, sizeof(sl))))
    return rc;
  m->n++;
  if(where)
    *where = off;
  return 0;
}

#define NEAR 16            /* records tried after the last one found */
#define NEAR_WINDOW 16384  /* bytes of records a cursor reads at once */

void dmap_cursor_clear(dmap_cursor *c)
{
  free(c->buf);
  memset(c, 0, sizeof(*c));
}

/* Record bytes off..off+n-1 in c's window (read when not). NULL past the end of the records, or on failure. */
static const unsigned char *window_at(const dmap *m, dmap_cursor *c, uint64_t off, size_t n)
{
  if(off + n > m->recs.size)
    return NULL;
  if(off < c->base || off + n > c->base + c->len) {
    size_t want = n > NEAR_WINDOW ? n : NEAR_WINDOW;
    if(want > m->recs.size - off)
      want = (size_t)(m->recs.size - off);
    if(want > c->cap) {
      unsigned char *nb = realloc(c->buf, want);
      if(!nb)
        return NULL;
      c->buf = nb;
      c->cap = want;
    }
    c->len = 0;
    if(spill_read(&m->recs, off, c->buf, want))
      return NULL;
    c->base = off;
    c->len = want;
  }
  return c->buf + (off - c->base);
}

int dmap_get_near(const dmap *m, dmap_cursor *c, const char *key, void *val)
{
  uint32_t klen = (uint32_t)strlen(key), have;
  uint64_t off = c->next, where;
  for(int i = 0; c->next && i < NEAR; i++) {
    const unsigned char *p = window_at(m, c, off, sizeof(have));
    if(!p)
      break;
    memcpy(&have, p, sizeof(have));
    size_t len = sizeof(have) + have + m->vsize;
    if(!(p = window_at(m, c, off, len)))
      break;
    if(have == klen && !memcmp(p + sizeof(have), key, klen)) {
      if(val)
        memcpy(val, p + sizeof(have) + klen, m->vsize);
      c->next = off + len;
      return 1;
    }
    off += len;
  }
  int rc = dmap_get(m, key, val, &where);
  if(rc == 1)
    c->next = where + sizeof(klen) + klen + m->vsize;
  return rc;
}

int dmap_set(dmap *m, const char *key, const void *val)
{
  uint64_t at, ref = 0;
  uint32_t klen = (uint32_t)strlen(key);
  int rc;
  if(!m->nslots)
    return 0;
  if((rc = probe(&m->slots, m->nslots, m, key, hash_key(key), &at, &ref, NULL)) != 1)
    return rc;
  if(m->vsize <= SLOT_VAL &&
     (rc = spill_write(&m->slots, at * sizeof(slot) + offsetof(slot, val), val, m->vsize)))
    return rc;
  if((rc = spill_write(&m->recs, ref - 1 + sizeof(klen) + klen, val, m->vsize)))
    return rc;
  return 1;
}

int dmap_key(const dmap *m, uint64_t where, char **key)
{
  unsigned char head[64];
  uint32_t klen;
  char *k;
  /* most keys come with their length in one read */
  size_t n = m->recs.size - where < sizeof(head) ? (size_t)(m->recs.size - where) : sizeof(head);
  int rc = n < sizeof(klen) ? LB_EIO : spill_read(&m->recs, where, head, n);
  *key = NULL;
  if(rc)
    return rc;
  memcpy(&klen, head, sizeof(klen));
  if(!(k = malloc((size_t)klen + 1)))
    return LB_ENOMEM;
  if(sizeof(klen) + klen <= n)
    memcpy(k, head + sizeof(klen), klen);
  else if((rc = spill_read(&m->recs, where + sizeof(klen), k, klen))) {
    free(k);
    return rc;
  }
  k[klen] = '\0';
  *key = k;
  return LB_OK;
}

int dmap_each(const dmap *m, int (*fn)(void *ctx, const char *key, const void *val), void *ctx)
{
  void *val = malloc(m->vsize ? m->vsize : 1);
  int rc = val ? LB_OK : LB_ENOMEM;
  for(uint64_t off = 0; !rc && off < m->recs.size;) {
    char *key;
    uint32_t klen;
    if((rc = dmap_key(m, off, &key)))
      break;
    klen = (uint32_t)strlen(key);
    rc = spill_read(&m->recs, off + sizeof(klen) + klen, val, m->vsize);
    if(!rc)
      rc = fn(ctx, key, val);
    free(key);
    off += sizeof(klen) + klen + m->vsize;
  }
  free(val);
  return rc;
}

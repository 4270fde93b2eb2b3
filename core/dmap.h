/* dmap.h - a map from strings to fixed-size values whose keys, values and hash slots live in spills. */
#ifndef LB_DMAP_H
#define LB_DMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/spill.h"

/* Open addressing over 64-bit FNV-1a hashes; the slots and the records
 * (key length, key, value) are spills (core/spill.h), so a map of a hundred
 * thousand customers or machines costs no more memory than a map of ten. A
 * slot holds a key of up to 36 bytes and a value of up to 8 itself: looking
 * such a key up is one read of the slot file. A key is a NUL-terminated
 * string. A record keeps its place: its offset (`where`) names it for dmap_key.
 *
 * Lookups are const and may run in several threads while nobody writes.
 * Functions return LB_OK (or the documented 0/1), LB_ENOMEM or LB_EIO (a
 * temporary file could not be written or read back: errno kept). */
typedef struct dmap {
  spill recs;      /* uint32 key length, key bytes, value: one record per key, in insertion order */
  spill slots;     /* nslots slots of 64 bytes: hash, record offset + 1 (0 = empty), short key and value */
  size_t vsize;    /* bytes of a value */
  uint64_t n;      /* keys */
  uint64_t nslots; /* a power of two, at least twice n; 0 before the first key */
} dmap;

/* An empty map of values of vsize bytes (it allocates nothing yet). Clear with dmap_clear. A dmap of zero
 * bytes (memset) is empty too, and can be cleared. */
void dmap_init(dmap *m, size_t vsize);
/* Free it. NULL-safe. */
void dmap_clear(dmap *m);
/* Make room for n keys at once, before the first is added (a map that would grow to n by doubling writes its
 * slots again at every step). LB_OK, LB_ENOMEM, LB_EIO. */
int dmap_reserve(dmap *m, uint64_t n);

/* 1 when key is there (its value copied to val, its record to *where; either may be NULL), 0 when not. */
int dmap_get(const dmap *m, const char *key, void *val, uint64_t *where);
/* Add key with value val: 0 added, 1 when key was there already (nothing added; its value copied to old and
 * its record to *where, when not NULL). *where gets the new record otherwise. */
int dmap_put(dmap *m, const char *key, const void *val, void *old, uint64_t *where);
/* A reader's place among a map's records, for keys looked up in about the order they were added: it keeps a
 * window of the records after the last one it found. A cursor of zero bytes is a fresh one; clear it with
 * dmap_cursor_clear. One per thread. */
typedef struct dmap_cursor {
  uint64_t next;        /* the record after the last one found */
  unsigned char *buf;   /* records base..base+len-1 */
  uint64_t base;
  size_t len, cap;
} dmap_cursor;
/* dmap_get (without where), trying first the next few records after the last one c found: no read at all while
 * they are in c's window. */
int dmap_get_near(const dmap *m, dmap_cursor *c, const char *key, void *val);
void dmap_cursor_clear(dmap_cursor *c);

/* Replace the value of key: 1 done, 0 when key is not there. */
int dmap_set(dmap *m, const char *key, const void *val);
/* The key of the record at where, malloc'd into *key (the caller frees it). */
int dmap_key(const dmap *m, uint64_t where, char **key);
/* Call fn for every key and value, in insertion order; a non-zero return of fn stops and is returned. */
int dmap_each(const dmap *m, int (*fn)(void *ctx, const char *key, const void *val), void *ctx);

#endif

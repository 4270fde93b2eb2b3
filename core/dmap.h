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

/* 1 when key is there (its value copied to val, its record to *where; either may be NULL), 0 when not. */
int dmap_get(const dmap *m, const char *key, void *val, uint64_t *where);
/* Add key with value val: 0 added, 1 when key was there already (nothing added; its value copied to old and
 * its record to *where, when not NULL). *where gets the new record otherwise. */
int dmap_put(dmap *m, const char *key, const void *val, void *old, uint64_t *where);
/* Replace the value of key: 1 done, 0 when key is not there. */
int dmap_set(dmap *m, const char *key, const void *val);
/* The key of the record at where, malloc'd into *key (the caller frees it). */
int dmap_key(const dmap *m, uint64_t where, char **key);
/* Call fn for every key and value, in insertion order; a non-zero return of fn stops and is returned. */
int dmap_each(const dmap *m, int (*fn)(void *ctx, const char *key, const void *val), void *ctx);

#endif

/* custindex.h - where each customer's rows are in the per-customer files, so a run can stream customers. */
#ifndef LB_CUSTINDEX_H
#define LB_CUSTINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/dmap.h"
#include "core/spill.h"
#include "input/custfiles.h"
#include "input/table.h"

typedef struct span {
  int64_t start, end; /* byte range of whole rows */
  long line;          /* line of the first row */
  uint64_t rows;      /* rows in the range */
} span;

/* The index keeps nothing per customer in memory: ids, machine owners, and
 * each customer's record (its line, its spans in every file) are in spills
 * (core/dmap.h, core/spill.h), so its memory is the same for ten customers
 * or a hundred thousand, and for a usage.csv of any size or order. */
typedef struct cust_index {
  char *dir;
  char *paths[CF__COUNT];
  table headers[CF__COUNT]; /* header maps, reused to read spans (files closed) */
  size_t n;                 /* customers, numbered 0..n-1 in customers.csv order */
  dmap ids;                 /* customer_id -> index */
  dmap serials;             /* machine serial -> owner index, for SCRT ownership */
  spill recs;               /* the customers' records, by index */
  spill more;               /* a customer's further spans in a file (its rows not together), one after another */
  int tmp_failed;           /* a temporary file could not be written: the environment failed, not the input */
} cust_index;

/* Scan customers.csv then the other per-customer files once, recording
 * row spans per customer. Header problems and structural CSV errors give
 * LB_EINPUT (the input set is unusable); rows naming an unknown customer
 * are reported in d and skipped. LB_EIO when a file cannot be read, or a
 * temporary file cannot be written (then also tmp_failed, and the reason
 * in d). Caller clears with cust_index_clear, also after a failure. */
int cust_index_build(cust_index *ix, const char *dir, diag_list *d);
void cust_index_clear(cust_index *ix);

/* Index of a customer id, -1 when none, LB_EIO when the index cannot be read back. */
long cust_index_find(const cust_index *ix, const char *id);
/* Customer index owning a machine serial, -1 when none, LB_EIO when the index cannot be read back. */
long cust_index_serial_owner(const cust_index *ix, const char *serial);
/* The same, for serials looked up in about machines.csv's order (as received.csv lists them): cheaper
 * through a cursor (core/dmap.h, cleared by the caller). */
long cust_index_serial_owner_near(const cust_index *ix, dmap_cursor *c, const char *serial);
/* The id of customer k, malloc'd into *id (the caller frees it). LB_OK, LB_ENOMEM, LB_EIO. */
int cust_index_id(const cust_index *ix, size_t k, char **id);

/* Customer k's spans in one file, in file order. */
#define SPAN_BATCH 8
typedef struct span_cursor {
  uint64_t rows;   /* rows of every span */
  uint32_t nspans; /* spans */
  uint32_t i;      /* the next */
  span first;
  uint64_t next;   /* where the further spans not yet read are */
  span buf[SPAN_BATCH]; /* further spans read, and the next of them */
  uint32_t nbuf, at;
} span_cursor;

/* What the index knows of a customer. */
typedef struct cust_entry {
  char *id;                     /* (owned) */
  long line;                    /* in customers.csv */
  int duplicate;                /* its customer_id appears twice: it is rejected (reported) */
  span_cursor spans[CF__COUNT]; /* its spans in each file, from the first */
} cust_entry;

/* Customer k's entry, read in one go (clear it with cust_entry_clear). LB_OK, LB_ENOMEM, LB_EIO. */
int cust_index_entry(const cust_index *ix, size_t k, cust_entry *e);
void cust_entry_clear(cust_entry *e);
/* The next span of a cursor: 1 with *s set, 0 after the last, LB_EIO. */
int cust_index_next_span(const cust_index *ix, span_cursor *c, span *s);

#endif

/* custindex.h - where each customer's rows are in the per-customer files, so a run can stream customers. */
#ifndef LB_CUSTINDEX_H
#define LB_CUSTINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "input/custfiles.h"
#include "input/table.h"


typedef struct span {
  int64_t start, end; /* byte range of whole rows */
  long line;          /* line of the first row */
  uint64_t rows;      /* rows in the range */
} span;

typedef struct span_list {
  span one;   /* first span inline: grouped files need no allocation */
  span *more; /* further spans when a customer's rows are not contiguous */
  uint32_t n, cap;
} span_list;

typedef struct cust_entry {
  char *id;
  long line;          /* line in customers.csv */
  int duplicate;      /* customer_id appears more than once: rejected */
  span_list files[CF__COUNT];
} cust_entry;

typedef struct cust_index {
  char *dir;
  char *paths[CF__COUNT];
  table headers[CF__COUNT]; /* header maps, reused to read spans (files closed) */
  cust_entry *v;
  size_t n, cap;
  uint32_t *slots;          /* open addressing: index+1, 0 = empty */
  size_t nslots;
  /* machine serial -> customer index, for SCRT ownership */
  char **serials;
  uint32_t *serial_owner;
  uint32_t *serial_slots;
  size_t nserials, serial_cap, nserial_slots;
} cust_index;

/* Scan customers.csv then the other per-customer files once, recording
 * row spans per customer (memory grows with customers, not rows).
 * Header problems and structural CSV errors give LB_EINPUT (the input set
 * is unusable); rows naming an unknown customer are reported in d and
 * skipped. Caller clears with cust_index_clear. */
int cust_index_build(cust_index *ix, const char *dir, diag_list *d);
void cust_index_clear(cust_index *ix);

/* Index of a customer id, or -1. */
long cust_index_find(const cust_index *ix, const char *id);
/* Customer index owning a machine serial, or -1. */
long cust_index_serial_owner(const cust_index *ix, const char *serial);
/* The i-th span of customer k in file f (i < count). */
size_t cust_index_nspans(const cust_index *ix, size_t k, cust_file f);
const span *cust_index_span(const cust_index *ix, size_t k, cust_file f, size_t i);

#endif

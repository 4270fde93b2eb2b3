/* xsort.h - sorting more records than memory should hold: sorted runs in a spill, merged as they are read. */
#ifndef LB_XSORT_H
#define LB_XSORT_H

#include <stddef.h>

/* Records are byte strings. They are gathered in memory up to a budget
 * (XSORT_MEM unless xsort_new is given another), sorted, and written as a
 * run to a spill (core/spill.h); reading merges the runs, XSORT_FANIN at a
 * time. The order is stable: records that compare equal come in the order
 * they were added. A sort that fits its budget never leaves memory.
 * Functions return LB_OK (or the documented 0/1), LB_ENOMEM or LB_EIO (a
 * temporary file could not be written or read back: errno kept). */
#define XSORT_MEM (1024 * 1024)
#define XSORT_FANIN 16

/* <0, 0, >0 as a sorts before, with or after b. */
typedef int (*xsort_cmp)(const void *a, size_t an, const void *b, size_t bn);

typedef struct xsort xsort;

/* A new, empty sort (budget 0: XSORT_MEM bytes of records in memory). Free with xsort_free. */
int xsort_new(xsort **out, xsort_cmp cmp, size_t budget);
void xsort_free(xsort *x);

/* Add a copy of the n bytes at rec. Not after the first xsort_next. */
int xsort_add(xsort *x, const void *rec, size_t n);
/* The next record in order: 1 with *rec and *n set (valid until the next call), 0 at the end. */
int xsort_next(xsort *x, const void **rec, size_t *n);
/* Read from the first record again. */
int xsort_rewind(xsort *x);

#endif

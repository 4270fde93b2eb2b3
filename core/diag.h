/* diag.h - error records with file:line:column, the one way every module reports bad input. */
#ifndef LB_DIAG_H
#define LB_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "core/errors.h"

typedef struct diag {
  char *file;        /* input file as given (owned) */
  long line;         /* 1-based physical line, 0 = whole file */
  long col;          /* 1-based column in characters, 0 = whole line */
  char *customer_id; /* customer the problem belongs to, NULL = shared/unknown (owned) */
  char *message;     /* "what is wrong, what was expected" (owned) */
} diag;

typedef struct diag_list {
  diag *v;
  size_t n, cap;
  int oom; /* set when an error could not be recorded for lack of memory */
} diag_list;

void diag_init(diag_list *d);
/* Free every record and the array; the list is empty and reusable. NULL-safe. */
void diag_clear(diag_list *d);

/* Drop the records from index n on (those a caller found not to matter). */
void diag_truncate(diag_list *d, size_t n);

/* Append a record. Strings are copied. Always returns LB_EINPUT so that a
 * caller can write `rc = diag_add(...); goto out;`. On allocation failure
 * the record is dropped and d->oom is set. */
int diag_add(diag_list *d, const char *file, long line, long col, const char *customer_id,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Move every record of src to the end of dst (src is left empty). */
void diag_move(diag_list *dst, diag_list *src);

/* Print "FILE:LINE:COLUMN: message" lines (line/col omitted when 0). */
void diag_print(const diag_list *d, FILE *fp);
void diag_print_one(const diag *e, FILE *fp);

#endif

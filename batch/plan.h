/* plan.h - a month billed on several machines: the plan `licbill plan` writes, the parts `licbill render`
 * draws from it, the receipts `licbill seal` checks (OUT/.parts/YYYY-MM/). */
#ifndef LB_PLAN_H
#define LB_PLAN_H

#include <stddef.h>

#include "core/carry.h"
#include "core/dmap.h"
#include "core/spill.h"
#include "core/date.h"
#include "core/diag.h"
#include "output/ledger.h"

/* One planned invoice, as the PLAN file lists it and seal checks it. */
typedef struct plan_doc {
  long idx;              /* 1-based, in customer order */
  int part;              /* the part that renders it, 1..nparts: (idx - 1) % nparts + 1 */
  char number[64];
  char customer_id[64];
  char content_sha[65];  /* what was billed (invoice_identity), as the plan priced it */
  char inv_sha[65];      /* seal: the invoice PDF's sha256 from the part's receipt, "" when none */
  char ev_sha[65];       /* seal: the evidence PDF's, likewise */
} plan_doc;

/* The PLAN file: what every part and the seal must agree on. */
typedef struct plan_head {
  lb_month month, filed_in;
  lb_date issue_date;
  long long run_id;        /* the ledger's run that plan began and seal ends */
  int no_corrections;
  int nparts;
  char inputs_sha[65];     /* digest_sha256_tree of the input set */
  char template_sha[65];   /* of the template folder */
  char version[64];        /* licbill's */
  char (*part_sha)[65];    /* sha256 of part-K-of-N.plan, K = 1..nparts (owned) */
  size_t ndocs;            /* documents planned (plan_head_add) or listed (plan_head_read) */
  spill doc_lines;         /* plan_head_add: the PLAN's "doc" lines so far, out of memory past a few */
  char id[65];             /* plan_head_read: sha256 of the PLAN file, the plan's identity */
} plan_head;

/* A worker's input for one invoice: the ledger's answers for it, so that the worker never opens the ledger. */
typedef struct plan_entry {
  char *customer_id, *number, *replaces; /* replaces: NULL when none (owned) */
  lb_date issue_date;                    /* the date its number was reserved with */
  char content_sha[65];
  carried *carried;                      /* ledger_carried (subjects owned) */
  size_t ncarried;
  ledger_line_hist *lines;               /* ledger_history, months m-11..m-1 (owned) */
  size_t nlines;
  ledger_capacity *caps;
  size_t ncaps;
} plan_entry;

/* "OUT/.parts/YYYY-MM" (malloc'd), NULL on ENOMEM. */
char *plan_dir(const char *output, lb_month m);
/* "DIR/part-K-of-N.EXT" (malloc'd), NULL on ENOMEM. */
char *plan_part_path(const char *dir, int k, int n, const char *ext);

/* The text of one entry of a part file (malloc'd into *out): LB_OK, LB_ENOMEM, or LB_EINPUT when a value
 * holds a tab or line break (the message in d). */
int plan_entry_format(char **out, const char *customer_id, const char *number, const char *replaces,
                      lb_date issue_date, const char *content_sha, const carry_history *h,
                      const ledger_line_hist *lines, size_t nlines, const ledger_capacity *caps, size_t ncaps,
                      diag_list *d);

/* A part file read entry by entry (its entries are never all in memory). */
typedef struct plan_part {
  const char *path;
  void *lr;                /* the line reader (private) */
} plan_part;
/* Open part file path. LB_OK, LB_ENOMEM, LB_EIO (cannot be read, message in d). */
int plan_part_open(plan_part *p, const char *path, diag_list *d);
/* The next entry into *e (clear it with plan_entry_clear): 1; 0 at the end of a complete file, with *sha the
 * file's sha256 (sha may be NULL); LB_EIO when the file is damaged (message in d); LB_ENOMEM. */
int plan_part_next(plan_part *p, plan_entry *e, char sha[65], diag_list *d);
void plan_part_close(plan_part *p);
void plan_entry_clear(plan_entry *e);

/* Append a planned document to h (its idx and part from its place: *part, may be NULL). LB_OK, LB_ENOMEM,
 * LB_EIO (its temporary file). */
int plan_head_add(plan_head *h, const char *number, const char *customer_id, const char *content_sha, int *part);
/* Write DIR/PLAN atomically. LB_OK or LB_EIO. */
int plan_head_write(const char *dir, const plan_head *h);
/* Read DIR/PLAN into h (clear with plan_head_clear), line by line: each document it lists goes to doc_fn
 * (NULL: only counted; a non-zero return stops and is returned). LB_OK, LB_ENOMEM, LB_EIO (missing or
 * damaged, in d). */
int plan_head_read(const char *dir, plan_head *h, int (*doc_fn)(void *ctx, const plan_doc *doc), void *ctx,
                   diag_list *d);
void plan_head_clear(plan_head *h);

/* A part's receipt, written by render when every document of the part is durable: rows holds its "doc"
 * lines, as plan_receipt_row formats them. */
int plan_receipt_row(spill *rows, const char *number, const char *inv_sha, const char *ev_sha);
int plan_receipt_write(const char *path, const char *plan_id, int k, int n, const spill *rows, size_t nrows);
/* Check the receipt of part k against h and the files under monthdir, filling in docs (number -> plan_doc,
 * the plan's documents) their inv_sha/ev_sha. Each problem is added to d (what is missing or damaged).
 * Returns the number of problems, or -1 on ENOMEM or when docs cannot be read back. */
long plan_receipt_check(const plan_head *h, dmap *docs, const char *dir, const char *monthdir, int k, diag_list *d);

#endif

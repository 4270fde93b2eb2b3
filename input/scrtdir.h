/* scrtdir.h - which SCRT report and receipt belong to each machine for one reporting period. */
#ifndef LB_SCRTDIR_H
#define LB_SCRTDIR_H

#include "core/date.h"
#include "core/spill.h"
#include "input/custindex.h"
#include "core/diag.h"

typedef struct scrt_entry {
  char *serial;
  char *path;      /* DIR/scrt/NAME (.csv or .txt) */
  long owner;      /* customer index, -1 = nobody */
  long line, col;  /* of its Machine Serial Number */
  int bad;         /* duplicated: the owner is rejected (reported) */
} scrt_entry;

typedef struct receipt {
  char *serial;
  lb_date received_on;
  int extension;   /* an extension was granted (002 §5.16.15 q.8) */
  long line;
} receipt;

/* The reports and receipts of the period, grouped by the customer that
 * owns each machine, in spills: the index costs the same memory for a few
 * machines or a few hundred thousand, and a customer's are read at once. */
typedef struct scrt_dir {
  char *received_path;
  size_t ncust;        /* customers of the index it was made with */
  spill machines;      /* each customer's machines with a report or a receipt, customer by customer */
  spill starts;        /* where each customer's begin in machines: ncust + 1 offsets */
  size_t nreports, nreceipts; /* of the period (with those of a machine reported twice) */
} scrt_dir;

/* Scan DIR/scrt/ (reports: *.csv and *.txt in any case, header facts only)
 * and its received.csv (any case), keeping what belongs to the reporting
 * period ending on period_end. Nothing there goes unnoticed:
 *  - an unreadable report is an error for its owner, found from its
 *    content or else from a serial its file name spells;
 *  - a multiplex report is an error for the owner of each machine it lists;
 *  - any other file or folder is reported (its owner rejected when its
 *    name spells a known serial); names starting with '.' are skipped;
 *  - a receipt without a readable report is an error for the owner (the
 *    machine is never billed at full capacity as if no report came);
 *  - a report for a machine nobody owns is an error.
 * Problems are reported in d, attributed to the owner where known, in the
 * order of the entries' names, then of the serials.
 * Returns LB_OK (such problems only reject customers), LB_EINPUT when the
 * folder is missing or received.csv is structurally unusable (the input
 * set is unusable), LB_ENOMEM or LB_EIO (also when a temporary file cannot
 * be written, the reason in d). Clear sd with scrt_dir_clear, also after a failure. */
int scrt_dir_load(scrt_dir *sd, const char *dir, lb_date period_end, const cust_index *ix, diag_list *d);
void scrt_dir_clear(scrt_dir *sd);

/* What scrt/ holds for one machine of a customer. */
typedef struct scrt_held {
  const char *serial;
  const scrt_entry *report;  /* NULL when none */
  const receipt *rcpt;       /* NULL when none */
} scrt_held;

typedef struct scrt_cust {
  scrt_held *v;              /* by serial */
  size_t n;
  scrt_entry *reports;
  receipt *receipts;
  unsigned char *buf;        /* the strings */
} scrt_cust;

/* Customer k's machines with a report or a receipt, read at once into *c (clear it with scrt_cust_clear).
 * LB_OK, LB_ENOMEM, LB_EIO. Any number of threads may read at once. */
int scrt_dir_customer(const scrt_dir *sd, size_t k, scrt_cust *c);
/* The machine of c with this serial, NULL when it has neither report nor receipt. */
const scrt_held *scrt_cust_find(const scrt_cust *c, const char *serial);
void scrt_cust_clear(scrt_cust *c);

#endif

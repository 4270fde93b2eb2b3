/* scrtdir.h - which SCRT report and receipt belong to each machine for one reporting period. */
#ifndef LB_SCRTDIR_H
#define LB_SCRTDIR_H

#include "core/date.h"
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

typedef struct scrt_dir {
  char *received_path;
  scrt_entry *reports; /* of the period, sorted by serial */
  size_t nreports;
  receipt *receipts;   /* of the period, sorted by serial */
  size_t nreceipts;
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
 * Problems are reported in d, attributed to the owner where known.
 * Returns LB_OK (such problems only reject customers), LB_EINPUT when the
 * folder is missing or received.csv is structurally unusable (the input
 * set is unusable), LB_ENOMEM or LB_EIO. */
int scrt_dir_load(scrt_dir *sd, const char *dir, lb_date period_end, const cust_index *ix, diag_list *d);
void scrt_dir_clear(scrt_dir *sd);

const scrt_entry *scrt_dir_report(const scrt_dir *sd, const char *serial);
const receipt *scrt_dir_receipt(const scrt_dir *sd, const char *serial);

#endif

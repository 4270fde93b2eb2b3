/* run.h - the month-end run (`licbill run`) and validation (`licbill check`). */
#ifndef LB_RUN_H
#define LB_RUN_H

#include "core/date.h"

struct invoice;

/* Exit codes (README, "Exit codes"). */
#define EXIT_ALL_INVOICED 0
#define EXIT_SOME_REJECTED 1
#define EXIT_USAGE 2
#define EXIT_INPUT_UNUSABLE 3
#define EXIT_IO 4
#define EXIT_LOCKED 75

/* The phases of a month on several machines; RUN_WHOLE is all three in one process. */
enum { RUN_WHOLE, RUN_PLAN, RUN_RENDER, RUN_SEAL };

typedef struct run_opts {
  const char *input;     /* input set folder */
  const char *output;    /* output folder (NULL for check) */
  const char *template_dir;
  lb_month month;
  int check_only;        /* validate, write nothing */
  int dry_run;           /* write under OUTPUT/dry-run/ instead */
  int jobs;              /* worker threads, >= 1 */
  int phase;             /* RUN_WHOLE (`run`), RUN_PLAN, RUN_RENDER or RUN_SEAL (README, "More machines") */
  int part_k, part_n;    /* plan: part_n parts (--parts N); render: part K of N (--part K/N) */
  int verbose;           /* log progress to stderr */
  int no_corrections;    /* report changed invoiced customers instead of correcting them */
  const char *ledger_path; /* NULL: OUTPUT/ledger.db */
  const char *number_prefix; /* numbering for a new ledger (NULL: default or stored) */
  int number_width;      /* 0: default */
  int number_year;       /* -1: default, 0 no, 1 yes */
  int progress;          /* progress bar on stderr (terminal) */
  lb_date issue_date;    /* of the documents issued: --issue-date, else today */
  int allow_open_month;  /* bill a month that has not ended by the issue date */
  /* check only, MAY be NULL: each priced invoice, in customer order (verify --reprice compares them);
   * a negative return stops the run as an I/O failure */
  int (*priced)(void *ctx, const struct invoice *inv);
  void *priced_ctx;
} run_opts;

/* Run the month, or one phase of it (o->phase); returns one of the exit codes above. Errors are printed to
 * stderr as FILE:LINE:COLUMN: message and written to errors.csv.
 * - RUN_PLAN prices every customer with the ledger's history, reserves the numbers in customer order (as
 *   RUN_WHOLE does), issues the credit notes of corrections, and writes under OUTPUT/.parts/YYYY-MM/ the
 *   PLAN and one part-K-of-N.plan per part: the invoices to render with what the ledger says about each.
 * - RUN_RENDER draws the invoices of part K (every N-th planned document from the K-th) and their
 *   evidence into the month folder, without the ledger, and writes the part's receipt part-K-of-N.done.
 * - RUN_SEAL checks every receipt and file against the plan (exit 4 with the list of what is missing or
 *   damaged), then issues the documents in the ledger and writes the CSV files, MANIFEST and archive. */
int run_month(const run_opts *o);

/* `licbill close`: close every month up to m in the ledger of output (or
 * ledger_path): their files and archives never change again, and a later
 * document for one of them is filed in the first open month. Exit code. */
int run_close(const char *output, const char *ledger_path, lb_month m);

#endif

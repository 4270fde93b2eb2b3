/* ledger.h - the SQLite ledger of issued documents, numbers, carry-forward state and runs. */
#ifndef LB_LEDGER_H
#define LB_LEDGER_H

#include <stddef.h>

#include "core/diag.h"
#include "core/date.h"
#include "core/invoice.h"

#define LEDGER_SCHEMA_VERSION 2

typedef struct ledger ledger;

/* How document numbers look: PREFIX[YYYY-]NNNNNN. With the year, the
 * sequence restarts at 1 each calendar year of the billing month. */
typedef struct ledger_numbering {
  char prefix[32];
  int with_year;
  int width; /* digits, 1..12 */
} ledger_numbering;

typedef enum { DOC_INVOICE = 0, DOC_CREDIT_NOTE = 1 } doc_kind;
typedef enum { DOC_PENDING = 0, DOC_ISSUED = 1 } doc_status;

/* One document row (numbers and totals; lines live in the invoice model). */
typedef struct ledger_doc {
  char number[64];
  long long seq;
  doc_kind kind;
  doc_status status;
  char customer_id[64];
  lb_month month;
  char content_sha[65]; /* hash of what was billed, without the number */
  char pdf_sha[65];
  char corrects[64];    /* for a credit note: the invoice it cancels */
  char superseded_by[64]; /* for an invoice: the credit note that cancelled it */
  char replaces[64];    /* for an invoice: the cancelled invoice it replaces */
  char replaced_by[64]; /* for an invoice: the invoice that replaced it */
  int identity_version; /* of content_sha (INVOICE_IDENTITY_VERSION) */
  lb_date issue_date;   /* set when the number is reserved */
  lb_month filed_in;    /* the month folder the document is in */
  char currency[16];    /* as issued ("" while pending) */
  money total;          /* as issued (0 while pending) */
} ledger_doc;

/* What a new number is reserved for. */
typedef struct ledger_new {
  const char *customer_id;
  lb_month month;       /* the billing month */
  doc_kind kind;
  const char *corrects; /* a credit note: the invoice it cancels; else NULL */
  const char *replaces; /* an invoice: the cancelled invoice it replaces; else NULL */
  lb_date issue_date;
  lb_month filed_in;    /* the month folder (the billing month unless that month is closed) */
  long long run_id;
} ledger_new;

/* Open (creating when missing) the ledger at path: WAL mode, foreign keys,
 * migrations up to LEDGER_SCHEMA_VERSION. A ledger written by a newer
 * licbill is refused. LB_OK, or LB_EIO with a message in d. */
int ledger_open(ledger **out, const char *path, diag_list *d);
/* A copy in memory of the ledger at path, brought to this licbill's schema:
 * a preview reads what was issued without writing the ledger. LB_OK, or
 * LB_EIO with a message in d. */
int ledger_open_copy(ledger **out, const char *path, diag_list *d);
/* NULL-safe. */
void ledger_close(ledger *l);
/* The last SQLite error of this ledger in words, and its path. */
const char *ledger_errmsg(const ledger *l);
const char *ledger_path(const ledger *l);

/* The numbering of this ledger: stored on first use from `want` (or the
 * default INV-, year, 6 digits when want is NULL); a different `want` later
 * is refused (LB_EINPUT, message in d) so numbers never change shape. */
int ledger_numbering_use(ledger *l, const ledger_numbering *want, ledger_numbering *got, diag_list *d);

/* Runs: start (inputs' hash) and end (outcome). Times are wall-clock and
 * kept only here, never in the month's files. */
int ledger_run_begin(ledger *l, lb_month m, const char *inputs_sha, long long *run_id);
/* What the run ran with: licbill's version, the rule book's sha256, the issue date. */
int ledger_run_about(ledger *l, long long run_id, const char *version, const char *rulebook_sha, lb_date issue);
int ledger_run_end(ledger *l, long long run_id, const char *outcome, long invoiced, long rejected);

/* The customer's current invoice of month m (not superseded), pending or
 * issued. Returns 1 and fills *out, 0 when none, LB_EIO on any SQLite
 * error (never "none"). */
int ledger_current_invoice(ledger *l, const char *customer_id, lb_month m, ledger_doc *out);

/* Reserve the next number for a new document, in its own transaction:
 * the row is written as pending so that a crash before the files are
 * durable leaves the number to be reused by the re-run (with the issue
 * date it was reserved with), never a gap or a second number. A pending
 * credit note for the same invoice is reused. The number's year is the
 * issue date's. */
int ledger_reserve(ledger *l, const ledger_new *n, ledger_doc *out);

/* The latest issue date of any document (DATE_NONE when none): numbers
 * follow issue dates, so no document may be dated before it. LB_OK or LB_EIO. */
int ledger_latest_issue(ledger *l, lb_date *out);

/* Months: closed ones never change (their files and archive); a document
 * for a closed month is filed in the first month after the closed ones.
 * ledger_close_through closes every month up to m (recording the run). */
int ledger_month_closed(ledger *l, lb_month m, int *closed);
int ledger_close_through(ledger *l, lb_month m, long long run_id);
/* The first month that is not closed (MONTH_NONE when none is). */
int ledger_first_open(ledger *l, lb_month *out);

/* Record the document as issued, in one transaction: totals, lines, taxes,
 * audit steps, hashes; for a credit note also mark the corrected invoice
 * superseded. Call only after the PDF is durable. */
int ledger_issue(ledger *l, ledger_doc *doc, const invoice *inv, const char *content_sha, const char *pdf_sha);

/* One transaction around what follows until ledger_group_commit (the
 * reservations, issues and carried state of several customers: one commit,
 * one fsync of the WAL, instead of one each); each call inside it is atomic
 * on its own (a savepoint). LB_OK, or LB_EIO when SQLite fails or a group is
 * open already. */
int ledger_group_begin(ledger *l);
/* Commit the group: LB_OK, or LB_EIO (the message remembered, the group
 * rolled back). */
int ledger_group_commit(ledger *l);
/* Undo the group (nothing it recorded stays). */
void ledger_group_rollback(ledger *l);

/* Load an issued document back into an invoice model (header, lines,
 * taxes, audit), e.g. to write the month's CSV files or a credit note. */
int ledger_load(ledger *l, const char *number, invoice *inv, ledger_doc *doc);

/* Delivery lists (OUT/issued/): fn for every issued document no list has
 * named yet (this run's, and a crashed run's), in number order; then
 * ledger_mark_listed records that run_id's list named them. A crash in
 * between names them again next time: a document is listed at least once. */
int ledger_each_unlisted(ledger *l, int (*fn)(void *ctx, const ledger_doc *doc), void *ctx);
int ledger_mark_listed(ledger *l, long long run_id);

/* Call fn for every issued document filed in month folder m, in number order. */
int ledger_each_doc(ledger *l, lb_month m, int (*fn)(void *ctx, const ledger_doc *doc), void *ctx);

/* Carried state (core/carry.h): what the customer's months before `before`
 * recorded, the latest of each (kind, subject), read in one query into
 * *out (subjects owned by out; clear with ledger_history_set_clear). A
 * stored value that does not parse as its kind is a damaged ledger: LB_EIO
 * with the reason in ledger_errmsg. LB_OK, LB_EIO, LB_ENOMEM. */
typedef carry_history ledger_history_set;
int ledger_carried(ledger *l, const char *customer_id, lb_month before, ledger_history_set *out);
void ledger_history_set_clear(ledger_history_set *h);
/* Record one carried state of the customer for month m (replacing the same kind, subject and month). */
int ledger_carry(ledger *l, const char *customer_id, lb_month m, const carry_item *c);

/* History for the evidence charts: the lines of the customer's current
 * issued invoices of months from..to (one row per line), and the machine
 * capacities recorded for those months (carried kind capacity). Free with
 * ledger_history_free; LB_OK, LB_EIO or LB_ENOMEM. */
typedef struct ledger_line_hist {
  lb_month month;
  char *serial;     /* the line's serials as printed ("S1+S2") */
  char *product_id;
  long quantity;
  money amount;
} ledger_line_hist;
typedef struct ledger_capacity {
  lb_month month;
  char *serial;
  long msus;
} ledger_capacity;
int ledger_history(ledger *l, const char *customer_id, lb_month from, lb_month to, ledger_line_hist **lines,
                   size_t *nlines, ledger_capacity **caps, size_t *ncaps);
/* Free what ledger_history returned. NULL-safe. */
void ledger_history_free(ledger_line_hist *lines, size_t nlines, ledger_capacity *caps, size_t ncaps);

/* Test hook: LICBILL_CRASH_AT=N kills the process (SIGKILL) at the N-th
 * crash point; points are counted across the run. */
void ledger_crash_point(const char *where);

#endif

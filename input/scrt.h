/* scrt.h - reader for the CSV that IBM's Sub-Capacity Reporting Tool writes (sections B5, E5, N5 ...). */
#ifndef LB_SCRT_H
#define LB_SCRT_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/diag.h"

/* Which E5 table a product row came from, told by the table's header row. */
enum scrt_table {
  SCRT_TABLE_MSU,   /* "Product Name" without MLC or IPLA prefix (older layouts, our sample) */
  SCRT_TABLE_MLC,   /* "MLC Product Name", "MLC Product ID", Tool MSUs ... */
  SCRT_TABLE_IPLA,  /* "IPLA Product Name", "IPLA Product ID", Tool MSUs ... */
  SCRT_TABLE_UNITS  /* "... - non-MSU based": Tool Units / Customer Units */
};

typedef struct scrt_product {
  char *name, *product_id, *comment, *footnotes;
  int64_t tool_msu;      /* Tool MSUs (or Tool Units when is_units) */
  int64_t customer_msu;  /* Customer MSUs override, -1 when empty */
  int is_units;          /* from the non-MSU table (Tool Units / Customer Units) */
  enum scrt_table table; /* the E5 table of the row */
  int ipla;              /* its table's header says IPLA ("IPLA Product Name", also "... - non-MSU based") */
  long line;             /* line of the product row */
  long tool_col, customer_col, comment_col, id_col;
} scrt_product;

typedef struct scrt_lpar {
  char *name, *when;
  int64_t msu;           /* highest rolling 4-hour average MSUs */
  int64_t msu2;          /* second-highest, -1 when the report has no such column or the cell is empty */
  char *when2;           /* date/time of the second-highest, "" when absent */
  int license_znalc;     /* the row says the LPAR was IPLed with LICENSE=ZNALC (a cell
                          * "LICENSE=ZNALC", or "ZNALC" in a "License" column; R-W12) */
  long line, col;        /* col: the highest-MSU cell */
} scrt_lpar;

/* A machine listed in B5: the one of a single-machine report, or each
 * column of a multiplex report's machine matrix. */
typedef struct scrt_machine {
  char *id;              /* "Machine identifier" (M1C1 ...), "" in single-machine reports */
  char *serial, *type_model;
  int64_t rated_msu;     /* -1 when absent */
  long line, col;        /* the serial's cell */
} scrt_machine;

typedef struct scrt_report {
  char *path;            /* as opened */
  char *customer_number, *customer_name, *serial, *type_model, *tool_release, *run_datetime;
  int64_t rated_msu;     /* Machine Rated Capacity (MSUs), -1 when absent */
  lb_date period_start, period_end;
  int period_days;
  long serial_line, period_line, rated_line; /* where the facts were found */
  long serial_col;       /* column of the serial value on serial_line */
  long e5_line, n5_line; /* section markers (or title rows in older releases), 0 when absent */
  long c5_line;          /* C5 TOOL INFORMATION, 0 when absent */
  scrt_product *products;
  size_t nproducts;
  scrt_lpar *lpars;      /* without the CPC row */
  size_t nlpars;
  int64_t cpc_msu;       /* CPC row: the machine's peak, -1 when absent */
  int64_t cpc_msu2;      /* CPC row: second-highest, -1 when absent */
  long cpc_line, cpc_col; /* the CPC row and its MSU cell */
  int64_t zos_unreduced_msu; /* E5 row "z/OS Unreduced","(All)",N; -1 when absent; not a product */
  long zos_unreduced_line, zos_unreduced_col;
  scrt_machine *machines; /* every machine B5 lists, in order */
  size_t nmachines;
  int multiplex;         /* B5 lists more than one machine (or the file holds two reports):
                          * serial is "" and the report is an error; see scrt_read */
  int packed;            /* lines came packed into one CSV field each and were re-split */
  int latin1;            /* file was ISO-8859-1 */
  char delim;            /* ',' ';' or '\t' */
} scrt_report;

/* Read an SCRT CSV file. With header_only the reader stops at the first
 * product section (enough to know machine and period). Any problem is
 * reported in d with file:line:column and gives LB_EINPUT; *out is then
 * NULL, except
 *  - with header_only when the Machine Serial Number was read: then *out
 *    holds the facts read so far, so that the caller can tell whose report
 *    is unreadable;
 *  - for a multiplex report (r->multiplex): a multiplex report gives no
 *    per-machine product MSUs, so it cannot be billed; there is one error
 *    per listed machine at its serial's cell, r->machines lists them all
 *    (so that the caller can reject the owner of each), and r->serial is "".
 * Unknown sections are skipped. Caller frees with scrt_free. */
int scrt_read(scrt_report **out, const char *path, int header_only, diag_list *d);
void scrt_free(scrt_report *r);

/* The product row of a product id, or NULL. */
const scrt_product *scrt_find_product(const scrt_report *r, const char *product_id);

/* "MLC", "IPLA", "non-MSU" or "MSU" (a table without prefix). */
const char *scrt_table_name(enum scrt_table t);

/* Parse "2 Jun, 2026 - 1 Jul, 2026 inclusive (30 days)". 0 or -1. */
int scrt_parse_period(const char *s, lb_date *start, lb_date *end, int *days);

#endif

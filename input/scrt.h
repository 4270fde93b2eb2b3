/* scrt.h - reader for the CSV that IBM's Sub-Capacity Reporting Tool writes (sections B5, E5, N5 ...). */
#ifndef LB_SCRT_H
#define LB_SCRT_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/diag.h"

typedef struct scrt_product {
  char *name, *product_id, *comment, *footnotes;
  int64_t tool_msu;      /* Tool MSUs (or Tool Units when is_units) */
  int64_t customer_msu;  /* Customer MSUs override, -1 when empty */
  int is_units;          /* from the non-MSU table (Tool Units / Customer Units) */
  long line;             /* line of the product row */
  long tool_col, customer_col, comment_col;
} scrt_product;

typedef struct scrt_lpar {
  char *name, *when;
  int64_t msu;           /* highest rolling 4-hour average MSUs */
  int license_znalc;     /* the row says the LPAR was IPLed with LICENSE=ZNALC (a cell
                          * "LICENSE=ZNALC", or "ZNALC" in a "License" column; R-W12) */
  long line, col;
} scrt_lpar;

typedef struct scrt_report {
  char *path;            /* as opened */
  char *customer_number, *customer_name, *serial, *type_model, *tool_release, *run_datetime;
  int64_t rated_msu;     /* Machine Rated Capacity (MSUs), -1 when absent */
  lb_date period_start, period_end;
  int period_days;
  long serial_line, period_line, rated_line; /* where the facts were found */
  long serial_col;       /* column of the serial value on serial_line */
  long e5_line, n5_line; /* section markers, 0 when absent */
  scrt_product *products;
  size_t nproducts;
  scrt_lpar *lpars;      /* without the CPC row */
  size_t nlpars;
  int64_t cpc_msu;       /* CPC row: the machine's peak, -1 when absent */
  long cpc_line;
  int latin1;            /* file was ISO-8859-1 */
  char delim;
} scrt_report;

/* Read an SCRT CSV file. With header_only the reader stops at the first
 * product section (enough to know machine and period). Any problem is
 * reported in d with file:line:column and gives LB_EINPUT; *out is then
 * NULL, except with header_only when the Machine Serial Number was read:
 * then *out holds the facts read so far, so that the caller can tell whose
 * report is unreadable. Unknown sections are skipped. Caller frees with
 * scrt_free. */
int scrt_read(scrt_report **out, const char *path, int header_only, diag_list *d);
void scrt_free(scrt_report *r);

/* The product row of a product id, or NULL. */
const scrt_product *scrt_find_product(const scrt_report *r, const char *product_id);

/* Parse "2 Jun, 2026 - 1 Jul, 2026 inclusive (30 days)". 0 or -1. */
int scrt_parse_period(const char *s, lb_date *start, lb_date *end, int *days);

#endif

/* reports.h - the month's CSV files: charges.csv, invoices.csv, audit.csv, errors.csv, notices.csv (README, "Outputs"). */
#ifndef LB_REPORTS_H
#define LB_REPORTS_H

#include "core/diag.h"
#include "core/invoice.h"
#include "output/atomic.h"

typedef struct month_reports {
  atomic_file charges, invoices, audit, errors, notices;
} month_reports;

/* Open the five files (as temporaries) in monthdir and write their headers. */
int reports_open(month_reports *r, const char *monthdir);
/* One row per line in charges.csv, one in invoices.csv, every step in
 * audit.csv, every notice in notices.csv. */
int reports_add_invoice(month_reports *r, const invoice *inv, const char *pdf_sha256);
/* Every record of d in errors.csv, its file relative to the input set (or,
 * for a file the run wrote, to the output folder): the same input set
 * billed from two folders gives the same file. */
int reports_add_errors(month_reports *r, const diag_list *d, const char *input_dir, const char *output_dir);
/* path relative to input_dir or else output_dir when it lies in one of
 * them, else path itself. */
const char *reports_relative(const char *path, const char *input_dir, const char *output_dir);
/* Make all five durable under their final names. */
int reports_commit(month_reports *r);
void reports_abort(month_reports *r);

/* Write one CSV field, quoted only when needed (libcsv does the quoting). */
void reports_field(FILE *fp, const char *s, int last);

#endif

/* gen.h - synthetic, deterministic input sets for tests and the benchmark (`licbill gen`). */
#ifndef LB_GEN_H
#define LB_GEN_H

#include <stdint.h>
#include <stdio.h>

#include "core/date.h"

/* Largest `customers` gen_write accepts: machine serials are a bijection of
 * (customer, machine) into 90 plants x 2^20 hex numbers, 8 machines each. */
#define GEN_MAX_CUSTOMERS 10000000L

/* Write a complete input set for billing month `month` into `outdir`:
 * customers, machines, licenses, products, prices, value_units, support,
 * usage, taxes (CSV, RFC 4180, CRLF, UTF-8) and scrt/ with received.csv and
 * one SCRT report per sub-capacity machine for the reporting period that
 * drives `month` (R-T3), in the varied encodings and separators that real
 * SCRT files come in.
 *
 * `outdir` (and missing parents) and `outdir/scrt` are created when
 * missing. The top-level files are overwritten; `outdir/scrt` must be
 * empty or missing, because a stale report of another run would be read
 * as part of this set.
 *
 * Same arguments give byte-identical files: customer i depends only on
 * (seed, i, month), so the first 50 customers of a 1000-customer set are
 * those of a 50-customer set. Rows are streamed; memory does not grow
 * with `customers`.
 *
 * `log` (may be NULL) gets one line per failure naming the file and why;
 * nothing on success.
 *
 * Returns LB_OK; LB_EINPUT when outdir is NULL or empty, customers is
 * outside 0..GEN_MAX_CUSTOMERS, month is outside 1950-01..9998-12 or
 * outdir/scrt is not empty; LB_EIO when a directory or file cannot be
 * created or written (files written so far are left in place);
 * LB_ENOMEM. Ownership: nothing is returned; the caller keeps `log`. */
int gen_write(const char *outdir, long customers, uint64_t seed, lb_month month, FILE *log);

#endif

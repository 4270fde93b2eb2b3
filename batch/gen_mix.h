/* gen_mix.h - puts the sample's archetype customers (gen_archetypes.c) into a set `licbill gen` writes. */
#ifndef LB_GEN_MIX_H
#define LB_GEN_MIX_H

#include <stdint.h>
#include <stdio.h>

#include "batch/gen_archetypes.h"
#include "batch/gen_sink.h"
#include "core/date.h"

#define GEN_MIX_EVERY 3     /* one customer in 3 is an archetype's clone ... */
#define GEN_MIX_OFFSET 1    /* ... the 2nd, 5th, 8th ... (C000002, C000005, ...) */
#define GEN_MIX_MAX_COLS 40 /* columns of an output file */

/* The archetype that customer `ci` (0-based) is a clone of in the set for
 * (seed, month), or -1 when it is one of gen's own. Customers with
 * ci % GEN_MIX_EVERY == GEN_MIX_OFFSET cycle through the archetypes from
 * an offset the seed picks; none is a clone when there are no archetypes
 * or when their dates cannot be moved to `month` (gen_mix_month_ok). */
int gen_mix_pick(long ci, uint64_t seed, lb_month month);

/* 1 when every date of the archetypes, moved to billing month `month`,
 * stays within the years 1900..9999 that input files may hold. */
int gen_mix_month_ok(lb_month month);

/* Machines (distinct serials) of archetype a, 1..8. */
int gen_mix_machines(int a);

/* What gen writes itself: the archetypes' shared rows for these are left
 * out, because two rows for one product, one price book, one Value Unit
 * Exhibit or one tax region would collide (catalog.c rejects a product
 * defined twice and overlapping tiers). Every slot MUST be set. */
typedef struct gen_mix_own {
  int (*product)(const char *product_id); /* 1: gen writes this product */
  int (*book)(const char *product_id, const char *ct, const char *component,
              const char *currency);      /* 1: gen writes rows of this book */
  int (*vue)(const char *vue);            /* 1: gen writes this exhibit */
  int (*tax_region)(const char *region);  /* 1: gen writes rates of this region */
} gen_mix_own;

/* Column maps from the archetype tables to the output files, the billing
 * month and a scratch buffer. Lives as long as the set is written. */
typedef struct gen_mix {
  lb_month month;
  int delta;                                 /* months from gen_arch_month to month */
  int ncols[GA__N];                          /* columns of each output file */
  signed char map[GA__N][GEN_MIX_MAX_COLS];  /* archetype column per output column, -1: empty */
  gen_sink cell;                             /* one expanded cell */
  FILE *log;
} gen_mix;

/* Prepare for billing month `month`. headers[f] is the header row of
 * output file f (names joined by ','). Every column of the archetype
 * tables must be one of them: a sample column licbill does not read
 * gives LB_EINPUT (logged), as does a header with more than
 * GEN_MIX_MAX_COLS columns. `log` may be NULL; the caller keeps it. Clear
 * with gen_mix_clear, also after a failure. */
int gen_mix_init(gen_mix *m, const char *const headers[GA__N], lb_month month, FILE *log);
void gen_mix_clear(gen_mix *m);

/* Append the archetypes' shared rows of file f (GA_PRODUCTS ..
 * GA_MODELS) to s, less those `own` says gen writes; nothing when the
 * month is not gen_mix_month_ok. Returns LB_OK, or LB_EINPUT for a
 * malformed template (logged); write errors stay in s. */
int gen_mix_shared(gen_mix *m, gen_sink *s, enum gen_arch_file f, const gen_mix_own *own);

/* Append archetype a as customer `id` with machine serials serials[0 ..
 * gen_mix_machines(a) - 1] to files[GA_CUSTOMERS .. GA_RECEIVED], every
 * date moved to the billing month, and write its SCRT reports into
 * outdir/scrt through `scrt` (a sink without a file, reused). Returns
 * LB_OK, an error of a report file (logged), or LB_EINPUT for a malformed
 * template (logged); errors of `files` stay in them. */
int gen_mix_customer(gen_mix *m, int a, const char *id, const char *const *serials,
                     gen_sink *const files[GA__CUSTOMER_FILES], gen_sink *scrt, const char *outdir);

#endif

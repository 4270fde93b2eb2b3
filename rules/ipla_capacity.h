/* ipla_capacity.h - required license capacity of an IPLA program in MSUs (R-I1..R-I4, R-I8). */
#ifndef LB_IPLA_CAPACITY_H
#define LB_IPLA_CAPACITY_H

#include "rules/rule.h"

#define IPLA_VERSIONS_MAX 4
#define IPLA_MACHINES_MAX 64
#define IPLA_PARENTS_MAX 8
#define IPLA_ZOS_MAX 8 /* z/OS and z/OS.e products counted on one machine (R-I3) */

/* One IPLA program of the customer: one product, or, with S&S, the versions
 * that licenses.replaces links (R-I8). Everything points into the catalog
 * and the customer data; nothing is owned. */
typedef struct ipla_program {
  const product *versions[IPLA_VERSIONS_MAX]; /* [0] the newest: the product ordered and priced */
  int nversions;
  const support_row *ss;                      /* S&S in effect on the order date, NULL when none (R-I7) */
} ipla_program;

/* What the required capacity is made of. */
typedef struct ipla_need {
  long msus;                                  /* required MSUs over the enterprise (R-I5 sum) */
  const machine *machines[IPLA_MACHINES_MAX]; /* machines counted, in order of first use */
  int nmachines;
} ipla_need;

/* 1 when IPLA license l ran in the reporting period that drives ctx->month
 * (installed by its last day, not discontinued before its first day), so
 * that the period's SCRT reports measure it. */
int ipla_runs(const rule_ctx *ctx, const license *l);

/* The parent program ids of a reference-based product (products.csv
 * parent_product: one id, or several versions separated by ';', R-I2),
 * copied into ids; returns the count (at most max). */
int ipla_parent_ids(const product *p, char ids[][32], int max);

/* R-I2: the environment of machine m: its qualified sysplex (one that
 * aggregates, R-W8: more than one machine) or m alone. Returns the sysplex
 * name or m's serial (not owned). */
const char *ipla_environment(const rule_ctx *ctx, const machine *m);

/* R-I2: the first parent license of IPLA license l charged this month on a
 * machine of l's environment, or NULL. */
const license *ipla_parent_in_environment(const rule_ctx *ctx, const license *l);

/* R-I3: the z/OS and z/OS.e licenses charged this month on machine
 * `serial` (not OS/390 or MVS), one per product, in licenses.csv order:
 * up to max written to out (not owned); returns the count. */
int ipla_zos_licenses(const rule_ctx *ctx, const char *serial, const license **out, int max);

/* R-I3: the first of them, or NULL when none. */
const license *ipla_zos_license(const rule_ctx *ctx, const char *serial);

/* Required MSUs of program pg over the customer's enterprise: per running
 * license by its terms, execution (R-I1: the program's E5 row; absent from
 * the report, it did not execute: 0), reference (R-I2, each environment
 * once; with several versions of the parent in an environment, the
 * parent's MSUs on each machine capped at that machine's z/OS MSUs) or
 * z/OS (R-I3: the MSUs of z/OS and z/OS.e on the machine, at most its full
 * capacity), at full capacity where sub-capacity is not in effect (R-I4); the versions of a
 * program summed after their six-month grace, the larger one during it
 * (R-I8). Audit steps go to invoice line
 * `line`, rule ids to rules. Fills *need. LB_OK, LB_EINPUT after reporting,
 * LB_ENOMEM. */
int ipla_required_msus(const rule_ctx *ctx, const ipla_program *pg, invoice *inv, int line, ipla_need *need,
                       rule_set *rules, diag_list *d);

#endif

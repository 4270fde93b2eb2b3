/* rule.h - what every rule module gets (rule_ctx) and the module table's row type. */
#ifndef LB_RULE_H
#define LB_RULE_H

#include "input/catalog.h"
#include "input/customer.h"
#include "core/diag.h"
#include "input/scrt.h"
#include "input/scrtdir.h"
#include "core/chargetype.h"
#include "core/invoice.h"

/* What is known about one machine for the month, before any program is priced. */
typedef struct machine_state {
  const machine *m;
  const scrt_report *report; /* the report for the month's period, NULL when none */
  const char *report_name;   /* "scrt/NAME.csv" for the audit trail */
  const receipt *rcpt;       /* its receipt, NULL when none */
  int subcap;                /* sub-capacity in effect this month (R-W2, R-W3, R-T2) */
  const char *full_rule;     /* rule that forced full capacity ("R-T2", "R-W3", ...), NULL if subcap */
  char full_why[200];        /* the reason in plain words */
  int zos_full;              /* R-W7: OS/390 or MVS licensed: z/OS family at full capacity */
} machine_state;

/* What earlier months recorded, for rules that carry something forward
 * (R-I6 entitlement, R-S1 waiver start, R-L4 group, R-U4 initial usage, ...).
 * Backed by the ledger in a run; NULL in rule_ctx means "no history" (a
 * first month). Both functions return 1 found, 0 not found, LB_EIO. */
typedef struct rule_history {
  void *self;
  /* latest value of `key` for the customer set in a month before `before` */
  int (*state_get)(void *self, const char *customer_id, const char *key, lb_month before, char *value, size_t n,
                   lb_month *set_in);
  /* MSUs billed for (serial, product, charge type) on the customer's current invoice of month m */
  int (*billed_msus)(void *self, const char *customer_id, lb_month m, const char *serial, const char *product_id,
                     const char *ct, long *msus);
} rule_history;

/* Everything a rule function may look at. Rule functions are pure: no I/O,
 * no globals, no clock. */
typedef struct rule_ctx {
  const catalog *cat;
  const cust_data *cd;
  lb_month month;
  lb_date period_start, period_end; /* reporting period that drives the month (R-T3) */
  lb_date price_date;               /* prices in effect on this date (first day of the month) */
  machine_state *ms;                /* one per cd->machines[i], same order */
  const char *customers_file;       /* paths used in error messages */
  const char *licenses_file;
  const char *machines_file;
  const char *usage_file;           /* NULL: "usage.csv" */
  const char *support_file;         /* NULL: "support.csv" */
  const rule_history *hist;         /* NULL: no history */
  /* Set by the engine for each module: the customer's licenses of the
   * module's charge type for the month, in licenses.csv order. For an MLC
   * type (CTF_MLC) only those charged in the month under R-T4/R-T5; for the
   * ILC (CTF_DERIVED) the MLC licenses charged in the month. */
  const license *const *own;
  size_t nown;
} rule_ctx;

/* ctx->hist->state_get for the ctx's customer and month; 0 when there is no history. */
int rule_state_get(const rule_ctx *ctx, const char *key, char *value, size_t n, lb_month *set_in);
/* ctx->hist->billed_msus for the ctx's customer; 0 when there is no history. */
int rule_billed_msus(const rule_ctx *ctx, lb_month m, const char *serial, const char *product_id, charge_type ct,
                     long *msus);

/* One row of the rule-module table (rules/registry.c); the charge type's
 * flags and title are its declaration's (core/chargetypes.def). */
typedef struct rule_module {
  charge_type ct;        /* MUST: the charge type priced; one row per type without CTF_NO_ROW */
  const char *rule_ids;  /* MUST: ids of the rules the module implements, ";"-separated, each declared
                          * in core/rules.def */
  const char *component; /* MUST: prices.csv components read, ";"-separated ("monthly", "base;per_msu") */
  /* MAY: check inventory preconditions for the customer; LB_EINPUT after reporting */
  int (*validate)(const rule_ctx *ctx, diag_list *d);
  /* MUST: append the lines of ctx->own, each with at least one audit step (R-X5) */
  int (*price)(const rule_ctx *ctx, invoice *inv, diag_list *d);
} rule_module;

#endif

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
  rule_id full_rule;         /* rule that forced full capacity (R-T2, R-W3, R-W2), when !subcap */
  char full_why[200];        /* the reason in plain words */
  int zos_full;              /* R-W7: OS/390 or MVS licensed: z/OS family at full capacity */
  lb_month subcap_start;     /* R-W3: first month billed on an SCRT report (inventory, ledger, or this
                              * month when its report is the first), MONTH_NONE */
  int subcap_first;          /* R-W3: this month's report, on time, is the machine's first: sub-capacity
                              * starts with the month it drives */
} machine_state;


/* Everything a rule function may look at. Rule functions are pure: no I/O,
 * no globals, no clock. */
typedef struct rule_ctx {
  const catalog *cat;
  const cust_data *cd;
  lb_month month;
  lb_date period_start, period_end; /* reporting period that drives the month (R-T3) */
  lb_date price_date;               /* prices in effect on this date (first day of the month) */
  lb_date issue_date;               /* the day the invoice is issued (after the month's end) */
  machine_state *ms;                /* one per cd->machines[i], same order */
  const char *customers_file;       /* paths used in error messages */
  const char *licenses_file;
  const char *machines_file;
  const char *usage_file;           /* NULL: "usage.csv" */
  const char *support_file;         /* NULL: "support.csv" */
  const carry_history *hist;        /* what earlier months carried (R-W3, R-I6, R-S1, R-L4, R-U4, R-T7,
                                     * R-T8); NULL or empty in a first month */
  /* Set by the engine for each module: the customer's licenses of the
   * module's charge type for the month, in licenses.csv order. For an MLC
   * type (CTF_MLC) only those charged in the month under R-T4/R-T5; for the
   * ILC (CTF_DERIVED) the MLC licenses charged in the month. */
  const license *const *own;
  size_t nown;
  /* Set by the engine only, to price what a machine billed at full capacity
   * under R-T2 would cost had its (late) report been taken: the notice's
   * comparison. NULL when billing. */
  const machine *t2_waive;
} rule_ctx;

/* What an earlier month carried for (kind, subject) for the ctx's
 * customer, or NULL. */
const carried *rule_carried(const rule_ctx *ctx, carry_kind kind, const char *subject);

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

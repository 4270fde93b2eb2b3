/* lmodel.h - logical models of a machine running z/OS.e (R-W14), shared by EWLC, TWLC and zELC. */
#ifndef LB_LMODEL_H
#define LB_LMODEL_H

#include "rules/rule.h"

/* 1 if the product is z/OS.e: an operating system of the z/OS family whose
 * products.csv name says "z/OS.e" (002 §5.16.13 4). */
int lmodel_is_zose(const product *p);

/* 1 if machine m is divided into two logical models, one running z/OS.e on
 * zose_engines engines and one running the other operating systems on the
 * rest: 0 < zose_engines < engines (002 §5.16.13 3.A). */
int lmodel_split(const machine *m);

/* R-W14: Full Logical Model Capacity of the z/OS.e model of a rated, split
 * machine: full_capacity_msu / engines x zose_engines, a fraction of one
 * half or more rounded up, less dropped. Integer arithmetic only. */
long lmodel_zose_capacity(const machine *m);

/* The logical model license l runs in (a feature: its program's, R-W6):
 * LMODEL_BOTH on a machine with one logical model (the whole machine),
 * else z/OS.e in the z/OS.e model, another operating system of the z/OS,
 * z/TPF or z/VSE family in the other model, otherwise the license's
 * logical_model column. *out is written on success; LB_EINPUT after
 * reporting when the column is needed and empty. */
int lmodel_of(const rule_ctx *ctx, const license *l, logical_model *out, diag_list *d);

/* R-W14: *msus = Full Logical Model Capacity of the logical model license
 * l runs in (the machine's Full Capacity when it has one model, or when the
 * program runs in both). Adds the R-T10 step when the machine's capacity
 * rose inside the month (unless rules already has it) and the R-W14 step
 * to `line`; rule ids go to rules. An unrated machine is LB_EINPUT after
 * reporting; LB_ENOMEM. */
int lmodel_capacity(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d);

/* Check the logical-model inputs (R-W14) of every machine on which ct is
 * the first of EWLC, TWLC, ZELC charged this month (so that each machine is
 * checked once): zose_engines set exactly when z/OS.e runs next to another
 * operating system, and no license's logical_model contradicting its
 * operating system. LB_OK, or LB_EINPUT after reporting. */
int lmodel_validate(const rule_ctx *ctx, charge_type ct, diag_list *d);

/* 1 if prices.csv has a book of (product, ct, component) in the customer's
 * currency in effect on the price date: the charge type is "available" for
 * the program in the seed's sense. */
int lmodel_has_price(const rule_ctx *ctx, const char *product_id, charge_type ct, const char *component);

/* Seed exclusivity terms ("if you select X for any program on a machine,
 * all programs for which X is available must have X"): on every machine
 * with a license of `ct` charged this month, a license of another charge
 * type in `covered` (a mask of 1u << charge_type) whose program has a
 * price for ct (component "monthly", or the machine's zELC category for
 * ZELC) is reported at its charge_type column, naming `cite`.
 * LB_OK, or LB_EINPUT after reporting. */
int lmodel_exclusive(const rule_ctx *ctx, charge_type ct, unsigned covered, const char *cite, diag_list *d);

/* Set the printed note of invoice line `line` (1-based), replacing an
 * earlier one; plain ASCII words for the reader of the invoice. A line
 * number that is not on the invoice (0: a scratch computation) is ignored.
 * LB_OK or LB_ENOMEM. */
int lmodel_note(invoice *inv, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

/* legacy.h - what the capacity-based legacy charges share (ELC, IMLC, PSLC, GMLC, GOLC, MOSP): month, line closing, one-row prices. */
#ifndef LB_LEGACY_H
#define LB_LEGACY_H

#include "rules/rule.h"

/* R-T4/R-T5: 1 when license l is charged in ctx->month (whole calendar months). */
int legacy_charged(const rule_ctx *ctx, const license *l);

/* R-T4: the audit step saying license l is charged for the whole month on
 * line cl, and R-T4 added to rules. 0 or LB_ENOMEM. */
int legacy_audit_month(invoice *inv, const charge_line *cl, const license *l, rule_set *rules);

/* round `exact` half away from zero to the cent, add the audit step,
 * set cl->amount and cl->rules (rules with added).
 * LB_OK, LB_EOVERFLOW, LB_ENOMEM. */
int legacy_close_line(invoice *inv, charge_line *cl, money exact, rule_set *rules);

/* The single row of the price book (l's product, ct, component) in the
 * customer's currency in effect on ctx->price_date; NULL when there is no
 * such book or it has more than one row. Points into the catalog. */
const price *legacy_one_row(const rule_ctx *ctx, const license *l, charge_type ct, const char *component);

#endif

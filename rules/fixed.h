/* fixed.h - a charge that is one price-book row per license (FWLC, OTC, ILC, PLC). */
#ifndef LB_FIXED_H
#define LB_FIXED_H

#include "rules/rule.h"

/* Look up the single fixed_price row of (product, ct, component) in the
 * customer's currency in effect on `on`, and append a line for license l:
 * quantity 1 of `unit`, unit price = that price, amount = that price rounded
 * to the cent, rule ids `rules`. A row of several licenses or
 * features (R-0.5, licline_per_license) makes it that many "licenses" or
 * "features", the amount the price times them rounded once, with its
 * step on the line. *book gets the row (for the audit trail).
 * A missing or tiered price is an input error naming `rule` (LB_EINPUT);
 * LB_ENOMEM. *out gets the new line. */
int fixed_line(const rule_ctx *ctx, const license *l, charge_type ct, const char *component, lb_date on,
               const char *unit, const rule_set *rules, const char *rule, invoice *inv, charge_line **out,
               const price **book, diag_list *d);

#endif

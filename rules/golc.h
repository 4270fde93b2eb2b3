/* golc.h - R-L5: Growth Opportunity License Charge by the machine's GOLC category, with the graduated default. */
#ifndef LB_GOLC_H
#define LB_GOLC_H

#include "rules/rule.h"

/* Price-book convention: a GOLC price is the row of (product, GOLC,
 * component = the machine's golc_category, e.g. "H50") with fixed_price =
 * the monthly charge. Where a program has no GOLC price for the category,
 * the default is the basic graduated monthly charge (R-L4 book, component
 * "group" of (product, GMLC)) of group 40 for H30, 50 for H50, 70 for H70. */

/* R-L5: every charged GOLC license is on a machine with a GOLC category
 * and has a GOLC price or a default. LB_EINPUT after reporting. */
int golc_validate(const rule_ctx *ctx, diag_list *d);

/* R-L5: one line per charged GOLC license. */
int golc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

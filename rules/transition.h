/* transition.h - AWLC transition charges for sysplexes with some AWLC-eligible machines (R-W11). */
#ifndef LB_TRANSITION_H
#define LB_TRANSITION_H

#include "rules/rule.h"

/* After the VWLC lines (inv->lines[first..]) are priced: for each actively
 * coupled sysplex where some but not all machines are AWLC-eligible, add one
 * negative VWLC line (unit "%", quantity = the AWLC-eligible share) reducing
 * the sysplex's aggregated VWLC lines (those summed over two or more of its
 * machines, R-W8) by the R-W11 percentage. A share that
 * rounds to 0 % or 100 % gets an invoice-level audit step and no line.
 * LB_OK, LB_EINPUT after reporting (unrated machine), LB_ENOMEM. */
int transition_apply(const rule_ctx *ctx, invoice *inv, size_t first, diag_list *d);

/* R-W11: eligible * 100 / total rounded to a whole percent, 0.5 up; total > 0. */
long transition_share(int64_t eligible, int64_t total);

/* R-W11: the reduction for a whole-percent share, in 1/10000 % (4.5 % ==
 * 45000); 0 when the share is 0 or 100. */
money transition_reduction_pct(long share);

#endif

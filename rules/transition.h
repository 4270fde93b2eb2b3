/* transition.h - AWLC transition charges for sysplexes with some AWLC-eligible machines (R-W11). */
#ifndef LB_TRANSITION_H
#define LB_TRANSITION_H

#include "rule.h"

/* After the VWLC lines (inv->lines[first..]) are priced: for each actively
 * coupled sysplex where some but not all machines are AWLC-eligible, reduce
 * its VWLC charges by the R-W11 percentage. LB_OK, LB_EINPUT, LB_ENOMEM. */
int transition_apply(const rule_ctx *ctx, invoice *inv, size_t first, diag_list *d);

#endif

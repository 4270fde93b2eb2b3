/* pslc.h - R-L3, R-W9: Parallel Sysplex License Charge, single machine (PSLC/E) or summed over a coupled sysplex. */
#ifndef LB_PSLC_H
#define LB_PSLC_H

#include "rules/rule.h"

/* R-W9: AWLC or PSLC, VWLC or PSLC, per OS family per machine, never
 * both; R-L3: every charged PSLC license's machine MSUs can be found.
 * LB_EINPUT after reporting. */
int pslc_validate(const rule_ctx *ctx, diag_list *d);

/* R-L3: PSLC priced by tier (R-W1) on the (product, PSLC, "monthly") book:
 * on a machine of an actively coupled sysplex (the inventory puts two or
 * more machines in it) the MSUs of the sysplex's machines are summed
 * (R-W8); a single machine (PSLC/E) is charged on its MSUs, or on twice the
 * highest MSU rating of machine_models.csv when its model is not listed. */
int pslc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

/* imlc.h - R-L2: Indexed Monthly License Charge on the machine's MSUs (above 80; unrated = 200 MSUs). */
#ifndef LB_IMLC_H
#define LB_IMLC_H

#include "rules/rule.h"

/* MSUs IMLC charges for a machine with no MSU rating (R-L2). */
#define IMLC_UNRATED_MSUS 200

/* R-L2: every charged IMLC license is on a machine above 80 MSUs (an
 * unrated machine counts as 200). LB_EINPUT after reporting. */
int imlc_validate(const rule_ctx *ctx, diag_list *d);

/* R-L2: one line per program and machine, the machine's MSUs priced by
 * tier (R-W1) on the (product, IMLC, "monthly") price book. */
int imlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

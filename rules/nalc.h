/* nalc.h - NALC (New Application License Charge, 002 §5.16.9 a): tiered on the machine's capacity. */
#ifndef LB_NALC_H
#define LB_NALC_H

#include "rules/rule.h"

/* NALC has no sub-capacity terms: a license asking for sub-capacity
 * pricing is an input error. LB_OK or LB_EINPUT after reporting. */
int nalc_validate(const rule_ctx *ctx, diag_list *d);

/* One line per NALC license's product and machine (no aggregation): the
 * machine's Full Capacity MSUs (R-W2, R-T10), priced by tier (R-W1).
 * LB_OK, LB_EINPUT, LB_ENOMEM. */
int nalc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

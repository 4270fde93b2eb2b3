/* wlc.h - workload license charges priced on MSUs by tier: VWLC and AWLC (R-W1..R-W8, R-T4, R-T5). */
#ifndef LB_WLC_H
#define LB_WLC_H

#include "rule.h"

int wlc_price_vwlc(const rule_ctx *ctx, invoice *inv, diag_list *d);
int wlc_price_awlc(const rule_ctx *ctx, invoice *inv, diag_list *d);

/* The machines of the customer in sysplex `name` (R-W8). */
size_t wlc_sysplex_size(const rule_ctx *ctx, const char *name);

/* Price `qty` on the price book of (product, ct, component) in the
 * customer's currency (R-W1), fill the line's amount, tiers, unit price,
 * and the R-W1 and audit steps. `ref` is the license that names the
 * product, for the error position. LB_EINPUT after reporting. */
int wlc_price_line(const rule_ctx *ctx, const license *ref, charge_type ct, const char *component, long qty,
                   charge_line *cl, invoice *inv, char *rules, size_t rsize, diag_list *d);

#endif

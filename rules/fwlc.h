/* fwlc.h - R-W10: Flat Workload License Charges, a fixed monthly charge next to AWLC/VWLC z/OS. */
#ifndef LB_FWLC_H
#define LB_FWLC_H

#include "rules/rule.h"

int fwlc_validate(const rule_ctx *ctx, diag_list *d);
int fwlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

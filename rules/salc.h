/* salc.h - SALC: Select Application License Charges, usage in whole MSUs as Base 1 and Level A..D features (R-U5). */
#ifndef LB_SALC_H
#define LB_SALC_H

#include "rules/rule.h"

/* R-U5: SALC needs z/OS with WLC (AWLC, VWLC) or EWLC charged on the same
 * machine; else an input error at the license. LB_EINPUT after reporting. */
int salc_validate(const rule_ctx *ctx, diag_list *d);

/* R-U5 on the usage of R-U1..R-U4 (summed over an actively coupled
 * sysplex, the Usage Pricing terms): one line per program and machine or
 * sysplex, the features priced from prices.csv components "base1",
 * "level_a", "level_b", "level_c", "level_d" (one row each, unit_price =
 * monthly charge of one feature). */
int salc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

/* R-U5: how many features of each level (Base 1, Level A, B, C, D) `msus`
 * whole MSUs take; msus <= 1 is Base 1 alone. */
void salc_features(long msus, long features[5]);

#endif

/* mwlc.h - Midrange Workload License Charges for z/VSE: MSU-tiered per machine (R-W17, R-W1..R-W6). */
#ifndef LB_MWLC_H
#define LB_MWLC_H

#include "rules/rule.h"

/* R-W17: MWLC programs of the z/VSE family, an eligible operating system
 * (z/VSE V4 or later) licensed to the machine, readable z/VSE versions,
 * seed exclusivity (002 MWLC terms, Charges 2). LB_OK, or LB_EINPUT
 * after reporting. */
int mwlc_validate(const rule_ctx *ctx, diag_list *d);

/* One line per MWLC program and machine, never aggregated: MSUs as
 * R-W2..R-W6, but Full Capacity MSUs on a machine where z/VSE V3 or older
 * is licensed (R-W17); tiered once (R-W1). */
int mwlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

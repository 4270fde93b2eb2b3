/* ewlc.h - Entry Workload License Charges: MSU-tiered per machine, z/OS.e logical models (R-W13, R-W14, R-W1..R-W7). */
#ifndef LB_EWLC_H
#define LB_EWLC_H

#include "rules/rule.h"

/* Seed exclusivity (002 §5.16.13 3.F.c) and the logical-model inputs
 * (R-W14) of machines with EWLC. LB_OK, or LB_EINPUT after reporting. */
int ewlc_validate(const rule_ctx *ctx, diag_list *d);

/* One line per EWLC program and machine, never aggregated: MSUs as for
 * AWLC/VWLC (R-W2..R-W7), on a machine split into logical models the Full
 * Logical Model Capacity instead of the machine's at full capacity (R-W14)
 * and the z/OS.e-first reduction of reported MSUs above the machine's
 * capacity (R-W13); tiered once (R-W1). */
int ewlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

/* twlc.h - Tiered Workload License Charges: tiered on Full Logical Model Capacity, no sub-capacity (R-W15). */
#ifndef LB_TWLC_H
#define LB_TWLC_H

#include "rules/rule.h"

/* R-W15: no sub-capacity, a machine placed in a TWLC tier, seed
 * exclusivity (002 §5.16.13 3.E.c), logical-model inputs (R-W14).
 * LB_OK, or LB_EINPUT after reporting. */
int twlc_validate(const rule_ctx *ctx, diag_list *d);

/* One line per TWLC license: the Full Logical Model Capacity of the model
 * the program runs in (R-W14) priced on the program's TWLC price book by
 * tier (R-W1), or on the machine's default ("Other") book, product_id
 * OTHER, where the program has none (002 §5.16.13 3.E.b). */
int twlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

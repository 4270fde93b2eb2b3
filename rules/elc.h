/* elc.h - R-L1: Extended License Charge, a base charge for 80 MSUs plus a charge per MSU above 80. */
#ifndef LB_ELC_H
#define LB_ELC_H

#include "rules/rule.h"

/* The MSUs of a machine below which (inclusive) ELC and IMLC do not apply (R-L1, R-L2). */
#define ELC_BASE_MSUS 80

/* R-L1: every charged ELC license is on a machine above 80 MSUs whose
 * MSUs are known (rated, or unrated with its model's product group in
 * machine_models.csv). LB_EINPUT after reporting. */
int elc_validate(const rule_ctx *ctx, diag_list *d);

/* R-L1: one line per charged ELC license: base (prices.csv component
 * "base", fixed_price = the charge for 80 MSUs) + (MSUs - 80) x per-MSU
 * price (component "per_msu", unit_price). */
int elc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

/* zelc.h - zSeries Entry License Charges: a monthly price by the logical model's category (R-W16). */
#ifndef LB_ZELC_H
#define LB_ZELC_H

#include "rules/rule.h"

/* R-W16: a machine with a zELC category, no sub-capacity, seed
 * exclusivity (002 §5.16.13 3.D.d), logical-model inputs (R-W14).
 * LB_OK, or LB_EINPUT after reporting. */
int zelc_validate(const rule_ctx *ctx, diag_list *d);

/* One line per zELC license: the fixed monthly price of the program for
 * the machine's zelc_category (prices.csv: charge_type ZELC, component =
 * the category), or where the program has none the machine's default
 * ("Other") charge: product_id OTHER, same charge type and component. */
int zelc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

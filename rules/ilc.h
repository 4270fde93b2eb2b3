/* ilc.h - R-T7: the Initial License Charge, billed once with the first MLC invoice of a license. */
#ifndef LB_ILC_H
#define LB_ILC_H

#include "rules/rule.h"

/* R-T7: for every license of a monthly (MLC) charge type whose first
 * charged month (R-T4) is ctx->month, append its Initial License Charge
 * when the price book has one: prices.csv row (product, the license's
 * charge type, component "ilc", fixed_price) in effect on the installation
 * date. A product without such a row has no ILC ("some programs", 002
 * §5.12). The line's charge type is "ILC"; the ledger remembers it
 * ("ilc:LICENSE") so that it is never billed twice. Lines and steps are
 * owned by inv. LB_OK, LB_EINPUT (an ILC book that is not one fixed
 * price), LB_ENOMEM, LB_EOVERFLOW. */
int ilc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

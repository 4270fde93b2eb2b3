/* alc.h - ALC charge type: the Primary License Charge on installation (R-T8) and the annual license charge. */
#ifndef LB_ALC_H
#define LB_ALC_H

#include "rules/rule.h"

/* For every ALC license: on the invoice of the month that contains its
 * Date of Installation, the Primary License Charge (R-T8, prices.csv
 * component "plc", fixed_price, in effect on that date; charge type
 * "PLC"; remembered in the ledger as "plc:LICENSE", never billed twice).
 * The Annual License Charge (component "annual", fixed_price per year, in
 * effect on the first day of the invoice month) accrues in whole calendar
 * months (R-T4, R-T5) and is invoiced in arrears at the end of each
 * license year (the 12th charged month), or in the last charged month for
 * the months since the last annual invoice. Lines and steps are owned by
 * inv. LB_OK, LB_EINPUT after reporting a missing price, LB_ENOMEM,
 * LB_EOVERFLOW. */
int alc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

/* otc.h - one-time charges (002 §5.12): invoiced once, in the month of installation. */
#ifndef LB_OTC_H
#define LB_OTC_H

#include "rules/rule.h"

int otc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

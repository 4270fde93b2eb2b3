/* mulc.h - MULC and Usage Pricing (UPC): the usage of the billing period picks a usage band whose charge applies (R-U4). */
#ifndef LB_MULC_H
#define LB_MULC_H

#include "rules/rule.h"

/* MULC (002 §5.16.6): per machine; the first measured month sets the
 * billing period's usage. Price book component "band". */
int mulc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

/* Usage Pricing (002 §5.16.10): summed over an actively coupled sysplex;
 * the higher of the first two measured months sets the billing period's
 * usage. Price book component "band". */
int upc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

/* mosp.h - R-L6: Multiple Operating Systems PR/SM Option, a reduced graduated charge under conditions. */
#ifndef LB_MOSP_H
#define LB_MOSP_H

#include "rules/rule.h"

/* Price-book convention: the reduced charge is the graduated book of
 * (product, MOSP, component "group"), the basic charge that of (product,
 * GMLC, "group") (R-L4 rows: to_qty = program group, fixed_price). */

/* R-L6: every charged MOSP license has accepted_on and can be priced on
 * the book its conditions select (R-L4 checks). LB_EINPUT after reporting. */
int mosp_validate(const rule_ctx *ctx, diag_list *d);

/* R-L6: the reduced graduated charge from the month the order was accepted
 * (R-T4: accepted on the 1st, that month; later, the next month) while
 * PR/SM is installed on the machine (machines.csv prsm) and operating
 * systems of two different categories (OS families of products.csv, among
 * the OS licenses charged on the machine this month) run concurrently;
 * otherwise the basic graduated charge. Group and upgrade as R-L4. */
int mosp_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

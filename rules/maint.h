/* maint.h - SWMA and S&S charges: periods in arrears by billing cycle, fees, uplifts (R-T9, R-M1..R-M7). */
#ifndef LB_MAINT_H
#define LB_MAINT_H

#include "rules/rule.h"

/* R-M4: Secure Support via U.S. citizens, in 1/10000 % (002 §5.15.14 2.1) */
#define MAINT_SECURE_FIRST_PCT 22000  /* 2.2 %: license + first-year S&S, trade-ups */
#define MAINT_SECURE_RENEW_PCT 110000 /* 11.0 %: annual S&S renewals and reinstatements */

/* Check the customer's support rows (periods_check) and the scope of
 * Secure Support (R-M4: secure_support=yes only on IPLA software sold via
 * Passport Advantage; sales_channel passport_advantage only on IPLA, SS or
 * OTC licenses): LB_OK, or LB_EINPUT after reporting each problem in d. */
int maint_validate(const rule_ctx *ctx, diag_list *d);

/* Append the SWMA (IBM i Software Maintenance) lines of the support rows
 * whose offering is SWMA, 6942-73G or 6942-12F: each period's share of the
 * months the invoice carries (R-T9, R-M1, R-M5, R-M6), After License Fees
 * with the lapse discount (R-M2), excess use (R-M7). A quarterly customer
 * gets them only on March, June, September and December invoices; in the
 * other months the invoice carries audit steps (line 0) saying what waits
 * for the quarter. Lines and steps are owned by inv. LB_OK, LB_EINPUT after
 * reporting (a missing price), LB_ENOMEM, LB_EOVERFLOW. */
int maint_price_swma(const rule_ctx *ctx, invoice *inv, diag_list *d);

/* The same for System z Subscription and Support (offering SS): periods in
 * whole calendar months, resumption fees (R-M3), and the Secure Support
 * uplift of licenses with secure_support=yes as a line of its own after
 * each line it raises (R-M4). */
int maint_price_ss(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

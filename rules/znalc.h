/* znalc.h - zNALC: z/OS charged on the MSUs of its zNALC LPARs, capped at the machine's peak (R-W12). */
#ifndef LB_ZNALC_H
#define LB_ZNALC_H

#include "rules/rule.h"

/* 1 if the N5 row is a zNALC LPAR: its name begins with "ZNAL", or SCRT
 * shows it IPLed with LICENSE=ZNALC (R-W12). */
int znalc_is_lpar(const scrt_lpar *lp);

/* Check the zNALC licenses charged in the month (002 §5.16.9 b.3): only z/OS
 * or a feature of a zNALC z/OS license; not on a machine with OS/390 or MVS,
 * z/OS.e, or z/OS with NALC. LB_OK or LB_EINPUT after reporting. */
int znalc_validate(const rule_ctx *ctx, diag_list *d);

/* One line per product and machine, or per qualified sysplex (R-W8):
 * sub-capacity MSUs are the zNALC LPARs' peaks from the N5 section, reduced
 * so that zNALC plus WLC/EWLC z/OS MSUs do not exceed the machine's peak
 * (never below the product's min_msu); Full Capacity MSUs without
 * sub-capacity (R-W2, R-W3, R-T2). LB_OK, LB_EINPUT, LB_ENOMEM. */
int znalc_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif

/* wlc.h - workload license charges priced on MSUs by tier: VWLC and AWLC (R-W1..R-W8, R-T4, R-T5). */
#ifndef LB_WLC_H
#define LB_WLC_H

#include "rules/rule.h"

/* How a workload charge type is grouped and measured. */
typedef struct wlc_opts {
  const char *component; /* prices.csv component ("monthly") */
  int aggregate;         /* R-W8: one line per product over a qualified sysplex */
  /* MSUs of license l on its machine (audit steps to `line`, rule ids to
   * rules); NULL = subcap_license_msus (R-W2..R-W7) */
  int (*msus)(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules,
              diag_list *d);
} wlc_opts;

/* Price the module's licenses of the month (ctx->own, of charge type ct):
 * group by product and (when o->aggregate) qualified sysplex (R-W8), take
 * each machine's MSUs (o->msus, then R-S1..R-S3 svc_adjust), and price the
 * sum once by tier (R-W1). One invoice line per group. */
int wlc_price_ct(const rule_ctx *ctx, charge_type ct, const wlc_opts *o, invoice *inv, diag_list *d);

int wlc_price_vwlc(const rule_ctx *ctx, invoice *inv, diag_list *d);
int wlc_price_awlc(const rule_ctx *ctx, invoice *inv, diag_list *d);

/* R-W20: AWLC is for programs "used on an Eligible Machine" (002 §5.16.1):
 * an AWLC license charged this month on a machine whose awlc_eligible is
 * not yes is an input error at its charge_type. LB_OK or LB_EINPUT. */
int wlc_validate_awlc(const rule_ctx *ctx, diag_list *d);

/* Price `qty` on the price book of (product, ct, component) in the
 * customer's currency (R-W1), fill the line's amount, tiers, unit price,
 * and the R-W1 and audit steps. `ref` is the license that names the
 * product, for the error position. LB_EINPUT after reporting. */
int wlc_price_line(const rule_ctx *ctx, const license *ref, charge_type ct, const char *component, long qty,
                   charge_line *cl, invoice *inv, rule_set *rules, diag_list *d);

#endif

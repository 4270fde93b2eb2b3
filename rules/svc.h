/* svc.h - Single Version Charging: the predecessor waived, the replacement capped (R-S1..R-S3). */
#ifndef LB_SVC_H
#define LB_SVC_H

#include "rules/rule.h"

/* Called for every license priced by wlc_price_ct once its machine's MSUs
 * are known, before sysplex aggregation (R-S3). For a predecessor whose
 * charges are waived this month (R-S1) *msus becomes 0; for a replacement
 * with sub-capacity on both (R-S2) *msus becomes min(predecessor +
 * replacement, cap). Audit steps go to `line`, rule ids to rules.
 * LB_OK, LB_EINPUT after reporting, LB_ENOMEM. */
int svc_adjust(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules,
               diag_list *d);

#endif

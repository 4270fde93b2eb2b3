/* usage.h - measured usage of usage-priced programs (R-U1..R-U3) and the usage a billing period is charged on (R-U4). */
#ifndef LB_USAGE_H
#define LB_USAGE_H

#include "rules/rule.h"
#include "rules/sysplex.h"

/* The licenses of one usage-priced program charged together (R-U3). */
typedef lic_group usage_group;

/* R-U1: every usage.csv row of the customer belongs to a MULC, UPC or SALC
 * license of its program on its machine; LB_OK, or LB_EINPUT after
 * reporting each (program, machine) once. */
int usage_validate(const rule_ctx *ctx, diag_list *d);

/* The module's licenses of the month (ctx->own) grouped by product and
 * machine, or by product and sysplex when `aggregate` (R-U3), sorted by key
 * then product (sysplex_groups). A program licensed twice on one machine
 * is an input error: LB_EINPUT after reporting, LB_ENOMEM. */
int usage_groups(const rule_ctx *ctx, charge_type ct, int aggregate, lic_groups *out, diag_list *d);

/* Fill the machine and product fields of an invoice line for group g
 * (serials and type-models joined with '+', the sysplex when several
 * machines). 0 or LB_ENOMEM. */
int usage_line_fields(const rule_ctx *ctx, const usage_group *g, charge_type ct, charge_line *cl);

/* The monthly usage of group g from usage.csv, in the value's 1/10000
 * units: the rows of the group's machines and product measured in the
 * reporting period ctx->period_start..period_end, test-period rows ignored,
 * versions and machines summed per hour (R-U3), each day's highest hour
 * (R-U1), the fourth highest day (R-U2). `unit` names the value's unit in
 * the audit steps ("SUs", "MSUs"). Steps go to invoice line `line`, rule
 * ids to `rules`. Fewer than four measured days, a repeated hour, or a
 * version newer than the licensed product's are input errors (LB_EINPUT
 * after reporting); LB_ENOMEM. */
int usage_monthly(const rule_ctx *ctx, const usage_group *g, const char *unit, invoice *inv, int line,
                  money *usage, rule_set *rules, diag_list *d);

/* R-U4: the usage the month is charged on, kept for a billing period (the
 * fiscal year, October to September). The first billing period is set by
 * the first `initial_months` measured months (1 for MULC; 2 for Usage
 * Pricing and SALC: the higher of the two, the first month being charged
 * on its own usage); each later one by the highest monthly usage of the
 * period before. Reads what earlier months carried (rule_carried), carries
 * this month's (invoice_carry); `ct` and g name the subject. 0 or LB_ENOMEM. */
int usage_billed(const rule_ctx *ctx, charge_type ct, const usage_group *g, money month_usage, int initial_months,
                 const char *unit, invoice *inv, int line, money *billed, rule_set *rules, diag_list *d);

/* Usage rounded up to a whole unit (R-U4 bands, R-U5). usage >= 0. */
long usage_ceil(money usage);

/* A usage value without trailing zeros: "1234", "1234.5". buf >= 32 bytes. Returns buf. */
char *usage_format(char *buf, money v);

#endif

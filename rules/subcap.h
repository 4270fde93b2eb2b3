/* subcap.h - which MSUs a program is charged on: sub-capacity or full capacity (R-W2..R-W7, R-W18, R-T2, R-T2a). */
#ifndef LB_SUBCAP_H
#define LB_SUBCAP_H

#include "rules/rule.h"

/* Fill ctx->ms[i] for every machine of the customer (report and receipt
 * must already be set by the caller): R-T2 (late or missing report, TSAD),
 * R-W3 (sub-capacity not yet started; it starts with the month a machine's
 * first on-time report drives), R-W7 (OS/390 or MVS), and check
 * R-W18 (all or nothing per family), R-T2a (override without comment),
 * MSU figures above the machine's capacity, a report without receipt.
 * Returns LB_OK or LB_EINPUT after reporting. */
int subcap_machine_states(rule_ctx *ctx, diag_list *d);

/* MSUs license l is charged on in ctx->month on its own machine (R-W2,
 * R-W4, R-W5, R-W6, R-W7, R-T2a). Audit steps go to invoice line `line`;
 * `rules` collects the rule ids used. LB_EINPUT after reporting. */
int subcap_license_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules,
                        diag_list *d);

/* R-T10: when machine m's capacity, group, category or tier was raised
 * inside the month, add the audit step saying that the higher value is
 * billed for the whole month (and R-T10 to rules). Rules that price on a
 * machine's capacity, group, category or tier call it. 0 or LB_ENOMEM. */
int subcap_t10_audit(const rule_ctx *ctx, const machine *m, invoice *inv, int line, rule_set *rules);

/* R-W3: for every machine whose first report came on time for this
 * month's period (machine_state.subcap_first), carry the start: this month,
 * the first billed on an SCRT report. 0 or LB_ENOMEM. */
int subcap_carry_starts(const rule_ctx *ctx, invoice *inv);

/* R-W19: every MLC product row of a machine's report for the period
 * (not an IPLA row: R-I6) whose program the customer does not license on
 * that machine gets a notice for the billing team naming the report row,
 * and an audit step on the invoice; nothing is billed for it. 0 or
 * LB_ENOMEM. */
int subcap_unlicensed_rows(const rule_ctx *ctx, invoice *inv);

/* R-W3: when sub-capacity starts this month on license l's machine (st,
 * its first report on time), add the step saying so to invoice line `line`
 * (and R-W3 to rules). Rules that bill a report's MSUs call it. 0 or
 * LB_ENOMEM. */
int subcap_start_audit(const rule_ctx *ctx, const machine_state *st, const license *l, invoice *inv, int line,
                       rule_set *rules);

/* State of the machine with this serial. */
const machine_state *subcap_state(const rule_ctx *ctx, const char *serial);

/* 1 if the product is OS/390 or MVS (R-W7): an operating system of the z/OS
 * family whose name says OS/390 or MVS. */
int subcap_is_legacy_os(const product *p);

#endif

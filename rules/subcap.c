/* subcap.c - R-W2..R-W7, R-W18, R-T2, R-T2a: sub-capacity status per machine and MSUs per program. */
#include "rules/subcap.h"

#include <stdio.h>
#include <string.h>

#include "rules/timing.h"

/* R-W7 */
int subcap_is_legacy_os(const product *p)
{
  return p->is_os && p->family == FAMILY_ZOS && (strstr(p->name, "OS/390") || strstr(p->name, "MVS"));
}

const machine_state *subcap_state(const rule_ctx *ctx, const char *serial)
{
  for(size_t i = 0; i < ctx->cd->nmachines; i++)
    if(strcmp(ctx->cd->machines[i].serial, serial) == 0)
      return &ctx->ms[i];
  return NULL;
}

/* R-W18: the charge types whose sub-capacity is elected per OS family */
static int subcap_capable(charge_type ct) { return (charge_type_flags(ct) & CTF_SUBCAP) != 0; }

/* R-W18: one pricing mode per OS family per machine. */
static int check_all_or_nothing(const rule_ctx *ctx, const machine *m, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0;
  for(int fam = FAMILY_ZOS; fam < FAMILY_NONE; fam++) {
    const license *first = NULL;
    for(size_t i = 0; i < cd->nlicenses; i++) {
      const license *l = &cd->licenses[i];
      const product *p = catalog_product(ctx->cat, l->product_id);
      if(strcmp(l->serial, m->serial) || !subcap_capable(l->ct) || (int)p->family != fam || l->feature_of)
        continue;
      if(!first) {
        first = l;
        continue;
      }
      if(l->pricing != first->pricing) {
        diag_add(d, ctx->licenses_file, l->line, l->pricing_col, cd->cust.id,
                 "license %s is priced '%s' but license %s (line %ld) of the same %s family on machine %s "
                 "is '%s', expected one pricing for all programs of an OS family on a machine: "
                 "sub-capacity is all or nothing (R-W18)",
                 l->license_id, pricing_mode_names[l->pricing], first->license_id, first->line,
                 os_family_names[fam], m->serial, pricing_mode_names[first->pricing]);
        bad = 1;
      }
    }
  }
  return bad;
}

/* MSU figures of a report: not above the machine's capacity, overrides explained (R-T2a). */
static int check_report(const rule_ctx *ctx, const machine_state *st, diag_list *d)
{
  const scrt_report *r = st->report;
  const machine *m = st->m;
  const char *cust = ctx->cd->cust.id;
  int bad = 0;
  for(size_t i = 0; i < r->nproducts; i++) {
    const scrt_product *p = &r->products[i];
    if(p->is_units)
      continue;
    if(m->full_capacity_msu != MSU_UNRATED && p->tool_msu > m->full_capacity_msu) {
      diag_add(d, r->path, p->line, p->tool_col, cust,
               "Tool MSUs %lld for %s exceed the full capacity of machine %s (%lld MSUs, machines.csv line "
               "%ld), expected at most %lld", (long long)p->tool_msu, p->product_id, m->serial,
               (long long)m->full_capacity_msu, m->line, (long long)m->full_capacity_msu);
      bad = 1;
    }
    if(p->customer_msu >= 0) {
      if(!*p->comment) {
        /* R-T2a */
        diag_add(d, r->path, p->line, p->customer_col, cust,
                 "Customer MSUs %lld for %s override Tool MSUs %lld without an explanation, expected a "
                 "Customer Comment explaining the override (R-T2a)",
                 (long long)p->customer_msu, p->product_id, (long long)p->tool_msu);
        bad = 1;
      } else if(m->full_capacity_msu != MSU_UNRATED && p->customer_msu > m->full_capacity_msu) {
        diag_add(d, r->path, p->line, p->customer_col, cust,
                 "Customer MSUs %lld for %s exceed the full capacity of machine %s (%lld MSUs), expected at "
                 "most %lld", (long long)p->customer_msu, p->product_id, m->serial,
                 (long long)m->full_capacity_msu, (long long)m->full_capacity_msu);
        bad = 1;
      }
    }
  }
  if(m->full_capacity_msu != MSU_UNRATED && r->cpc_msu > m->full_capacity_msu) {
    diag_add(d, r->path, r->cpc_line, r->cpc_col, cust,
             "CPC peak of %lld MSUs exceeds the full capacity of machine %s (%lld MSUs, machines.csv line %ld), "
             "expected at most %lld", (long long)r->cpc_msu, m->serial, (long long)m->full_capacity_msu, m->line,
             (long long)m->full_capacity_msu);
    bad = 1;
  }
  for(size_t i = 0; i < r->nlpars; i++)
    if(m->full_capacity_msu != MSU_UNRATED && r->lpars[i].msu > m->full_capacity_msu) {
      diag_add(d, r->path, r->lpars[i].line, r->lpars[i].col, cust,
               "LPAR %s peak of %lld MSUs exceeds the full capacity of machine %s (%lld MSUs), expected at "
               "most %lld", r->lpars[i].name, (long long)r->lpars[i].msu, m->serial,
               (long long)m->full_capacity_msu, (long long)m->full_capacity_msu);
      bad = 1;
    }
  return bad;
}

int subcap_machine_states(rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0;
  char due[11], got[11];
  for(size_t i = 0; i < cd->nmachines; i++) {
    machine_state *st = &ctx->ms[i];
    const machine *m = &cd->machines[i];
    int wants_subcap = 0;
    st->m = m;
    st->subcap = 0;
    st->full_rule = R_W2;
    st->full_why[0] = '\0';
    st->zos_full = 0;
    st->subcap_first = 0;
    /* R-W3: sub-capacity started in the month the inventory names, or an earlier one the ledger recorded */
    const carried *c = rule_carried(ctx, CARRY_SUBCAP_START, m->serial);
    st->subcap_start = m->subcap_start;
    if(c && (st->subcap_start == MONTH_NONE || c->value.month < st->subcap_start))
      st->subcap_start = c->value.month;
    for(size_t k = 0; k < cd->nlicenses; k++) {
      const license *l = &cd->licenses[k];
      const product *p = catalog_product(ctx->cat, l->product_id);
      if(strcmp(l->serial, m->serial))
        continue;
      /* zNALC z/OS may elect sub-capacity too (R-W12), outside R-W18's all-or-nothing */
      if((subcap_capable(l->ct) || l->ct == CT_ZNALC) && l->pricing == PRICING_SUBCAP)
        wants_subcap = 1;
      if(subcap_is_legacy_os(p) &&
         timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on))
        st->zos_full = 1; /* R-W7 */
    }
    bad |= check_all_or_nothing(ctx, m, d);
    if(st->report) {
      bad |= check_report(ctx, st, d);
      if(!st->rcpt) {
        diag_add(d, st->report->path, st->report->serial_line, st->report->serial_col, cd->cust.id,
                 "SCRT report for machine %s has no receipt in scrt/received.csv, expected a row with "
                 "serial %s, period_end %s and the date it was received (R-T2)",
                 m->serial, m->serial, date_format(due, ctx->period_end));
        bad = 1;
      }
    }
    /* R-W3: "charged at Full Capacity MSUs until IBM has processed the initial Sub-Capacity Report"
     * (002 §5.16.12 3.b): a first report received on time is processed before the month it drives is
     * invoiced (R-T3), so that month is the first billed on it */
    if(st->subcap_start == MONTH_NONE && st->report && st->rcpt &&
       timing_report_on_time(ctx->period_end, st->rcpt->received_on, st->rcpt->extension)) {
      st->subcap_start = ctx->month;
      st->subcap_first = 1;
    }
    if(!wants_subcap) {
      st->full_rule = R_W2;
      snprintf(st->full_why, sizeof(st->full_why), "sub-capacity pricing not elected on machine %s",
               m->serial);
    } else if(st->subcap_start == MONTH_NONE) {
      st->full_rule = R_W3;
      snprintf(st->full_why, sizeof(st->full_why),
               "sub-capacity has not started on machine %s: no SCRT report of it received on time has been "
               "processed (none for the period ending %s)", m->serial, date_format(due, ctx->period_end));
    } else if(st->subcap_start > ctx->month) {
      char start[8];
      st->full_rule = R_W3;
      snprintf(st->full_why, sizeof(st->full_why), "sub-capacity starts on machine %s in %s (machines.csv "
               "subcap_start)", m->serial, month_format(start, st->subcap_start));
    } else if(ctx->t2_waive == m && st->report && st->rcpt) {
      st->subcap = 1; /* the engine's comparison for the R-T2 notice, never a bill */
    } else if(!cd->cust.tsad && cd->cust.tsad_full) {
      st->full_rule = R_T2;
      snprintf(st->full_why, sizeof(st->full_why), "customer's record says TSAD is not being sent and IBM charges "
               "full capacity for it (customers.csv tsad_full_capacity)");
    } else if(!st->report || !st->rcpt) {
      st->full_rule = R_T2;
      snprintf(st->full_why, sizeof(st->full_why), "no SCRT report received for machine %s for the period "
               "ending %s", m->serial, date_format(due, ctx->period_end));
    } else if(!timing_report_on_time(ctx->period_end, st->rcpt->received_on, st->rcpt->extension)) {
      st->full_rule = R_T2;
      snprintf(st->full_why, sizeof(st->full_why), "SCRT report received %s, after the due date %s, "
               "without an extension", date_format(got, st->rcpt->received_on),
               date_format(due, timing_report_due(ctx->period_end)));
    } else
      st->subcap = 1;
  }
  return bad ? LB_EINPUT : LB_OK;
}

static const license *os_license(const rule_ctx *ctx, const license *l, os_family fam)
{
  const cust_data *cd = ctx->cd;
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *o = &cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    if(o != l && p->is_os && p->family == fam && !subcap_is_legacy_os(p) && !strcmp(o->serial, l->serial) &&
       timing_month_charged(ctx->month, o->installed_on, o->discontinued_on, o->notice_received_on))
      return o;
  }
  return NULL;
}

/* R-T10 */
int subcap_t10_audit(const rule_ctx *ctx, const machine *m, invoice *inv, int line, rule_set *rules)
{
  if(!m->t10_line)
    return LB_OK;
  rule_set_add(rules, R_T10);
  (void)ctx;
  return invoice_audit(inv, line, R_T10, REFS(REF(SRC_MACHINES, m->t10_line), REF(SRC_MACHINES, m->line)),
                       AV_TEXT(m->t10_what),
                       "machine %s changed configuration after the 1st of the month before or during this month: "
                       "the increase (%s) begins on the 1st of the month after the change and is billed for the "
                       "whole month (002 §5.12, §5.16.1 item 7)", m->serial, m->t10_what);
}

/* R-W3 */
int subcap_start_audit(const rule_ctx *ctx, const machine_state *st, const license *l, invoice *inv, int line,
                       rule_set *rules)
{
  char end[11], got[11];
  if(!st->subcap_first)
    return LB_OK;
  rule_set_add(rules, R_W3);
  return invoice_audit(inv, line, R_W3,
                       REFS(REF(SRC_LICENSES, l->line), REF_SCRT(st->report_name, st->report->serial_line),
                            REF(SRC_RECEIVED, st->rcpt->line)),
                       AV_TEXT("sub-capacity"),
                       "machine %s: its first SCRT report (period ending %s, received %s, on time) has been "
                       "processed, so sub-capacity starts with this month, the month that report drives",
                       st->m->serial, date_format(end, ctx->period_end), date_format(got, st->rcpt->received_on));
}

static int full_capacity(const rule_ctx *ctx, const license *l, const machine *m, invoice *inv, int line,
                         long *msus, rule_id rule, const char *why, rule_set *rules, diag_list *d)
{
  if(m->full_capacity_msu == MSU_UNRATED)
    return diag_add(d, ctx->machines_file, m->line, 0, ctx->cd->cust.id,
                    "machine %s has no full_capacity_msu but license %s must be charged at Full Capacity "
                    "MSUs (%s: %s), expected the machine's rated MSUs", m->serial, l->license_id,
                    rule_id_text(rule), why);
  *msus = (long)m->full_capacity_msu;
  int rc = subcap_t10_audit(ctx, m, inv, line, rules);
  if(rc)
    return rc;
  rule_set_add(rules, rule);
  return invoice_audit(inv, line, rule, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)),
                       AV_QTY(*msus, "MSUs"), "%s %s on %s: Full Capacity MSUs of the machine, because %s",
                       l->product_id, l->license_id, m->serial, why);
}

int subcap_license_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules,
                        diag_list *d)
{
  const machine_state *st = subcap_state(ctx, l->serial);
  const machine *m = st->m;
  const product *p = catalog_product(ctx->cat, l->product_id);
  const char *cust = ctx->cd->cust.id;
  int rc;

  if(l->feature_of) {
    /* R-W6: a feature has the MSUs of its program */
    const license *base = cust_license(ctx->cd, l->feature_of);
    rc = subcap_license_msus(ctx, base, inv, line, msus, rules, d);
    if(rc)
      return rc;
    rule_set_add(rules, R_W6);
    return invoice_audit(inv, line, R_W6, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, base->line)),
                         AV_QTY(*msus, "MSUs"), "feature %s (%s) takes the MSUs of its program %s (%s)",
                         l->product_id, l->license_id, base->product_id, base->license_id);
  }
  if(!st->subcap || l->pricing == PRICING_FULL) {
    /* R-W2: no sub-capacity: not elected, not started (R-W3) or lost (R-T2) */
    rule_id rule = st->subcap ? R_W2 : st->full_rule;
    const char *why = st->subcap ? "the license is priced at full capacity" : st->full_why;
    return full_capacity(ctx, l, m, inv, line, msus, rule, why, rules, d);
  }
  if(p->family == FAMILY_ZOS && st->zos_full)
    /* R-W7 */
    return full_capacity(ctx, l, m, inv, line, msus, R_W7, "OS/390 or MVS is licensed to the same machine", rules,
                         d);
  if(!p->is_os && ctx->month == timing_first_month(l->installed_on)) {
    /* R-W4: first monthly charge at the operating system's MSUs */
    const license *os = os_license(ctx, l, p->family);
    if(!os)
      return diag_add(d, ctx->licenses_file, l->line, l->installed_col, cust,
                      "first monthly charge of %s on machine %s needs the MSUs of its operating system, but no "
                      "%s operating system is licensed there, expected an OS license (R-W4)",
                      l->product_id, l->serial, os_family_names[p->family]);
    rc = subcap_license_msus(ctx, os, inv, line, msus, rules, d);
    if(rc)
      return rc;
    rule_set_add(rules, R_W4);
    return invoice_audit(inv, line, R_W4, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, os->line)),
                         AV_QTY(*msus, "MSUs"), "first monthly charge of %s (%s): the MSUs of operating system %s on %s",
                         l->product_id, l->license_id, os->product_id, l->serial);
  }
  if((rc = subcap_start_audit(ctx, st, l, inv, line, rules)))
    return rc;
  const scrt_product *sp = scrt_find_product(st->report, l->product_id);
  if(!sp) {
    /* R-W5: missing from the report after sub-capacity started: minimum MSUs */
    if(p->min_msu <= 0)
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                      "%s is missing from SCRT report %s and products.csv gives no min_msu for it, expected "
                      "the product's minimum MSUs (R-W5)", l->product_id, st->report_name);
    *msus = (long)p->min_msu;
    rule_set_add(rules, R_W5);
    /* by the rule, yet worth a look before the invoice goes out: a product missing
     * from a report may be a report that was not read as its sender meant */
    char why[300];
    snprintf(why, sizeof(why), "%s (license %s) is not on SCRT report %s: charged at its minimum of %ld MSUs "
             "(R-W5)", l->product_id, l->license_id, st->report_name, *msus);
    if(invoice_notice_add(inv, R_W5, l->serial, 0, 0, 0, why))
      return LB_ENOMEM;
    return invoice_audit(inv, line, R_W5,
                         REFS(REF(SRC_LICENSES, l->line), REF(SRC_PRODUCTS, p->line), REF_SCRT(st->report_name, 0)),
                         AV_QTY(*msus, "MSUs"), "%s does not appear in SCRT report %s: charged at its minimum MSUs",
                         l->product_id, st->report_name);
  }
  const audit_refs *refs = REFS(REF(SRC_LICENSES, l->line), REF_SCRT(st->report_name, sp->line),
                                REF(SRC_RECEIVED, st->rcpt->line));
  if(sp->customer_msu >= 0) {
    /* R-T2a: an explained override is billed */
    *msus = (long)sp->customer_msu;
    rule_set_add(rules, R_W2);
    rule_set_add(rules, R_T2a);
    return invoice_audit(inv, line, R_T2a, refs, AV_QTY(*msus, "MSUs"),
                         "SCRT E5 row for %s on %s: Customer MSUs %lld replace Tool MSUs %lld, explained: \"%s\"",
                         l->product_id, l->serial, (long long)sp->customer_msu, (long long)sp->tool_msu,
                         sp->comment);
  }
  *msus = (long)sp->tool_msu;
  rule_set_add(rules, R_W2);
  return invoice_audit(inv, line, R_W2, refs, AV_QTY(*msus, "MSUs"),
                       "sub-capacity: SCRT E5 row for %s on %s, Tool MSUs (Product LPAR Utilization "
                       "Capacity of the %d-day reporting period)",
                       l->product_id, l->serial, st->report->period_days);
}

/* R-W19: whether the customer licenses product_id on machine m for the reporting period (any charge type, installed
 * by its end and not discontinued before its start); *ipla = 1 when a license of it anywhere is IPLA, *other = a
 * license of it on another machine (NULL when none). */
static int licensed_on(const rule_ctx *ctx, const char *product_id, const machine *m, int *ipla, const license **other)
{
  int found = 0;
  *ipla = 0;
  *other = NULL;
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *l = &ctx->cd->licenses[i];
    if(strcmp(l->product_id, product_id))
      continue;
    if(l->ct == CT_IPLA)
      *ipla = 1;
    if(strcmp(l->serial, m->serial)) {
      if(!*other)
        *other = l;
      continue;
    }
    if(l->installed_on <= ctx->period_end &&
       (l->discontinued_on == DATE_NONE || l->discontinued_on >= ctx->period_start))
      found = 1;
  }
  return found;
}

/* R-W19 */
int subcap_unlicensed_rows(const rule_ctx *ctx, invoice *inv)
{
  const cust_data *cd = ctx->cd;
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine_state *st = &ctx->ms[i];
    const scrt_report *r = st->report;
    int awlc = 0;
    for(size_t k = 0; k < cd->nlicenses; k++)
      awlc |= cd->licenses[k].ct == CT_AWLC && !strcmp(cd->licenses[k].serial, st->m->serial);
    for(size_t k = 0; r && k < r->nproducts; k++) {
      const scrt_product *sp = &r->products[k];
      const product *cp = catalog_product(ctx->cat, sp->product_id);
      const license *other;
      int ipla;
      char why[600], decision[300];
      /* the IPLA rows (an IPLA or non-MSU table, a product with Value Units, or licensed as IPLA) are R-I6's */
      if(!*sp->product_id || sp->table == SCRT_TABLE_IPLA || sp->table == SCRT_TABLE_UNITS ||
         (cp && cp->vue && *cp->vue) || licensed_on(ctx, sp->product_id, st->m, &ipla, &other) || ipla)
        continue;
      long long msus = sp->customer_msu >= 0 ? (long long)sp->customer_msu : (long long)sp->tool_msu;
      char elsewhere[120] = "";
      if(other)
        snprintf(elsewhere, sizeof(elsewhere), "; license %s is for machine %s", other->license_id, other->serial);
      if(awlc)
        snprintf(decision, sizeof(decision), "not billed until licenses.csv records it: under the AWLC terms a "
                 "report showing a new Program is an order placed by the customer (002 §5.16.1 4.b)%s", elsewhere);
      else
        snprintf(decision, sizeof(decision), "not billed: a Sub-Capacity Report may not be used to order a license "
                 "(002 §5.16.12 3.4)%s", elsewhere);
      snprintf(why, sizeof(why), "%s on SCRT report %s line %ld (%lld MSUs) has no license for customer %s: %s "
               "(R-W19)", sp->product_id, st->report_name, sp->line, msus, cd->cust.id, decision);
      if(invoice_notice_add(inv, R_W19, st->m->serial, 0, 0, 0, why) ||
         invoice_audit(inv, 0, R_W19, REFS(REF_SCRT(st->report_name, sp->line)), AV_TEXT("not billed"),
                       "%s (%lld MSUs) on SCRT report %s for machine %s: customer %s has no license of it there "
                       "for the reporting period %s; nothing is charged for it, a notice asks the billing team to "
                       "record it", sp->product_id, msus, st->report_name, st->m->serial, cd->cust.id,
                       awlc ? "(AWLC terms: an order, 002 §5.16.1 4.b)"
                            : "(WLC terms: a report does not order a license, 002 §5.16.12 3.4)"))
        return LB_ENOMEM;
    }
  }
  return LB_OK;
}

/* R-W3 */
int subcap_carry_starts(const rule_ctx *ctx, invoice *inv)
{
  for(size_t i = 0; i < ctx->cd->nmachines; i++) {
    const machine_state *st = &ctx->ms[i];
    if(st->subcap_first && invoice_carry(inv, CARRY_SUBCAP_START, st->m->serial, (carry_value){ctx->month, 0}))
      return LB_ENOMEM;
  }
  return LB_OK;
}

/* engine.c - runs the rule modules for one customer and closes the invoice: totals, taxes, terms. */
#include "rules/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/registry.h"
#include "rules/subcap.h"
#include "rules/timing.h"

/* R-X4 */
const char *engine_contact(cust_class cls)
{
  switch(cls) {
  case CLASS_FEDERAL: return "1-800-333-6705";
  case CLASS_BUSINESS_PARTNER: return "1-800-426-9990";
  case CLASS_COMMERCIAL:
  case CLASS_STATE_LOCAL:
  default: return "1-877-426-6006";
  }
}

static int fill_header(const rule_ctx *ctx, invoice *inv)
{
  const customer *c = &ctx->cd->cust;
  inv->customer_id = strdup(c->id);
  inv->customer_name = strdup(c->name);
  inv->customer_address = strdup(c->address);
  inv->country = strdup(c->country);
  inv->customer_class = strdup(cust_class_names[c->cls]);
  inv->contract_number = strdup(c->contract_number);
  inv->currency = strdup(c->currency);
  inv->contact = strdup(engine_contact(c->cls));
  if(!inv->customer_id || !inv->customer_name || !inv->customer_address || !inv->country ||
     !inv->customer_class || !inv->contract_number || !inv->currency || !inv->contact)
    return LB_ENOMEM;
  inv->month = ctx->month;
  inv->period_start = month_first_day(ctx->month);
  inv->period_end = month_last_day(ctx->month);
  inv->issue_date = ctx->issue_date; /* in arrears: on the day it is issued, after the month (R-T9) */
  inv->payment_terms_days = (int)c->payment_terms_days;
  inv->due_date = inv->issue_date + (int)c->payment_terms_days;
  return LB_OK;
}

static int add_order(invoice *inv, const char *order)
{
  for(size_t i = 0; i < inv->norders; i++)
    if(!strcmp(inv->order_numbers[i], order))
      return LB_OK;
  char **no = realloc(inv->order_numbers, (inv->norders + 1) * sizeof(*no));
  if(!no)
    return LB_ENOMEM;
  inv->order_numbers = no;
  if(!(no[inv->norders] = strdup(order)))
    return LB_ENOMEM;
  inv->norders++;
  return LB_OK;
}

/* R-X3: one line per tax of the customer's region on the subtotal; *tax gets their sum. */
static int add_taxes(const rule_ctx *ctx, invoice *inv, money sum, money *tax, diag_list *d)
{
  const customer *c = &ctx->cd->cust;
  /* as many slots as the catalog has tax rows: a region's taxes are never cut short */
  const tax_rate **rates = calloc(ctx->cat->ntaxes + 1, sizeof(*rates));
  int rc = LB_OK;
  if(!rates)
    return LB_ENOMEM;
  /* the rates of the month billed (its last day), whatever day the invoice is issued: the same month
   * billed again later is taxed the same */
  int n = catalog_taxes(ctx->cat, c->tax_region, inv->period_end, rates, (int)ctx->cat->ntaxes + 1);
  if(n < 0)
    rc = diag_add(d, ctx->customers_file, c->line, c->tax_region_col, c->id,
                  "tax_region '%s' has no rates in taxes.csv, expected at least one tax row for the region (R-X3)",
                  c->tax_region);
  for(int i = 0; i < n && !rc; i++) {
    tax_line *t = invoice_add_tax(inv);
    char rate[32];
    if(!t || !(t->name = strdup(rates[i]->tax_name))) {
      rc = LB_ENOMEM;
      break;
    }
    t->rate_pct = rates[i]->rate_pct;
    t->base = sum;
    if(money_apply_pct(&t->amount, sum, t->rate_pct) || money_add(tax, *tax, t->amount)) {
      rc = diag_add(d, ctx->customers_file, c->line, c->tax_region_col, c->id, "tax amount overflows");
      break;
    }
    money_format(rate, t->rate_pct, 4);
    if(invoice_audit(inv, 0, R_X3, REFS(REF(SRC_TAXES, rates[i]->line), REF(SRC_CUSTOMERS, c->line)),
                     AV_MONEY(t->amount, 2), "%s %s %% of the subtotal for tax region %s, rounded half away from "
                     "zero to the cent (R-0.2)", t->name, rate, c->tax_region))
      rc = LB_ENOMEM;
  }
  free(rates);
  return rc;
}

/* Subtotal, R-X3 taxes, total, R-X2 prompt payment. */
static int close_invoice(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  const customer *c = &ctx->cd->cust;
  money sum = 0, tax = 0;
  for(size_t i = 0; i < inv->nlines; i++) {
    if(money_add(&sum, sum, inv->lines[i].amount))
      return diag_add(d, ctx->licenses_file, 0, 0, c->id, "invoice total overflows");
    if(inv->lines[i].order_number && add_order(inv, inv->lines[i].order_number))
      return LB_ENOMEM;
  }
  inv->subtotal = sum;
  inv->discount = 0;
  if(invoice_audit(inv, 0, R_0_1, REFS(REF(SRC_CHARGES, 0)), AV_MONEY(sum, 2), "subtotal: sum of the %zu rounded lines", inv->nlines))
    return LB_ENOMEM;
  int rc = add_taxes(ctx, inv, sum, &tax, d);
  if(rc)
    return rc;
  inv->tax = tax;
  if(money_add(&inv->total, sum, tax))
    return LB_EOVERFLOW;
  if(invoice_audit(inv, 0, R_X3, NO_REFS, AV_MONEY(inv->total, 2), "total: subtotal plus taxes"))
    return LB_ENOMEM;
  if(c->prompt_pay_pct > 0) {
    /* R-X2, except lines whose own discount is never combined with another (R-M2): their
     * amount and the taxes on it stay out of the discounted base */
    money sole = 0, base;
    for(size_t i = 0; i < inv->nlines; i++)
      if(inv->lines[i].sole_discount && money_add(&sole, sole, inv->lines[i].amount))
        return LB_EOVERFLOW;
    if(invoice_prompt_pay_base(inv, sole, &base))
      return LB_EOVERFLOW;
    inv->prompt_pay_pct = c->prompt_pay_pct;
    inv->prompt_pay_until = inv->issue_date + (int)c->prompt_pay_days;
    if(money_apply_pct(&inv->prompt_pay_discount, base, c->prompt_pay_pct) ||
       money_sub(&inv->prompt_pay_total, inv->total, inv->prompt_pay_discount))
      return LB_EOVERFLOW;
    char until[11], pct[32], base_s[32];
    for(size_t i = 0; i < inv->nlines; i++)
      if(inv->lines[i].sole_discount &&
         invoice_audit(inv, inv->lines[i].line, R_X2, REFS(REF(SRC_CUSTOMERS, c->line)),
                       AV_MONEY(inv->lines[i].amount, 2), "left out of the prompt-payment base with the taxes on "
                       "it: its lapse discount is never combined with another (R-M2)"))
        return LB_ENOMEM;
    if(sole) {
      if(invoice_audit(inv, 0, R_M2, REFS(REF(SRC_CUSTOMERS, c->line)), AV_MONEY(base, 2), "prompt-payment base: the total less the lines that carry "
                       "a lapse discount and their taxes (that discount is never combined with another)"))
        return LB_ENOMEM;
    }
    if(invoice_audit(inv, 0, R_X2, REFS(REF(SRC_CUSTOMERS, c->line)), AV_MONEY(inv->prompt_pay_discount, 2),
                     "prompt-payment discount shown on the invoice: %s %% of %s, rounded half away from zero to "
                     "the cent", money_format(pct, c->prompt_pay_pct, 2), money_format(base_s, base, 2)))
      return LB_ENOMEM;
    if(invoice_audit(inv, 0, R_X2, REFS(REF(SRC_CUSTOMERS, c->line)), AV_MONEY(inv->prompt_pay_total, 2), "prompt payment: total less the discount if paid by %s",
                     date_format(until, inv->prompt_pay_until)))
      return LB_ENOMEM;
  }
  return LB_OK;
}

/* The licenses module m prices this month (rule_ctx.own): its own charge
 * type's, and for an MLC type only those charged under R-T4/R-T5; the ILC
 * pass gets the MLC licenses charged in the month. */
static size_t own_licenses(const rule_ctx *ctx, const rule_module *m, const license **own)
{
  const cust_data *cd = ctx->cd;
  unsigned flags = charge_type_flags(m->ct);
  size_t n = 0;
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *l = &cd->licenses[i];
    unsigned lf = charge_type_flags(l->ct);
    if(flags & CTF_DERIVED ? !(lf & CTF_MLC) : l->ct != m->ct)
      continue;
    /* R-T4, R-T5 */
    if((lf & CTF_MLC) && !timing_month_charged(ctx->month, l->installed_on, l->discontinued_on,
                                                l->notice_received_on))
      continue;
    own[n++] = l;
  }
  return n;
}

/* R-T5: an MLC license charged this month although its discontinued_on
 * is in an earlier month: the written notice came later, and discontinuance
 * takes effect only on the 1st of the month after its receipt. */
static int trace_notice(const rule_ctx *ctx, const license *l, invoice *inv)
{
  char d1[11], d2[11], m1[8];
  if(l->discontinued_on == DATE_NONE || l->notice_received_on == DATE_NONE ||
     month_of(l->discontinued_on) >= ctx->month)
    return LB_OK;
  lb_month last = timing_last_month(l->discontinued_on, l->notice_received_on);
  return invoice_audit(inv, 0, R_T5, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("charged"),
                       "%s %s (license %s) discontinued on %s, but IBM received the written notice on %s: "
                       "discontinuance takes effect on the 1st of the month after, charged through %s",
                       charge_type_name(l->ct), l->product_id, l->license_id, date_format(d1, l->discontinued_on),
                       date_format(d2, l->notice_received_on), month_format(m1, last));
}

/* R-T4, R-T5: an MLC license not charged this month says so in the audit
 * trail (the modules never see it). */
static int trace_timing(const rule_ctx *ctx, const license *l, invoice *inv)
{
  char d1[11], m1[8];
  lb_month first = timing_first_month(l->installed_on), last = timing_last_month(l->discontinued_on,
                                                                                 l->notice_received_on);
  if(ctx->month < first)
    return invoice_audit(inv, 0, R_T4, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("not charged"),
                         "%s %s (license %s) installed on %s: charged from %s, not in this month",
                         charge_type_name(l->ct), l->product_id, l->license_id, date_format(d1, l->installed_on),
                         month_format(m1, first));
  return invoice_audit(inv, 0, R_T5, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("not charged"),
                       "%s %s (license %s) discontinued or given notice: last charged in %s, not in this month",
                       charge_type_name(l->ct), l->product_id, l->license_id,
                       last == MONTH_NONE ? "(none)" : month_format(m1, last));
}

/* R-X5: a license the month's audit trail does not mention. */
static int license_traced(const invoice *inv, const license *l)
{
  for(size_t i = 0; i < inv->naudit; i++)
    for(size_t k = 0; k < inv->audit[i].nrefs; k++)
      if(inv->audit[i].refs[k].kind == SRC_LICENSES && inv->audit[i].refs[k].line == l->line)
        return 1;
  return 0;
}

/* R-X5: every license of the customer is in the audit trail, charged or
 * not. A module that leaves one out without saying which rule did gets a
 * step saying no rule of its charge type charged it this month. */
static int trace_untouched(const rule_ctx *ctx, invoice *inv)
{
  const cust_data *cd = ctx->cd;
  int rc = LB_OK;
  for(size_t i = 0; i < cd->nlicenses && !rc; i++) {
    const license *l = &cd->licenses[i];
    if(license_traced(inv, l))
      continue;
    rc = invoice_audit(inv, 0, R_X5, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("not charged"),
                       "%s %s (license %s) on %s: no %s rule charges it this month", charge_type_name(l->ct),
                       l->product_id, l->license_id, l->serial, charge_type_name(l->ct));
  }
  return rc;
}

/* R-X5: every line a module wrote has at least one audit step. */
static int lines_traced(const rule_module *m, const invoice *inv, size_t from, diag_list *d)
{
  for(size_t i = from; i < inv->nlines; i++) {
    int traced = 0;
    for(size_t k = inv->naudit; k > 0 && !traced; k--)
      traced = inv->audit[k - 1].line == inv->lines[i].line;
    if(!traced) {
      diag_add(d, "licbill", 0, 0, inv->customer_id, "internal error: the %s rule module wrote invoice line %d "
               "without an audit step, expected every amount traced to its inputs and rules (R-X5)",
               charge_type_name(m->ct), inv->lines[i].line);
      return LB_EBUG;
    }
  }
  return LB_OK;
}

int engine_price_customer(rule_ctx *ctx, invoice *inv, diag_list *d)
{
  return engine_price_with(rule_modules, ctx, inv, d);
}

/* Notices (invoice_notice): the subtotal each is about, and R-T2: every
 * machine billed at full capacity because its report was late
 * or missing, or TSAD is not sent, gets a notice with what taking its
 * report would have changed (priced again with the report taken; a machine
 * without a report has nothing to compare with). The bill is not changed. */
static int t2_notices(const rule_module *rows, const rule_ctx *ctx, invoice *inv)
{
  const cust_data *cd = ctx->cd;
  for(size_t i = 0; i < inv->nnotices; i++)
    inv->notices[i].billed = inv->subtotal; /* those the rules gave (R-W5) */
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine_state *st = &ctx->ms[i];
    money compared = 0;
    int has = 0, rc;
    if(st->subcap && !cd->cust.tsad && !cd->cust.tsad_full) {
      /* R-T2: TSAD missing but IBM waived full capacity for it ("may result", 002 §5.16.1 4.f): the machine
       * is billed on its report; the billing team sees why */
      char why[400];
      snprintf(why, sizeof(why), "TSAD is not being sent (customers.csv tsad no) but IBM waived full capacity "
               "for it (tsad_full_capacity no): machine %s is billed on its SCRT report%s%s (002 §5.16.1 4.f "
               "\"may result\")", st->m->serial, st->report_name ? " " : "",
               st->report_name ? st->report_name : "");
      if((rc = invoice_notice_add(inv, R_T2, st->m->serial, inv->subtotal, 0, 0, why)) ||
         (rc = invoice_audit(inv, 0, R_T2, REFS(REF(SRC_CUSTOMERS, cd->cust.line)), AV_TEXT("TSAD waived"),
                             "customer %s sends no TSAD (customers.csv tsad no) and IBM waived full capacity "
                             "for it (tsad_full_capacity no): machine %s is billed on its SCRT report, "
                             "not at Full Capacity MSUs", cd->cust.id, st->m->serial)))
        return rc;
      continue;
    }
    if(st->subcap || st->full_rule != R_T2)
      continue;
    if(st->report && st->rcpt) {
      machine_state *alt_ms = malloc((cd->nmachines + 1) * sizeof(*alt_ms));
      rule_ctx alt = *ctx;
      invoice other;
      diag_list od;
      if(!alt_ms)
        return LB_ENOMEM;
      memcpy(alt_ms, ctx->ms, cd->nmachines * sizeof(*alt_ms));
      alt.ms = alt_ms;
      alt.t2_waive = st->m;
      diag_init(&od);
      rc = engine_price_with(rows, &alt, &other, &od);
      if(rc == LB_OK) {
        compared = other.subtotal;
        has = 1;
      }
      invoice_clear(&other);
      diag_clear(&od);
      free(alt_ms);
      if(rc == LB_ENOMEM)
        return rc;
      /* otherwise the report, taken, does not price (its problems are not this month's bill): no comparison */
    }
    if((rc = invoice_notice_add(inv, R_T2, st->m->serial, inv->subtotal, compared, has, st->full_why)))
      return rc;
  }
  return LB_OK;
}

int engine_price_with(const rule_module *rows, rule_ctx *ctx, invoice *inv, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const license **own = NULL;
  int bad = 0, rc;
  memset(inv, 0, sizeof(*inv));
  if(ctx->issue_date == DATE_NONE || ctx->issue_date <= month_last_day(ctx->month)) {
    diag_add(d, "licbill", 0, 0, cd->cust.id, "internal error: no issue date after the billing month for customer %s",
             cd->cust.id);
    return LB_EBUG;
  }
  if(cd->resolved != ctx->month) {
    /* the machines must be the month's configurations (R-T10) before anything is priced on them */
    diag_add(d, "licbill", 0, 0, cd->cust.id, "internal error: the machines of customer %s were not resolved to "
             "the billing month before pricing (R-T10)", cd->cust.id);
    return LB_EBUG;
  }
  rc = fill_header(ctx, inv);
  if(rc)
    return rc;
  rc = subcap_machine_states(ctx, d);
  if(rc == LB_ENOMEM)
    return rc;
  if(rc)
    return LB_EINPUT;
  own = calloc(cd->nlicenses + 1, sizeof(*own));
  if(!own)
    return LB_ENOMEM;
  for(const rule_module *m = rows; m->ct != CT__COUNT; m++)
    if(m->validate) {
      rule_ctx mc = *ctx;
      mc.own = own;
      mc.nown = own_licenses(ctx, m, own);
      if((rc = m->validate(&mc, d))) {
        if(rc != LB_EINPUT)
          goto out;
        bad = 1;
      }
    }
  if(bad) {
    rc = LB_EINPUT;
    goto out;
  }
  /* R-T4, R-T5: the MLC licenses the month does not charge, and those a later notice keeps charged */
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *l = &cd->licenses[i];
    if(!(charge_type_flags(l->ct) & CTF_MLC))
      continue;
    if(!timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on))
      rc = trace_timing(ctx, l, inv);
    else
      rc = trace_notice(ctx, l, inv);
    if(rc)
      goto out;
  }
  for(const rule_module *m = rows; m->ct != CT__COUNT; m++) {
    rule_ctx mc = *ctx;
    size_t first = inv->nlines;
    mc.own = own;
    mc.nown = own_licenses(ctx, m, own);
    if((rc = m->price(&mc, inv, d)) || (rc = lines_traced(m, inv, first, d)))
      goto out;
  }
  if((rc = trace_untouched(ctx, inv)) || (!ctx->t2_waive && (rc = subcap_unlicensed_rows(ctx, inv))))
    goto out;
  if(!(rc = close_invoice(ctx, inv, d)) && !(rc = subcap_carry_starts(ctx, inv)) && !ctx->t2_waive)
    rc = t2_notices(rows, ctx, inv);
out:
  free(own);
  return rc;
}

/* maint.c - SWMA and S&S charges: periods in arrears (R-T9), renewals, fees, uplifts and audits (R-M1..R-M7). */
#include "rules/maint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/lapse.h"
#include "rules/licline.h"
#include "rules/periods.h"
#include "rules/prorate.h"
#include "rules/timing.h"

#define SECURE_FIRST_PCT MAINT_SECURE_FIRST_PCT /* R-M4, maint.h */
#define SECURE_RENEW_PCT MAINT_SECURE_RENEW_PCT

static const char *secure_pct_text(money pct)
{
  return pct == SECURE_FIRST_PCT ? "2.2" : "11.0";
}

/* ---- R-T9: which months the invoice carries, and where they fall in the charge ---- */

/* R-T9: the months of maintenance on the invoice of ctx->month: that month
 * for a monthly customer, the whole quarter on a quarterly customer's March,
 * June, September and December invoices. 0 when the invoice carries none. */
static int invoice_months(const rule_ctx *ctx, lb_month *first, lb_month *last)
{
  lb_month m = ctx->month;
  if(ctx->cd->cust.cycle == CYCLE_MONTHLY) {
    *first = *last = m;
    return 1;
  }
  if(month_number(m) % 3)
    return 0;
  *first = m - 2;
  *last = m;
  return 1;
}

/* R-T9 with 002 §5.12: the months that carry the charge of the days s..e.
 * S&S is a System z charge, "calculated in full calendar month increments"
 * (R-T4): from the month s falls in if s is the 1st, else the next, to the
 * month before the one the following period would start (at least one).
 * SWMA (other platforms) "begins billing upon the Date of Installation"
 * (R-T6): every month the days touch. */
static void charge_span(charge_type ct, lb_date s, lb_date e, lb_month *first, lb_month *last)
{
  if(ct == CT_SS) {
    *first = timing_first_month(s);
    *last = timing_first_month(e + 1) - 1;
    if(*last < *first)
      *last = *first;
  } else {
    *first = month_of(s);
    *last = month_of(e);
  }
}

/* Length of month m in the charge of s..e: 1 per S&S month; for SWMA the
 * days of m on a thirty-day month (a whole month 30, R-T6). */
static long month_weight(charge_type ct, lb_date s, lb_date e, lb_month m)
{
  lb_month f, l;
  charge_span(ct, s, e, &f, &l);
  if(m < f || m > l)
    return 0;
  if(ct == CT_SS)
    return 1;
  return timing_days_in_30(m, s, e);
}

/* Where the invoice months f..t fall in the charge of the days from..to of a
 * support year starting year_start (R-T9). Positions count in the unit the
 * charge type is billed in: whole calendar months for S&S (R-T4), days on
 * thirty-day months for SWMA (R-T6). The invoice months cover the positions
 * after `at` up to `upto` of the charge's n, counted from its first day, so
 * any month's share follows from the period alone, whatever earlier months
 * billed (a re-run, or one month priced on its own, gives the same figure). */
typedef struct share {
  long len, yd;                      /* days charged, days of the support year (R-M5, R-M6) */
  long n;                            /* the charge's length in positions */
  long at, upto;                     /* the invoice months cover positions at+1..upto */
  lb_month span_first, span_last;    /* the months that carry the charge */
  lb_month first_billed;             /* the first invoice month with a position, MONTH_NONE if none */
} share;

static void share_of(charge_type ct, lb_date from, lb_date to, lb_date year_start, lb_month f, lb_month t,
                     share *sh)
{
  memset(sh, 0, sizeof(*sh));
  sh->len = prorate_days_between(from, to);
  sh->yd = prorate_days_between(year_start, prorate_year_end(year_start));
  sh->first_billed = MONTH_NONE;
  charge_span(ct, from, to, &sh->span_first, &sh->span_last);
  for(lb_month m = sh->span_first; m <= sh->span_last; m++) {
    long w = month_weight(ct, from, to, m);
    sh->n += w;
    if(m < f)
      sh->at += w;
    else if(m <= t && w) {
      sh->upto += w;
      if(sh->first_billed == MONTH_NONE)
        sh->first_billed = m;
    }
  }
  sh->upto += sh->at;
}

/* "month 11 of 12", "months 4-6 of 12", "days 1-28 of 360" */
static void position_text(char *buf, size_t cap, charge_type ct, const share *sh)
{
  const char *unit = ct == CT_SS ? "month" : "day";
  if(sh->upto - sh->at == 1)
    snprintf(buf, cap, "%s %ld of %ld", unit, sh->upto, sh->n);
  else
    snprintf(buf, cap, "%ss %ld-%ld of %ld", unit, sh->at + 1, sh->upto, sh->n);
}

/* for a share, as an auditor checks it with a calculator:
 * "round(1000.00 x 11/12) - round(1000.00 x 10/12) = 916.67 - 833.33 = 83.34" */
static void cumulative_text(char *buf, size_t cap, money total, const share *sh, const money_share *ms)
{
  char t[32], u[32], b[32], a[32];
  money_format(t, total, 2);
  snprintf(buf, cap, "round(%s x %ld/%ld) - round(%s x %ld/%ld) = %s - %s = %s", t, sh->upto, sh->n, t, sh->at,
           sh->n, money_format(u, ms->upto, 2), money_format(b, ms->before, 2), money_format(a, ms->amount, 2));
}

/* R-M5, R-M6: what the shares of a charge add up to: the annual charge for
 * a support year, else the annual charge prorated by days (the days charged
 * of the days of the support year); rounded to the cent once. */
static int charge_of(money *c, const support_row *s, const share *sh)
{
  return money_muldiv_cent(c, s->annual_charge, sh->len, sh->yd) ? LB_EOVERFLOW : LB_OK;
}

/* ---- lines ---- */

static const char *file_of(const rule_ctx *ctx)
{
  return ctx->support_file ? ctx->support_file : "support.csv";
}

/* The order a support row's lines come from (R-X1): the row's, else the license's. */
static const char *order_of(const support_row *s, const license *l)
{
  return s->order_number ? s->order_number : l->order_number;
}

/* R-M4: the line of a Secure Support uplift, right after the line it raises
 * so that the auditor sees it; its steps are the caller's. NULL when out of
 * memory. */
static charge_line *uplift_line(const rule_ctx *ctx, invoice *inv, const license *l, money amount, money pct,
                                const char *what, const rule_set *rules, const char *order)
{
  char note[224];
  snprintf(note, sizeof(note), "Secure Support via U.S. citizens: %s %% of %s", secure_pct_text(pct), what);
  charge_line *cl = licline_add(ctx, l, CT_SS, order, "uplift", 1, rules, note, inv);
  if(cl) {
    cl->has_unit_price = 1;
    cl->unit_price = amount;
    cl->amount = amount;
  }
  return cl;
}

/* R-M4: Secure Support via U.S. citizens on a one-time charge: pct of
 * `base`, rounded half away from zero to the cent. Only for
 * licenses with secure_support=yes; nothing when the base is zero. */
static int secure_uplift(const rule_ctx *ctx, invoice *inv, const license *l, money base, money pct,
                         const char *what, const input_ref *in, size_t nin, const char *order)
{
  char b[32];
  money up;
  if(!l->secure_support || base == 0)
    return LB_OK;
  if(money_apply_pct(&up, base, pct))
    return LB_EOVERFLOW;
  charge_line *cl = uplift_line(ctx, inv, l, up, pct, what, RULES(R_M4, R_0_2), order);
  if(!cl)
    return LB_ENOMEM;
  money_format(b, base, 2);
  if(invoice_audit_v(inv, cl->line, R_M4, in, nin, AV_MONEY(up, 2),
                   "Secure Support via U.S. citizens (license %s secure_support=yes, S&S active): %s %% uplift "
                   "on %s of %s, rounded half away from zero to the cent (R-0.2)", l->license_id,
                   secure_pct_text(pct), what, b))
    return LB_ENOMEM;
  return LB_OK;
}

/* R-M4 on a share of S&S: the uplift of the whole charge c (pct of it,
 * rounded once, R-0.2), shared by the same positions as the S&S it raises
 * (R-T9), so that the shares of a period's uplift add up to the period's
 * uplift to the cent. Only for licenses with secure_support=yes; nothing
 * when the charge is zero. */
static int secure_uplift_share(const rule_ctx *ctx, invoice *inv, const license *l, money c, money pct,
                               const share *sh, const char *what, const input_ref *in, size_t nin,
                               const char *order)
{
  char cs[32], us[32], pos[48], calc[160];
  money up;
  money_share ms;
  if(!l->secure_support || c == 0)
    return LB_OK;
  if(money_apply_pct(&up, c, pct) || money_share_of(&ms, up, sh->at, sh->upto, sh->n))
    return LB_EOVERFLOW;
  charge_line *cl = uplift_line(ctx, inv, l, ms.amount, pct, what, RULES(R_M4, R_0_2, R_T9, R_0_1), order);
  if(!cl)
    return LB_ENOMEM;
  position_text(pos, sizeof(pos), CT_SS, sh);
  cumulative_text(calc, sizeof(calc), up, sh, &ms);
  if(invoice_audit_v(inv, cl->line, R_M4, in, nin, AV_MONEY(up, 2),
                     "Secure Support via U.S. citizens (license %s secure_support=yes, S&S active): %s %% uplift on "
                     "%s, whose charge is %s: %s, rounded half away from zero to the cent (R-0.2)", l->license_id,
                     secure_pct_text(pct), what, money_format(cs, c, 2), money_format(us, up, 2)) ||
     invoice_audit_v(inv, cl->line, R_T9, in, nin, AV_MONEY(ms.amount, 2),
                     "the uplift is invoiced in the shares of the S&S it raises: %s: %s", pos, calc) ||
     invoice_audit_v(inv, cl->line, R_0_1, in, nin, AV_MONEY(ms.amount, 2),
                     "each share is the difference of two cumulative amounts of the uplift %s, each rounded half away "
                     "from zero to the cent, so the shares of the period add up to %s to the cent", us, us))
    return LB_ENOMEM;
  return LB_OK;
}

/* The support row whose kind decides funding (R-M1) and the uplift (R-M4)
 * of s: an upgrade takes its period's. */
static const support_row *governing(const cust_data *cd, const support_row *s)
{
  return s->kind == SUP_UPGRADE ? periods_around(cd, s) : s;
}

static money secure_pct_of(const support_row *g)
{
  return g->kind == SUP_PERIOD ? SECURE_FIRST_PCT : SECURE_RENEW_PCT;
}

/* R-M1: 1 when the renewal or anniversary period g has no funded order by
 * the end of the previous period: s (g, or an upgrade in it) is not billed,
 * and the invoice-level trail says so (*rc = LB_ENOMEM if it cannot). */
static int unfunded(invoice *inv, const cust_data *cd, const support_row *s, const support_row *g,
                    const license *l, lb_month billed, const input_ref *in, int *rc)
{
  char a[11], b[11], c[11], x[11], fm[8];
  const support_row *prior;
  if(g->kind != SUP_RENEWAL && g->kind != SUP_ANNIVERSARY)
    return 0;
  prior = periods_prior(cd, g);
  if(periods_funded(g, prior))
    return 0;
  if(invoice_audit_v(inv, 0, R_M1, in, 2, AV_TEXT("not billed"),
                     "%s %s..%s of %s (license %s) is not billed for %s: no funded order by the end of the "
                     "previous period on %s (funded_on %s)", support_kind_names[s->kind],
                     date_format(a, s->period_start), date_format(b, s->period_end), l->product_id, l->license_id,
                     month_format(fm, billed), date_format(c, prior ? prior->period_end : DATE_NONE),
                     g->funded_on == DATE_NONE ? "empty" : date_format(x, g->funded_on)))
    *rc = LB_ENOMEM;
  return 1;
}

/* The rules of a share line (R-T9, with R-T6 for SWMA's thirty-day months). */
static void share_rules(rule_set *rules, charge_type ct, const support_row *s, int adjusted)
{
  memset(rules, 0, sizeof(*rules));
  rule_set_add(rules, R_T9);
  if(ct == CT_SWMA)
    rule_set_add(rules, R_T6);
  rule_set_add(rules, R_M1);
  if(s->kind == SUP_REINSTATEMENT)
    rule_set_add(rules, ct == CT_SWMA ? R_M2 : R_M3);
  if(adjusted)
    rule_set_add(rules, R_M5);
  if(s->kind == SUP_UPGRADE)
    rule_set_add(rules, R_M6);
  rule_set_add(rules, R_0_1);
}

/* The first step of a share line: the period or order it comes from (R-M1,
 * R-M2, R-M3, R-M6) and its annual charge; an upgrade's prorated charge c. */
static int period_step(invoice *inv, int line, charge_type ct, const cust_data *cd, const support_row *s,
                       const support_row *g, const license *l, const share *sh, money c, const input_ref *in)
{
  char a[11], b[11], x[11], y[11], ann[32], cs[32];
  const support_row *prior;
  money_format(ann, s->annual_charge, 2);
  switch(s->kind) {
  case SUP_PERIOD:
    return invoice_audit_v(inv, line, R_M1, in, 2, AV_MONEY(s->annual_charge, 2),
                           "support period %s..%s of %s on %s (quantity %lld), annual charge %s",
                           date_format(a, s->period_start), date_format(b, s->period_end), l->product_id, l->serial,
                           (long long)s->quantity, ann);
  case SUP_RENEWAL:
  case SUP_ANNIVERSARY:
    prior = periods_prior(cd, g);
    return invoice_audit(inv, line, R_M1,
                         REFS(REF(SRC_SUPPORT, s->line), REF(SRC_SUPPORT, prior->line), REF(SRC_LICENSES, l->line)),
                         AV_MONEY(s->annual_charge, 2), "%s %s..%s starts the day after the previous period ends "
                         "(%s); funded order of %s, not after that end: billed, annual charge %s",
                         support_kind_names[s->kind], date_format(a, s->period_start), date_format(b, s->period_end),
                         date_format(x, prior->period_end), date_format(y, s->funded_on), ann);
  case SUP_REINSTATEMENT:
    return invoice_audit_v(inv, line, ct == CT_SWMA ? R_M2 : R_M3, in, 2, AV_MONEY(s->annual_charge, 2),
                           "coverage expired on %s and was reinstated by the order of %s: the new support period "
                           "%s..%s starts on the order date, annual charge %s", date_format(a, s->expired_on),
                           date_format(b, s->reinstated_on), date_format(x, s->period_start),
                           date_format(y, s->period_end), ann);
  case SUP_UPGRADE:
    return invoice_audit_v(inv, line, R_M6, in, 2, AV_MONEY(c, 2),
                           "support upgrade on %s (quantity +%lld, annual charge +%s) prorated by days to the next "
                           "anniversary: %ld days %s..%s of the %ld days of the support year from %s "
                           "(support.csv:%ld): %s x %ld/%ld = %s, rounded half away from zero to the cent (R-0.1)",
                           date_format(a, s->period_start), (long long)s->quantity, ann, sh->len,
                           date_format(b, s->period_start), date_format(x, s->period_end), sh->yd,
                           date_format(y, g->period_start), g->line, ann, sh->len, sh->yd, money_format(cs, c, 2));
  default:
    return LB_OK;
  }
}

/* R-T9 (with R-T6 for SWMA) and: the steps that show which months the
 * invoice carries and how their share of the charge c is computed. */
static int share_steps(invoice *inv, int line, charge_type ct, const rule_ctx *ctx, const support_row *s,
                       const share *sh, money c, const money_share *ms, lb_month f, lb_month t,
                       const input_ref *in)
{
  char a[11], b[11], fm[8], lm[8], sf[8], sl[8], cs[32], pos[48], calc[160];
  const char *cycle = ctx->cd->cust.cycle == CYCLE_QUARTERLY ? "quarterly" : "monthly";
  month_format(fm, f);
  month_format(lm, t);
  month_format(sf, sh->span_first);
  month_format(sl, sh->span_last);
  money_format(cs, c, 2);
  position_text(pos, sizeof(pos), ct, sh);
  cumulative_text(calc, sizeof(calc), c, sh, ms);
  int e;
  if(ct == CT_SS)
    e = invoice_audit_v(inv, line, R_T9, in, 2, AV_MONEY(ms->amount, 2),
                        "invoiced %s in arrears: this invoice carries %s%s%s; the charge %s is spread over the whole "
                        "calendar months %s..%s (System z S&S, 002 §5.12 and R-T4), and this is %s: %s", cycle, fm,
                        f == t ? "" : "..", f == t ? "" : lm, cs, sf, sl, pos, calc);
  else
    e = invoice_audit_v(inv, line, R_T9, in, 2, AV_NONE,
                        "invoiced %s in arrears: this invoice carries %s%s%s; the charge %s is spread over %s..%s by "
                        "days on thirty-day months (R-T6)", cycle, fm, f == t ? "" : "..", f == t ? "" : lm, cs, sf,
                        sl) ||
        invoice_audit_v(inv, line, R_T6, in, 2, AV_MONEY(ms->amount, 2),
                        "days on thirty-day months (002 §5.12: \"prorated based on a thirty (30) day month\"): every "
                        "month has days 1..30, the 31st adds none and the last day of February the days up to the "
                        "30th; %s..%s has %ld such days, and this is %s: %s", date_format(a, s->period_start),
                        date_format(b, s->period_end), sh->n, pos, calc);
  if(e || invoice_audit_v(inv, line, R_0_1, in, 2, AV_MONEY(ms->amount, 2),
                          "each share is the difference of two cumulative amounts of the charge %s, each rounded half "
                          "away from zero to the cent, so the shares of %s..%s add up to %s to the cent", cs,
                          date_format(a, s->period_start), date_format(b, s->period_end), cs))
    return LB_ENOMEM;
  return LB_OK;
}

/* What a share's uplift raises (R-M4): "the annual S&S renewal (line 3)" */
static void uplift_what(char *buf, size_t cap, const support_row *s, const support_row *g, int line)
{
  const char *what = s->kind == SUP_UPGRADE          ? "the S&S upgrade"
                     : g->kind == SUP_PERIOD        ? "first-year S&S"
                     : g->kind == SUP_REINSTATEMENT ? "the S&S reinstatement"
                                                    : "the annual S&S renewal";
  snprintf(buf, cap, "%s (line %d)", what, line);
}

/* R-T9 (with R-M1, R-M5, R-M6): the share of a period (or of an upgrade up
 * to the next anniversary) that falls in the invoice months f..t: the
 * difference of the period's cumulative charge at the end and at the start
 * of those months, each rounded to the cent. */
static int price_share(const rule_ctx *ctx, invoice *inv, charge_type ct, const support_row *s, lb_month f,
                       lb_month t)
{
  const cust_data *cd = ctx->cd;
  const license *l = cust_license(cd, s->license_id);
  const support_row *g = governing(cd, s);
  char a[11], b[11], x[11], ann[32], cs[32], note[160], pos[48];
  rule_set rules;
  share sh;
  money c;
  money_share ms;
  int rc = LB_OK;
  share_of(ct, s->period_start, s->period_end, g->period_start, f, t, &sh);
  if(sh.upto == sh.at)
    return LB_OK;
  input_ref in[] = {REF(SRC_SUPPORT, s->line), REF(SRC_LICENSES, l->line)};
  if(unfunded(inv, cd, s, g, l, sh.first_billed, in, &rc)) /* R-M1 */
    return rc;
  if(charge_of(&c, s, &sh) || money_share_of(&ms, c, sh.at, sh.upto, sh.n))
    return LB_EOVERFLOW;
  int adjusted = s->kind != SUP_UPGRADE && sh.len != sh.yd;
  share_rules(&rules, ct, s, adjusted);
  position_text(pos, sizeof(pos), ct, &sh);
  snprintf(note, sizeof(note), "%s %s %s..%s, %s", charge_type_name(ct), s->kind == SUP_UPGRADE ? "upgrade" : "period",
           date_format(a, s->period_start), date_format(b, s->period_end), pos);
  /* one month, or the quarter, at the share's amount; the positions are in the note */
  charge_line *cl = licline_add(ctx, l, ct, order_of(s, l), cd->cust.cycle == CYCLE_QUARTERLY ? "quarter" : "month", 1,
                                &rules, note, inv);
  if(!cl)
    return LB_ENOMEM;
  cl->has_unit_price = 1;
  cl->unit_price = ms.amount;
  cl->amount = ms.amount;
  int line = cl->line;
  if(period_step(inv, line, ct, cd, s, g, l, &sh, c, in))
    return LB_ENOMEM;
  if(adjusted &&
     invoice_audit_v(inv, line, R_M5, in, 2, AV_MONEY(c, 2), "anniversary adjustment: the period %s..%s has %ld days "
                     "against %ld in the support year from %s, its charge is prorated by days: %s x %ld/%ld = %s, "
                     "rounded half away from zero to the cent (R-0.1)", date_format(a, s->period_start),
                     date_format(b, s->period_end), sh.len, sh.yd, date_format(x, s->period_start),
                     money_format(ann, s->annual_charge, 2), sh.len, sh.yd, money_format(cs, c, 2)))
    return LB_ENOMEM;
  if(share_steps(inv, line, ct, ctx, s, &sh, c, &ms, f, t, in))
    return LB_ENOMEM;
  if(ct != CT_SS)
    return LB_OK;
  uplift_what(note, sizeof(note), s, g, line);
  return secure_uplift_share(ctx, inv, l, c, secure_pct_of(g), &sh, note, in, 2, order_of(s, l));
}

/* R-M2: the After License Fee that resumes a lapsed SWMA, discounted by the
 * length of the lapse; the only discount on its line. */
static int price_alf(const rule_ctx *ctx, invoice *inv, diag_list *d, const support_row *s)
{
  const cust_data *cd = ctx->cd;
  const license *l = cust_license(cd, s->license_id);
  const price *book;
  size_t n;
  char a[11], b[11], eff[11], val[32], fee_s[32], note[160];
  money fee, disc = 0, net;
  int pct = 0, months = 0;
  if(catalog_price_book(ctx->cat, l->product_id, CT_SWMA, "after_license", cd->cust.currency, s->reinstated_on,
                        &book, &n) || n != 1 || !book->has_fixed_price)
    return diag_add(d, file_of(ctx), s->line, s->offering_col, cd->cust.id,
                    "no After License Fee for %s in %s effective on %s in prices.csv, expected one row with "
                    "charge_type SWMA, component 'after_license' and fixed_price (R-M2)", l->product_id,
                    cd->cust.currency, date_format(a, s->reinstated_on));
  if(money_mul_int(&fee, book->fixed_price, s->quantity) || money_round_cent(&fee, fee))
    return LB_EOVERFLOW;
  int offer = periods_alf_offering(s->offering) &&
              s->reinstated_on >= date_from_ymd(LAPSE_OFFER_START_Y, LAPSE_OFFER_START_M, LAPSE_OFFER_START_D);
  if(offer) {
    pct = lapse_discount_pct(s->expired_on, s->reinstated_on, &months);
    if(money_apply_pct(&disc, fee, (money)pct * MONEY_SCALE))
      return LB_EOVERFLOW;
  }
  if(money_sub(&net, fee, disc))
    return LB_EOVERFLOW;
  if(offer && months <= 12)
    snprintf(note, sizeof(note), "After License Fee, lapse of %s: %d %% off", lapse_band_text(months), pct);
  else
    snprintf(note, sizeof(note), "After License Fee, no lapse discount");
  charge_line *cl = licline_add(ctx, l, CT_SWMA, order_of(s, l), "license", (long)s->quantity,
                                RULES(R_T9, R_M2, R_0_2), note, inv);
  if(!cl)
    return LB_ENOMEM;
  cl->has_unit_price = 1;
  cl->unit_price = book->fixed_price;
  cl->amount = net;
  cl->sole_discount = offer && disc > 0; /* R-M2: never combined with another discount */
  int line = cl->line;
  money_format(fee_s, fee, 2);
  if(invoice_audit(inv, line, R_M2,
                   REFS(REF(SRC_SUPPORT, s->line), REF(SRC_LICENSES, l->line),
                        REF_BOOK(book->line, book->effective_from)),
                   AV_MONEY(fee, 2),
                   "After License Fee to resume SWMA of %s (offering %s) after coverage expired on %s: %lld x %s "
                   "(price book effective %s)", l->product_id, s->offering, date_format(a, s->expired_on),
                   (long long)s->quantity, money_format(val, book->fixed_price, book->fixed_price % MONEY_CENT ? 4 : 2),
                   date_format(eff, book->effective_from)))
    return LB_ENOMEM;
  const audit_refs *row = REFS(REF(SRC_SUPPORT, s->line));
  int e;
  if(!offer)
    e = invoice_audit(inv, line, R_M2, row, AV_MONEY(disc, 2),
                      "no lapse discount: offering %s%s (seed 003: the discount is for offerings 6942-73G and "
                      "6942-12F ordered on or after 2012-04-03)", s->offering,
                      periods_alf_offering(s->offering) ? " ordered before the offer started"
                                                        : " is not a discount offering");
  else
    e = invoice_audit(inv, line, R_M2, row, AV_MONEY(disc, 2),
                      "ordered %s, a lapse of %s%s after the expiration on %s counted in calendar months (one day "
                      "past a month boundary adds a month): %d %% off the fee; never combined with another discount "
                      "on this line (seed 003)", date_format(a, s->reinstated_on),
                      months <= 12 ? lapse_band_text(months) : "more than 12 months",
                      months == 12 ? " (003's example: up to expiry + 12 months inclusive)" : "",
                      date_format(b, s->expired_on), pct);
  if(e)
    return LB_ENOMEM;
  if(invoice_audit(inv, line, R_0_2, NO_REFS, AV_MONEY(net, 2), "fee %s less the discount, the discount rounded half away from "
                   "zero to the cent", fee_s))
    return LB_ENOMEM;
  return invoice_audit(inv, line, R_T9, row, AV_MONEY(net, 2), "one-time maintenance charge of the order dated %s, invoiced "
                       "with the %s that contains it", date_format(a, s->reinstated_on),
                       cd->cust.cycle == CYCLE_QUARTERLY ? "quarter" : "month") ? LB_ENOMEM : LB_OK;
}

/* R-M3: the S&S resumption fee: the support charges that would have been
 * paid during the lapse, i.e. the whole calendar months that the periods
 * would have carried from the day after the expiration up to the month the
 * new period is first charged in. */
static int price_resumption(const rule_ctx *ctx, invoice *inv, const support_row *s)
{
  const cust_data *cd = ctx->cd;
  const license *l = cust_license(cd, s->license_id);
  char a[11], b[11], val[32], ann[32], note[96], fm[8], lm[8];
  lb_month from = timing_first_month(s->expired_on + 1), upto = timing_first_month(s->reinstated_on);
  long nm = upto > from ? upto - from : 0;
  money fee;
  input_ref in[] = {REF(SRC_SUPPORT, s->line), REF(SRC_LICENSES, l->line)};
  money_format(ann, s->annual_charge, 2);
  if(!nm)
    return invoice_audit_v(inv, 0, R_M3, in, 2, AV_MONEY(0, 2),
                         "S&S of %s (license %s) expired on %s and resumed by the order of %s: no calendar month "
                         "lapsed, no resumption fee", l->product_id, l->license_id, date_format(a, s->expired_on),
                         date_format(b, s->reinstated_on)) ? LB_ENOMEM : LB_OK;
  if(money_muldiv_cent(&fee, s->annual_charge, nm, 12))
    return LB_EOVERFLOW;
  snprintf(note, sizeof(note), "S&S resumption fee, %ld months lapsed", nm);
  charge_line *cl = licline_add(ctx, l, CT_SS, order_of(s, l), "charge", 1, RULES(R_T9, R_M3, R_0_1), note, inv);
  if(!cl)
    return LB_ENOMEM;
  cl->has_unit_price = 1;
  cl->unit_price = fee;
  cl->amount = fee;
  int line = cl->line;
  money_format(val, fee, 2);
  if(invoice_audit_v(inv, line, R_M3, in, 2, AV_MONEY(fee, 2),
                     "S&S expired on %s and was resumed by the order accepted on %s: the fee is the support charges "
                   "that would have been paid during the lapse, the %ld whole calendar months %s..%s (002 "
                   "§5.15.12 f); %s x %ld/12 = %s, rounded half away from zero to the cent (R-0.1)",
                   date_format(a, s->expired_on), date_format(b, s->reinstated_on), nm, month_format(fm, from),
                   month_format(lm, upto - 1), ann, nm, val) ||
     invoice_audit_v(inv, line, R_T9, in, 2, AV_MONEY(fee, 2), "one-time maintenance charge of the order dated %s, "
                     "invoiced with the %s that contains it", date_format(a, s->reinstated_on),
                     cd->cust.cycle == CYCLE_QUARTERLY ? "quarter" : "month"))
    return LB_ENOMEM;
  snprintf(note, sizeof(note), "the S&S reinstatement fee (line %d)", line);
  return secure_uplift(ctx, inv, l, fee, SECURE_RENEW_PCT, note, in, 2, order_of(s, l));
}

/* R-M7: the support for excess use is charged for the lesser of its duration
 * and two years: whole support years, then the rest of the days prorated on
 * the year they fall in. num / den is the fraction of the annual charge,
 * days the days charged. */
static void excess_years(lb_date s, lb_date e, int64_t *num, int64_t *den, long *days)
{
  lb_date y = s;
  int years = 0;
  while(years < 2 && prorate_year_end(y) <= e) {
    y = prorate_year_end(y) + 1;
    years++;
  }
  *days = prorate_days_between(s, years == 2 ? y - 1 : e);
  *den = prorate_days_between(y, prorate_year_end(y));
  *num = (int64_t)years * *den + (years == 2 ? 0 : prorate_days_between(y, e));
}

/* R-M7: excess use found by a compliance audit (002 §5.15.7): the excess
 * licenses at the license price, plus their support for the lesser of the
 * duration and two years. */
static int price_excess(const rule_ctx *ctx, invoice *inv, diag_list *d, charge_type ct, const support_row *s)
{
  const cust_data *cd = ctx->cd;
  const license *l = cust_license(cd, s->license_id);
  const price *book;
  size_t n;
  char a[11], b[11], c[11], val[32], up[32], ann[32], note[160];
  money lic, sup;
  int64_t num, den;
  long days;
  if(catalog_price_book(ctx->cat, l->product_id, ct, "license", cd->cust.currency, s->reinstated_on, &book, &n) ||
     n != 1 || !book->has_fixed_price)
    return diag_add(d, file_of(ctx), s->line, s->kind_col, cd->cust.id,
                    "no license price for %s %s in %s effective on %s in prices.csv, expected one row with "
                    "component 'license' and fixed_price per license (R-M7)", l->product_id, charge_type_name(ct),
                    cd->cust.currency, date_format(a, s->reinstated_on));
  if(money_mul_int(&lic, book->fixed_price, s->quantity) || money_round_cent(&lic, lic))
    return LB_EOVERFLOW;
  snprintf(note, sizeof(note), "excess use found by audit: %lld licenses", (long long)s->quantity);
  charge_line *cl = licline_add(ctx, l, ct, order_of(s, l), "licenses", (long)s->quantity, RULES(R_T9, R_M7, R_0_1),
                                note, inv);
  if(!cl)
    return LB_ENOMEM;
  cl->has_unit_price = 1;
  cl->unit_price = book->fixed_price;
  cl->amount = lic;
  int line = cl->line;
  money_format(up, book->fixed_price, book->fixed_price % MONEY_CENT ? 4 : 2);
  if(invoice_audit(inv, line, R_M7,
                   REFS(REF(SRC_SUPPORT, s->line), REF(SRC_LICENSES, l->line), REF(SRC_PRICES, book->line)),
                   AV_MONEY(lic, 2),
                   "excess use of %s found by a compliance audit (order of %s): %lld licenses x %s, the license "
                   "price", l->product_id, date_format(a, s->reinstated_on), (long long)s->quantity, up) ||
     invoice_audit(inv, line, R_0_1, NO_REFS, AV_MONEY(lic, 2), "line amount rounded half away from zero to the cent"))
    return LB_ENOMEM;
  input_ref in[] = {REF(SRC_SUPPORT, s->line), REF(SRC_LICENSES, l->line)};
  int rc = ct == CT_SS
               ? secure_uplift(ctx, inv, l, lic, SECURE_FIRST_PCT, "the excess licenses", in, 2, order_of(s, l))
               : LB_OK;
  if(rc)
    return rc;
  excess_years(s->period_start, s->period_end, &num, &den, &days);
  if(money_muldiv_cent(&sup, s->annual_charge, num, den))
    return LB_EOVERFLOW;
  snprintf(note, sizeof(note), "support for the excess use %s..%s: %ld days, at most two years",
           date_format(a, s->period_start), date_format(b, s->period_end), days);
  cl = licline_add(ctx, l, ct, order_of(s, l), "charge", 1, RULES(R_T9, R_M7, R_0_1), note, inv);
  if(!cl)
    return LB_ENOMEM;
  cl->has_unit_price = 1;
  cl->unit_price = sup;
  cl->amount = sup;
  line = cl->line;
  money_format(val, sup, 2);
  money_format(ann, s->annual_charge, 2);
  if(invoice_audit_v(inv, line, R_M7, in, 2, AV_MONEY(sup, 2),
                     "support for the excess licenses for the lesser of the duration of the excess use %s..%s (%ld "
                   "days) and two years (until %s): %ld days; annual support %s x %lld/%lld = %s, rounded half "
                   "away from zero to the cent (R-0.1)", date_format(a, s->period_start),
                   date_format(b, s->period_end), prorate_days_between(s->period_start, s->period_end),
                   date_format(c, date_add_months(s->period_start, 24) - 1), days, ann, (long long)num,
                   (long long)den, val) ||
     invoice_audit_v(inv, line, R_T9, in, 2, AV_MONEY(sup, 2), "one-time maintenance charge of the order dated %s, "
                     "invoiced with the %s that contains it", date_format(a, s->reinstated_on),
                     cd->cust.cycle == CYCLE_QUARTERLY ? "quarter" : "month"))
    return LB_ENOMEM;
  return ct == CT_SS ? secure_uplift(ctx, inv, l, sup, SECURE_FIRST_PCT, "the support for the excess", in, 2,
                                     order_of(s, l))
                     : LB_OK;
}

static int in_months(lb_date on, lb_month f, lb_month t)
{
  return on != DATE_NONE && month_of(on) >= f && month_of(on) <= t;
}

/* Every support row of charge type ct, for the invoice months f..t. */
static int price_rows(const rule_ctx *ctx, invoice *inv, diag_list *d, charge_type ct, lb_month f, lb_month t)
{
  int rc = LB_OK;
  for(size_t i = 0; i < ctx->cd->nsupport && !rc; i++) {
    const support_row *s = &ctx->cd->support[i];
    if(periods_offering_ct(s->offering) != ct)
      continue;
    if(s->kind == SUP_REINSTATEMENT && in_months(s->reinstated_on, f, t))
      rc = ct == CT_SWMA ? price_alf(ctx, inv, d, s) : price_resumption(ctx, inv, s);
    if(!rc && s->kind == SUP_EXCESS && in_months(s->reinstated_on, f, t))
      rc = price_excess(ctx, inv, d, ct, s);
    if(!rc && (periods_is_period(s) || s->kind == SUP_UPGRADE))
      rc = price_share(ctx, inv, ct, s, f, t);
  }
  return rc;
}

/* R-T9: a quarterly customer's month that is not a quarter end carries no
 * maintenance line; the audit trail (line 0) shows what the month adds to
 * the quarter's invoice and how it was computed. */
static int defer_to_quarter(const rule_ctx *ctx, invoice *inv, diag_list *d, charge_type ct)
{
  invoice tmp;
  char qe[8], mon[8];
  int rc;
  memset(&tmp, 0, sizeof(tmp));
  month_format(qe, ctx->month + (3 - month_number(ctx->month) % 3));
  month_format(mon, ctx->month);
  rc = price_rows(ctx, &tmp, d, ct, ctx->month, ctx->month);
  int shown = 0;
  for(size_t i = 0; i < tmp.naudit && !rc; i++) {
    const audit_step *st = &tmp.audit[i];
    if(st->line > shown) {
      const charge_line *cl = &tmp.lines[st->line - 1];
      shown = st->line;
      if(invoice_audit_v(inv, 0, R_T9, st->refs, st->nrefs, AV_MONEY(cl->amount, 2),
                         "quarterly billing cycle: %s %s for %s (%s) is not invoiced now; it is invoiced with its "
                         "quarter on the %s invoice", line_charge_type(cl), cl->product_id, mon,
                       cl->note ? cl->note : cl->unit, qe)) {
        rc = LB_ENOMEM;
        break;
      }
    }
    if(invoice_audit_v(inv, 0, st->rule, st->refs, st->nrefs, st->value, "%s%s",
                       st->line ? "for the quarter's invoice: " : "", st->detail))
      rc = LB_ENOMEM;
  }
  invoice_clear(&tmp);
  return rc;
}

/* R-M4: "License & SW Subscription & Support 2.2%": a license charged once
 * (OTC) in this month with S&S from its installation carries the uplift on
 * its license charge, on the same invoice as that charge. */
static int license_uplifts(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  char a[11], what[96];
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *l = &cd->licenses[i];
    const support_row *ss = NULL;
    const price *book;
    size_t n;
    money base;
    if(!l->secure_support || l->ct != CT_OTC || month_of(l->installed_on) != ctx->month)
      continue;
    for(size_t j = 0; j < cd->nsupport && !ss; j++) {
      const support_row *s = &cd->support[j];
      if(!strcmp(s->license_id, l->license_id) && periods_offering_ct(s->offering) == CT_SS && periods_is_period(s) &&
         s->period_start <= l->installed_on && l->installed_on <= s->period_end)
        ss = s;
    }
    if(!ss)
      continue; /* Secure Support is active only while S&S is */
    if(catalog_price_book(ctx->cat, l->product_id, CT_OTC, "one_time", cd->cust.currency, l->installed_on, &book, &n) ||
       n != 1 || !book->has_fixed_price)
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
                      "no fixed one_time price for %s OTC in %s effective on %s in prices.csv, expected one row "
                      "(R-M4)", l->product_id, cd->cust.currency, date_format(a, l->installed_on));
    if(money_round_cent(&base, book->fixed_price))
      return LB_EOVERFLOW;
    input_ref in[] = {REF(SRC_LICENSES, l->line), REF(SRC_SUPPORT, ss->line), REF(SRC_PRICES, book->line)};
    snprintf(what, sizeof(what), "the license charge with first-year S&S");
    int rc = secure_uplift(ctx, inv, l, base, SECURE_FIRST_PCT, what, in, 3, l->order_number);
    if(rc)
      return rc;
  }
  return LB_OK;
}

static int price_ct(const rule_ctx *ctx, invoice *inv, diag_list *d, charge_type ct)
{
  lb_month f, t;
  int rc = invoice_months(ctx, &f, &t) ? price_rows(ctx, inv, d, ct, f, t) : defer_to_quarter(ctx, inv, d, ct);
  if(!rc && ct == CT_SS)
    rc = license_uplifts(ctx, inv, d);
  return rc;
}

/* R-M4: the scope of Secure Support via U.S. citizens (002 §5.15.14). Its uplift is charged "to the Passport
 * Advantage product price or Passport Advantage software subscription and support price" (2.1): only a license
 * sold via Passport Advantage carries it, and Passport Advantage sells IPLA software (1: "IPLA software sold via
 * Passport Advantage"): a one-time charge license (IPLA, OTC) and its S&S. The other program the service covers,
 * AIX Software Maintenance, is priced "under the Software Maintenance pricelist" (3), not by this uplift.
 * Anything else with secure_support=yes is an error at its cell, never a silent skip. */
static int check_secure_scope(const rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0;
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *l = &cd->licenses[i];
    int ipla_sw = l->ct == CT_IPLA || l->ct == CT_SS || l->ct == CT_OTC;
    if(l->channel == CHANNEL_PASSPORT_ADVANTAGE && !ipla_sw)
      bad = diag_add(d, ctx->licenses_file, l->line, l->channel_col, cd->cust.id,
                     "license %s (%s) has sales_channel passport_advantage, but Passport Advantage sells IPLA "
                     "software, not %s licenses (002 §5.15.14 1), expected sales_channel direct or empty (R-M4)",
                     l->license_id, l->product_id, charge_type_name(l->ct));
    else if(l->secure_support && l->ct == CT_SWMA)
      bad = diag_add(d, ctx->licenses_file, l->line, l->secure_col, cd->cust.id,
                     "license %s (%s) has secure_support=yes, but Secure Support via U.S. citizens on Software "
                     "Maintenance (AIX) is priced under the Software Maintenance price list (002 §5.15.14 3), not "
                     "by the uplift on Passport Advantage prices (2.1), and licbill has no such price, expected "
                     "secure_support=no (R-M4)", l->license_id, l->product_id);
    else if(l->secure_support && !ipla_sw)
      bad = diag_add(d, ctx->licenses_file, l->line, l->secure_col, cd->cust.id,
                     "license %s (%s) has secure_support=yes, but Secure Support via U.S. citizens covers IPLA "
                     "software sold via Passport Advantage (002 §5.15.14 1), not %s licenses, expected "
                     "secure_support=no (R-M4)", l->license_id, l->product_id, charge_type_name(l->ct));
    else if(l->secure_support && l->channel != CHANNEL_PASSPORT_ADVANTAGE)
      bad = diag_add(d, ctx->licenses_file, l->line, l->secure_col, cd->cust.id,
                     "license %s (%s) has secure_support=yes, but it was not sold via Passport Advantage "
                     "(sales_channel %s): the uplift is on \"the Passport Advantage product price or Passport "
                     "Advantage software subscription and support price\" (002 §5.15.14 2.1), expected "
                     "sales_channel passport_advantage or secure_support=no (R-M4)", l->license_id, l->product_id,
                     sales_channel_names[l->channel]);
  }
  return bad ? LB_EINPUT : LB_OK;
}

int maint_validate(const rule_ctx *ctx, diag_list *d)
{
  int rc = periods_check(ctx, d), sec = check_secure_scope(ctx, d);
  return rc ? rc : sec;
}

int maint_price_swma(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  return price_ct(ctx, inv, d, CT_SWMA);
}

int maint_price_ss(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  return price_ct(ctx, inv, d, CT_SS);
}

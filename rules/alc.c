/* alc.c - ALC programs: Primary License Charge on installation (R-T8), annual charge in arrears (002 §5.12). */
#include "rules/alc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/fixed.h"
#include "rules/licline.h"
#include "rules/timing.h"

/* R-T8: "The PLC is billed as an one time charge upon the Date of
 * Installation of the licensed program": the invoice of that month. */
static int price_plc(const rule_ctx *ctx, const license *l, invoice *inv, diag_list *d)
{
  char was[8], a[11], eff[11];
  const price *book;
  charge_line *cl;
  const carried *billed = rule_carried(ctx, CARRY_PLC, l->license_id);
  if(billed) {
    month_format(was, billed->value.month);
    return invoice_audit(inv, 0, R_T8, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT(was),
                         "Primary License Charge of %s (license %s) was billed on the invoice of %s: billed once, "
                         "not again", l->product_id, l->license_id, was)
               ? LB_ENOMEM
               : LB_OK;
  }
  int rc = fixed_line(ctx, l, CT_ALC, "plc", l->installed_on, "license", RULES(R_T8, R_0_1), "R-T8", inv, &cl, &book,
                      d);
  if(rc)
    return rc;
  cl->ct = CT_PLC;
  cl->note = strdup("Primary License Charge, one-time, on the Date of Installation");
  if(!cl->note)
    return LB_ENOMEM;
  if(invoice_audit(inv, cl->line, R_T8, REFS(REF(SRC_LICENSES, l->line), REF_BOOK(book->line, book->effective_from)), AV_MONEY(cl->amount, 2),
                   "Primary License Charge of the ALC program %s, one-time on its Date of Installation %s, billed "
                   "on the invoice that covers that date; price book effective %s", l->product_id,
                   date_format(a, l->installed_on), date_format(eff, book->effective_from)) ||
     invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(cl->amount, 2), "line amount rounded half away from zero to the cent") ||
     invoice_carry(inv, CARRY_PLC, l->license_id, (carry_value){ctx->month, 0}))
    return LB_ENOMEM;
  return LB_OK;
}

/* The Annual License Charge: whole calendar months (R-T4, R-T5), invoiced
 * "at the end of the period for which the charges accrue" (002 §5.12). */
static int price_annual(const rule_ctx *ctx, const license *l, invoice *inv, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  lb_month m = ctx->month, first = timing_first_month(l->installed_on);
  lb_month last = timing_last_month(l->discontinued_on, l->notice_received_on);
  char a[11], eff[11], fm[8], lm[8], xm[8], val[32], ann[32], note[96];
  const price *book;
  size_t n;
  money amount;
  if(!timing_month_charged(m, l->installed_on, l->discontinued_on, l->notice_received_on))
    return LB_OK;
  long k = (long)((m - first) % 12) + 1; /* months of the current license year, this one included */
  int ends = m == last;
  if(k != 12 && !ends)
    return LB_OK;
  if(catalog_price_book(ctx->cat, l->product_id, CT_ALC, "annual", cd->cust.currency, ctx->price_date, &book, &n) ||
     n != 1 || !book->has_fixed_price)
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
                    "no annual ALC price for %s in %s effective on %s in prices.csv, expected one row with "
                    "charge_type ALC, component 'annual' and fixed_price (002 §5.12)", l->product_id,
                    cd->cust.currency, date_format(a, ctx->price_date));
  snprintf(note, sizeof(note), "Annual License Charge in arrears, %ld of 12 months", k);
  charge_line *cl = licline_add(ctx, l, CT_ALC, l->order_number, k == 12 ? "year" : "charge", 1,
                                ends ? RULES(R_T4, R_T5) : RULES(R_T4), note, inv);
  if(!cl)
    return LB_ENOMEM;
  rule_set rules = cl->rules;
  /* the annual charge of each license or feature on the row, then the months of the year */
  money annual;
  int rc = licline_per_license(l, cl, book->fixed_price, &annual, &rules, inv);
  if(rc)
    return rc;
  if(money_muldiv_cent(&amount, annual, k, 12))
    return LB_EOVERFLOW;
  rule_set_add(&rules, R_0_1);
  cl->rules = rules;
  /* a part year of several licenses has no unit price that multiplies to the amount: none is printed */
  cl->has_unit_price = l->quantity <= 1 || k == 12;
  cl->unit_price = l->quantity <= 1 ? amount : book->fixed_price;
  cl->amount = amount;
  money_format(val, amount, 2);
  money_format(ann, annual, annual % MONEY_CENT ? 4 : 2);
  if(invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, l->line), REF_BOOK(book->line, book->effective_from)), AV_MONEY(amount, 2),
                   "Annual License Charge of %s accrues in whole calendar months from %s (installed %s); the "
                   "license year %s..%s is invoiced in arrears at its end (002 §5.12): %s x %ld/12 = %s, rounded "
                   "half away from zero to the cent (price book effective %s)", l->product_id,
                   month_format(fm, first), date_format(a, l->installed_on), month_format(lm, m - k + 1),
                   month_format(xm, m), ann, k, val, date_format(eff, book->effective_from)))
    return LB_ENOMEM;
  if(ends && invoice_audit(inv, cl->line, R_T5, REFS(REF(SRC_LICENSES, l->line), REF(SRC_PRICES, book->line)), AV_MONEY(amount, 2),
                           "discontinued: charged through %s, the months of the license year so far are invoiced now",
                           month_format(lm, last)))
    return LB_ENOMEM;
  return invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(amount, 2), "line amount rounded half away from zero to the cent")
             ? LB_ENOMEM : LB_OK;
}

int alc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int rc = LB_OK;
    if(month_of(l->installed_on) == ctx->month)
      rc = price_plc(ctx, l, inv, d);
    if(!rc)
      rc = price_annual(ctx, l, inv, d);
    if(rc)
      return rc;
  }
  return LB_OK;
}

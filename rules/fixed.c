/* fixed.c - one fixed price per license: the line every fixed charge module needs. */
#include "rules/fixed.h"

#include "rules/licline.h"

int fixed_line(const rule_ctx *ctx, const license *l, charge_type ct, const char *component, lb_date on,
               const char *unit, const rule_set *rules, const char *rule, invoice *inv, charge_line **out,
               const price **book, diag_list *d)
{
  char date[11];
  size_t n;
  money exact, amount;
  if(catalog_price_book(ctx->cat, l->product_id, ct, component, ctx->cd->cust.currency, on, book, &n) || n != 1 ||
     !(*book)->has_fixed_price)
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "no fixed %s price for %s %s in %s effective on %s in prices.csv, expected one row with "
                    "component '%s' and fixed_price (%s)", component, l->product_id, charge_type_name(ct),
                    ctx->cd->cust.currency, date_format(date, on), component, rule);
  charge_line *cl = licline_add(ctx, l, ct, l->order_number, unit, 1, rules, NULL, inv);
  if(!cl)
    return LB_ENOMEM;
  /* the price of each license or feature on the row */
  int rc = licline_per_license(l, cl, (*book)->fixed_price, &exact, NULL, inv);
  if(rc)
    return rc;
  if(money_round_cent(&amount, exact))
    return LB_EOVERFLOW;
  cl->has_unit_price = 1;
  cl->unit_price = (*book)->fixed_price;
  cl->amount = amount;
  *out = cl;
  return LB_OK;
}

/* zelc.c - R-W16: zELC, a fixed monthly price per program and logical-model category, else the default ("Other") charge. */
#include "rules/zelc.h"

#include <stdio.h>
#include <string.h>

#include "rules/licline.h"
#include "rules/lmodel.h"
#include "rules/subcap.h"
#include "rules/timing.h"

#define DEFAULT_PRODUCT "OTHER" /* prices.csv product_id of the machine's default ("Other") charge */

/* R-W16 */
int zelc_validate(const rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0, rc;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const machine *m = cust_machine(cd, l->serial);
    if(l->pricing == PRICING_SUBCAP) {
      diag_add(d, ctx->licenses_file, l->line, l->pricing_col, cd->cust.id,
               "license %s (%s) has ZELC with pricing 'subcap', but zELC is priced by the category of the "
               "logical model, not on MSUs, expected 'full' or empty (R-W16)", l->license_id, l->product_id);
      bad = 1;
    }
    if(!m->zelc_category) {
      diag_add(d, ctx->machines_file, m->line, m->zelc_col, cd->cust.id,
               "machine %s has zELC license %s but no zelc_category, expected the zELC category of the logical "
               "model the programs run in (R-W16)", m->serial, l->license_id);
      bad = 1;
    }
  }
  /* R-W14 */
  if((rc = lmodel_validate(ctx, CT_ZELC, d)) == LB_ENOMEM)
    return rc;
  bad |= rc != 0;
  rc = lmodel_exclusive(ctx, CT_ZELC, 1u << CT_AWLC | 1u << CT_VWLC | 1u << CT_PSLC | 1u << CT_TWLC,
                        "(R-W16, 002 §5.16.13 3.D.d)", d);
  bad |= rc != 0;
  return bad ? LB_EINPUT : LB_OK;
}

/* 1 if prices.csv prices the product under zELC in some category and currency */
static int has_any_zelc(const rule_ctx *ctx, const char *product_id)
{
  for(size_t i = 0; i < ctx->cat->nprices; i++)
    if(ctx->cat->prices[i].ct == CT_ZELC && !strcmp(ctx->cat->prices[i].product_id, product_id))
      return 1;
  return 0;
}

static int price_one(const rule_ctx *ctx, const license *l, invoice *inv, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  const char *cat = m->zelc_category, *cust = ctx->cd->cust.id;
  const price *book;
  size_t n;
  charge_line *cl;
  rule_set rules = {0};
  char date[11];
  int other = 0;
  money amount;
  /* R-W16: the program's price for the category, else the machine's default ("Other") charge */
  if(catalog_price_book(ctx->cat, l->product_id, CT_ZELC, cat, ctx->cd->cust.currency, ctx->price_date, &book,
                        &n)) {
    if(has_any_zelc(ctx, l->product_id))
      /* zELC is available for the program: a missing category is a gap in the price book, not a default */
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                      "%s has zELC prices but none for category %s in %s effective on %s, expected a prices.csv "
                      "row with charge_type ZELC and component '%s' (R-W16)", l->product_id, cat,
                      ctx->cd->cust.currency, date_format(date, ctx->price_date), cat);
    other = 1;
    if(catalog_price_book(ctx->cat, DEFAULT_PRODUCT, CT_ZELC, cat, ctx->cd->cust.currency, ctx->price_date, &book,
                          &n))
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                      "no zELC price for %s in category %s (%s, effective on %s) and no default (\"Other\") "
                      "charge for the category, expected a prices.csv row for %s or for product_id %s with "
                      "charge_type ZELC and component '%s' (R-W16)", l->product_id, cat, ctx->cd->cust.currency,
                      date_format(date, ctx->price_date), l->product_id, DEFAULT_PRODUCT, cat);
  }
  if(n != 1 || !book->has_fixed_price || book->has_unit_price)
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                    "the zELC price of %s for category %s (prices.csv line %ld) is not one fixed monthly price, "
                    "expected one row with fixed_price and no unit_price (R-W16)", other ? DEFAULT_PRODUCT :
                    l->product_id, cat, book->line);
  int rc;
  if(!(cl = licline_add(ctx, l, CT_ZELC, l->order_number, "month", 1, NULL, NULL, inv)))
    return LB_ENOMEM;
  rule_set_add(&rules, R_T4);
  if(invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("charged"),
                   "zELC %s is charged for the whole month (installed before the month, not discontinued before "
                   "it; R-T5)", l->product_id))
    return LB_ENOMEM;
  /* R-T10: a raised category is billed for the whole month */
  if((m->t10_raised & T10_ZELC) &&
     (rc = subcap_t10_audit(ctx, m, inv, cl->line, &rules)))
    return rc;
  rule_set_add(&rules, R_W16);
  if(other ? invoice_audit(inv, cl->line, R_W16, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line), REF_BOOK(book->line, book->effective_from)), AV_MONEY(book->fixed_price, 4),
                           "%s has no zELC price: the default (\"Other\") charge of machine %s for zELC category "
                           "%s (price book effective %s)", l->product_id, m->serial, cat,
                           date_format(date, book->effective_from))
           : invoice_audit(inv, cl->line, R_W16, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line), REF_BOOK(book->line, book->effective_from)), AV_MONEY(book->fixed_price, 4),
                           "zELC price of %s for category %s of machine %s (price book effective %s)",
                           l->product_id, cat, m->serial, date_format(date, book->effective_from)))
    return LB_ENOMEM;
  if(lmodel_note(inv, cl->line, "zELC category %s%s", cat, other ? ", default (Other) charge" : ""))
    return LB_ENOMEM;
  /* the charge of each license or feature on the row */
  money exact;
  if((rc = licline_per_license(l, cl, book->fixed_price, &exact, &rules, inv)))
    return rc;
  if(money_round_cent(&amount, exact))
    return LB_EOVERFLOW;
  /* */
  if(invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(amount, 2), "line amount rounded half away from zero to the cent"))
    return LB_ENOMEM;
  rule_set_add(&rules, R_0_1);
  cl->has_unit_price = 1;
  cl->unit_price = book->fixed_price;
  cl->amount = amount;
  cl->rules = rules;
  return LB_OK;
}

int zelc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int rc;
    if((rc = price_one(ctx, l, inv, d)))
      return rc;
  }
  return LB_OK;
}

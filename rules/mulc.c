/* mulc.c - MULC and Usage Pricing: the billing period's usage picks a usage band, and the band's charge is the month's (R-U4). */
#include "rules/mulc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/usage.h"

#define BAND_COMPONENT "band"
#define USAGE_UNIT "SUs"

/* R-U4: the band holding a usage rounded up to a whole unit, so that a
 * fraction above a band's upper bound is past that band. NULL when none. */
static const price *band_of(const price *book, size_t n, long q)
{
  for(size_t i = 0; i < n; i++)
    if(book[i].from_qty <= q && (book[i].to_qty < 0 || q <= book[i].to_qty))
      return &book[i];
  return NULL;
}

/* The usage bands of the license's product: rows with from_qty and a
 * fixed_price each (the band's monthly charge). LB_EINPUT after reporting. */
static int band_book(const rule_ctx *ctx, const license *ref, charge_type ct, const price **book, size_t *n,
                     diag_list *d)
{
  char date[11];
  if(catalog_price_book(ctx->cat, ref->product_id, ct, BAND_COMPONENT, ctx->cd->cust.currency, ctx->price_date,
                        book, n))
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "no usage bands for %s %s in %s effective on %s in prices.csv, expected rows with component "
                    "'%s', from_qty, to_qty and the band's charge in fixed_price (R-U4)", ref->product_id,
                    charge_type_name(ct), ctx->cd->cust.currency, date_format(date, ctx->price_date),
                    BAND_COMPONENT);
  for(size_t i = 0; i < *n; i++) {
    const price *p = &(*book)[i];
    if(p->from_qty < 0 || !p->has_fixed_price || p->has_unit_price)
      return diag_add(d, "prices.csv", p->line, 0, ctx->cd->cust.id,
                      "usage band of %s %s without %s, expected from_qty, to_qty (empty for the last band) and "
                      "the band's charge in fixed_price, no unit_price: a band's charge is not graduated (R-U4)",
                      ref->product_id, charge_type_name(ct),
                      p->from_qty < 0 ? "from_qty" : p->has_unit_price ? "a single charge" : "fixed_price");
  }
  return LB_OK;
}

static int price_ct(const rule_ctx *ctx, charge_type ct, int aggregate, int initial_months, invoice *inv,
                    diag_list *d)
{
  lic_groups gs;
  int rc = usage_groups(ctx, ct, aggregate, &gs, d);
  if(rc)
    return rc;
  for(size_t k = 0; k < gs.n; k++) {
    const usage_group *g = &gs.v[k];
    const license *ref = g->lic[0];
    const price *book = NULL, *band;
    size_t n = 0;
    money usage, billed, amount;
    long q;
    rule_set rules = {0};
    char u[32], c[32], note[200], to[24];
    charge_line *cl = invoice_add_line(inv);
    if(!cl) {
      rc = LB_ENOMEM;
      goto out;
    }
    if((rc = usage_line_fields(ctx, g, ct, cl)))
      goto out;
    rule_set_add(&rules, R_T4);
    if((rc = invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, ref->line)), AV_TEXT("charged"),
                           "%s %s is charged for the whole month (installed before the month, not discontinued "
                           "before it; R-T5)", charge_type_name(ct), g->product_id)))
      goto out;
    if((rc = usage_monthly(ctx, g, USAGE_UNIT, inv, cl->line, &usage, &rules, d)) ||
       (rc = usage_billed(ctx, ct, g, usage, initial_months, USAGE_UNIT, inv, cl->line, &billed, &rules, d)) ||
       (rc = band_book(ctx, ref, ct, &book, &n, d)))
      goto out;
    /* R-U4: one band, its charge whole */
    q = usage_ceil(billed);
    if(!(band = band_of(book, n, q))) {
      usage_format(c, billed);
      rc = diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "usage %s %s of %s %s is below the first usage band (from %lld) in prices.csv line %ld, "
                    "expected a band for it (R-U4)", c, USAGE_UNIT, ref->product_id, charge_type_name(ct),
                    (long long)book[0].from_qty, book[0].line);
      goto out;
    }
    if(money_round_cent(&amount, band->fixed_price)) {
      rc = LB_EOVERFLOW;
      goto out;
    }
    if(band->to_qty < 0)
      snprintf(to, sizeof(to), "+");
    else
      snprintf(to, sizeof(to), "-%lld", (long long)band->to_qty);
    usage_format(c, billed);
    if((rc = invoice_audit(inv, cl->line, R_U4, REFS(REF(SRC_PRICES, band->line)), AV_MONEY(band->fixed_price, 4),
                           "usage %s %s (rounded up to a whole unit: %ld) falls in the usage band %lld%s of %s %s %s: "
                           "the band's charge applies whole, not graduated", c, USAGE_UNIT, q,
                           (long long)band->from_qty, to, ref->product_id, charge_type_name(ct),
                           ctx->cd->cust.currency)))
      goto out;
    if((rc = invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(amount, 2), "line amount rounded half away from zero to the cent")))
      goto out;
    rule_set_add(&rules, R_0_1);
    snprintf(note, sizeof(note), "usage band %lld%s %s; usage of the billing period %s %s, this month %s %s",
             (long long)band->from_qty, to, USAGE_UNIT, usage_format(u, billed), USAGE_UNIT,
             usage_format(c, usage), USAGE_UNIT);
    cl->quantity = 1;
    cl->unit = strdup("band");
    cl->has_unit_price = 1;
    cl->unit_price = band->fixed_price;
    cl->amount = amount;
    cl->rules = rules;
    cl->note = strdup(note);
    if(!cl->unit || !cl->note) {
      rc = LB_ENOMEM;
      goto out;
    }
  }
out:
  lic_groups_clear(&gs);
  return rc;
}

/* R-U4, 002 §5.16.6: "the usage band is determined by ... the CPU SUs
 * consumed by all the versions ... on a machine"; MULC names no sysplex. */
int mulc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  return price_ct(ctx, CT_MULC, 0, 1, inv, d);
}

/* R-U4, 002 §5.16.10: aggregated over the Parallel Sysplex; "the higher
 * monthly usage of the initial two-months" sets the charge. */
int upc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  return price_ct(ctx, CT_UPC, 1, 2, inv, d);
}

/* ilc.c - R-T7: Initial License Charges, once, on the first MLC invoice of the license (002 §5.12). */
#include "rules/ilc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/fixed.h"
#include "rules/timing.h"

int ilc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  char key[160], mon[8], was[16], a[11], eff[11], inputs[128], val[32];
  /* ctx->own: the MLC licenses charged in the month (R-T4/R-T5) */
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const price *book;
    size_t n;
    lb_month set_in;
    charge_line *cl;
    /* R-T7: the first MLC invoice is the first month charged under R-T4/R-T5 */
    lb_month first = timing_first_month(l->installed_on);
    if(first != ctx->month)
      continue;
    if(catalog_price_book(ctx->cat, l->product_id, l->ct, "ilc", ctx->cd->cust.currency, l->installed_on, &book, &n))
      continue; /* the price book gives this program no ILC */
    snprintf(key, sizeof(key), "ilc:%s", l->license_id);
    snprintf(inputs, sizeof(inputs), "licenses.csv:%ld;prices.csv:%ld", l->line, book->line);
    int h = rule_state_get(ctx, key, was, sizeof(was), &set_in);
    if(h < 0)
      return h;
    if(h == 1) {
      if(invoice_audit(inv, 0, "R-T7", inputs, was, "Initial License Charge of %s (license %s) was billed on the "
                       "invoice of %s: billed once, not again", l->product_id, l->license_id, was))
        return LB_ENOMEM;
      continue;
    }
    int rc = fixed_line(ctx, l, l->ct, "ilc", l->installed_on, "license", "R-T7;R-0.1", "R-T7", inv, &cl, &book, d);
    if(rc)
      return rc;
    free(cl->charge_type);
    cl->charge_type = strdup("ILC");
    cl->note = strdup("Initial License Charge, billed once with the first MLC invoice");
    if(!cl->charge_type || !cl->note)
      return LB_ENOMEM;
    money_format(val, cl->amount, 2);
    if(invoice_audit(inv, cl->line, "R-T7", inputs, val,
                     "Initial License Charge of %s (%s, installed %s): billed once, with the first MLC invoice, the "
                     "month %s (R-T4); price book effective %s", l->product_id, charge_type_names[l->ct],
                     date_format(a, l->installed_on), month_format(mon, first),
                     date_format(eff, book->effective_from)) ||
       invoice_audit(inv, cl->line, "R-0.1", "", val, "line amount rounded half away from zero to the cent") ||
       invoice_state(inv, key, mon))
      return LB_ENOMEM;
  }
  return LB_OK;
}

/* ilc.c - R-T7: Initial License Charges, once, on the first MLC invoice of the license (002 §5.12). */
#include "rules/ilc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/fixed.h"
#include "rules/timing.h"

int ilc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  char mon[8], was[8], a[11], eff[11];
  /* ctx->own: the MLC licenses charged in the month (R-T4/R-T5) */
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const price *book;
    size_t n;
    charge_line *cl;
    /* R-T7: the first MLC invoice is the first month charged under R-T4/R-T5 */
    lb_month first = timing_first_month(l->installed_on);
    if(first != ctx->month)
      continue;
    if(catalog_price_book(ctx->cat, l->product_id, l->ct, "ilc", ctx->cd->cust.currency, l->installed_on, &book, &n))
      continue; /* the price book gives this program no ILC */
    const carried *billed = rule_carried(ctx, CARRY_ILC, l->license_id);
    if(billed) {
      month_format(was, billed->value.month);
      if(invoice_audit(inv, 0, R_T7, REFS(REF(SRC_LICENSES, l->line), REF(SRC_PRICES, book->line)), AV_TEXT(was),
                       "Initial License Charge of %s (license %s) was billed on the invoice of %s: billed once, not "
                       "again", l->product_id, l->license_id, was))
        return LB_ENOMEM;
      continue;
    }
    int rc = fixed_line(ctx, l, l->ct, "ilc", l->installed_on, "license", RULES(R_T7, R_0_1), "R-T7", inv, &cl, &book,
                        d);
    if(rc)
      return rc;
    cl->ct = CT_ILC;
    cl->note = strdup("Initial License Charge, billed once with the first MLC invoice");
    if(!cl->note)
      return LB_ENOMEM;
    if(invoice_audit(inv, cl->line, R_T7, REFS(REF(SRC_LICENSES, l->line), REF_BOOK(book->line, book->effective_from)), AV_MONEY(cl->amount, 2),
                     "Initial License Charge of %s (%s, installed %s): billed once, with the first MLC invoice, the "
                     "month %s (R-T4); price book effective %s", l->product_id, charge_type_name(l->ct),
                     date_format(a, l->installed_on), month_format(mon, first),
                     date_format(eff, book->effective_from)) ||
       invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(cl->amount, 2), "line amount rounded half away from zero to the cent") ||
       invoice_carry(inv, CARRY_ILC, l->license_id, (carry_value){ctx->month, 0}))
      return LB_ENOMEM;
  }
  return LB_OK;
}

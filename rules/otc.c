/* otc.c - one-time charges: billed on the invoice of the month the program is installed (002 §5.12). */
#include "rules/otc.h"

#include <stdio.h>
#include <string.h>

#include "rules/fixed.h"

int otc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  char date[11], eff[11];
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const price *book;
    charge_line *cl;
    if(month_of(l->installed_on) != ctx->month)
      continue;
    /* the price in effect on the date of installation */
    int rc = fixed_line(ctx, l, CT_OTC, "one_time", l->installed_on, "license", RULES(R_0_1), "002 §5.12", inv, &cl,
                        &book, d);
    if(rc)
      return rc;
    if(invoice_audit(inv, cl->line, R_OTC, REFS(REF(SRC_LICENSES, l->line), REF_BOOK(book->line, book->effective_from)), AV_MONEY(cl->amount, 2),
                     "one-time charge for %s installed %s, invoiced in the month of installation (002 §5.12); "
                     "price book effective %s", l->product_id, date_format(date, l->installed_on),
                     date_format(eff, book->effective_from)) ||
       invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(cl->amount, 2), "line amount rounded half away from zero to the cent"))
      return LB_ENOMEM;
  }
  return LB_OK;
}

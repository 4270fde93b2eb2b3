/* otc.c - one-time charges: billed on the invoice of the month the program is installed (002 §5.12). */
#include "otc.h"

#include <stdio.h>
#include <string.h>

int otc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  char date[11], eff[11], inputs[96], val[32];
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *l = &ctx->cd->licenses[i];
    const machine *m = cust_machine(ctx->cd, l->serial);
    const product *p = catalog_product(ctx->cat, l->product_id);
    const price *book;
    size_t n;
    money amount;
    if(l->ct != CT_OTC || month_of(l->installed_on) != ctx->month)
      continue;
    /* the price in effect on the date of installation */
    if(catalog_price_book(ctx->cat, l->product_id, CT_OTC, "one_time", ctx->cd->cust.currency, l->installed_on,
                          &book, &n) || n != 1 || !book->has_fixed_price)
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                      "no one-time price for %s in %s effective on %s in prices.csv, expected one row with "
                      "component 'one_time' and fixed_price", l->product_id, ctx->cd->cust.currency,
                      date_format(date, l->installed_on));
    if(money_round_cent(&amount, book->fixed_price))
      return LB_EOVERFLOW;
    charge_line *cl = invoice_add_line(inv);
    if(!cl)
      return LB_ENOMEM;
    cl->serial = strdup(m->serial);
    cl->type_model = strdup(m->type_model);
    cl->product_id = strdup(l->product_id);
    cl->product_name = strdup(p->name);
    cl->charge_type = strdup("OTC");
    cl->order_number = l->order_number ? strdup(l->order_number) : NULL;
    cl->unit = strdup("license");
    cl->rules = strdup("R-0.1");
    if(!cl->serial || !cl->type_model || !cl->product_id || !cl->product_name || !cl->charge_type ||
       !cl->unit || !cl->rules)
      return LB_ENOMEM;
    cl->quantity = 1;
    cl->has_unit_price = 1;
    cl->unit_price = book->fixed_price;
    cl->amount = amount;
    snprintf(inputs, sizeof(inputs), "licenses.csv:%ld;prices.csv:%ld", l->line, book->line);
    money_format(val, amount, 2);
    if(invoice_audit(inv, cl->line, "OTC", inputs, val,
                     "one-time charge for %s installed %s, invoiced in the month of installation (002 §5.12); "
                     "price book effective %s", l->product_id, date_format(date, l->installed_on),
                     date_format(eff, book->effective_from)) ||
       invoice_audit(inv, cl->line, "R-0.1", "", val, "line amount rounded half away from zero to the cent"))
      return LB_ENOMEM;
  }
  return LB_OK;
}

/* licline.c - the invoice line of one license: its machine, program and order copied into a new line. */
#include "rules/licline.h"

#include <string.h>

charge_line *licline_add(const rule_ctx *ctx, const license *l, charge_type ct, const char *order, const char *unit,
                         long qty, const char *rules, const char *note, invoice *inv)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  const product *p = catalog_product(ctx->cat, l->product_id);
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    return NULL;
  cl->serial = strdup(m->serial);
  cl->type_model = strdup(m->type_model);
  cl->product_id = strdup(l->product_id);
  cl->product_name = strdup(p->name);
  cl->charge_type = strdup(charge_type_names[ct]);
  cl->order_number = order ? strdup(order) : NULL;
  cl->unit = strdup(unit);
  cl->rules = rules ? strdup(rules) : NULL;
  cl->note = note ? strdup(note) : NULL;
  if(!cl->serial || !cl->type_model || !cl->product_id || !cl->product_name || !cl->charge_type ||
     (order && !cl->order_number) || !cl->unit || (rules && !cl->rules) || (note && !cl->note))
    return NULL;
  cl->quantity = qty;
  return cl;
}

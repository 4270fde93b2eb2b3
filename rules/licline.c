/* licline.c - the invoice line of one license: its machine, program and order copied into a new line. */
#include "rules/licline.h"

#include <string.h>

charge_line *licline_add(const rule_ctx *ctx, const license *l, charge_type ct, const char *order, const char *unit,
                         long qty, const rule_set *rules, const char *note, invoice *inv)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  const product *p = catalog_product(ctx->cat, l->product_id);
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    return NULL;
  if(invoice_line_machine(cl, m->serial, m->type_model))
    return NULL;
  cl->product_id = strdup(l->product_id);
  cl->product_name = strdup(p->name);
  cl->ct = ct;
  cl->order_number = order ? strdup(order) : NULL;
  cl->unit = strdup(unit);
  if(rules)
    cl->rules = *rules;
  cl->note = note ? strdup(note) : NULL;
  if(!cl->product_id || !cl->product_name || (order && !cl->order_number) || !cl->unit || (note && !cl->note))
    return NULL;
  cl->quantity = qty;
  return cl;
}

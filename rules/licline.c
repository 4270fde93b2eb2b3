/* licline.c - the invoice line of one license: its machine, program and order copied into a new line. */
#include "rules/licline.h"

#include <stdlib.h>
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

/* */
int licline_per_license(const license *l, charge_line *cl, money per, money *exact, rule_set *rules, invoice *inv)
{
  char each[32], total[32];
  const char *unit = l->feature_of ? "features" : "licenses";
  if(l->quantity <= 1) {
    *exact = per;
    return LB_OK;
  }
  if(money_mul_int(exact, per, l->quantity))
    return LB_EOVERFLOW;
  char *u = strdup(unit);
  if(!u)
    return LB_ENOMEM;
  free(cl->unit);
  cl->unit = u;
  cl->quantity = (long)l->quantity;
  if(rules)
    rule_set_add(rules, R_0_5);
  else {
    /* the line's ids came with it: goes before the rounding that follows it */
    rule_set was = cl->rules;
    cl->rules.n = 0;
    for(size_t i = 0; i < was.n; i++) {
      if(was.id[i] == R_0_1)
        rule_set_add(&cl->rules, R_0_5);
      rule_set_add(&cl->rules, (rule_id)was.id[i]);
    }
    rule_set_add(&cl->rules, R_0_5);
  }
  return invoice_audit(inv, cl->line, R_0_5, REFS(REF(SRC_LICENSES, l->line)), AV_MONEY(*exact, 4),
                       "%lld %s on the row of license %s (licenses.csv quantity), each charged: %lld x %s = %s",
                       (long long)l->quantity, unit, l->license_id, (long long)l->quantity,
                       money_format(each, per, per % MONEY_CENT ? 4 : 2),
                       money_format(total, *exact, *exact % MONEY_CENT ? 4 : 2))
           ? LB_ENOMEM
           : LB_OK;
}

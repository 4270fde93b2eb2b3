/* legacy.c - the whole-month test, line closing and one-row price lookup the legacy charge modules share. */
#include "rules/legacy.h"

#include <stdio.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/timing.h"

int legacy_charged(const rule_ctx *ctx, const license *l)
{
  return timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on);
}

int legacy_audit_month(invoice *inv, const charge_line *cl, const license *l, char *rules, size_t rsize)
{
  char inputs[48];
  /* R-T4 */
  subcap_add_rule(rules, rsize, "R-T4");
  snprintf(inputs, sizeof(inputs), "licenses.csv:%ld", l->line);
  return invoice_audit(inv, cl->line, "R-T4", inputs, "charged",
                       "%s %s (%s) is charged for the whole month (installed before the month, not discontinued "
                       "before it; R-T5)", charge_type_names[l->ct], l->product_id, l->license_id);
}

int legacy_close_line(invoice *inv, charge_line *cl, money exact, char *rules, size_t rsize)
{
  char val[32];
  money rounded;
  if(money_round_cent(&rounded, exact))
    return LB_EOVERFLOW;
  /* */
  money_format(val, rounded, 2);
  if(invoice_audit(inv, cl->line, "R-0.1", "", val, "line amount rounded half away from zero to the cent"))
    return LB_ENOMEM;
  cl->amount = rounded;
  subcap_add_rule(rules, rsize, "R-0.1");
  cl->rules = strdup(rules);
  return cl->rules ? LB_OK : LB_ENOMEM;
}

const price *legacy_one_row(const rule_ctx *ctx, const license *l, charge_type ct, const char *component)
{
  const price *book;
  size_t n;
  if(catalog_price_book(ctx->cat, l->product_id, ct, component, ctx->cd->cust.currency, ctx->price_date, &book,
                        &n) ||
     n != 1)
    return NULL;
  return book;
}

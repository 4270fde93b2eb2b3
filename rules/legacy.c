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

int legacy_audit_month(invoice *inv, const charge_line *cl, const license *l, rule_set *rules)
{
  /* R-T4 */
  rule_set_add(rules, R_T4);
  return invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("charged"),
                       "%s %s (%s) is charged for the whole month (installed before the month, not discontinued "
                       "before it; R-T5)", charge_type_name(l->ct), l->product_id, l->license_id);
}

int legacy_close_line(invoice *inv, charge_line *cl, money exact, rule_set *rules)
{
  money rounded;
  if(money_round_cent(&rounded, exact))
    return LB_EOVERFLOW;
  /* */
  if(invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(rounded, 2),
                   "line amount rounded half away from zero to the cent"))
    return LB_ENOMEM;
  cl->amount = rounded;
  rule_set_add(rules, R_0_1);
  cl->rules = *rules;
  return LB_OK;
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

/* history.c - what the rules read of earlier months, through the ctx's history (or none). */
#include "rules/rule.h"

int rule_state_get(const rule_ctx *ctx, const char *key, char *value, size_t n, lb_month *set_in)
{
  if(!ctx->hist || !ctx->hist->state_get)
    return 0;
  return ctx->hist->state_get(ctx->hist->self, ctx->cd->cust.id, key, ctx->month, value, n, set_in);
}

int rule_billed_msus(const rule_ctx *ctx, lb_month m, const char *serial, const char *product_id, charge_type ct,
                     long *msus)
{
  if(!ctx->hist || !ctx->hist->billed_msus)
    return 0;
  return ctx->hist->billed_msus(ctx->hist->self, ctx->cd->cust.id, m, serial, product_id, charge_type_names[ct],
                                msus);
}

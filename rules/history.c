/* history.c - what the rules read of earlier months: the customer's carried state, prefetched. */
#include "rules/rule.h"

const carried *rule_carried(const rule_ctx *ctx, carry_kind kind, const char *subject)
{
  return carry_find(ctx->hist, kind, subject);
}

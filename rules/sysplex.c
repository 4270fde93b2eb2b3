/* sysplex.c - R-W8: a sysplex aggregates only when the customer has two or more machines in it. */
#include "rules/sysplex.h"

#include <string.h>

size_t sysplex_size(const rule_ctx *ctx, const char *name)
{
  size_t n = 0;
  for(size_t i = 0; i < ctx->cd->nmachines; i++)
    if(ctx->cd->machines[i].sysplex && strcmp(ctx->cd->machines[i].sysplex, name) == 0)
      n++;
  return n;
}

const char *sysplex_coupled(const rule_ctx *ctx, const machine *m)
{
  return m->sysplex && sysplex_size(ctx, m->sysplex) > 1 ? m->sysplex : NULL;
}

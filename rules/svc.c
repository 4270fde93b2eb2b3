/* svc.c - Single Version Charging (R-S1..R-S3). */
#include "svc.h"

int svc_adjust(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, char *rules,
               size_t rsize, diag_list *d)
{
  (void)ctx, (void)l, (void)inv, (void)line, (void)msus, (void)rules, (void)rsize, (void)d;
  return LB_OK; /* not yet: issue 3 */
}

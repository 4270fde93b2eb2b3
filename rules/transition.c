/* transition.c - AWLC transition charges (R-W11). */
#include "transition.h"

int transition_apply(const rule_ctx *ctx, invoice *inv, size_t first, diag_list *d)
{
  (void)ctx, (void)inv, (void)first, (void)d;
  return LB_OK; /* not yet: issue 3 */
}

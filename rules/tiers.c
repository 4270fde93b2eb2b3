/* tiers.c - R-W1: graduated charge over contiguous MSU tiers. */
#include "rules/tiers.h"

#include "core/diag.h"

int tiers_price(const price *book, size_t n, long qty, money *amount, tier_part *parts, int *nparts)
{
  money total = 0;
  int np = 0;
  for(size_t i = 0; i < n; i++) {
    const price *p = &book[i];
    long from = p->from_qty < 0 ? 0 : (long)p->from_qty;
    long lo = from > 0 ? from - 1 : 0; /* MSUs below this tier */
    long hi = p->to_qty < 0 ? qty : (long)p->to_qty;
    if(qty < from || (qty == 0 && from > 0))
      break;
    long in = (qty < hi ? qty : hi) - lo;
    if(in < 0)
      in = 0;
    money part = 0;
    if(money_mul_int(&part, p->unit_price, in) || money_add(&total, total, part) ||
       money_add(&total, total, p->fixed_price))
      return LB_EOVERFLOW;
    if(parts) {
      parts[np].from_qty = from;
      parts[np].to_qty = p->to_qty < 0 ? -1 : (long)p->to_qty;
      parts[np].qty = in;
      parts[np].unit_price = p->unit_price;
      parts[np].fixed_price = p->fixed_price;
      np++;
    }
  }
  *amount = total;
  if(nparts)
    *nparts = np;
  return LB_OK;
}

/* valueunits.c - R-I5: graduated MSU to Value Unit conversion, exact in 1/10000 VU, rounded up. */
#include "rules/valueunits.h"

#include <stdio.h>
#include <string.h>

#include "core/diag.h"

int vu_convert(const vu_tier *t, size_t n, long msus, long *vus, money *exact, char *detail, size_t dsize)
{
  money sum = 0;
  size_t k = 0;
  char per[32], tot[32];
  if(msus < 0 || !n || (t[n - 1].to_msu >= 0 && msus > t[n - 1].to_msu))
    return LB_EINPUT;
  if(detail && dsize)
    detail[0] = '\0';
  for(size_t i = 0; i < n; i++) {
    long from = (long)t[i].from_msu;
    long lo = from > 0 ? from - 1 : 0; /* MSUs below this tier */
    long hi = t[i].to_msu < 0 ? msus : (long)t[i].to_msu;
    long in = (msus < hi ? msus : hi) - lo;
    money part;
    if(in <= 0)
      break;
    if(money_mul_int(&part, t[i].vu_per_msu, in) || money_add(&sum, sum, part))
      return LB_EOVERFLOW;
    if(detail && k < dsize)
      k += (size_t)snprintf(detail + k, dsize - k, "%s%ld x %s", i ? " + " : "", in,
                            money_format(per, t[i].vu_per_msu, 4));
  }
  /* rounded up to a whole Value Unit: sum >= 0, so ceil = (sum + scale - 1) / scale */
  money up;
  if(money_add(&up, sum, MONEY_SCALE - 1))
    return LB_EOVERFLOW;
  if(detail && k < dsize)
    snprintf(detail + k, dsize - k, "%s%s VUs", k ? " = " : "", money_format(tot, sum, 4));
  if(exact)
    *exact = sum;
  *vus = (long)(up / MONEY_SCALE);
  return LB_OK;
}

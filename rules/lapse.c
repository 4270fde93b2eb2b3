/* lapse.c - R-M2: the After License Fee lapse-discount table of seed 003. */
#include "rules/lapse.h"

/* R-M2: discount by started month of lapse ("less than 1 month 100%, at
 * least 1 month but less than 2 months 86%, ... at least 10 months but
 * less than 12 months 8%"), index 1..12 */
static const int discount_by_month[13] = {0, 100, 86, 74, 65, 56, 48, 39, 30, 22, 14, 8, 8};

int lapse_discount_pct(lb_date expired, lb_date ordered, int *months)
{
  if(expired == DATE_NONE || ordered == DATE_NONE || ordered <= expired)
    return -1;
  /* R-M2: "an expiration on September 30, 2011, will require the order to
   * be time-stamped on or before October 30, 2011" for the first band:
   * band k holds orders up to expired + k calendar months, inclusive */
  for(int k = 1; k <= 12; k++)
    if(ordered <= date_add_months(expired, k)) {
      if(months)
        *months = k;
      return discount_by_month[k];
    }
  if(months)
    *months = 13;
  return 0;
}

const char *lapse_band_text(int months)
{
  /* R-M2: seed 003's band wording, by started month of lapse */
  static const char *const band[13] = {
    NULL,
    "less than 1 month",
    "at least 1 month, but less than 2 months",
    "at least 2 months, but less than 3 months",
    "at least 3 months, but less than 4 months",
    "at least 4 months, but less than 5 months",
    "at least 5 months, but less than 6 months",
    "at least 6 months, but less than 7 months",
    "at least 7 months, but less than 8 months",
    "at least 8 months, but less than 9 months",
    "at least 9 months, but less than 10 months",
    "at least 10 months, but less than 12 months",
    "at least 10 months, but less than 12 months",
  };
  return months >= 1 && months <= 12 ? band[months] : NULL;
}

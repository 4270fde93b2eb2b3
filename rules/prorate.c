/* prorate.c - day-based proration of annual support charges (R-M5, R-M6, R-I7). */
#include "rules/prorate.h"

#include "core/diag.h"

long prorate_days_between(lb_date from, lb_date to)
{
  return to < from ? 0 : (long)(to - from) + 1;
}

int prorate_by_days(money *out, money annual, lb_date from, lb_date to, lb_date period_start,
                    lb_date period_end)
{
  long den = prorate_days_between(period_start, period_end);
  if(den <= 0)
    return LB_EINPUT;
  return money_muldiv_cent(out, annual, prorate_days_between(from, to), den) ? LB_EOVERFLOW : LB_OK;
}

lb_date prorate_year_end(lb_date start)
{
  return date_add_months(start, 12) - 1;
}
